"""The marts built from the real January 2023 publication hold exactly its figures."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import duckdb
import pytest

from tests.conftest import TEST_DOCUMENTS

# The IND's exact counts for January 2023 (ind.nl, monthly asylum trends): first applicants by
# nationality, of 2,490 in all. Our estimates from rounded shares must bracket them.
IND_COUNTS_JANUARY_2023 = {"SYR": 638, "TUR": 163, "SOM": 161, "YEM": 156, "DZA": 153}


@pytest.fixture(scope="module")
def con(built_project: tuple[Path, Path, str]):
    _, warehouse, _ = built_project
    connection = duckdb.connect(str(warehouse), read_only=True)
    yield connection
    connection.close()


def test_dublin_funnel(con) -> None:
    row = con.execute(
        """
        select reference_month, handled_count, rejected_count, dublin_rejected_count, published_dublin_share_pct,
               rejection_rate_pct, dublin_share_of_handled_pct, dublin_share_of_rejected_pct
        from marts.fct_dublin_funnel
        """
    ).fetchall()
    assert row == [(date(2023, 1, 1), 2180, 990, 660, 30.0, 45.4, 30.3, 66.7)]


def test_estimated_counts_bracket_the_ind_counts(con) -> None:
    rows = con.execute(
        """
        select nationality_code, share_pct, estimated_count, estimated_count_low,
               estimated_count_high
        from marts.fct_nationality_shares
        where population_code = 'first_applicants' and window_type = 'month'
          and reference_month = date '2023-01-01'
        """
    ).fetchall()
    by_code = {code: (share, low, high) for code, share, _, low, high in rows}
    assert set(by_code) == set(IND_COUNTS_JANUARY_2023)
    for code, true_count in IND_COUNTS_JANUARY_2023.items():
        _, low, high = by_code[code]
        assert low <= true_count <= high, f"{code}: {true_count} not in [{low}, {high}]"
    assert by_code["SYR"] == (26.0, 634, 661)


def test_inflow_and_key_figures(con) -> None:
    assert con.execute(
        "select first_applications, family_reunification_arrivals, safe_country_share_pct "
        "from marts.fct_asylum_inflow_monthly"
    ).fetchall() == [(2490, 390, 9.0)]
    key = con.execute(
        "select top_nationality_code, top_nationality_share_pct, grant_rate_12m_pct, "
        "permits_granted_ytd_listed_purposes, departures_ytd, departures_in_month, criminal_departures_ytd "
        "from marts.fct_monthly_key_figures"
    ).fetchall()
    assert key == [("SYR", 26.0, 65.0, 3770 + 2360 + 320, 2120, 2120, 70)]


def test_grant_rates_permits_and_departures(con) -> None:
    assert dict(
        con.execute("select nationality_code, grant_rate_pct from marts.fct_grant_rates").fetchall()
    ) == {"TOTAL": 65, "AFG": 92, "TUR": 90, "YEM": 90, "SYR": 85}
    assert sorted(
        con.execute(
            "select purpose_code, granted_ytd, granted_in_month from marts.fct_regular_permits"
        ).fetchall()
    ) == [("family", 3770, 3770), ("knowledge_and_talent", 2360, 2360), ("study", 320, 320)]
    assert sorted(
        con.execute(
            "select population_code, departed_ytd, supervised_share_pct, unsupervised_share_pct, "
            "supervised_estimated_ytd_low, supervised_estimated_ytd_high from marts.fct_departures"
        ).fetchall()
    ) == [("all_aliens", 2120, 73, 27, 1534, 1561), ("criminal_aliens", 70, 79, 21, 52, 59)]


def test_nareizigers_breakdowns(con) -> None:
    rows = con.execute(
        "select window_type, nationality_code, share_pct, is_residual from marts.fct_nationality_shares "
        "where population_code = 'family_reunification' order by window_type, share_pct desc, nationality_code"
    ).fetchall()
    assert rows == [
        ("month", "SYR", 45, False),
        ("month", "OTHER", 28, True),
        ("month", "TUR", 15, False),
        ("month", "ERI", 12, False),
        ("rolling_12m", "SYR", 65, False),
        ("rolling_12m", "TUR", 10, False),
        ("rolling_12m", "ERI", 5, False),
        ("rolling_12m", "OTHER", 5, True),
    ]


def test_every_figure_is_traceable_to_its_sentence(con) -> None:
    rows = con.execute(
        """
        select f.figure_code, f.subject_code, f.source_line, f.source_text, d.sha256, d.stored_path
        from marts.fct_published_figures as f
        inner join marts.dim_source_documents as d using (document_id)
        """
    ).fetchall()
    assert len(rows) == 39
    assert (
        "first_applications_handled",
        "TOTAL",
        191,
        "Van de circa 2.180 behandelde eerste asielaanvragen is circa 990 afgewezen.",
    ) in [row[:4] for row in rows]
    assert {row[4] for row in rows} == {"4f0d79c6a2f3e9b254eccedc6faf7a07a85162acb23660a19e6a402aeac4b483"}


def test_estimated_counts_per_month_is_one_short_query(con) -> None:
    # The query the README shows: first applications per month by nationality, as counts.
    rows = con.execute(
        """
        select reference_month, nationality_code, estimated_count,
               estimated_count_low, estimated_count_high
        from marts.fct_nationality_shares
        where population_code = 'first_applicants' and window_type = 'month'
        order by reference_month, estimated_count desc
        """
    ).fetchall()
    assert rows[0] == (date(2023, 1, 1), "SYR", 647, 634, 661)
    assert len(rows) == 5


def test_build_reports_the_real_nareizigers_breakdown_that_does_not_add_up(
    built_project: tuple[Path, Path, str],
) -> None:
    _, _, output = built_project
    assert (
        "WARNING  complete_breakdown_sums_to_100 (reviewed): kerncijfers-2023-01-4f0d79c6a2f3 · "
        "family_reunification_by_nationality_12m · family_reunification rolling_12m 2022-02-01..2023-01-31: listed_items=4, total_pct=85, tolerance_pct=2"
    ) in output


def test_every_value_says_where_it_comes_from_and_whether_it_was_circa(con) -> None:
    """The wide marts carry, per value, whether it was published approximately, and the one
    publication the month's values come from (int_month_figures_pivoted tests that it is one)."""
    assert con.execute(
        "select first_applications_is_approximate, family_reunification_arrivals_is_approximate, "
        "safe_country_share_is_approximate, document_id from marts.fct_asylum_inflow_monthly"
    ).fetchall() == [(True, True, True, "kerncijfers-2023-01-4f0d79c6a2f3")]
    assert con.execute(
        "select counts_are_approximate, published_dublin_share_is_approximate, document_id "
        "from marts.fct_dublin_funnel"
    ).fetchall() == [(True, True, "kerncijfers-2023-01-4f0d79c6a2f3")]


