"""When a build may rebuild only what changed since the release, and when it must rebuild it all
(kerncijfers/pipeline/publish.py: `fingerprint`, `state_selection`)."""

from __future__ import annotations

from pathlib import Path

from kerncijfers.pipeline import publish
from kerncijfers.warehouse import Warehouse
from tests.conftest import copy_project


def _released(folder: Path, fingerprint: str) -> Warehouse:
    """A warehouse folder as a publish leaves it: the full build, its manifest and fingerprint."""
    warehouse = Warehouse(folder / "warehouse" / "kerncijfers.duckdb")
    state = warehouse.full_build.parent
    state.mkdir(parents=True)
    warehouse.full_build.write_bytes(b"a DuckDB file")
    (state / "manifest.json").write_text("{}")
    (state / publish.FINGERPRINT).write_text(fingerprint)
    return warehouse


def test_a_release_built_the_same_way_is_rebuilt_only_where_it_changed(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", with_documents=False)
    current = publish.fingerprint(project)
    warehouse = _released(tmp_path, current)
    selection = publish.state_selection(warehouse, current)
    assert selection == [
        "--select",
        "state:modified+",
        "raw_published_figures+",
        "raw_source_documents+",
        "--state",
        str(warehouse.full_build.parent),
    ]


def test_what_dbt_cannot_compare_forces_a_full_rebuild(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", with_documents=False)
    before = publish.fingerprint(project)
    # A changed macro (a materialization is no dependency dbt's state comparison sees).
    macro = project / "macros" / "seed_duckdb.sql"
    macro.write_text(macro.read_text() + "\n")
    after = publish.fingerprint(project)
    assert after != before
    warehouse = _released(tmp_path, before)
    assert publish.state_selection(warehouse, after) is None
    # No release yet, or one without its manifest: everything is built.
    assert publish.state_selection(Warehouse(tmp_path / "none" / "kerncijfers.duckdb"), after) is None
    (warehouse.full_build.parent / "manifest.json").unlink()
    assert publish.state_selection(warehouse, before) is None
