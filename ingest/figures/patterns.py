"""The sentences of a Kerncijfers publication, as patterns.

The wording is stable from month to month while the months, numbers and nationalities change.
Each pattern is tolerant of line breaks (a space in a pattern is any run of white space, " ?" an
optional one) and of the three spellings of nareizigers, but strict about numbers and months. A
number is always captured in a group named `n` (or `handled` / `rejected` in the Dublin funnel),
"circa" before it in `approx`, a month and year in `month` / `year`, a period in `window`.

Every table of sentences at the end is keyed by `family_code`: a pattern says which family of
`seeds/reference/ref_figure_families.csv` it reads, and the registry row says everything else (the
figure code, population, window type, subject and unit). To read a new kind of figure, add its row
there and its sentence to `SENTENCES` here (README, "Adding a figure family"); nothing else names
it. The version stored documents are compared against includes a digest of these tables
(`ingest.figures.parser_version`), so the next build reads them again.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import sys

from ingest.dutch import MONTH_RE, NUMBER_RE

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
# A departure share names its population ("het aandeel criminele vreemdelingen …") or none, when
# it is of the population of the departures count before it.
_SUPERVISED = r"vreemdelingen dat onder toezicht van de overheid nederland heeft verlaten,? (?:is|bedraagt)"
_UNSUPERVISED = r"vreemdelingen dat op eigen gelegenheid is vertrokken,? (?:is|bedraagt)"
SUPERVISED = sentence(rf"het aandeel {_SUPERVISED} {APPROX}{NUM} ?%")
UNSUPERVISED = sentence(rf"het aandeel {_UNSUPERVISED} {APPROX}{NUM} ?%")
CRIMINAL_SUPERVISED = sentence(rf"het aandeel criminele {_SUPERVISED} {APPROX}{NUM} ?%")
CRIMINAL_UNSUPERVISED = sentence(rf"het aandeel criminele {_UNSUPERVISED} {APPROX}{NUM} ?%")
DUBLIN_SHARE = sentence(
    rf"in {MONTH_YEAR} werd {APPROX}{NUM} ?% van de eerste asielaanvragen afgewezen op grond"
    r" van de dublinverordening"
)
DUBLIN_FUNNEL = sentence(
    rf"van de (?P<approx_handled>circa )?(?P<handled>{NUMBER_RE}) behandelde eerste asielaanvragen"
    rf" (?:is|zijn) (?P<approx_rejected>circa )?(?P<rejected>{NUMBER_RE}) afgewezen"
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


# The sentences of each family, keyed by family_code -------------------------------------------

# Sentences that give one figure each. The window is the family's: a `month` family's sentence
# names the publication's month (groups `month`, optionally `year`) or no month; a
# `year_to_date` one names the publication's year (group `year`) or none; a `rolling_12m` one names
# its twelve months (group `window`).
SENTENCES: dict[str, re.Pattern[str]] = {
    "first_applications": FIRST_APPLICATIONS,
    "family_reunification_arrivals": ARRIVALS,
    "dublin_share": DUBLIN_SHARE,
    "first_applications_rejected_dublin": DUBLIN_DUBLIN,
    "grant_rate": GRANT_TOTAL,
}

# A sentence that stands as a list item of its own, whatever list it is in.
ITEM_SENTENCES: dict[str, re.Pattern[str]] = {
    "safe_country_share": SAFE_SHARE,
}

# Lead-ins of the lists whose items are the family's figures, one per subject. A `rolling_12m`
# lead-in that names no period takes the period of its figure's total (the grant rate's).
LIST_INTROS: dict[str, re.Pattern[str]] = {
    "first_applicants_by_nationality_month": INTRO_FIRST_MONTH,
    "first_applicants_by_nationality_12m": INTRO_FIRST_12M,
    "family_reunification_by_nationality_12m": INTRO_NAR_12M,
    "family_reunification_by_nationality_month": INTRO_NAR_MONTH,
    "grant_rate_by_nationality": INTRO_GRANT,
}

# Sentences that give a figure per permit purpose: the largest purpose and its count, then the
# next ones as a list of "<purpose> (circa <n>)" (PERMIT_ITEM).
PERMIT_SENTENCES: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    "regular_permits_by_purpose": (PERMITS_FIRST, PERMITS_REST),
}

# Departures counts, and the shares of each count that left under supervision or on their own.
# A share sentence that names no population is keyed by the family of all departures and belongs
# to the population of the count it follows.
DEPARTURE_COUNTS: dict[str, re.Pattern[str]] = {
    "departures": DEPARTURES_ALL,
    "criminal_departures": DEPARTURES_CRIMINAL,
}
DEPARTURE_SHARES: dict[str, re.Pattern[str]] = {
    "criminal_departures_supervised_share": CRIMINAL_SUPERVISED,
    "criminal_departures_unsupervised_share": CRIMINAL_UNSUPERVISED,
}
DEPARTURE_SHARES_OF_THE_COUNT_BEFORE: dict[str, re.Pattern[str]] = {
    "departures_supervised_share": SUPERVISED,
    "departures_unsupervised_share": UNSUPERVISED,
}

# Sentences that give several figures of one window (the Dublin funnel's handled and rejected
# applications): per family, the group its number stands in ("circa" before it in
# `approx_<group>`).
SEVERAL_FIGURES: tuple[tuple[re.Pattern[str], dict[str, str]], ...] = (
    (DUBLIN_FUNNEL, {"first_applications_handled": "handled", "first_applications_rejected": "rejected"}),
)


@functools.cache
def patterns_digest() -> str:
    """A digest of every pattern and table of this module, as the parser reads them: it changes
    when a sentence is added or reworded, not when this file is only reformatted. Computed once
    per process: the patterns are constants."""

    def plain(value: object) -> object:
        if isinstance(value, re.Pattern):
            return [value.pattern, value.flags]
        if isinstance(value, dict):
            return [[key, plain(item)] for key, item in value.items()]
        if isinstance(value, tuple | list):
            return [plain(item) for item in value]
        return value

    module = sys.modules[__name__]
    tables = {
        name: plain(value)
        for name, value in sorted(vars(module).items())
        if name.isupper() and isinstance(value, re.Pattern | dict | tuple | str | int)
    }
    return hashlib.sha256(json.dumps(tables, sort_keys=True).encode()).hexdigest()
