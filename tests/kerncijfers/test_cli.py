"""The `kerncijfers` command as a maintainer uses it."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import pytest

from ingest.figures import PARSER_VERSION
from kerncijfers.cli import main
from tests.conftest import JANUARY_2023, TEST_DOCUMENTS


def test_figures_prints_the_39_rows_of_january_2023(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["figures", str(JANUARY_2023)]) == 0
    lines = capsys.readouterr().out.strip().split("\n")
    title, header, *rows, count = lines
    assert title.startswith("Kerncijfers asiel en migratie januari 2023")
    assert header.split()[:3] == ["line", "figure", "population"]
    assert len(rows) == 39 and count == "39 figures"
    assert rows[0].split() == [
        "42",
        "first_applications",
        "first_applicants",
        "month",
        "2023-01-01..2023-01-31",
        "(total)",
        "2490",
        "count",
        "circa",
        "10",
    ]


def test_figures_writes_nothing(empty_project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(empty_project)
    before = sorted(p for p in empty_project.rglob("*"))
    assert main(["figures", str(JANUARY_2023)]) == 0
    assert sorted(p for p in empty_project.rglob("*")) == before


def test_ingest_then_ingest_again(
    empty_project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(empty_project)
    assert main(["ingest", str(JANUARY_2023)]) == 0
    assert capsys.readouterr().out.split("\n")[:2] == [
        "added      kerncijfers-2023-01-4f0d79c6a2f3",
        "added 39 figures (1 document); seeds/raw/raw_published_figures.csv now holds 39 figures",
    ]
    assert main(["ingest", str(JANUARY_2023)]) == 0
    assert capsys.readouterr().out == "unchanged  kerncijfers-2023-01-4f0d79c6a2f3\n"


def test_ingest_says_what_it_added_and_re_parsed_beside_the_seeds_total(
    empty_project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new month adds its figures to those stored: the line counts what this run added, and
    what the seed holds now. Stored documents read by an older parser are parsed again in the
    same run, and counted as such."""
    monkeypatch.chdir(empty_project)
    seed = "seeds/raw/raw_published_figures.csv"
    december, january_2024 = _figure_count("kerncijfers-2023-12"), _figure_count("kerncijfers-2024-01")
    assert main(["ingest", str(JANUARY_2023)]) == 0
    assert main(["ingest", str(TEST_DOCUMENTS / "kerncijfers-2023-12.txt")]) == 0
    stored = 39 + december
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"added {december} figures (1 document); {seed} now holds {stored} figures"
    )
    manifest = empty_project / "seeds" / "raw" / "raw_source_documents.csv"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace(f",{PARSER_VERSION},", ",0.9.0,"), encoding="utf-8"
    )
    assert main(["ingest", str(TEST_DOCUMENTS / "kerncijfers-2024-01.txt")]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        f"added {january_2024} figures (1 document); re-parsed 2 documents: {stored} figures "
        f"({stored} before); {seed} now holds {stored + january_2024} figures"
    )


def _figure_count(name: str) -> int:
    """How many figures a test document gives (its .expected.csv, one row a figure)."""
    expected = (TEST_DOCUMENTS / f"{name}.expected.csv").read_text(encoding="utf-8")
    return len(list(csv.DictReader(io.StringIO(expected))))


def test_a_bad_file_gives_one_error_line_and_exit_1(
    empty_project: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(empty_project)
    main(["ingest", str(JANUARY_2023)])
    seeds = {p: hashlib.sha256(p.read_bytes()).digest() for p in (empty_project / "seeds/raw").glob("*.csv")}
    capsys.readouterr()
    bad = tmp_path / "kapot.txt"
    bad.write_text(JANUARY_2023.read_text(encoding="utf-8").replace("o 7% uit Turkije;", "o 7 uit Turkije;"))
    assert main(["ingest", str(bad)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"error: {bad}:48: cannot read this list item: '7 uit Turkije;'\n"
    assert {p: hashlib.sha256(p.read_bytes()).digest() for p in seeds} == seeds


def test_ingest_without_files_is_an_error(
    empty_project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(empty_project)
    assert main(["ingest"]) == 1
    assert "nothing to ingest" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (
            ["--target", "nosuchtarget"],
            {},
            "error: --target: no target 'nosuchtarget' to build with",
        ),
        (
            ["--target", "published"],
            {},
            "error: --target: the target `published` opens the published warehouse read-only",
        ),
        ([], {"KERNCIJFERS_TARGET": "nosuchtarget"}, "error: KERNCIJFERS_TARGET: no target 'nosuchtarget'"),
    ],
)
def test_a_build_names_a_target_it_cannot_build(
    args: list[str],
    env: dict[str, str],
    message: str,
    empty_project: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Named before anything runs: no PostgreSQL connection error for a typo, no write through
    the read-only target."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(["--project-dir", str(empty_project), "build", *args]) == 1
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith(message), line
    assert not (empty_project / "warehouse").exists()
