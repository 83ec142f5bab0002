"""The registry of figure families: `seeds/reference/ref_figure_families.csv`.

A figure family is one kind of figure a publication gives: what it measures (`figure_code`), of
whom (`population_code`), over which window (`window_type`), for what subject (a total, a
nationality, a permit purpose) and in which unit. The registry is the one definition of each: the
parser refuses a figure no family declares and a document that lacks a family required in its
month; `min_value` and `max_value` are the plausibility limits of a family's figures: a value
outside them (a count of 99.999.999.999.999, "circa 0" first applications) is refused at the
ingest, naming the line, rather than reaching the build. `window_end_offset_months` says where a
family's window ends: in the publication's own month (0, every family so far) or that many months
before it; a figure whose window ends elsewhere is refused. dbt
loads the same file as a seed and uses it for accepted values, the documentation of
the codes and the columns of the monthly pivot.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from core.errors import IngestError

FAMILY_COLUMNS = (
    "family_code",
    "figure_code",
    "population_code",
    "window_type",
    "window_end_offset_months",
    "subject_type",
    "unit",
    "min_value",
    "max_value",
    "share_of_family_code",
    "in_monthly_pivot",
    "is_required",
    "required_from",
    "required_to",
    "name_en",
    "description",
)
WINDOW_TYPES = ("month", "rolling_12m", "year_to_date")
SUBJECT_TYPES = ("total", "nationality", "purpose")
UNITS = ("count", "percent")

FamilyKey = tuple[str, str, str, str]


@dataclass(frozen=True)
class FigureFamily:
    """One row of the registry."""

    family_code: str
    figure_code: str
    population_code: str
    window_type: str
    window_end_offset_months: int
    subject_type: str
    unit: str
    min_value: Decimal
    max_value: Decimal
    # The family whose published count this family's percentages are shares of (the month's
    # first applications, for the month's shares of first applicants by nationality): dbt
    # estimates counts from the two (int_nationality_shares_estimated). None where none is published.
    share_of_family_code: str | None
    is_required: bool
    required_from: date | None
    required_to: date | None
    name_en: str
    # What it counts, ending with the sentence as published ("Sentence: '…'", README).
    description: str

    @property
    def key(self) -> FamilyKey:
        return (self.figure_code, self.population_code, self.window_type, self.subject_type)

    def required_in(self, month: date) -> bool:
        """Whether a publication about `month` must contain this family."""
        if not self.is_required:
            return False
        if self.required_from is not None and month < self.required_from:
            return False
        return self.required_to is None or month <= self.required_to


@dataclass(frozen=True)
class FamilyRegistry:
    """Every declared family, and the file they were read from (for error messages)."""

    path: Path
    families: tuple[FigureFamily, ...]

    @functools.cached_property
    def digest(self) -> str:
        """A digest of the rows as the parser reads them: every column but the name and the
        description, which no figure depends on, and what only dbt reads (the pivot flag, the
        family a share is of)."""
        rows = [
            {
                field.name: str(getattr(family, field.name))
                for field in fields(family)
                if field.name not in ("name_en", "description", "share_of_family_code")
            }
            for family in self.families
        ]
        return hashlib.sha256(json.dumps(rows).encode()).hexdigest()

    def find(self, key: FamilyKey) -> FigureFamily | None:
        return self._by_key.get(key)

    def by_code(self, family_code: str) -> FigureFamily | None:
        return self._by_code.get(family_code)

    @functools.cached_property
    def _by_code(self) -> dict[str, FigureFamily]:
        return {family.family_code: family for family in self.families}

    @functools.cached_property
    def _by_key(self) -> dict[FamilyKey, FigureFamily]:
        return {family.key: family for family in self.families}

    def missing_in(self, month: date, present: Iterable[FamilyKey]) -> list[FigureFamily]:
        """The families required in `month` of which none of `present` is one."""
        found = set(present)
        return [f for f in self.families if f.required_in(month) and f.key not in found]


def load_families(path: Path) -> FamilyRegistry:
    """Read and check the registry; a malformed file is refused with the line named."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise IngestError(path, "the registry of figure families is missing; restore it from git") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise IngestError(path, f"the registry of figure families cannot be read ({exc})") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    if tuple(reader.fieldnames or ()) != FAMILY_COLUMNS:
        raise IngestError(path, f"expected the columns {list(FAMILY_COLUMNS)}", 1)
    families: list[FigureFamily] = []
    codes: set[str] = set()
    keys: set[FamilyKey] = set()
    for row in reader:
        family = _family(path, reader.line_num, row)
        if family.family_code in codes or family.key in keys:
            raise IngestError(path, f"the family {family.family_code} is declared twice", reader.line_num)
        codes.add(family.family_code)
        keys.add(family.key)
        families.append(family)
    registry = FamilyRegistry(path, tuple(families))
    for line, family in enumerate(registry.families, start=2):
        _check_share_of(registry, family, line)
    return registry


