"""The stored copies and the seeds as the build and `verify` find them (issue 23): a stored copy
edited in place with its size and modification time set back is not trusted by them (its change
time gives it away, and its bytes are hashed again); a copy of a verified project is still verified
without reading every document again; and `verify` right after an ingest killed past its commit
point verifies the state that ingest left, not the one before it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from core.project import Project
from core.seeds import read_figures
from ingest.verify import is_verified
from tests.conftest import JANUARY_2023, TEST_DOCUMENTS, copy_project
from tests.warehouse import ingest_killed_at, kerncijfers

JAN = "kerncijfers-2023-01-4f0d79c6a2f3"


def _state(project: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(project)): path.read_bytes()
        for folder in ("documents", "seeds")
        for path in sorted((project / folder).rglob("*"))
        if path.is_file()
    }


def test_a_stored_copy_edited_with_its_size_and_time_restored_is_refused_by_the_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    verified = kerncijfers(project, "verify")  # the build trusts what was verified since
    assert verified.returncode == 0, verified.stderr
    stored = project / "documents" / JANUARY_2023.name
    before = stored.stat()
    text = stored.read_bytes()
    assert text.count(b"circa 2.490") == 1
    with open(stored, "r+b") as handle:  # in place: the same inode, the same size
        handle.write(text.replace(b"circa 2.490", b"circa 2.990"))
    os.utime(stored, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = stored.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size,
        before.st_mtime_ns,
        before.st_ino,
    )
    state = _state(project)

    built = kerncijfers(project, "build")
    assert built.returncode == 1
    assert built.stderr.splitlines() == [
        f"error: {stored}: this stored copy of {JAN} was changed after it was ingested: its sha256 is no "
        "longer the one in raw_source_documents.csv line 2. Restore it (git checkout -- "
        f"documents/{JANUARY_2023.name}); ingest a new version as a file of its own"
    ]
    assert "dbt" not in built.stdout and not (project / "warehouse").exists()
    assert _state(project) == state


def test_a_copy_of_a_verified_project_is_still_verified_by_its_bytes(tmp_path: Path) -> None:
    """Copied (new inodes and change times, the same bytes), the project need not be verified
    again: the copies are hashed, found unchanged, and their new times remembered."""
    project = copy_project(tmp_path / "project")
    assert kerncijfers(project, "verify").returncode == 0
    copy = tmp_path / "copy"
    shutil.copytree(project, copy)
    marker = copy / "target" / "kerncijfers-verified.txt"
    remembered = marker.read_bytes()
    assert is_verified(Project(copy))
    assert marker.read_bytes() != remembered  # the new times, so that the next look is by stat
    # A byte changed in the copy (its size kept) is found all the same.
    stored = copy / "documents" / JANUARY_2023.name
    stored.write_bytes(stored.read_bytes().replace(b"circa 2.490", b"circa 2.990"))
    assert not is_verified(Project(copy))


def test_verify_completes_an_ingest_killed_after_its_commit_point_first(empty_project: Path) -> None:
    assert kerncijfers(empty_project, "ingest", str(JANUARY_2023)).returncode == 0
    project = Project(empty_project)
    ingest_killed_at(empty_project, TEST_DOCUMENTS / "kerncijfers-2023-12.txt", "committed")
    assert project.journal.exists()  # committed, not yet applied

    verified = kerncijfers(empty_project, "verify")
    assert verified.returncode == 0, verified.stderr
    figures = read_figures(project.figures_seed)
    assert {row["document_id"][:19] for row in figures} == {"kerncijfers-2023-01", "kerncijfers-2023-12"}
    assert verified.stdout == (
        f"verified: {len(figures)} figures of 2 stored document(s) are exactly what the documents give\n"
    )
    assert not project.journal.exists() and not list(empty_project.rglob("*.new"))
