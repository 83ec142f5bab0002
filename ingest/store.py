"""Writing documents and their figures into the project: the stored copies and the raw seeds.

Layout (relative to the project root):

- `ingest/documents/<sha256>.<pdf|txt>`: the unchanged copy of every document, content-addressed;
- `seeds/raw/raw_source_documents.csv`: the manifest, one row per document;
- `seeds/raw/raw_published_figures.csv`: every figure, one row per document and figure.

Every change is one transaction: new files are written beside the old ones (`*.new`), a journal
listing them is renamed into place (the commit point), then each file is renamed over its old
version and the journal removed. A run that dies before the commit point leaves the old state (the
next run deletes the stray `*.new` files); one that dies after it leaves a journal that the next
run completes. Either way no reader sees a mix and nobody has to repair anything by hand. A lock
file keeps two runs from interleaving.
"""

from __future__ import annotations

import csv
import errno
import fcntl
import io
import json
import os
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

from ingest.errors import IngestError
from ingest.figures import PARSER_VERSION, Figure, Publication, extract
from ingest.reading import Document, read_document

PUBLISHER = "Ministerie van Justitie en Veiligheid"

DOCUMENT_COLUMNS = (
    "document_id", "reference_month", "vintage", "title", "publisher", "source_url",
    "published_on", "sha256", "size_bytes", "media_type", "stored_path", "parser_version",
    "ingested_at",
)  # fmt: skip
FIGURE_COLUMNS = (
    "document_id", "figure_seq", "figure_code", "population_label_nl", "window_type",
    "period_start", "period_end", "subject_type", "subject_label_nl", "value", "unit",
    "is_approximate", "rounding_unit", "rounding_basis", "source_line", "source_text",
)  # fmt: skip

Row = dict[str, str]


@dataclass(frozen=True)
class Project:
    """Where a project keeps its documents, seeds and lock."""

    root: Path

    @property
    def documents_dir(self) -> Path:
        return self.root / "ingest" / "documents"

    @property
    def seeds_dir(self) -> Path:
        return self.root / "seeds" / "raw"

    @property
    def documents_seed(self) -> Path:
        return self.seeds_dir / "raw_source_documents.csv"

    @property
    def figures_seed(self) -> Path:
        return self.seeds_dir / "raw_published_figures.csv"

    @property
    def journal(self) -> Path:
        return self.seeds_dir / ".ingest-journal.json"

    @property
    def lock_file(self) -> Path:
        return self.root / ".kerncijfers.lock"

    @classmethod
    def find(cls, start: Path | None = None) -> Project:
        """The project around the current directory: the nearest folder with dbt_project.yml."""
        here = (start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / "dbt_project.yml").is_file():
                return cls(folder)
        raise IngestError(here, "not inside a kerncijfers project (no dbt_project.yml found)")


@dataclass
class IngestReport:
    """What an ingest run did, document by document."""

    added: list[str] = field(default_factory=list)
    reparsed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    figures_written: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.added or self.reparsed)


# --- Locking and the transaction -------------------------------------------------------------

