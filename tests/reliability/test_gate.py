"""Write, audit, then publish: what readers see changes only as a whole, only to a build that
passed its audit, and never waits for them (kerncijfers/pipeline/build.py, publish.py)."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from core.journal import PAUSE_ENV
from tests.conftest import TEST_DOCUMENTS, full_build

DECEMBER = TEST_DOCUMENTS / "kerncijfers-2023-12.txt"


def _kerncijfers(project: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "kerncijfers", "--project-dir", str(project), *args]
    return subprocess.run(command, env={**os.environ, **env}, capture_output=True, text=True, cwd=project)


def _published_state(warehouse: Path) -> dict[str, str]:
    """Every file readers see — the published warehouse, its report and the exports — by path, as a hash."""
    files = [warehouse, warehouse.parent / "report.html", *sorted((warehouse.parent / "export").iterdir())]
    return {
        str(path.relative_to(warehouse.parent)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in files
    }


def _months(warehouse: Path) -> list[str]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute(
            "select reference_month from marts.fct_asylum_inflow_monthly order by 1"
        ).fetchall()
        return [str(month) for (month,) in rows]
    finally:
        con.close()


def _marts(warehouse: Path) -> dict[str, list[tuple]]:
    """Every table readers see, its rows sorted, and its description."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = con.execute(
            "select schema_name, table_name, comment from duckdb_tables() order by all"
        ).fetchall()
        return {
            f"{schema}.{table}": [
                (comment,),
                *con.execute(f'select * from {schema}."{table}" order by all').fetchall(),
            ]
            for schema, table, comment in tables
        }
    finally:
        con.close()


