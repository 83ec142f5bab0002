"""When a build may rebuild only what the raw seeds feed, and when it must rebuild it all
(kerncijfers/pipeline/state.py: `fingerprint`, `state_selection`)."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import duckdb
import pytest

from kerncijfers.pipeline import state
from kerncijfers.pipeline.dbt import node_results
from kerncijfers.warehouse import Warehouse
from tests.conftest import copy_project


def _released(folder: Path, fingerprint: str) -> Warehouse:
    """A warehouse folder as a publish leaves it: the full build, its manifest and fingerprint."""
    warehouse = Warehouse(folder / "warehouse" / "kerncijfers.duckdb")
    folder = warehouse.full_build.parent
    folder.mkdir(parents=True)
    duckdb.connect(str(warehouse.full_build)).close()
    size = warehouse.full_build.stat().st_size
    (folder / state.FINGERPRINT).write_text(f"{fingerprint}\nfull build: {size} bytes\n")
    state.state_manifest(warehouse).write_text("{}")
    return warehouse


def test_a_release_built_the_same_way_is_rebuilt_only_where_it_changed(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", with_documents=False)
    current = state.fingerprint(project)
    warehouse = _released(tmp_path, current)
    selection = state.state_selection(warehouse, current)
    assert selection == ["--select", "path:seeds/raw+"]
    data = warehouse.full_build.read_bytes()
    warehouse.full_build.write_bytes(data[: len(data) // 2])  # truncated since: rebuilt, not copied
    assert state.state_selection(warehouse, current) is None


def test_a_release_without_its_manifest_is_rebuilt_in_full(tmp_path: Path) -> None:
    """A build that adds a month describes the release with the release's manifest: without it,
    everything is rebuilt (and dbt writes a new one)."""
    project = copy_project(tmp_path / "project", with_documents=False)
    current = state.fingerprint(project)
    warehouse = _released(tmp_path, current)
    state.state_manifest(warehouse).unlink()
    assert state.state_selection(warehouse, current) is None


def test_the_facts_are_dropped_from_a_copied_candidate_and_the_dimensions_kept(
    built_project: tuple[Path, Path, str], tmp_path: Path
) -> None:
    """A candidate copied from the full build loses the tables a build that adds a month rebuilds
    and that hold foreign keys (so that dbt-duckdb need not copy them aside and back while it
    rebuilds dim_source_documents); what the build does not rebuild stays."""
    project, published_file, _ = built_project
    warehouse = Warehouse(published_file)
    manifest = state.state_manifest(warehouse)
    rebuilt = state.rebuilt_models(manifest)
    assert {("marts", "fct_dublin_funnel"), ("marts", "dim_source_documents")} <= rebuilt
    assert not {("marts", "dim_nationalities"), ("staging", "stg_reference__populations")} & rebuilt

    candidate = tmp_path / "candidate.duckdb"
    shutil.copyfile(warehouse.full_build, candidate)
    state.drop_rebuilt_dependents(candidate, manifest)
    con = duckdb.connect(str(candidate), read_only=True)
    try:
        tables = {
            tuple(row)
            for row in con.execute("select schema_name, table_name from duckdb_tables()").fetchall()
        }
        holders = con.execute(
            "select count(*) from duckdb_constraints() where constraint_type = 'FOREIGN KEY'"
        )
        assert holders.fetchone() == (1,)  # dim_safe_countries -> dim_nationalities: not rebuilt
    finally:
        con.close()
    assert ("marts", "fct_published_figures") not in tables and (
        "marts",
        "fct_nationality_shares",
    ) not in tables
    assert {
        ("marts", "dim_source_documents"),
        ("marts", "dim_nationalities"),
        ("marts", "dim_safe_countries"),
    } <= tables

    state.drop_rebuilt_dependents(candidate, tmp_path / "no-manifest.json")  # unreadable: nothing dropped
    assert state.rebuilt_models(tmp_path / "no-manifest.json") == set()


def test_the_counts_read_from_dbts_output_are_those_of_its_run_results(
    built_project: tuple[Path, Path, str],
) -> None:
    """A build that adds a month writes no run_results.json: its summary counts the nodes from
    the lines dbt printed. On a full build, which writes both, they agree."""
    project, published_file, _ = built_project
    log = Warehouse(published_file).folder / "logs" / "dbt.log"
    results = json.loads((project / "target" / "run_results.json").read_text(encoding="utf-8"))["results"]
    expected = Counter(
        (entry["unique_id"].split(".", 1)[0], entry["status"])
        for entry in results
        if entry["unique_id"].split(".", 1)[0] in ("seed", "model", "test", "unit_test")
    )
    assert node_results(log.read_text(encoding="utf-8").splitlines()) == expected
    failing = [
        "10:00:01  7 of 9 FAIL 3 assert_x ........ [FAIL 3 in 0.05s]",
        "10:00:01  8 of 9 ERROR creating sql table model marts.fct_x ... [ERROR in 0.04s]",
        "10:00:01  9 of 9 SKIP test primary_key_fct_x_reference_month  [SKIP]",
        "10:00:01  1 of 1 OK hook: kerncijfers.on-run-end.0 ........ [OK in 0.02s]",
    ]
    assert node_results(failing) == {("test", "fail"): 1, ("model", "error"): 1, ("test", "skipped"): 1}


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
    before = state.fingerprint(project)
    with open(project / changed, "a", encoding="utf-8") as handle:
        handle.write("\n")
    after = state.fingerprint(project)
    assert after != before
    assert state.state_selection(_released(tmp_path, before), after) is None


def test_new_figures_alone_keep_the_fingerprint_and_no_release_means_a_full_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", with_documents=False)
    before = state.fingerprint(project)
    (project / "seeds" / "raw" / "raw_published_figures.csv").write_text("document_id\n")
    assert state.fingerprint(project) == before
    assert state.state_selection(Warehouse(tmp_path / "none" / "kerncijfers.duckdb"), before) is None
