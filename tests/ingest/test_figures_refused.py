"""Documents the parser must refuse, each with the file and the line where the problem is."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import IngestError
from ingest.figures import extract
from ingest.reading import read_document
from tests.conftest import JANUARY_2023


def _edited(tmp_path: Path, edit) -> Path:
    lines = JANUARY_2023.read_text(encoding="utf-8").split("\n")
    path = tmp_path / "edited.txt"
    path.write_text("\n".join(edit(lines)), encoding="utf-8")
    return path


def _replace(line_number: int, text: str):
    def edit(lines: list[str]) -> list[str]:
        lines[line_number - 1] = text
        return lines

    return edit


@pytest.mark.parametrize(
    ("edit", "line", "message"),
    [
        (_replace(48, "o zeven procent uit Turkije;"), 48, "cannot read this list item"),
        (_replace(48, "o 7% uit 12 landen;"), 48, "cannot read this list item"),
        (_replace(48, "o 7% uit het land waar de zon altijd schijnt;"), 48, "does not read as a nationality"),
        (
            _replace(44, "In december 2022 kwam van de asielzoekers die voor het eerst een "),
            44,
            "speaks of december 2022",
        ),
        (
            _replace(58, "De afgelopen twaalf maanden (maart 2022 t/m januari 2023) kwam "),
            58,
            "is 11 months, not twelve",
        ),
        (
            _replace(147, "In 2022 zijn circa 2.120 vreemdelingen die niet in Nederland mochten "),
            147,
            "year-to-date figure is for 2022",
        ),
        (
            _replace(135, "Familie & Gezin. Tot nu toe is het aantal circa 3.770 inwilligingen. "),
            134,
            "cannot read this permits sentence: 'De meeste procedures die ingewilligd worden",
        ),
        (_replace(62, "o 8% uit Syrië;"), 62, "given twice (first on line 61)"),
        (
            _replace(89, "Ongeveer 40% van alle asielzoekers is jonger dan 18."),
            89,
            "'40%' looks like a figure",
        ),
        (
            _replace(96, "periode februari 2022 t/m januari 2023 is beslist, is 165%. Van de "),
            96,
            "165% is not a percentage",
        ),
    ],
    ids=[
        "words-for-number",
        "number-as-label",
        "prose-as-label",
        "other-month",
        "eleven-months",
        "other-year",
        "reworded-sentence",
        "duplicate",
        "unknown-percentage",
        "over-100",
    ],
)
def test_refused_with_line(tmp_path: Path, edit, line: int, message: str) -> None:
    path = _edited(tmp_path, edit)
    with pytest.raises(IngestError) as caught:
        extract(read_document(path))
    assert message in caught.value.detail
    assert caught.value.line == line
    assert str(caught.value).startswith(f"{path}:{line}: ")


def test_missing_family_is_named(tmp_path: Path) -> None:
    path = _edited(tmp_path, lambda lines: lines[:184])  # the Dublin section is cut off
    with pytest.raises(IngestError) as caught:
        extract(read_document(path))
    assert (
        "no figure found for: Share rejected under Dublin, as published (dublin_share)" in caught.value.detail
    )
    assert "rejected under Dublin" in caught.value.detail


def test_list_item_without_lead_in_is_refused(tmp_path: Path) -> None:
    path = _edited(tmp_path, lambda lines: lines[:43] + ["", "Zomaar een zin."] + lines[45:])
    with pytest.raises(IngestError) as caught:
        extract(read_document(path))
    assert "no lead-in sentence" in caught.value.detail
    assert caught.value.line == 47