def test_shares_are_floats_and_counts_integers_for_pandas(con) -> None:
    frame = con.execute("select * from marts.fct_nationality_shares").df()
    assert str(frame["share_pct"].dtype) == "float64" and str(frame["estimated_count"].dtype) == "Int64"
    assert frame["share_pct"].describe()["max"] == 65.0  # describe() skips Decimal objects, not floats
    assert str(con.execute("select * from marts.fct_dublin_funnel").df()["handled_count"].dtype) == "int64"


def test_dimensions_list_every_code_the_marts_use(con) -> None:
    populations = {
        code for (code,) in con.execute("select population_code from marts.dim_populations").fetchall()
    }
    used = {
        code
        for (code,) in con.execute(
            "select distinct population_code from marts.fct_published_figures"
        ).fetchall()
    }
    assert (
        used
        <= populations
        == {"first_applicants", "family_reunification", "all_aliens", "criminal_aliens", "regular_migrants"}
    )
    purposes = dict(con.execute("select purpose_code, label_nl from marts.dim_permit_purposes").fetchall())
    assert purposes["family"] == "Familie & Gezin" and purposes["knowledge_and_talent"] == "Kennis & Talent"


def test_ties_rank_the_same_way_everywhere(con) -> None:
    """Jemen, Somalië and Algerije each have 6 % of January's first applicants: ranked by code."""
    rows = con.execute(
        "select nationality_code, share_rank from marts.fct_nationality_shares "
        "where population_code = 'first_applicants' and window_type = 'month' order by share_rank"
    ).fetchall()
    assert rows == [("SYR", 1), ("TUR", 2), ("DZA", 3), ("SOM", 4), ("YEM", 5)]


def test_every_list_in_the_order_the_document_prints_it(con) -> None:
    """printed_order is the publication's own order: Somalië, Jemen, Algerije (6 % each) as
    printed, not by code; the residual where the document puts it; each list in English too."""
    rows = con.execute(
        "select population_code, window_type, printed_order, nationality_code, nationality_label_nl, "
        "nationality_name_en, share_pct from marts.fct_nationality_shares "
        "order by population_code, window_type, printed_order"
    ).fetchall()
    assert rows == [
        ("family_reunification", "month", 1, "SYR", "Syrië", "Syria", 45),
        ("family_reunification", "month", 2, "TUR", "Turkije", "Türkiye", 15),
        ("family_reunification", "month", 3, "ERI", "Eritrea", "Eritrea", 12),
        ("family_reunification", "month", 4, "OTHER", "Overige nationaliteit", "Other nationalities", 28),
        ("family_reunification", "rolling_12m", 1, "SYR", "Syrië", "Syria", 65),
        ("family_reunification", "rolling_12m", 2, "TUR", "Turkije", "Türkiye", 10),
        ("family_reunification", "rolling_12m", 3, "ERI", "Eritrea", "Eritrea", 5),
        (
            "family_reunification",
            "rolling_12m",
            4,
            "OTHER",
            "Overige nationaliteit",
            "Other nationalities",
            5,
        ),
        ("first_applicants", "month", 1, "SYR", "Syrië", "Syria", 26),
        ("first_applicants", "month", 2, "TUR", "Turkije", "Türkiye", 7),
        ("first_applicants", "month", 3, "SOM", "Somalië", "Somalia", 6),
        ("first_applicants", "month", 4, "YEM", "Jemen", "Yemen", 6),
        ("first_applicants", "month", 5, "DZA", "Algerije", "Algeria", 6),
        ("first_applicants", "rolling_12m", 1, "SYR", "Syrië", "Syria", 35),
        ("first_applicants", "rolling_12m", 2, "TUR", "Turkije", "Türkiye", 8),
        ("first_applicants", "rolling_12m", 3, "AFG", "Afghanistan", "Afghanistan", 7),
        ("first_applicants", "rolling_12m", 4, "YEM", "Jemen", "Yemen", 7),
        ("first_applicants", "rolling_12m", 5, "SOM", "Somalië", "Somalia", 4),
    ]


