"""The sentences of a Kerncijfers publication, as patterns.

The wording is stable from month to month while the months, numbers and nationalities change.
Each pattern is tolerant of line breaks (a space in a pattern is any run of white space, " ?" an
optional one) and of the three spellings of nareizigers, but strict about numbers and months. A
number is always captured in a group named `n` (or `handled` / `rejected` in the Dublin funnel),
"circa" before it in `approx`, a month and year in `month` / `year`, a period in `window`.

A sentence that gives one figure of a family is declared in `SENTENCES` at the end: its pattern,
what the number measures and how the sentence gives its period. To read a new kind of figure,
add its family to `seeds/reference/ref_figure_families.csv` and its sentence there (README,
"Adding a figure family"). Sentences that give several related figures (lists, the permits, the
departures, the Dublin funnel) are read by their own methods in `ingest/figures/parser.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.dutch import MONTH_RE, NUMBER_RE
from ingest.figures.model import FAMILY_REUNIFICATION, FIRST_APPLICANTS, MONTH, YEAR_TO_DATE

NUM = rf"(?P<n>{NUMBER_RE})"
APPROX = r"(?P<approx>circa\s+)?"
NAR = r"na[- ]?reizigers"
MONTH_YEAR = rf"(?P<month>{MONTH_RE})\s+(?P<year>[0-9]{{4}})"
WINDOW = rf"(?P<window>{MONTH_RE}\s+[0-9]{{4}}\s+t/?m\s+{MONTH_RE}\s+[0-9]{{4}})"
FIRST_TIMERS = r"(?:van\s+)?de\s+asielzoekers\s+die\s+voor\s+het\s+eerst\s+een\s+aanvraag\s+indienden"


def sentence(pattern: str) -> re.Pattern[str]:
    """Compile a sentence pattern: " ?" is optional whitespace, " " any run of it (line breaks)."""
    return re.compile(pattern.replace(" ?", r"\s*").replace(" ", r"\s+"), re.IGNORECASE)


# Sentences with one figure (or two, in the Dublin funnel) ----------------------------------------

FIRST_APPLICATIONS = sentence(
    rf"het aantal eerste asielaanvragen in (?P<month>{MONTH_RE})(?: (?P<year>[0-9]{{4}}))?"
    rf" (?:was|bedroeg) {APPROX}{NUM}"
)
SAFE_SHARE = sentence(rf"{APPROX}{NUM} ?% {FIRST_TIMERS},? kwam uit een veilig land van herkomst")
GRANT_TOTAL = sentence(
    rf"het inwilligingspercentage van eerste asielaanvragen waarover in de periode {WINDOW}"
    rf" is beslist,? (?:is|was) {APPROX}{NUM} ?%"
)
ARRIVALS = sentence(rf"het aantal {NAR} dat in {MONTH_YEAR} in nederland aankwam,? (?:is|was) {APPROX}{NUM}")
PERMITS_FIRST = sentence(
    rf"de meeste procedures die ingewilligd worden zijn voor de kwalificatie:?"
    rf" (?P<label>[^.:]+?)\. tot nu toe zijn er {APPROX}{NUM} inwilligingen"
)
PERMITS_REST = sentence(
    r"daarna krijgen de meeste personen een vergunning onder (?:de )?kwalificaties?"
    r" (?P<list>.*?\))(?=\.|\s*$)"
)
PERMIT_ITEM = sentence(rf"(?P<label>[^\W0-9][\w&'\s-]*?) \({APPROX}{NUM}\)")
DEPARTURES_ALL = sentence(
    rf"in (?P<year>[0-9]{{4}}) zijn {APPROX}{NUM} vreemdelingen die niet in nederland mochten"
    r" blijven,? (?:zijn )?vertrokken"
)
DEPARTURES_CRIMINAL = sentence(
    rf"in (?P<year>[0-9]{{4}}) zijn {APPROX}{NUM} criminele vreemdelingen vertrokken"
)
SUPERVISED = sentence(
    rf"het aandeel (?P<criminal>criminele )?vreemdelingen dat onder toezicht van de overheid"
    rf" nederland heeft verlaten,? (?:is|bedraagt) {APPROX}{NUM} ?%"
)
UNSUPERVISED = sentence(
    rf"het aandeel (?P<criminal>criminele )?vreemdelingen dat op eigen gelegenheid is vertrokken,?"
    rf" (?:is|bedraagt) {APPROX}{NUM} ?%"
)
DUBLIN_SHARE = sentence(
    rf"in {MONTH_YEAR} werd {APPROX}{NUM} ?% van de eerste asielaanvragen afgewezen op grond"
    r" van de dublinverordening"
)
DUBLIN_FUNNEL = sentence(
    rf"van de (?P<approx_h>circa )?(?P<handled>{NUMBER_RE}) behandelde eerste asielaanvragen"
    rf" (?:is|zijn) (?P<approx_r>circa )?(?P<rejected>{NUMBER_RE}) afgewezen"
)
DUBLIN_DUBLIN = sentence(
    rf"hiervan zijn {APPROX}{NUM} (?:eerste )?asielaanvragen op grond van (?:de )?dublin\w* afgewezen"
)

# Lead-in sentences of the nationality lists; each names the population and the window -----------

INTRO_FIRST_MONTH = sentence(rf"in {MONTH_YEAR},? kwam {FIRST_TIMERS} ?:$")
INTRO_FIRST_12M = sentence(rf"de afgelopen twaalf maanden \( ?{WINDOW} ?\),? kwam {FIRST_TIMERS} ?:$")
INTRO_NAR_12M = sentence(rf"van het aantal {NAR} in de afgelopen twaalf maanden \( ?{WINDOW} ?\),? kwam ?:$")
INTRO_NAR_MONTH = sentence(rf"van de {NAR} kwam in {MONTH_YEAR} ?:$")
INTRO_GRANT = sentence(r"van de meeste asielaanvragen van asielzoekers die worden ingewilligd komt ?:$")

ITEM = sentence(
    rf"^{APPROX}{NUM} ?% (?:uit (?P<label>[^\W0-9][\w'’\s-]*?)"
    r"|wordt gerekend tot een (?P<residual>overige nationaliteit(?:en)?)) ?[;.,]?$"
)

# Notes, the title, and what any figure looks like --------------------------------------------------

SOURCE_NOTE = re.compile(r"\(\s*Bron\s*:(?P<note>[^)]*)\)", re.IGNORECASE)
TENS = re.compile(r"afgerond\s+op\s+tientallen", re.IGNORECASE)
TITLE = re.compile(r"kerncijfers\s+asiel\s+en\s+migratie", re.IGNORECASE)
TITLE_MONTH = re.compile(rf"^\s*(?P<month>{MONTH_RE})\s+(?P<year>[0-9]{{4}})\s*$", re.IGNORECASE)

# The opening words of each sentence that gives figures: where one stands in a paragraph outside
# everything a pattern read, the sentence's wording or number is not what the parser knows, and
# the document is refused there, naming the sentence — a figure is never silently dropped.
SENTENCE_OPENINGS = {
    "first applications": sentence(r"het aantal eerste asielaanvragen in"),
    "nareizigers arrived": sentence(rf"het aantal {NAR} dat in"),
    "grant rate": sentence(r"het inwilligingspercentage van eerste asielaanvragen waarover"),
    "permits": sentence(r"de meeste procedures die ingewilligd worden"),
    "permits by purpose": sentence(r"daarna krijgen de meeste personen een vergunning"),
    "departures": sentence(r"vreemdelingen die niet in nederland mochten blijven"),
    "criminal departures": sentence(r"criminele vreemdelingen vertrokken"),
    "departure shares": sentence(r"het aandeel (?:criminele )?vreemdelingen dat"),
    "Dublin share": sentence(r"van de eerste asielaanvragen afgewezen op grond"),
    "Dublin funnel": sentence(r"behandelde eerste asielaanvragen"),
    "Dublin rejections": sentence(r"op grond van (?:de )?dublin\w* afgewezen"),
}

# Anything of this shape that no pattern consumed is an error: a figure is never silently dropped.
LOOKS_LIKE_FIGURE = re.compile(rf"{NUMBER_RE}\s*%|circa\s+{NUMBER_RE}", re.IGNORECASE)

# Nationality labels are names: letters, spaces, hyphens and apostrophes, a few words at most.
MAX_LABEL_WORDS = 5


# Sentences that give one figure each -------------------------------------------------------------

# How a sentence gives the period of its figure, and the window that makes.
NAMED_MONTH = "named_month"  # it names a month (group `month`, optionally `year`): the publication's
PUBLICATION_MONTH = "publication_month"  # it names none: the publication's month
NAMED_YEAR = "named_year"  # it names a year (group `year`): January up to the publication's month
WINDOWS = {NAMED_MONTH: MONTH, PUBLICATION_MONTH: MONTH, NAMED_YEAR: YEAR_TO_DATE}


@dataclass(frozen=True)
class Sentence:
    """A sentence giving one figure: the number in group `n` ("circa" before it in group `approx`)
    is the figure_code of the population, in the unit, over the period the sentence gives."""

    pattern: re.Pattern[str]
    figure_code: str
    population_code: str
    unit: str
    period: str

    @property
    def window_type(self) -> str:
        return WINDOWS[self.period]


SENTENCES: tuple[Sentence, ...] = (
    Sentence(FIRST_APPLICATIONS, "first_applications", FIRST_APPLICANTS, "count", NAMED_MONTH),
    Sentence(ARRIVALS, "family_reunification_arrivals", FAMILY_REUNIFICATION, "count", NAMED_MONTH),
    Sentence(DUBLIN_SHARE, "dublin_share", FIRST_APPLICANTS, "percent", NAMED_MONTH),
    Sentence(
        DUBLIN_DUBLIN, "first_applications_rejected_dublin", FIRST_APPLICANTS, "count", PUBLICATION_MONTH
    ),
)
