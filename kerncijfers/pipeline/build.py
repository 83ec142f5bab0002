"""`kerncijfers build`: write, audit, then publish.

Under the project's lock from start to end (an ingest started meanwhile is refused):

1. complete a publish that an earlier run was killed in (`publish.recover`);
2. ask the ingest for the seeds (`ingest.api.seeds_for_build`, its one call into `ingest`): the
   stored documents the current parser has not read are parsed, and the raw seeds checked against
   the stored documents (skipped when nothing changed since the last check passed); then refuse,
   naming every one at once, the labels no reference seed knows and the corrections and reviews
   that match nothing (`preflight.py`, which reads the reference seeds through `core.reference`);
3. start the audit worker, which imports Great Expectations while dbt works, and the report's
   JavaScript runtime;
4. `dbt build` into a new candidate (DuckDB: `candidate/<name>` beside the published file;
   PostgreSQL: candidate schemas) — the published warehouse is not touched;
5. judge the candidate's check datasets with the checks (the suites in `gx/`);
6. while the audit runs, write the next release beside the published one (the lean file, the
   exports) and, in a second thread, draw its report (`kerncijfers/report/`) from the candidate;
7. publish it, report included, only when dbt passed and no finding is critical; otherwise keep
   it in `rejected/` and say where and why. Readers are never blocked, and never see a build
   that failed. A build stopped by an error (a full disk, a link where it would write) leaves
   nothing of itself behind (`publish.clean_up`).

The terminal gets one line per stage with what it did and how long it took, the findings in full,
and a summary; dbt's node-by-node output goes to a log file.

`kerncijfers check` judges the full build behind the published release again, in this process.
"""

from __future__ import annotations

import shutil
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import WarehouseError
from core.journal import project_lock
from core.project import Project
from ingest.api import seeds_for_build
from kerncijfers.checks.results import read_results, write_results
from kerncijfers.pipeline import prepare, publish, state
from kerncijfers.pipeline.postgres import build_postgres
from kerncijfers.pipeline.preflight import preflight
from kerncijfers.pipeline.stages import Stages, build_and_audit
from kerncijfers.pipeline.summary import summary
from kerncijfers.warehouse import Warehouse, build_target

if TYPE_CHECKING:
    from kerncijfers.report import Draft


def build(project: Project, target: str | None = None, full: bool = False) -> int:
    warehouse = Warehouse.of(project)
    chosen = build_target(target)  # an unknown or read-only target is named before anything runs
    with project_lock(project):
        warehouse.refuse_links(project.root)
        stages = Stages()
        publish.recover(warehouse)
        seeds = seeds_for_build(project)  # the build's one call into the ingest
        preflight(project)
        stages.done("ingest", seeds.describe())
        if chosen == "duckdb":
            return _build_duckdb(project, warehouse, stages, full)
        return build_postgres(project, target, stages)


class Background:
    """One function run in a thread of its own; `result()` waits for it and re-raises its error."""

    def __init__(self) -> None:
        self.thread: threading.Thread | None = None
        self.value: object = None
        self.error: BaseException | None = None

    def start(self, function: Callable[[], object]) -> None:
        def run() -> None:
            try:
                self.value = function()
            except BaseException as exc:  # re-raised in result(), in the calling thread
                self.error = exc

        self.thread = threading.Thread(target=run, name="prepare-release")
        self.thread.start()

    def wait(self) -> None:
        if self.thread is not None:
            self.thread.join()

    def result(self) -> object:
        self.wait()
        if self.error is not None:
            raise self.error
        return self.value


@dataclass(frozen=True)
class Drawn:
    """The report of the next release, drawn while its audit runs."""

    report: Draft
    seconds: float


def _draw_report(candidate: Path, stamp: str) -> Drawn:
    """The report drawn from the candidate's marts (what readers will query), stamped with the
    release, beside the lean copy and the exports (`prepare.prepare`) in a thread of its own."""
    from kerncijfers.report import draft

    started = time.monotonic()
    drawn = draft(candidate, release=stamp)
    return Drawn(drawn, time.monotonic() - started)


def _warm_up_report() -> None:
    from kerncijfers.report import warm_up

    warm_up()


def _build_duckdb(project: Project, warehouse: Warehouse, stages: Stages, full: bool) -> int:
    try:
        return _build_and_publish(project, warehouse, stages, full)
    except Exception as exc:
        # A build stopped by an error (a full disk, a link where it would write, ...) leaves
        # nothing behind: no candidate, no `*.new`, no exports of a release never published; the
        # published release stands (or, past the commit point, the new one is completed).
        publish.clean_up(warehouse)
        full_disk = publish.no_space(exc, warehouse.candidate)
        if full_disk is None:
            raise
        raise full_disk from None


