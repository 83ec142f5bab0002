"""Storing documents and their figures in the project: the unchanged copies and the raw seeds.

`ingest` adds documents; `reingest_stored` parses stored documents again after a parser change.
Everything is read and checked before anything is written, and every write is one transaction of
the journal (`core/journal.py`) under the project's lock: a refused document, a crash or a
second run never leaves half a change. Where the files live is `core/project.py`; their format
is `core/seeds.py`; the checks a stored document and its rows pass, `stored.py`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from core.errors import IngestError
from core.journal import commit_files, project_lock, recover
from core.project import Project
from core.reference import NATIONALITY_LABELS, PERMIT_PURPOSES, POPULATIONS, reference_codes, unknown_labels
from core.seeds import (
    DOCUMENT_COLUMNS,
    FIGURE_COLUMNS,
    Row,
    cell,
    figure_document_ids,
    read_documents,
    read_figures,
    render_seed,
)
from ingest.figures import FamilyRegistry, Publication, extract, load_families, parser_version
from ingest.reading import Document, read_document
from ingest.stored import (
    check_cells,
    check_published_on,
    check_source_url,
    check_stored_hash,
    check_stored_path,
    document_id_for,
    figure_rows,
    stored_copy,
)
from ingest.verify import keeping_verified

PUBLISHER = "Ministerie van Justitie en Veiligheid"

Parsed = tuple[Document, Publication]


@dataclass
class IngestReport:
    """What an ingest run did, document by document."""

    added: list[str] = field(default_factory=list)
    reparsed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    # What was recorded about a stored document after the fact: (document_id, what, was), e.g.
    # ("kerncijfers-2023-01-…", "published_on 2023-02-15", None or the value it replaces).
    described: list[tuple[str, str, str | None]] = field(default_factory=list)
    # Figure rows of the documents added; of the documents re-parsed, as stored now and as they
    # were before; and in the figures seed after the run (every stored document's).
    figures_added: int = 0
    figures_reparsed: int = 0
    figures_reparsed_before: int = 0
    figures_in_seed: int = 0
    # Labels of the documents given that no reference seed has a code for, one error each (file,
    # line, the label, what to do). The documents are stored all the same — the store keeps what
    # was published; the spelling can be added to seeds/reference/ afterwards — but the build
    # refuses them until it is (kerncijfers/pipeline/preflight.py).
    unknown_labels: list[IngestError] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.reparsed or self.described)


def ingest(
    project: Project,
    paths: Sequence[Path],
    *,
    source_url: str | None = None,
    published_on: date | None = None,
    replace_metadata: bool = False,
    now: datetime | None = None,
) -> IngestReport:
    """Add documents to the project (and bring stored ones up to the current parser).

    `source_url` and `published_on` describe the documents given. For a document already stored
    they are recorded where it has none yet (a document dated after the fact); one that differs
    from what is recorded is refused unless `replace_metadata`.
    """
    check_source_url(source_url)
    with project_lock(project):
        project.check_folders()
        recover(project)
        families = load_families(project.families_seed)
        documents = read_documents(project.documents_seed)
        figures = read_figures(project.figures_seed)
        stale, _ = _stale_documents(project, documents, figures, families, force=False)
        parsed = [_parse(path, families) for path in paths]
        unknown = _unknown_labels_given(project, parsed)
        # `unchanged` names the documents given (or parsed again) that changed nothing.
        with keeping_verified(project):
            # The metadata given describes the files given, never the stored documents parsed
            # again beside them; the files given go first, so that one both given and stale is
            # read once, with its metadata.
            metadata = Metadata(source_url, published_on, replace_metadata)
            report = _store(
                project,
                documents,
                figures,
                [(*item, metadata) for item in parsed] + [(*item, Metadata()) for item in stale],
                now,
            )
        report.unknown_labels = unknown
        return report


def reingest_stored(project: Project, *, force: bool = False) -> IngestReport:
    """Parse the stored documents again where the parser has changed since they were read.

    A document read by the current parser version, whose figures are in the seed, gives the same
    figures again (same bytes, same parser), so it is skipped: a build costs what is new, not the
    whole history. `force` parses every stored document regardless (and rewrites what differs).
    """
    with project_lock(project):
        project.check_folders()
        recover(project)
        documents = read_documents(project.documents_seed)
        for row in documents:  # a manifest edited to point outside documents/ is refused first
            check_stored_path(project, row)
        with_figures = figure_document_ids(project.figures_seed)
        families = load_families(project.families_seed)
        version = parser_version(families)
        current = [row["document_id"] for row in documents if row["parser_version"] == version]
        if not force and len(current) == len(documents) and with_figures >= set(current):
            return IngestReport(unchanged=current)  # nothing to parse: the common case, made quick
        figures = read_figures(project.figures_seed)
        stale, unchanged = _stale_documents(project, documents, figures, families, force=force)
        with keeping_verified(project):
            report = _store(project, documents, figures, [(*item, Metadata()) for item in stale], None)
        report.unchanged = unchanged + report.unchanged
        return report


def _stale_documents(
    project: Project, documents: list[Row], figures: list[Row], families: FamilyRegistry, *, force: bool
) -> tuple[list[Parsed], list[str]]:
    """Stored documents parsed again (read by another parser version, or without figures in the
    seed; all of them with `force`), and the ids of those left as they are."""
    with_figures = {row["document_id"] for row in figures}
    version = parser_version(families)
    parsed: list[Parsed] = []
    unchanged: list[str] = []
    for line, row in enumerate(documents, start=2):
        check_stored_path(project, row)
        current = row["parser_version"] == version
        if not force and current and row["document_id"] in with_figures:
            unchanged.append(row["document_id"])
            continue
        document = read_document(stored_copy(project, row, line))
        check_stored_hash(project, row, line, document)  # before parsing: an edit is not a misreading
        parsed.append((document, extract(document, families)))
    return parsed, unchanged


@dataclass(frozen=True)
class Metadata:
    """What the maintainer says about the documents of one ingest, beyond their bytes."""

    source_url: str | None = None
    published_on: date | None = None
    replace: bool = False

    def changes(self, document: Document, existing: Row) -> list[tuple[str, str, str | None]]:
        """(column, new value, the value it replaces or None) for a stored document. Recording a
        value where none is stored is a change like any other; replacing a recorded one needs
        `replace` (--replace-metadata), and is refused otherwise."""
        changes = []
        for name, given in (("source_url", self.source_url), ("published_on", self.published_on)):
            stored = existing[name]
            if given is None or stored == cell(given):
                continue
            if stored and not self.replace:
                raise IngestError(
                    document.path,
                    f"this document is already stored as {existing['document_id']} with {name} "
                    f"{stored!r}, not {cell(given)!r}; to replace it, give --replace-metadata",
                )
            changes.append((name, cell(given), stored or None))
        return changes


def _parse(path: Path, families: FamilyRegistry) -> Parsed:
    document = read_document(path)
    return document, extract(document, families)


def _store(
    project: Project,
    documents: list[Row],
    figures: list[Row],
    parsed: Sequence[tuple[Document, Publication, Metadata]],
    now: datetime | None,
) -> IngestReport:
    report = IngestReport()
    today = date.today()
    by_sha = {row["sha256"]: row for row in documents}
    figures_by_document: dict[str, list[Row]] = {}
    for row in figures:
        figures_by_document.setdefault(row["document_id"], []).append(row)
    copies: dict[Path, bytes] = {}
    stamp = (now or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M:%S")

    read_in_this_run: set[str] = set()
    for document, publication, metadata in parsed:
        if metadata.published_on is not None:
            check_published_on(document.path, publication.reference_month, metadata.published_on, today)
        existing = by_sha.get(document.sha256)
        changes = metadata.changes(document, existing) if existing is not None else []
        if document.sha256 in read_in_this_run:
            continue  # the same document twice in one run (given twice, or stale and given)
        read_in_this_run.add(document.sha256)
        if existing is not None:
            document_id = existing["document_id"]
            new_rows = figure_rows(document_id, publication.figures)
            check_cells(document, new_rows)
            for name, value, was in changes:
                existing[name] = value
                report.described.append((document_id, f"{name} {value}", was))
            if (
                figures_by_document.get(document_id) == new_rows
                and existing["parser_version"] == publication.parser_version
            ):
                if not changes:
                    report.unchanged.append(document_id)
                continue
            existing["parser_version"] = publication.parser_version
            report.figures_reparsed_before += len(figures_by_document.get(document_id, []))
            report.figures_reparsed += len(new_rows)
            figures_by_document[document_id] = new_rows
            report.reparsed.append(document_id)
            continue
        document_id = document_id_for(publication, document)
        month = cell(publication.reference_month)
        dated = sorted(
            row["document_id"] for row in documents if row["reference_month"] == month and row["published_on"]
        )
        if metadata.published_on is None and dated:
            raise IngestError(
                document.path,
                f"{month[:7]} already has dated publications ({', '.join(dated)}); give this one's "
                "--published-on, so that its place among them is known (without it the month would "
                "be ordered by ingest, and this one would win it)",
            )
        vintage = 1 + sum(1 for row in documents if row["reference_month"] == month)
        stored = project.documents_dir / f"{document.sha256}{document.suffix}"
        row = {
            "document_id": document_id,
            "reference_month": month,
            "vintage": str(vintage),
            "title": publication.title,
            "publisher": PUBLISHER,
            "source_url": cell(metadata.source_url),
            "published_on": cell(metadata.published_on),
            "sha256": document.sha256,
            "size_bytes": str(len(document.data)),
            "media_type": document.media_type,
            "stored_path": str(stored.relative_to(project.root)),
            "parser_version": publication.parser_version,
            "ingested_at": stamp,
        }
        documents.append(row)
        by_sha[document.sha256] = row
        new_rows = figure_rows(document_id, publication.figures)
        check_cells(document, [row, *new_rows])
        figures_by_document[document_id] = new_rows
        report.figures_added += len(new_rows)
        # Kept when it already holds these very bytes; anything else at its name (a link, a file
        # of other bytes) is replaced, never taken for the stored copy nor written through.
        if stored.is_symlink() or not stored.is_file() or stored.read_bytes() != document.data:
            copies[stored] = document.data
        report.added.append(document_id)

    if not report.changed:
        return report
    documents.sort(key=lambda row: (row["reference_month"], int(row["vintage"])))
    ordered = [row for doc in documents for row in figures_by_document.get(doc["document_id"], [])]
    report.figures_in_seed = len(ordered)
    commit_files(
        project,
        {
            **copies,
            project.documents_seed: render_seed(documents, DOCUMENT_COLUMNS),
            project.figures_seed: render_seed(ordered, FIGURE_COLUMNS),
        },
    )
    return report


def _unknown_labels_given(project: Project, parsed: Sequence[Parsed]) -> list[IngestError]:
    """Every label of the documents given that the reference seeds have no code for.

    Not a reason to refuse them: a label is what the publication printed, and the reference seeds
    may gain its spelling later (after which the document builds without being ingested again).
    The build refuses, naming the same labels by the stored copy, until they do. A project whose
    reference seeds are missing or unreadable is not judged here: the build names what is wrong."""
    if not all(
        (project.root / seed).is_file() for seed in (NATIONALITY_LABELS, PERMIT_PURPOSES, POPULATIONS)
    ):
        return []
    try:
        codes = reference_codes(project)
    except IngestError:
        return []
    return [
        error
        for document, publication in parsed
        for error in unknown_labels(document.path, figure_rows("", publication.figures), codes)
    ]
