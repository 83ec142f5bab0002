"""`kerncijfers diff`: what changed between two vintages of the same month.

Reads the raw seeds only, so it works before (and without) a build. Figures are matched on what
they measure (figure, population, window, period, subject), not on their position or line.

The order of the vintages of a month is the marts' (models/intermediate/
int_source_documents_ordered.sql, the same rule): by publication date where every vintage of the
month has one (the later vintage first among those of one day); where any lacks one, by vintage,
the order of ingest. The day a document was ingested is never taken for its publication date.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from core.errors import IngestError
from core.project import Project
from core.seeds import Row, read_documents, read_figures

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
    ordered_by_date: bool = True

    def render(self) -> str:
        lines = [f"{self.month}: {_describe(self.old_document)} -> {_describe(self.new_document)}"]
        for column in ("published_on", "source_url"):
            before, after = self.old_document[column] or "-", self.new_document[column] or "-"
            lines.append(f"  {column:<12} {before} -> {after}")
        lines += [f"  {change.describe()}" for change in self.changes]
        counts = {kind: sum(c.kind == kind for c in self.changes) for kind in ("changed", "added", "removed")}
        lines.append(
            f"{counts['changed']} changed, {counts['added']} added, {counts['removed']} removed, "
            f"{self.unchanged} unchanged"
        )
        if not self.ordered_by_date:
            lines.append(
                "order: by vintage (the order of ingest), as not every publication of the month has a "
                "publication date; record one with `kerncijfers ingest FILE --published-on YYYY-MM-DD`"
            )
        return "\n".join(lines)


def _describe(document: Row) -> str:
    return f"{document['document_id']} (vintage {document['vintage']})"


def all_dated(documents: list[Row]) -> bool:
    """Whether the publication dates decide the order of these documents of one month."""
    return all(row["published_on"] for row in documents)


def in_publication_order(documents: list[Row]) -> list[Row]:
    """The documents of one reference month, earliest publication first (the module's rule)."""
    if all_dated(documents):
        return sorted(documents, key=lambda row: (row["published_on"], int(row["vintage"])))
    return sorted(documents, key=lambda row: int(row["vintage"]))


def diff_vintages(project: Project, month: str, old_id: str | None = None, new_id: str | None = None) -> Diff:
    """Compare two documents of one reference month (default: the two published last, in the
    order the marts use)."""
    documents = [row for row in read_documents(project.documents_seed) if row["reference_month"][:7] == month]
    documents = in_publication_order(documents)
    by_id = {row["document_id"]: row for row in documents}
    if old_id is None and new_id is None:
        if len(documents) < 2:
            only = (
                f": {_describe(documents[0])}, published_on {documents[0]['published_on'] or 'unknown'}"
                if documents
                else ""
            )
            raise IngestError(
                project.documents_seed,
                f"{month} has {len(documents)} vintage(s){only}; a diff needs two",
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
    return Diff(month, old, new, changes, unchanged, all_dated(documents))


def _key(row: Row) -> tuple[str, ...]:
    return tuple(row[column] for column in KEY)
