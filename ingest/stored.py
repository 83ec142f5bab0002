"""A document as the project stores it, and the checks every stored row passes.

A publication is stored under an id of its month and its bytes (`document_id_for`), its figures
as seed rows in reading order (`figure_rows`). Before anything is written — and again whenever a
stored document is read back (`ingest --stored`, `verify`) — its copy lies in documents/ and
still has its sha256, its publication date and source URL can be true, and every cell fits a seed.
`store.py` (the ingest) and `verify.py` both stand on these.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from core.errors import IngestError
from core.journal import inside
from core.project import Project
from core.seeds import Row, cell
from ingest.dutch import month_end
from ingest.figures import Figure, Publication
from ingest.reading import Document

# No cell of the raw seeds is longer than this: what the ingest writes, every later run (and any
# CSV reader, Python's included) can read. The parser clips source sentences far below it; a
# longer cell means something else went wrong, and the document is refused before any write.
MAX_CELL_CHARS = 2000


def figure_rows(document_id: str, figures: Sequence[Figure]) -> list[Row]:
    """The seed rows of a document's figures, numbered in reading order."""
    return [
        {
            "document_id": document_id,
            "figure_seq": str(seq),
            "figure_code": figure.figure_code,
            "population_code": figure.population_code,
            "window_type": figure.window_type,
            "period_start": cell(figure.period_start),
            "period_end": cell(figure.period_end),
            "subject_type": figure.subject_type,
            "subject_label_nl": cell(figure.subject_label_nl),
            "value": cell(figure.value),
            "unit": figure.unit,
            "is_approximate": cell(figure.is_approximate),
            "rounding_unit": cell(figure.rounding_unit),
            "rounding_basis": figure.rounding_basis,
            "source_line": str(figure.source_line),
            "source_text": figure.source_text,
        }
        for seq, figure in enumerate(figures, start=1)
    ]


def document_id_for(publication: Publication, document: Document) -> str:
    return f"kerncijfers-{publication.reference_month:%Y-%m}-{document.sha256[:12]}"


def stored_copy(project: Project, row: Row, line: int) -> Path:
    """The stored copy a manifest row names, refused when it lies outside documents/ or is gone."""
    check_stored_path(project, row)
    stored = inside(
        project.root, project.root / row["stored_path"], project.documents_seed, folder=project.documents_dir
    )
    if not stored.is_file():
        raise IngestError(
            project.documents_seed,
            f"document {row['document_id']} is missing its stored copy {row['stored_path']}; "
            "restore it from git (or from where it was published)",
            line,
        )
    return stored


def check_stored_hash(project: Project, row: Row, line: int, document: Document) -> None:
    """A stored copy is never edited: one whose bytes no longer give the manifest's sha256 is
    refused (it is not a new vintage — a new vintage is ingested from the published file)."""
    if document.sha256 != row["sha256"]:
        raise IngestError(
            project.root / row["stored_path"],
            f"this stored copy of {row['document_id']} was changed after it was ingested: its sha256 "
            f"is no longer the one in {project.documents_seed.name} line {line}. Restore it "
            f"(git checkout -- {row['stored_path']}); ingest a new version as a file of its own",
        )


def check_source_url(source_url: str | None) -> None:
    """A source URL is where the document was published: an http(s) URL, nothing else (in
    particular no text a spreadsheet would run as a formula)."""
    if source_url is None:
        return
    from urllib.parse import urlsplit

    parts = urlsplit(source_url)
    if (
        parts.scheme not in ("http", "https")
        or not parts.netloc
        or len(source_url) > MAX_CELL_CHARS
        or any(char.isspace() or not char.isprintable() for char in source_url)
    ):
        raise IngestError(
            "--source-url",
            f"{source_url[:80]!r} is not an http(s) URL; give the address the document was published at",
        )


def check_stored_path(project: Project, row: Row) -> None:
    """A manifest row's stored copy lies in documents/, by its words alone (no file is touched; the
    copy that is read is checked again, links and all, when it is opened)."""
    relative = os.path.normpath(row["stored_path"])
    if os.path.isabs(relative) or os.path.dirname(relative) != "documents":
        raise IngestError(
            project.documents_seed,
            f"refusing the path {row['stored_path']} of {row['document_id']} — it lies outside {project.documents_dir}",
        )


def check_published_on(
    source: str | Path,
    reference_month: date,
    published_on: date,
    today: date,
    *,
    line: int | None = None,
    name: str = "--published-on",
) -> None:
    """A publication date lies after the end of the month the publication is about (its figures
    are counted first) and not after today."""
    end = month_end(reference_month.year, reference_month.month)
    if published_on <= end:
        raise IngestError(
            source,
            f"{name} {published_on} is not after the end of {reference_month:%Y-%m}, the month "
            "the publication is about: a month's figures are published once it has ended. Check the date",
            line,
        )
    if published_on > today:
        raise IngestError(
            source,
            f"{name} {published_on} is after today ({today}): a publication date cannot lie "
            "in the future. Check the date",
            line,
        )


def check_cells(document: Document, rows: Sequence[Row]) -> None:
    """Every cell fits the seeds (MAX_CELL_CHARS), or the document is refused with the line."""
    for row in rows:
        for column, value in row.items():
            if len(value) > MAX_CELL_CHARS:
                line = int(row["source_line"]) if "source_line" in row else None
                raise IngestError(
                    document.path,
                    f"the {column} read here is {len(value):,} characters long, more than the "
                    f"{MAX_CELL_CHARS:,} a seed cell holds; shorten it in the document",
                    line,
                )
