"""Where the DuckDB warehouse is, which target a run builds, and opening the file.

Every part of `kerncijfers` that reads or writes the warehouse (build, check, export, report)
opens it here, so a file held by another process (a BI tool, a notebook) gives the same one-line
error everywhere instead of DuckDB's lock traceback.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from ingest.project import Project
from kerncijfers.errors import WarehouseError

WAREHOUSE_ENV = "KERNCIJFERS_WAREHOUSE"
TARGET_ENV = "KERNCIJFERS_TARGET"


def warehouse_path(project: Project) -> Path:
    """The DuckDB file of the default target: $KERNCIJFERS_WAREHOUSE or warehouse/ in the project."""
    configured = os.environ.get(WAREHOUSE_ENV)
    return Path(configured).resolve() if configured else project.root / "warehouse" / "kerncijfers.duckdb"


def builds_duckdb(target: str | None) -> bool:
    """Whether a run with this --target (or the profile's default) builds the DuckDB file."""
    return (target or os.environ.get(TARGET_ENV, "duckdb")) == "duckdb"


def connect(warehouse: Path, *, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """Open the warehouse; refuse clearly when it is missing or held by another process."""
    if read_only and not warehouse.exists():
        raise WarehouseError(warehouse, "no warehouse here: run `make build` (or `kerncijfers build`) first")
    try:
        return duckdb.connect(str(warehouse), read_only=read_only)
    except duckdb.IOException as exc:
        raise WarehouseError(
            warehouse,
            "the warehouse is open in another process (a BI tool or notebook?); close it there "
            f"and run again. DuckDB says: {str(exc).splitlines()[0]}",
        ) from None
