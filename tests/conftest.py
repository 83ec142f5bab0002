"""Shared fixtures: the project root, the bundled real document and the test documents."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
TEST_DOCUMENTS = FIXTURES / "documents"
# The January 2023 publication, bundled as the project's first document (content-addressed).
JANUARY_2023 = (
    ROOT / "ingest" / "documents"
    / "4f0d79c6a2f3e9b254eccedc6faf7a07a85162acb23660a19e6a402aeac4b483.txt"
)  # fmt: skip


@pytest.fixture
def empty_project(tmp_path: Path) -> Path:
    """A copy of the project's dbt files with no documents ingested yet."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("dbt_project.yml",):
        shutil.copy(ROOT / name, project / name)
    for folder in ("macros", "profiles", "models", "tests/dbt"):
        if (ROOT / folder).exists():
            shutil.copytree(ROOT / folder, project / folder)
    shutil.copytree(ROOT / "seeds", project / "seeds", ignore=shutil.ignore_patterns("raw_*.csv"))
    return project