@contextmanager
def project_lock(project: Project) -> Iterator[None]:
    """Hold the project's lock for the duration of a run; refuse if another run holds it."""
    project.lock_file.parent.mkdir(parents=True, exist_ok=True)
    with open(project.lock_file, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                raise IngestError(
                    project.lock_file,
                    "another kerncijfers run is in progress; wait for it to finish and try again",
                ) from None
            raise
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _pending(path: Path) -> Path:
    return path.with_name(path.name + ".new")


def _write_durably(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _sync_dir(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


# Fault injection for the crash-safety tests: a run with KERNCIJFERS_PAUSE_AT=<point> stops at
# that point of a transaction (and says so on stderr) so that a test can kill it there.
PAUSE_ENV = "KERNCIJFERS_PAUSE_AT"


def _pause_point(name: str) -> None:
    if os.environ.get(PAUSE_ENV) == name:
        print(f"paused at {name}", file=sys.stderr, flush=True)
        time.sleep(3600)


def commit_files(project: Project, changes: dict[Path, bytes]) -> None:
    """Replace several files as one: all of them change, or (after a crash) none."""
    for path, data in changes.items():
        _write_durably(_pending(path), data)
    _pause_point("pending-written")
    listing = json.dumps(sorted(str(p.relative_to(project.root)) for p in changes)).encode()
    journal_tmp = _pending(project.journal)
    _write_durably(journal_tmp, listing)
    os.replace(journal_tmp, project.journal)  # the commit point
    _sync_dir(project.journal.parent)
    _pause_point("committed")
    _apply_journal(project)


def _apply_journal(project: Project) -> None:
    listing = json.loads(project.journal.read_text())
    folders = set()
    for relative in listing:
        path = _inside(project, project.root / relative, project.journal)
        if _pending(path).exists():
            os.replace(_pending(path), path)
            _pause_point("renaming")
        folders.add(path.parent)
    for folder in folders:
        _sync_dir(folder)
    project.journal.unlink()
    _sync_dir(project.journal.parent)


def recover(project: Project) -> None:
    """Finish a committed transaction that was interrupted; drop one that never committed."""
    if project.journal.exists():
        try:
            _apply_journal(project)
        except (ValueError, TypeError) as exc:
            raise IngestError(project.journal, f"the ingest journal is unreadable ({exc})") from None
    for folder in (project.seeds_dir, project.documents_dir):
        if folder.is_dir():
            for stray in folder.glob("*.new"):
                stray.unlink()


def _inside(project: Project, path: Path, named_in: Path, folder: Path | None = None) -> Path:
    """A path read from a project file, refused if it points outside the project's folders
    (a manifest or journal edited by hand, or by someone with bad intent)."""
    allowed = (folder or project.root).resolve()
    resolved = path.resolve()
    if not resolved.is_relative_to(allowed):
        raise IngestError(named_in, f"refusing the path {path} — it lies outside {allowed}")
    return resolved


# --- Reading and rendering the seeds ---------------------------------------------------------

def read_seed(path: Path, columns: Sequence[str]) -> list[Row]:
    """The rows of a raw seed, refusing a file whose columns are not the expected ones."""
    if not path.exists():
        return []
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise IngestError(path, "the seed is not UTF-8 text; restore it from git") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if tuple(reader.fieldnames or ()) != tuple(columns):
        raise IngestError(
            path,
            f"unexpected columns {reader.fieldnames}; expected {list(columns)}. "
            "Restore the file from git before ingesting",
            1,
        )
    rows = []
    for row in reader:
        if None in row or any(value is None for value in row.values()):
            raise IngestError(path, "a row has the wrong number of fields", reader.line_num)
        rows.append(row)
    return rows


def render_seed(rows: Sequence[Row], columns: Sequence[str]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        # Plain notation without trailing zeros: 2490, 9.5.
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def figure_rows(document_id: str, figures: Sequence[Figure]) -> list[Row]:
    rows = []
    for seq, figure in enumerate(figures, start=1):
        rows.append(
            {
                "document_id": document_id,
                "figure_seq": str(seq),
                "figure_code": figure.figure_code,
                "population_label_nl": figure.population_label_nl,
                "window_type": figure.window_type,
                "period_start": _text(figure.period_start),
                "period_end": _text(figure.period_end),
                "subject_type": figure.subject_type,
                "subject_label_nl": _text(figure.subject_label_nl),
                "value": _text(figure.value),
                "unit": figure.unit,
                "is_approximate": _text(figure.is_approximate),
                "rounding_unit": _text(figure.rounding_unit),
                "rounding_basis": figure.rounding_basis,
                "source_line": str(figure.source_line),
                "source_text": figure.source_text,
            }
        )
    return rows


def document_id_for(publication: Publication, document: Document) -> str:
    return f"kerncijfers-{publication.reference_month:%Y-%m}-{document.sha256[:12]}"


# --- Ingesting -------------------------------------------------------------------------------

def ingest(
    project: Project,
    paths: Sequence[Path],
    *,
    source_url: str | None = None,
    published_on: date | None = None,
    now: datetime | None = None,
) -> IngestReport:
    """Add documents to the project. Everything is read and checked before anything is written."""
    with project_lock(project):
        recover(project)
        documents = read_seed(project.documents_seed, DOCUMENT_COLUMNS)
        figures = read_seed(project.figures_seed, FIGURE_COLUMNS)
        parsed = [_parse(path) for path in paths]
        return _store(project, documents, figures, parsed, source_url, published_on, now)


def reingest_stored(project: Project, *, force: bool = False) -> IngestReport:
    """Parse the stored documents again where the parser has changed since they were read.

    A document read by the current parser version, whose figures are in the seed, gives the same
    figures again (same bytes, same parser), so it is skipped: a build costs what is new, not the
    whole history. `force` parses every stored document regardless (and rewrites what differs).
    """
    with project_lock(project):
        recover(project)
        documents = read_seed(project.documents_seed, DOCUMENT_COLUMNS)
        figures = read_seed(project.figures_seed, FIGURE_COLUMNS)
        with_figures = {row["document_id"] for row in figures}
        parsed = []
        report_unchanged = []
        for row in documents:
            stored = _inside(project, project.root / row["stored_path"], project.documents_seed,
                             folder=project.documents_dir)  # fmt: skip
            if (not force and row["parser_version"] == PARSER_VERSION
                    and row["document_id"] in with_figures):  # fmt: skip
                report_unchanged.append(row["document_id"])
                continue
            if not stored.is_file():
                raise IngestError(
                    project.documents_seed,
                    f"document {row['document_id']} is missing its stored copy {row['stored_path']}",
                )
            parsed.append(_parse(stored))
        report = _store(project, documents, figures, parsed, None, None, None)
        report.unchanged = report_unchanged + report.unchanged
        return report


def _parse(path: Path) -> tuple[Document, Publication]:
    document = read_document(path)
    return document, extract(document)


def _store(
    project: Project,
    documents: list[Row],
    figures: list[Row],
    parsed: Sequence[tuple[Document, Publication]],
    source_url: str | None,
    published_on: date | None,
    now: datetime | None,
) -> IngestReport:
    report = IngestReport()
    by_sha = {row["sha256"]: row for row in documents}
    figures_by_document: dict[str, list[Row]] = {}
    for row in figures:
        figures_by_document.setdefault(row["document_id"], []).append(row)
    copies: dict[Path, bytes] = {}
    stamp = (now or datetime.now(timezone.utc)).strftime("%Y-%m-%d %H:%M:%S")

    for document, publication in parsed:
        existing = by_sha.get(document.sha256)
        if existing is not None:
            _check_metadata(document, existing, source_url, published_on)
            document_id = existing["document_id"]
            new_rows = figure_rows(document_id, publication.figures)
            if figures_by_document.get(document_id) == new_rows and (
                existing["parser_version"] == PARSER_VERSION
            ):
                if document_id not in report.unchanged:
                    report.unchanged.append(document_id)
                continue
            existing["parser_version"] = PARSER_VERSION
            existing["source_url"] = existing["source_url"] or _text(source_url)
            existing["published_on"] = existing["published_on"] or _text(published_on)
            figures_by_document[document_id] = new_rows
            report.reparsed.append(document_id)
            continue
        document_id = document_id_for(publication, document)
        new_rows = figure_rows(document_id, publication.figures)
        month = _text(publication.reference_month)
        vintage = 1 + sum(1 for row in documents if row["reference_month"] == month)
        stored = project.documents_dir / f"{document.sha256}{document.suffix}"
        row = {
            "document_id": document_id,
            "reference_month": month,
            "vintage": str(vintage),
            "title": publication.title,
            "publisher": PUBLISHER,
            "source_url": _text(source_url),
            "published_on": _text(published_on),
            "sha256": document.sha256,
            "size_bytes": str(len(document.data)),
            "media_type": document.media_type,
            "stored_path": str(stored.relative_to(project.root)),
            "parser_version": PARSER_VERSION,
            "ingested_at": stamp,
        }
        documents.append(row)
        by_sha[document.sha256] = row
        figures_by_document[document_id] = new_rows
        if not stored.exists():
            copies[stored] = document.data
        report.added.append(document_id)

    if not report.changed:
        return report
    documents.sort(key=lambda row: (row["reference_month"], int(row["vintage"])))
    ordered = [row for doc in documents for row in figures_by_document.get(doc["document_id"], [])]
    report.figures_written = len(ordered)
    commit_files(
        project,
        {
            **copies,
            project.documents_seed: render_seed(documents, DOCUMENT_COLUMNS),
            project.figures_seed: render_seed(ordered, FIGURE_COLUMNS),
        },
    )
    return report


def _check_metadata(
    document: Document, existing: Row, source_url: str | None, published_on: date | None
) -> None:
    """Metadata given again for a known document must agree with what is stored."""
    for name, given in (("source_url", source_url), ("published_on", published_on)):
        stored = existing[name]
        if given is not None and stored and stored != _text(given):
            raise IngestError(
                document.path,
                f"this document is already stored as {existing['document_id']} with {name} "
                f"{stored!r}, not {_text(given)!r}",
            )
