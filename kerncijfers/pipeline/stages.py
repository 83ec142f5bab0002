"""The stages every build target shares: `dbt build` into a candidate while the audit worker waits
for it, the audit's verdict, and the one line each stage prints (what it did, how long it took).

`build.py` (DuckDB) and `postgres.py` (PostgreSQL) both write and audit their candidate here, and
publish it in their own way.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from core.project import Project
from kerncijfers.checks.validate import CheckReport
from kerncijfers.checks.worker import Checker
from kerncijfers.pipeline.dbt import DbtRun, start_dbt

# Unit tests test the models' code, not the month's data: `make test` runs them (a plain
# `dbt build`), a build that adds a month does not. The checks are judged by the worker here, not
# again inside dbt.
BUILD_ARGS = ("build", "--exclude", "resource_type:unit_test", "check_findings+")
# A build that rebuilds only what the raw seeds feed writes none of dbt's JSON artifacts: the
# manifest, written twice, is a second of it, and it is the release's manifest (the fingerprint
# says the models are the same), kept beside the full build (`state.state_selection`).
INCREMENTAL_ARGS = ("--no-write-json",)


class Stages:
    """One line per stage: its name, what it did, how long it took."""

    def __init__(self) -> None:
        self.started = time.monotonic()

    def done(self, name: str, what: str) -> None:
        now = time.monotonic()
        print(f"{name:<8} {what} ({now - self.started:.1f} s)", flush=True)
        self.started = now


def audit_request(project: Project, **where: str) -> dict[str, str]:
    """What the audit worker needs to judge a build: the suites, the reviewed findings, the build."""
    return {
        "gx_dir": str(project.suites_dir),
        "reviewed": str(project.reviewed_findings_seed),
        **where,
    }


def run_counts(results: Counter[tuple[str, str]]) -> str:
    """What dbt's run did: '10 seeds, 34 models, 64 tests: all passed', or what did not."""
    kinds: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    for (kind, status), count in results.items():
        kinds[kind] += count
        statuses[status] += count
    if not kinds:
        return "no node ran"
    done = ", ".join(f"{kinds[kind]} {kind}s" for kind in ("seed", "model", "test") if kinds[kind])
    trouble = {s: n for s, n in statuses.items() if s not in ("success", "pass")}
    verdict = "all passed" if not trouble else ", ".join(f"{n} {s}" for s, n in sorted(trouble.items()))
    return f"{done}: {verdict}"


def build_and_audit(
    project: Project,
    stages: Stages,
    log: Path,
    where: dict[str, str],
    *,
    target: str | None = None,
    database: Path | None = None,
    env: dict[str, str] | None = None,
    select: list[str] | None = None,
    on_built: Callable[[], None] | None = None,
) -> tuple[DbtRun, int, CheckReport | None]:
    """dbt build with the audit worker judging the candidate as soon as dbt has built it, and
    `on_built` called once dbt has passed and exited (while the audit runs).

    Returns the run, dbt's exit status and the audit's report (None when dbt failed)."""
    checker = Checker()
    try:
        args = [*BUILD_ARGS, *((*select, *INCREMENTAL_ARGS) if select else ())]
        if select:  # no run_results.json of this run: none of an earlier one is left to mislead
            (project.root / "target" / "run_results.json").unlink(missing_ok=True)
        run = start_dbt(project, *args, log=log, target=target, database=database, env=env)
        status = run.wait(on_finished=lambda: checker.request(audit_request(project, **where)))
        kept = "; the rest unchanged since the release, kept" if select else ""
        stages.done("dbt", f"build: {run_counts(run.results())}{kept} (log: {log})")
        if status != 0:
            for line in run.summary_lines():
                print(f"  {line}")
            return run, status, None
        if on_built is not None:
            on_built()
        report = checker.report()
    finally:
        checker.close()
    stages.done(
        "audit",
        f"{report.checks_run} checks: {len(report.critical)} critical, {len(report.warnings)} warning(s)",
    )
    rendered = report.render().splitlines()[1:]
    for line in rendered:
        print(line)
    return run, status, report
