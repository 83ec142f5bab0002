"""Lists of figures, one per subject (nationalities): a lead-in sentence, then the items.

A paragraph that ends with a list's lead-in ("… kwam:", patterns.LIST_INTROS) sets the context
for the list items after it: the family the lead-in is keyed by, over the period it names (or, for
the grant rates by nationality, the period of the overall grant rate before it). Each item is
"<n>% uit <nationaliteit>" or the residual "<n>% wordt gerekend tot een overige nationaliteit".
"""

from __future__ import annotations

from ingest.figures import patterns as p
from ingest.figures.blocks import Block, clipped, last_sentence
from ingest.figures.model import Measure
from ingest.figures.refusals import refuse_misprinted_numbers
from ingest.figures.state import ListContext, ReaderState, Span


def list_intro(state: ReaderState, block: Block) -> ListContext | None:
    """The context a paragraph ending in a list's lead-in sets, or None."""
    text = block.text.rstrip()
    for family_code, pattern in p.LIST_INTROS.items():
        match = pattern.search(text)
        if not match:
            continue
        family = state.family(family_code, block, match)
        measure = Measure.of_family(family, state.window(family, match, block))
        return ListContext(measure, last_sentence(text))
    return None


def read_list_item(state: ReaderState, index: int, block: Block, consumed: list[Span]) -> None:
    """A list item in the context of the lead-in before it; an item that cannot be read, or has
    no lead-in the parser knows, refuses the document."""
    text = block.text
    item = p.ITEM.match(text)
    if item is None:
        refuse_misprinted_numbers(state.document.path, block, 0, len(text))
        raise state.error(f"cannot read this list item: '{text}'", block.first_line)
    if state.context is None:
        raise state.error(
            f"a list item with no lead-in sentence the parser knows before it: '{text}'",
            block.first_line,
        )
    label = item["label"] or item["residual"]
    if item["label"] and len(label.split()) > p.MAX_LABEL_WORDS:
        raise state.error(
            f"'{label}' does not read as a {state.context.measure.subject_type}", block.first_line
        )
    measure = state.context.measure.of(label.strip())
    state.record(
        index, block, item, measure, consumed, source_text=f"{state.context.intro} … {clipped(text)}"
    )
