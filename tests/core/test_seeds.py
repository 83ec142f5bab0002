"""The raw seeds as files (core/seeds.py): read strictly, refusing a file of another shape with one
line naming it, and written so that the same rows always give the same bytes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from core.errors import IngestError
from core.seeds import (
    DOCUMENT_COLUMNS,
    FIGURE_COLUMNS,
    LEGACY_FIGURE_COLUMNS,
    cell,
    figure_document_ids,
    read_documents,
    read_figures,
    read_seed,
    render_seed,
)
from tests.conftest import ROOT

SHIPPED_FIGURES = ROOT / "seeds" / "raw" / "raw_published_figures.csv"
SHIPPED_DOCUMENTS = ROOT / "seeds" / "raw" / "raw_source_documents.csv"
JAN = "kerncijfers-2023-01-4f0d79c6a2f3"


def _write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode("utf-8"))
    return path


def test_the_shipped_seeds_read_and_render_back_to_the_same_bytes() -> None:
    """What the ingest wrote, read and written again, is the file byte for byte: an ingest that
    finds nothing new changes no file (and git shows no diff)."""
    figures = read_figures(SHIPPED_FIGURES)
    documents = read_documents(SHIPPED_DOCUMENTS)
    assert len(figures) == 39 and len(documents) == 1
    first = figures[0]
    assert (first["document_id"], first["figure_seq"], first["figure_code"], first["value"]) == (
        JAN,
        "1",
        "first_applications",
        "2490",
    )
    assert render_seed(figures, FIGURE_COLUMNS) == SHIPPED_FIGURES.read_bytes()
    assert render_seed(documents, DOCUMENT_COLUMNS) == SHIPPED_DOCUMENTS.read_bytes()
    assert figure_document_ids(SHIPPED_FIGURES) == {JAN}


def test_rendering_is_the_same_bytes_every_time_with_unix_line_ends_and_quoting(tmp_path: Path) -> None:
    row = dict.fromkeys(DOCUMENT_COLUMNS, "")
    row |= {
        "document_id": "kerncijfers-2023-02-0123456789ab",
        "title": 'Kerncijfers, "herzien"',  # a comma and quotes: quoted, quotes doubled
        "publisher": "Ministerie van Justitie en Veiligheid",
        "vintage": "2",
    }
    rendered = render_seed([row], DOCUMENT_COLUMNS)
    assert rendered == render_seed([dict(row)], DOCUMENT_COLUMNS)
    assert b"\r" not in rendered and rendered.endswith(b"\n") and rendered.count(b"\n") == 2
    assert rendered.split(b"\n")[1] == (
        b'kerncijfers-2023-02-0123456789ab,,2,"Kerncijfers, ""herzien""",'
        b"Ministerie van Justitie en Veiligheid,,,,,,,,"
    )
    # A title with a letter outside ASCII is written as UTF-8 and read back unchanged.
    row["title"] = "Kerncijfers asiel en migratie — februari"
    path = tmp_path / "raw_source_documents.csv"
    path.write_bytes(render_seed([row], DOCUMENT_COLUMNS))
    assert read_documents(path) == [row]


def test_columns_in_another_order_are_refused_naming_the_file_and_line_one(tmp_path: Path) -> None:
    columns = list(DOCUMENT_COLUMNS)
    columns[1], columns[2] = columns[2], columns[1]
    path = _write(tmp_path / "raw_source_documents.csv", ",".join(columns) + "\n")
    with pytest.raises(IngestError) as refused:
        read_documents(path)
    assert str(refused.value) == (
        f"{path}:1: unexpected columns {columns}; expected {list(DOCUMENT_COLUMNS)}. "
        "Restore the file from git before ingesting"
    )


def test_a_row_with_a_missing_field_is_refused_at_its_line(tmp_path: Path) -> None:
    lines = SHIPPED_FIGURES.read_text(encoding="utf-8").split("\n")
    lines[3] = lines[3].rsplit(",", 1)[0]  # the figure of line 4 loses its last field
    path = _write(tmp_path / "raw_published_figures.csv", "\n".join(lines))
    with pytest.raises(IngestError) as refused:
        read_figures(path)
    assert str(refused.value) == f"{path}:4: a row has the wrong number of fields"


def test_a_seed_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "raw_source_documents.csv"
    path.write_bytes(",".join(DOCUMENT_COLUMNS).encode() + b"\nkerncijfers-x,2023-01-01,1,Overzicht \xe9\n")
    with pytest.raises(IngestError) as refused:
        read_documents(path)
    assert str(refused.value) == f"{path}: the seed is not UTF-8 text; restore it from git"


def test_an_absent_seed_has_no_rows_and_the_legacy_figures_shape_is_read_as_empty(tmp_path: Path) -> None:
    assert read_figures(tmp_path / "absent.csv") == []
    assert figure_document_ids(tmp_path / "absent.csv") == set()
    # Parser 1.x's figures (a Dutch population label, not the code) are parsed again from the
    # documents: read as no rows, not refused. The manifest has no legacy shape.
    legacy = _write(tmp_path / "legacy.csv", ",".join(LEGACY_FIGURE_COLUMNS) + "\n" + "x," * 15 + "x\n")
    assert read_figures(legacy) == []
    assert figure_document_ids(legacy) == set()
    with pytest.raises(IngestError, match="unexpected columns"):
        read_seed(legacy, FIGURE_COLUMNS)


def test_cells_are_written_plain() -> None:
    assert [cell(Decimal("2490")), cell(Decimal("2.49E+3")), cell(Decimal("9.50")), cell(Decimal("100"))] == [
        "2490",
        "2490",
        "9.5",
        "100",
    ]
    assert [cell(True), cell(False), cell(None), cell(date(2022, 2, 1)), cell(12)] == [
        "true",
        "false",
        "",
        "2022-02-01",
        "12",
    ]
