"""Checking that the raw seeds are what the stored documents give.

The seeds are derived data: every row of `seeds/raw/` comes from a stored document read by the
parser. `verify` reads every stored document again and compares, so that nothing else reaches
the warehouse — a stored copy edited after its ingest (its sha256 no longer matches), a value
changed by hand in a seed, a row of a document that is not stored. Each finding names the file
and the line, and says what to do.

A full verification parses every document. `ensure_verified` (run by every `kerncijfers build`)
skips it when nothing has changed since the last one passed: a digest of the seeds, the parser
version, the families registry and the stored copies' sizes and times is kept in
`target/kerncijfers-verified.txt`. The ingest updates that digest after its own commit when the
state before it was verified — what it writes, it has just derived from the documents.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ingest.errors import IngestError
from ingest.figures import PARSER_VERSION, extract, load_families
from ingest.journal import replace_file
from ingest.project import Project
from ingest.reading import read_document
from ingest.seeds import DOCUMENT_COLUMNS, FIGURE_COLUMNS, Row, read_seed


@dataclass(frozen=True)
class Finding:
    """One thing in the seeds or stored copies that the documents do not give."""

    path: Path
    line: int | None
    message: str

    def render(self, root: Path) -> str:
        where = self.path.relative_to(root) if self.path.is_relative_to(root) else self.path
        return f"{where}:{self.line}: {self.message}" if self.line else f"{where}: {self.message}"


@dataclass
class Verification:
    documents: int = 0
    figures: int = 0
    findings: list[Finding] = field(default_factory=list)


def _numbered(path: Path, columns: tuple[str, ...]) -> list[tuple[int, Row]]:
    """A seed's rows with their line numbers (no cell holds a line break: the ingest writes none)."""
    return list(enumerate(read_seed(path, columns), start=2))


def verify(project: Project) -> Verification:
    """Read every stored document again and compare it with the manifest and the figures seed."""
    from ingest.store import check_published_on, check_stored_hash, document_id_for, figure_rows, stored_copy

    result = Verification()
    manifest, figures_seed = project.documents_seed, project.figures_seed
    documents = _numbered(manifest, DOCUMENT_COLUMNS)
    figures = _numbered(figures_seed, FIGURE_COLUMNS)
    families = load_families(project.families_seed)
    by_document: dict[str, list[tuple[int, Row]]] = {}
    for line, row in figures:
        by_document.setdefault(row["document_id"], []).append((line, row))
    result.documents, result.figures = len(documents), len(figures)
    found = result.findings.append

    seen_vintages: dict[tuple[str, str], int] = {}
    for line, row in documents:
        document_id = row["document_id"]
        try:
            document = read_document(stored_copy(project, row, line))
            check_stored_hash(project, row, line, document)
            publication = extract(document, families)
        except IngestError as exc:
            found(Finding(Path(exc.source), exc.line, exc.detail))
            by_document.pop(document_id, None)
            continue
        expected = {
            "document_id": document_id_for(publication, document),
            "reference_month": publication.reference_month.isoformat(),
            "title": publication.title,
            "size_bytes": str(len(document.data)),
            "media_type": document.media_type,
            "parser_version": PARSER_VERSION,
        }
        for column, value in expected.items():
            if row[column] != value:
                what = (
                    "run `kerncijfers ingest --stored` to read the documents with the current parser"
                    if column == "parser_version"
                    else f"the document gives {value!r}; restore the seed from git"
                )
                found(Finding(manifest, line, f"{column} of {document_id} is {row[column]!r}: {what}"))
        if row["published_on"]:
            fix = f"`kerncijfers ingest {row['stored_path']} --published-on YYYY-MM-DD --replace-metadata`"
            try:
                check_published_on(
                    manifest,
                    publication.reference_month,
                    date.fromisoformat(row["published_on"]),
                    date.today(),
                    line=line,
                    name=f"published_on of {document_id}",
                )
            except ValueError:
                what = f"published_on of {document_id} is {row['published_on']!r}, not a date (YYYY-MM-DD)"
                found(Finding(manifest, line, f"{what}; record the right one with {fix}"))
            except IngestError as exc:
                found(Finding(manifest, line, f"{exc.detail}, and record the right one with {fix}"))
        vintage = (row["reference_month"], row["vintage"])
        if vintage in seen_vintages:
            found(
                Finding(
                    manifest,
                    line,
                    f"vintage {row['vintage']} of {row['reference_month']} is given "
                    f"twice (also on line {seen_vintages[vintage]}); restore the seed from git",
                )
            )
        seen_vintages[vintage] = line
        _compare_figures(
            figures_seed,
            row["stored_path"],
            figure_rows(document_id, publication.figures),
            by_document.pop(document_id, []),
            found,
        )
    for document_id, rows in by_document.items():
        found(
            Finding(
                figures_seed,
                rows[0][0],
                f"{len(rows)} figure row(s) of {document_id}, a document the manifest does not list; "
                "restore the seed from git",
            )
        )
    return result


