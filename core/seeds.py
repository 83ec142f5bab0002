"""The raw seeds as files: their columns, reading them strictly and writing them reproducibly.

`seeds/raw/raw_source_documents.csv` is the manifest (one row per stored document) and
`seeds/raw/raw_published_figures.csv` holds every figure (one row per document and figure).
Reading refuses a file of another shape, naming it, rather than guessing; writing always gives the
same bytes for the same rows (`\\n` line ends, UTF-8), so an unchanged ingest changes no file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path

from core.errors import IngestError

DOCUMENT_COLUMNS = (
    "document_id",
    "reference_month",
    "vintage",
    "title",
    "publisher",
    "source_url",
    "published_on",
    "sha256",
    "size_bytes",
    "media_type",
    "stored_path",
    "parser_version",
    "ingested_at",
)
FIGURE_COLUMNS = (
    "document_id",
    "figure_seq",
    "figure_code",
    "population_code",
    "window_type",
    "period_start",
    "period_end",
    "subject_type",
    "subject_label_nl",
    "value",
    "unit",
    "is_approximate",
    "rounding_unit",
    "rounding_basis",
    "source_line",
    "source_text",
)
# Parser 1.x wrote a Dutch population label of its own instead of the code. Figures are always
# derived from the stored documents, so a seed of that shape is read as empty and every document
# is parsed again (the next `ingest` or `build` does it, in one transaction).
LEGACY_FIGURE_COLUMNS = tuple("population_label_nl" if c == "population_code" else c for c in FIGURE_COLUMNS)

Row = dict[str, str]


def read_seed(path: Path, columns: Sequence[str], *, legacy: Sequence[str] | None = None) -> list[Row]:
    """The rows of a raw seed, refusing a file whose columns are not the expected ones.

    A file with the `legacy` columns is read as having no rows (its content is regenerated).
    """
    if not path.exists():
        return []
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise IngestError(path, "the seed is not UTF-8 text; restore it from git") from None
    # The ingest writes no cell over 2,000 characters (ingest/stored.py); a seed written by an
    # older version, or edited, may hold longer ones: read them (and let the checks say what is
    # wrong) rather than fail in the csv module.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    # csv.reader and zip rather than csv.DictReader: the figures of 1,200 publications are read
    # in a third of the time.
    reader = csv.reader(io.StringIO(text, newline=""))
    found = tuple(next(reader, ()))
    if legacy is not None and found == tuple(legacy):
        return []
    if found != tuple(columns):
        raise IngestError(
            path,
            f"unexpected columns {list(found)}; expected {list(columns)}. Restore the file from git before ingesting",
            1,
        )
    width = len(columns)
    rows = []
    for values in reader:
        if len(values) != width:
            raise IngestError(path, "a row has the wrong number of fields", reader.line_num)
        rows.append(dict(zip(columns, values, strict=True)))
    return rows


def read_documents(path: Path) -> list[Row]:
    return read_seed(path, DOCUMENT_COLUMNS)


def read_figures(path: Path) -> list[Row]:
    return read_seed(path, FIGURE_COLUMNS, legacy=LEGACY_FIGURE_COLUMNS)


def figure_document_ids(path: Path) -> set[str]:
    """The documents the figures seed has figures of: a quick look, without reading every field
    into a dictionary (a build's first question, with thousands of figures)."""
    if not path.exists():
        return set()
    csv.field_size_limit(max(csv.field_size_limit(), path.stat().st_size + 1))
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = tuple(next(reader, ()))
        if header != FIGURE_COLUMNS:
            return set()  # read_figures says what is wrong with it, or that it is of the old shape
        return {row[0] for row in reader if row}


def render_seed(rows: Sequence[Row], columns: Sequence[str]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([row[column] for column in columns] for row in rows)
    return buffer.getvalue().encode("utf-8")


def cell(value: object) -> str:
    """A value as the seeds write it: plain numbers without trailing zeros, ISO dates, true/false."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        # Plain notation without trailing zeros: 2490, 9.5.
        return format(value.normalize(), "f")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