@pytest.fixture
def published(built_project: tuple[Path, Path, str], tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the built project (January 2023 published), its warehouse beside it."""
    project, warehouse, _ = built_project
    copy = tmp_path / "project"
    shutil.copytree(project, copy, symlinks=True)
    return copy, copy / warehouse.relative_to(project)


def _with_bad_december(folder: Path) -> Path:
    """December 2023 with a top-five list of first applicants that sums to 130 %."""
    text = DECEMBER.read_text(encoding="utf-8").replace("o 31% uit Syrië;", "o 84% uit Syrië;")
    path = folder / "kerncijfers-2023-12-bad.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_month_failing_a_critical_rule_leaves_everything_published_as_it_was(
    published: tuple[Path, Path], tmp_path: Path
) -> None:
    project, warehouse = published
    env = {"KERNCIJFERS_WAREHOUSE": str(warehouse)}
    before = _published_state(warehouse)
    assert _kerncijfers(project, "ingest", str(_with_bad_december(tmp_path))).returncode == 0

    # A build killed half-way through dbt leaves the published files as they were, and an ingest
    # started meanwhile is refused rather than changing the seeds under the build.
    build = subprocess.Popen(
        [sys.executable, "-m", "kerncijfers", "--project-dir", str(project), "build"],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    time.sleep(4)
    refused = _kerncijfers(project, "ingest", str(DECEMBER), **env)
    os.killpg(build.pid, signal.SIGKILL)
    build.wait()
    assert refused.returncode == 1 and "another kerncijfers run is in progress" in refused.stderr
    assert _published_state(warehouse) == before

    failed = _kerncijfers(project, "build", **env)
    assert failed.returncode == 1
    assert "CRITICAL breakdown_sums_to_at_most_100: kerncijfers-2023-12-" in failed.stdout
    assert (
        "first_applicants_by_nationality_month · first_applicants month 2023-12-01..2023-12-31: "
        "listed_items=7, total_pct=115" in (failed.stdout)
    )
    assert "Not published: 1 critical finding(s) above; the candidate is kept in " in failed.stderr
    assert "Traceback" not in failed.stdout + failed.stderr
    assert _published_state(warehouse) == before
    assert _months(warehouse) == ["2023-01-01"]
    (rejected,) = (warehouse.parent / "rejected").iterdir()
    assert (rejected / warehouse.name).is_file() and _months(rejected / warehouse.name) == [
        "2023-01-01",
        "2023-12-01",
    ]
    assert "breakdown_sums_to_at_most_100" in (rejected / "findings.txt").read_text(encoding="utf-8")
    assert not (warehouse.parent / "candidate").exists()


READER = """
import os, sys, time, duckdb
path, mode, stop = sys.argv[1], sys.argv[2], sys.argv[3]
query = "select count(*) from marts.fct_asylum_inflow_monthly"
errors, seen = 0, set()
held = duckdb.connect(path, read_only=True) if mode == "hold" else None
print("ready", flush=True)
while not os.path.exists(stop):
    try:
        if held is not None:
            seen.add(held.execute(query).fetchone()[0])
        else:
            con = duckdb.connect(path, read_only=True)
            seen.add(con.execute(query).fetchone()[0])
            con.close()
    except Exception as exc:
        errors += 1
        print(f"error: {exc}", file=sys.stderr, flush=True)
    time.sleep(0.2)
print(errors, sorted(seen), flush=True)
"""


def test_a_refresh_succeeds_while_readers_hold_the_warehouse_and_open_it_again_and_again(
    published: tuple[Path, Path],
) -> None:
    project, warehouse = published
    env = {"KERNCIJFERS_WAREHOUSE": str(warehouse)}
    assert _kerncijfers(project, "ingest", str(DECEMBER)).returncode == 0
    stop = project / "stop-reading"
    readers = [
        subprocess.Popen(
            [sys.executable, "-c", READER, str(warehouse), mode, str(stop)], stdout=subprocess.PIPE, text=True
        )
        for mode in ("hold", "reopen")
    ]
    for reader in readers:
        assert reader.stdout is not None and reader.stdout.readline().strip() == "ready"
    refreshed = _kerncijfers(project, "build", **env)
    time.sleep(0.5)  # a last round of reading the new release
    stop.touch()
    assert refreshed.returncode == 0, refreshed.stdout[-3000:] + refreshed.stderr[-3000:]
    results = [reader.communicate(timeout=60)[0].split("\n")[-2] for reader in readers]
    # The reader holding the file keeps reading the release it opened; the one that connects
    # again and again moves to the new one. Neither ever sees an error.
    assert results == ["0 [1]", "0 [1, 2]"]
    assert _months(warehouse) == ["2023-01-01", "2023-12-01"]

    # The refresh rebuilt only what the new month changed (the rest kept from the release): the
    # marts are exactly what rebuilding every node gives.
    assert "the rest unchanged since the release, kept" in refreshed.stdout
    selective = _marts(warehouse)
    full = _kerncijfers(project, "build", "--full", **env)
    assert full.returncode == 0 and "the rest unchanged" not in full.stdout
    assert _marts(warehouse) == selective


PUBLISH = """
import sys
from pathlib import Path
from kerncijfers.pipeline import publish
from kerncijfers.warehouse import Warehouse
warehouse, candidate, manifest = Warehouse(Path(sys.argv[1])), Path(sys.argv[2]), Path(sys.argv[3])
publish.recover(warehouse)
publish.publish(warehouse, candidate, manifest, "test", report=b"the report of the new release")
"""
# What every build does first: complete a committed publish, drop one that never committed.
RECOVER = """
import sys
from pathlib import Path
from kerncijfers.pipeline import publish
from kerncijfers.warehouse import Warehouse
publish.recover(Warehouse(Path(sys.argv[1])))
"""


@pytest.mark.parametrize(
    "point", ["lean-written", "exports-written", "pending-written", "committed", "renaming"]
)
def test_a_publish_killed_at_any_point_leaves_the_old_release_or_the_new_one(
    published: tuple[Path, Path], point: str
) -> None:
    project, warehouse = published
    before = _published_state(warehouse)
    # A candidate that differs from the published release: the same build without its months.
    candidate = warehouse.parent / "candidate" / warehouse.name
    candidate.parent.mkdir()
    shutil.copy(full_build(warehouse), candidate)
    con = duckdb.connect(str(candidate))
    con.execute("delete from marts.fct_asylum_inflow_monthly")
    con.close()
    manifest = str(project / "target" / "manifest.json")
    command = [sys.executable, "-c", PUBLISH, str(warehouse), str(candidate), manifest]
    run = subprocess.Popen(command, env={**os.environ, PAUSE_ENV: point}, stderr=subprocess.PIPE, text=True)
    assert run.stderr is not None and run.stderr.readline().strip() == f"paused at {point}"
    run.send_signal(signal.SIGKILL)
    run.wait()

    killed = _months(warehouse)
    assert killed in (["2023-01-01"], [])  # wholly old or wholly new, never a mix
    if point in ("lean-written", "exports-written", "pending-written"):
        assert _published_state(warehouse) == before  # before the commit point nothing changed
    # The next run completes a committed publish, or drops one that never committed.
    subprocess.run([sys.executable, "-c", RECOVER, str(warehouse)], check=True)
    expected = [] if point in ("committed", "renaming") else ["2023-01-01"]
    assert _months(warehouse) == expected
    export = (warehouse.parent / "export" / "fct_asylum_inflow_monthly.csv").read_text(encoding="utf-8")
    assert len(export.splitlines()) == 1 + len(expected)  # the exports belong to the same release
    report = (warehouse.parent / "report.html").read_bytes()  # and so does the report
    assert (report == b"the report of the new release") == (point in ("committed", "renaming"))
    assert (
        not list(warehouse.parent.glob("*.new")) and not (warehouse.parent / ".publish-journal.json").exists()
    )
