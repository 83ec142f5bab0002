"""Publishing a candidate that passed its audit, and keeping one that did not.

What readers see changes only as a whole, and only to a build that passed:

1. the published file is written beside the old one (`kerncijfers.duckdb.new`): a lean copy of the
   candidate with the schemas readers use (`marts`, and `semantic` for the semantic layer) — not
   the raw, staging, intermediate and audit layers, which stay in the full build for maintainers;
2. the exports are written from it into a release folder of their own (`exports/<release>/`),
   described for open-data tools by a `datapackage.json` (`kerncijfers/datapackage.py`);
   a build does these two while its audit runs (`prepare`), and drops them if it fails
   (`discard`); then the tables' and columns' descriptions from dbt's manifest are added and a
   link `export.new` to the exports is made;
3. the candidate is moved to `build/<name>.new` (the full build behind the release), and the
   report drawn from the lean file (by the build, while its audit ran) is written as
   `report.html.new`;
4. one journal commit renames them all into place. A reader holding the old file keeps reading
   it undisturbed; new connections open the new one. A run killed before the commit leaves the old
   release, one killed after it is completed by the next run (`recover`).
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from core.errors import WarehouseError
from core.journal import Journal, pause_point, pending, write_durably
from kerncijfers.datapackage import write_datapackage
from kerncijfers.export import Export, export_marts
from kerncijfers.warehouse import Warehouse, connect, readable, unreadable

# The schemas of the published file: what BI tools and the semantic layer read.
PUBLISHED_SCHEMAS = ("marts", "semantic")
KEEP_REJECTED = 5


@dataclass(frozen=True)
class Release:
    """What a publish wrote."""

    published: Path
    exports: list[Export]
    export_folder: Path
    full_build: Path


def journal(warehouse: Warehouse) -> Journal:
    return Journal(warehouse.folder, warehouse.journal)


def recover(warehouse: Warehouse) -> None:
    """Complete a publish that was committed but interrupted; drop one that never committed."""
    if not warehouse.folder.is_dir():
        return
    journal(warehouse).recover([warehouse.folder, warehouse.full_build.parent])
    for stray in warehouse.folder.glob("*.new.wal"):
        stray.unlink()


def fresh_candidate(warehouse: Warehouse, *, from_full_build: bool = False) -> Path:
    """The candidate's folder, emptied (whatever a killed build left there is dropped); with
    `from_full_build` the candidate starts as a copy of the full build behind the release, less
    the tables the build rebuilds anyway that hold foreign keys (`drop_rebuilt_dependents`)."""
    shutil.rmtree(warehouse.candidate.parent, ignore_errors=True)
    warehouse.candidate.parent.mkdir(parents=True)
    if from_full_build:
        try:
            shutil.copyfile(warehouse.full_build, warehouse.candidate)
        except OSError as exc:  # the copy failing names the file copied from: name the one written
            raise OSError(exc.errno, exc.strerror, str(warehouse.candidate)) from None
        drop_rebuilt_dependents(warehouse.candidate, state_manifest(warehouse))
    return warehouse.candidate


# DuckDB's words for a write the file system refused for want of space ('IO Error: Could not
# write file "…": No space left on device').
_NO_SPACE = ("No space left on device", "Disk quota exceeded")
_QUOTED_PATH = re.compile(r'"(/[^"]+)"')


def no_space(exc: BaseException, default: Path) -> OSError | None:
    """A full disk as the OSError that names the file (cli.py says it in one line), whether the
    file system said it (ENOSPC, EDQUOT) or DuckDB did; None for any other failure."""
    if isinstance(exc, OSError):
        return exc if exc.errno in (errno.ENOSPC, errno.EDQUOT) else None
    said = str(exc)
    if not any(words in said for words in _NO_SPACE):
        return None
    named = _QUOTED_PATH.search(said)
    quota = _NO_SPACE[1] in said
    return OSError(
        errno.EDQUOT if quota else errno.ENOSPC,
        os.strerror(errno.EDQUOT if quota else errno.ENOSPC),
        named.group(1) if named else str(default),
    )


def clean_up(warehouse: Warehouse) -> None:
    """After a build the disk ran out under: remove what it wrote that nobody reads — the
    candidate, the next release's files (`*.new`) and its exports — so the space is free again.
    The published release (and the one before it, which readers may still hold) is untouched."""
    shutil.rmtree(warehouse.candidate.parent, ignore_errors=True)
    recover(warehouse)
    current = _current_exports(warehouse)
    exports = warehouse.exports_dir
    if exports.is_dir() and not exports.is_symlink():  # a linked folder is not ours to clear
        for folder in exports.iterdir():
            ours = _RELEASE_FOLDER.fullmatch(folder.name) and folder.is_dir() and not folder.is_symlink()
            if ours and (current is None or folder.name > current.name):
                shutil.rmtree(folder, ignore_errors=True)


def rebuilt_models(manifest: Path) -> set[tuple[str, str]]:
    """(schema, table) of every model downstream of a raw seed, by the manifest of the release's
    build (the same models: the fingerprint matched); empty when it cannot be read."""
    try:
        loaded = json.loads(manifest.read_text(encoding="utf-8"))
        nodes, children = loaded["nodes"], loaded["child_map"]
    except (OSError, ValueError, KeyError):
        return set()
    waiting = [
        unique_id
        for unique_id, node in nodes.items()
        if node.get("resource_type") == "seed" and node.get("original_file_path", "").startswith("seeds/raw/")
    ]
    seen: set[str] = set()
    while waiting:
        for child in children.get(waiting.pop(), []):
            if child not in seen:
                seen.add(child)
                waiting.append(child)
    return {
        (nodes[unique_id]["schema"], nodes[unique_id]["alias"])
        for unique_id in seen
        if nodes.get(unique_id, {}).get("resource_type") == "model"
    }


def drop_rebuilt_dependents(candidate: Path, manifest: Path) -> None:
    """Drop from a candidate copied from the full build the tables with foreign keys that the
    build rebuilds (the facts, which reference `dim_source_documents`).

    DuckDB cannot replace a table that a foreign key references, so dbt-duckdb copies every such
    fact aside and back while it rebuilds the dimension (a second at 1,200 publications, before
    any fact can start), only for the facts to be rebuilt right after. Tables the build does not
    rebuild are kept."""
    rebuilt = rebuilt_models(manifest)
    if not rebuilt:
        return
    con = connect(candidate, read_only=False)
    try:
        holders = con.execute(
            "select distinct schema_name, table_name from duckdb_constraints() "
            "where database_name = current_database() and constraint_type = 'FOREIGN KEY'"
        ).fetchall()
        for schema, table in holders:
            if (schema, table) in rebuilt:
                try:
                    con.execute(f'drop table "{schema}"."{table}"')
                except duckdb.Error:
                    pass  # referenced by another table's key itself: dbt-duckdb handles it as before
        con.execute("checkpoint")
    finally:
        con.close()


# Rebuilding only what changed.
#
# A month added changes the raw seeds and everything downstream of them, but not the reference
# data, its staging and tests, the dimensions or the calendar: a third of the nodes. So when
# nothing but the raw seeds has changed since the release — the same dbt and DuckDB, the same
# models, macros, tests, reference and reviewed seeds, project and profile files: their
# fingerprint — a build starts from a copy of the full build behind the release and rebuilds
# only what is downstream of the raw seeds. Any other change rebuilds everything.
FINGERPRINT = "fingerprint.txt"
ALWAYS_REBUILT = ("path:seeds/raw+",)  # every raw seed (publications, CBS fetches) and what it feeds
FINGERPRINTED = ("models", "macros", "tests/dbt", "seeds/reference", "seeds/reviewed")


def fingerprint(project_root: Path) -> str:
    import hashlib
    from importlib.metadata import version

    digest = hashlib.sha256()
    for name in ("dbt-core", "dbt-duckdb", "duckdb"):
        digest.update(f"{name}=={version(name)}\n".encode())
    files = [project_root / "dbt_project.yml", project_root / "profiles" / "profiles.yml"]
    for folder in FINGERPRINTED:
        files += sorted(path for path in (project_root / folder).rglob("*") if path.is_file())
    for path in files:
        if path.is_file():
            digest.update(str(path.relative_to(project_root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _with_size(fingerprint: str, full_build: Path) -> str:
    """The fingerprint with the size the full build had when it was published: one truncated (or
    otherwise rewritten) since is not copied into the next candidate but rebuilt."""
    return f"{fingerprint}\nfull build: {full_build.stat().st_size} bytes\n"


def state_manifest(warehouse: Warehouse) -> Path:
    """dbt's manifest of the full build behind the release."""
    return warehouse.full_build.parent / "manifest.json"


