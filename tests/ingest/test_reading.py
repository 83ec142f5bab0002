"""Reading documents: PDFs (with and without a text layer), text in other encodings, and files
that are not publications at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import IngestError
from ingest.figures import extract
from ingest.reading import MAX_DOCUMENT_BYTES, read_document
from tests.conftest import JANUARY_2023, TEST_DOCUMENTS
from tests.pdfs import scanned_pdf, text_pdf


def _without_place(figures):  # the PDF's text has other line numbers than the .txt
    return [
        (
            f.figure_code,
            f.population_code,
            f.window_type,
            f.period_start,
            f.period_end,
            f.subject_label_nl,
            f.value,
            f.is_approximate,
            f.rounding_unit,
        )
        for f in figures
    ]


@pytest.mark.parametrize("source", [JANUARY_2023, TEST_DOCUMENTS / "kerncijfers-2024-03.txt"])
def test_pdf_yields_the_same_figures_as_its_text(source: Path, tmp_path: Path) -> None:
    pdf = read_document(text_pdf(source.read_text(encoding="utf-8"), tmp_path / "doc.pdf"))
    assert pdf.media_type == "application/pdf"
    from_pdf = extract(pdf).figures
    from_text = extract(read_document(source)).figures
    assert _without_place(from_pdf) == _without_place(from_text)
    # Provenance points at the line of the PDF's text where the number stands.
    for figure in from_pdf:
        assert format(figure.value.normalize(), "f").split(".")[0][-2:] in (
            pdf.lines[figure.source_line - 1].replace(".", "")
        )


@pytest.mark.parametrize(
    "encode",
    [
        lambda text: text.encode("utf-8-sig"),
        lambda text: text.encode("latin-1"),
        lambda text: text.replace("\n", "\r\n").encode("utf-8"),
    ],
    ids=["utf8-bom", "latin-1", "crlf"],
)
def test_other_encodings_read_the_same(encode, tmp_path: Path) -> None:
    text = JANUARY_2023.read_text(encoding="utf-8")
    path = tmp_path / "doc.txt"
    path.write_bytes(encode(text))
    document = read_document(path)
    assert document.text == text
    assert len(extract(document).figures) == 39


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.write_bytes(b""), "the file is empty"),
        (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 10), "binary"),
        (lambda p: p.write_bytes(b"%PDF-1.7\n\x00garbage that is no PDF"), "the PDF cannot be read"),
        (lambda p: scanned_pdf(p), "no text layer"),
        (lambda p: p.write_text("  \n\n \n"), "holds no text"),
        (
            lambda p: p.write_text("Boodschappenlijst\n\n3 appels\n50% korting\n"),
            "not a Kerncijfers asiel en migratie publication",
        ),
    ],
    ids=["empty", "binary", "broken-pdf", "scanned-pdf", "blank-text", "not-kerncijfers"],
)
def test_bad_files_are_refused_naming_the_file(make, message: str, tmp_path: Path) -> None:
    path = tmp_path / "input.bin"
    make(path)
    with pytest.raises(IngestError) as caught:
        extract(read_document(path))
    assert message in str(caught.value)
    assert str(path) in str(caught.value)


def test_oversized_file_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        handle.truncate(MAX_DOCUMENT_BYTES + 1)
    with pytest.raises(IngestError, match="a publication is at most"):
        read_document(path)
