"""`kerncijfers diff`: what changed between two vintages of the same month.

Reads the raw seeds only, so it works before (and without) a build. Figures are matched on what
they measure (figure, population, window, period, subject), not on their position or line.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ingest.errors import IngestError
from ingest.project import Project
from ingest.seeds import Row, read_documents, read_figures

KEY = ("figure_code", "population_code", "window_type", "period_start", "period_end", "subject_label_nl")


@dataclass(frozen=True)
class Change:
    kind: str  # changed, added, removed
    key: tuple[str, ...]
    old: Row | None
    new: Row | None

    def describe(self) -> str:
        code, population, window, start, end, subject = self.key
        what = f"{code} · {population} · {window} {start}..{end} · {subject or '(total)'}"
        old = _value(self.old)
        new = _value(self.new)
        return f"{self.kind:<8} {what}: {old} -> {new}"


def _value(row: Row | None) -> str:
    if row is None:
        return "-"
    suffix = "%" if row["unit"] == "percent" else ""
    return f"{row['value']}{suffix} (line {row['source_line']})"


@dataclass(frozen=True)
class Diff:
    month: str
    old_document: Row
    new_document: Row
    changes: list[Change]
    unchanged: int

    def render(self) -> str:
        lines = [
            f"{self.month}: {self.old_document['document_id']} (vintage "
            f"{self.old_document['vintage']}) -> {self.new_document['document_id']} (vintage "
            f"{self.new_document['vintage']})"
        ]
        lines += [f"  {change.describe()}" for change in self.changes]
        counts = {kind: sum(c.kind == kind for c in self.changes) for kind in ("changed", "added", "removed")}
        lines.append(
            f"{counts['changed']} changed, {counts['added']} added, {counts['removed']} removed, "
            f"{self.unchanged} unchanged"
        )
        return "\n".join(lines)


def diff_vintages(project: Project, month: str, old_id: str | None = None, new_id: str | None = None) -> Diff:
    """Compare two documents of one reference month (default: the two published last, in the
    order the marts use: publication date, or the ingest date when it is unknown, then vintage)."""
    documents = [row for row in read_documents(project.documents_seed) if row["reference_month"][:7] == month]
    documents.sort(key=lambda row: (row["published_on"] or row["ingested_at"][:10], int(row["vintage"])))
    by_id = {row["document_id"]: row for row in documents}
    if old_id is None and new_id is None:
        if len(documents) < 2:
            raise IngestError(
                project.documents_seed,
                f"{month} has {len(documents)} vintage(s); a diff needs two",
            )
        old, new = documents[-2], documents[-1]
    else:
        missing = [d for d in (old_id, new_id) if d is None or d not in by_id]
        if missing:
            known = ", ".join(by_id) or "none"
            raise IngestError(
                project.documents_seed,
                f"give two documents of {month} (--from and --to); known: {known}",
            )
        old, new = by_id[str(old_id)], by_id[str(new_id)]

    figures = read_figures(project.figures_seed)
    old_rows = {_key(r): r for r in figures if r["document_id"] == old["document_id"]}
    new_rows = {_key(r): r for r in figures if r["document_id"] == new["document_id"]}
    changes: list[Change] = []
    unchanged = 0
    for key in sorted(old_rows.keys() | new_rows.keys()):
        before, after = old_rows.get(key), new_rows.get(key)
        if before is None:
            changes.append(Change("added", key, None, after))
        elif after is None:
            changes.append(Change("removed", key, before, None))
        elif Decimal(before["value"]) != Decimal(after["value"]):
            changes.append(Change("changed", key, before, after))
        else:
            unchanged += 1
    return Diff(month, old, new, changes, unchanged)


def _key(row: Row) -> tuple[str, ...]:
    return tuple(row[column] for column in KEY)
