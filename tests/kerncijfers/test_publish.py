"""When a build may rebuild only what the raw seeds feed, and when it must rebuild it all
(kerncijfers/pipeline/publish.py: `fingerprint`, `state_selection`)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from kerncijfers.pipeline import publish
from kerncijfers.warehouse import Warehouse
from tests.conftest import copy_project


def _released(folder: Path, fingerprint: str) -> Warehouse:
    """A warehouse folder as a publish leaves it: the full build, its manifest and fingerprint."""
    warehouse = Warehouse(folder / "warehouse" / "kerncijfers.duckdb")
    state = warehouse.full_build.parent
    state.mkdir(parents=True)
    duckdb.connect(str(warehouse.full_build)).close()
    size = warehouse.full_build.stat().st_size
    (state / publish.FINGERPRINT).write_text(f"{fingerprint}\nfull build: {size} bytes\n")
    return warehouse


def test_a_release_built_the_same_way_is_rebuilt_only_where_it_changed(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", with_documents=False)
    current = publish.fingerprint(project)
    warehouse = _released(tmp_path, current)
    selection = publish.state_selection(warehouse, current)
    assert selection == ["--select", "path:seeds/raw+"]
    data = warehouse.full_build.read_bytes()
    warehouse.full_build.write_bytes(data[: len(data) // 2])  # truncated since: rebuilt, not copied
    assert publish.state_selection(warehouse, current) is None


@pytest.mark.parametrize(
    "changed",
    [
        "macros/seed_duckdb.sql",
        "models/marts/fct_dublin_funnel.sql",
        "seeds/reference/ref_populations.csv",
        "tests/dbt/generic/primary_key.sql",
        "dbt_project.yml",
    ],
)
def test_any_change_but_the_raw_seeds_forces_a_full_rebuild(tmp_path: Path, changed: str) -> None:
    project = copy_project(tmp_path / "project", with_documents=False)
    before = publish.fingerprint(project)
    with open(project / changed, "a", encoding="utf-8") as handle:
        handle.write("\n")
    after = publish.fingerprint(project)
    assert after != before
    assert publish.state_selection(_released(tmp_path, before), after) is None


def test_new_figures_alone_keep_the_fingerprint_and_no_release_means_a_full_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", with_documents=False)
    before = publish.fingerprint(project)
    (project / "seeds" / "raw" / "raw_published_figures.csv").write_text("document_id\n")
    assert publish.fingerprint(project) == before
    assert publish.state_selection(Warehouse(tmp_path / "none" / "kerncijfers.duckdb"), before) is None
