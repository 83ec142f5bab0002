"""Finding every figure of a Kerncijfers publication in its text.

The publication is prose: each figure stands in a sentence whose wording is stable from month to
month while the months, numbers and nationalities change. The text comes from a PDF, so sentences
are broken across lines, headings stand after their sections and page furniture (page numbers,
URLs, footnotes) is mixed in. The parser therefore

1. joins lines into blocks (paragraphs and list items), remembering where each line starts, so a
   figure can point back to the line its number stands on;
2. reads the known sentences with patterns that are tolerant of line breaks and spelling
   (`na-reizigers`, `na reizigers`, `nareizigers`) but strict about numbers and months;
3. attributes list items to the lead-in sentence ("... kwam:") before them;
4. applies the rounding stated in each "(Bron: ..., afgerond op tientallen)" note to the counts
   above it, back to the previous note;
5. refuses the document, naming the line, when a percentage or "circa" number is left that no
   pattern understood, when a family of figures is missing, or when a month disagrees with the
   title. A figure is never silently dropped or guessed.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ingest.dutch import (
    MONTH_RE,
    NUMBER_RE,
    month_end,
    month_number,
    month_start,
    months_between,
    parse_number,
    parse_window,
    printed_precision,
)
from ingest.errors import IngestError
from ingest.reading import Document

PARSER_VERSION = "1.0.0"

# Canonical Dutch population labels; staging maps them to codes through ref_populations.
FIRST_APPLICANTS = "eerste asielaanvragers"
FAMILY_REUNIFICATION = "nareizigers"
ALL_ALIENS = "vertrokken vreemdelingen"
CRIMINAL_ALIENS = "criminele vreemdelingen"
REGULAR_MIGRANTS = "reguliere migranten"

MONTH = "month"
ROLLING_12M = "rolling_12m"
YEAR_TO_DATE = "year_to_date"

TENS = Decimal(10)


@dataclass(frozen=True)
class Figure:
    """One published figure, as published, with the place it was read from."""

    figure_code: str
    population_label_nl: str
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
        return (self.figure_code, self.population_label_nl, self.window_type, self.subject_label_nl)


@dataclass(frozen=True)
class Publication:
    """What a document says about itself and the figures found in it."""

    title: str
    reference_month: date
    figures: list[Figure]


# --- Text as blocks --------------------------------------------------------------------------

_BULLET_RE = re.compile(r"^\s*(?:o|•|·|-|–|\*)\s+(?=\S)")
_CONNECTIVE_END_RE = re.compile(r"(?:-|\b(?:en|van|de|het|tot|een|uit|in|op|aan|met))$", re.I)


@dataclass
class Block:
    """Consecutive lines joined into one string, with the offset at which each line starts."""

    is_bullet: bool
    text: str = ""
    starts: list[int] = field(default_factory=list)
    line_numbers: list[int] = field(default_factory=list)

    def add(self, line_number: int, line: str) -> None:
        line = " ".join(line.split())
        # A word hyphenated at the end of a line ("na-" / "reizigers") is joined without a space.
        hyphenated = self.text.endswith("-") and line[:1].islower()
        if self.text and not hyphenated:
            self.text += " "
        self.starts.append(len(self.text))
        self.line_numbers.append(line_number)
        self.text += line

    def line_at(self, offset: int) -> int:
        return self.line_numbers[bisect.bisect_right(self.starts, offset) - 1]

    @property
    def first_line(self) -> int:
        return self.line_numbers[0]


def _blocks(lines: list[str]) -> list[Block]:
    """Paragraphs end at a blank line; every list item is a block of its own."""
    blocks: list[Block] = []
    current: Block | None = None
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            current = None
            continue
        bullet = _BULLET_RE.match(line)
        if bullet:
            current = Block(is_bullet=True)
            blocks.append(current)
            current.add(number, line[bullet.end() :])
            continue
        if current is not None and current.is_bullet and not _continues_item(current.text, line):
            current = None
        if current is None:
            current = Block(is_bullet=False)
            blocks.append(current)
        current.add(number, line)
    return blocks


def _continues_item(item: str, next_line: str) -> bool:
    """Whether a line after a list item belongs to it (the item was broken across lines)."""
    if item.endswith((";", ".", ":")):
        return False
    return next_line[:1].islower() or bool(_CONNECTIVE_END_RE.search(item))


# --- Sentence patterns -----------------------------------------------------------------------

NUM = rf"(?P<n>{NUMBER_RE})"
APPROX = r"(?P<approx>circa\s+)?"
NAR = r"na[- ]?reizigers"
MONTH_YEAR = rf"(?P<month>{MONTH_RE})\s+(?P<year>\d{{4}})"
WINDOW = rf"(?P<window>{MONTH_RE}\s+\d{{4}}\s+t/?m\s+{MONTH_RE}\s+\d{{4}})"
FIRST_TIMERS = r"(?:van\s+)?de\s+asielzoekers\s+die\s+voor\s+het\s+eerst\s+een\s+aanvraag\s+indienden"


def _p(pattern: str) -> re.Pattern[str]:
    """Compile a sentence pattern: " ?" is optional whitespace, " " any run of it (line breaks)."""
    return re.compile(pattern.replace(" ?", r"\s*").replace(" ", r"\s+"), re.IGNORECASE)


P_FIRST_APPLICATIONS = _p(
    rf"het aantal eerste asielaanvragen in (?P<month>{MONTH_RE})(?: (?P<year>\d{{4}}))?"
    rf" (?:was|bedroeg) {APPROX}{NUM}"
)
P_SAFE_SHARE = _p(
    rf"{APPROX}{NUM} ?% {FIRST_TIMERS},? kwam uit een veilig land van herkomst"
)
P_GRANT_TOTAL = _p(
    rf"het inwilligingspercentage van eerste asielaanvragen waarover in de periode {WINDOW}"
    rf" is beslist,? (?:is|was) {APPROX}{NUM} ?%"
)
P_ARRIVALS = _p(
    rf"het aantal {NAR} dat in {MONTH_YEAR} in nederland aankwam,? (?:is|was) {APPROX}{NUM}"
)
P_PERMITS_FIRST = _p(
    rf"de meeste procedures die ingewilligd worden zijn voor de kwalificatie:?"
    rf" (?P<label>[^.:]+?)\. tot nu toe zijn er {APPROX}{NUM} inwilligingen"
)
P_PERMITS_REST = _p(
    r"daarna krijgen de meeste personen een vergunning onder (?:de )?kwalificaties?"
    r" (?P<list>.*?\))(?=\.|\s*$)"
)
P_PERMIT_ITEM = _p(rf"(?P<label>[^\W\d][\w&'\s-]*?) \({APPROX}{NUM}\)")
P_DEPARTURES_ALL = _p(
    rf"in (?P<year>\d{{4}}) zijn {APPROX}{NUM} vreemdelingen die niet in nederland mochten"
    r" blijven,? (?:zijn )?vertrokken"
)
P_DEPARTURES_CRIMINAL = _p(
    rf"in (?P<year>\d{{4}}) zijn {APPROX}{NUM} criminele vreemdelingen vertrokken"
)
P_SUPERVISED = _p(
    rf"het aandeel (?P<criminal>criminele )?vreemdelingen dat onder toezicht van de overheid"
    rf" nederland heeft verlaten,? (?:is|bedraagt) {APPROX}{NUM} ?%"
)
P_UNSUPERVISED = _p(
    rf"het aandeel (?P<criminal>criminele )?vreemdelingen dat op eigen gelegenheid is vertrokken,?"
    rf" (?:is|bedraagt) {APPROX}{NUM} ?%"
)
P_DUBLIN_SHARE = _p(
    rf"in {MONTH_YEAR} werd {APPROX}{NUM} ?% van de eerste asielaanvragen afgewezen op grond"
    r" van de dublinverordening"
)
P_DUBLIN_FUNNEL = _p(
    rf"van de (?P<approx_h>circa )?(?P<handled>{NUMBER_RE}) behandelde eerste asielaanvragen"
    rf" (?:is|zijn) (?P<approx_r>circa )?(?P<rejected>{NUMBER_RE}) afgewezen"
)
P_DUBLIN_DUBLIN = _p(
    rf"hiervan zijn {APPROX}{NUM} (?:eerste )?asielaanvragen op grond van (?:de )?dublin\w* afgewezen"
)

# Lead-in sentences of the nationality lists. Each names the population and the window.
P_INTRO_FIRST_MONTH = _p(rf"in {MONTH_YEAR},? kwam {FIRST_TIMERS} ?:$")
P_INTRO_FIRST_12M = _p(rf"de afgelopen twaalf maanden \( ?{WINDOW} ?\),? kwam {FIRST_TIMERS} ?:$")
P_INTRO_NAR_12M = _p(
    rf"van het aantal {NAR} in de afgelopen twaalf maanden \( ?{WINDOW} ?\),? kwam ?:$"
)
P_INTRO_NAR_MONTH = _p(rf"van de {NAR} kwam in {MONTH_YEAR} ?:$")
P_INTRO_GRANT = _p(r"van de meeste asielaanvragen van asielzoekers die worden ingewilligd komt ?:$")

P_ITEM = _p(
    rf"^{APPROX}{NUM} ?% (?:uit (?P<label>[^\W\d][\w'’\s-]*?)"
    r"|wordt gerekend tot een (?P<residual>overige nationaliteit(?:en)?)) ?[;.,]?$"
)

P_SOURCE_NOTE = re.compile(r"\(\s*Bron\s*:(?P<note>[^)]*)\)", re.IGNORECASE)
P_TENS = re.compile(r"afgerond\s+op\s+tientallen", re.IGNORECASE)
P_TITLE = re.compile(r"kerncijfers\s+asiel\s+en\s+migratie", re.IGNORECASE)
P_TITLE_MONTH = re.compile(rf"^\s*(?P<month>{MONTH_RE})\s+(?P<year>\d{{4}})\s*$", re.IGNORECASE)

# What a figure looks like: anything of this shape that no pattern consumed is an error.
P_LOOKS_LIKE_FIGURE = re.compile(rf"{NUMBER_RE}\s*%|circa\s+{NUMBER_RE}", re.IGNORECASE)

# Nationality labels are names: letters, spaces, hyphens and apostrophes, a few words at most.
MAX_LABEL_WORDS = 5


@dataclass(frozen=True)
class _ListContext:
    figure_code: str
    population: str
    window_type: str
    start: date
    end: date
    intro: str


@dataclass
class _Found:
    """A figure before its rounding note is known, with its place in reading order."""

    position: tuple[int, int]
    figure_code: str
    population: str
    window_type: str
    start: date
    end: date
    subject_type: str
    subject_label: str | None
    number_text: str
    unit: str
    approximate: bool
    line: int
    source_text: str


# --- The parser ------------------------------------------------------------------------------

class _Parser:
    def __init__(self, document: Document) -> None:
        self.document = document
        self.source = document.path
        self.found: list[_Found] = []
        self.notes: list[tuple[tuple[int, int], bool]] = []  # (position, states tens rounding)
        self.context: _ListContext | None = None
        self.grant_window: tuple[date, date] | None = None
        self.departure_population: str | None = None

    def error(self, message: str, line: int | None = None) -> IngestError:
        return IngestError(self.source, message, line)

    # Title and reference month -------------------------------------------------------------

    def read_title(self) -> tuple[str, date]:
        lines = self.document.lines
        head = [(n, line) for n, line in enumerate(lines[:40], start=1) if line.strip()][:8]
        for index, (number, line) in enumerate(head):
            if not P_TITLE.search(line):
                continue
            # The month stands on the title line itself or on the next non-blank line.
            rest = P_TITLE.split(line, maxsplit=1)[1]
            candidates = [rest] + [text for _, text in head[index + 1 : index + 2]]
            for candidate in candidates:
                month = P_TITLE_MONTH.match(candidate)
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

    # Blocks --------------------------------------------------------------------------------

    def parse(self) -> Publication:
        title, self.reference = self.read_title()
        for index, block in enumerate(_blocks(self.document.lines)):
            consumed: list[tuple[int, int]] = []
            if block.is_bullet:
                self.read_item(index, block, consumed)
            else:
                self.read_paragraph(index, block, consumed)
            self.refuse_leftovers(block, consumed)
        figures = self.finish()
        return Publication(title=title, reference_month=self.reference, figures=figures)

    def read_paragraph(self, index: int, block: Block, consumed: list[tuple[int, int]]) -> None:
        self.context = None
        for matcher in (
            self.first_applications, self.grant_total, self.arrivals, self.permits,
            self.departures, self.dublin,
        ):  # fmt: skip
            matcher(index, block, consumed)
        for note in P_SOURCE_NOTE.finditer(block.text):
            self.notes.append(((index, note.start()), bool(P_TENS.search(note["note"]))))
            consumed.append(note.span())
        self.context = self.list_intro(block)

    def read_item(self, index: int, block: Block, consumed: list[tuple[int, int]]) -> None:
        text = block.text
        safe = P_SAFE_SHARE.search(text)
        if safe:
            start, end = self.month_window()
            self.add(index, block, safe, "safe_country_share", FIRST_APPLICANTS, MONTH, start, end,
                     "total", None, "percent", consumed)  # fmt: skip
            self.context = None
            return
        item = P_ITEM.match(text)
        if item is None:
            raise self.error(f"cannot read this list item: '{text}'", block.first_line)
        if self.context is None:
            raise self.error(
                f"a list item with no lead-in sentence the parser knows before it: '{text}'",
                block.first_line,
            )
        label = item["label"] or item["residual"]
        if item["label"] and len(label.split()) > MAX_LABEL_WORDS:
            raise self.error(f"'{label}' does not read as a nationality", block.first_line)
        ctx = self.context
        self.add(index, block, item, ctx.figure_code, ctx.population, ctx.window_type, ctx.start,
                 ctx.end, "nationality", label.strip(), "percent", consumed,
                 source_text=f"{ctx.intro} … {text}")  # fmt: skip

    def refuse_leftovers(self, block: Block, consumed: list[tuple[int, int]]) -> None:
        for candidate in P_LOOKS_LIKE_FIGURE.finditer(block.text):
            if not any(start <= candidate.start() < end for start, end in consumed):
                raise self.error(
                    f"'{candidate.group(0)}' looks like a figure but stands in a sentence the parser "
                    f"does not know: '{_sentence(block.text, candidate.start(), candidate.end())}'",
                    block.line_at(candidate.start()),
                )

    # Windows -------------------------------------------------------------------------------

    def month_window(self) -> tuple[date, date]:
        ref = self.reference
        return ref, month_end(ref.year, ref.month)

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
        if end > month_end(self.reference.year, self.reference.month):
            raise self.error(
                f"the period '{match['window']}' ends after the publication's month "
                f"{self.reference:%Y-%m}",
                line,
            )
        return start, end

    def year_to_date(self, match: re.Match[str], block: Block) -> tuple[date, date]:
        year = int(match["year"])
        if year != self.reference.year:
            raise self.error(
                f"the year-to-date figure is for {year}, but the publication is about "
                f"{self.reference:%Y-%m}",
                block.line_at(match.start("year")),
            )
        return date(year, 1, 1), month_end(year, self.reference.month)

    # Sentences -----------------------------------------------------------------------------

    def first_applications(self, index: int, block: Block, consumed: list) -> None:
        for m in P_FIRST_APPLICATIONS.finditer(block.text):
            start, end = self.named_month(m, block)
            self.add(index, block, m, "first_applications", FIRST_APPLICANTS, MONTH, start, end,
                     "total", None, "count", consumed)  # fmt: skip

    def grant_total(self, index: int, block: Block, consumed: list) -> None:
        for m in P_GRANT_TOTAL.finditer(block.text):
            start, end = self.named_window(m, block)
            self.grant_window = (start, end)
            self.add(index, block, m, "grant_rate", FIRST_APPLICANTS, ROLLING_12M, start, end,
                     "total", None, "percent", consumed)  # fmt: skip

    def arrivals(self, index: int, block: Block, consumed: list) -> None:
        for m in P_ARRIVALS.finditer(block.text):
            start, end = self.named_month(m, block)
            self.add(index, block, m, "family_reunification_arrivals", FAMILY_REUNIFICATION,
                     MONTH, start, end, "total", None, "count", consumed)  # fmt: skip

    def permits(self, index: int, block: Block, consumed: list) -> None:
        ytd_start = date(self.reference.year, 1, 1)
        ytd_end = month_end(self.reference.year, self.reference.month)
        for m in P_PERMITS_FIRST.finditer(block.text):
            self.add(index, block, m, "permits_granted", REGULAR_MIGRANTS, YEAR_TO_DATE, ytd_start,
                     ytd_end, "purpose", " ".join(m["label"].split()), "count", consumed)  # fmt: skip
        for m in P_PERMITS_REST.finditer(block.text):
            sentence = _sentence(block.text, m.start(), m.end())
            items = list(P_PERMIT_ITEM.finditer(m["list"]))
            if not items:
                raise self.error(f"cannot read the permit purposes in '{sentence}'",
                                 block.line_at(m.start()))  # fmt: skip
            for item in items:
                label = re.sub(r"^(?:en|,)\s+", "", " ".join(item["label"].split()))
                self.add(index, block, item, "permits_granted", REGULAR_MIGRANTS, YEAR_TO_DATE,
                         ytd_start, ytd_end, "purpose", label, "count", consumed,
                         offset=m.start("list"), source_text=sentence)  # fmt: skip
            consumed.append(m.span())

    def departures(self, index: int, block: Block, consumed: list) -> None:
        # Counts and shares are read in text order: a share sentence that does not say
        # "criminele" belongs to the population of the departures count it follows.
        hits = [(m, "departures", ALL_ALIENS) for m in P_DEPARTURES_ALL.finditer(block.text)]
        hits += [(m, "departures", CRIMINAL_ALIENS)
                 for m in P_DEPARTURES_CRIMINAL.finditer(block.text)]  # fmt: skip
        hits += [(m, "departures_supervised_share", None) for m in P_SUPERVISED.finditer(block.text)]
        hits += [(m, "departures_unsupervised_share", None)
                 for m in P_UNSUPERVISED.finditer(block.text)]  # fmt: skip
        for m, code, population in sorted(hits, key=lambda hit: hit[0].start()):
            if code == "departures":
                start, end = self.year_to_date(m, block)
                self.departure_population = population
                unit = "count"
            else:
                population = CRIMINAL_ALIENS if m["criminal"] else self.departure_population
                if population is None:
                    raise self.error(
                        "a departure share stands before any departures count it could belong to",
                        block.line_at(m.start()),
                    )
                start = date(self.reference.year, 1, 1)
                end = month_end(self.reference.year, self.reference.month)
                unit = "percent"
            self.add(index, block, m, code, population, YEAR_TO_DATE, start, end, "total", None,
                     unit, consumed)  # fmt: skip

    def dublin(self, index: int, block: Block, consumed: list) -> None:
        for m in P_DUBLIN_SHARE.finditer(block.text):
            start, end = self.named_month(m, block)
            self.add(index, block, m, "dublin_share", FIRST_APPLICANTS, MONTH, start, end, "total",
                     None, "percent", consumed)  # fmt: skip
        start, end = self.month_window()
        for m in P_DUBLIN_FUNNEL.finditer(block.text):
            for code, group, approx in (("dublin_handled", "handled", "approx_h"),
                                        ("dublin_rejected", "rejected", "approx_r")):  # fmt: skip
                self.add(index, block, m, code, FIRST_APPLICANTS, MONTH, start, end, "total", None,
                         "count", consumed, group=group, approx_group=approx)  # fmt: skip
        for m in P_DUBLIN_DUBLIN.finditer(block.text):
            self.add(index, block, m, "dublin_dublin_rejected", FIRST_APPLICANTS, MONTH, start,
                     end, "total", None, "count", consumed)  # fmt: skip

    def list_intro(self, block: Block) -> _ListContext | None:
        text = block.text.rstrip()
        intro = _last_sentence(text)
        for pattern, code, population, kind in (
            (P_INTRO_FIRST_MONTH, "nationality_share", FIRST_APPLICANTS, MONTH),
            (P_INTRO_FIRST_12M, "nationality_share", FIRST_APPLICANTS, ROLLING_12M),
            (P_INTRO_NAR_12M, "nationality_share", FAMILY_REUNIFICATION, ROLLING_12M),
            (P_INTRO_NAR_MONTH, "nationality_share", FAMILY_REUNIFICATION, MONTH),
            (P_INTRO_GRANT, "grant_rate", FIRST_APPLICANTS, ROLLING_12M),
        ):
            m = pattern.search(text)
            if not m:
                continue
            if kind == MONTH:
                start, end = self.named_month(m, block)
            elif "window" in m.groupdict():
                start, end = self.named_window(m, block)
            elif self.grant_window is not None:
                start, end = self.grant_window
            else:
                raise self.error(
                    "the list of grant rates by nationality comes before the overall grant rate "
                    "that names its period",
                    block.line_at(m.start()),
                )
            return _ListContext(code, population, kind, start, end, intro)
        return None

    # Recording -----------------------------------------------------------------------------

    def add(
        self,
        index: int,
        block: Block,
        match: re.Match[str],
        figure_code: str,
        population: str,
        window_type: str,
        start: date,
        end: date,
        subject_type: str,
        subject_label: str | None,
        unit: str,
        consumed: list[tuple[int, int]],
        *,
        group: str = "n",
        approx_group: str = "approx",
        offset: int = 0,
        source_text: str | None = None,
    ) -> None:
        number_at = offset + match.start(group)
        self.found.append(
            _Found(
                position=(index, number_at),
                figure_code=figure_code,
                population=population,
                window_type=window_type,
                start=start,
                end=end,
                subject_type=subject_type,
                subject_label=subject_label,
                number_text=match[group],
                unit=unit,
                approximate=bool(match[approx_group]),
                line=block.line_at(number_at),
                source_text=source_text
                or _sentence(block.text, offset + match.start(), offset + match.end()),
            )
        )
        consumed.append((offset + match.start(), offset + match.end()))

    def finish(self) -> list[Figure]:
        figures: list[Figure] = []
        seen: dict[tuple, int] = {}
        for found in sorted(self.found, key=lambda f: f.position):
            # A source note covers the counts above it, back to the previous note.
            note = next((tens for position, tens in self.notes if position > found.position), False)
            stated = found.unit == "count" and note
            value = parse_number(found.number_text)
            if found.unit == "percent" and not Decimal(0) <= value <= Decimal(100):
                raise self.error(f"{found.number_text}% is not a percentage", found.line)
            figure = Figure(
                figure_code=found.figure_code,
                population_label_nl=found.population,
                window_type=found.window_type,
                period_start=found.start,
                period_end=found.end,
                subject_type=found.subject_type,
                subject_label_nl=found.subject_label,
                value=value,
                unit=found.unit,
                is_approximate=found.approximate or stated,
                rounding_unit=TENS if stated else printed_precision(found.number_text),
                rounding_basis="stated" if stated else "printed_precision",
                source_line=found.line,
                source_text=found.source_text,
            )
            if figure.key in seen:
                raise self.error(
                    f"the figure {_describe(figure)} is given twice (first on line "
                    f"{seen[figure.key]})",
                    figure.source_line,
                )
            seen[figure.key] = figure.source_line
            figures.append(figure)
        self.require_every_family(figures)
        return figures

    def require_every_family(self, figures: list[Figure]) -> None:
        present = {(f.figure_code, f.population_label_nl, f.window_type) for f in figures}
        missing = [family for family in REQUIRED_FAMILIES if family[:3] not in present]
        if missing:
            names = "; ".join(description for *_, description in missing)
            raise self.error(
                f"no figure found for: {names}. The wording of these sentences may have changed; "
                "see ingest/figures.py"
            )


REQUIRED_FAMILIES: tuple[tuple[str, str, str, str], ...] = (
    ("first_applications", FIRST_APPLICANTS, MONTH, "first asylum applications in the month"),
    ("nationality_share", FIRST_APPLICANTS, MONTH, "first applicants by nationality (month)"),
    ("safe_country_share", FIRST_APPLICANTS, MONTH, "first applicants from a safe country"),
    ("nationality_share", FIRST_APPLICANTS, ROLLING_12M,
     "first applicants by nationality (12 months)"),
    ("nationality_share", FAMILY_REUNIFICATION, ROLLING_12M, "nareizigers by nationality (12 months)"),
    ("family_reunification_arrivals", FAMILY_REUNIFICATION, MONTH, "nareizigers arrived"),
    ("nationality_share", FAMILY_REUNIFICATION, MONTH, "nareizigers by nationality (month)"),
    ("grant_rate", FIRST_APPLICANTS, ROLLING_12M, "grant rate of first applications"),
    ("permits_granted", REGULAR_MIGRANTS, YEAR_TO_DATE, "regular permits granted by purpose"),
    ("departures", ALL_ALIENS, YEAR_TO_DATE, "departures of aliens"),
    ("departures_supervised_share", ALL_ALIENS, YEAR_TO_DATE, "aliens departed under supervision"),
    ("departures_unsupervised_share", ALL_ALIENS, YEAR_TO_DATE, "aliens departed on their own"),
    ("departures", CRIMINAL_ALIENS, YEAR_TO_DATE, "departures of criminal aliens"),
    ("departures_supervised_share", CRIMINAL_ALIENS, YEAR_TO_DATE,
     "criminal aliens departed under supervision"),
    ("departures_unsupervised_share", CRIMINAL_ALIENS, YEAR_TO_DATE,
     "criminal aliens departed on their own"),
    ("dublin_share", FIRST_APPLICANTS, MONTH, "share rejected under Dublin"),
    ("dublin_handled", FIRST_APPLICANTS, MONTH, "first applications handled (Dublin)"),
    ("dublin_rejected", FIRST_APPLICANTS, MONTH, "first applications rejected (Dublin)"),
    ("dublin_dublin_rejected", FIRST_APPLICANTS, MONTH, "rejected under Dublin"),
)  # fmt: skip


def _describe(figure: Figure) -> str:
    subject = f" {figure.subject_label_nl}" if figure.subject_label_nl else ""
    return f"{figure.figure_code} ({figure.population_label_nl}, {figure.window_type}){subject}"


_SENTENCE_END = re.compile(r"[.;?!:](?=\s|$)")


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence around text[start:end]: from the previous sentence end to the next."""
    left = 0
    for boundary in _SENTENCE_END.finditer(text, 0, start):
        left = boundary.end()
    right_match = _SENTENCE_END.search(text, end)
    right = right_match.end() if right_match else len(text)
    return text[left:right].strip()


def _last_sentence(text: str) -> str:
    """The last sentence of a paragraph (a list's lead-in, which ends with a colon)."""
    body = text[:-1] if text.endswith(":") else text
    boundaries = [m.end() for m in _SENTENCE_END.finditer(body)]
    return text[boundaries[-1] if boundaries else 0 :].strip()


def extract(document: Document) -> Publication:
    """Every figure of a publication, or an IngestError naming the file and line."""
    return _Parser(document).parse()
