"""What a build says at its end: the rows behind every data test that warned or failed, then a
summary of what was built and where."""

from __future__ import annotations

import json
from collections import Counter

from ingest.project import Project
from ingest.seeds import read_documents, read_figures
from kerncijfers.warehouse import connect, warehouse_path


def summary(project: Project, extra: list[str] | None = None, where: str | None = None) -> str:
    documents = read_documents(project.documents_seed)
    figures = len(read_figures(project.figures_seed))
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
        result
        for result in json.loads(results.read_text())["results"]
        if result["unique_id"].startswith("test.")
        and result["status"] in ("warn", "fail")
        and result.get("relation_name")
    ]
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
                    str(record[key])
                    for key in ("document_id", "figure", "breakdown")
                    if record.get(key) is not None
                )
                what = record.get("violation") or ", ".join(f"{k}={v}" for k, v in record.items())
                lines.append(f"    {where}: {what}")
    finally:
        con.close()
    return "\n".join(lines)
