"""Every figure of the real January 2023 document and of the varied test documents, exactly.

The expected figures were written by hand, independently of the parser, in
tests/fixtures/documents/*.expected.csv (one row per figure, in reading order).
"""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal

import pytest

from ingest.figures import Figure, extract
from ingest.reading import read_document
from tests.conftest import JANUARY_2023, TEST_DOCUMENTS

FIELDS = (
    "figure_code",
    "population_code",
    "window_type",
    "period_start",
    "period_end",
    "subject_type",
    "subject_label_nl",
    "value",
    "unit",
    "is_approximate",
    "rounding_unit",
    "source_line",
)


def as_row(figure: Figure) -> dict[str, str]:
    return {
        "figure_code": figure.figure_code,
        "population_code": figure.population_code,
        "window_type": figure.window_type,
        "period_start": figure.period_start.isoformat(),
        "period_end": figure.period_end.isoformat(),
        "subject_type": figure.subject_type,
        "subject_label_nl": figure.subject_label_nl or "",
        "value": str(figure.value),
        "unit": figure.unit,
        "is_approximate": str(figure.is_approximate).lower(),
        "rounding_unit": str(figure.rounding_unit),
        "source_line": str(figure.source_line),
    }


def expected_rows(name: str) -> list[dict[str, str]]:
    with open(TEST_DOCUMENTS / f"{name}.expected.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def normalised(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Numbers compared as numbers: "2490" and "2490.0" are the same figure."""
    return [
        {
            **row,
            "value": str(Decimal(row["value"]).normalize()),
            "rounding_unit": str(Decimal(row["rounding_unit"]).normalize()),
        }
        for row in rows
    ]


def test_january_2023_yields_exactly_its_39_figures() -> None:
    publication = extract(read_document(JANUARY_2023))
    assert publication.reference_month == date(2023, 1, 1)
    assert publication.title == "Kerncijfers asiel en migratie januari 2023"
    assert len(publication.figures) == 39
    assert normalised([as_row(f) for f in publication.figures]) == normalised(
        expected_rows("kerncijfers-2023-01")
    )


def test_january_2023_headline_figures_and_provenance() -> None:
    figures = extract(read_document(JANUARY_2023)).figures
    by_key = {(f.figure_code, f.population_code, f.window_type, f.subject_label_nl): f for f in figures}

    first = by_key[("first_applications", "first_applicants", "month", None)]
    assert (first.value, first.is_approximate, first.rounding_unit) == (2490, True, 10)
    assert first.source_line == 42
    assert first.source_text == "Het aantal eerste asielaanvragen in januari was circa 2.490."

    syria_12m = by_key[("nationality_share", "first_applicants", "rolling_12m", "Syrië")]
    assert (syria_12m.period_start, syria_12m.period_end) == (date(2022, 2, 1), date(2023, 1, 31))
    assert syria_12m.value == 35
    assert syria_12m.source_text.startswith("De afgelopen twaalf maanden (februari 2022 t/m")
    assert syria_12m.source_text.endswith("35% uit Syrië;")

    other = by_key[("nationality_share", "family_reunification", "month", "Overige nationaliteit")]
    assert (other.value, other.source_line) == (28, 86)

    dublin = {
        f.figure_code: f.value for f in figures if f.figure_code.startswith(("dublin", "first_applications_"))
    }
    assert dublin == {
        "dublin_share": 30,
        "first_applications_handled": 2180,
        "first_applications_rejected": 990,
        "first_applications_rejected_dublin": 660,
    }

    permits = {f.subject_label_nl: f.value for f in figures if f.figure_code == "permits_granted"}
    assert permits == {"Familie & Gezin": 3770, "Kennis & Talent": 2360, "Studie": 320}
    assert all(
        (f.period_start, f.period_end) == (date(2023, 1, 1), date(2023, 1, 31))
        for f in figures
        if f.window_type == "year_to_date"
    )

    criminal = {f.figure_code: f.value for f in figures if f.population_code == "criminal_aliens"}
    assert criminal == {
        "departures": 70,
        "departures_supervised_share": 79,
        "departures_unsupervised_share": 21,
    }


def test_nothing_else_in_january_2023_is_a_figure() -> None:
    figures = extract(read_document(JANUARY_2023)).figures
    values = {f.value for f in figures}
    # The footnote year, "2 jaar", "sinds 2012", the page number "1" and "juli 2022" are prose.
    lines = {f.source_line for f in figures}
    assert not lines & {22, 30, 31, 109, 174}
    assert 2012 not in values and 2021 not in values


@pytest.mark.parametrize(
    "name",
    ["kerncijfers-2023-12", "kerncijfers-2024-01", "kerncijfers-2024-03", "kerncijfers-2024-07"],
)
def test_varied_documents_yield_their_exact_figures(name: str) -> None:
    publication = extract(read_document(TEST_DOCUMENTS / f"{name}.txt"))
    expected = expected_rows(name)
    assert len(publication.figures) == len(expected)
    assert normalised([as_row(f) for f in publication.figures]) == normalised(expected)


def test_december_windows_lie_inside_one_year() -> None:
    figures = extract(read_document(TEST_DOCUMENTS / "kerncijfers-2023-12.txt")).figures
    windows = {(f.window_type, f.period_start, f.period_end) for f in figures}
    assert windows == {
        ("month", date(2023, 12, 1), date(2023, 12, 31)),
        ("rolling_12m", date(2023, 1, 1), date(2023, 12, 31)),
        ("year_to_date", date(2023, 1, 1), date(2023, 12, 31)),
    }


def test_decimal_comma_and_thousands_dot() -> None:
    figures = extract(read_document(TEST_DOCUMENTS / "kerncijfers-2024-03.txt")).figures
    safe = next(f for f in figures if f.figure_code == "safe_country_share")
    assert (safe.value, safe.rounding_unit) == (Decimal("9.5"), Decimal("0.1"))
    arrivals = next(f for f in figures if f.figure_code == "family_reunification_arrivals")
    assert arrivals.value == 1050
