"""How the report writes numbers, months and populations, and escapes text for HTML."""

from __future__ import annotations

import html
from datetime import date
from decimal import Decimal
from typing import Any

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

POPULATIONS = {"all_aliens": "Aliens who had to leave", "criminal_aliens": "Criminal aliens"}


def esc(text: object) -> str:
    """Text for HTML content and attribute values."""
    return html.escape(str(text), quote=True)


def month_name(month: date) -> str:
    return f"{MONTHS[month.month - 1]} {month.year}"


def count(value: int | Decimal | float) -> str:
    return f"{round(value):,}"


def pct(value: Decimal | float | None, decimals: int | None = None) -> str:
    """26.0000 -> '26%', 64.5 -> '64.5%' (as published); with decimals, always that many (rates
    computed from counts); None (a rate of nothing: no applications handled) -> 'n/a'."""
    if value is None:
        return "n/a"
    if decimals is not None:
        return f"{float(value):.{decimals}f}%"
    return f"{Decimal(str(value)).normalize():f}%"


def circa(text: str, approximate: bool) -> str:
    return f"≈{text}" if approximate else text


def short_month(month: date) -> str:
    return f"{MONTHS[month.month - 1][:3]} {month.year}"


def window(row: dict[str, Any]) -> str:
    return f"{short_month(row['period_start'])} – {short_month(row['period_end'])}"
