"""Standard output closed under a running build, and a reader in the same Python process as the
connections it opened before a publish (issue 23)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

from tests.conftest import TEST_DOCUMENTS, copy_built

MONTHS = "select count(distinct reference_month) from marts.dim_source_documents"
DECEMBER_2023 = TEST_DOCUMENTS / "kerncijfers-2023-12.txt"


def _env(warehouse: Path) -> dict[str, str]:
    return {**os.environ, "KERNCIJFERS_WAREHOUSE": str(warehouse)}


def _kerncijfers(project: Path, warehouse: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "kerncijfers", "--project-dir", str(project), *args]
    return subprocess.run(
        command, env=_env(warehouse), capture_output=True, text=True, cwd=project, check=False
    )


def _months(con: duckdb.DuckDBPyConnection) -> int:
    row = con.execute(MONTHS).fetchone()
    assert row is not None
    return row[0]


def test_a_build_whose_reader_closes_the_pipe_builds_and_publishes_to_the_end(
    built_project: tuple[Path, Path, str], tmp_path: Path
) -> None:
    """`kerncijfers build | head -1` adding a month: the stage lines after the first go nowhere,
    the build does not stop half-way; it publishes and exits 0, with nothing on stderr."""
    project, published = copy_built(built_project, tmp_path / "project")
    assert _kerncijfers(project, published, "ingest", str(DECEMBER_2023)).returncode == 0
    process = subprocess.Popen(
        [sys.executable, "-m", "kerncijfers", "--project-dir", str(project), "build"],
        env=_env(published),
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()  # the reader has what it wanted, as `head -1` does
    stderr = process.stderr.read()
    status = process.wait(timeout=600)

    assert first.startswith("ingest "), first
    assert status == 0, stderr
    assert stderr == ""
    con = duckdb.connect(str(published), read_only=True)
    try:
        assert _months(con) == 2
    finally:
        con.close()
    export = project / "warehouse" / "export"
    assert (
        export.is_symlink() and (export / "checks.json").is_file() and (export / "datapackage.json").is_file()
    )
    assert not (project / "warehouse" / "candidate").exists()
    assert not list((project / "warehouse").glob("*.new"))


def test_a_reader_in_the_same_process_sees_a_new_release_once_it_opens_the_file_anew(
    built_project: tuple[Path, Path, str], tmp_path: Path
) -> None:
    """DuckDB keeps one instance per file and process: while a connection to the published file is
    open, `duckdb.connect` of the same path in that process is another connection to the SAME
    instance, that is to the release it opened, even after a build renamed a new one over it. A
    different configuration is refused ("Can't open a connection to same database file with a
    different configuration"). What gives the new release: closing the process's connections
    first, or attaching the file to a database of its own (`:memory:` + ATTACH ... READ_ONLY)."""
    project, warehouse = copy_built(built_project, tmp_path / "project")
    published = str(warehouse)
    first = duckdb.connect(published, read_only=True)
    assert _months(first) == 1

    added = _kerncijfers(project, warehouse, "ingest", str(DECEMBER_2023))
    assert added.returncode == 0, added.stderr
    built = _kerncijfers(project, warehouse, "build")
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr

    # The behaviour: a second connection in this process still reads the old release.
    second = duckdb.connect(published, read_only=True)
    assert _months(second) == 1
    # A fresh instance of its own reads the new one, while the old connections are open.
    attached = duckdb.connect(":memory:")
    attached.execute(f"attach '{published}' as release (read_only)")
    attached.execute("use release")
    assert _months(attached) == 2
    attached.close()
    # Closing every connection of the process to the file lets the next one read the new release.
    first.close()
    second.close()
    third = duckdb.connect(published, read_only=True)
    try:
        assert _months(third) == 2
    finally:
        third.close()
