"""Realistic synthetic Kerncijfers publications, for benchmarks.

Each document uses the sentences of the real publications (as in the January 2023 text) with
plausible numbers: complete breakdowns sum to 100, funnels are ordered, year-to-date counts grow
through the year and restart in January, counts "afgerond op tientallen" are multiples of ten,
safe-country nationalities never exceed the published safe share, and each month stays within
what the history checks accept (models/checks/check_month_history.sql): counts within a factor 4 of
the months before, a nationality's month share within a factor 2 of its twelve-month share.
A family of the registry whose sentence (ingest/figures/patterns.SENTENCES) the template below does
not print is printed from the example its registry description ends with ("Sentence: '…'"), in
every month it is required, with a number between a twenty-fifth and an eighth of its
plausibility limit: adding a family needs no edit here (README, "Adding a figure family").
Deterministic for a seed. The publications are made up: a benchmark project has no second source
(bench/run.py empties IND's seed), since no IND page counted these months.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterator
from datetime import date

from core.project import PACKAGE_PROJECT, Project
from ingest.dutch import MONTHS_NL
from ingest.figures import FamilyRegistry, load_families
from ingest.figures.families import FigureFamily
from ingest.figures.patterns import SENTENCES

# The sentence a family's registry description ends with, its placeholders in angle brackets.
_EXAMPLE = re.compile(r"Sentence: '(?P<sentence>[^']+)'")

# Nationalities the IND reports; none of them a safe country of origin after 2021 except where
# noted, so the listed safe share stays below the published one.
FIRST_APPLICANT_POOL = [
    "Syrië",
    "Turkije",
    "Afghanistan",
    "Jemen",
    "Somalië",
    "Eritrea",
    "Irak",
    "Iran",
    "Algerije",
    "Colombia",
    "Nigeria",
    "Guinee",
    "Soedan",
    "Ethiopië",
    "Libië",
    "Egypte",
    "Staatloos",
    "Sri Lanka",
    "Koeweit",
]
FAMILY_POOL = ["Syrië", "Turkije", "Eritrea", "Jemen", "Somalië", "Afghanistan", "Irak"]
GRANT_POOL = ["Afghanistan", "Turkije", "Jemen", "Syrië", "Eritrea", "Iran", "Somalië"]


def _nl(number: int) -> str:
    """Dutch thousands separator: 12345 -> '12.345'."""
    return f"{number:,}".replace(",", ".")


def _tens(value: float) -> int:
    return int(round(value / 10.0)) * 10


def _shares(rng: random.Random, count: int, total: int) -> list[int]:
    """`count` descending whole percentages that sum to `total`."""
    cuts = sorted(rng.sample(range(1, total), count - 1))
    parts = [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]
    return sorted(parts, reverse=True)


def _top_list(rng: random.Random, pool: list[str], items: int, top_sum: int) -> list[tuple[str, int]]:
    names = rng.sample(pool, items)
    return list(zip(names, _shares(rng, items, top_sum), strict=True))


def _month_list(rng: random.Random, year: list[tuple[str, int]], top_sum: int) -> list[tuple[str, int]]:
    """A month's top list of the twelve-month list's nationalities, each share within a factor 2
    of its twelve-month share (a nationality's month share far from its year's is reviewed)."""
    names = [name for name, _ in year]
    entries = [(name, max(1, round(share * rng.uniform(0.7, 1.4)))) for name, share in year]
    scale = min(1.0, top_sum / sum(share for _, share in entries))
    entries = [(name, max(1, int(share * scale))) for name, share in entries]
    return sorted(entries, key=lambda item: (-item[1], names.index(item[0])))


def _items(entries: list[tuple[str, int]], residual: int | None = None) -> str:
    lines = [f"o {share}% uit {name};" for name, share in entries]
    if residual is not None:
        lines.append(f"o {residual}% wordt gerekend tot een Overige nationaliteit.")
    return "\n".join(lines)


def _window(end: date) -> str:
    start_month = end.month % 12 + 1
    start_year = end.year if end.month == 12 else end.year - 1
    return f"{MONTHS_NL[start_month - 1]} {start_year} t/m {MONTHS_NL[end.month - 1]} {end.year}"


class History:
    """Consecutive monthly publications; year-to-date counts accumulate within each year."""

    def __init__(self, seed: int = 2023, families: FamilyRegistry | None = None) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.ytd: dict[str, float] = {}
        self.families = families or load_families(Project(PACKAGE_PROJECT).families_seed)

    # The monthly growth of each year-to-date count: (low, high) of a uniform draw.
    GROWTH = {
        "family": (2500, 4000),
        "talent": (1500, 2800),
        "study": (800, 2500),
        "departed": (1500, 3500),
        "criminal": (40, 120),
    }

    def document(self, month: date) -> str:
        rng = self.rng
        if month.month == 1:
            self.ytd = {}
        elif not self.ytd:
            # A history that starts after January: its year so far has months behind it.
            self.ytd = {
                key: sum(rng.uniform(low, high) for _ in range(month.month - 1))
                for key, (low, high) in self.GROWTH.items()
            }
        name = MONTHS_NL[month.month - 1]
        label = f"{name} {month.year}"

        def grow(key: str, monthly: float) -> int:
            self.ytd[key] = self.ytd.get(key, 0.0) + monthly
            return _tens(self.ytd[key])

        first = _tens(rng.uniform(1500, 4500))
        safe_share = rng.randint(3, 12)
        first_year = _top_list(rng, FIRST_APPLICANT_POOL, rng.randint(3, 7), rng.randint(45, 75))
        first_month = _month_list(rng, first_year, rng.randint(40, 70))
        family_year = _top_list(rng, FAMILY_POOL, 3, rng.randint(70, 95))
        family_year_rest = 100 - sum(share for _, share in family_year)
        arrivals = _tens(rng.uniform(500, 1500))
        family_month = _month_list(rng, family_year, rng.randint(60, 95))
        family_month_rest = 100 - sum(share for _, share in family_month)
        grant_total = rng.randint(45, 80)
        grants = sorted(
            ((n, rng.randint(60, 98)) for n in rng.sample(GRANT_POOL, 4)), key=lambda item: -item[1]
        )
        family_permits = grow("family", rng.uniform(*self.GROWTH["family"]))
        talent_permits = grow("talent", rng.uniform(*self.GROWTH["talent"]))
        study_permits = grow("study", rng.uniform(*self.GROWTH["study"]))
        departed = grow("departed", rng.uniform(*self.GROWTH["departed"]))
        supervised = rng.randint(55, 85)
        criminal = max(10, grow("criminal", rng.uniform(*self.GROWTH["criminal"])))
        criminal_supervised = rng.randint(70, 90)
        handled = _tens(rng.uniform(1500, 3500))
        rejected = _tens(handled * rng.uniform(0.35, 0.5))
        dublin = _tens(rejected * rng.uniform(0.45, 0.75))
        dublin_share = round(100 * dublin / handled)

        text = f"""
