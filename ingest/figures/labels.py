"""Labels as a document prints them (nationalities, permit purposes): a letter that only looks Latin.

The same nationality can reach the text in several forms — "Syrië", "SYRIË", "Syrie", a
full-width "Ｓｙｒｉë" — and a label can hold a letter that only looks Latin (a Cyrillic "у" in
"Sуrië"), which no code list would match and no reader would notice. The seeds keep a label
exactly as printed. When two labels are the same is `core.labels.label_key`, the one rule the
ingest, the build's preflight and the models' joins share; this module says when a label is not
what it looks like.
"""

from __future__ import annotations

import unicodedata


def foreign_letter(label: str) -> str | None:
    """The first letter of a label that is not a Latin letter (once compatibility forms are
    folded), described: "the Cyrillic letter 'у' (CYRILLIC SMALL LETTER U)"; None if all are."""
    for char in unicodedata.normalize("NFKC", label):
        if char.isalpha():
            name = unicodedata.name(char, "")
            if not name.startswith("LATIN "):
                script = name.split(" ")[0].capitalize() if name else "unknown"
                return f"the {script} letter '{char}' ({name or 'unnamed'})"
    return None
