"""Sentences that give one figure of a family each (patterns.SENTENCES, patterns.ITEM_SENTENCES).

Such a sentence needs no code of its own: its pattern is keyed by the family it reads, and the
family's registry row says what the number measures and over which kind of window; the sentence
gives the period (a month, a year, twelve months named, or none: the publication's).
"""

from __future__ import annotations

from ingest.figures import patterns as p
from ingest.figures.blocks import Block
from ingest.figures.state import ReaderState, Span


def read_single_figures(state: ReaderState, index: int, block: Block, consumed: list[Span]) -> None:
    """Every sentence of patterns.SENTENCES in a paragraph."""
    for family_code, pattern in p.SENTENCES.items():
        for match in pattern.finditer(block.text):
            state.record_family(family_code, index, block, match, consumed)


def read_item_sentence(state: ReaderState, index: int, block: Block, consumed: list[Span]) -> bool:
    """A list item that is a sentence of its own (patterns.ITEM_SENTENCES): whether it was one."""
    for family_code, pattern in p.ITEM_SENTENCES.items():
        match = pattern.search(block.text)
        if match:
            state.record_family(family_code, index, block, match, consumed)
            return True
    return False
