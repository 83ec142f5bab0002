"""The journal: several files change as one, an interrupted transaction heals, one run at a time."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from core.errors import IngestError
from core.journal import commit_files, project_lock, recover
from core.project import Project
from ingest.store import ingest
from tests.conftest import JANUARY_2023


def test_a_transaction_interrupted_after_its_commit_point_is_completed(empty_project: Path) -> None:
    project = Project(empty_project)
    project.seeds_dir.mkdir(parents=True, exist_ok=True)
    old, new = b"document_id\nold\n", b"document_id\nnew\n"
    project.documents_seed.write_bytes(old)
    # The state a crash right after the commit point leaves: the journal and the new file.
    (project.seeds_dir / "raw_source_documents.csv.new").write_bytes(new)
    project.journal.write_text(json.dumps(["seeds/raw/raw_source_documents.csv"]))
    recover(project)
    assert project.documents_seed.read_bytes() == new
    assert not project.journal.exists()
    assert not list(project.seeds_dir.glob("*.new"))


def test_a_transaction_interrupted_before_its_commit_point_is_dropped(empty_project: Path) -> None:
    project = Project(empty_project)
    project.seeds_dir.mkdir(parents=True, exist_ok=True)
    project.documents_seed.write_bytes(b"old\n")
    (project.seeds_dir / "raw_source_documents.csv.new").write_bytes(b"half")
    recover(project)
    assert project.documents_seed.read_bytes() == b"old\n"
    assert not list(project.seeds_dir.glob("*.new"))


def test_commit_files_replaces_all_files(empty_project: Path) -> None:
    project = Project(empty_project)
    a, b = project.seeds_dir / "a.csv", project.documents_dir / "b.txt"
    commit_files(project, {a: b"1\n", b: b"2\n"})
    assert (a.read_bytes(), b.read_bytes()) == (b"1\n", b"2\n")
    assert not project.journal.exists()


def test_a_second_run_while_another_process_holds_the_lock_is_refused(empty_project: Path) -> None:
    project = Project(empty_project)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_THE_LOCK, str(empty_project)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with pytest.raises(IngestError, match="another kerncijfers run is in progress"):
            ingest(project, [JANUARY_2023])
        assert not project.figures_seed.exists()
    finally:
        holder.kill()
        holder.wait()
    ingest(project, [JANUARY_2023])  # the lock is released with its process
    assert project.figures_seed.exists()


def test_the_lock_is_reentrant_within_a_run(empty_project: Path) -> None:
    """A build holds the lock from start to end and runs the ingest inside it."""
    project = Project(empty_project)
    with project_lock(project):
        ingest(project, [JANUARY_2023])
    assert project.figures_seed.exists()


HOLD_THE_LOCK = """
import sys, time
from pathlib import Path
from core.journal import project_lock
from core.project import Project
with project_lock(Project(Path(sys.argv[1]))):
    print("held", flush=True)
    time.sleep(60)
"""


def test_a_target_in_a_linked_folder_is_refused_before_anything_is_written(
    empty_project: Path, tmp_path: Path
) -> None:
    """A folder of the project that is a link to elsewhere: the transaction is refused before its
    first write — neither the project nor the folder the link points to changes, and no journal
    is left that no run could complete."""
    project = Project(empty_project)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    linked = empty_project / "linked"
    linked.symlink_to(elsewhere)
    with pytest.raises(IngestError, match="lies outside"):
        commit_files(project, {project.documents_seed: b"a", linked / "file.csv": b"b"})
    assert list(elsewhere.iterdir()) == []
    assert not project.documents_seed.exists() and not project.journal.exists()
    assert not list(empty_project.rglob("*.new"))
