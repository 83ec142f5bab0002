"""A reviewed correction of a misprinted figure: the marts use it, fct_published_figures keeps
the figure as published beside it, and a correction that matches nothing stops the build."""

from __future__ import annotations

from pathlib import Path

from kerncijfers.checks import run_checks
from tests.conftest import GX_DIR, JANUARY_2023
from tests.warehouse import build_project

HEADER = (
    "document_id,figure_code,population_code,window_type,subject_code,corrected_value,reason,reviewed_on\n"
)
JAN = "kerncijfers-2023-01-4f0d79c6a2f3"


def test_the_marts_use_the_correction_and_the_original_stays_visible(tmp_path: Path) -> None:
    correction = (
        f"{JAN},nationality_share,family_reunification,rolling_12m,OTHER,20,"
        '"Misprint: the IND asylum trends give 20 % other nationalities",2026-11-27\n'
    )
    build = build_project(
        tmp_path / "project",
        [JANUARY_2023],
        files={"seeds/reviewed/reviewed_corrections.csv": HEADER + correction},
    )
    assert build.returncode == 0, build.output[-3000:]
    assert build.query(
        "select share_pct from marts.fct_nationality_shares where population_code = 'family_reunification' "
        "and window_type = 'rolling_12m' and nationality_code = 'OTHER'"
    ) == [(20,)]
    assert build.query(
        "select published_value, corrected_value, is_corrected, correction_reason from marts.fct_published_figures "
        "where figure_code = 'nationality_share' and population_code = 'family_reunification' "
        "and window_type = 'rolling_12m' and subject_code = 'OTHER'"
    ) == [(5, 20, True, "Misprint: the IND asylum trends give 20 % other nationalities")]
    assert build.query("select count(*) from marts.fct_published_figures where is_corrected") == [(1,)]
    # With the correction the breakdown sums to 100: the checks no longer find it (what remains
    # is IND's revision of the first applications, a warning of another check).
    report = run_checks(build.warehouse, GX_DIR)
    assert [f.check for f in report.findings] == ["agrees_with_revised_second_source"]


def test_a_correction_that_matches_no_figure_stops_the_build(tmp_path: Path) -> None:
    stale = f"{JAN},nationality_share,family_reunification,rolling_12m,IRQ,20,typo,2026-11-27\n"
    build = build_project(
        tmp_path / "project",
        [JANUARY_2023],
        files={"seeds/reviewed/reviewed_corrections.csv": HEADER + stale},
        select="+assert_every_correction_matches_a_published_figure",
    )
    assert build.returncode == 1
    assert build.test_results()["assert_every_correction_matches_a_published_figure"] == "fail"
    assert build.failures("assert_every_correction_matches_a_published_figure")[0]["subject_code"] == "IRQ"
