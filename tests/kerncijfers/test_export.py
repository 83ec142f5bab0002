"""After `make build`, every mart is in warehouse/export/ as Parquet and CSV, and loads back whole."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from kerncijfers.export import export_folder


@pytest.fixture(scope="module")
def marts(built_project: tuple[Path, Path, str]) -> dict[str, int]:
    """Row count of every table in schema marts, by name."""
    _, warehouse, _ = built_project
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        names = [
            row[0]
            for row in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'marts'"
            ).fetchall()
        ]
        return {name: con.execute(f"select count(*) from marts.{name}").fetchone()[0] for name in names}
    finally:
        con.close()


def test_build_reports_the_exports(built_project: tuple[Path, Path, str], marts: dict[str, int]) -> None:
    _, warehouse, output = built_project
    assert f"  exports   : {len(marts)} marts as Parquet and CSV in {export_folder(warehouse)}" in output


def test_every_mart_is_exported_and_nothing_else(
    built_project: tuple[Path, Path, str], marts: dict[str, int]
) -> None:
    _, warehouse, _ = built_project
    assert {"fct_dublin_funnel", "dim_nationalities", "fct_published_figures"} <= set(marts)
    files = {path.name for path in export_folder(warehouse).iterdir()}
    assert files == {f"{mart}.{ext}" for mart in marts for ext in ("parquet", "csv")}


def test_exports_load_back_with_the_marts_rows(
    built_project: tuple[Path, Path, str], marts: dict[str, int]
) -> None:
    _, warehouse, _ = built_project
    folder = export_folder(warehouse)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        for mart, rows in marts.items():
            parquet, csv = str(folder / f"{mart}.parquet"), str(folder / f"{mart}.csv")
            assert con.execute("select count(*) from read_parquet(?)", [parquet]).fetchone() == (rows,)
            assert con.execute("select count(*) from read_csv(?)", [csv]).fetchone() == (rows,), mart
            # Parquet keeps the types: the file holds exactly the mart, value for value.
            differing = con.execute(
                f"select count(*) from ((select * from marts.{mart} except all select * from read_parquet(?))"
                f" union all (select * from read_parquet(?) except all select * from marts.{mart}))",
                [parquet, parquet],
            ).fetchone()
            assert differing == (0,), mart
        # CSV keeps the header and the figures as text, decimals as printed.
        header, row = (folder / "fct_dublin_funnel.csv").read_text(encoding="utf-8").splitlines()[:2]
        assert header.startswith("reference_month,handled,rejected,dublin_rejected,")
        assert row.startswith("2023-01-01,2180,990,660,")
    finally:
        con.close()
