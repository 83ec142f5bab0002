"""Finding every figure of a Kerncijfers publication in its text.

The publication is prose: each figure stands in a sentence whose wording is stable from month to
month while the months, numbers and nationalities change. The text comes from a PDF, so sentences
are broken across lines, headings stand after their sections and page furniture (page numbers,
URLs, footnotes) is mixed in. Finding the figures takes three steps:

1. `blocks`: join lines into blocks (paragraphs and list items), remembering where each line
   starts, so that a figure can point back to the line its number stands on;
2. `parser` with `patterns`: read the known sentences, tolerant of line breaks and spelling but
   strict about numbers and months, and attribute list items to the lead-in before them. Each
   pattern is keyed by the family it reads; what a figure is comes from the family's registry
   row. The parser hands each kind of sentence to a module of its own (`single`, `lists`,
   `permits`, `departures`, `funnel`) and refuses what it cannot read (`refusals`);
3. `assembly`: values, rounding (from each "(Bron: …, afgerond op tientallen)" note), and the
   document checked against the registry of figure families (`families`).

A document is refused, naming the line, when a percentage or "circa" number is left that no
pattern understood, when a family required in its month is missing, or when a month disagrees
with the title. A figure is never silently dropped or guessed. The version of the parser a
document was read by (`version`) includes a digest of the registry and the patterns, so that a
new family or sentence re-reads the stored documents.
"""

from __future__ import annotations

from datetime import date

from core.project import PACKAGE_PROJECT, Project
from ingest.figures.assembly import assemble
from ingest.figures.families import FamilyRegistry, load_families
from ingest.figures.model import Figure, Publication
from ingest.figures.parser import read_publication
from ingest.figures.version import PARSER_CODE_VERSION, parser_version
from ingest.reading import Document

__all__ = [
    "PARSER_CODE_VERSION",
    "PARSER_VERSION",
    "Figure",
    "FamilyRegistry",
    "Publication",
    "extract",
    "load_families",
    "parser_version",
]


def __getattr__(name: str) -> str:
    # PARSER_VERSION: the version of this checkout's own registry, read when first asked for, so
    # that importing the package reads no file.
    if name == "PARSER_VERSION":
        return parser_version(load_families(Project(PACKAGE_PROJECT).families_seed))
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def extract(
    document: Document, families: FamilyRegistry | None = None, *, today: date | None = None
) -> Publication:
    """Every figure of a publication, or an IngestError naming the file and line.

    `families` is the registry of the project the document goes into; by default the registry
    of the checkout this package belongs to. A publication about a month that has not ended by
    `today` (by default the machine's date) is refused.
    """
    registry = families if families is not None else load_families(Project(PACKAGE_PROJECT).families_seed)
    return assemble(document.path, read_publication(document, registry), registry, today or date.today())
