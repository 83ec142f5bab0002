"""The exports' `datapackage.json` (kerncijfers/datapackage.py), written from a small DuckDB file
made here: one resource per mart with its columns' Table Schema types and the dbt docs'
descriptions, its key, the publications as sources and the licence — and frictionless accepts
every row of the CSV files the export writes beside it. No dbt build."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pytest

from core.errors import WarehouseError
from kerncijfers.datapackage import LICENSE, write_datapackage
from kerncijfers.export import export_marts


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    """Two marts and a staging view (which is not exported): a typed fact and the documents."""
    path = tmp_path / "warehouse" / "kerncijfers.duckdb"
    path.parent.mkdir()
    con = duckdb.connect(str(path))
    con.execute("create schema marts; create schema staging")
    con.execute(
        """
        create table marts.dim_source_documents (
            document_id varchar primary key, reference_month date, vintage integer,
            title varchar, publisher varchar, source_url varchar)
        """
    )
    # In another order than the months': the sources are listed by month and vintage.
    con.execute(
        "insert into marts.dim_source_documents values "
        "('kerncijfers-2023-12-aaaaaaaaaaaa', '2023-12-01', 1, 'Kerncijfers asiel en migratie december 2023', "
        "'Ministerie van Justitie en Veiligheid', 'https://www.rijksoverheid.nl/documenten/december-2023'), "
        "('kerncijfers-2023-01-4f0d79c6a2f3', '2023-01-01', 1, 'Kerncijfers asiel en migratie januari 2023', "
        "'Ministerie van Justitie en Veiligheid', null)"
    )
    con.execute(
        """
        create table marts.fct_grant_rates (
            reference_month date, nationality_code varchar, decisions_count bigint, approved smallint,
            grant_rate_pct decimal(5, 1), share double, is_approximate boolean, loaded_at timestamp,
            waiting interval)
        """
    )
    con.execute(
        "insert into marts.fct_grant_rates values "
        "('2023-01-01', 'SYR', 1200, 1140, 95.0, 0.95, true, '2023-02-14 09:30:00', interval 3 day), "
        "('2023-01-01', 'TUR', 300, null, null, null, false, '2023-02-14 09:30:00', null)"
    )
    con.execute("create view staging.stg_documents as select * from marts.dim_source_documents")
    con.close()
    return path


DOCUMENTED = {
    ("marts", "fct_grant_rates"): (
        "One row per month and nationality:\n    the grant rate of first asylum decisions.  ",
        {
            "reference_month": "The month the figures are about.",
            "grant_rate_pct": "  Granted decisions as a percentage (0-100) of all decisions.\n",
        },
    ),
}


def test_the_descriptor_gives_types_descriptions_keys_sources_and_licence(warehouse: Path) -> None:
    folder = warehouse.parent / "exports" / "release"
    exports = export_marts(warehouse, folder)
    keys = {"fct_grant_rates": ["reference_month", "nationality_code"]}
    path = write_datapackage(warehouse, folder, exports, DOCUMENTED, keys)
    assert path == folder / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))

    assert (package["profile"], package["name"], package["licenses"]) == (
        "tabular-data-package",
        "kerncijfers-asiel-en-migratie",
        [LICENSE],
    )
    assert package["sources"] == [
        {"title": "Kerncijfers asiel en migratie januari 2023, Ministerie van Justitie en Veiligheid"},
        {
            "title": "Kerncijfers asiel en migratie december 2023, Ministerie van Justitie en Veiligheid",
            "path": "https://www.rijksoverheid.nl/documenten/december-2023",
        },
    ]
    assert [resource["name"] for resource in package["resources"]] == [
        "dim_source_documents",
        "fct_grant_rates",
    ]
    documents, grant_rates = package["resources"]
    assert (documents["path"], documents["description"], "primaryKey" in documents["schema"]) == (
        "dim_source_documents.csv",
        "",
        False,
    )
    assert grant_rates["path"] == "fct_grant_rates.csv"
    assert (
        grant_rates["description"]
        == "One row per month and nationality: the grant rate of first asylum decisions."
    )
    assert grant_rates["schema"] == {
        "fields": [
            {"name": "reference_month", "type": "date", "description": "The month the figures are about."},
            {"name": "nationality_code", "type": "string", "description": ""},
            {"name": "decisions_count", "type": "integer", "description": ""},
            {"name": "approved", "type": "integer", "description": ""},
            {
                "name": "grant_rate_pct",
                "type": "number",
                "description": "Granted decisions as a percentage (0-100) of all decisions.",
            },
            {"name": "share", "type": "number", "description": ""},
            {"name": "is_approximate", "type": "boolean", "description": ""},
            {"name": "loaded_at", "type": "datetime", "description": ""},
            {"name": "waiting", "type": "string", "description": ""},  # no Table Schema type: text
        ],
        "missingValues": [""],
        "primaryKey": ["reference_month", "nationality_code"],
    }
    assert path.read_bytes().endswith(b"}\n")


def test_frictionless_reads_every_row_of_the_exports_through_the_descriptor(warehouse: Path) -> None:
    from frictionless import Package, validate

    folder = warehouse.parent / "exports" / "release"
    exports = export_marts(warehouse, folder)
    keys = {
        "fct_grant_rates": ["reference_month", "nationality_code"],
        "dim_source_documents": ["document_id"],
    }
    path = write_datapackage(warehouse, folder, exports, DOCUMENTED, keys)
    report = validate(str(path))
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])
    rows = Package(str(path)).get_resource("fct_grant_rates").read_rows()
    assert [
        (row["reference_month"], row["nationality_code"], row["decisions_count"], row["is_approximate"])
        for row in rows
    ] == [(date(2023, 1, 1), "SYR", 1200, True), (date(2023, 1, 1), "TUR", 300, False)]
    assert rows[1]["grant_rate_pct"] is None  # an empty cell is a missing value


def test_without_a_warehouse_nothing_is_written_and_one_line_says_what_to_do(tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    missing = tmp_path / "kerncijfers.duckdb"
    with pytest.raises(WarehouseError) as refused:
        write_datapackage(missing, folder, [], {}, {})
    assert (
        str(refused.value) == f"{missing}: no warehouse here: run `make build` (or `kerncijfers build`) first"
    )
    assert not folder.exists()
