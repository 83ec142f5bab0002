"""The layout keeps each part to its job (docs/architecture.md): `ingest/` ingests, `kerncijfers/`
does everything after it, data lives outside the packages, and the code is formatted as ruff
formats it."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGES = ("ingest", "kerncijfers")


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", _modules("ingest"), ids=lambda p: str(p.relative_to(ROOT)))
def test_ingest_does_not_reach_into_the_warehouse(path: Path) -> None:
    """Ingestion reads documents and writes seeds: no dbt, DuckDB, expectations or report."""
    forbidden = ("kerncijfers", "duckdb", "dbt", "great_expectations", "pandas")
    reached = sorted(name for name in _imports(path) if name.split(".")[0] in forbidden)
    assert reached == [], f"{path.relative_to(ROOT)} imports {reached}"


def test_no_data_inside_a_python_package() -> None:
    """Stored documents, expectation suites and screenshots live in folders of their own."""
    found = [
        str(path.relative_to(ROOT))
        for package in PACKAGES
        for path in (ROOT / package).rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc")
    ]
    assert found == []


def test_opening_the_warehouse_does_not_import_the_parser() -> None:
    code = (
        "import sys, kerncijfers.warehouse, kerncijfers.export, kerncijfers.pipeline.summary; "
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('ingest'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(result.stdout.split())
    assert loaded <= {"ingest", "core.errors", "core.project", "core.seeds"}, loaded


def test_python_is_formatted_and_linted_by_ruff() -> None:
    ruff = str(Path(sys.executable).with_name("ruff"))
    formatted = subprocess.run([ruff, "format", "--check", "."], cwd=ROOT, capture_output=True, text=True)
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr
    linted = subprocess.run([ruff, "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert linted.returncode == 0, linted.stdout + linted.stderr


# Paths the documentation names that a build or a run creates, rather than the repository.
GENERATED = ("warehouse/", "target/", "logs/", ".venv/")
# The changelog names old locations on purpose.
DOCS = ["README.md", "CONTRIBUTING.md", "docs/architecture.md"]
TOP_LEVEL = {path.name for path in ROOT.iterdir()} | {"ingest", "kerncijfers"}


@pytest.mark.parametrize("name", DOCS)
def test_every_path_the_documentation_names_exists(name: str) -> None:
    """A clone holds everything its documentation refers to (no `../shared`, no moved files)."""
    text = (ROOT / name).read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:[\w.-]+/)+[\w.-]*)`", text))
    repository_paths = {p for p in named if p.split("/")[0] in TOP_LEVEL and not p.startswith(GENERATED)}
    missing = sorted(p for p in repository_paths if not (ROOT / p).exists())
    assert missing == [], f"{name} names paths the repository does not have: {missing}"
    assert "../shared" not in text and "STYLE.md" not in text and "TOOLING.md" not in text
