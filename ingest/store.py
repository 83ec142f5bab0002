"""Storing documents and their figures in the project: the unchanged copies and the raw seeds.

`ingest` adds documents; `reingest_stored` parses stored documents again after a parser change.
Everything is read and checked before anything is written, and every write is one transaction of
the journal (`core/journal.py`) under the project's lock: a refused document, a crash or a
second run never leaves half a change. Where the files live is `core/project.py`; their format
is `core/seeds.py`.
"""

from __future__ import annotations

import csv
import functools
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from core.errors import IngestError, ProjectError
from core.journal import commit_files, inside, project_lock, recover
from core.project import Project
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
from ingest.dutch import month_end
from ingest.figures import PARSER_VERSION, FamilyRegistry, Figure, Publication, extract, load_families
from ingest.reading import Document, read_document
from ingest.verify import keeping_verified

PUBLISHER = "Ministerie van Justitie en Veiligheid"

# No cell of the raw seeds is longer than this: what the ingest writes, every later run (and any
# CSV reader, Python's included) can read. The parser clips source sentences far below it; a
# longer cell means something else went wrong, and the document is refused before any write.
MAX_CELL_CHARS = 2000

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
            _check_stored_path(project, row)
        with_figures = figure_document_ids(project.figures_seed)
        current = [row["document_id"] for row in documents if row["parser_version"] == PARSER_VERSION]
        if not force and len(current) == len(documents) and with_figures >= set(current):
            return IngestReport(unchanged=current)  # nothing to parse: the common case, made quick
        families = load_families(project.families_seed)
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
    parsed: list[Parsed] = []
    unchanged: list[str] = []
    for line, row in enumerate(documents, start=2):
        _check_stored_path(project, row)
        if not force and row["parser_version"] == PARSER_VERSION and row["document_id"] in with_figures:
            unchanged.append(row["document_id"])
            continue
        document = read_document(stored_copy(project, row, line))
        check_stored_hash(project, row, line, document)  # before parsing: an edit is not a misreading
        parsed.append((document, extract(document, families)))
    return parsed, unchanged


def stored_copy(project: Project, row: Row, line: int) -> Path:
    """The stored copy a manifest row names, refused when it lies outside documents/ or is gone."""
    _check_stored_path(project, row)
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


def _check_stored_path(project: Project, row: Row) -> None:
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
            _check_cells(document, new_rows)
            for name, value, was in changes:
                existing[name] = value
                report.described.append((document_id, f"{name} {value}", was))
            if (
                figures_by_document.get(document_id) == new_rows
                and existing["parser_version"] == PARSER_VERSION
            ):
                if not changes:
                    report.unchanged.append(document_id)
                continue
            existing["parser_version"] = PARSER_VERSION
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
            "parser_version": PARSER_VERSION,
            "ingested_at": stamp,
        }
        documents.append(row)
        by_sha[document.sha256] = row
        new_rows = figure_rows(document_id, publication.figures)
        _check_cells(document, [row, *new_rows])
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


# Labels and the reference seeds -------------------------------------------------------------
#
# Staging (models/staging/kerncijfers/stg_kerncijfers__published_figures.sql) gives each figure its
# subject code by joining `lower(trim(subject_label_nl))` on the reference seeds' labels, and its
# population by the code itself. A label no seed has would reach dbt as a null code, and stop it
# with one label named inside a cast error; here every one is named, with the document and line.

REFERENCE_DIR = Path("seeds") / "reference"
NATIONALITY_LABELS = REFERENCE_DIR / "ref_nationality_labels.csv"
PERMIT_PURPOSES = REFERENCE_DIR / "ref_permit_purposes.csv"
POPULATIONS = REFERENCE_DIR / "ref_populations.csv"

# What DuckDB's trim() removes (it keeps tabs and line breaks), and the one letter whose lower
# case DuckDB's lower() gives otherwise than Python's: the key is the one the SQL joins on.
_TRIMMED = " \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"


@functools.lru_cache(maxsize=4096)  # the same few labels stand in every publication
def sql_label_key(label: str) -> str:
    """`lower(trim(label))` as DuckDB computes it."""
    return label.strip(_TRIMMED).replace("\u0130", "i").lower()


