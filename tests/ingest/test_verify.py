"""Verifying the raw seeds against the stored documents (ingest/verify.py): a project as the
ingest left it verifies clean; a stored copy edited after its ingest, a seed value or manifest
cell changed by hand, a figure row lost or one of a document that is not stored is each found,
with the file, the line and the document named, and a build is stopped on the first of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import IngestError
from core.project import Project
from core.seeds import read_documents
from ingest.figures import PARSER_VERSION
from ingest.store import ingest
from ingest.verify import ensure_verified, is_verified, verify
from tests.conftest import JANUARY_2023, TEST_DOCUMENTS, copy_project

JAN = "kerncijfers-2023-01-4f0d79c6a2f3"
STORED_JAN = f"documents/{JANUARY_2023.name}"
DECEMBER_2023 = TEST_DOCUMENTS / "kerncijfers-2023-12.txt"


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """The project with its January 2023 publication stored, and the seeds the ingest wrote."""
    return Project(copy_project(tmp_path / "project"))


def _findings(project: Project) -> list[str]:
    return [finding.render(project.root) for finding in verify(project).findings]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_seeds_as_ingested_verify_and_the_verified_state_is_remembered(project: Project) -> None:
    result = verify(project)
    assert (result.documents, result.figures, result.findings) == (1, 39, [])
    assert not is_verified(project)  # a copied project has no record of a verification yet
    assert ensure_verified(project) is True  # it read every document
    assert is_verified(project)
    assert ensure_verified(project) is False  # nothing changed since: nothing is read again


def test_a_stored_copy_edited_after_its_ingest_is_found_naming_the_document(project: Project) -> None:
    assert ensure_verified(project)
    _edit(project.documents_dir / JANUARY_2023.name, "circa 2.490", "circa 2.990")
    assert not is_verified(project)
    expected = (
        f"this stored copy of {JAN} was changed after it was ingested: its sha256 is no longer the one "
        f"in raw_source_documents.csv line 2. Restore it (git checkout -- {STORED_JAN}); ingest a new "
        "version as a file of its own"
    )
    assert _findings(project) == [f"{STORED_JAN}: {expected}"]
    with pytest.raises(IngestError) as stopped:
        ensure_verified(project)
    assert str(stopped.value) == f"{project.documents_dir / JANUARY_2023.name}: {expected}"


def test_a_missing_stored_copy_is_found_at_its_manifest_line(project: Project) -> None:
    (project.documents_dir / JANUARY_2023.name).unlink()
    assert _findings(project) == [
        f"seeds/raw/raw_source_documents.csv:2: document {JAN} is missing its stored copy {STORED_JAN}; "
        "restore it from git (or from where it was published)"
    ]


def test_a_figure_edited_by_hand_in_the_seed_is_found_against_the_line_it_was_read_from(
    project: Project,
) -> None:
    lines = project.figures_seed.read_text(encoding="utf-8").split("\n")
    assert lines[1].startswith(f"{JAN},1,first_applications,") and ",2490,count," in lines[1]
    lines[1] = lines[1].replace(",2490,count,", ",2990,count,")
    project.figures_seed.write_text("\n".join(lines), encoding="utf-8")
    assert _findings(project) == [
        f"seeds/raw/raw_published_figures.csv:2: value is '2990' but {STORED_JAN} line 42 gives '2490'; "
        "the seeds are written by the ingest only — restore the file from git, or correct a published "
        "figure in seeds/reviewed/reviewed_corrections.csv"
    ]


def test_manifest_cells_the_document_gives_are_checked(project: Project) -> None:
    _edit(project.documents_seed, "migratie januari 2023", "migratie februari 2023")
    _edit(project.documents_seed, f",{PARSER_VERSION},", ",2.3.0,")
    assert _findings(project) == [
        f"seeds/raw/raw_source_documents.csv:2: title of {JAN} is 'Kerncijfers asiel en migratie februari "
        "2023': the document gives 'Kerncijfers asiel en migratie januari 2023'; restore the seed from git",
        f"seeds/raw/raw_source_documents.csv:2: parser_version of {JAN} is '2.3.0': run `kerncijfers "
        "ingest --stored` to read the documents with the current parser",
    ]


def test_a_lost_figure_row_and_a_row_of_an_unlisted_document_are_found(project: Project) -> None:
    lines = project.figures_seed.read_text(encoding="utf-8").split("\n")
    fifth = lines.pop(5)
    assert fifth.startswith(f"{JAN},5,nationality_share,")
    stray = fifth.replace(JAN, "kerncijfers-2023-02-0123456789ab")
    project.figures_seed.write_text("\n".join(lines).rstrip("\n") + f"\n{stray}\n", encoding="utf-8")
    assert _findings(project) == [
        f"seeds/raw/raw_published_figures.csv: figure 5 of {JAN} (nationality_share, {STORED_JAN} line 50) "
        "is missing; run `kerncijfers ingest --stored`",
        "seeds/raw/raw_published_figures.csv:40: 1 figure row(s) of kerncijfers-2023-02-0123456789ab, a "
        "document the manifest does not list; restore the seed from git",
    ]
    with pytest.raises(
        IngestError,
        match=r"is missing; run `kerncijfers ingest --stored` \(1 more: `kerncijfers verify` lists them\)$",
    ):
        ensure_verified(project)


def test_with_two_documents_stored_a_finding_names_the_one_it_is_in(project: Project) -> None:
    """December 2023 (a test document) ingested beside January: verified clean, and a value of
    December changed by hand is found against December's stored copy, January untouched."""
    assert ensure_verified(project)
    assert len(ingest(project, [DECEMBER_2023]).added) == 1
    assert is_verified(project)  # the ingest keeps a verified state verified
    result = verify(project)
    assert (result.documents, result.figures, result.findings) == (2, 39 + 50, [])
    december = next(
        row for row in read_documents(project.documents_seed) if row["reference_month"] == "2023-12-01"
    )
    lines = project.figures_seed.read_text(encoding="utf-8").split("\n")
    number = lines.index(next(line for line in lines if line.startswith(f"{december['document_id']},1,")))
    fields = lines[number].split(",")
    assert fields[2] == "first_applications"
    printed, fields[9] = fields[9], str(int(fields[9]) + 100)
    lines[number] = ",".join(fields)
    project.figures_seed.write_text("\n".join(lines), encoding="utf-8")
    assert not is_verified(project)
    assert _findings(project) == [
        f"seeds/raw/raw_published_figures.csv:{number + 1}: value is '{fields[9]}' but "
        f"{december['stored_path']} line {fields[14]} gives '{printed}'; the seeds are written by the "
        "ingest only — restore the file from git, or correct a published figure in "
        "seeds/reviewed/reviewed_corrections.csv"
    ]
