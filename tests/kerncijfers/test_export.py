"""After `make build`, every mart is in warehouse/export/ as Parquet and CSV, and loads back whole."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from kerncijfers.warehouse import Warehouse


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
    assert f"  exports   : {len(marts)} marts as Parquet and CSV in {warehouse.parent / 'export'}" in output


def test_every_mart_is_exported_and_nothing_else(
    built_project: tuple[Path, Path, str], marts: dict[str, int]
) -> None:
    _, warehouse, _ = built_project
    assert {"fct_dublin_funnel", "dim_nationalities", "fct_published_figures"} <= set(marts)
    files = {path.name for path in Warehouse(warehouse).export_link.iterdir()}
    assert files == {f"{mart}.{ext}" for mart in marts for ext in ("parquet", "csv")} | {
        "datapackage.json",
        "checks.json",
    }


def test_exports_load_back_with_the_marts_rows(
    built_project: tuple[Path, Path, str], marts: dict[str, int]
) -> None:
    _, warehouse, _ = built_project
    folder = Warehouse(warehouse).export_link
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
        assert header.startswith("reference_month,handled_count,rejected_count,dublin_rejected_count,")
        assert row.startswith("2023-01-01,2180,990,660,")
    finally:
        con.close()


def test_parquet_reads_into_pandas_as_numbers(built_project: tuple[Path, Path, str]) -> None:
    """An analyst's `pandas.read_parquet` gets floats and integers she can compute with, not
    Decimal objects, and the figures of January 2023."""
    import pandas as pd

    _, warehouse, _ = built_project
    folder = Warehouse(warehouse).export_link
    funnel = pd.read_parquet(folder / "fct_dublin_funnel.parquet")
    january = funnel[funnel["reference_month"].astype(str) == "2023-01-01"].iloc[0]
    assert funnel["handled_count"].dtype == "int64"
    assert funnel["dublin_share_of_rejected_pct"].dtype == "float64"
    assert (january["handled_count"], january["rejected_count"], january["dublin_rejected_count"]) == (
        2180,
        990,
        660,
    )
    shares = pd.read_parquet(folder / "fct_nationality_shares.parquet")
    assert shares["share_pct"].dtype == "float64"
    assert shares["estimated_count"].dtype == "float64"
    for frame in (funnel, shares):
        assert not [c for c in frame.columns if any(isinstance(v, Decimal) for v in frame[c])]
    syria = shares.query(
        "nationality_code == 'SYR' and window_type == 'month' and population_code == 'first_applicants'"
    )
    assert syria["share_pct"].tolist() == [26.0]


def test_the_exports_are_a_valid_data_package_described_by_the_dbt_docs(
    built_project: tuple[Path, Path, str], marts: dict[str, int]
) -> None:
    """`datapackage.json` (Frictionless Data) describes every CSV export: its columns, types and
    descriptions as the dbt docs give them, its key, the sources and the licence; frictionless
    validates every row of every file against it."""
    import json

    from frictionless import Package, validate

    project, warehouse, _ = built_project
    folder = Warehouse(warehouse).export_link
    described = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert {r["name"] for r in described["resources"]} == set(marts)
    assert described["licenses"][0]["name"] == "CC0-1.0"
    assert described["sources"] == [
        {"title": "Kerncijfers asiel en migratie januari 2023, Ministerie van Justitie en Veiligheid"}
    ]

    report = validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])[:10]

    package = Package(str(folder / "datapackage.json"))
    funnel = package.get_resource("fct_dublin_funnel")
    fields = {field.name: field for field in funnel.schema.fields}
    assert fields["handled_count"].type == "integer"
    assert fields["reference_month"].type == "date"
    manifest = json.loads((project / "target" / "manifest.json").read_text(encoding="utf-8"))
    documented = next(
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["name"] == "fct_dublin_funnel"
    )
    assert (
        fields["handled_count"].description == documented["columns"]["handled_count"]["description"].strip()
    )
    assert funnel.schema.primary_key == ["reference_month"]  # from its contract's primary_key constraint
    assert all(field.description for resource in package.resources for field in resource.schema.fields)
    # Read through the package, the funnel is the document's: "Van de circa 2.180 behandelde
    # eerste asielaanvragen is circa 990 afgewezen. Hiervan zijn circa 660 asielaanvragen op
    # grond van Dublin afgewezen."
    rows = funnel.read_rows()
    assert len(rows) == marts["fct_dublin_funnel"]
    assert [
        (
            row["reference_month"].isoformat(),
            row["handled_count"],
            row["rejected_count"],
            row["dublin_rejected_count"],
        )
        for row in rows
    ] == [("2023-01-01", 2180, 990, 660)]
