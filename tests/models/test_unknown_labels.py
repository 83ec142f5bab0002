"""What dbt's structural tests stop: a published label without a code, or a figure of no declared
family, naming it, the document and the line. (The consistency rules are judged by the expectations:
tests/kerncijfers/test_checks.py shows each failing on bad data.)"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import JANUARY_2023
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

    # Staging and its tests are where labels and families are checked: build that far.
    build = build_project(
        tmp_path / "project", [JANUARY_2023], edit_figures=edit, select="+stg_kerncijfers__published_figures"
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
