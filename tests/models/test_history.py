"""Several months and a revision: differencing year-to-date counts, vintages, and the marts'
choice of the latest publication."""

from __future__ import annotations

from datetime import date

import pytest

from tests.warehouse import Build

# One worker of a parallel run builds `history` for all the modules that read it.
pytestmark = pytest.mark.xdist_group("history")

# `history` (tests/conftest.py): January 2023, December 2023 .. March 2024, July 2024 and a
# revision of January 2023, built once per session.


def test_permits_per_month_by_differencing(history: Build) -> None:
    rows = history.query(
        "select reference_month, purpose_code, granted_ytd, granted_in_month "
        "from marts.fct_regular_permits where reference_month >= date '2023-12-01' "
        "order by reference_month, purpose_code"
    )
    assert rows == [
        # December 2023: November is missing, so no month figure (never a guess).
        (date(2023, 12, 1), "family", 30870, None),
        (date(2023, 12, 1), "knowledge_and_talent", 20140, None),
        (date(2023, 12, 1), "study", 11960, None),
        # January starts a new year: its month is its year to date.
        (date(2024, 1, 1), "family", 3540, 3540),
        (date(2024, 1, 1), "knowledge_and_talent", 2610, 2610),
        (date(2024, 1, 1), "study", 410, 410),
        (date(2024, 2, 1), "family", 7010, 3470),
        (date(2024, 2, 1), "knowledge_and_talent", 4610, 2000),
        (date(2024, 2, 1), "study", 1310, 900),
        (date(2024, 3, 1), "family", 10480, 3470),
        (date(2024, 3, 1), "knowledge_and_talent", 6920, 2310),
        (date(2024, 3, 1), "study", 1310, 0),
        # July 2024: June is missing.
        (date(2024, 7, 1), "family", 22460, None),
        (date(2024, 7, 1), "knowledge_and_talent", 14390, None),
        (date(2024, 7, 1), "study", 9870, None),
    ]


def test_departures_per_month_by_differencing(history: Build) -> None:
    rows = history.query(
        "select reference_month, population_code, departed_ytd, departed_in_month "
        "from marts.fct_departures where reference_month between date '2024-01-01' and date '2024-03-01' "
        "order by reference_month, population_code"
    )
    assert rows == [
        (date(2024, 1, 1), "all_aliens", 2380, 2380),
        (date(2024, 1, 1), "criminal_aliens", 80, 80),
        (date(2024, 2, 1), "all_aliens", 4400, 2020),
        (date(2024, 2, 1), "criminal_aliens", 150, 70),
        (date(2024, 3, 1), "all_aliens", 6730, 2330),
        (date(2024, 3, 1), "criminal_aliens", 240, 90),
    ]


def test_the_revision_wins_in_the_marts_and_both_stay_published(history: Build) -> None:
    assert history.query(
        "select first_applications from marts.fct_asylum_inflow_monthly "
        "where reference_month = date '2023-01-01'"
    ) == [(2500,)]
    assert history.query(
        "select share_pct, estimated_count, estimated_count_low, estimated_count_high "
        "from marts.fct_nationality_shares where nationality_code = 'SYR' "
        "and population_code = 'family_reunification' and window_type = 'month' "
        "and reference_month = date '2023-01-01'"
    ) == [(46, 179, 176, 183)]  # 45.5 % of 385 .. 46.5 % of 395
    published = history.query(
        "select d.vintage, f.published_value, f.is_latest_for_figure from marts.fct_published_figures f "
        "join marts.dim_source_documents d using (document_id) "
        "where f.figure_code = 'first_applications' and f.reference_month = date '2023-01-01' "
        "order by d.vintage"
    )
    assert published == [(1, 2490, False), (2, 2500, True)]
    # A figure the revision did not change is still taken from the latest vintage.
    assert history.query(
        "select d.vintage from marts.fct_dublin_funnel f join marts.dim_source_documents d "
        "using (document_id) where f.reference_month = date '2023-01-01'"
    ) == [(2,)]
    assert history.query(
        "select count(*) from marts.fct_published_figures where reference_month = date '2023-01-01'"
    ) == [(78,)]


def test_one_row_per_month_in_the_monthly_marts(history: Build) -> None:
    months = [
        date(2023, 1, 1),
        date(2023, 12, 1),
        date(2024, 1, 1),
        date(2024, 2, 1),
        date(2024, 3, 1),
        date(2024, 7, 1),
    ]
    for mart in ("fct_asylum_inflow_monthly", "fct_dublin_funnel", "fct_monthly_key_figures"):
        assert [
            row[0] for row in history.query(f"select reference_month from marts.{mart} order by 1")
        ] == months, mart


def test_a_december_year_to_date_covers_the_whole_year(history: Build) -> None:
    assert history.query(
        "select distinct f.period_start, f.period_end from marts.fct_published_figures f "
        "where f.window_type = 'year_to_date' and f.reference_month = date '2023-12-01'"
    ) == [(date(2023, 1, 1), date(2023, 12, 31))]
