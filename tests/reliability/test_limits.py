"""Limits: files that are too large or not files, and paths in project files that would lead
outside the project's folders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.errors import IngestError
from core.journal import recover
from core.project import Project
from ingest.reading import read_document
from ingest.store import ingest, reingest_stored
from tests.conftest import JANUARY_2023


def test_a_device_or_folder_is_not_a_document(tmp_path: Path) -> None:
    for path in (Path("/dev/null"), tmp_path):
        with pytest.raises(IngestError, match="not a regular file"):
            read_document(path)


def test_a_manifest_path_outside_the_documents_folder_is_refused(empty_project: Path) -> None:
    project = Project(empty_project)
    ingest(project, [JANUARY_2023])
    manifest = project.documents_seed.read_text(encoding="utf-8")
    stored = manifest.split("\n")[1].split(",")[10]
    project.documents_seed.write_text(
        manifest.replace(stored, "documents/../../../../etc/passwd"), encoding="utf-8"
    )
    with pytest.raises(IngestError, match="refusing the path .*etc/passwd.* it lies outside"):
        reingest_stored(project)


def test_a_journal_path_outside_the_project_is_refused(empty_project: Path, tmp_path: Path) -> None:
    project = Project(empty_project)
    project.seeds_dir.mkdir(parents=True, exist_ok=True)
    victim = tmp_path / "outside.txt"
    victim.write_text("keep me")
    (tmp_path / "outside.txt.new").write_text("overwritten")
    project.journal.write_text(json.dumps(["../outside.txt"]))
    with pytest.raises(IngestError, match="it lies outside"):
        recover(project)
    assert victim.read_text() == "keep me"
