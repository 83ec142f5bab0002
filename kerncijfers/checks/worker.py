"""The audit in a process of its own, started when a build starts.

Importing Great Expectations takes several seconds — longer than dbt's own start — and a build's
dbt run keeps one core busy. So `kerncijfers build` starts this worker first: it imports Great
Expectations on the other core while dbt builds the candidate, then waits for one request on
stdin (the candidate to judge, as JSON) and answers with the report on stdout. Closing stdin
without a request (dbt failed) ends it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from core.errors import WarehouseError
from kerncijfers.checks.suites import load_reviewed, load_suites, read_datasets_duckdb, read_datasets_postgres
from kerncijfers.checks.validate import CheckReport, import_great_expectations, validate


def judge(request: dict[str, Any]) -> CheckReport:
    """Judge the check datasets of the build a request names."""
    suites = load_suites(Path(request["gx_dir"]))
    if "duckdb" in request:
        frames = _read_when_closed(Path(request["duckdb"]), suites)
    else:
        frames = read_datasets_postgres(request["postgres_schema"], suites)
    docs = Path(request["data_docs"]) if request.get("data_docs") else None
    return validate(suites, frames, load_reviewed(Path(request["reviewed"])), docs)


def _read_when_closed(database: Path, suites: list) -> dict[str, Any]:
    """The datasets of a DuckDB build, as soon as dbt has closed it (it may still be exiting)."""
    deadline = time.monotonic() + 30
    while True:
        try:
            return read_datasets_duckdb(database, suites)
        except WarehouseError as exc:
            if "open for writing" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def main() -> int:
    import_great_expectations()
    line = sys.stdin.readline()
    if not line.strip():
        return 0
    try:
        answer = judge(json.loads(line)).to_json()
    except WarehouseError as exc:
        answer = {"error": str(exc)}
    sys.stdout.write(json.dumps(answer, default=str) + "\n")
    sys.stdout.flush()
    # Great Expectations takes over a second to shut down; there is nothing left to save.
    os._exit(0)


class Checker:
    """The parent's side: start the worker early, send it one request, read its report."""

    def __init__(self) -> None:
        self.sent: dict[str, Any] = {}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kerncijfers.checks.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def request(self, request: dict[str, Any]) -> None:
        """Send the one request; the worker starts judging at once."""
        assert self.process.stdin is not None
        self.sent = request
        try:
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.close()
        except BrokenPipeError:
            pass  # it died on its own; what it said on stderr tells why

    def report(self) -> CheckReport:
        """Wait for the worker's answer to the request."""
        assert self.process.stdout is not None and self.process.stderr is not None
        where = self.sent.get("duckdb") or self.sent.get("postgres_schema") or "the audit"
        line = self.process.stdout.readline()
        try:
            answer = json.loads(line)
        except ValueError:
            self.close()
            detail = (self.process.stderr.read().strip().splitlines() or ["it printed nothing"])[-1]
            raise WarehouseError(where, f"the audit did not run: {detail}") from None
        if "error" in answer:
            raise WarehouseError(where, answer["error"])
        return CheckReport.from_json(answer)

    def judge(self, request: dict[str, Any]) -> CheckReport:
        self.request(request)
        return self.report()

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


if __name__ == "__main__":
    sys.exit(main())
