"""The ingest as `kerncijfers` uses it: the one module of `ingest` that `kerncijfers` imports
(tests/project/test_layout.py holds it to that), so that what the warehouse asks of the ingest is read here.

- `ingest`, `reingest_stored` (`IngestReport`): `kerncijfers ingest FILE` and `--stored`;
- `seeds_for_build`: the one call a build makes — the seeds brought up to the current parser and
  checked against the stored documents;
- `verify_project` (`Verification`): `kerncijfers verify`;
- `figures_of` (`Figure`): `kerncijfers figures FILE`, a document's figures with nothing stored;
- `diff_vintages`: `kerncijfers diff`; `fetch_cbs`: `kerncijfers fetch cbs`.

Importing it loads the parser: `kerncijfers` imports it where a command needs the ingest, never
where the warehouse is only opened.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from core.journal import project_lock, recover
from core.project import Project
from ingest.cbs import fetch_cbs
from ingest.figures import Figure, Publication, extract, load_families
from ingest.reading import Document, read_document
from ingest.revisions import diff_vintages
from ingest.store import IngestReport, ingest, reingest_stored
from ingest.verify import Verification, ensure_verified, mark_verified, verify

__all__ = [
    "Figure",
    "IngestReport",
    "SeedsForBuild",
    "Verification",
    "diff_vintages",
    "fetch_cbs",
    "figures_of",
    "ingest",
    "reingest_stored",
    "seeds_for_build",
    "verify_project",
]


@dataclass(frozen=True)
class SeedsForBuild:
    """What the ingest did before a build: the stored documents (some parsed again by the current
    parser) and whether the seeds were verified against them in this run."""

    report: IngestReport
    verified: bool

    def describe(self) -> str:
        """'3 stored document(s), 1 parsed again by the current parser; seeds verified against them'."""
        report = self.report
        stored = len(report.reparsed) + len(report.unchanged) + len(report.added)
        parsed = f", {len(report.reparsed)} parsed again by the current parser" if report.reparsed else ""
        checked = "; seeds verified against them" if self.verified else ""
        return f"{stored} stored document(s){parsed}{checked}"


def seeds_for_build(project: Project) -> SeedsForBuild:
    """The raw seeds as a build needs them: every stored document read by the current parser
    (`reingest_stored`: only those it has not read), then the seeds checked against the stored
    documents (`ensure_verified`: skipped when nothing changed since the last check passed).
    Raises the first finding as an `IngestError`."""
    report = reingest_stored(project)
    return SeedsForBuild(report, ensure_verified(project))


def verify_project(project: Project) -> Verification:
    """Every stored document read again and compared with the seeds; a state without findings is
    remembered as verified (the next build need not read them again)."""
    # An ingest killed after its commit point is completed first, as the other commands do, so
    # that what is verified is the state it left; under the lock, so that a run still applying
    # its change refuses this one rather than be read half-way. Without a journal nothing is
    # written here, and a read-only project can still be verified.
    if os.path.lexists(project.journal):
        with project_lock(project):
            recover(project)
    result = verify(project)
    if not result.findings:
        mark_verified(project)
    return result


def figures_of(path: Path, project: Project) -> tuple[Document, Publication]:
    """A document read and its figures found, checked against the project's registry of families;
    nothing is stored."""
    document = read_document(path)
    return document, extract(document, load_families(project.families_seed))
