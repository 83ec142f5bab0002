"""Write `macros/label_key.sql`: the label rule of `core/labels.py` as a dbt macro.

Run again only when `core.labels.FOLDING` changes (its blocks, or a new Python's Unicode data):

    .venv/bin/python tools/write_label_key_macro.py

The macro `label_key` (written by hand) applies the table with `translate()`, which DuckDB and
PostgreSQL both have; this writes the table, the macro `label_folding` at the end of the file: Jinja
strings of `\\uXXXX` escapes, one character and its folding each.
`tests/core/test_labels.py` fails when the committed macro is not what this writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.labels import FOLDING  # noqa: E402 - after the project root is on the path

MACRO = Path(__file__).resolve().parents[1] / "macros" / "label_key.sql"
PER_LINE = 6

# The macro's own text ends with this line; what follows it, the table, is what this writes.
TABLE_START = "{% macro label_folding() -%}\n"


def _escaped(text: str) -> str:
    return "".join(f"\\u{ord(char):04x}" for char in text)


def render(macro: str) -> str:
    """The macro file's text: its hand-written part (up to `label_folding`) as it is, then the
    table."""
    if TABLE_START not in macro:
        raise SystemExit(f"{MACRO} has no line {TABLE_START.strip()!r}: restore it from git")
    entries = [f'"{_escaped(chr(point) + folded)}"' for point, folded in sorted(FOLDING.items())]
    lines = [", ".join(entries[i : i + PER_LINE]) for i in range(0, len(entries), PER_LINE)]
    table = ",\n".join(f"        {line}" for line in lines)
    return (
        macro.split(TABLE_START)[0]
        + TABLE_START
        + "    {{- return([\n"
        + table
        + "\n    ]) -}}\n{%- endmacro %}\n"
    )


def main() -> int:
    MACRO.write_text(render(MACRO.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {MACRO} ({len(FOLDING)} characters)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