def _compare_figures(
    seed: Path, stored_path: str, expected: list[Row], actual: list[tuple[int, Row]], found
) -> None:
    given = {row["figure_seq"]: (line, row) for line, row in actual}
    for want in expected:
        line_row = given.pop(want["figure_seq"], None)
        if line_row is None:
            found(
                Finding(
                    seed,
                    None,
                    f"figure {want['figure_seq']} of {want['document_id']} ({want['figure_code']}, "
                    f"{stored_path} line {want['source_line']}) is missing; run `kerncijfers ingest --stored`",
                )
            )
            continue
        line, row = line_row
        for column in FIGURE_COLUMNS:
            if row[column] != want[column]:
                found(
                    Finding(
                        seed,
                        line,
                        f"{column} is {row[column][:60]!r} but {stored_path} line {want['source_line']} "
                        f"gives {want[column][:60]!r}; the seeds are written by the ingest only — "
                        "restore the file from git, or correct a published figure in "
                        "seeds/reviewed/reviewed_corrections.csv",
                    )
                )
                break
    for line, row in given.values():
        found(
            Finding(
                seed,
                line,
                f"figure {row['figure_seq']} of {row['document_id']} is not in {stored_path}; "
                "restore the seed from git",
            )
        )


# The digest of a verified state --------------------------------------------------------------


def _marker(project: Project) -> Path:
    return project.root / "target" / "kerncijfers-verified.txt"


def state_digest(project: Project) -> str:
    """What a verification depends on: the seeds, the parser, the registry and the stored copies."""
    digest = hashlib.sha256(PARSER_VERSION.encode() + b"\0")
    for path in (project.documents_seed, project.figures_seed, project.families_seed):
        digest.update(path.read_bytes() if path.exists() else b"(none)")
        digest.update(b"\0")
    if project.documents_dir.is_dir():
        for copy in sorted(project.documents_dir.iterdir()):
            stat = copy.lstat()
            digest.update(f"{copy.name}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ino}\n".encode())
    return digest.hexdigest()


def is_verified(project: Project) -> bool:
    """Whether the seeds are known to be what the stored documents give: verified since the last
    change, or nothing at all stored yet (a fresh project: the first ingest keeps it verified,
    and a first build need not read every document again)."""
    if _nothing_stored(project):
        return True
    try:
        return _marker(project).read_text(encoding="ascii") == state_digest(project)
    except (OSError, ValueError):
        return False


def _nothing_stored(project: Project) -> bool:
    def rows(seed: Path) -> bool:
        try:
            with open(seed, "rb") as handle:
                handle.readline()  # the header
                return bool(handle.readline().strip())
        except OSError:
            return False

    stored = project.documents_dir.is_dir() and any(project.documents_dir.iterdir())
    return not (stored or rows(project.documents_seed) or rows(project.figures_seed))


def mark_verified(project: Project) -> None:
    """Remember the current state as verified (a best effort: without it, the next build verifies)."""
    marker = _marker(project)
    try:
        replace_file(marker, state_digest(project).encode("ascii"))
    except OSError:
        pass


@contextmanager
def keeping_verified(project: Project) -> Iterator[None]:
    """Around a change the ingest derives from the documents: a state that was verified before
    it is still verified after it."""
    verified = is_verified(project)
    yield
    if verified:
        mark_verified(project)


def ensure_verified(project: Project) -> bool:
    """Verify the seeds against the stored documents unless nothing changed since the last
    verification passed. Raises the first finding (and counts the others); True when it verified."""
    if is_verified(project):
        return False
    result = verify(project)
    if result.findings:
        first = result.findings[0]
        more = len(result.findings) - 1
        also = f" ({more} more: `kerncijfers verify` lists them)" if more else ""
        raise IngestError(first.path, first.message + also, first.line)
    mark_verified(project)
    return True
