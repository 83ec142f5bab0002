"""The exports load into pandas with the marts' types, the way the README ("Types") tells an
analyst to load them: nullable counts as nullable integers (not float64 with NaN), dates as dates
(not Python objects or text), and a CSV column that is empty throughout keeps its type.

The loading is the README's own code block (the one that defines `read_export`), run as written
from the project's folder, so that the README cannot drift from what is tested here."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pytest

from tests.conftest import ROOT

# What each DuckDB type of a mart's column is in pandas, read from Parquet (the file keeps the
# type) and from CSV (Table Schema has one `integer`, so every integer column is int64).
PARQUET = {
    "BIGINT": pa.int64(),
    "INTEGER": pa.int32(),
    "DOUBLE": pa.float64(),
    "VARCHAR": pa.string(),
    "BOOLEAN": pa.bool_(),
    "DATE": pa.date32(),
    "TIMESTAMP": pa.timestamp("us"),
}
CSV = {**PARQUET, "INTEGER": pa.int64()}

Reader = Callable[..., pd.DataFrame]


def _readme_block() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [
        block for block in re.findall(r"```python\n(.*?)```", readme, re.S) if "def read_export" in block
    ]
    assert len(blocks) == 1, "README.md needs one ```python block (under Types) that defines read_export"
    return blocks[0]


@pytest.fixture(scope="module")
def read_export(built_project: tuple[Path, Path, str]) -> Iterator[Reader]:
    """The README's `read_export(mart, csv=False)`, run in the built project's folder (where
    `warehouse/export` is, as in a clone after `make build`)."""
    project, _, _ = built_project
    namespace: dict[str, object] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project)
        exec(compile(_readme_block(), "README.md", "exec"), namespace)  # noqa: S102 - the README's own code
        yield namespace["read_export"]  # type: ignore[misc]


@pytest.fixture(scope="module")
def marts(built_project: tuple[Path, Path, str]) -> dict[str, list[tuple[str, str]]]:
    """Every mart's columns with their DuckDB types, in order, and its row count."""
    _, warehouse, _ = built_project
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        columns: dict[str, list[tuple[str, str]]] = {}
        for table, column, data_type in con.execute(
            "select table_name, column_name, data_type from duckdb_columns() "
            "where schema_name = 'marts' order by table_name, column_index"
        ).fetchall():
            columns.setdefault(table, []).append((column, data_type))
        return columns
    finally:
        con.close()


@pytest.mark.parametrize(("csv", "types"), [(False, PARQUET), (True, CSV)], ids=["parquet", "csv"])
def test_every_column_of_every_export_has_its_marts_type(
    read_export: Reader, marts: dict[str, list[tuple[str, str]]], csv: bool, types: dict[str, pa.DataType]
) -> None:
    assert len(marts) >= 15
    for mart, columns in marts.items():
        frame = read_export(mart, csv=csv)
        assert list(frame.columns) == [name for name, _ in columns], mart
        wrong = {
            name: (data_type, str(frame[name].dtype))
            for name, data_type in columns
            if frame[name].dtype != pd.ArrowDtype(types[data_type])
        }
        assert not wrong, f"{mart}: {wrong}"


def test_csv_and_parquet_load_the_same_values(
    read_export: Reader, marts: dict[str, list[tuple[str, str]]]
) -> None:
    """The CSV, typed by datapackage.json, gives the Parquet file's values, nulls where it has
    them, and floats to the last digit (only integers are wider)."""
    for mart in marts:
        parquet = read_export(mart)
        pd.testing.assert_frame_equal(
            read_export(mart, csv=True).astype(parquet.dtypes.to_dict()), parquet, check_exact=True, obj=mart
        )


@pytest.mark.parametrize("csv", [False, True], ids=["parquet", "csv"])
def test_january_2023_loads_with_nullable_counts_dates_and_empty_columns(
    read_export: Reader, csv: bool
) -> None:
    shares = read_export("fct_nationality_shares", csv=csv)
    syria = shares[(shares["nationality_code"] == "SYR") & (shares["population_code"] == "first_applicants")]
    by_window = {row.window_type: row for row in syria.itertuples()}
    # A monthly share implies a count; a twelve-month share has no total and so no count: null,
    # beside integers, not NaN in a column of floats.
    assert (by_window["month"].estimated_count, by_window["month"].base_count) == (647, 2490)
    assert by_window["rolling_12m"].estimated_count is pd.NA and by_window["rolling_12m"].base_count is pd.NA
    # Summed as integers: 26 %, 7 % and three times 6 % of 2,490; 45 %, 15 %, 12 % and 28 % of 390.
    assert shares["estimated_count"].sum() == 647 + 174 + 3 * 149 + 176 + 59 + 47 + 109
    assert by_window["month"].reference_month == date(2023, 1, 1)
    assert shares["period_start"].min() == date(2022, 2, 1)

    # January's publication is not dated: a date column with no value at all is still a date.
    documents = read_export("dim_source_documents", csv=csv)
    assert documents["published_on"].isna().all() and documents["published_on"].dtype == pd.ArrowDtype(
        pa.date32()
    )
    assert documents["reference_month"].tolist() == [date(2023, 1, 1)]

    # Only an empty cell is null: Namibia's ISO code "NA" is text, not a missing value.
    nationalities = read_export("dim_nationalities", csv=csv).set_index("nationality_code")
    assert nationalities.loc["NAM", "iso2_code"] is not pd.NA
    assert nationalities.loc["NAM", "iso2_code"] == "NA"
    assert nationalities.loc["TOTAL", "iso2_code"] is pd.NA
