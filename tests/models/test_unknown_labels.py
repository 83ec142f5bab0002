"""What dbt's structural tests stop: a published label without a code, or a figure of no declared
family, naming it, the document and the line. (The consistency rules are judged by the expectations:
tests/kerncijfers/test_checks.py shows each failing on bad data.)"""

from __future__ import annotations

from pathlib import Path

from core.project import Project
from kerncijfers.pipeline.preflight import preflight
from tests.conftest import JANUARY_2023, ROOT
from tests.warehouse import build_project


def test_an_unknown_label_or_an_undeclared_figure_stops_the_build_naming_it_and_the_document(
    tmp_path: Path,
) -> None:
    def edit(rows: list[dict[str, str]]) -> None:
        for row in rows:
            if row["subject_label_nl"] == "Jemen" and row["window_type"] == "month":
                row["subject_label_nl"] = "Jemenn"
            if row["figure_code"] == "dublin_share":
                row["figure_code"] = "dublin_quota"  # hand-edited into a figure no family declares

    # int_published_figures_corrected and its tests are where labels and families are checked:
    # build that far.
    build = build_project(
        tmp_path / "project", [JANUARY_2023], edit_figures=edit, select="+int_published_figures_corrected"
    )
    assert build.returncode == 1
    assert (
        "document kerncijfers-2023-01-4f0d79c6a2f3, line 50: nationality or purpose label "
        '"Jemenn" has no code in the reference seeds'
    ) in build.output
    assert (
        'document kerncijfers-2023-01-4f0d79c6a2f3, line 188: figure "dublin_quota, first_applicants, month, '
        'total, percent" is of no figure family declared in seeds/reference/ref_figure_families.csv'
    ) in build.output


def test_a_label_printed_without_its_accent_or_in_capitals_is_built_as_its_nationality(
    tmp_path: Path,
) -> None:
    # The ingest and the models compare labels by one rule (core/labels.py): what the ingest
    # accepts as Syrië, the build maps to SYR, where lower(trim()) once stopped it.
    text = JANUARY_2023.read_text(encoding="utf-8").replace("Syrië", "Syrie")
    text = text.replace("o 35% uit Syrie;", "o 35% uit SYRIË;")
    document = tmp_path / "kerncijfers-2023-01.txt"
    document.write_text(text, encoding="utf-8")
    # The shipped review names the original document, which this project does not store.
    findings = "seeds/reviewed/reviewed_findings.csv"
    header = (ROOT / findings).read_text(encoding="utf-8").split("\n", 1)[0] + "\n"
    build = build_project(tmp_path / "project", [document], files={findings: header})
    assert build.returncode == 0, build.output[-3000:]
    preflight(Project(build.project))  # the build's own check before dbt passes it too
    shares = build.query(
        "select nationality_label_nl, nationality_code, share_pct from marts.fct_nationality_shares"
        " where nationality_label_nl in ('Syrie', 'SYRIË') order by source_line"
    )
    assert shares == [
        ("Syrie", "SYR", 26.0),
        ("SYRIË", "SYR", 35.0),
        ("Syrie", "SYR", 65.0),
        ("Syrie", "SYR", 45.0),
    ]
    assert build.query(
        "select nationality_label_nl, nationality_code from marts.fct_grant_rates where nationality_label_nl = 'Syrie'"
    ) == [("Syrie", "SYR")]
