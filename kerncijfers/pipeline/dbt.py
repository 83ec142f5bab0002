"""Running dbt on the project: the dbt of this environment, in a process of its own.

A build writes dbt's node-by-node output to a log file (no colour codes) instead of the terminal,
and learns from it when dbt has finished running its nodes — it has closed the candidate by then,
so the audit can start while dbt is still writing its artifacts and shutting down.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core.project import Project
from kerncijfers.warehouse import BUILD_DATABASE_ENV

# dbt's line after every node has run and its connections are closed.
FINISHED = "Finished running "

# dbt's line for a node that has run: "12:00:01  5 of 92 PASS primary_key_x .... [PASS in 0.02s]".
_NODE_RESULT = re.compile(r"^\S+\s+\d+ of \d+ (?P<what>.+?)(?: \.+)? \[")
# Its words, as dbt 1.11 prints them (dbt/events/types.py), to (kind, status) as run_results has them.
_RESULT_WORDS = (
    ("OK loaded seed file ", ("seed", "success")),
    ("ERROR loading seed file ", ("seed", "error")),
    ("OK created ", ("model", "success")),
    ("PARTIALLY created ", ("model", "success")),
    ("ERROR creating ", ("model", "error")),
    ("SKIP relation ", ("model", "skipped")),
    ("SKIP test ", ("test", "skipped")),
    ("PASS ", ("test", "pass")),
    ("FAIL ", ("test", "fail")),
    ("WARN ", ("test", "warn")),
    ("ERROR ", ("test", "error")),
)


def node_results(lines: list[str]) -> Counter[tuple[str, str]]:
    """How many nodes of each kind (seed, model, test, unit_test) ended how, read from dbt's output.

    A build that adds a month runs dbt without its JSON artifacts (`--no-write-json`: writing the
    manifest twice costs a second), so the counts come from the lines dbt prints."""
    counts: Counter[tuple[str, str]] = Counter()
    for line in lines:
        match = _NODE_RESULT.match(line)
        if match is None:
            continue
        what = match["what"]
        for words, (kind, status) in _RESULT_WORDS:
            if what.startswith(words):
                if kind == "test" and "::" in what:  # model::test is a unit test
                    kind = "unit_test"
                counts[(kind, status)] += 1
                break
    return counts


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


def _environment(database: Path | None, env: dict[str, str] | None, root: Path) -> dict[str, str]:
    """dbt's environment. The database is named relative to the project (dbt runs in it) where it
    lies inside it: dbt reparses the whole project when its profile changes, and an absolute path
    would change it for every copy of a project (a clone moved, a test's copy)."""
    environment = {**os.environ, **(env or {})}
    if database is not None:
        inside = database.is_absolute() and database.is_relative_to(root)
        environment[BUILD_DATABASE_ENV] = os.path.relpath(database, root) if inside else str(database)
    return environment


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

    def results(self) -> Counter[tuple[str, str]]:
        """Nodes by (kind, status), from the log (see `node_results`)."""
        return node_results(self.log.read_text(encoding="utf-8").splitlines())

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
        env=_environment(database, env, project.root),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return DbtRun(process, log)
