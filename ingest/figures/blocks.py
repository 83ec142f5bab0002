"""The text of a publication as blocks: paragraphs and list items, with their line numbers.

Text extracted from a PDF breaks sentences across lines and hyphenates words at line ends. The
block reader joins lines into paragraphs (ending at a blank line) and list items (each a block of
its own), and remembers where each line starts, so that a figure found anywhere in a block can
point back to the line its number stands on.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

_BULLET_RE = re.compile(r"^\s*(?:o|•|·|-|–|\*)\s+(?=\S)")
_CONNECTIVE_END_RE = re.compile(r"(?:-|\b(?:en|van|de|het|tot|een|uit|in|op|aan|met))$", re.I)
_SENTENCE_END = re.compile(r"[.;?!:](?=\s|$)")

# A figure's source text is the sentence it stands in, clipped to this many characters around the
# number (with "…" where it was cut): a run-on sentence, or a PDF extraction that lost every full
# stop, must not put a page of text in every figure's row — the seeds' cells stay small enough
# for any CSV reader (Python's refuses fields over 131,072 characters).
SOURCE_TEXT_CHARS = 300


@dataclass
class Block:
    """Consecutive lines joined into one string, with the offset at which each line starts."""

    is_bullet: bool
    text: str = ""
    starts: list[int] = field(default_factory=list)
    line_numbers: list[int] = field(default_factory=list)

    def add(self, line_number: int, line: str) -> None:
        line = " ".join(line.split())
        # A word hyphenated at the end of a line ("na-" / "reizigers") is joined without a space.
        hyphenated = self.text.endswith("-") and line[:1].islower()
        if self.text and not hyphenated:
            self.text += " "
        self.starts.append(len(self.text))
        self.line_numbers.append(line_number)
        self.text += line

    def line_at(self, offset: int) -> int:
        return self.line_numbers[bisect.bisect_right(self.starts, offset) - 1]

    @property
    def first_line(self) -> int:
        return self.line_numbers[0]


def read_blocks(lines: list[str]) -> list[Block]:
    """Paragraphs end at a blank line; every list item is a block of its own."""
    blocks: list[Block] = []
    current: Block | None = None
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            current = None
            continue
        bullet = _BULLET_RE.match(line)
        if bullet:
            current = Block(is_bullet=True)
            blocks.append(current)
            current.add(number, line[bullet.end() :])
            continue
        if current is not None and current.is_bullet and not _continues_item(current.text, line):
            current = None
        if current is None:
            current = Block(is_bullet=False)
            blocks.append(current)
        current.add(number, line)
    return blocks


def _continues_item(item: str, next_line: str) -> bool:
    """Whether a line after a list item belongs to it (the item was broken across lines)."""
    if item.endswith((";", ".", ":")):
        return False
    return next_line[:1].islower() or bool(_CONNECTIVE_END_RE.search(item))


def sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Where the sentence around text[start:end] starts and ends: from the previous sentence end
    to the next, without the white space around it."""
    left = 0
    for boundary in _SENTENCE_END.finditer(text, 0, start):
        left = boundary.end()
    right_match = _SENTENCE_END.search(text, end)
    right = right_match.end() if right_match else len(text)
    while left < start and text[left].isspace():
        left += 1
    while right > end and text[right - 1].isspace():
        right -= 1
    return left, right


def sentence_around(text: str, start: int, end: int, limit: int = SOURCE_TEXT_CHARS) -> str:
    """The sentence around text[start:end] (`sentence_span`), clipped to `limit` characters
    centred on text[start:end]."""
    left, right = sentence_span(text, start, end)
    if right - left <= limit:
        return text[left:right]
    margin = max(0, (limit - (end - start)) // 2)
    clipped_left, clipped_right = max(left, start - margin), min(right, end + margin)
    head = "…" if clipped_left > left else ""
    tail = "…" if clipped_right < right else ""
    return f"{head}{text[clipped_left:clipped_right].strip()}{tail}"


def last_sentence(text: str, limit: int = SOURCE_TEXT_CHARS // 2) -> str:
    """The last sentence of a paragraph (a list's lead-in, which ends with a colon), clipped to
    its last `limit` characters."""
    body = text[:-1] if text.endswith(":") else text
    boundaries = [m.end() for m in _SENTENCE_END.finditer(body)]
    sentence = text[boundaries[-1] if boundaries else 0 :].strip()
    return sentence if len(sentence) <= limit else "…" + sentence[-(limit - 1) :].lstrip()


def clipped(text: str, limit: int = SOURCE_TEXT_CHARS // 2) -> str:
    """The start of `text`, at most `limit` characters, with "…" where it was cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
