"""Every mart of the DuckDB warehouse as Parquet and CSV files, for spreadsheets and BI tools that
read files rather than a database."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb

from kerncijfers.safe_write import refuse_links, writing
from kerncijfers.warehouse import connect

MARTS_SCHEMA = "marts"
FORMATS = {"parquet": "(format parquet)", "csv": "(format csv, header true)"}

# A CSV cell starting with one of these is run as a formula by spreadsheets ("=HYPERLINK(...)").
# In the CSV exports such a text cell gets a leading apostrophe, as spreadsheet-safe CSV writers
# do (OWASP, "CSV Injection"): the spreadsheet shows the text, and runs nothing. Parquet keeps
# every value as it is.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Export:
    """One mart written to files: its name, its row count and the files."""

    mart: str
    rows: int
    files: tuple[Path, ...]


def export_marts(warehouse: Path, folder: Path) -> list[Export]:
    """Write each table of schema marts to <folder>/<mart>.parquet and <mart>.csv.

    A build writes them into a release folder nobody reads until it is published; still, each
    file is written under a temporary name and then renamed, so that whoever looks never sees
    half a file. The marts are written two at a time: DuckDB works outside Python's lock.

    Nothing is written through a symbolic link: a link at a file, at `folder` or at a folder
    between the warehouse's folder and it (`exports/`) is refused before anything is written.
    """
    inside = warehouse.parent
    refuse_links(folder, inside)
    folder.mkdir(parents=True, exist_ok=True)
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
        with ThreadPoolExecutor(max_workers=2) as pool:
            for mart in marts:
                for extension in FORMATS:
                    refuse_links(folder / f"{mart}.{extension}", inside)
            return list(pool.map(lambda mart: _export(con.cursor(), mart, folder, inside), marts))
    finally:
        con.close()


def _export(cursor: duckdb.DuckDBPyConnection, mart: str, folder: Path, inside: Path) -> Export:
    relation = f'{MARTS_SCHEMA}."{mart}"'
    files = []
    try:
        for extension, options in FORMATS.items():
            path = folder / f"{mart}.{extension}"
            with writing(path, inside) as partial:
                literal = str(partial).replace("'", "''")
                columns = _spreadsheet_safe(cursor, mart) if extension == "csv" else "*"
                # Sorted by every column, so that the same warehouse gives the same files.
                cursor.execute(
                    f"copy (select {columns} from {relation} order by all) to '{literal}' {options}"
                )
            files.append(path)
        count = cursor.execute(f"select count(*) from {relation}").fetchone()
    finally:
        cursor.close()
    return Export(mart, count[0] if count else 0, tuple(files))


def _spreadsheet_safe(cursor: duckdb.DuckDBPyConnection, mart: str) -> str:
    """The mart's columns, each text column with a leading apostrophe where its value would
    start a spreadsheet formula."""
    rows = cursor.execute(
        "select column_name, data_type from duckdb_columns() where schema_name = ? and table_name = ? "
        "and database_name = current_database() order by column_index",
        [MARTS_SCHEMA, mart],
    ).fetchall()
    starts = ", ".join(f"chr({ord(char)})" for char in FORMULA_STARTS)
    expressions = []
    for name, data_type in rows:
        column = '"' + name.replace('"', '""') + '"'
        if data_type == "VARCHAR":
            expressions.append(
                f"case when left({column}, 1) in ({starts}) then chr(39) || {column} else {column} end as {column}"
            )
        else:
            expressions.append(column)
    return ", ".join(expressions)
