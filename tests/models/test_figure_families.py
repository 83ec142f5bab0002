"""The registry of figure families is the one definition the warehouse uses: every published figure
belongs to a declared family, and the monthly pivot has exactly the columns the registry asks for."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import duckdb

from core.project import Project
from ingest.figures import load_families
from tests.conftest import ROOT, full_build

REGISTRY = load_families(Project(ROOT).families_seed)


def _query(warehouse: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_every_published_figure_is_of_a_declared_family(built_project: tuple[Path, Path, str]) -> None:
    _, warehouse, _ = built_project
    published = set(
        _query(
            warehouse,
            "select distinct family_code, figure_code, population_code, window_type, subject_type "
            "from marts.fct_published_figures",
        )
    )
    declared = {(f.family_code, *f.key) for f in REGISTRY.families}
    assert published and published <= declared
    # January 2023 gives every family required in its month (a family added since is not).
    assert {f.family_code for f in REGISTRY.families if f.required_in(date(2023, 1, 1))} <= {
        row[0] for row in published
    }
    assert _query(warehouse, "select count(*) from marts.dim_figure_families") == [(len(REGISTRY.families),)]


def test_the_monthly_pivot_has_a_column_per_pivot_family(built_project: tuple[Path, Path, str]) -> None:
    warehouse = full_build(built_project[1])
    columns = {
        name
        for (name,) in _query(
            warehouse,
            "select column_name from duckdb_columns() "
            "where schema_name = 'intermediate' and table_name = 'int_month_figures_pivoted'",
        )
    }
    families = {
        row[0]
        for row in _query(
            warehouse, "select family_code from reference.ref_figure_families where in_monthly_pivot"
        )
    }
    with Project(ROOT).families_seed.open(encoding="utf-8", newline="") as registry:
        assert families == {
            row["family_code"] for row in csv.DictReader(registry) if row["in_monthly_pivot"] == "true"
        }
    assert "first_applications" in families
    expected = (
        {"reference_month", "document_id", "publication_count"}
        | families
        | {f"{code}_rounding_unit" for code in families}
        | {f"{code}_is_approximate" for code in families}
    )
    assert columns == expected
