"""The next release written beside the published one, where nobody sees it: the lean copy of the
candidate (`kerncijfers.duckdb.new`: the schemas readers use, in a format DuckDB 1.x reads) and the
exports of its marts into a release folder of their own (`exports/<release>/`, with the
`datapackage.json` that describes them). A build does this while its audit runs (`prepare`) and
drops it when the audit fails (`discard`); `publish.py` adds the descriptions and swaps it in.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

from core.journal import pending
from kerncijfers.datapackage import write_datapackage
from kerncijfers.export import Export, export_marts
from kerncijfers.pipeline.state import PUBLISHED_SCHEMAS, Descriptions, descriptions, new_stamp, primary_keys
from kerncijfers.warehouse import Warehouse, connect, unreadable

# The storage format of the published file, chosen for its readers. DuckDB 2.0 writes its newest
# format by default (storage version 69), which no DuckDB 1.x opens ("can only read versions
# between 64 and 68"), and 1.x is what readers have: the duckdb CLI on PyPI, Metabase's and
# DBeaver's drivers and R's duckdb bundle it. 'v1.0.0' (storage version 64) is the oldest format
# DuckDB 2.0 writes (older names give the same), and the marts need nothing newer: plain types
# (varchar, integer, bigint, double, boolean, date, timestamp), table and column comments, and
# primary and foreign keys. Checked with DuckDB 1.1.0, 1.1.3, 1.2.2 and 1.5.6: each reads every
# mart with its keys and comments; 1.0 and 0.10 cannot read the keys' indexes as DuckDB 2.0 writes
# them (a serialization error), whatever the format asked for. The newer formats add compression
# that did not make this file smaller. tests/kerncijfers/test_readers_file.py reads it with 1.5.
PUBLISHED_STORAGE_VERSION = "v1.0.0"


@dataclass(frozen=True)
class Prepared:
    """A release written beside the published one, not yet visible to anyone."""

    lean: Path
    exports: list[Export]
    export_folder: Path


def prepare(warehouse: Warehouse, candidate: Path, manifest: Path, stamp: str | None = None) -> Prepared:
    """Write the next release (named `stamp`, default now) beside the published one: the lean file
    and the exports. Readers see none of it; a build may prepare while its audit is still
    running, and drop it if that fails."""
    lean = pending(warehouse.published)
    write_lean_copy(candidate, lean, set(descriptions(manifest)))
    export_folder = warehouse.exports_dir / (stamp or new_stamp())
    exports = export_marts(lean, export_folder)
    write_datapackage(lean, export_folder, exports, descriptions(manifest), primary_keys(manifest))
    return Prepared(lean, exports, export_folder)


def discard(prepared: Prepared) -> None:
    """Drop a prepared release (its build failed its audit)."""
    prepared.lean.unlink(missing_ok=True)
    shutil.rmtree(prepared.export_folder, ignore_errors=True)


def complete_candidate(candidate: Path) -> None:
    """Write into the candidate the log DuckDB left beside it. DuckDB writes its log into the file
    when it closes it; where it could not (no space left), the log stays beside it: writing it in
    now says why, or completes the file. Before anything else in this process opens the candidate:
    DuckDB refuses a connection for writing to a file the process holds read-only, and the reverse."""
    if candidate.with_name(candidate.name + ".wal").exists():
        con = duckdb.connect(str(candidate))
        try:
            con.execute("checkpoint")
        finally:
            con.close()


def write_lean_copy(candidate: Path, target: Path, models: set[tuple[str, str]]) -> None:
    """The candidate with only what readers use, in the format DuckDB 1.x reads
    (`PUBLISHED_STORAGE_VERSION`): the tables (and views) of the published schemas that are models
    of the project (a candidate copied from the last full build may still hold a model since
    removed). Each table is created anew from the candidate's own statement, keys included, and
    filled from it: a copy of the file would keep DuckDB 2.0's format."""
    for leftover in (target, target.with_name(target.name + ".wal")):
        leftover.unlink(missing_ok=True)
    complete_candidate(candidate)
    con = duckdb.connect(str(target), config={"storage_compatibility_version": PUBLISHED_STORAGE_VERSION})
    try:
        try:
            con.execute(f"attach {_quote(str(candidate))} as __candidate (read_only)")
        except duckdb.Error as exc:
            raise unreadable(candidate, exc) from None
        published = ", ".join(_quote(schema) for schema in PUBLISHED_SCHEMAS)
        tables = {
            (schema, name): sql
            for schema, name, sql in con.execute(
                "select schema_name, table_name, sql from duckdb_tables() "
                f"where database_name = '__candidate' and schema_name in ({published})"
            ).fetchall()
            if (schema, name) in models
        }
        references: dict[tuple[str, str], set[str]] = {}
        for schema, name, referenced in con.execute(
            "select schema_name, table_name, referenced_table from duckdb_constraints() "
            "where database_name = '__candidate' and constraint_type = 'FOREIGN KEY'"
        ).fetchall():
            references.setdefault((schema, name), set()).add(referenced)
        views = con.execute(
            "select schema_name, view_name, sql from duckdb_views() "
            f"where database_name = '__candidate' and schema_name in ({published}) and not internal"
        ).fetchall()
        con.execute("begin")
        for schema in PUBLISHED_SCHEMAS:
            con.execute(f'create schema "{schema}"')
        # The candidate's statements name their schema, not their database: they create the
        # tables here, in the target. A table is filled after those its foreign keys reference.
        for (schema, name), sql in _referenced_first(tables, references):
            con.execute(sql)
            con.execute(f'insert into "{schema}"."{name}" select * from __candidate."{schema}"."{name}"')
        for schema, name, sql in views:
            if (schema, name) in models:
                con.execute(sql)
        con.execute("commit")
        con.execute("checkpoint")
    finally:
        con.close()


def _referenced_first(
    tables: dict[tuple[str, str], str], references: dict[tuple[str, str], set[str]]
) -> list[tuple[tuple[str, str], str]]:
    """The tables in an order that puts every table after the tables its foreign keys reference."""
    ordered: list[tuple[tuple[str, str], str]] = []
    waiting = dict(sorted(tables.items()))
    while waiting:
        names = {name for _, name in waiting}
        ready = [key for key in waiting if not (references.get(key, set()) - {key[1]}) & names]
        for key in ready or list(waiting):  # a cycle no order settles: DuckDB refuses it by name
            ordered.append((key, waiting.pop(key)))
    return ordered


def write_descriptions(target: Path, documented: Descriptions) -> None:
    """Every table's and column's description as its comment, then the file made durable. The
    file keeps the format it was written in (`write_lean_copy`)."""
    con = connect(target, read_only=False)
    try:
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() where database_name = current_database()"
        ).fetchall()
        columns_present: dict[tuple[str, str], set[str]] = {}
        for schema, table, column in con.execute(
            "select schema_name, table_name, column_name from duckdb_columns() "
            "where database_name = current_database()"
        ).fetchall():
            columns_present.setdefault((schema, table), set()).add(column)
        # One transaction: a commit per comment cost more than the comments.
        con.execute("begin")
        for schema, table in tables:
            description, columns = documented.get((schema, table), ("", {}))
            if description.strip():
                con.execute(f'comment on table "{schema}"."{table}" is {_quote(description.strip())}')
            present = columns_present.get((schema, table), set())
            for column, text in columns.items():
                if text.strip() and column in present:
                    con.execute(
                        f'comment on column "{schema}"."{table}"."{column}" is {_quote(text.strip())}'
                    )
        con.execute("commit")
        con.execute("checkpoint")
    finally:
        con.close()
    _fsync(target)


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
