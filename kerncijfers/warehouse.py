"""Where the warehouse and its builds live, which target a run builds, and opening a DuckDB file.

Beside the published file that readers open (`warehouse/kerncijfers.duckdb`, or
$KERNCIJFERS_WAREHOUSE) a build keeps:

    candidate/<name>      the build in progress (dbt writes only here)
    build/<name>          the full build behind the published file: every layer, for maintainers
    rejected/<stamp>/     a candidate that failed its audit, with findings.txt saying why
    exports/<release>/    the exports of each release; `export` is a link to the current one
    report.html           the report of the release, drawn by the build that published it
    .publish-journal.json present only while a publish is being applied

Every part of `kerncijfers` that opens a DuckDB file does it here, so that a missing file or one
held by another process gives the same one-line error everywhere instead of DuckDB's traceback.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import duckdb

from core.errors import WarehouseError
from core.project import Project

WAREHOUSE_ENV = "KERNCIJFERS_WAREHOUSE"
BUILD_DATABASE_ENV = "KERNCIJFERS_BUILD_DATABASE"
TARGET_ENV = "KERNCIJFERS_TARGET"


@dataclass(frozen=True)
class Warehouse:
    """The published DuckDB file and the folders a build keeps beside it."""

    published: Path

    @classmethod
    def of(cls, project: Project) -> Warehouse:
        return cls(warehouse_path(project))

    @property
    def folder(self) -> Path:
        return self.published.parent

    @property
    def candidate(self) -> Path:
        return self.folder / "candidate" / self.published.name

    @property
    def full_build(self) -> Path:
        return self.folder / "build" / self.published.name

    @property
    def rejected_dir(self) -> Path:
        return self.folder / "rejected"

    @property
    def export_link(self) -> Path:
        return self.folder / "export"

    @property
    def exports_dir(self) -> Path:
        return self.folder / "exports"

    @property
    def report(self) -> Path:
        return self.folder / "report.html"

    @property
    def journal(self) -> Path:
        return self.folder / ".publish-journal.json"

    def refuse_links(self, project_root: Path) -> None:
        """Before a build writes anything: none of the folders and files it writes beside the
        published file (nor dbt's `target/`) may be a symbolic link, which would send its writes
        — and the pruning of old rejected builds and exports — into someone else's folder."""
        from kerncijfers.safe_write import refuse_links

        folder = self.folder
        for path in (
            folder / "candidate",
            folder / "build",
            folder / "rejected",
            folder / "exports",
            folder / "data_docs",
            folder / "logs",
            folder / "logs" / "dbt.log",
            folder / "logs" / "dbt-postgres.log",
            self.journal,
            self.report,
            project_root / "target",
        ):
            refuse_links(path)


def warehouse_path(project: Project) -> Path:
    """The published DuckDB file: $KERNCIJFERS_WAREHOUSE or warehouse/kerncijfers.duckdb."""
    configured = os.environ.get(WAREHOUSE_ENV)
    return Path(configured).resolve() if configured else project.root / "warehouse" / "kerncijfers.duckdb"


# The targets of profiles/profiles.yml that `kerncijfers build` writes with; `published` only reads.
BUILD_TARGETS = ("duckdb", "postgres")


def build_target(target: str | None) -> str:
    """The target a build writes (--target, else KERNCIJFERS_TARGET, else duckdb), or a
    WarehouseError naming what was given: an unknown target, or the read-only `published`."""
    chosen = target or os.environ.get(TARGET_ENV) or "duckdb"
    given = "--target" if target else TARGET_ENV
    if chosen == "published":
        raise WarehouseError(
            given,
            "the target `published` opens the published warehouse read-only (for mf and readers); "
            "a build writes with `duckdb` (the default) or `postgres`",
        )
    if chosen not in BUILD_TARGETS:
        raise WarehouseError(
            given,
            f"no target {chosen!r} to build with: `kerncijfers build` writes with "
            + " or ".join(f"`{name}`" for name in BUILD_TARGETS),
        )
    return chosen


def connect(path: Path, *, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """Open a DuckDB file; refuse clearly when it is missing, held by another process or damaged."""
    if read_only and not path.exists():
        raise WarehouseError(path, "no warehouse here: run `make build` (or `kerncijfers build`) first")
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as exc:
        raise unreadable(path, exc) from None


def unreadable(path: Path, exc: Exception) -> WarehouseError:
    """What to tell a user whom DuckDB refused a file: held by another process, or damaged."""
    said = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if "lock" in said.lower():
        return WarehouseError(
            path,
            f"the file is open for writing in another process; close it there and run again. DuckDB says: {said}",
        )
    return WarehouseError(
        path,
        "the file is damaged or not a DuckDB database (truncated, or overwritten); run "
        f"`kerncijfers build --full` to build it afresh. DuckDB says: {said}",
    )


def readable(path: Path) -> bool:
    """Whether DuckDB opens the file and reads its catalogue (a quick probe of a build kept for
    the next one: a damaged one is rebuilt rather than copied)."""
    try:
        con = duckdb.connect(str(path), read_only=True)
        try:
            con.execute("select count(*) from duckdb_tables()").fetchone()
        finally:
            con.close()
    except duckdb.Error:
        return False
    return True
