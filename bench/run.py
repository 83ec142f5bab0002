"""`make bench`: ingest throughput, build time and BI query latency as history grows.

For 1, 120 and 1,200 synthetic publications (bench/synthetic.py) it measures, each beside the
floor it is compared with:

- ingest throughput, text and PDF (documents per second);
- a full build (ingest + dbt build into a candidate + audit + exports + publish), and adding one
  new month to that history (ingest one document + build), each as a ratio to the floor, `dbt
  build` of a one-model dbt project with a minimal profile, the minimum of three runs made right
  before that build (targets: adding a month <= 2.5x, a first build <= 3x; the report <= 2 s at 120);
- `kerncijfers report` on the published warehouse (it reads, it does not build);
- ten typical BI queries on the marts, median and p95 over repeated runs, as a BI tool runs them
  (a new read-only connection per query); floor: the same SQL on an open DuckDB connection;
- peak memory (maximum resident set) of each step.

Figures are printed and written to bench/results/latest.csv. Nothing is asserted: the targets
are reported beside the figures. BENCH_SIZES=1,120 limits the sizes (for a quick run).
"""

from __future__ import annotations

import csv
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import duckdb  # noqa: E402
from synthetic import History, months_ending  # noqa: E402

from core.project import Project  # noqa: E402
from ingest.store import ingest  # noqa: E402
from tests.conftest import copy_project  # noqa: E402
from tests.pdfs import text_pdf  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "latest.csv"
PDF_SAMPLE = 60  # PDFs are made and read at this count at most: per-document cost does not grow
QUERY_RUNS = 30
LAST_MONTH = date(2025, 12, 1)  # the synthetic history ends here

# Ten questions BI users ask of the marts (README "Querying the warehouse" and dashboards).
QUERIES = {
    "key figures, last 12 months": "select * from marts.fct_monthly_key_figures "
    "order by reference_month desc limit 12",
    "first applicants by nationality, latest month": "select nationality_code, share_pct, "
    "estimated_count, estimated_count_low, estimated_count_high from marts.fct_nationality_shares "
    "where population_code = 'first_applicants' and window_type = 'month' and reference_month = "
    "(select max(reference_month) from marts.fct_nationality_shares) order by share_pct desc",
    "estimated counts per month and nationality": "select reference_month, nationality_code, "
    "estimated_count from marts.fct_nationality_shares where population_code = 'first_applicants' "
    "and window_type = 'month' order by reference_month, estimated_count desc",
    "Dublin funnel over time": "select reference_month, handled_count, rejected_count, dublin_rejected_count, "
    "dublin_share_of_handled_pct, published_dublin_share_pct from marts.fct_dublin_funnel "
    "order by reference_month",
    "permits per year and purpose": "select extract(year from reference_month) as year, "
    "purpose_code, max(granted_ytd) as granted from marts.fct_regular_permits group by all "
    "order by year, purpose_code",
    "departures per month": "select reference_month, population_code, departed_in_month, "
    "supervised_share_pct from marts.fct_departures order by reference_month, population_code",
    "grant rates, latest window": "select nationality_code, grant_rate_pct from "
    "marts.fct_grant_rates where period_end = (select max(period_end) from marts.fct_grant_rates)",
    "nareizigers by nationality and year": "select extract(year from reference_month) as year, "
    "nationality_code, avg(share_pct) as mean_share_pct from marts.fct_nationality_shares where "
    "population_code = 'family_reunification' and window_type = 'month' group by all order by year",
    "provenance of one month's figures": "select f.figure_code, f.published_value, f.source_line, "
    "d.title from marts.fct_published_figures as f join marts.dim_source_documents as d using "
    "(document_id) where f.reference_month = (select max(reference_month) from "
    "marts.fct_published_figures)",
    "yearly first applications": "select extract(year from reference_month) as year, "
    "sum(first_applications) as first_applications from marts.fct_asylum_inflow_monthly "
    "group by all order by year",
}


