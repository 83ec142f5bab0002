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

# A number as a misprint may leave it: digits with dots and commas, and letters that pass for
# digits among them (O and o for 0, I and l for 1). A dot or comma after it is punctuation.
NUMBER_TOKEN_RE = re.compile(r"(?<![\w.,])(?=[OoIl]*[0-9])[0-9OoIl][0-9OoIl.,]*(?<![.,])")

_DUTCH_NUMBER_RE = re.compile(r"(?:[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:,[0-9]+)?")
_LOOKALIKES = {"O": "0", "o": "0", "I": "1", "l": "1"}

_WINDOW_RE = re.compile(
    rf"^\s*({MONTH_RE})\s+([0-9]{{4}})\s+t/?m\s+({MONTH_RE})\s+([0-9]{{4}})\s*$", re.IGNORECASE
)


def parse_number(text: str) -> Decimal:
    """'2.490' -> 2490, '12,5' -> 12.5."""
    return Decimal(text.replace(".", "").replace(",", "."))


def number_problem(printed: str) -> str | None:
    """Why a number as printed (a NUMBER_TOKEN_RE match) is not a Dutch number, one reason per
    class of misprint; None if it is one.

    '2.49O' holds a letter for a digit, '7,3,1' two decimal commas, '2,490.5' is written the
    English way, '2.4900', '2.49' and '1234.567' have a thousands group of other than 3 digits.
    """
    if _DUTCH_NUMBER_RE.fullmatch(printed):
        return None
    letter = next((char for char in printed if char in _LOOKALIKES), None)
    if letter is not None:
        digit = _LOOKALIKES[letter]
        retyped = "".join(_LOOKALIKES.get(char, char) for char in printed)
        meant = f"'{retyped}'" if _DUTCH_NUMBER_RE.fullmatch(retyped) else f"a {digit}"
        return f"it holds the letter '{letter}' where a digit belongs ({meant}?)"
    if printed.count(",") > 1:
        return f"it has {printed.count(',')} decimal commas; a number has one at most"
    whole, _, decimals = printed.partition(",")
    if "." in decimals:
        dutch = printed.replace(".", "\0").replace(",", ".").replace("\0", ",")
        meant = f" ('{dutch}'?)" if _DUTCH_NUMBER_RE.fullmatch(dutch) else ""
        return (
            f"a dot stands after its decimal comma, as in English: Dutch groups thousands with a dot{meant}"
        )
    groups = whole.split(".")
    if not decimals and len(groups) == 2 and 1 <= len(groups[1]) <= 2:
        return f"a thousands group has 3 digits, and decimals follow a comma ('{groups[0]},{groups[1]}'?)"
    return "a thousands group has 3 digits"


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