KERNCIJFERS ASIEL EN MIGRATIE
{label.upper()}

Het Ministerie van Justitie en Veiligheid publiceert wekelijks de
instroomcijfers, oftewel het aantal asielaanvragen dat is ingediend.

Uit welke landen komen asielzoekers?
Het aantal eerste asielaanvragen in {name} was circa {_nl(first)}.

In {label} kwam van de asielzoekers die voor het eerst een
aanvraag indienden:

{_items(first_month)}

o Circa {safe_share}% van de asielzoekers die voor het eerst een aanvraag
indienden kwam uit een veilig land van herkomst.

(Bron: asieltrends van {label}, afgerond op tientallen)

De afgelopen twaalf maanden ({_window(month)}) kwam
van de asielzoekers die voor het eerst een aanvraag indienden:

{_items(first_year)}

(Bron: asieltrends van {label})
 Uit welke landen komen nareizigers?

Van het aantal na reizigers in de afgelopen twaalf maanden ({_window(month)}) kwam:

{_items(family_year, family_year_rest)}

Het aantal na-reizigers dat in {label} in Nederland aankwam is
circa {_nl(arrivals)}.

Van de na reizigers kwam in {label}:

{_items(family_month, family_month_rest)}

(Bron: asieltrends van {label}, afgerond op tientallen)
Het inwilligingspercentage van eerste asielaanvragen waarover in de
periode {_window(month)} is beslist, is {grant_total}%. Van de
meeste asielaanvragen van asielzoekers die worden ingewilligd komt:
{_items(grants).rstrip(";")}.