@dataclass(frozen=True)
class ReferenceCodes:
    """The codes staging maps labels to: nationality and purpose codes by label key, and the
    population codes."""

    nationalities: dict[str, str]
    purposes: dict[str, str]
    populations: frozenset[str]

    def subject_code(self, row: Row) -> str | None:
        """A figure row's subject code, as staging gives it (None where staging gives null)."""
        kind = row["subject_type"]
        if kind == "total":
            return "TOTAL"
        table = self.nationalities if kind == "nationality" else self.purposes if kind == "purpose" else {}
        return table.get(sql_label_key(row["subject_label_nl"]))


def _reference_rows(path: Path, columns: tuple[str, ...]) -> list[Row]:
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [column for column in columns if column not in (reader.fieldnames or [])]
            if missing:
                raise IngestError(
                    path, f"the reference seed has no column {', '.join(missing)}; restore it from git", 1
                )
            return list(reader)
    except FileNotFoundError:
        raise IngestError(path, "the reference seed is missing; restore it from git") from None
    except UnicodeDecodeError:
        raise IngestError(path, "the reference seed is not UTF-8 text; restore it from git") from None


def reference_codes(project: Project) -> ReferenceCodes:
    """The reference seeds' codes, read as staging reads them (refused, naming the file, when one
    is missing or of another shape)."""
    root = project.root
    return ReferenceCodes(
        nationalities={
            sql_label_key(row["label_nl"]): row["nationality_code"]
            for row in _reference_rows(root / NATIONALITY_LABELS, ("label_nl", "nationality_code"))
            if row["label_nl"]
        },
        purposes={
            sql_label_key(row["label_nl"]): row["purpose_code"]
            for row in _reference_rows(root / PERMIT_PURPOSES, ("purpose_code", "label_nl"))
            if row["label_nl"]
        },
        populations=frozenset(
            row["population_code"] for row in _reference_rows(root / POPULATIONS, ("population_code",))
        ),
    )


def unknown_labels(source: str | Path, rows: Iterable[Row], codes: ReferenceCodes) -> list[IngestError]:
    """One error per label (and population) of a document's figure rows that the reference seeds
    have no code for, at the first line it stands on, in the order of the document."""
    found: dict[tuple[str, str], tuple[int, str, list[int]]] = {}
    for row in rows:
        line = int(row["source_line"]) if row["source_line"].isdigit() else 0
        if row["population_code"] not in codes.populations:
            key = ("population", row["population_code"])
            found.setdefault(key, (line, row["figure_code"], []))[2].append(line)
        label = row["subject_label_nl"]
        if row["subject_type"] in ("nationality", "purpose") and label and codes.subject_code(row) is None:
            key = (row["subject_type"], sql_label_key(label))
            found.setdefault(key, (line, label, []))[2].append(line)
    errors = []
    for (kind, name), (line, label, lines) in sorted(found.items(), key=lambda item: item[1][0]):
        others = sorted(set(lines) - {line})
        also = (
            f"; it stands on line{'s' if len(others) > 1 else ''} {', '.join(map(str, others))} too"
            if others
            else ""
        )
        if kind == "population":
            message = (
                f"population '{name}' (of {label}) has no row in {POPULATIONS}; add it there "
                "(population_code, label_nl, name_en, description)"
            )
        elif kind == "nationality":
            message = f"nationality label '{label}' has no code in {NATIONALITY_LABELS}; add the spelling there (with its code)"
        else:
            message = (
                f"purpose label '{label}' has no code in {PERMIT_PURPOSES}; add the purpose there (with its "
                "code), or give its row this label_nl if it is a new spelling of one"
            )
        errors.append(IngestError(source, message + also, line or None))
    return errors


def all_of(errors: Sequence[ProjectError], kind: type[ProjectError] = IngestError) -> ProjectError:
    """Several refusals as one error, which the command prints one per line, each as its own
    `error: FILE:LINE: …` (the CLI prefixes the first with `error: `, as it does any error)."""
    first, *rest = errors
    return kind(first.source, first.detail + "".join(f"\nerror: {error}" for error in rest), first.line)


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


def _check_cells(document: Document, rows: Sequence[Row]) -> None:
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