def _build_and_publish(project: Project, warehouse: Warehouse, stages: Stages, full: bool) -> int:
    fingerprint = state.fingerprint(project.root)
    selection = None if full else state.state_selection(warehouse, fingerprint)
    # dbt writes its manifest on a full build; a build that adds a month reuses the release's.
    manifest = (
        project.root / "target" / "manifest.json" if selection is None else state.state_manifest(warehouse)
    )
    candidate = state.fresh_candidate(warehouse, from_full_build=selection is not None)
    log = warehouse.folder / "logs" / "dbt.log"
    # Drawing the report starts a JavaScript runtime (about a second): while dbt runs, not after.
    # The build draws in this process, not in drawing processes (`report/renderers.py`): once dbt
    # has finished, the audit, the lean copy and the drawing already keep two cores busy, and
    # starting two more runtimes while dbt runs slowed it (adding a month at 120 publications:
    # 3.2x the floor drawing here, 3.6x with drawing processes).
    warming = Background()
    warming.start(_warm_up_report)
    # The next release is written (where nobody sees it), and its report drawn, while the audit
    # judges the candidate.
    stamp = state.new_stamp()
    preparing, drawing = Background(), Background()

    def on_built() -> None:
        # Two threads open the candidate read-only: a log DuckDB left beside it is written in first.
        prepare.complete_candidate(candidate)
        preparing.start(lambda: prepare.prepare(warehouse, candidate, manifest, stamp))
        drawing.start(lambda: _draw_report(candidate, stamp))

    run, status, report = build_and_audit(
        project,
        stages,
        log,
        {"duckdb": str(candidate)},
        database=candidate,
        select=selection,
        on_built=on_built,
    )
    warming.wait()  # an error there is the drawing's too, which says it in its own words
    # Both threads end before anything else happens (a failed build removes what they read).
    preparing.wait()
    drawing.wait()
    if report is not None and not report.critical:
        prepared, drawn = preparing.result(), drawing.result()
    else:  # it does not matter why a release that will not be published failed
        prepared = preparing.value
    if report is None or report.critical:
        if isinstance(prepared, prepare.Prepared):
            prepare.discard(prepared)
        if report is None:
            stopped = "\n".join(run.summary_lines())
            full_disk = publish.no_space(RuntimeError(stopped), candidate)
            if full_disk is not None:
                raise full_disk  # no candidate is kept on a full disk (`_build_duckdb`)
            why = f"dbt build failed (exit status {status}):\n" + stopped
            said = f"dbt build failed (exit status {status}); kept in "
        else:
            why = report.render()
            said = f"{len(report.critical)} critical finding(s) above; the candidate is kept in "
        where = publish.reject(warehouse, candidate, why)
        shutil.copy(log, where / "dbt.log")
        _say_not_published(warehouse, said + str(where))
        return 1
    assert isinstance(prepared, prepare.Prepared) and isinstance(drawn, Drawn)
    # The audit that let the release through travels with it: checks.json beside the exports, and
    # the report's "Checks" section.
    write_results(prepared.export_folder, report, project.suites_dir)
    page = drawn.report.html(read_results(prepared.export_folder)).encode("utf-8")
    release = publish.publish(warehouse, candidate, manifest, fingerprint, prepared, report=page)
    stages.done(
        "publish",
        f"{release.published} ({len(release.exports)} marts); exports in {warehouse.export_link}; "
        f"report drawn in {drawn.seconds:.1f} s while the audit ran",
    )
    print()
    print(
        summary(
            project,
            run.results(),
            [
                f"  exports   : {len(release.exports)} marts as Parquet and CSV in {warehouse.export_link}",
                f"  report    : {warehouse.report} (charts of the release, one offline page)",
                f"  full build: {release.full_build} (every layer, for maintainers)",
            ],
            str(release.published),
        )
    )
    return 0


def _say_not_published(warehouse: Warehouse, why: str) -> None:
    state = f"still {warehouse.published}" if warehouse.published.exists() else "none yet"
    print(f"Not published: {why}.", file=sys.stderr)
    print(f"The published warehouse is unchanged ({state}).", file=sys.stderr)


def check(project: Project, data_docs: bool = True) -> int:
    """Judge the full build behind the published release; 1 when any finding is critical."""
    from kerncijfers.checks import run_checks

    warehouse = Warehouse.of(project)
    warehouse.refuse_links(project.root)
    if not warehouse.full_build.exists():
        raise WarehouseError(
            warehouse.full_build, "no build to check: run `make build` (or `kerncijfers build`) first"
        )
    report = run_checks(
        warehouse.full_build,
        project.suites_dir,
        project.reviewed_findings_seed,
        data_docs_dir=warehouse.folder / "data_docs" if data_docs else None,
    )
    print(report.render())
    return 1 if report.critical else 0
