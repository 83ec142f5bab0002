"""The published warehouse as its readers open it: with DuckDB 1.x, and in `make sql`.

DuckDB 2.0 builds the warehouse, but readers have 1.x (the duckdb CLI on PyPI, BI drivers, R): the
published file is written in a storage format 1.x reads (`prepare.PUBLISHED_STORAGE_VERSION`).
DuckDB 1.5's shell (duckdb-cli, a dev dependency: `.venv/bin/duckdb`) reads every mart of a built
warehouse here, with the rows, comments and keys DuckDB 2.0 reads. `make sql` opens that shell on
the published file in a real terminal (tmux), answers a query, and stays open while a build
publishes the next release.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from kerncijfers.pipeline.state import primary_keys, state_manifest
from kerncijfers.warehouse import Warehouse
from tests.chromium import debian_program
from tests.conftest import ROOT, TEST_DOCUMENTS, copy_built

VENV = Path(sys.prefix)
SHELL_1X = VENV / "bin" / "duckdb"  # duckdb-cli's launcher, as a reader runs it


def _read_1x(warehouse: Path, sql: str) -> list[dict]:
    """The rows of a query, read by DuckDB 1.x's shell from the file opened read-only."""
    result = subprocess.run(
        [str(SHELL_1X), "-readonly", "-json", str(warehouse), "-c", sql],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout) if result.stdout.strip() else []


