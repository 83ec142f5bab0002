"""`make build` end to end: stored documents -> raw seeds -> dbt build on DuckDB -> summary."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

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


def test_make_build_shows_stages_not_logs(built_project: tuple[Path, Path, str]) -> None:
    """What `make build` prints on a fresh copy of the project (its environment installed): one
    line per stage with counts and timings, the findings, the summary — dbt's node-by-node log
    goes to a file, no colour codes outside a terminal, no packaging banners."""
    project, warehouse, output = built_project
    if not (project / "Makefile").exists():
        pytest.skip("this environment was not installed by `make`: the build ran without it")
    lines = output.rstrip("\n").split("\n")
    assert len(lines) < 80, output
    assert [line.split()[0] for line in lines if line[:1].isalpha()][:5] == [
        "ingest",
        "dbt",
        "audit",
        "publish",
        "Kerncijfers",
    ]
    assert "\x1b[" not in output and "!!" not in output and "Warning:" not in output
    assert " OK created " not in output and "START " not in output  # dbt's node lines
    assert lines[-1] == f"  warehouse : {warehouse}"
    log = warehouse.parent / "logs" / "dbt.log"
    assert f"(log: {log})" in output and " OK created " in log.read_text(encoding="utf-8")
