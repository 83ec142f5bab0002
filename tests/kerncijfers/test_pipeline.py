"""`make build` end to end: stored documents -> raw seeds -> dbt build on DuckDB -> summary."""

from __future__ import annotations

from pathlib import Path

import duckdb

from tests.conftest import full_build


def test_build_loads_every_figure_into_duckdb(built_project: tuple[Path, Path, str]) -> None:
    _, warehouse, _ = built_project
    con = duckdb.connect(str(full_build(warehouse)), read_only=True)
    try:
        assert con.execute("select count(*) from raw.raw_published_figures").fetchone() == (39,)
        row = con.execute(
            """
            select value, is_approximate, rounding_unit, period_start, source_line
            from raw.raw_published_figures
            where figure_code = 'first_applications_handled'
            """
        ).fetchone()
        assert row is not None
        value, approximate, rounding, start, line = row
        assert (value, approximate, rounding, str(start), line) == (2180, True, 10, "2023-01-01", 191)
        assert con.execute(
            "select count(*) from reference.ref_nationality_labels where label_nl = 'Syrië'"
        ).fetchone() == (1,)
    finally:
        con.close()


def test_build_ends_with_a_summary(built_project: tuple[Path, Path, str]) -> None:
    _, warehouse, output = built_project
    summary = output[output.index("Kerncijfers warehouse") :]
    assert "documents : 1 (months 2023-01 .. 2023-01)" in summary
    assert "figures   : 39" in summary
    assert f"warehouse : {warehouse}" in summary
    assert "tests     :" in summary and "fail" not in summary and "error" not in summary
    assert f"full build: {full_build(warehouse)}" in summary
