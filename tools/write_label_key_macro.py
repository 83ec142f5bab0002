"""Write `macros/label_key.sql`: the label rule of `core/labels.py` as a dbt macro.

Run again only when `core.labels.FOLDING` changes (its blocks, or a new Python's Unicode data):

    .venv/bin/python tools/write_label_key_macro.py

The macro holds the table as Jinja strings of `\\uXXXX` escapes, one character and its folding
each, and applies it with `translate()`, which DuckDB and PostgreSQL both have.
`tests/core/test_labels.py` fails when the committed macro is not what this writes.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.labels import FOLDING  # noqa: E402 - after the project root is on the path

MACRO = Path(__file__).resolve().parents[1] / "macros" / "label_key.sql"
PER_LINE = 6

HEADER = """\
{#- The key a printed label is matched by: core/labels.py's label_key in SQL, one table applied
    the same way on DuckDB and PostgreSQL. Each string of `label_folding` is a character and what
    it folds to (nothing: the character is dropped, as an accent after its letter). Written by
    tools/write_label_key_macro.py from core.labels.FOLDING; do not edit by hand. -#}

{% macro label_key(expression) -%}
    {%- set table = namespace(folded_from="", folded_to="", dropped="") -%}
    {%- for entry in label_folding() -%}
        {%- if entry | length == 2 -%}
            {%- set table.folded_from = table.folded_from ~ entry[0] -%}
            {%- set table.folded_to = table.folded_to ~ entry[1] -%}
        {%- else -%}
            {%- set table.dropped = table.dropped ~ entry -%}
        {%- endif -%}
    {%- endfor -%}
    {#- translate() drops the characters of its second argument that the third has none for: the
        dropped ones go last. Then runs of spaces become one, and none is left at either end. -#}
    regexp_replace(
        regexp_replace(
            translate(
                {{ expression }},
                '{{ (table.folded_from ~ table.dropped) | replace("'", "''") }}',
                '{{ table.folded_to | replace("'", "''") }}'
            ),
            ' +', ' ', 'g'
        ),
        '^ | $', '', 'g'
    )
{%- endmacro %}

{% macro label_folding() -%}
    {{- return([
"""


def _escaped(text: str) -> str:
    return "".join(f"\\u{ord(char):04x}" for char in text)


def render() -> str:
    """The macro file's text."""
    entries = [f'"{_escaped(chr(point) + folded)}"' for point, folded in sorted(FOLDING.items())]
    lines = [", ".join(entries[i : i + PER_LINE]) for i in range(0, len(entries), PER_LINE)]
    return HEADER + ",\n".join(f"        {line}" for line in lines) + "\n    ]) -}}\n{%- endmacro %}\n"


def main() -> int:
    MACRO.write_text(render(), encoding="utf-8")
    print(f"wrote {MACRO} ({len(FOLDING)} characters)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
