"""Two runs at once do not interleave, and a warehouse held by another process gives a clear
message instead of a traceback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from ingest.journal import PAUSE_ENV
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


def test_a_warehouse_held_by_another_process_gives_a_clear_message(
    built_project: tuple[Path, Path, str],
) -> None:
    project, warehouse, _ = built_project
    # A BI tool holding the file: another process with a read-write connection open.
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('open', flush=True); "
            "time.sleep(120)",
            str(warehouse),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        env = {**os.environ, "KERNCIJFERS_WAREHOUSE": str(warehouse)}
        for command in (["build"], ["check"], ["report", "--output", str(warehouse.parent / "r.html")]):
            started = time.monotonic()
            result = subprocess.run(
                [sys.executable, "-m", "kerncijfers", "--project-dir", str(project), *command],
                capture_output=True,
                text=True,
                check=False,
                env=env,
            )
            assert result.returncode == 1, (command, result.stdout[-2000:], result.stderr[-2000:])
            assert "Traceback" not in result.stderr
            assert f"error: {warehouse}: the warehouse" in result.stderr
            assert "another process" in result.stderr
            assert time.monotonic() - started < 60
    finally:
        holder.kill()
        holder.wait(timeout=30)
