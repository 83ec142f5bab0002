"""The regular permits granted by purpose (patterns.PERMIT_SENTENCES).

The largest purpose stands in a sentence of its own ("… voor de kwalificatie: Familie & Gezin.
Tot nu toe zijn er circa <n> inwilligingen"), the next ones in a list ("… onder kwalificaties
Kennis & Talent (circa <n>) en Studie (circa <n>)"). Every part of that list that holds a count
belongs to a purpose read: one whose count cannot be read refuses the document.
"""

from __future__ import annotations

import re

from ingest.figures import patterns as p
from ingest.figures.blocks import Block, sentence_around
from ingest.figures.model import Measure
from ingest.figures.refusals import refuse_misprinted_numbers
from ingest.figures.state import ReaderState, Span


def read_permits(state: ReaderState, index: int, block: Block, consumed: list[Span]) -> None:
    for family_code, (first, rest) in p.PERMIT_SENTENCES.items():
        for m in first.finditer(block.text):
            permits = _measure(state, family_code, block, m)
            state.record(index, block, m, permits.of(" ".join(m["label"].split())), consumed)
        for m in rest.finditer(block.text):
            permits = _measure(state, family_code, block, m)
            sentence = sentence_around(block.text, m.start(), m.end())
            items = list(p.PERMIT_ITEM.finditer(m["list"]))
            if not items:
                raise state.error(
                    f"cannot read the permit purposes in '{sentence}'", block.line_at(m.start())
                )
            _refuse_unread_permits(state, block, m, items, sentence)
            for item in items:
                label = re.sub(r"^(?:en|,)\s+", "", " ".join(item["label"].split()))
                state.record(
                    index,
                    block,
                    item,
                    permits.of(label),
                    consumed,
                    offset=m.start("list"),
                    source_text=sentence,
                )
            consumed.append(m.span())


def _measure(state: ReaderState, family_code: str, block: Block, m: re.Match[str]) -> Measure:
    family = state.family(family_code, block, m)
    return Measure.of_family(family, state.window(family, m, block))


def _refuse_unread_permits(
    state: ReaderState, block: Block, m: re.Match[str], items: list[re.Match[str]], sentence: str
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
        refuse_misprinted_numbers(state.document.path, block, at, at + len(unread[0]))
        label = re.search(r"[^,()]*$", m["list"][: unread.start()])
        shown = " ".join(((label.group(0) if label else "") + unread[0]).split())
        raise state.error(
            f"cannot read the permit purpose '{re.sub(r'^(?:en|,) ', '', shown)}' in '{sentence}': "
            "expected '<purpose> (circa <n>)'",
            block.line_at(at),
        )
