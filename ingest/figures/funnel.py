"""Sentences that give several figures of one window: the Dublin funnel's "Van de <n> behandelde
eerste asielaanvragen zijn <m> afgewezen" (patterns.SEVERAL_FIGURES).

Each number stands in a group of its own (with "circa" before it in `approx_<group>`), keyed by the
family it is a figure of; all of them share the window the sentence gives.
"""

from __future__ import annotations

from ingest.figures import patterns as p
from ingest.figures.blocks import Block
from ingest.figures.model import Measure
from ingest.figures.state import ReaderState, Span


def read_several_figures(state: ReaderState, index: int, block: Block, consumed: list[Span]) -> None:
    for pattern, groups in p.SEVERAL_FIGURES:
        for match in pattern.finditer(block.text):
            for family_code, group in groups.items():
                family = state.family(family_code, block, match)
                measure = Measure.of_family(family, state.window(family, match, block))
                state.record(
                    index, block, match, measure, consumed, group=group, approx_group=f"approx_{group}"
                )
