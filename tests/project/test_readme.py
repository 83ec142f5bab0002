"""The README's example queries run on the warehouse `make build` builds, and return rows."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT

QUERIES = re.findall(r"```sql\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)
# The as-of query needs dated publications, and the stored January 2023 has no known date: here it
# runs (and returns nothing); tests/reliability/test_one_publication_per_month.py checks its rows on
# a dated history.
AS_OF = next(query for query in QUERIES if "valid_from <=" in query)


def test_the_readme_has_its_example_queries() -> None:
    assert len(QUERIES) >= 4


@pytest.mark.parametrize("query", QUERIES, ids=[q.split("\n", 1)[0][3:40] for q in QUERIES])
def test_readme_query_runs(query: str, built_project: tuple[Path, Path, str]) -> None:
    _, warehouse, _ = built_project
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute(query).fetchall()
        assert rows or query == AS_OF
    finally:
        con.close()


def _table_after(text: str, heading: str) -> list[str]:
    lines = text[text.index(heading) :].split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("| "))
    end = next(i for i in range(start, len(lines)) if not lines[i].startswith("|"))
    return lines[start:end]


def test_the_glossary_names_real_marts_and_columns(built_project: tuple[Path, Path, str]) -> None:
    """Every mart and column the glossary points a reader to exists in the published warehouse."""
    _, warehouse, _ = built_project
    rows = _table_after((ROOT / "README.md").read_text(encoding="utf-8"), "## Glossary")[2:]
    assert len(rows) >= 15 and any(row.startswith("| nareizigers |") for row in rows)
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        columns = {
            (table, column)
            for table, column in con.execute(
                "select table_name, column_name from duckdb_columns() where schema_name = 'marts'"
            ).fetchall()
        }
    finally:
        con.close()
    tables = {table for table, _ in columns}
    for row in rows:
        where = row.rstrip(" |").rsplit(" | ", 1)[1]
        for table, column in re.findall(r"`((?:fct|dim)_\w+)(?:\.(\w+))?`", where):
            assert table in tables, row
            assert not column or (table, column) in columns, row


def test_the_docs_overview_carries_the_readme_tables(built_project: tuple[Path, Path, str]) -> None:
    """`make docs` opens on the overview (models/overview.md): what this warehouse is, its marts
    and its glossary — the very tables of the README, so that neither drifts from the other."""
    import json

    project, _, _ = built_project
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    overview = (ROOT / "models" / "overview.md").read_text(encoding="utf-8")
    # The overview links each mart it names to the mart's page in dbt's docs, routes that lead
    # nowhere on GitHub: the tables are compared without those links.
    overview = re.sub(r"\[(`(?:fct|dim)_[\w.]+`)\]\(#!/model/model\.kerncijfers\.\w+\)", r"\1", overview)
    assert "#!/" not in overview
    for heading, in_overview in (
        ("## Querying the warehouse", "## The marts"),
        ("## Glossary", "## Glossary"),
    ):
        assert _table_after(overview, in_overview) == _table_after(readme, heading)
    docs = json.loads((project / "target" / "manifest.json").read_text(encoding="utf-8"))["docs"]
    assert docs["doc.kerncijfers.__overview__"]["block_contents"].startswith(
        "# Kerncijfers asiel en migratie"
    )