def _check_share_of(registry: FamilyRegistry, family: FigureFamily, line: int) -> None:
    """A family's percentages are shares of a count of the same population over the same window."""
    if family.share_of_family_code is None:
        return
    base = registry.by_code(family.share_of_family_code)
    if (
        family.unit != "percent"
        or base is None
        or (base.unit, base.subject_type) != ("count", "total")
        or (base.population_code, base.window_type) != (family.population_code, family.window_type)
    ):
        raise IngestError(
            registry.path,
            f"share_of_family_code is {family.share_of_family_code!r}; give the family of the total count "
            "(of the same population, over the same window) that this family's percentages are shares "
            "of, or leave it empty",
            line,
        )


def _family(path: Path, line: int, row: dict[str, str]) -> FigureFamily:
    def choice(column: str, allowed: tuple[str, ...]) -> str:
        value = row[column]
        if value not in allowed:
            raise IngestError(path, f"{column} is {value!r}; expected one of {', '.join(allowed)}", line)
        return value

    def flag(column: str) -> bool:
        return choice(column, ("true", "false")) == "true"

    def day(column: str) -> date | None:
        if not row[column]:
            return None
        try:
            return date.fromisoformat(row[column])
        except ValueError:
            raise IngestError(path, f"{column} is {row[column]!r}, not a date (YYYY-MM-DD)", line) from None

    def limit() -> Decimal:
        try:
            value = Decimal(row["max_value"])
        except InvalidOperation:
            value = Decimal(-1)
        if not value.is_finite() or value <= 0 or (row["unit"] == "percent" and value > 100):
            raise IngestError(
                path,
                f"max_value is {row['max_value']!r}; give the largest value a figure of the family can "
                "plausibly have (a positive number; at most 100 for a percent)",
                line,
            )
        return value

    def floor(maximum: Decimal) -> Decimal:
        try:
            value = Decimal(row["min_value"])
        except InvalidOperation:
            value = Decimal(-1)
        if not value.is_finite() or value < 0 or value > maximum:
            raise IngestError(
                path,
                f"min_value is {row['min_value']!r}; give the smallest value a figure of the family can "
                "have (0, or 1 for a count that is never zero; at most max_value)",
                line,
            )
        return value

    def offset(window_type: str) -> int:
        text = row["window_end_offset_months"]
        if not text.isdigit() or int(text) > 11 or (window_type != "rolling_12m" and text != "0"):
            raise IngestError(
                path,
                f"window_end_offset_months is {text!r}; give 0 (the window ends in the publication's "
                "month) or, for a rolling_12m family only, the months (1-11) it ends before it",
                line,
            )
        return int(text)

    for column in ("family_code", "figure_code", "population_code", "name_en"):
        if not row[column]:
            raise IngestError(path, f"{column} is empty", line)
    flag("in_monthly_pivot")
    window_type = choice("window_type", WINDOW_TYPES)
    maximum = limit()
    return FigureFamily(
        family_code=row["family_code"],
        figure_code=row["figure_code"],
        population_code=row["population_code"],
        window_type=window_type,
        window_end_offset_months=offset(window_type),
        subject_type=choice("subject_type", SUBJECT_TYPES),
        unit=choice("unit", UNITS),
        min_value=floor(maximum),
        max_value=maximum,
        share_of_family_code=row["share_of_family_code"] or None,
        is_required=flag("is_required"),
        required_from=day("required_from"),
        required_to=day("required_to"),
        name_en=row["name_en"],
        description=row["description"],
    )
