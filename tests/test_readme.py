"""The README's example queries run on the warehouse `make build` builds, and return rows."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from tests.conftest import ROOT

QUERIES = re.findall(r"```sql\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)


def test_the_readme_has_its_example_queries() -> None:
    assert len(QUERIES) >= 4


@pytest.mark.parametrize("query", QUERIES, ids=[q.split("\n", 1)[0][3:40] for q in QUERIES])
def test_readme_query_runs(query: str, built_project: tuple[Path, Path, str]) -> None:
    _, warehouse, _ = built_project
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        assert con.execute(query).fetchall()
    finally:
        con.close()
