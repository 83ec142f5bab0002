"""What is published, and what the next build starts from.

- a release is named by the time it was written (`new_stamp`, `release_time`): its export folder
  and a rejected build's folder carry that name;
- the fingerprint of everything but the raw seeds (`fingerprint`): when only the raw seeds changed
  since the release, a build starts from a copy of the full build behind it (`fresh_candidate`)
  and rebuilds only what they feed (`state_selection`);
- dbt's manifest of that build (`state_manifest`), read for the models a build rebuilds and the
  published models' descriptions and keys.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from core.errors import WarehouseError
from kerncijfers.warehouse import Warehouse, connect, readable

# The schemas of the published file: what BI tools and the semantic layer read.
PUBLISHED_SCHEMAS = ("marts", "semantic")


# The name of a release's export folder (`new_stamp`).
RELEASE_FOLDER = re.compile(r"\d{8}T\d{12}Z")


def new_stamp() -> str:
    """The name of a release written now (its export folder's name)."""
    return datetime.now(UTC).strftime(_STAMP_FORMAT)


_STAMP_FORMAT = "%Y%m%dT%H%M%S%fZ"


def release_time(stamp: str) -> datetime | None:
    """When the release named `stamp` (its export folder's name) was written; None for a folder
    not named by a build."""
    if not RELEASE_FOLDER.fullmatch(stamp):
        return None
    return datetime.strptime(stamp, _STAMP_FORMAT).replace(tzinfo=UTC)


# Rebuilding only what changed.
#
# A month added changes the raw seeds and everything downstream of them, but not the reference
# data, its staging and tests, the dimensions or the calendar: a third of the nodes. So when
# nothing but the raw seeds has changed since the release — the same dbt and DuckDB, the same
# models, macros, tests, reference and reviewed seeds, project and profile files: their
# fingerprint — a build starts from a copy of the full build behind the release and rebuilds
# only what is downstream of the raw seeds. Any other change rebuilds everything.
#
# Not dbt's `state:modified+`: dbt compares a seed's content only up to 1 MiB, a larger one by its
# path alone ("assuming they are the same"), and raw_published_figures.csv passes 1 MiB at about
# 100 publications, after which a new month's figures would silently not be loaded. Nor does dbt's
# state see a new dbt, dbt-duckdb or DuckDB.
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


def with_size(fingerprint: str, full_build: Path) -> str:
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
    if previous != with_size(current, warehouse.full_build) or not readable(warehouse.full_build):
        print(f"note     {warehouse.full_build} is damaged: rebuilding every node", flush=True)
        return None
    return ["--select", *ALWAYS_REBUILT]


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
