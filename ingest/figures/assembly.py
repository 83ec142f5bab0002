"""From what the reader found to the figures of a publication.

For each number: its value, whether it is approximate and what it is rounded to (a count under a
"(Bron: …, afgerond op tientallen)" note is rounded to tens; otherwise a figure is rounded to the
precision it is printed with). Then the document as a whole is checked against the registry of
figure families: a figure given twice, a figure no family declares, a value outside its family's
limits, a window that does not end where its family's windows end (in the publication's month), a
family required in the publication's month that is missing, or a publication about a month that
has not ended yet refuses the document with the line or the families named.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from core.errors import IngestError
from core.labels import label_key
from ingest.dutch import add_months, format_window, month_end, parse_number, printed_precision
from ingest.figures.families import FamilyRegistry
from ingest.figures.model import Figure, Publication
from ingest.figures.state import Found, Reading
from ingest.figures.version import parser_version

TENS = Decimal(10)


def assemble(source: Path, reading: Reading, families: FamilyRegistry, today: date) -> Publication:
    reference = reading.reference_month
    if month_end(reference.year, reference.month) >= today:
        raise IngestError(
            source,
            f"the title says the publication is about {reference:%Y-%m}, a month that has not ended "
            f"yet (today is {today:%Y-%m-%d}); a month's figures are published after it. Check the "
            "month in the title",
        )
    figures: list[Figure] = []
    # A figure is identified by what it measures and its subject as a reader reads it: "Syrië"
    # and "SYRIË" in one list are the same nationality given twice.
    seen: dict[tuple, Figure] = {}
    for found in sorted(reading.found, key=lambda f: f.position):
        figure = _figure(source, found, _states_tens(reading, found))
        key = (*figure.key[:3], label_key(figure.subject_label_nl) if figure.subject_label_nl else None)
        if key in seen:
            first = seen[key]
            as_printed = (
                f" as '{first.subject_label_nl}'" if first.subject_label_nl != figure.subject_label_nl else ""
            )
            raise IngestError(
                source,
                f"the figure {figure.describe()} is given twice (first on line {first.source_line}{as_printed})",
                figure.source_line,
            )
        seen[key] = figure
        _check_declared(source, figure, families, reference, reading.window_lines)
        figures.append(figure)
    missing = families.missing_in(reading.reference_month, (f.family_key for f in figures))
    if missing:
        names = "; ".join(f"{family.name_en} ({family.family_code})" for family in missing)
        raise IngestError(
            source,
            f"no figure found for: {names}. The wording of these sentences may have changed; "
            "see ingest/figures/patterns.py",
        )
    return Publication(reading.title, reading.reference_month, figures, parser_version(families))


def _states_tens(reading: Reading, found: Found) -> bool:
    """Whether the source note below a count says it is rounded to tens."""
    if found.measure.unit != "count":
        return False
    return next((note.states_tens for note in reading.notes if note.position > found.position), False)


def _figure(source: Path, found: Found, stated_tens: bool) -> Figure:
    measure = found.measure
    if measure.unit == "count" and "," in found.number_text:
        # A count is a whole number; "2,490" is either a typo for 2.490 or not a count at all.
        raise IngestError(
            source,
            f"'{found.number_text}' is a count with a decimal comma; counts are whole numbers, written "
            f"with a dot between thousands ('{found.number_text.replace(',', '.')}'?)",
            found.line,
        )
    value = parse_number(found.number_text)
    if measure.unit == "percent" and not Decimal(0) <= value <= Decimal(100):
        raise IngestError(source, f"{found.number_text}% is not a percentage", found.line)
    return Figure(
        figure_code=measure.figure_code,
        population_code=measure.population_code,
        window_type=measure.window_type,
        period_start=measure.period_start,
        period_end=measure.period_end,
        subject_type=measure.subject_type,
        subject_label_nl=measure.subject_label_nl,
        value=value,
        unit=measure.unit,
        is_approximate=found.approximate or stated_tens,
        rounding_unit=TENS if stated_tens else printed_precision(found.number_text),
        rounding_basis="stated" if stated_tens else "printed_precision",
        source_line=found.line,
        source_text=found.source_text,
    )


def _check_declared(
    source: Path,
    figure: Figure,
    families: FamilyRegistry,
    reference: date,
    window_lines: dict[tuple[date, date], int],
) -> None:
    """A sentence pattern may only produce figures of a declared family, in its unit, within its
    limits, over a window that ends where the family's windows end."""
    family = families.find(figure.family_key)
    if family is None:
        raise IngestError(
            source,
            f"the figure {figure.describe()} belongs to no figure family declared in "
            f"{families.path}; add its row there",
            figure.source_line,
        )
    if family.unit != figure.unit:
        raise IngestError(
            source,
            f"the figure {figure.describe()} is a {figure.unit}, but its family {family.family_code} "
            f"in {families.path} is declared as a {family.unit}",
            figure.source_line,
        )
    ends_in = add_months(reference, -family.window_end_offset_months)
    if (figure.period_end.year, figure.period_end.month) != (ends_in.year, ends_in.month):
        where = (
            "the publication's month"
            if family.window_end_offset_months == 0
            else f"{family.window_end_offset_months} month(s) before the publication's month"
        )
        raise IngestError(
            source,
            f"the period '{format_window(figure.period_start, figure.period_end)}' ends in "
            f"{figure.period_end:%Y-%m}, but this publication is about {reference:%Y-%m}: its "
            f"{family.name_en} window ends in {where}, {ends_in:%Y-%m} (window_end_offset_months "
            f"{family.window_end_offset_months} in {families.path}). Check the period in the "
            "document (a lead-in left from an earlier month?)",
            window_lines.get((figure.period_start, figure.period_end), figure.source_line),
        )
    if figure.value < family.min_value:
        raise IngestError(
            source,
            f"{format(figure.value.normalize(), ',f')} is less than any {family.name_en} figure can "
            f"be (min_value {format(family.min_value.normalize(), ',f')} in {families.path}): such a "
            "count is never zero. Check the number in the document, or lower the limit there if it is real",
            figure.source_line,
        )
    if figure.value > family.max_value:
        raise IngestError(
            source,
            f"{format(figure.value.normalize(), ',f')} is more than any {family.name_en} figure can "
            f"plausibly be (max_value {format(family.max_value.normalize(), ',f')} in {families.path}); "
            "check the number in the document, or raise the limit there if it is real",
            figure.source_line,
        )
