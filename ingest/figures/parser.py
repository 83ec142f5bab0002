"""Reading the blocks of a publication with the sentence patterns: where each number stands and
what it measures.

The reader walks the blocks in order and hands each to the readers of the kinds of sentence:
a paragraph to the sentences of one figure (`single`), the permits (`permits`), the departures
(`departures`) and the sentences of several figures (`funnel`), and notes each "(Bron: …)" source
note; a paragraph that ends with a list's lead-in sets the context for the list items after it
(`lists`). Every pattern is keyed by the family it reads (`patterns`); what a number measures
comes from the family's row in the registry (`state`). Whatever looks like a figure and was not
read stops the document, with its line (`refusals`). Turning what was found into figures (values,
rounding, duplicates, the families required) is `ingest/figures/assembly.py`.
"""

from __future__ import annotations

from datetime import date

from ingest.dutch import month_number, month_start
from ingest.figures import patterns as p
from ingest.figures.blocks import Block, read_blocks
from ingest.figures.departures import read_departures
from ingest.figures.families import FamilyRegistry
from ingest.figures.funnel import read_several_figures
from ingest.figures.lists import list_intro, read_list_item
from ingest.figures.permits import read_permits
from ingest.figures.refusals import refuse_foreign_digits, refuse_leftovers, refuse_unread_sentences
from ingest.figures.single import read_item_sentence, read_single_figures
from ingest.figures.state import Found, ReaderState, Reading, SourceNote, Span
from ingest.reading import Document

__all__ = ["Found", "Reading", "SourceNote", "read_publication"]

# The readers of a paragraph's sentences, in the order they are tried.
PARAGRAPH_READERS = (read_single_figures, read_permits, read_departures, read_several_figures)


def read_publication(document: Document, families: FamilyRegistry) -> Reading:
    """The title, month, numbers and source notes of a document, or an IngestError with the line."""
    state = ReaderState(document, families)
    title, state.reference = _read_title(state)
    for index, block in enumerate(read_blocks(document.lines)):
        refuse_foreign_digits(document.path, block)
        consumed: list[Span] = []
        if block.is_bullet:
            _read_item(state, index, block, consumed)
        else:
            _read_paragraph(state, index, block, consumed)
            refuse_unread_sentences(document.path, block, consumed)
            # After the sentences: a grant rate left unread for a misprinted number is named as
            # such, not as a list of grant rates without the period it takes.
            state.context = list_intro(state, block)
        refuse_leftovers(document.path, block, consumed)
    return Reading(title, state.reference, state.found, state.notes, state.window_lines)


def _read_paragraph(state: ReaderState, index: int, block: Block, consumed: list[Span]) -> None:
    state.context = None
    for reader in PARAGRAPH_READERS:
        reader(state, index, block, consumed)
    for note in p.SOURCE_NOTE.finditer(block.text):
        state.notes.append(SourceNote((index, note.start()), bool(p.TENS.search(note["note"]))))
        consumed.append(note.span())


def _read_item(state: ReaderState, index: int, block: Block, consumed: list[Span]) -> None:
    if read_item_sentence(state, index, block, consumed):
        state.context = None
        return
    read_list_item(state, index, block, consumed)


def _read_title(state: ReaderState) -> tuple[str, date]:
    lines = state.document.lines
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
        raise state.error("the title names no month: expected a line such as 'JANUARI 2023' after it", number)
    raise state.error(
        "this is not a Kerncijfers asiel en migratie publication: "
        "its title was not found at the top of the document"
    )
