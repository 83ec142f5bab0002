"""The expectation suites of a project, and the datasets they validate, read from the marts.

Great Expectations' SQL datasource returns empty results on DuckDB (the engine closes the
connection before fetching), so each dataset is read with duckdb into pandas and validated as a
dataframe batch. Aggregate rules (a breakdown sums to 100) are aggregated in the query, one row
per breakdown, so that they become column expectations.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kerncijfers.errors import WarehouseError


@dataclass(frozen=True)
class Suite:
    """One dataset (a query on the marts) and the expectations it must meet."""

    name: str
    path: Path
    query_path: Path
    query: str
    definition: dict[str, Any]

    @property
    def report_columns(self) -> list[str]:
        return list(self.definition["meta"]["report_columns"])

    @property
    def expectation_count(self) -> int:
        return len(self.definition["expectations"])


def load_suites(gx_dir: Path) -> list[Suite]:
    """Every suite in <gx_dir>/expectations/, with its dataset query from <gx_dir>/datasets/."""
    folder = gx_dir / "expectations"
    suites = []
    for path in sorted(folder.glob("*.json")):
        try:
            definition = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as exc:
            raise WarehouseError(path, f"the expectation suite is not valid JSON ({exc})") from None
        query_path = gx_dir / "datasets" / definition["meta"]["dataset"]
        try:
            query = query_path.read_text(encoding="utf-8")
        except OSError as exc:
            raise WarehouseError(path, f"its dataset query cannot be read ({exc})") from None
        suites.append(Suite(definition["name"], path, query_path, query, definition))
    if not suites:
        raise WarehouseError(folder, "no expectation suites found")
    return suites


def read_datasets(warehouse: Path, suites: list[Suite]) -> dict[str, Any]:
    """Each suite's dataset as a pandas frame, read from the DuckDB warehouse."""
    import duckdb

    from kerncijfers.warehouse import connect

    con = connect(warehouse)
    try:
        frames = {}
        for suite in suites:
            try:
                frames[suite.name] = con.execute(suite.query).df()
            except duckdb.Error as exc:
                raise WarehouseError(
                    suite.query_path, f"the dataset query failed on {warehouse.name}: {exc}"
                ) from None
        return frames
    finally:
        con.close()
