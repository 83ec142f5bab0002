"""Departures: the count of each population that departed this year, and the shares of it that
left under supervision and on their own (patterns.DEPARTURE_COUNTS and the share tables).

Counts and shares are read in text order, across paragraphs: a share sentence that names no
population ("Het aandeel vreemdelingen dat op eigen gelegenheid is vertrokken …", after the
criminal aliens' count) belongs to the population of the departures count it follows, so its
family is the one of its figure for that population in the registry.
"""

from __future__ import annotations

import re

from ingest.figures import patterns as p
from ingest.figures.blocks import Block
from ingest.figures.families import FigureFamily
from ingest.figures.model import Measure
from ingest.figures.state import ReaderState, Span

_COUNT, _SHARE, _SHARE_OF_COUNT_BEFORE = "count", "share", "share of the count before"


def read_departures(state: ReaderState, index: int, block: Block, consumed: list[Span]) -> None:
    hits = [
        (m, code, kind)
        for kind, table in (
            (_COUNT, p.DEPARTURE_COUNTS),
            (_SHARE, p.DEPARTURE_SHARES),
            (_SHARE_OF_COUNT_BEFORE, p.DEPARTURE_SHARES_OF_THE_COUNT_BEFORE),
        )
        for code, pattern in table.items()
        for m in pattern.finditer(block.text)
    ]
    for m, code, kind in sorted(hits, key=lambda hit: hit[0].start()):
        family = state.family(code, block, m)
        if kind == _COUNT:
            state.departure_population = family.population_code
        elif kind == _SHARE_OF_COUNT_BEFORE:
            family = _of_the_count_before(state, family, block, m)
        measure = Measure.of_family(family, state.window(family, m, block))
        state.record(index, block, m, measure, consumed)


def _of_the_count_before(
    state: ReaderState, family: FigureFamily, block: Block, m: re.Match[str]
) -> FigureFamily:
    """The family of a share's figure for the population of the departures count before it."""
    if state.departure_population is None:
        raise state.error(
            "a departure share stands before any departures count it could belong to",
            block.line_at(m.start()),
        )
    key = (family.figure_code, state.departure_population, family.window_type, family.subject_type)
    of_population = state.families.find(key)
    if of_population is None:
        raise state.error(
            f"the share '{m.group(0)}' follows a departures count of {state.departure_population}, but "
            f"{state.families.path} declares no {family.figure_code} family of that population; add its row there",
            block.line_at(m.start()),
        )
    return of_population
