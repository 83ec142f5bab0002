"""The real January 2023 beside its second source: IND's monthly pages
(seeds/reference/ref_ind_asylum_influx.csv) agree with the publication — 2,490 first applications
and 390 nareizigers, and every IND nationality count inside the interval the warehouse derives
from the rounded shares."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import duckdb

from tests.conftest import ROOT

IND_SEED = ROOT / "seeds" / "reference" / "ref_ind_asylum_influx.csv"

JANUARY = date(2023, 1, 1)
IND_TOP_FIVE = {"SYR": 638, "TUR": 163, "SOM": 161, "YEM": 156, "DZA": 153}


def _rows(warehouse: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_january_2023_agrees_with_ind(built_project: tuple[Path, Path, str]) -> None:
    _, warehouse, output = built_project
    totals = _rows(
        warehouse,
        "select measure_code, kerncijfers_count, ind_first_value, ind_latest_value, verdict "
        "from marts.fct_source_reconciliation where reference_month = date '2023-01-01' "
        "and nationality_code = 'TOTAL' order by 1",
    )
    assert totals == [
        ("family_reunification_arrivals", 390, 390, 391, "agrees"),
        # 2,490 as IND first published it; IND's February page revised it to 2,499: a warning.
        ("first_applications", 2490, 2490, 2499, "differs_from_revision"),
        ("repeat_applications", None, 111, 116, "second_source_only"),
        ("total_influx", None, 2991, 3006, "second_source_only"),
        ("unaccompanied_minor_applications", None, 261, 252, "second_source_only"),
    ]
    assert (
        "WARNING  agrees_with_revised_second_source: kerncijfers-2023-01-4f0d79c6a2f3 · first_applications · "
        "TOTAL 2023-01-01: kerncijfers_count=2490" in output
    )


def test_every_ind_nationality_count_lies_inside_the_estimated_interval(
    built_project: tuple[Path, Path, str],
) -> None:
    _, warehouse, _ = built_project
    rows = _rows(
        warehouse,
        "select nationality_code, ind_first_value, kerncijfers_low, kerncijfers_high, verdict, document_id "
        "from marts.fct_source_reconciliation where reference_month = date '2023-01-01' "
        "and measure_code = 'first_applications' and nationality_code <> 'TOTAL'",
    )
    assert {code: ind for code, ind, *_ in rows} == IND_TOP_FIVE
    for code, ind, low, high, verdict, document in rows:
        assert low <= ind <= high, code
        assert (verdict, document) == ("agrees", "kerncijfers-2023-01-4f0d79c6a2f3"), code
    # The estimated interval is the mart's own: the same bounds as fct_nationality_shares.
    assert _rows(
        warehouse,
        "select count(*) from marts.fct_source_reconciliation as r inner join marts.fct_nationality_shares as s "
        "on s.reference_month = r.reference_month and s.nationality_code = r.nationality_code "
        "and s.population_code = 'first_applicants' and s.window_type = 'month' "
        "and r.kerncijfers_low = s.estimated_count_low and r.kerncijfers_high = s.estimated_count_high "
        "where r.measure_code = 'first_applications' and r.nationality_code <> 'TOTAL'",
    ) == [(5,)]


def test_every_ind_row_is_in_the_mart_with_its_page(built_project: tuple[Path, Path, str]) -> None:
    """Months the publication does not cover keep IND's series, with the page of each value."""
    _, warehouse, _ = built_project
    months = _rows(
        warehouse,
        "select min(reference_month), max(reference_month), count(distinct reference_month), "
        "count(*) filter (where ind_first_page_url not like 'https://ind.nl/%') "
        "from marts.fct_source_reconciliation",
    )
    seed = [row["reference_month"] for row in csv.DictReader(IND_SEED.open(encoding="utf-8", newline=""))]
    assert months == [(date.fromisoformat(min(seed)), date.fromisoformat(max(seed)), len(set(seed)), 0)]
