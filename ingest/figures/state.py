"""What the reader of a publication knows as it walks the blocks, and how it notes a figure.

The sentence readers (`single`, `lists`, `permits`, `departures`, `funnel`) share one `ReaderState`:
the document and the registry of families, the publication's month, the figures found so far
with the place each number stands, the source notes, and the context a sentence can depend on
(the period a list borrows from its total, the population of the last departures count). A
sentence pattern names the family it reads (patterns.py); the state turns that into a `Measure`
from the family's registry row and the period the sentence gives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from core.errors import IngestError
from ingest.dutch import month_end, month_number, month_start, months_between, parse_window
from ingest.figures.blocks import Block, sentence_around
from ingest.figures.families import FamilyRegistry, FigureFamily
from ingest.figures.labels import foreign_letter
from ingest.figures.model import MONTH, YEAR_TO_DATE, Measure
from ingest.figures.refusals import refuse_glued_number, refuse_split_number
from ingest.reading import Document

Span = tuple[int, int]
Position = tuple[int, int]  # (block index, offset of the number in the block)


@dataclass(frozen=True)
class Found:
    """A number found in the text, what it measures, and where it stands."""

    position: Position
    measure: Measure
    number_text: str
    approximate: bool
    line: int
    source_text: str


@dataclass(frozen=True)
class SourceNote:
    """A "(Bron: …)" note; it covers the counts above it, back to the previous note."""

    position: Position
    states_tens: bool


@dataclass(frozen=True)
class Reading:
    """Everything the reader found in a document, in reading order."""

    title: str
    reference_month: date
    found: list[Found]
    notes: list[SourceNote]
    # The line each twelve-month period named in the text first stands on, for messages.
    window_lines: dict[tuple[date, date], int]


@dataclass(frozen=True)
class ListContext:
    """The lead-in a list item belongs to."""

    measure: Measure
    intro: str


@dataclass
class ReaderState:
    """The document being read, the registry, and what has been found in it so far."""

    document: Document
    families: FamilyRegistry
    reference: date = date.min
    found: list[Found] = field(default_factory=list)
    notes: list[SourceNote] = field(default_factory=list)
    context: ListContext | None = None
    # The twelve months each (figure, population) total named, for a list of it that names none.
    named_windows: dict[tuple[str, str], tuple[date, date]] = field(default_factory=dict)
    departure_population: str | None = None
    window_lines: dict[tuple[date, date], int] = field(default_factory=dict)

    def error(self, message: str, line: int | None = None) -> IngestError:
        return IngestError(self.document.path, message, line)

    def family(self, family_code: str, block: Block, match: re.Match[str]) -> FigureFamily:
        """The registry row of the family a pattern reads; a pattern of an undeclared family
        refuses the document where its sentence stands, before a figure could go unchecked."""
        family = self.families.by_code(family_code)
        if family is None:
            raise self.error(
                f"the sentence '{sentence_around(block.text, match.start(), match.end())}' gives a figure "
                f"of the family {family_code}, which {self.families.path} does not declare; add its row "
                "there (README, 'Adding a figure family')",
                block.line_at(match.start()),
            )
        return family

    # Windows ---------------------------------------------------------------------------------

    def window(self, family: FigureFamily, match: re.Match[str], block: Block) -> tuple[date, date]:
        """The period of a figure of `family`, as its sentence gives it (patterns.SENTENCES)."""
        groups = match.groupdict()
        if family.window_type == MONTH:
            return self.named_month(match, block) if groups.get("month") else self.month_window()
        if family.window_type == YEAR_TO_DATE:
            return self.named_year(match, block) if groups.get("year") else self.year_to_date_window()
        if groups.get("window"):
            window = self.named_window(match, block)
            if family.subject_type == "total":
                self.named_windows[(family.figure_code, family.population_code)] = window
            return window
        borrowed = self.named_windows.get((family.figure_code, family.population_code))
        if borrowed is None:
            raise self.error(
                f"the list of {family.name_en.lower()} comes before the overall figure that names its period",
                block.line_at(match.start()),
            )
        return borrowed

    def month_window(self) -> tuple[date, date]:
        ref = self.reference
        return ref, month_end(ref.year, ref.month)

    def year_to_date_window(self) -> tuple[date, date]:
        ref = self.reference
        return date(ref.year, 1, 1), month_end(ref.year, ref.month)

    def named_month(self, match: re.Match[str], block: Block) -> tuple[date, date]:
        """A month named in a sentence must be the publication's month."""
        year = int(match["year"]) if match["year"] else self.reference.year
        named = month_start(year, month_number(match["month"]))
        if named != self.reference:
            raise self.error(
                f"the sentence speaks of {match['month'].lower()} {year}, but the publication is "
                f"about {self.reference:%Y-%m}",
                block.line_at(match.start("month")),
            )
        return self.month_window()

    def named_window(self, match: re.Match[str], block: Block) -> tuple[date, date]:
        """A twelve-month period named in a sentence. Where it must end (in the publication's
        month, unless the family's registry row says otherwise) is checked by `assembly`."""
        line = block.line_at(match.start("window"))
        window = parse_window(" ".join(match["window"].split()))
        if window is None:  # pragma: no cover - the pattern only admits parseable windows
            raise self.error(f"cannot read the period '{match['window']}'", line)
        start, end = window
        if months_between(start, end) != 12:
            raise self.error(
                f"the period '{match['window']}' is {months_between(start, end)} months, not twelve",
                line,
            )
        self.window_lines.setdefault((start, end), line)
        return start, end

    def named_year(self, match: re.Match[str], block: Block) -> tuple[date, date]:
        """A year-to-date figure names its year, which must be the publication's."""
        year = int(match["year"])
        if year != self.reference.year:
            raise self.error(
                f"the year-to-date figure is for {year}, but the publication is about {self.reference:%Y-%m}",
                block.line_at(match.start("year")),
            )
        return self.year_to_date_window()

    # Recording -------------------------------------------------------------------------------

    def record_family(
        self, family_code: str, index: int, block: Block, match: re.Match[str], consumed: list[Span]
    ) -> Measure:
        """Note the number of a sentence that gives one figure of a family; its measure."""
        family = self.family(family_code, block, match)
        measure = Measure.of_family(family, self.window(family, match, block))
        self.record(index, block, match, measure, consumed)
        return measure

    def record(
        self,
        index: int,
        block: Block,
        match: re.Match[str],
        measure: Measure,
        consumed: list[Span],
        *,
        group: str = "n",
        approx_group: str = "approx",
        offset: int = 0,
        source_text: str | None = None,
    ) -> None:
        """Note the number in `group` of `match` (found at `offset` in the block) as `measure`."""
        number_at = offset + match.start(group)
        start, end = offset + match.start(), offset + match.end()
        refuse_split_number(self.document.path, block, number_at, offset + match.end(group))
        refuse_glued_number(self.document.path, block, number_at, offset + match.end(group))
        if measure.subject_label_nl is not None:
            foreign = foreign_letter(measure.subject_label_nl)
            if foreign is not None:
                raise self.error(
                    f"'{measure.subject_label_nl}' only looks like a {measure.subject_type}: it holds {foreign}; "
                    "retype the label in Latin letters",
                    block.line_at(number_at),
                )
        self.found.append(
            Found(
                position=(index, number_at),
                measure=measure,
                number_text=match[group],
                approximate=bool(match[approx_group]),
                line=block.line_at(number_at),
                source_text=source_text or sentence_around(block.text, start, end),
            )
        )
        consumed.append((start, end))
