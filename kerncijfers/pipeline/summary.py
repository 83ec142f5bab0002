"""What a build says at its end: what was read, built, tested and published, and where."""

from __future__ import annotations

import json
from collections import Counter

from ingest.project import Project
from ingest.seeds import read_documents, read_figures
from kerncijfers.warehouse import warehouse_path


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
