"""`kerncijfers build`: stored documents -> raw seeds -> `dbt build` -> a short summary."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

from ingest.export import export_folder, export_marts
from ingest.store import DOCUMENT_COLUMNS, FIGURE_COLUMNS, Project, read_seed, reingest_stored
from ingest.warehouse import WAREHOUSE_ENV, builds_duckdb, connect, warehouse_path

def run_dbt(project: Project, *args: str, target: str | None = None) -> int:
    """Run the dbt CLI of this environment on the project; dbt's own output goes to the terminal."""
    warehouse = warehouse_path(project)
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    if builds_duckdb(target) and warehouse.exists():
        # dbt would otherwise fail deep inside with a lock error when a BI tool holds the file.
        connect(warehouse, read_only=False).close()
    command = [
        str(Path(sys.executable).with_name("dbt")), *args,
        "--project-dir", str(project.root), "--profiles-dir", str(project.root / "profiles"),
    ]  # fmt: skip
    if target:
        command += ["--target", target]
    env = {**os.environ, WAREHOUSE_ENV: str(warehouse)}
    return subprocess.run(command, cwd=project.root, env=env, check=False).returncode


def build(project: Project, target: str | None = None) -> int:
    """Parse new documents, dbt build, then (on DuckDB) exports and expectations; the findings
    first and the summary last, so the end of the output says what was built and where."""
    reingest_stored(project)
    status = run_dbt(project, "build", target=target)
    on_duckdb = builds_duckdb(target)
    findings = test_findings(project) if on_duckdb else ""
    if findings:
        print()
        print(findings)
    extra: list[str] = []
    if status == 0 and on_duckdb:
        # Exports follow a successful build only, so that the files never hold marts that failed.
        folder = export_folder(warehouse_path(project))
        exports = export_marts(warehouse_path(project), folder)
        extra.append(f"  exports   : {len(exports)} marts as Parquet and CSV in {folder}")
        print()
        status = check(project)
    elif status == 0:
        extra.append("  checks    : the expectations run on the DuckDB target; skipped here")
    print()
    print(summary(project, extra, None if on_duckdb else "PostgreSQL (KERNCIJFERS_PG_*)"))
    return status


def check(project: Project) -> int:
    """Run the expectations on the warehouse; 1 when any finding is critical."""
    from ingest.checks import run_checks

    warehouse = warehouse_path(project)
    report = run_checks(warehouse, data_docs_dir=warehouse.parent / "data_docs")
    print(report.render())
    return 1 if report.critical else 0


def summary(
    project: Project, extra: list[str] | None = None, where: str | None = None
) -> str:
    documents = read_seed(project.documents_seed, DOCUMENT_COLUMNS)
    figures = len(read_seed(project.figures_seed, FIGURE_COLUMNS))
    months = sorted({row["reference_month"][:7] for row in documents})
    span = f"{months[0]} .. {months[-1]}" if months else "none"
    lines = [
        "Kerncijfers warehouse",
        f"  documents : {len(documents)} (months {span})",
        f"  figures   : {figures}",
    ]
    results = project.root / "target" / "run_results.json"
    if results.exists():
        counts: Counter[tuple[str, str]] = Counter()
        for result in json.loads(results.read_text())["results"]:
            kind = result["unique_id"].split(".", 1)[0]
            counts[(kind, result["status"])] += 1
        for kind in ("seed", "model", "test", "unit_test"):
            statuses = {status: n for (k, status), n in counts.items() if k == kind}
            if statuses:
                detail = ", ".join(f"{n} {status}" for status, n in sorted(statuses.items()))
                lines.append(f"  {kind + 's':<10}: {sum(statuses.values())} ({detail})")
    lines += extra or []
    lines.append(f"  warehouse : {where or warehouse_path(project)}")
    return "\n".join(lines)


def test_findings(project: Project, limit: int = 10) -> str:
    """The rows behind every test that warned or failed: which document, which figures, which numbers.

    dbt itself only says how many rows a test returned; our tests return rows that name the
    document and the numbers (and dbt stores them, `store_failures`), so show those.
    """
    results = project.root / "target" / "run_results.json"
    warehouse = warehouse_path(project)
    if not results.exists() or not warehouse.exists():
        return ""
    flagged = [
        result for result in json.loads(results.read_text())["results"]
        if result["unique_id"].startswith("test.") and result["status"] in ("warn", "fail")
        and result.get("relation_name")
    ]  # fmt: skip
    if not flagged:
        return ""
    lines = ["Findings of the data tests:"]
    con = connect(warehouse)
    try:
        for result in flagged:
            name = result["unique_id"].split(".")[2]
            lines.append(f"  {result['status'].upper()} {name}")
            cursor = con.execute(f"select * from {result['relation_name']} limit {limit}")
            columns = [column[0] for column in cursor.description]
            for row in cursor.fetchall():
                record = dict(zip(columns, row, strict=True))
                where = " · ".join(
                    str(record[key]) for key in ("document_id", "figure", "breakdown")
                    if record.get(key) is not None
                )  # fmt: skip
                what = record.get("violation") or ", ".join(f"{k}={v}" for k, v in record.items())
                lines.append(f"    {where}: {what}")
    finally:
        con.close()
    return "\n".join(lines)