def _read_2x(warehouse: Path, sql: str) -> list[dict]:
    """The same query read by the DuckDB 2.0 that built the file."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        cursor = con.execute(sql)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()


TABLES = (
    "select schema_name, table_name, comment from duckdb_tables() "
    "where schema_name in ('marts', 'semantic') order by all"
)
COLUMNS = (
    "select table_name, column_name, comment from duckdb_columns() where schema_name = 'marts' order by all"
)
KEYS = (
    "select schema_name, table_name, constraint_type, constraint_column_names, referenced_table, "
    "referenced_column_names from duckdb_constraints() "
    "where constraint_type in ('PRIMARY KEY', 'FOREIGN KEY') order by all"
)


def test_duckdb_1x_reads_every_mart_with_its_rows_comments_and_keys(
    built_project: tuple[Path, Path, str],
) -> None:
    _, warehouse, _ = built_project
    [version] = _read_1x(warehouse, "select version() as version")
    assert version["version"].startswith("v1."), version  # a reader's DuckDB, not the builder's

    tables = _read_1x(warehouse, TABLES)
    assert tables == _read_2x(warehouse, TABLES)
    marts = [table["table_name"] for table in tables if table["schema_name"] == "marts"]
    assert {"fct_dublin_funnel", "fct_published_figures", "dim_nationalities"} <= set(marts)
    assert ("semantic", "metricflow_time_spine") in {(t["schema_name"], t["table_name"]) for t in tables}

    counted = " union all ".join(
        f"select '{t['schema_name']}.{t['table_name']}' as name, count(*) as row_count "
        f'from "{t["schema_name"]}"."{t["table_name"]}"'
        for t in tables
    )
    counts = {row["name"]: row["row_count"] for row in _read_1x(warehouse, counted)}
    assert counts == {row["name"]: row["row_count"] for row in _read_2x(warehouse, counted)}
    assert counts["marts.fct_dublin_funnel"] == 1 and counts["marts.fct_published_figures"] > 30

    # Every mart and every column keeps its description (written into the file at publish).
    assert all(table["comment"] for table in tables if table["schema_name"] == "marts"), tables
    columns = _read_1x(warehouse, COLUMNS)
    assert columns == _read_2x(warehouse, COLUMNS)
    assert [c for c in columns if not c["comment"]] == []

    keys = _read_1x(warehouse, KEYS)
    assert keys == _read_2x(warehouse, KEYS)
    declared = primary_keys(state_manifest(Warehouse(warehouse)))
    assert {
        key["table_name"]: key["constraint_column_names"]
        for key in keys
        if key["schema_name"] == "marts" and key["constraint_type"] == "PRIMARY KEY"
    } == {mart: declared[mart] for mart in marts}
    assert {
        (key["table_name"], key["referenced_table"])
        for key in keys
        if key["constraint_type"] == "FOREIGN KEY"
    } >= {("fct_dublin_funnel", "dim_source_documents"), ("fct_nationality_shares", "dim_nationalities")}


def _make_sql(project: Path) -> None:
    """`make sql` needs the Makefile and the environment `make` installed (its .installed)."""
    if not (VENV / ".installed").exists() or shutil.which("make") is None:
        pytest.skip("make sql runs in an environment `make` installed (.venv/.installed)")
    for name in ("Makefile", "pyproject.toml"):
        shutil.copy2(ROOT / name, project / name)
    # Older than .installed: make must not install into this very environment during the test.
    before = (VENV / ".installed").stat().st_mtime - 60
    os.utime(project / "pyproject.toml", (before, before))


class Terminal:
    """A detached tmux session on a server of its own (its socket in the test's folder)."""

    def __init__(self, socket: Path, folder: Path, env: dict[str, str], *command: str) -> None:
        self.tmux = [debian_program("tmux"), "-S", str(socket)]
        subprocess.run(
            [*self.tmux, "new-session", "-d", "-x", "160", "-y", "50", "-c", str(folder), *command],
            env={name: value for name, value in env.items() if name != "TMUX"},  # not nested in ours
            check=True,
        )

    def type(self, line: str) -> None:
        # tmux takes a word ending in ';' for its own command separator: escaped.
        text = line[:-1] + "\\;" if line.endswith(";") else line
        subprocess.run([*self.tmux, "send-keys", "-l", text], check=True)
        subprocess.run([*self.tmux, "send-keys", "Enter"], check=True)

    def screen(self) -> str:
        return subprocess.run(
            [*self.tmux, "capture-pane", "-p", "-S", "-200"], capture_output=True, text=True, check=False
        ).stdout

    def open(self) -> bool:
        return subprocess.run([*self.tmux, "has-session"], capture_output=True, check=False).returncode == 0

    def answer(self, query: str, timeout: float = 120) -> int:
        """Type a query and read the number the shell shows in its answer's box."""
        self.type(query)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.screen()
            after = shown[shown.rfind(query) + len(query) :] if query in shown else ""
            found = re.search(r"│\s*(\d+)\s*│", after)
            if found:
                return int(found.group(1))
            time.sleep(0.2)
        raise AssertionError(f"no answer to {query!r} on the screen:\n{self.screen()}")

    def close(self) -> None:
        subprocess.run([*self.tmux, "kill-server"], capture_output=True, check=False)


def _dublin_months(warehouse: Path) -> int:
    return _read_2x(warehouse, "select count(*) as n from marts.fct_dublin_funnel")[0]["n"]


def test_make_sql_answers_in_a_terminal_while_a_build_publishes(
    built_project: tuple[Path, Path, str], tmp_path: Path
) -> None:
    """`make sql` in a terminal: DuckDB 1.5's shell on the published file answers a query; a build
    publishes the next release while the shell holds the file (readers never block a build); the
    open shell goes on reading the release it opened; a new `make sql` reads the new one."""
    project, warehouse = copy_built(built_project, tmp_path / "project")
    _make_sql(project)
    env = {**os.environ, "KERNCIJFERS_WAREHOUSE": str(warehouse)}
    query = "select count(*) from marts.fct_dublin_funnel;"
    terminal = Terminal(
        tmp_path / "tmux.sock", project, env, "make", "--no-print-directory", "sql", f"VENV={VENV}"
    )
    try:
        assert terminal.answer(query) == _dublin_months(warehouse) == 1
        assert "DuckDB v1." in terminal.screen()

        command = [sys.executable, "-m", "kerncijfers", "--project-dir", str(project)]
        for args in (["ingest", str(TEST_DOCUMENTS / "kerncijfers-2023-12.txt")], ["build"]):
            done = subprocess.run([*command, *args], env=env, capture_output=True, text=True, check=False)
            assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        assert _dublin_months(warehouse) == 2

        assert terminal.answer("select count(*) as held from marts.fct_dublin_funnel;") == 1
        terminal.type(".quit")
        deadline = time.monotonic() + 30
        while terminal.open() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not terminal.open(), terminal.screen()  # the shell, and make with it, ended
    finally:
        terminal.close()

    again = subprocess.run(
        ["make", "--no-print-directory", "sql", f"VENV={VENV}"],
        input=query,
        env=env,
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert again.returncode == 0, again.stderr
    assert re.search(r"│\s*2\s*│", again.stdout), again.stdout


def test_make_sql_without_a_published_warehouse_says_to_build(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    _make_sql(project)
    missing = project / "warehouse" / "kerncijfers.duckdb"
    result = subprocess.run(
        ["make", "--no-print-directory", "sql", f"VENV={VENV}"],
        env={**os.environ, "KERNCIJFERS_WAREHOUSE": str(missing)},
        cwd=project,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert result.stdout == f"no published warehouse at {missing}: run make build first\n"
    assert not missing.parent.exists()