(Bron: Ministerie van Justitie en Veiligheid)
 Hoeveel reguliere aanvragen zijn er
ingewilligd in {month.year}?

De meeste procedures die ingewilligd worden zijn voor de kwalificatie:
Familie & Gezin. Tot nu toe zijn er circa {_nl(family_permits)} inwilligingen.

Daarna krijgen de meeste personen een vergunning onder kwalificaties
Kennis & Talent (circa {_nl(talent_permits)}) en Studie (circa {_nl(study_permits)}).

(Bron: IND, afgerond op tientallen)

In {month.year} zijn circa {_nl(departed)} vreemdelingen die niet in Nederland mochten
blijven, vertrokken.

Het aandeel vreemdelingen dat onder toezicht van de overheid
Nederland heeft verlaten, is circa {supervised}%.

Het aandeel vreemdelingen dat op eigen gelegenheid is vertrokken
bedraagt circa {100 - supervised}%.

(Bron: Ministerie van Justitie en Veiligheid, afgerond op tientallen)

In {month.year} zijn circa {_nl(criminal)} criminele vreemdelingen vertrokken tijdens of
aansluitend aan hun gevangenisstraf. Het aandeel criminele
vreemdelingen dat onder toezicht van de overheid Nederland heeft
verlaten, is circa {criminal_supervised}%.
Het aandeel vreemdelingen dat op eigen gelegenheid is vertrokken
bedraagt circa {100 - criminal_supervised}%.

(Bron: Dienst Terugkeer en Vertrek, afgerond op tientallen)

In {label} werd circa {dublin_share}% van de eerste asielaanvragen afgewezen op
grond van de Dublinverordening.

Van de circa {_nl(handled)} behandelde eerste asielaanvragen is circa {_nl(rejected)} afgewezen.
Hiervan zijn circa {_nl(dublin)} asielaanvragen op grond van Dublin afgewezen.

(Bron: IND, afgerond op tientallen)
"""
        return text + self.registry_sentences(month, text)

    def registry_sentences(self, month: date, text: str) -> str:
        """The sentences of the families required in `month` that `text` lacks, each from the
        example in its registry description, as paragraphs to add at the end."""
        paragraphs = []
        for family_code, pattern in SENTENCES.items():
            family = self.families.by_code(family_code)
            if family is None or not family.required_in(month) or pattern.search(text):
                continue
            # A generator of its own, so that a new family leaves every other figure as it was.
            rng = random.Random(f"{self.seed}-{family_code}-{month:%Y-%m}")
            paragraphs.append(f"\n{example_sentence(family, month, rng)}\n")
        return "".join(paragraphs)


def example_sentence(family: FigureFamily, month: date, rng: random.Random) -> str:
    """The sentence of a family read by patterns.SENTENCES, as its registry description ends
    ("Sentence: '…'"), written out for `month` with a number between a twenty-fifth and an eighth
    of its plausibility limit; a ValueError where there is none, or its pattern does not read it."""
    example = _EXAMPLE.search(family.description)
    if example is None:
        raise ValueError(f"the registry's description of {family.family_code} ends with no 'Sentence: ...'")
    limit = float(family.max_value)
    value = max(float(family.min_value), rng.uniform(limit / 25, limit / 12.5))
    number = _tens(value) if family.unit == "count" and value >= 100 else round(value)
    sentence = (
        example["sentence"]
        .replace("<maand>", MONTHS_NL[month.month - 1])
        .replace("<jaar>", str(month.year))
        .replace("<periode>", _window(month))
        .replace("<n>", _nl(number))
    )
    if not SENTENCES[family.family_code].search(sentence):
        raise ValueError(
            f"the pattern of {family.family_code} does not read its registry example: {sentence!r}"
        )
    return sentence


def months_ending(last: date, count: int) -> list[date]:
    """`count` consecutive months, the last one `last`."""
    index = last.year * 12 + last.month - 1
    return [date((i // 12), i % 12 + 1, 1) for i in range(index - count + 1, index + 1)]


def publications(count: int, last: date = date(2025, 12, 1), seed: int = 2023) -> Iterator[tuple[date, str]]:
    history = History(seed)
    for month in months_ending(last, count):
        yield month, history.document(month)
