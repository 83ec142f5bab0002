"""The descriptions in the marts' yml reach the DuckDB warehouse as comments, where BI tools and
`duckdb_tables()` / `duckdb_columns()` show them."""

from __future__ import annotations

from pathlib import Path

import duckdb

from tests.dbt_yml import doc_blocks, mart_specs, rendered


def _described_marts() -> dict[str, dict[str, str]]:
    """Each mart's description (key "") and its columns' descriptions, from its yml in
    models/marts/ with the doc blocks filled in (models configured into another schema, like the
    semantic layer's time spine, left out)."""
    blocks = doc_blocks()
    return {
        name: {"": rendered(model["description"], blocks)}
        | {column["name"]: rendered(column["description"], blocks) for column in model["columns"]}
        for name, model in mart_specs().items()
        if model.get("config", {}).get("schema", "marts") == "marts"
    }


def test_mart_and_column_descriptions_are_comments(built_project: tuple[Path, Path, str]) -> None:
    _, warehouse, _ = built_project
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = dict(
            con.execute(
                "select table_name, comment from duckdb_tables() where schema_name = 'marts'"
            ).fetchall()
        )
        columns = {
            (table, column): comment
            for table, column, comment in con.execute(
                "select table_name, column_name, comment from duckdb_columns() where schema_name = 'marts'"
            ).fetchall()
        }
    finally:
        con.close()
    assert (
        columns[("fct_dublin_funnel", "dublin_rejected_count")]
        == "Of the rejected, those rejected under the Dublin Regulation."
    )
    for mart, descriptions in _described_marts().items():
        assert tables[mart].strip() == descriptions[""].strip(), mart
        for column, description in descriptions.items():
            if column:
                assert (columns[(mart, column)] or "").strip() == description.strip(), (mart, column)
