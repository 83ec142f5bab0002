"""What the reader refuses in a block, naming the number and its line: a figure is never dropped.

Whatever looks like a figure ("26%", "circa 2.490") and was not consumed by a pattern stops the
document, with its line. Where a sentence or list item cannot be read because a number in it is
misprinted ("2.4900", "7,3,1", "2.49O", "2 490"), the refusal names that number and what is wrong
with it rather than the sentence. A digit that is not 0-9, a number split by a space or an
invisible mark, and a number glued to more are refused before they could be read as another.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from core.errors import IngestError
from ingest.dutch import NUMBER_TOKEN_RE, number_problem
from ingest.figures import patterns as p
from ingest.figures.blocks import Block, sentence_around, sentence_span

Span = tuple[int, int]

# What splits digits: white space, an invisible mark (soft hyphen, zero-width space or joiner, word
# joiner, byte-order mark) or an apostrophe, as in "2'490".
_INVISIBLE = "\u00ad\u200b-\u200d\u2060\ufeff"
_APOSTROPHES = "'’ʼ"
_SPLITTER = rf"[\s{_INVISIBLE}{_APOSTROPHES}]"
# Digits right before or after a number, across what splits digits only.
_DIGITS_BEFORE = re.compile(rf"[0-9]+{_SPLITTER}+$")
_DIGITS_AFTER = re.compile(rf"{_SPLITTER}+[.,]?[0-9]+")
# A thousands group after a dot and a space, after a number of one group ("3. 120").
_GROUP_AFTER_DOT = re.compile(rf"\.{_SPLITTER}+[0-9]{{3}}(?![0-9])")
# A number split in a sentence no pattern read ("circa 2 120 vreemdelingen").
_SPLIT_NUMBER = re.compile(rf"(?<![0-9.,])[0-9]+(?:{_SPLITTER}+[.,]?[0-9]+)+(?![0-9])")
_FIRST_DIGIT = re.compile(r"[0-9]")
_CIRCA_BEFORE = re.compile(r"\bcirca\s+$", re.IGNORECASE)
_PERCENT_AFTER = re.compile(r"\s*%")


def refuse_foreign_digits(source: Path, block: Block) -> None:
    """Digits are 0-9. A full-width or Arabic-Indic digit (a PDF extraction's or a typist's)
    could be read as another number than the one printed: refuse it, naming it."""
    for offset, char in enumerate(block.text):
        if char.isdecimal() and not "0" <= char <= "9":
            raise IngestError(
                source,
                f"'{char}' ({unicodedata.name(char, 'a digit')}) is not a digit 0-9, in "
                f"'{sentence_around(block.text, offset, offset + 1)}'; retype the number with 0-9",
                block.line_at(offset),
            )


def refuse_unread_sentences(source: Path, block: Block, consumed: list[Span]) -> None:
    """A sentence that gives figures whose pattern did not read it ("ongeveer 70 criminele
    vreemdelingen", "circa drieduizend inwilligingen") is refused, naming it, before its
    number could be dropped or taken for another figure's."""
    for what, opening in p.SENTENCE_OPENINGS.items():
        for found in opening.finditer(block.text):
            if not any(start <= found.start() < end for start, end in consumed):
                refuse_misprinted_numbers(source, block, *_figure_span(block, found))
                raise IngestError(
                    source,
                    f"cannot read this {what} sentence: "
                    f"'{sentence_around(block.text, found.start(), found.end())}'; its wording or "
                    "number is not what the parser knows (ingest/figures/patterns.py)",
                    block.line_at(found.start()),
                )


def refuse_leftovers(source: Path, block: Block, consumed: list[Span]) -> None:
    _refuse_misprinted_figures(source, block, consumed)
    for candidate in p.LOOKS_LIKE_FIGURE.finditer(block.text):
        if not any(start <= candidate.start() < end for start, end in consumed):
            refuse_misprinted_numbers(
                source, block, *sentence_span(block.text, candidate.start(), candidate.end())
            )
            sentence = sentence_around(block.text, candidate.start(), candidate.end())
            raise IngestError(
                source,
                f"'{candidate.group(0)}' looks like a figure but stands in a sentence the parser "
                f"does not know: '{sentence}'",
                block.line_at(candidate.start()),
            )


def _refuse_misprinted_figures(source: Path, block: Block, consumed: list[Span]) -> None:
    """A misprinted number where a figure stands — after "circa", before "%" — that no
    pattern read ("circa 2.4900" in a sentence of other words) is refused, naming it: it would
    otherwise leave its figure missing, and the reader to guess why."""
    for token in NUMBER_TOKEN_RE.finditer(block.text):
        if number_problem(token[0]) is None or any(a <= token.start() < b for a, b in consumed):
            continue
        if _CIRCA_BEFORE.search(block.text, 0, token.start()) or _PERCENT_AFTER.match(
            block.text, token.end()
        ):
            raise misprinted(source, block, token)


def refuse_misprinted_numbers(source: Path, block: Block, start: int, end: int) -> None:
    """Where a sentence (block.text[start:end]) cannot be read, a misprinted number in it is
    the likeliest cause: digits split by a space or another mark ("circa 2 120
    vreemdelingen"), or a number that is not Dutch ("2.4900", "7,3,1%", "2.49O") is refused,
    naming it, before the sentence is."""
    for split in _SPLIT_NUMBER.finditer(block.text, start, end):
        raise IngestError(source, _split_message(split[0]), block.line_at(split.start()))
    for token in NUMBER_TOKEN_RE.finditer(block.text, start, end):
        if number_problem(token[0]) is not None:
            raise misprinted(source, block, token)


def _figure_span(block: Block, opening: re.Match[str]) -> Span:
    """From the sentence a figure's opening words stand in to the end of the sentence of the
    first number after them: the permits' sentence names its purpose ("… voor de
    kwalificatie: Asiel Tijdelijk.") a sentence before its number."""
    start, end = sentence_span(block.text, opening.start(), opening.end())
    number = _FIRST_DIGIT.search(block.text, opening.end())
    if number is not None and number.start() >= end:
        end = sentence_span(block.text, number.start(), number.end())[1]
    return start, end


def misprinted(source: Path, block: Block, token: re.Match[str]) -> IngestError:
    return IngestError(
        source,
        f"'{token[0]}' is not a Dutch number: {number_problem(token[0])}; check it against the "
        "publication and correct it in the text",
        block.line_at(token.start()),
    )


def refuse_split_number(source: Path, block: Block, start: int, end: int) -> None:
    """A number whose digits a space splits ("circa 10 490": a space, no-break, thin or narrow
    no-break space as the thousands separator, all a space in a block), or an invisible mark
    or an apostrophe ("2'490"), would be read as its first part alone: refuse it."""
    before = _DIGITS_BEFORE.search(block.text, 0, start)
    after = _DIGITS_AFTER.match(block.text, end)
    if after is None and "." not in block.text[start:end]:
        # "circa 3. 120" (a space after the thousands dot): read as 3 without this.
        after = _GROUP_AFTER_DOT.match(block.text, end)
    if before or after:
        first = before.start() if before else start
        last = after.end() if after else end
        raise IngestError(source, _split_message(block.text[first:last]), block.line_at(start))


def refuse_glued_number(source: Path, block: Block, start: int, end: int) -> None:
    """A number read by a pattern is the whole number as printed: where it is glued to more
    ("2O.490" would be read as 2, "2.490.5"), the number as printed is refused, naming what is
    wrong with it."""
    for token in NUMBER_TOKEN_RE.finditer(block.text, max(0, start - 64), min(len(block.text), end + 64)):
        if token.start() <= start < token.end():
            if token.span() != (start, end) and number_problem(token[0]) is not None:
                raise misprinted(source, block, token)
            return


def _split_message(whole: str) -> str:
    """What is wrong with a number whose digits are split, and what to write instead."""
    joined = re.sub(rf"{_SPLITTER}+(?=[.,])|(?<=[.,]){_SPLITTER}+", "", whole)
    dotted = re.sub(rf"{_SPLITTER}+", ".", joined)
    # The dot is suggested where it makes a Dutch number: '2.490', not '9.90'.
    instead = f"as a dot ('{dotted}')" if number_problem(dotted) is None else "as a dot"
    mark = next((char for char in whole if char in _APOSTROPHES or unicodedata.category(char) == "Cf"), None)
    if mark is None:
        what = "a space"
    elif mark in _APOSTROPHES:
        what = f"an apostrophe ({mark})"
    else:
        what = f"an invisible {unicodedata.name(mark, 'mark')} (U+{ord(mark):04X})"
    shown = "".join(char for char in whole if unicodedata.category(char) != "Cf")
    return (
        f"'{shown}' has digits split by {what}: one number or two? Write a thousands separator "
        f"{instead} or part the numbers with words"
    )