def test_printed_order_is_the_order_of_the_documents_lines(con) -> None:
    """Read from the document, not typed: each list of nationality shares in the order its labels
    stand in the January 2023 text (the expected figures, in reading order, of tests/fixtures)."""
    expected: dict[tuple[str, str], list[str]] = {}
    with open(TEST_DOCUMENTS / "kerncijfers-2023-01.expected.csv", encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            if row["figure_code"] == "nationality_share":
                key = (row["population_code"], row["window_type"])
                expected.setdefault(key, []).append(row["subject_label_nl"])
    printed: dict[tuple[str, str], list[str]] = {}
    for population, window, label in con.execute(
        "select population_code, window_type, nationality_label_nl from marts.fct_nationality_shares "
        "order by population_code, window_type, printed_order"
    ).fetchall():
        printed.setdefault((population, window), []).append(label)
    assert printed == expected and len(expected) == 4


def test_grant_rates_as_printed_with_a_label_for_all_nationalities(con) -> None:
    """ "... is beslist, is 65%. Van de meeste asielaanvragen ... komt: o 92% uit Afghanistan;
    o 90% uit Turkije; o 90% uit Jemen; o 85% uit Syrië." The total has no printed label: it is
    named as dim_nationalities names TOTAL."""
    assert con.execute(
        "select printed_order, nationality_code, nationality_label_nl, nationality_name_en, grant_rate_pct "
        "from marts.fct_grant_rates order by printed_order"
    ).fetchall() == [
        (1, "TOTAL", "Alle nationaliteiten", "All nationalities", 65),
        (2, "AFG", "Afghanistan", "Afghanistan", 92),
        (3, "TUR", "Turkije", "Türkiye", 90),
        (4, "YEM", "Jemen", "Yemen", 90),
        (5, "SYR", "Syrië", "Syria", 85),
    ]
    assert con.execute(
        "select name_en, name_nl from marts.dim_nationalities where nationality_code = 'TOTAL'"
    ).fetchall() == [("All nationalities", "Alle nationaliteiten")]


def test_published_figures_name_their_subject_in_english(con) -> None:
    rows = con.execute(
        "select subject_type, subject_code, subject_label_nl, subject_name_en, count(*) "
        "from marts.fct_published_figures where figure_code in ('grant_rate', 'permits_granted') "
        "or subject_code in ('TOTAL', 'OTHER') group by all order by all"
    ).fetchall()
    assert rows == [
        ("nationality", "AFG", "Afghanistan", "Afghanistan", 1),
        ("nationality", "OTHER", "Overige nationaliteit", "Other nationalities", 2),
        ("nationality", "SYR", "Syrië", "Syria", 1),
        ("nationality", "TUR", "Turkije", "Türkiye", 1),
        ("nationality", "YEM", "Jemen", "Yemen", 1),
        ("purpose", "family", "Familie & Gezin", "Family", 1),
        ("purpose", "knowledge_and_talent", "Kennis & Talent", "Knowledge and talent", 1),
        ("purpose", "study", "Studie", "Study", 1),
        ("total", "TOTAL", None, "All nationalities", 14),
    ]


def test_the_safe_country_list_of_january_2023(con) -> None:
    """Which countries were safe countries of origin in January 2023, as dim_safe_countries has
    them: the national list (Algeria removed in 2021; Ukraine suspended) and the EU states."""
    safe = {
        (code, basis)
        for code, basis in con.execute(
            "select nationality_code, basis from marts.dim_safe_countries "
            "where valid_from <= date '2023-01-01' and (valid_to is null or date '2023-01-01' < valid_to) "
            "and not is_suspended"
        ).fetchall()
    }
    national = {code for code, basis in safe if basis == "national_list"}
    assert {"ALB", "MAR", "GEO", "USA", "TTO"} <= national and not {"DZA", "UKR"} & national
    assert {code for code, basis in safe if basis == "eu_protocol_24"} >= {"DEU", "BEL", "POL", "HRV"}
    assert ("GBR", "eu_protocol_24") not in safe  # left the EU on 31 January 2020
