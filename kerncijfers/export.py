"""Every mart of the DuckDB warehouse as Parquet and CSV files, for spreadsheets and BI tools that
read files rather than a database."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from kerncijfers.warehouse import connect

MARTS_SCHEMA = "marts"
FORMATS = {"parquet": "(format parquet)", "csv": "(format csv, header true)"}


@dataclass(frozen=True)
class Export:
    """One mart written to files: its name, its row count and the files."""

    mart: str
    rows: int
    files: tuple[Path, ...]


def export_folder(warehouse: Path) -> Path:
    """Exports live beside the warehouse they come from: warehouse/export/ by default."""
    return warehouse.parent / "export"


def export_marts(warehouse: Path, folder: Path | None = None) -> list[Export]:
    """Write each table of schema marts to <folder>/<mart>.parquet and <mart>.csv.

    Each file is written under a temporary name and then renamed, so a reader (or a BI tool
    polling the folder) never sees half a file.
    """
    folder = folder or export_folder(warehouse)
    folder.mkdir(parents=True, exist_ok=True)
    exports = []
    con = connect(warehouse)
    try:
        marts = [
            row[0]
            for row in con.execute(
                "select table_name from duckdb_tables() "
                "where schema_name = ? and database_name = current_database() order by table_name",
                [MARTS_SCHEMA],
            ).fetchall()
        ]
        for mart in marts:
            relation = f'{MARTS_SCHEMA}."{mart}"'
            files = []
            for extension, options in FORMATS.items():
                path = folder / f"{mart}.{extension}"
                partial = path.with_name(f".{path.name}.partial")
                literal = str(partial).replace("'", "''")
                # Sorted by every column, so that the same warehouse gives the same files.
                con.execute(f"copy (select * from {relation} order by all) to '{literal}' {options}")
                os.replace(partial, path)
                files.append(path)
            count = con.execute(f"select count(*) from {relation}").fetchone()
            exports.append(Export(mart, count[0] if count else 0, tuple(files)))
    finally:
        con.close()
    return exports
