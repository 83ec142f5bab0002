"""Checking that the raw seeds are what the stored documents give.

The seeds are derived data: every row of `seeds/raw/` comes from a stored document read by the
parser. `verify` reads every stored document again and compares, so that nothing else reaches
the warehouse — a stored copy edited after its ingest (its sha256 no longer matches), a value
changed by hand in a seed, a row of a document that is not stored. Each finding names the file
and the line, and says what to do.

A full verification parses every document. `ensure_verified` (run by every `kerncijfers build`)
skips it when nothing has changed since the last one passed: a digest of the seeds, the parser
version and the families registry, and each stored copy's size, times, inode and sha256, are kept
in `target/kerncijfers-verified.txt`. A copy whose times changed — even one whose size and
modification time were set back after an edit: its change time cannot be — is hashed again. The
ingest updates that record after its own commit when the state before it was verified — what it
writes, it has just derived from the documents.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from core.errors import IngestError
from core.journal import replace_file
from core.project import Project
from core.seeds import DOCUMENT_COLUMNS, FIGURE_COLUMNS, Row, read_documents, read_seed
from ingest.figures import PARSER_CODE_VERSION, extract, load_families
from ingest.figures.patterns import patterns_digest
from ingest.reading import read_document
from ingest.stored import check_published_on, check_stored_hash, document_id_for, figure_rows, stored_copy


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
            "parser_version": publication.parser_version,
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


MARKER_FORMAT = 2

# A stored copy as the marker remembers it: size, modification time, inode, change time, and the
# sha256 of its bytes when it was verified.
Copy = tuple[int, int, int, int, str]


def state_digest(project: Project) -> str:
    """What a verification depends on besides the stored copies: the seeds, the parser, the registry."""
    # The parser's version but for the registry, whose file is hashed below.
    digest = hashlib.sha256(f"{PARSER_CODE_VERSION}+{patterns_digest()}".encode() + b"\0")
    for path in (project.documents_seed, project.figures_seed, project.families_seed):
        digest.update(path.read_bytes() if path.exists() else b"(none)")
        digest.update(b"\0")
    return digest.hexdigest()


def _stat(path: Path) -> tuple[int, int, int, int]:
    stat = path.lstat()
    return stat.st_size, stat.st_mtime_ns, stat.st_ino, stat.st_ctime_ns


def _sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _copies(project: Project) -> list[Path]:
    return sorted(project.documents_dir.iterdir()) if project.documents_dir.is_dir() else []


def _read_marker(project: Project) -> tuple[str, dict[str, Copy]] | None:
    try:
        marker = json.loads(_marker(project).read_text(encoding="ascii"))
        if marker["format"] != MARKER_FORMAT:
            return None
        return str(marker["seeds"]), {name: tuple(copy) for name, copy in marker["copies"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _write_marker(project: Project, seeds: str, copies: dict[str, Copy]) -> None:
    """Remember a verified state (a best effort: without it, the next build verifies)."""
    data = {"format": MARKER_FORMAT, "seeds": seeds, "copies": copies}
    try:
        replace_file(_marker(project), json.dumps(data, sort_keys=True).encode("ascii"))
    except OSError:
        pass


def is_verified(project: Project) -> bool:
    """Whether the seeds are known to be what the stored documents give: verified since the last
    change, or nothing at all stored yet (a fresh project: the first ingest keeps it verified,
    and a first build need not read every document again).

    A stored copy whose size, modification time, inode and change time are those it had when it
    was verified is taken as unchanged; size and modification time alone are not trusted (an edit
    can restore both, `touch -r`, `os.utime`), but the change time cannot be set back. Where any
    of them differs — an edit, a copy of the project, a `git checkout` — the copy's bytes are
    hashed and compared with the sha256 it had when it was verified."""
    if _nothing_stored(project):
        return True
    remembered = _read_marker(project)
    if remembered is None:
        return False
    seeds, known = remembered
    try:
        if state_digest(project) != seeds:
            return False
        copies = _copies(project)
        if sorted(known) != [copy.name for copy in copies]:
            return False
        rehashed: dict[str, Copy] = {}
        for copy in copies:
            stat = _stat(copy)
            size, *_, sha256 = known[copy.name]
            if stat == tuple(known[copy.name][:4]):
                continue
            if stat[0] != size or not copy.is_file() or copy.is_symlink() or _sha256(copy) != sha256:
                return False
            rehashed[copy.name] = (*stat, sha256)
    except OSError:
        return False
    if rehashed:  # the same bytes under new times: remember the new times, to hash them once
        _write_marker(project, seeds, {**known, **rehashed})
    return True


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
    """Remember the current state as verified (a best effort: without it, the next build verifies).

    A copy whose times are those remembered keeps its remembered sha256; any other is hashed. A
    stored copy whose bytes no longer give the manifest's sha256 (changed since it was read) is
    never remembered as verified: then nothing is."""
    remembered = _read_marker(project)
    known = remembered[1] if remembered is not None else {}
    try:
        seeds = state_digest(project)
        expected = {
            Path(row["stored_path"]).name: row["sha256"] for row in read_documents(project.documents_seed)
        }
        copies: dict[str, Copy] = {}
        for copy in _copies(project):
            stat = _stat(copy)
            if copy.name in known and tuple(known[copy.name][:4]) == stat:
                sha256 = known[copy.name][4]
            elif copy.is_file() and not copy.is_symlink():
                sha256 = _sha256(copy)
            else:
                sha256 = ""
            if expected.get(copy.name, sha256) != sha256:
                return
            copies[copy.name] = (*stat, sha256)
    except (OSError, IngestError):
        return
    _write_marker(project, seeds, copies)


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
