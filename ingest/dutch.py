"""Dutch numbers, month names and periods as they are written in the publications."""

from __future__ import annotations

import calendar
import re
from datetime import date
from decimal import Decimal

MONTHS_NL = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)

# A month name as a regex alternative, for the sentence patterns.
MONTH_RE = "(?:" + "|".join(MONTHS_NL) + ")"

# Dutch numbers: a dot groups thousands ("2.490", "12.345", "1.234.567"), a comma is the decimal
# mark ("12,5"). A dot followed by other than three digits is not part of a Dutch number, so
# "12.5" is never read as twelve and a half. Digits are 0-9 only: Python's \d would also take
# full-width and Arabic-Indic digits, which the reader refuses instead (ingest/figures/parser.py).
NUMBER_RE = r"(?<![0-9.,])(?:[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:,[0-9]+)?(?![0-9]|[.,][0-9])"

_WINDOW_RE = re.compile(
    rf"^\s*({MONTH_RE})\s+([0-9]{{4}})\s+t/?m\s+({MONTH_RE})\s+([0-9]{{4}})\s*$", re.IGNORECASE
)


def parse_number(text: str) -> Decimal:
    """'2.490' -> 2490, '12,5' -> 12.5."""
    return Decimal(text.replace(".", "").replace(",", "."))


def printed_precision(text: str) -> Decimal:
    """The unit of the last printed digit: 1 for '26' and '2.490', 0.1 for '9,5'."""
    decimals = len(text.split(",", 1)[1]) if "," in text else 0
    return Decimal(1).scaleb(-decimals)


def month_number(name: str) -> int:
    return MONTHS_NL.index(name.lower()) + 1


def month_start(year: int, month: int) -> date:
    return date(year, month, 1)


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(month: date, months: int) -> date:
    """The first day of the month `months` after (or, negative, before) the month of `month`."""
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def format_window(start: date, end: date) -> str:
    """(2022-02-01, 2023-01-31) -> 'februari 2022 t/m januari 2023', as the publications write it."""
    return f"{MONTHS_NL[start.month - 1]} {start.year} t/m {MONTHS_NL[end.month - 1]} {end.year}"


def months_between(start: date, end: date) -> int:
    """Number of calendar months from the month of start to the month of end, inclusive."""
    return (end.year - start.year) * 12 + end.month - start.month + 1


def parse_window(text: str) -> tuple[date, date] | None:
    """'februari 2022 t/m januari 2023' -> (2022-02-01, 2023-01-31); None if not of that form."""
    found = _WINDOW_RE.match(text)
    if not found:
        return None
    first_month, first_year, last_month, last_year = found.groups()
    return (
        month_start(int(first_year), month_number(first_month)),
        month_end(int(last_year), month_number(last_month)),
    )
