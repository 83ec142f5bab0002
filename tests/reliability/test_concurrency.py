"""Two runs at once do not interleave, and a warehouse held for writing by another process gives a
clear message instead of a traceback. (Readers never stop a build: tests/reliability/test_gate.py.)"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from core.journal import PAUSE_ENV
from tests.conftest import JANUARY_2023, TEST_DOCUMENTS


def test_a_second_run_is_refused_while_the_first_is_in_progress(empty_project: Path) -> None:
    first = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "kerncijfers",
            "--project-dir",
            str(empty_project),
            "ingest",
            str(JANUARY_2023),
        ],
        env={**os.environ, PAUSE_ENV: "pending-written"},
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert first.stderr is not None and first.stderr.readline().startswith("paused at")
        second = subprocess.run(
            [
                sys.executable,
                "-m",
                "kerncijfers",
                "--project-dir",
                str(empty_project),
                "ingest",
                str(TEST_DOCUMENTS / "kerncijfers-2023-12.txt"),
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        assert second.returncode == 1
        assert "another kerncijfers run is in progress" in second.stderr
        assert "Traceback" not in second.stderr
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)


def test_a_warehouse_held_for_writing_by_another_process_gives_a_clear_message(
    built_project: tuple[Path, Path, str], tmp_path: Path
) -> None:
    """A notebook that opened the published file for writing keeps readers out of it (DuckDB's
    rule, not ours): `report` says so in one line instead of DuckDB's traceback."""
    project, warehouse, _ = built_project
    copy = tmp_path / warehouse.name
    shutil.copy(warehouse, copy)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('open', flush=True); time.sleep(120)",
            str(copy),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "kerncijfers",
                "--project-dir",
                str(project),
                "report",
                "--output",
                str(tmp_path / "r.html"),
            ],
            capture_output=True,
            text=True,
            check=False,
            env={**os.environ, "KERNCIJFERS_WAREHOUSE": str(copy)},
        )
        assert result.returncode == 1
        assert "is open for writing in another process; close it there and run again" in result.stderr
        assert "Traceback" not in result.stderr
    finally:
        holder.kill()
        holder.wait()
