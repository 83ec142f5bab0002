"""Running dbt on the project: the dbt of this environment, in a process of its own.

A build writes dbt's node-by-node output to a log file (no colour codes) instead of the terminal,
and learns from it when dbt has finished running its nodes — it has closed the candidate by then,
so the audit can start while dbt is still writing its artifacts and shutting down.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ingest.project import Project
from kerncijfers.warehouse import BUILD_DATABASE_ENV

# dbt's line after every node has run and its connections are closed.
FINISHED = "Finished running "


def dbt_command(project: Project, *args: str, target: str | None = None) -> list[str]:
    command = [
        str(Path(sys.executable).with_name("dbt")),
        *args,
        "--project-dir",
        str(project.root),
        "--profiles-dir",
        str(project.root / "profiles"),
    ]
    return command + (["--target", target] if target else [])


def _environment(database: Path | None, env: dict[str, str] | None) -> dict[str, str]:
    environment = {**os.environ, **(env or {})}
    if database is not None:
        environment[BUILD_DATABASE_ENV] = str(database)
    return environment


def run_dbt(
    project: Project,
    *args: str,
    target: str | None = None,
    database: Path | None = None,
    env: dict[str, str] | None = None,
) -> int:
    """Run dbt with its output on the terminal. `database` is the DuckDB file to build."""
    command = dbt_command(project, *args, target=target)
    return subprocess.run(command, cwd=project.root, env=_environment(database, env), check=False).returncode


@dataclass
class DbtRun:
    """A dbt run whose output goes to a log file."""

    process: subprocess.Popen[str]
    log: Path

    def wait(self, on_finished: Callable[[], None] | None = None) -> int:
        """Copy dbt's output to the log until it ends; call `on_finished` once its nodes have run."""
        assert self.process.stdout is not None
        with open(self.log, "a", encoding="utf-8") as log:
            for line in self.process.stdout:
                log.write(line)
                if on_finished is not None and FINISHED in line:
                    log.flush()
                    on_finished()
                    on_finished = None
        return self.process.wait()

    def summary_lines(self) -> list[str]:
        """What dbt says after running its nodes: the errors and warnings, with their messages."""
        lines = self.log.read_text(encoding="utf-8").splitlines()
        start = next((i for i, line in enumerate(lines) if FINISHED in line), None)
        if start is None:  # dbt stopped before running any node (a parse or connection error)
            return [line for line in lines if line.strip()][-20:]
        return [line for line in lines[start + 1 :] if line.strip()]


def start_dbt(
    project: Project,
    *args: str,
    log: Path,
    target: str | None = None,
    database: Path | None = None,
    env: dict[str, str] | None = None,
) -> DbtRun:
    """Start dbt with its output (plain text) going to `log`; dbt's own debug log is not written."""
    command = dbt_command(project, *args, "--no-use-colors", "--log-level-file", "none", target=target)
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(" ".join(command) + "\n", encoding="utf-8")
    process = subprocess.Popen(
        command,
        cwd=project.root,
        env=_environment(database, env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return DbtRun(process, log)
