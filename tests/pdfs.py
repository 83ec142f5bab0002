"""PDF test documents made from text, with fpdf2: one with a text layer, one without (a 'scan')."""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF


def text_pdf(text: str, path: Path) -> Path:
    """A PDF whose text layer holds the given lines, one PDF line per text line."""
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font("Helvetica", size=9)
    for line in text.split("\n"):
        pdf.cell(0, 4.5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def scanned_pdf(path: Path) -> Path:
    """A PDF with a page of drawing and no text layer, like a scan."""
    pdf = FPDF(format="A4")
    pdf.add_page()
    pdf.rect(20, 20, 120, 60, style="F")
    pdf.output(str(path))
    return path
