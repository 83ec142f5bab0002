"""Dutch numbers, months and periods as the publications write them (ingest/dutch.py): what is
read, to the exact value, and what is refused, with the reason a maintainer is shown."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest

from ingest.dutch import (
    NUMBER_RE,
    NUMBER_TOKEN_RE,
    add_months,
    format_window,
    month_end,
    month_number,
    months_between,
    number_problem,
    parse_number,
    parse_window,
    printed_precision,
)


@pytest.mark.parametrize(
    ("printed", "value", "precision"),
    [
        ("2.490", Decimal("2490"), Decimal("1")),
        ("24.900", Decimal("24900"), Decimal("1")),
        ("1.234.567", Decimal("1234567"), Decimal("1")),
        ("12,5", Decimal("12.5"), Decimal("0.1")),
        ("9,25", Decimal("9.25"), Decimal("0.01")),
        ("26", Decimal("26"), Decimal("1")),
        ("0", Decimal("0"), Decimal("1")),
    ],
)
def test_dutch_numbers_are_read_exactly(printed: str, value: Decimal, precision: Decimal) -> None:
    assert parse_number(printed) == value
    assert printed_precision(printed) == precision
    assert number_problem(printed) is None


def test_numbers_are_found_in_a_sentence_as_dutch_writes_them() -> None:
    sentence = (
        "In januari waren er circa 2.490 eerste asielaanvragen, 12,5 procent meer; "
        "in 12 maanden 24.900 (niet 12.5 of 1.2345), en 1.234.567 in totaal."
    )
    assert re.findall(NUMBER_RE, sentence) == ["2.490", "12,5", "12", "24.900", "1.234.567"]
    # Digits of other scripts are not numbers here: the reader refuses them elsewhere.
    assert re.findall(NUMBER_RE, "١٢٣ en １２３ en 5") == ["5"]


@pytest.mark.parametrize(
    ("printed", "problem"),
    [
        ("2.49O", "it holds the letter 'O' where a digit belongs ('2.490'?)"),
        ("1.2l4", "it holds the letter 'l' where a digit belongs ('1.214'?)"),
        ("7,3,1", "it has 2 decimal commas; a number has one at most"),
        (
            "2,490.5",
            "a dot stands after its decimal comma, as in English: Dutch groups thousands with a dot ('2.490,5'?)",
        ),
        ("2.49", "a thousands group has 3 digits, and decimals follow a comma ('2,49'?)"),
        ("2.4900", "a thousands group has 3 digits"),
        ("1234.567", "a thousands group has 3 digits"),
    ],
)
def test_a_misprinted_number_is_refused_with_its_reason(printed: str, problem: str) -> None:
    assert NUMBER_TOKEN_RE.fullmatch(printed)  # the reader sees it as a number token
    assert number_problem(printed) == problem


def test_a_misprint_is_found_as_one_token_and_trailing_punctuation_is_not_part_of_it() -> None:
    assert NUMBER_TOKEN_RE.findall("circa 2.49O aanvragen, daarvan 7,3,1. Ook 12,5.") == [
        "2.49O",
        "7,3,1",
        "12,5",
    ]


def test_months_by_their_dutch_names() -> None:
    assert [month_number(name) for name in ("januari", "Februari", "MEI", "december")] == [1, 2, 5, 12]
    with pytest.raises(ValueError):
        month_number("jan")  # the publications write months in full
    assert month_end(2024, 2) == date(2024, 2, 29) and month_end(2023, 2) == date(2023, 2, 28)
    assert add_months(date(2023, 1, 15), -11) == date(2022, 2, 1)
    assert add_months(date(2022, 12, 1), 1) == date(2023, 1, 1)


def test_a_period_of_twelve_months_is_read_and_written_as_the_publications_do() -> None:
    window = (date(2022, 2, 1), date(2023, 1, 31))
    assert parse_window("februari 2022 t/m januari 2023") == window
    assert parse_window("  Februari 2022 tm januari 2023 ") == window
    assert format_window(*window) == "februari 2022 t/m januari 2023"
    assert months_between(*window) == 12
    assert parse_window("januari t/m december 2024") is None  # a year on each end, or not a window
    assert parse_window("februari 2022 tot januari 2023") is None
    assert parse_window("feb 2022 t/m jan 2023") is None
