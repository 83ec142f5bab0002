"""The exports as an open-data package: `datapackage.json` (Frictionless Data, Data Package v1)
beside the CSV and Parquet files of each release.

One tabular resource per mart, its CSV file: the columns with their types (from the published
DuckDB file) and descriptions (from the dbt docs, the same text as the column comments), the
mart's primary key where its documentation declares one, the publications the figures come from
as sources, and the licence. Anyone can then load or validate the exports without this project
(`frictionless validate datapackage.json`).
"""

from __future__ import annotations

import json
from pathlib import Path

from kerncijfers.export import MARTS_SCHEMA, Export
from kerncijfers.safe_write import refuse_links, write_file
from kerncijfers.warehouse import connect

# The publications are in the public domain: the Rijksoverheid puts the content of its sites and
# publications under CC0 1.0 (https://www.rijksoverheid.nl/copyright, since April 2010), and the
# Dutch Copyright Act (art. 15b) allows reuse of what the government publishes. The figures here
# are derived from them and carry the same licence.
LICENSE = {
    "name": "CC0-1.0",
    "title": "Creative Commons Zero v1.0 Universal",
    "path": "https://creativecommons.org/publicdomain/zero/1.0/",
}

# DuckDB's types as Table Schema types.
_TYPES = {
    "BIGINT": "integer",
    "INTEGER": "integer",
    "SMALLINT": "integer",
    "HUGEINT": "integer",
    "DOUBLE": "number",
    "FLOAT": "number",
    "VARCHAR": "string",
    "DATE": "date",
    "BOOLEAN": "boolean",
    "TIMESTAMP": "datetime",
    "TIMESTAMP WITH TIME ZONE": "datetime",
}

Descriptions = dict[tuple[str, str], tuple[str, dict[str, str]]]


def _type(duckdb_type: str) -> str:
    if duckdb_type.startswith("DECIMAL"):
        return "number"
    return _TYPES.get(duckdb_type, "string")


def write_datapackage(
    warehouse: Path, folder: Path, exports: list[Export], documented: Descriptions, keys: dict[str, list[str]]
) -> Path:
    """Describe the exports in `folder` as `folder/datapackage.json`; returns its path. A symbolic
    link at it, or at a folder between the warehouse's folder and it, is refused (nothing is
    written through a link)."""
    path = folder / "datapackage.json"
    refuse_links(path, warehouse.parent)
    con = connect(warehouse)
    try:
        columns: dict[str, list[tuple[str, str]]] = {}
        for table, column, data_type in con.execute(
            "select table_name, column_name, data_type from duckdb_columns() "
            "where schema_name = ? and database_name = current_database() order by table_name, column_index",
            [MARTS_SCHEMA],
        ).fetchall():
            columns.setdefault(table, []).append((column, data_type))
        sources = con.execute(
            f"select title, publisher, source_url from {MARTS_SCHEMA}.dim_source_documents "
            "order by reference_month, vintage"
        ).fetchall()
    finally:
        con.close()

    resources = []
    for export in sorted(exports, key=lambda e: e.mart):
        description, column_docs = documented.get((MARTS_SCHEMA, export.mart), ("", {}))
        csv_file = next(path for path in export.files if path.suffix == ".csv")
        schema: dict[str, object] = {
            "fields": [
                {
                    "name": name,
                    "type": _type(data_type),
                    "description": column_docs.get(name, "").strip(),
                }
                for name, data_type in columns.get(export.mart, [])
            ],
            "missingValues": [""],
        }
        if keys.get(export.mart):
            schema["primaryKey"] = keys[export.mart]
        resources.append(
            {
                "name": export.mart,
                "path": csv_file.name,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "title": export.mart,
                "description": " ".join(description.split()),
                "dialect": {"delimiter": ",", "header": True},
                "schema": schema,
            }
        )
    package = {
        "profile": "tabular-data-package",
        "name": "kerncijfers-asiel-en-migratie",
        "title": "Kerncijfers asiel en migratie: the key figures as a warehouse",
        "description": (
            "The figures of the monthly Kerncijfers asiel en migratie of the Dutch Ministry of Justice "
            "and Security, one table per mart of the warehouse. Text cells that would start a "
            "spreadsheet formula (=, +, -, @) begin with an apostrophe in the CSV files; the Parquet "
            "files beside them hold every value as it is."
        ),
        "licenses": [LICENSE],
        "sources": [
            {"title": f"{title}, {publisher}", **({"path": url} if url else {})}
            for title, publisher, url in sources
        ],
        "resources": resources,
    }
    return write_file(
        path, (json.dumps(package, indent=2, ensure_ascii=False) + "\n").encode("utf-8"), warehouse.parent
    )
