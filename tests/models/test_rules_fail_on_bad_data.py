"""Every dbt consistency rule of the marts fails on data that breaks it, naming the document and
the numbers. The `corrupted` build (tests/conftest.py) holds one corruption per rule."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import JANUARY_2023
from tests.warehouse import Build, build_project

JAN_2023 = "kerncijfers-2023-01-"
DEC_2023 = "kerncijfers-2023-12-"
MAR_2024 = "kerncijfers-2024-03-"


def _only(rows: list[dict]) -> dict:
    assert len(rows) == 1, rows
    return rows[0]


def test_the_build_fails(corrupted: Build) -> None:
    assert corrupted.returncode == 1


def test_a_share_above_100(corrupted: Build) -> None:
    name = "fct_grant_rates__grant_rate_pct_in_range"
    assert corrupted.test_results()[name] == "fail"
    row = _only(corrupted.failures(name))
    assert row["document_id"].startswith(JAN_2023)
    assert row["figure"] == "grant rate AFG"
    assert row["violation"] == "grant_rate_pct = 120.0000 lies outside 0..100"


def test_a_top_list_above_100(corrupted: Build) -> None:
    assert corrupted.test_results()["nationality_breakdowns_sum_correctly"] == "warn"
    rows = {r["breakdown"]: r for r in corrupted.failures("nationality_breakdowns_sum_correctly")}
    top = rows["first_applicants month 2023-01-01"]
    assert top["document_id"].startswith(JAN_2023)
    assert top["violation"] == (
        "lists the top items only, so it must sum to at most 100 + 2.5, but sums to 121.0000"
    )


def test_a_breakdown_with_its_residual_far_from_100(corrupted: Build) -> None:
    rows = {r["breakdown"]: r for r in corrupted.failures("nationality_breakdowns_sum_correctly")}
    complete = rows["family_reunification month 2024-03-01"]
    assert complete["document_id"].startswith(MAR_2024)
    assert complete["violation"] == (
        "includes the residual, so it must sum to 100 ± 1.5, but sums to 80.0000"
    )


def test_supervised_and_own_far_from_100(corrupted: Build) -> None:
    assert corrupted.test_results()["departure_shares_sum_to_100"] == "fail"
    row = _only(corrupted.failures("departure_shares_sum_to_100"))
    assert row["document_id"].startswith(JAN_2023)
    assert row["figure"] == "departures of criminal_aliens"
    assert row["violation"] == "supervised_share_pct + unsupervised_share_pct = 81.0000, not 100 ± 1.0"


def test_an_inverted_dublin_funnel(corrupted: Build) -> None:
    assert corrupted.test_results()["dublin_funnel_is_ordered"] == "fail"
    rows = {r["document_id"][:20]: r["violation"] for r in corrupted.failures("dublin_funnel_is_ordered")}
    assert rows == {
        JAN_2023: "expected handled >= rejected >= dublin_rejected >= 0, got 2180, 500, 660",
        DEC_2023: "expected handled >= rejected >= dublin_rejected >= 0, got 100, 1240, -10",
    }


def test_a_published_dublin_share_that_disagrees(corrupted: Build) -> None:
    assert corrupted.test_results()["published_dublin_share_agrees"] == "warn"
    rows = {
        r["document_id"][:20]: r["violation"] for r in corrupted.failures("published_dublin_share_agrees")
    }
    assert rows[MAR_2024] == "published 45.0000% but the counts give 16.8..17.3%"


def test_a_count_rounded_to_tens_that_is_not_a_multiple_of_ten(corrupted: Build) -> None:
    assert corrupted.test_results()["counts_rounded_to_tens_are_multiples_of_ten"] == "fail"
    row = _only(corrupted.failures("counts_rounded_to_tens_are_multiples_of_ten"))
    assert (row["figure_code"], row["value"]) == ("first_applications", 2215)
    assert row["document_id"].startswith(MAR_2024)


def test_safe_countries_above_the_safe_share_respecting_validity_dates(corrupted: Build) -> None:
    assert corrupted.test_results()["listed_safe_countries_within_safe_share"] == "warn"
    row = _only(corrupted.failures("listed_safe_countries_within_safe_share"))
    # December 2023 (Morocco, safe) is reported; January 2023 (Algeria, no longer safe) is not.
    assert row["document_id"].startswith(DEC_2023)
    assert row["violation"] == (
        "nationalities that are safe countries add up to 4.0000%, more "
        "than the published safe-country share of 2.0000%"
    )


def test_an_unknown_nationality_label_stops_the_build_naming_label_and_document(
    tmp_path: Path,
) -> None:
    def misspell(rows: list[dict[str, str]]) -> None:
        for row in rows:
            if row["subject_label_nl"] == "Jemen" and row["window_type"] == "month":
                row["subject_label_nl"] = "Jemenn"

    build = build_project(tmp_path / "project", [JANUARY_2023], edit_figures=misspell)
    assert build.returncode == 1
    assert (
        "document kerncijfers-2023-01-4f0d79c6a2f3, line 50: nationality or purpose label "
        '"Jemenn" has no code in the reference seeds'
    ) in build.output