@dataclass
class Row:
    size: int
    measure: str
    value: float
    unit: str
    floor: float | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        return self.value / self.floor if self.floor else None


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """Run a command; return (seconds, peak resident memory of it and its children in MiB)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        stderr = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}): {stderr[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024


def _project(folder: Path) -> Path:
    """An empty copy of the project: its dbt files and reference seeds, no documents."""
    project = copy_project(folder / "project", with_documents=False, reviews=False)
    # The synthetic publications are made up: IND's pages of those months would (rightly) refuse
    # them. A benchmark project has no second source.
    ind = project / "seeds" / "reference" / "ref_ind_asylum_influx.csv"
    ind.write_text(ind.read_text(encoding="utf-8").split("\n", 1)[0] + "\n", encoding="utf-8")
    return project


def _documents(folder: Path, count: int, history: History, months: list) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for month in months[:count]:
        path = folder / f"kerncijfers-{month:%Y-%m}.txt"
        path.write_text(history.document(month), encoding="utf-8")
        paths.append(path)
    return paths


def _bin(name: str) -> str:
    return str(Path(sys.executable).with_name(name))


def _empty_dbt_floor(folder: Path, env: dict[str, str], runs: int = 3) -> float:
    """`dbt build` of a dbt project with one model and a minimal profile of its own: the fixed cost
    of starting dbt on DuckDB (the minimum of `runs` runs). Measured again right before each build
    it is compared with: this machine's speed drifts during a run, and a ratio to a floor taken
    minutes earlier would carry the drift."""
    project = folder / "floor"
    if not project.exists():
        (project / "models").mkdir(parents=True)
        (project / "models" / "one.sql").write_text("select 1 as one\n")
        (project / "dbt_project.yml").write_text(
            "name: floor\nversion: '1.0.0'\nconfig-version: 2\nprofile: floor\n"
        )
        (project / "profiles.yml").write_text(
            f"floor:\n  target: duckdb\n  outputs:\n    duckdb:\n      type: duckdb\n"
            f"      path: {folder / 'floor.duckdb'}\n      threads: 1\n"
        )
    timings = [_run([_bin("dbt"), "build", "--profiles-dir", "."], project, env)[0] for _ in range(runs)]
    return min(timings)


def _query_latencies(warehouse: Path) -> dict[str, tuple[float, float, float, float]]:
    """Per query: (median, p95) through a new connection each time, and the same on an open one."""
    results = {}
    open_connection = duckdb.connect(str(warehouse), read_only=True)
    try:
        for name, sql in QUERIES.items():
            fresh, warm = [], []
            for _ in range(QUERY_RUNS):
                start = time.perf_counter()
                con = duckdb.connect(str(warehouse), read_only=True)
                con.execute(sql).fetchall()
                con.close()
                fresh.append(time.perf_counter() - start)
                start = time.perf_counter()
                open_connection.execute(sql).fetchall()
                warm.append(time.perf_counter() - start)
            results[name] = (statistics.median(fresh), _p95(fresh), statistics.median(warm), _p95(warm))
    finally:
        open_connection.close()
    return results


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def bench(sizes: list[int]) -> list[Row]:
    rows: list[Row] = []
    env = {**os.environ}
    env.pop("KERNCIJFERS_TARGET", None)
    with tempfile.TemporaryDirectory(prefix="kerncijfers-bench-") as scratch:
        work = Path(scratch)
        floor = _empty_dbt_floor(work, env)
        print(f"floor: dbt build of a one-model project {floor:.2f} s")
        one_document_build: float | None = None
        for size in sizes:
            folder = work / f"n{size}"
            history = History(seed=size)
            months = months_ending(LAST_MONTH, size + 1)
            documents = _documents(folder / "documents", size, history, months)
            project = Project(_project(folder))

            start = time.perf_counter()
            ingest(project, documents)
            text_seconds = time.perf_counter() - start
            rows.append(
                Row(
                    size,
                    "ingest text",
                    size / text_seconds,
                    "documents/s",
                    note=f"{size} documents in {text_seconds:.2f} s",
                )
            )

            pdf_count = min(size, PDF_SAMPLE)
            pdfs = [
                text_pdf(p.read_text(encoding="utf-8"), p.with_suffix(".pdf")) for p in documents[:pdf_count]
            ]
            pdf_project = Project(_project(folder / "pdf"))
            start = time.perf_counter()
            ingest(pdf_project, pdfs)
            pdf_seconds = time.perf_counter() - start
            rows.append(
                Row(
                    size,
                    "ingest PDF",
                    pdf_count / pdf_seconds,
                    "documents/s",
                    note=f"{pdf_count} PDFs in {pdf_seconds:.2f} s",
                )
            )

            warehouse = folder / "warehouse" / "kerncijfers.duckdb"
            build_env = {**env, "KERNCIJFERS_WAREHOUSE": str(warehouse)}
            build = [sys.executable, "-m", "kerncijfers", "--project-dir", str(project.root), "build"]
            floor = _empty_dbt_floor(work, env)
            seconds, memory = _run(build, project.root, build_env)
            full = text_seconds + seconds
            if size == sizes[0]:
                one_document_build = full
            rows.append(
                Row(
                    size,
                    "full build (ingest + dbt build + audit + publish)",
                    full,
                    "s",
                    floor,
                    note=f"peak memory {memory:.0f} MiB",
                )
            )
            if size == 120 and one_document_build:
                rows[-1].note += f"; {full / one_document_build:.2f}x the 1-document build (target <= 1.5x)"

            new_month = _documents(folder / "new", 1, history, months[size:])[0]
            start = time.perf_counter()
            ingest(project, [new_month])
            add_ingest = time.perf_counter() - start
            floor = _empty_dbt_floor(work, env)
            seconds, memory = _run(build, project.root, build_env)
            added = add_ingest + seconds
            note = f"peak memory {memory:.0f} MiB"
            if one_document_build:
                note += f"; {added / one_document_build:.2f}x the 1-document build"
                if size == 1200:
                    note += " (target <= 2x)"
            rows.append(Row(size, "add one month (ingest + build)", added, "s", floor, note=note))

            report = [
                sys.executable,
                "-m",
                "kerncijfers",
                "--project-dir",
                str(project.root),
                "report",
                "--output",
                str(folder / "report.html"),
            ]
            seconds, memory = _run(report, project.root, build_env)
            rows.append(
                Row(
                    size,
                    "report (reads the published warehouse)",
                    seconds,
                    "s",
                    note=f"peak memory {memory:.0f} MiB",
                )
            )

            for name, (median, p95, warm_median, warm_p95) in _query_latencies(warehouse).items():
                rows.append(Row(size, f"query median: {name}", median * 1000, "ms", warm_median * 1000))
                rows.append(
                    Row(
                        size,
                        f"query p95: {name}",
                        p95 * 1000,
                        "ms",
                        warm_p95 * 1000,
                        note="target < 50 ms at 1,200" if size == 1200 else "",
                    )
                )
            peak_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            rows.append(Row(size, "peak memory of the benchmark process (ingest, queries)", peak_self, "MiB"))
            _print([row for row in rows if row.size == size])
    return rows


def _print(rows: list[Row]) -> None:
    for row in rows:
        floor = f"{row.floor:10.2f}" if row.floor is not None else " " * 10
        ratio = f"{row.ratio:6.2f}x" if row.ratio is not None else " " * 7
        print(
            f"{row.size:5d}  {row.measure:<70} {row.value:10.2f} {row.unit:<12} {floor} {ratio}  {row.note}"
        )


def main() -> None:
    sizes = [int(s) for s in os.environ.get("BENCH_SIZES", "1,120,1200").split(",")]
    print(f"{'size':>5}  {'measure':<70} {'value':>10} {'unit':<12} {'floor':>10} {'ratio':>7}")
    rows = bench(sizes)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    with open(RESULTS, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["publications", "measure", "value", "unit", "floor", "ratio", "note"])
        for row in rows:
            writer.writerow(
                [
                    row.size,
                    row.measure,
                    f"{row.value:.3f}",
                    row.unit,
                    "" if row.floor is None else f"{row.floor:.3f}",
                    "" if row.ratio is None else f"{row.ratio:.2f}",
                    row.note,
                ]
            )
    print(f"results: {RESULTS}")
    print()
    print(summary_table(rows))


def summary_table(rows: list[Row]) -> str:
    """The short Markdown table the README shows, one line per history size."""
    lines = [
        "| publications | ingest, text (docs/s) | ingest, PDF (docs/s) | full build (s) | "
        "add one month (s) | report (s) | slowest BI query p95 (ms) | peak memory (MiB) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for size in sorted({row.size for row in rows}):
        at = {row.measure: row for row in rows if row.size == size}
        build = at["full build (ingest + dbt build + audit + publish)"]
        added = at["add one month (ingest + build)"]
        p95 = max(
            (row for name, row in at.items() if name.startswith("query p95")), key=lambda row: row.value
        )
        memory = max(
            float(note.split("peak memory ")[1].split(" MiB")[0]) for note in (build.note, added.note)
        )
        lines.append(
            f"| {size:,} | {at['ingest text'].value:.0f} | {at['ingest PDF'].value:.0f} | "
            f"{build.value:.1f} ({build.ratio:.1f}x floor) | {added.value:.1f} ({added.ratio:.1f}x floor) | "
            f"{at['report (reads the published warehouse)'].value:.1f} | "
            f"{p95.value:.1f} ({p95.ratio:.2f}x floor) | {memory:.0f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    main()
