"""`kerncijfers diff`: what a corrected republication changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from kerncijfers.cli import main
from tests.conftest import JANUARY_2023


def test_diff_lists_the_changed_figures(
    empty_project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    revised = tmp_path / "herzien.txt"
    text = JANUARY_2023.read_text(encoding="utf-8").replace("circa 2.490", "circa 2.500")
    revised.write_text(text.replace("o 26% uit Syrië;", "o 27% uit Syrië;"), encoding="utf-8")
    project = ["--project-dir", str(empty_project)]
    assert main([*project, "ingest", str(JANUARY_2023)]) == 0
    assert main([*project, "ingest", str(revised)]) == 0
    capsys.readouterr()

    assert main([*project, "diff", "2023-01"]) == 0
    lines = capsys.readouterr().out.strip().split("\n")
    assert lines[0].startswith("2023-01: kerncijfers-2023-01-4f0d79c6a2f3 (vintage 1) -> ")
    assert lines[1:] == [
        "  published_on - -> -",
        "  source_url   - -> -",
        "  changed  first_applications · first_applicants · month 2023-01-01..2023-01-31 · "
        "(total): 2490 (line 42) -> 2500 (line 42)",
        "  changed  nationality_share · first_applicants · month 2023-01-01..2023-01-31 · "
        "Syrië: 26% (line 47) -> 27% (line 47)",
        "2 changed, 0 added, 0 removed, 37 unchanged",
        "order: by vintage (the order of ingest), as not every publication of the month has a "
        "publication date; record one with `kerncijfers ingest FILE --published-on YYYY-MM-DD`",
    ]


def test_diff_of_a_month_with_one_vintage_is_an_error(
    empty_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = ["--project-dir", str(empty_project)]
    main([*project, "ingest", str(JANUARY_2023)])
    capsys.readouterr()
    assert main([*project, "diff", "2023-01"]) == 1
    assert (
        "2023-01 has 1 vintage(s): kerncijfers-2023-01-4f0d79c6a2f3 (vintage 1), published_on unknown; "
        "a diff needs two" in capsys.readouterr().err
    )


def test_diff_goes_from_the_earlier_publication_to_the_later_whatever_the_order_of_ingest(
    empty_project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The order the marts use: the republication of 15 March, ingested first, is the newer side."""
    revised = tmp_path / "herzien.txt"
    revised.write_text(
        JANUARY_2023.read_text(encoding="utf-8").replace("circa 2.490", "circa 2.500"), encoding="utf-8"
    )
    project = ["--project-dir", str(empty_project)]
    assert main([*project, "ingest", str(revised), "--published-on", "2023-03-15"]) == 0
    assert main([*project, "ingest", str(JANUARY_2023), "--published-on", "2023-02-14"]) == 0
    capsys.readouterr()

    assert main([*project, "diff", "2023-01"]) == 0
    lines = capsys.readouterr().out.strip().split("\n")
    assert lines[0].startswith("2023-01: kerncijfers-2023-01-4f0d79c6a2f3 (vintage 2) -> ")
    assert lines[0].endswith("(vintage 1)")
    assert lines[1] == "  published_on 2023-02-14 -> 2023-03-15"
    assert "2490 (line 42) -> 2500 (line 42)" in lines[3]
    assert not any(line.startswith("order:") for line in lines)  # every vintage dated: by date


def test_a_stored_document_is_dated_after_the_fact_and_the_date_decides_the_order(
    empty_project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The original January, ingested without a date, is dated afterwards by ingesting its stored
    copy with --published-on: recorded (journaled, like any change), shown by `diff`. A date
    already recorded is not silently replaced; --replace-metadata replaces it and says what it
    replaces. Dates that cannot be (before the month ended, in the future) are refused."""
    revised = tmp_path / "herzien.txt"
    revised.write_text(
        JANUARY_2023.read_text(encoding="utf-8").replace("circa 2.490", "circa 2.500"), encoding="utf-8"
    )
    project = ["--project-dir", str(empty_project)]
    assert main([*project, "ingest", str(JANUARY_2023)]) == 0
    assert main([*project, "ingest", str(revised), "--published-on", "2023-02-20"]) == 0
    stored = next((empty_project / "documents").glob("4f0d79c6a2f3*"))
    capsys.readouterr()

    assert main([*project, "ingest", str(stored), "--published-on", "2023-02-15"]) == 0
    assert capsys.readouterr().out == (
        "recorded   kerncijfers-2023-01-4f0d79c6a2f3: published_on 2023-02-15\n"
    )
    assert main([*project, "diff", "2023-01"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("2023-01: kerncijfers-2023-01-4f0d79c6a2f3 (vintage 1) -> ")
    assert lines[1] == "  published_on 2023-02-15 -> 2023-02-20"

    manifest = (empty_project / "seeds" / "raw" / "raw_source_documents.csv").read_bytes()
    assert main([*project, "ingest", str(stored), "--published-on", "2023-03-01"]) == 1
    assert (
        "already stored as kerncijfers-2023-01-4f0d79c6a2f3 with published_on '2023-02-15', not "
        "'2023-03-01'; to replace it, give --replace-metadata" in capsys.readouterr().err
    )
    for date_given, message in [
        ("2023-01-31", "--published-on 2023-01-31 is not after the end of 2023-01"),
        ("2999-01-01", "--published-on 2999-01-01 is after today"),
    ]:
        assert (
            main([*project, "ingest", str(stored), "--published-on", date_given, "--replace-metadata"]) == 1
        )
        assert message in capsys.readouterr().err
    assert (empty_project / "seeds" / "raw" / "raw_source_documents.csv").read_bytes() == manifest

    assert main([*project, "ingest", str(stored), "--published-on", "2023-03-01", "--replace-metadata"]) == 0
    assert capsys.readouterr().out == (
        "recorded   kerncijfers-2023-01-4f0d79c6a2f3: published_on 2023-03-01 (replaces 2023-02-15)\n"
    )
    # Now the original is the later publication: the diff goes from the correction to it.
    assert main([*project, "diff", "2023-01"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].endswith("-> kerncijfers-2023-01-4f0d79c6a2f3 (vintage 1)")
    assert lines[1] == "  published_on 2023-02-20 -> 2023-03-01"
