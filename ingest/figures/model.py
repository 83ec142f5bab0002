"""What the parser finds: figures as published, each with the place it was read from."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ingest.figures.families import FigureFamily

# The window types whose period the reader works out from the sentence (a family's population,
# unit and the rest come from its registry row).
MONTH = "month"
YEAR_TO_DATE = "year_to_date"


@dataclass(frozen=True)
class Measure:
    """What a number measures: which figure, of whom, over which period, for which subject.

    Everything but the period and the subject's label is its family's row in the registry
    (`FigureFamily`): a sentence pattern says only which family it reads (patterns.py)."""

    figure_code: str
    population_code: str
    window_type: str
    period_start: date
    period_end: date
    unit: str
    subject_type: str = "total"
    subject_label_nl: str | None = None

    @classmethod
    def of_family(cls, family: FigureFamily, window: tuple[date, date]) -> Measure:
        """A figure of `family` over `window` (for a breakdown, its subject is named by `of`)."""
        return cls(
            family.figure_code,
            family.population_code,
            family.window_type,
            *window,
            family.unit,
            family.subject_type,
        )

    def of(self, label: str) -> Measure:
        """The same measure for one subject of a breakdown (a nationality, a permit purpose)."""
        return replace(self, subject_label_nl=label)


@dataclass(frozen=True)
class Figure:
    """One published figure, as published, with the place it was read from.

    Codes the parser knows (figure, population, window, subject type) are codes; what the
    document names (a nationality, a permit purpose) stays as printed in `subject_label_nl`.
    """

    figure_code: str
    population_code: str
    window_type: str
    period_start: date
    period_end: date
    subject_type: str
    subject_label_nl: str | None
    value: Decimal
    unit: str
    is_approximate: bool
    rounding_unit: Decimal
    rounding_basis: str
    source_line: int
    source_text: str

    @property
    def key(self) -> tuple[str, str, str, str | None]:
        """What identifies a figure within one document."""
        return (self.figure_code, self.population_code, self.window_type, self.subject_label_nl)

    @property
    def family_key(self) -> tuple[str, str, str, str]:
        """The figure family it belongs to (ref_figure_families)."""
        return (self.figure_code, self.population_code, self.window_type, self.subject_type)

    def describe(self) -> str:
        subject = f" {self.subject_label_nl}" if self.subject_label_nl else ""
        return f"{self.figure_code} ({self.population_code}, {self.window_type}){subject}"


@dataclass(frozen=True)
class Publication:
    """What a document says about itself and the figures found in it."""

    title: str
    reference_month: date
    figures: list[Figure]
    # The version of the parser that read it (ingest.figures.version), for the manifest.
    parser_version: str