def state_selection(warehouse: Warehouse, current: str) -> list[str] | None:
    """dbt arguments that rebuild only what the raw seeds feed, or None: rebuild it all."""
    try:
        previous = (warehouse.full_build.parent / FINGERPRINT).read_text(encoding="utf-8")
    except OSError:
        return None
    if not (warehouse.full_build.is_file() and state_manifest(warehouse).is_file()):
        return None
    if not previous.startswith(current + "\n"):
        return None  # another project state: everything is rebuilt
    if previous != _with_size(current, warehouse.full_build) or not readable(warehouse.full_build):
        print(f"note     {warehouse.full_build} is damaged: rebuilding every node", flush=True)
        return None
    return ["--select", *ALWAYS_REBUILT]


# The name of a release's export folder (`new_stamp`).
_RELEASE_FOLDER = re.compile(r"\d{8}T\d{12}Z")


def new_stamp() -> str:
    """The name of a release written now (its export folder's name)."""
    return datetime.now(UTC).strftime(_STAMP_FORMAT)


_STAMP_FORMAT = "%Y%m%dT%H%M%S%fZ"


def release_time(stamp: str) -> datetime | None:
    """When the release named `stamp` (its export folder's name) was written; None for a folder
    not named by a build."""
    if not _RELEASE_FOLDER.fullmatch(stamp):
        return None
    return datetime.strptime(stamp, _STAMP_FORMAT).replace(tzinfo=UTC)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


Descriptions = dict[tuple[str, str], tuple[str, dict[str, str]]]


