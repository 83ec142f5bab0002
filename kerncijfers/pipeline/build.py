"""`kerncijfers build`: stored documents -> raw seeds -> `dbt build` -> exports -> expectations
-> a short summary; and `kerncijfers check`, the expectations alone."""

from __future__ import annotations

from ingest.project import Project
from ingest.store import reingest_stored
from kerncijfers.export import export_folder, export_marts
from kerncijfers.pipeline.dbt import run_dbt
from kerncijfers.pipeline.summary import summary, test_findings
from kerncijfers.warehouse import builds_duckdb, warehouse_path


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
    from kerncijfers.checks import run_checks

    warehouse = warehouse_path(project)
    report = run_checks(warehouse, project.root / "gx", data_docs_dir=warehouse.parent / "data_docs")
    print(report.render())
    return 1 if report.critical else 0
