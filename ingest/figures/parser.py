"""Reading the blocks of a publication with the sentence patterns: where each number stands and
what it measures.

The reader walks the blocks in order. In a paragraph it tries every sentence pattern and notes
each "(Bron: …)" source note; a paragraph that ends with a list's lead-in ("… kwam:") sets the
context for the list items after it. A list item is read in that context. Whatever looks like a
figure ("26%", "circa 2.490") and was not consumed by a pattern stops the document, with its line:
a figure is never silently dropped. Where a sentence or list item cannot be read because a number
in it is misprinted ("2.4900", "7,3,1", "2.49O", "2 490"), the refusal names that number and what
is wrong with it rather than the sentence. Turning what was found into figures (values, rounding,
duplicates, the families required) is `ingest/figures/assembly.py`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from core.errors import IngestError
from ingest.dutch import (
    NUMBER_TOKEN_RE,
    month_end,
    month_number,
    month_start,
    months_between,
    number_problem,
    parse_window,
)
from ingest.figures import patterns as p
from ingest.figures.blocks import Block, clipped, last_sentence, read_blocks, sentence_around, sentence_span
from ingest.figures.labels import foreign_letter
from ingest.figures.model import (
    ALL_ALIENS,
    CRIMINAL_ALIENS,
    FAMILY_REUNIFICATION,
    FIRST_APPLICANTS,
    MONTH,
    REGULAR_MIGRANTS,
    ROLLING_12M,
    YEAR_TO_DATE,
    Measure,
)
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
class _ListContext:
    """The lead-in a list item belongs to."""

    measure: Measure
    intro: str


class _Reader:
    def __init__(self, document: Document) -> None:
        self.document = document
        self.found: list[Found] = []
        self.notes: list[SourceNote] = []
        self.context: _ListContext | None = None
        self.grant_window: tuple[date, date] | None = None
        self.departure_population: str | None = None
        self.reference = date.min
        self.window_lines: dict[tuple[date, date], int] = {}

    def error(self, message: str, line: int | None = None) -> IngestError:
        return IngestError(self.document.path, message, line)

    def read(self) -> Reading:
        title, self.reference = self.read_title()
        for index, block in enumerate(read_blocks(self.document.lines)):
            self.refuse_foreign_digits(block)
            consumed: list[Span] = []
            if block.is_bullet:
                self.read_item(index, block, consumed)
            else:
                self.read_paragraph(index, block, consumed)
                self.refuse_unread_sentences(block, consumed)
                # After the sentences: a grant rate left unread for a misprinted number is named
                # as such, not as a list of grant rates without the period it takes.
                self.context = self.list_intro(block)
            self.refuse_leftovers(block, consumed)
        return Reading(title, self.reference, self.found, self.notes, self.window_lines)

    # The title and the reference month ------------------------------------------------------

    def read_title(self) -> tuple[str, date]:
        lines = self.document.lines
        head = [(n, line) for n, line in enumerate(lines[:40], start=1) if line.strip()][:8]
        for index, (number, line) in enumerate(head):
            if not p.TITLE.search(line):
                continue
            # The month stands on the title line itself or on the next non-blank line.
            rest = p.TITLE.split(line, maxsplit=1)[1]
            candidates = [rest] + [text for _, text in head[index + 1 : index + 2]]
            for candidate in candidates:
                month = p.TITLE_MONTH.match(candidate)
                if month:
                    reference = month_start(int(month["year"]), month_number(month["month"]))
                    title = f"Kerncijfers asiel en migratie {month['month'].lower()} {month['year']}"
                    return title, reference
            raise self.error(
                "the title names no month: expected a line such as 'JANUARI 2023' after it", number
            )
        raise self.error(
            "this is not a Kerncijfers asiel en migratie publication: "
            "its title was not found at the top of the document"
        )

    # Blocks ----------------------------------------------------------------------------------

    def read_paragraph(self, index: int, block: Block, consumed: list[Span]) -> None:
        self.context = None
        self.single_figures(index, block, consumed)
        for matcher in (self.grant_total, self.permits, self.departures, self.dublin_funnel):
            matcher(index, block, consumed)
        for note in p.SOURCE_NOTE.finditer(block.text):
            self.notes.append(SourceNote((index, note.start()), bool(p.TENS.search(note["note"]))))
            consumed.append(note.span())

    def read_item(self, index: int, block: Block, consumed: list[Span]) -> None:
        text = block.text
        safe = p.SAFE_SHARE.search(text)
        if safe:
            measure = Measure("safe_country_share", FIRST_APPLICANTS, MONTH, *self.month_window(), "percent")
            self.record(index, block, safe, measure, consumed)
            self.context = None
            return
        item = p.ITEM.match(text)
        if item is None:
            self.refuse_misprinted_numbers(block, 0, len(text))
            raise self.error(f"cannot read this list item: '{text}'", block.first_line)
        if self.context is None:
            raise self.error(
                f"a list item with no lead-in sentence the parser knows before it: '{text}'",
                block.first_line,
            )
        label = item["label"] or item["residual"]
        if item["label"] and len(label.split()) > p.MAX_LABEL_WORDS:
            raise self.error(f"'{label}' does not read as a nationality", block.first_line)
        measure = self.context.measure.of("nationality", label.strip())
        self.record(
            index, block, item, measure, consumed, source_text=f"{self.context.intro} … {clipped(text)}"
        )

    def refuse_foreign_digits(self, block: Block) -> None:
        """Digits are 0-9. A full-width or Arabic-Indic digit (a PDF extraction's or a typist's)
        could be read as another number than the one printed: refuse it, naming it."""
        for offset, char in enumerate(block.text):
            if char.isdecimal() and not "0" <= char <= "9":
                raise self.error(
                    f"'{char}' ({unicodedata.name(char, 'a digit')}) is not a digit 0-9, in "
                    f"'{sentence_around(block.text, offset, offset + 1)}'; retype the number with 0-9",
                    block.line_at(offset),
                )

    def refuse_unread_sentences(self, block: Block, consumed: list[Span]) -> None:
        """A sentence that gives figures whose pattern did not read it ("ongeveer 70 criminele
        vreemdelingen", "circa drieduizend inwilligingen") is refused, naming it, before its
        number could be dropped or taken for another figure's."""
        for what, opening in p.SENTENCE_OPENINGS.items():
            for found in opening.finditer(block.text):
                if not any(start <= found.start() < end for start, end in consumed):
                    self.refuse_misprinted_numbers(block, *self.figure_span(block, found))
                    raise self.error(
                        f"cannot read this {what} sentence: "
                        f"'{sentence_around(block.text, found.start(), found.end())}'; its wording or "
                        "number is not what the parser knows (ingest/figures/patterns.py)",
                        block.line_at(found.start()),
                    )

    def refuse_leftovers(self, block: Block, consumed: list[Span]) -> None:
        self.refuse_misprinted_figures(block, consumed)
        for candidate in p.LOOKS_LIKE_FIGURE.finditer(block.text):
            if not any(start <= candidate.start() < end for start, end in consumed):
                self.refuse_misprinted_numbers(
                    block, *sentence_span(block.text, candidate.start(), candidate.end())
                )
                sentence = sentence_around(block.text, candidate.start(), candidate.end())
                raise self.error(
                    f"'{candidate.group(0)}' looks like a figure but stands in a sentence the parser "
                    f"does not know: '{sentence}'",
                    block.line_at(candidate.start()),
                )

    def refuse_misprinted_figures(self, block: Block, consumed: list[Span]) -> None:
        """A misprinted number where a figure stands — after "circa", before "%" — that no
        pattern read ("circa 2.4900" in a sentence of other words) is refused, naming it: it would
        otherwise leave its figure missing, and the reader to guess why."""
        for token in NUMBER_TOKEN_RE.finditer(block.text):
            if number_problem(token[0]) is None or any(a <= token.start() < b for a, b in consumed):
                continue
            if _CIRCA_BEFORE.search(block.text, 0, token.start()) or _PERCENT_AFTER.match(
                block.text, token.end()
            ):
                raise self.misprinted(block, token)

    def refuse_misprinted_numbers(self, block: Block, start: int, end: int) -> None:
        """Where a sentence (block.text[start:end]) cannot be read, a misprinted number in it is
        the likeliest cause: digits split by a space or another mark ("circa 2 120
        vreemdelingen"), or a number that is not Dutch ("2.4900", "7,3,1%", "2.49O") is refused,
        naming it, before the sentence is."""
        for split in _SPLIT_NUMBER.finditer(block.text, start, end):
            raise self.error(_split_message(split[0]), block.line_at(split.start()))
        for token in NUMBER_TOKEN_RE.finditer(block.text, start, end):
            if number_problem(token[0]) is not None:
                raise self.misprinted(block, token)

    @staticmethod
    def figure_span(block: Block, opening: re.Match[str]) -> Span:
        """From the sentence a figure's opening words stand in to the end of the sentence of the
        first number after them: the permits' sentence names its purpose ("… voor de
        kwalificatie: Asiel Tijdelijk.") a sentence before its number."""
        start, end = sentence_span(block.text, opening.start(), opening.end())
        number = _FIRST_DIGIT.search(block.text, opening.end())
        if number is not None and number.start() >= end:
            end = sentence_span(block.text, number.start(), number.end())[1]
        return start, end

    def misprinted(self, block: Block, token: re.Match[str]) -> IngestError:
        return self.error(
            f"'{token[0]}' is not a Dutch number: {number_problem(token[0])}; check it against the "
            "publication and correct it in the text",
            block.line_at(token.start()),
        )

    # Windows ---------------------------------------------------------------------------------

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

    # Sentences -------------------------------------------------------------------------------

    def single_figures(self, index: int, block: Block, consumed: list[Span]) -> None:
        """The sentences that give one figure each (patterns.SENTENCES)."""
        for declared in p.SENTENCES:
            for m in declared.pattern.finditer(block.text):
                if declared.period == p.NAMED_MONTH:
                    window = self.named_month(m, block)
                elif declared.period == p.NAMED_YEAR:
                    window = self.named_year(m, block)
                else:
                    window = self.month_window()
                measure = Measure(
                    declared.figure_code,
                    declared.population_code,
                    declared.window_type,
                    *window,
                    declared.unit,
                )
                self.record(index, block, m, measure, consumed)

    def grant_total(self, index: int, block: Block, consumed: list[Span]) -> None:
        for m in p.GRANT_TOTAL.finditer(block.text):
            self.grant_window = self.named_window(m, block)
            measure = Measure("grant_rate", FIRST_APPLICANTS, ROLLING_12M, *self.grant_window, "percent")
            self.record(index, block, m, measure, consumed)

    def permits(self, index: int, block: Block, consumed: list[Span]) -> None:
        permits = Measure(
            "permits_granted", REGULAR_MIGRANTS, YEAR_TO_DATE, *self.year_to_date_window(), "count"
        )
        for m in p.PERMITS_FIRST.finditer(block.text):
            self.record(index, block, m, permits.of("purpose", " ".join(m["label"].split())), consumed)
        for m in p.PERMITS_REST.finditer(block.text):
            sentence = sentence_around(block.text, m.start(), m.end())
            items = list(p.PERMIT_ITEM.finditer(m["list"]))
            if not items:
                raise self.error(f"cannot read the permit purposes in '{sentence}'", block.line_at(m.start()))
            self.refuse_unread_permits(block, m, items, sentence)
            for item in items:
                label = re.sub(r"^(?:en|,)\s+", "", " ".join(item["label"].split()))
                self.record(
                    index,
                    block,
                    item,
                    permits.of("purpose", label),
                    consumed,
                    offset=m.start("list"),
                    source_text=sentence,
                )
            consumed.append(m.span())

    def refuse_unread_permits(
        self, block: Block, m: re.Match[str], items: list[re.Match[str]], sentence: str
    ) -> None:
        """Every part of the list of permit purposes that holds a count — a number, or a
        parenthesis — belongs to an item read: a purpose whose count cannot be read ("Kennis &
        Talent (circa 4 910)", "Studie (n.v.t.)") refuses the document, never drops out of it."""
        start = m.start("list")
        read = [(start + item.start(), start + item.end()) for item in items]
        for unread in re.finditer(r"\([^()]*\)?|[0-9]+", m["list"]):
            at = start + unread.start()
            if any(first <= at < last for first, last in read):
                continue
            # "(circa 4 910)", "(circa 4.91O)": say what is wrong with the number, not only that
            # the purpose is unread.
            self.refuse_misprinted_numbers(block, at, at + len(unread[0]))
            label = re.search(r"[^,()]*$", m["list"][: unread.start()])
            shown = " ".join(((label.group(0) if label else "") + unread[0]).split())
            raise self.error(
                f"cannot read the permit purpose '{re.sub(r'^(?:en|,) ', '', shown)}' in '{sentence}': "
                "expected '<purpose> (circa <n>)'",
                block.line_at(at),
            )

    def departures(self, index: int, block: Block, consumed: list[Span]) -> None:
        # Counts and shares are read in text order: a share sentence that does not say
        # "criminele" belongs to the population of the departures count it follows.
        hits = [(m, "departures", ALL_ALIENS) for m in p.DEPARTURES_ALL.finditer(block.text)]
        hits += [(m, "departures", CRIMINAL_ALIENS) for m in p.DEPARTURES_CRIMINAL.finditer(block.text)]
        hits += [(m, "departures_supervised_share", None) for m in p.SUPERVISED.finditer(block.text)]
        hits += [(m, "departures_unsupervised_share", None) for m in p.UNSUPERVISED.finditer(block.text)]
        for m, code, population in sorted(hits, key=lambda hit: hit[0].start()):
            if code == "departures":
                window = self.named_year(m, block)
                self.departure_population = population
                unit = "count"
            else:
                population = CRIMINAL_ALIENS if m["criminal"] else self.departure_population
                if population is None:
                    raise self.error(
                        "a departure share stands before any departures count it could belong to",
                        block.line_at(m.start()),
                    )
                window = self.year_to_date_window()
                unit = "percent"
            self.record(index, block, m, Measure(code, population, YEAR_TO_DATE, *window, unit), consumed)

    def dublin_funnel(self, index: int, block: Block, consumed: list[Span]) -> None:
        month = self.month_window()
        for m in p.DUBLIN_FUNNEL.finditer(block.text):
            for code, group, approx in (
                ("first_applications_handled", "handled", "approx_h"),
                ("first_applications_rejected", "rejected", "approx_r"),
            ):
                measure = Measure(code, FIRST_APPLICANTS, MONTH, *month, "count")
                self.record(index, block, m, measure, consumed, group=group, approx_group=approx)

    def list_intro(self, block: Block) -> _ListContext | None:
        text = block.text.rstrip()
        for pattern, code, population, kind in (
            (p.INTRO_FIRST_MONTH, "nationality_share", FIRST_APPLICANTS, MONTH),
            (p.INTRO_FIRST_12M, "nationality_share", FIRST_APPLICANTS, ROLLING_12M),
            (p.INTRO_NAR_12M, "nationality_share", FAMILY_REUNIFICATION, ROLLING_12M),
            (p.INTRO_NAR_MONTH, "nationality_share", FAMILY_REUNIFICATION, MONTH),
            (p.INTRO_GRANT, "grant_rate", FIRST_APPLICANTS, ROLLING_12M),
        ):
            m = pattern.search(text)
            if not m:
                continue
            if kind == MONTH:
                window = self.named_month(m, block)
            elif "window" in m.groupdict():
                window = self.named_window(m, block)
            elif self.grant_window is not None:
                window = self.grant_window
            else:
                raise self.error(
                    "the list of grant rates by nationality comes before the overall grant rate "
                    "that names its period",
                    block.line_at(m.start()),
                )
            return _ListContext(Measure(code, population, kind, *window, "percent"), last_sentence(text))
        return None

    # Recording -------------------------------------------------------------------------------

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
        self.refuse_split_number(block, number_at, offset + match.end(group))
        self.refuse_glued_number(block, number_at, offset + match.end(group))
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

    def refuse_split_number(self, block: Block, start: int, end: int) -> None:
        """A number whose digits a space splits ("circa 10 490": a space, no-break, thin or narrow
        no-break space as the thousands separator, all a space in a block), or an invisible mark
        or an apostrophe ("2'490"), would be read as its first part alone: refuse it."""
        before = _DIGITS_BEFORE.search(block.text, 0, start)
        after = _DIGITS_AFTER.match(block.text, end)
        if after is None and "." not in block.text[start:end]:
            # "circa 3. 120" (a space after the thousands dot): read as 3 without this.
            after = _GROUP_AFTER_DOT.match(block.text, end)
        if before or after:
            first = before.start() if before else start
            last = after.end() if after else end
            raise self.error(_split_message(block.text[first:last]), block.line_at(start))

    def refuse_glued_number(self, block: Block, start: int, end: int) -> None:
        """A number read by a pattern is the whole number as printed: where it is glued to more
        ("2O.490" would be read as 2, "2.490.5"), the number as printed is refused, naming what is
        wrong with it."""
        for token in NUMBER_TOKEN_RE.finditer(block.text, max(0, start - 64), min(len(block.text), end + 64)):
            if token.start() <= start < token.end():
                if token.span() != (start, end) and number_problem(token[0]) is not None:
                    raise self.misprinted(block, token)
                return


# What splits digits: white space, an invisible mark (soft hyphen, zero-width space or joiner, word
# joiner, byte-order mark) or an apostrophe, as in "2'490".
_INVISIBLE = "\u00ad\u200b-\u200d\u2060\ufeff"
_APOSTROPHES = "'’ʼ"
_SPLITTER = rf"[\s{_INVISIBLE}{_APOSTROPHES}]"
# Digits right before or after a number, across what splits digits only.
_DIGITS_BEFORE = re.compile(rf"[0-9]+{_SPLITTER}+$")
_DIGITS_AFTER = re.compile(rf"{_SPLITTER}+[.,]?[0-9]+")
# A thousands group after a dot and a space, after a number of one group ("3. 120").
_GROUP_AFTER_DOT = re.compile(rf"\.{_SPLITTER}+[0-9]{{3}}(?![0-9])")
# A number split in a sentence no pattern read ("circa 2 120 vreemdelingen").
_SPLIT_NUMBER = re.compile(rf"(?<![0-9.,])[0-9]+(?:{_SPLITTER}+[.,]?[0-9]+)+(?![0-9])")
_FIRST_DIGIT = re.compile(r"[0-9]")
_CIRCA_BEFORE = re.compile(r"\bcirca\s+$", re.IGNORECASE)
_PERCENT_AFTER = re.compile(r"\s*%")


def _split_message(whole: str) -> str:
    """What is wrong with a number whose digits are split, and what to write instead."""
    joined = re.sub(rf"{_SPLITTER}+(?=[.,])|(?<=[.,]){_SPLITTER}+", "", whole)
    dotted = re.sub(rf"{_SPLITTER}+", ".", joined)
    # The dot is suggested where it makes a Dutch number: '2.490', not '9.90'.
    instead = f"as a dot ('{dotted}')" if number_problem(dotted) is None else "as a dot"
    mark = next((char for char in whole if char in _APOSTROPHES or unicodedata.category(char) == "Cf"), None)
    if mark is None:
        what = "a space"
    elif mark in _APOSTROPHES:
        what = f"an apostrophe ({mark})"
    else:
        what = f"an invisible {unicodedata.name(mark, 'mark')} (U+{ord(mark):04X})"
    shown = "".join(char for char in whole if unicodedata.category(char) != "Cf")
    return (
        f"'{shown}' has digits split by {what}: one number or two? Write a thousands separator "
        f"{instead} or part the numbers with words"
    )


def read_publication(document: Document) -> Reading:
    """The title, month, numbers and source notes of a document, or an IngestError with the line."""
    return _Reader(document).read()
