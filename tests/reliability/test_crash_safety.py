"""A run killed (SIGKILL) while it writes the stored copy, the seeds and the manifest leaves the
old state or the new state, never a mix, and the next run needs no manual repair."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from core.project import Project
from ingest.store import ingest
from tests.conftest import JANUARY_2023, TEST_DOCUMENTS, copy_project
from tests.warehouse import ingest_killed_at


def _state(project: Project) -> dict[str, str]:
    files = [
        *project.seeds_dir.glob("raw_*"),
        *project.documents_dir.glob("*"),
        *project.seeds_dir.glob(".ingest-journal*"),
    ]
    return {str(p.relative_to(project.root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def _ingest_command(project: Path, document: Path) -> list[str]:
    return [sys.executable, "-m", "kerncijfers", "--project-dir", str(project), "ingest", str(document)]


@pytest.fixture
def states(empty_project: Path, tmp_path: Path) -> tuple[Project, dict[str, str], dict[str, str]]:
    """The state with January 2023 stored (old), and with December 2023 added too (new)."""
    project = Project(empty_project)
    ingest(project, [JANUARY_2023])
    old = _state(project)
    reference = Project(copy_project(tmp_path / "reference", with_documents=False))
    ingest(reference, [JANUARY_2023])
    ingest(reference, [TEST_DOCUMENTS / "kerncijfers-2023-12.txt"])
    new = _state(reference)
    # The manifest records the time of ingest; compare everything else byte for byte.
    return project, old, new


def _without_manifest(state: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in state.items() if not k.endswith("raw_source_documents.csv")}


@pytest.mark.parametrize(
    ("point", "expected"),
    [("pending-written", "old"), ("committed", "new"), ("renaming", "new")],
)
def test_killed_mid_write_leaves_old_or_new_and_heals(states, point: str, expected: str) -> None:
    project, old, new = states
    december = TEST_DOCUMENTS / "kerncijfers-2023-12.txt"
    ingest_killed_at(project.root, december, point)

    # Readers of the seeds see the old files until the journal is committed; after the commit
    # point the next run (any run) completes the transaction before it does anything else.
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "kerncijfers",
            "--project-dir",
            str(project.root),
            "ingest",
            str(JANUARY_2023),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    healed = _state(project)
    target = old if expected == "old" else new
    assert _without_manifest(healed) == _without_manifest(target)
    assert not list(project.root.rglob("*.new")) and not project.journal.exists()
    months = [line.split(",")[1] for line in project.documents_seed.read_text().splitlines()[1:]]
    assert months == (["2023-01-01"] if expected == "old" else ["2023-01-01", "2023-12-01"])

    # And the interrupted document can simply be ingested again.
    again = subprocess.run(
        _ingest_command(project.root, december), capture_output=True, text=True, check=False
    )
    assert again.returncode == 0, again.stderr
    assert _without_manifest(_state(project)) == _without_manifest(new)
