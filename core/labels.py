"""The one rule by which two printed labels (nationalities, permit purposes) are the same label.

The same nationality reaches a text in several forms — "Syrië", "SYRIË", "Syrie", a full-width
"Ｓｙｒｉë", "Nieuw‐Zeeland" with a typographic hyphen — and a reader takes them for one. The ingest
compares labels by `label_key`, and staging joins the published labels on the reference seeds'
labels by the same key in SQL (`macros/label_key.sql`, the `label_key()` macro). Both apply one
table, `FOLDING`: a character to the one character (or nothing) it folds to.

Why a table and not Unicode's functions: the SQL runs on DuckDB and PostgreSQL, which share
`translate()` but not NFKC, case folding or accent stripping (PostgreSQL has none without the
unaccent extension), and a key computed two ways drifts apart on some letter. The table is derived
from Unicode's rules (compatibility forms, case folding, accents dropped) for the Latin letters,
their accents, punctuation and the full-width forms; `tools/write_label_key_macro.py` writes it into
the macro, and `tests/core/test_labels.py` holds the two to the same cases. A character that folds
to more than one (ß, ĳ, …) or lies outside those blocks is compared as it is.
"""

from __future__ import annotations

import functools
import unicodedata

# The Unicode blocks the table covers: Latin (Basic, Latin-1, Extended-A and -B, Additional), the
# combining accents, the spaces and punctuation of General Punctuation (with the Ogham and
# ideographic spaces), and the full-width forms.
BLOCKS = (
    (0x0000, 0x024F),
    (0x0300, 0x036F),
    (0x1680, 0x1680),
    (0x1E00, 0x1EFF),
    (0x2000, 0x206F),
    (0x3000, 0x3000),
    (0xFF00, 0xFFEF),
)
APOSTROPHES = "’‘`´"  # noqa: RUF001 - the look-alikes a label's apostrophe is printed as
HYPHENS = "-‐–"  # noqa: RUF001 - hyphen-minus, hyphen, en dash: all separate words as a space does


def _folded(char: str) -> str:
    """What one character is, as a reader compares labels: its compatibility form (full-width
    letters), case folded, accents dropped; an apostrophe look-alike is "'", a hyphen or any space
    is " "."""
    if char in APOSTROPHES or char in HYPHENS:  # before NFKC, which makes ´ a space and an accent
        return "'" if char in APOSTROPHES else " "
    folded = unicodedata.normalize("NFKC", char).casefold()
    bare = "".join(c for c in unicodedata.normalize("NFD", folded) if not unicodedata.combining(c))
    return "".join("'" if c in APOSTROPHES else " " if c in HYPHENS or c.isspace() else c for c in bare)


def _folding() -> dict[int, str]:
    table = {}
    for first, last in BLOCKS:
        for point in range(first, last + 1):
            char = chr(point)
            # Unassigned points print nothing; control characters (but the tab) cannot
            # stand in a label, nor in the SQL literal the macro writes.
            category = unicodedata.category(char)
            if category in ("Cn", "Cs") or (category == "Cc" and char != "\t"):
                continue
            folded = _folded(char)
            # translate() maps a character to one or none: a longer folding is left out.
            if folded != char and len(folded) <= 1:
                table[point] = folded
    return table


FOLDING: dict[int, str] = _folding()


@functools.lru_cache(maxsize=4096)  # the same few labels stand in every publication
def label_key(label: str) -> str:
    """The key two labels are compared by: every character folded by `FOLDING`, runs of spaces
    made one, none at either end (the SQL macro `label_key` computes the same)."""
    return " ".join(part for part in label.translate(FOLDING).split(" ") if part)
