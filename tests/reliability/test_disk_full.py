"""A disk that runs out during a build or an ingest: one line naming the file being written, the
published release untouched, and nothing of the failed run left behind — the space it took is
free again, so that freeing the rest is all a user has to do.

Each case copies the session's built project (January 2023, published) onto a small tmpfs (as
root, which CI is; skipped where that is not possible), ingests December 2023 and leaves the disk
almost full.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kerncijfers.warehouse import Warehouse
from tests.conftest import ROOT, TEST_DOCUMENTS, copy_built, copy_project
from tests.reliability.test_faults import _tmpfs
from tests.warehouse import file_digests

LEFT_FREE = 3 << 20  # less than a candidate takes, more than the ingest and the logs need


def _kerncijfers(project: Path, warehouse: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kerncijfers", "--project-dir", str(project), *args],
        env={**os.environ, "KERNCIJFERS_WAREHOUSE": str(warehouse)},
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )


def _free(folder: Path) -> int:
    return shutil.disk_usage(folder).free


def _used(folder: Path) -> int:
    """The space the files under `folder` take."""
    return sum(path.stat().st_blocks * 512 for path in folder.rglob("*") if path.is_file())


def _fill_leaving(folder: Path, free: int) -> None:
    """A file that takes all but `free` bytes of `folder`'s file system."""
    subprocess.run(["fallocate", "-l", str(_free(folder) - free), str(folder / "filler")], check=True)


@pytest.mark.parametrize("full", [False, True], ids=["adding a month", "build --full"])
def test_a_build_the_disk_runs_out_under_names_the_file_and_leaves_nothing(
    built_project: tuple[Path, Path, str], tmp_path: Path, full: bool
) -> None:
    """Adding a month, the copy of the full build into the candidate runs out of space; with
    --full, DuckDB cannot write the candidate's log into it as dbt closes it. Before, the partial
    candidate (3 MB) stayed, the disk stayed full, and the second case was refused as a candidate
    'not closed cleanly'."""
    with _tmpfs(tmp_path / "disk", size="96m") as disk:
        project, warehouse = copy_built(built_project, disk / "project")
        assert (
            _kerncijfers(
                project, warehouse, "ingest", str(TEST_DOCUMENTS / "kerncijfers-2023-12.txt")
            ).returncode
            == 0
        )
        released = file_digests(warehouse.parent)
        _fill_leaving(disk, LEFT_FREE)
        free = _free(disk)
        dbt_state = _used(project / "target")

        result = _kerncijfers(project, warehouse, "build", *(["--full"] if full else []))

        assert result.returncode == 1, result.stdout + result.stderr
        errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
        assert errors == [
            f"error: {Warehouse(warehouse).candidate}: the disk is full. Free some space and run again; "
            "what was stored and published before this run is unchanged"
        ], result.stderr
        assert "Traceback" not in result.stderr
        left = file_digests(warehouse.parent)
        assert not Warehouse(warehouse).candidate.parent.exists()
        assert [name for name in left if name.endswith((".new", ".wal"))] == []
        # The release and its exports as they were; only dbt's log of this run is new.
        assert {name: digest for name, digest in left.items() if not name.startswith("logs/")} == {
            name: digest for name, digest in released.items() if not name.startswith("logs/")
        }
        # What the build wrote is free again: a log aside, and dbt's own state in target/ (its
        # graph and partial parse, rewritten by every dbt run, larger after a full one).
        grown = max(0, _used(project / "target") - dbt_state)
        assert _free(disk) >= free - (64 << 10) - grown

        if not full:  # once is enough: with the space freed, the next build has nothing to repair
            (disk / "filler").unlink()
            assert _kerncijfers(project, warehouse, "build").returncode == 0


def test_a_full_disk_during_an_ingest_names_the_file(tmp_path: Path) -> None:
    """Before, the write that failed named no file: 'error: a file: the disk is full'."""
    with _tmpfs(tmp_path / "disk") as disk:
        project = copy_project(disk / "project", with_documents=False)
        warehouse = project / "warehouse" / "kerncijfers.duckdb"
        _fill_leaving(disk, 4096)
        result = _kerncijfers(project, warehouse, "ingest", str(TEST_DOCUMENTS / "kerncijfers-2023-12.txt"))
        assert result.returncode == 1
        (line,) = result.stderr.splitlines()
        assert line.startswith(f"error: {project}/") and ": the disk is full." in line, line
        assert "a file:" not in line
        assert not list(project.rglob("*.new"))


def test_a_full_disk_during_the_report_names_the_file(
    built_project: tuple[Path, Path, str], tmp_path: Path
) -> None:
    """Before, the report's failed write named no file: 'error: a file: the disk is full'."""
    with _tmpfs(tmp_path / "disk", size="96m") as disk:
        project, warehouse = copy_built(built_project, disk / "project")
        report = disk / "report.html"
        _fill_leaving(disk, 4096)
        result = _kerncijfers(project, warehouse, "report", "--output", str(report))
        assert result.returncode == 1
        (line,) = result.stderr.splitlines()
        assert line.startswith(f"error: {report}: the disk is full."), line
        assert not report.exists() and not list(disk.glob(".report.html.*"))
