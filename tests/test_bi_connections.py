"""The published DuckDB file as BI tools open it: through SQLAlchemy and duckdb-engine, inspected
the way Superset inspects a database (schemas, tables, columns with their comments, keys, indexes)
and queried with the URI and engine parameters the README gives.

The versions are pinned in pyproject.toml: with SQLAlchemy 2.1 duckdb-engine fails to list columns
(`pg_catalog.pg_collation` does not exist), with 2.0 the key lookups fail (`REGCLASS`); 1.4 works.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy
from sqlalchemy import inspect, text

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def engine(built_project: tuple[Path, Path, str]):  # -> sqlalchemy Engine
    _, warehouse, _ = built_project
    # The README's recipe, word for word: the URI and the engine parameters.
    engine = sqlalchemy.create_engine(f"duckdb:///{warehouse}", connect_args={"read_only": True})
    yield engine
    engine.dispose()


def test_the_readme_gives_this_recipe() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "duckdb:////absolute/path/to/warehouse/kerncijfers.duckdb" in readme
    assert '{"connect_args": {"read_only": true}}' in readme
    pins = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert f'"sqlalchemy=={sqlalchemy.__version__}"' in pins.lower()


# duckdb-engine answers get_indexes with an empty list and this warning: DuckDB files have no
# indexes to reflect. Superset carries on the same way.
@pytest.mark.filterwarnings("ignore:duckdb-engine doesn't yet support reflection on indices")
def test_superset_inspects_schemas_tables_and_columns_with_comments(
    engine, built_project: tuple[Path, Path, str]
) -> None:
    inspector = inspect(engine)
    # duckdb-engine names schemas with their database (the file's name): what Superset lists.
    database = built_project[1].stem
    assert {f"{database}.marts", f"{database}.semantic"} <= set(inspector.get_schema_names())
    marts = f"{database}.marts"
    tables = inspector.get_table_names(schema=marts)
    assert inspector.get_table_names(schema="marts") == tables
    assert {"fct_asylum_inflow_monthly", "fct_dublin_funnel", "dim_nationalities"} <= set(tables)
    inspector.get_view_names(schema="marts")
    for table in tables:
        columns = inspector.get_columns(table, schema=marts)
        assert columns, table
        undocumented = [c["name"] for c in columns if not (c.get("comment") or "").strip()]
        assert undocumented == [], f"marts.{table}: columns without a comment: {undocumented}"
        assert (inspector.get_table_comment(table, schema=marts)["text"] or "").strip(), table
        # What Superset asks next when a table is added as a dataset: none of these may fail.
        inspector.get_pk_constraint(table, schema=marts)
        inspector.get_foreign_keys(table, schema=marts)
        inspector.get_indexes(table, schema=marts)
    inflow = {c["name"]: c for c in inspector.get_columns("fct_asylum_inflow_monthly", schema=marts)}
    assert str(inflow["first_applications"]["type"]).upper() == "BIGINT"


def test_a_chart_query_runs_read_only(engine) -> None:
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "select reference_month, first_applications from marts.fct_asylum_inflow_monthly "
                "order by reference_month"
            )
        ).fetchall()
        assert [(str(month), count) for month, count in rows] == [("2023-01-01", 2490)]
        with pytest.raises(sqlalchemy.exc.DBAPIError, match="read-only"):
            connection.execute(text("create table marts.scratch (x integer)"))
