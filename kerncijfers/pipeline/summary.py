"""What a build says at its end: what was read, built, tested and published, and where."""

from __future__ import annotations

from collections import Counter

from core.project import Project
from core.seeds import read_documents, read_figures
from kerncijfers.warehouse import warehouse_path


def summary(
    project: Project,
    results: Counter[tuple[str, str]],
    extra: list[str] | None = None,
    where: str | None = None,
) -> str:
    """`results`: dbt's nodes by (kind, status) (`DbtRun.results`)."""
    documents = read_documents(project.documents_seed)
    figures = len(read_figures(project.figures_seed))
    months = sorted({row["reference_month"][:7] for row in documents})
    span = f"{months[0]} .. {months[-1]}" if months else "none"
    lines = [
        "Kerncijfers warehouse",
        f"  documents : {len(documents)} (months {span})",
        f"  figures   : {figures}",
    ]
    for kind in ("seed", "model", "test", "unit_test"):
        statuses = {status: n for (k, status), n in results.items() if k == kind}
        if statuses:
            detail = ", ".join(f"{n} {status}" for status, n in sorted(statuses.items()))
            lines.append(f"  {kind + 's':<10}: {sum(statuses.values())} ({detail})")
    lines += extra or []
    lines.append(f"  warehouse : {where or warehouse_path(project)}")
    return "\n".join(lines)
