"""Running dbt on the project, on the warehouse of the chosen target."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ingest.project import Project
from kerncijfers.warehouse import WAREHOUSE_ENV, builds_duckdb, connect, warehouse_path


def run_dbt(project: Project, *args: str, target: str | None = None) -> int:
    """Run the dbt CLI of this environment on the project; dbt's own output goes to the terminal."""
    warehouse = warehouse_path(project)
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    if builds_duckdb(target) and warehouse.exists():
        # dbt would otherwise fail deep inside with a lock error when a BI tool holds the file.
        connect(warehouse, read_only=False).close()
    command = [
        str(Path(sys.executable).with_name("dbt")),
        *args,
        "--project-dir",
        str(project.root),
        "--profiles-dir",
        str(project.root / "profiles"),
    ]
    if target:
        command += ["--target", target]
    env = {**os.environ, WAREHOUSE_ENV: str(warehouse)}
    return subprocess.run(command, cwd=project.root, env=env, check=False).returncode