def descriptions(manifest: Path) -> Descriptions:
    """Each published model's description and its columns', from dbt's manifest, by (schema, name).

    On DuckDB they are written here rather than by dbt (macros/persist_docs.sql): BI tools show
    them beside the data (`select comment from duckdb_columns()`)."""
    try:
        nodes = json.loads(manifest.read_text(encoding="utf-8"))["nodes"]
    except (OSError, ValueError, KeyError) as exc:
        raise WarehouseError(
            manifest, f"dbt's manifest cannot be read ({exc}); run the build again"
        ) from None
    found: Descriptions = {}
    for node in nodes.values():
        if node.get("resource_type") == "model" and node.get("schema") in PUBLISHED_SCHEMAS:
            columns = {
                name: column.get("description", "") for name, column in node.get("columns", {}).items()
            }
            found[(node["schema"], node["alias"])] = (node.get("description", ""), columns)
    return found


def primary_keys(manifest: Path) -> dict[str, list[str]]:
    """Each mart's key, as its contract declares it (the `primary_key` constraint), by name."""
    try:
        nodes = json.loads(manifest.read_text(encoding="utf-8"))["nodes"]
    except (OSError, ValueError, KeyError):
        return {}
    keys = {}
    for node in nodes.values():
        if node.get("resource_type") == "model" and node.get("schema") == "marts":
            for constraint in node.get("constraints") or []:
                if constraint.get("type") == "primary_key":
                    keys[node["alias"]] = list(constraint.get("columns") or [])
    return keys


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


def publish(
    warehouse: Warehouse,
    candidate: Path,
    manifest: Path,
    fingerprint: str,
    prepared: Prepared | None = None,
    *,
    report: bytes,
) -> Release:
    """Make a candidate that passed its audit the published release (see the module's docstring),
    with `report`, the page drawn from it, as `report.html`."""
    prepared = prepared or prepare(warehouse, candidate, manifest)
    write_descriptions(prepared.lean, descriptions(manifest))
    write_durably(pending(warehouse.report), report)
    pause_point("lean-written")

    link = pending(warehouse.export_link)
    if os.path.lexists(link):
        link.unlink()
    os.symlink(os.path.relpath(prepared.export_folder, link.parent), link)
    previous_exports = _current_exports(warehouse)
    _adopt_export_folder(warehouse)

    full = pending(warehouse.full_build)
    full.parent.mkdir(parents=True, exist_ok=True)
    os.replace(candidate, full)
    # What the next build compares itself with to rebuild only what changed (see `state`).
    state = warehouse.full_build.parent
    pending(state_manifest(warehouse)).write_bytes(manifest.read_bytes())
    pending(state / FINGERPRINT).write_text(_with_size(fingerprint, full), encoding="utf-8")
    pause_point("exports-written")

    journal(warehouse).commit_prepared(
        [
            warehouse.published,
            warehouse.export_link,
            warehouse.full_build,
            state_manifest(warehouse),
            state / FINGERPRINT,
            warehouse.report,
        ]
    )
    _prune_exports(warehouse, keep={prepared.export_folder, previous_exports})
    shutil.rmtree(candidate.parent, ignore_errors=True)
    return Release(warehouse.published, prepared.exports, prepared.export_folder, warehouse.full_build)


def _current_exports(warehouse: Warehouse) -> Path | None:
    link = warehouse.export_link
    return link.resolve() if link.is_symlink() else None


def _adopt_export_folder(warehouse: Warehouse) -> None:
    """Before releases, `export/` was a folder written in place; keep it as a release of its own,
    so that the link can replace it."""
    link = warehouse.export_link
    if link.is_dir() and not link.is_symlink():
        warehouse.exports_dir.mkdir(parents=True, exist_ok=True)
        os.replace(link, warehouse.exports_dir / f"{new_stamp()}-before-releases")


def _prune_exports(warehouse: Warehouse, keep: set[Path | None]) -> None:
    """Drop the export folders of releases before the previous one (and of killed publishes)."""
    kept = {path.resolve() for path in keep if path is not None}
    for folder in warehouse.exports_dir.iterdir():
        if folder.resolve() not in kept:
            shutil.rmtree(folder, ignore_errors=True)


def reject(warehouse: Warehouse, candidate: Path | None, why: str) -> Path:
    """Keep a failed candidate under rejected/<stamp>/ with findings.txt; returns that folder."""
    folder = warehouse.rejected_dir / new_stamp()
    folder.mkdir(parents=True)
    if candidate is not None and candidate.exists():
        os.replace(candidate, folder / candidate.name)
    (folder / "findings.txt").write_text(why.rstrip() + "\n", encoding="utf-8")
    shutil.rmtree(warehouse.candidate.parent, ignore_errors=True)
    # Only the folders a build made (named by their time) are pruned, never anything else there.
    made = [
        old
        for old in warehouse.rejected_dir.iterdir()
        if _RELEASE_FOLDER.fullmatch(old.name) and old.is_dir() and not old.is_symlink()
    ]
    for old in sorted(made)[:-KEEP_REJECTED]:
        shutil.rmtree(old, ignore_errors=True)
    return folder
