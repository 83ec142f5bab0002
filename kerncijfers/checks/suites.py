"""The checks of a project (Great Expectations suites), the datasets they judge, and the reviewed findings.

Each suite `gx/expectations/<dataset>.json` holds the checks of one dbt model of `models/checks/`,
which has one row per thing a check looks at. Great Expectations' SQL datasource returns empty results on
DuckDB (the engine closes the connection before fetching), so each dataset is read into pandas and
validated as a dataframe batch; aggregate checks (a breakdown sums to 100) are aggregated in the
model, so that they become column expectations.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.errors import WarehouseError
from kerncijfers.checks.severity import Severity

# The schema of models/checks/ (dbt_project.yml).
CHECKS_SCHEMA = "checks"
# The columns that say which document, figure family and subject a row is about: every check
# dataset has them (tests/kerncijfers/test_checks.py).
WHERE_COLUMNS = ("document_id", "family_code", "subject")


@dataclass(frozen=True)
class Suite:
    """One dataset (a model of models/checks/) and its checks (the suite's expectations)."""

    name: str
    path: Path
    definition: dict[str, Any]

    @property
    def dataset(self) -> str:
        return str(self.definition["meta"]["dataset"])

    @property
    def report_columns(self) -> list[str]:
        return list(self.definition["meta"]["report_columns"])

    @property
    def expectation_count(self) -> int:
        return len(self.definition["expectations"])

    @property
    def checks(self) -> list[tuple[str, dict[str, Any]]]:
        """Each check of the suite: its name (`meta.check`, else the expectation's type) and its
        expectation."""
        return [(check_name(expectation), expectation) for expectation in self.definition["expectations"]]


def check_name(expectation: Mapping[str, Any]) -> str:
    """The name of the check an expectation is: `meta.check`, else its type."""
    return str((expectation.get("meta") or {}).get("check", expectation["type"]))


def load_suites(gx_dir: Path) -> list[Suite]:
    """Every suite in <gx_dir>/expectations/."""
    folder = gx_dir / "expectations"
    suites = []
    for path in sorted(folder.glob("*.json")):
        try:
            definition = json.loads(path.read_text(encoding="utf-8"))
            dataset = definition["meta"]["dataset"]
        except (ValueError, KeyError, TypeError) as exc:
            raise WarehouseError(path, f"the expectation suite cannot be read ({exc!r})") from None
        if not str(dataset).isidentifier():
            raise WarehouseError(path, f"meta.dataset {dataset!r} is not the name of a model")
        for expectation in definition.get("expectations", []):
            severity = expectation.get("severity", Severity.CRITICAL)
            if severity not in set(Severity):
                known = ", ".join(Severity)
                raise WarehouseError(path, f"the severity {severity!r} is not one of {known}")
        suites.append(Suite(definition["name"], path, definition))
    if not suites:
        raise WarehouseError(folder, "no expectation suites found")
    return suites


# (document_id, check, family_code, subject): a review waives the one finding it names, never
# another figure's of the same document and check.
Reviewed = set[tuple[str, str, str, str]]


def load_reviewed(path: Path) -> Reviewed:
    """(document_id, check, family_code, subject) of every finding a maintainer has reviewed
    (seeds/reviewed/reviewed_findings.csv): reported as warnings, no longer stopping a build."""
    return reviewed_keys(row for _, row in read_reviews(path))


def read_reviews(path: Path) -> list[tuple[int, dict[str, str | None]]]:
    """The rows of the reviewed findings seed as csv.DictReader gives them (a short row's missing
    cells None), each with the line it starts on; none when the file does not exist."""
    if not path.exists():
        return []
    rows: list[tuple[int, dict[str, str | None]]] = []
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        ended = reader.line_num
        for values in reader:
            start, ended = ended + 1, reader.line_num
            if not values:
                continue  # a blank line, which csv.DictReader skips too
            row: dict[str, str | None] = dict.fromkeys(header)
            row.update(zip(header, values, strict=False))
            rows.append((start, row))
    return rows


def reviewed_keys(rows: Iterable[Mapping[str, Any]]) -> Reviewed:
    """The key of each review row (a row of the seed, as read by csv or by dbt)."""
    return {
        (str(row["document_id"]), str(row["check_name"]), str(row["family_code"]), str(row["subject"]))
        for row in rows
    }


def read_datasets_duckdb(database: Path, suites: list[Suite]) -> dict[str, Any]:
    """Each suite's dataset as a pandas frame, read from a DuckDB build."""
    import duckdb

    from kerncijfers.warehouse import connect

    con = connect(database)
    try:
        frames = {}
        for suite in suites:
            try:
                frames[suite.name] = con.execute(f'select * from {CHECKS_SCHEMA}."{suite.dataset}"').df()
            except duckdb.Error as exc:
                raise WarehouseError(
                    suite.path, f"its dataset cannot be read from {database}: {exc}"
                ) from None
        return frames
    finally:
        con.close()


def read_datasets_postgres(schema: str, suites: list[Suite]) -> dict[str, Any]:
    """Each suite's dataset as a pandas frame, read from a PostgreSQL build (KERNCIJFERS_PG_*)."""
    import pandas
    import psycopg2

    from kerncijfers.postgres_connection import owner_connection

    with owner_connection() as con:
        frames = {}
        for suite in suites:
            try:
                with con.cursor() as cursor:
                    cursor.execute(f'select * from "{schema}"."{suite.dataset}"')
                    columns = [column.name for column in cursor.description]
                    frames[suite.name] = pandas.DataFrame(cursor.fetchall(), columns=columns)
            except psycopg2.Error as exc:
                raise WarehouseError(suite.path, f"its dataset cannot be read from {schema}: {exc}") from None
        return frames
