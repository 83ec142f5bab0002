"""Text a PDF extraction or a typist produces that could be read as another number, or as another
nationality, is refused by `kerncijfers ingest` — one line naming the file, the line and the text,
nothing written — and never guessed. And when a month is published twice, the one published last
is the one the marts show, whatever the order of ingest."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import JANUARY_2023
from tests.warehouse import build_project, revised_january_2023

FIRST = "Het aantal eerste asielaanvragen in januari was circa 2.490."

TRAPS = {
    "a space as thousands separator": (
        FIRST,
        FIRST.replace("2.490", "2 490"),
        ":42: '2 490' has digits split by a space: one number or two?",
    ),
    "a non-breaking space as thousands separator": (
        FIRST,
        FIRST.replace("2.490", "2\u00a0490"),
        ":42: '2 490' has digits split by a space",
    ),
    "a narrow no-break space, the number broken across lines": (
        "circa 390.",
        "circa 10\u202f\n490.",
        ":79: '10 490' has digits split by a space",
    ),
    "a decimal comma in a count": (
        FIRST,
        FIRST.replace("2.490", "2,490"),
        ":42: '2,490' is a count with a decimal comma; counts are whole numbers",
    ),
    "full-width digits": (
        FIRST,
        FIRST.replace("2.490", "２.４９０"),
        ":42: '２' (FULLWIDTH DIGIT TWO) is not a digit 0-9",
    ),
    "Arabic-Indic digits": (
        FIRST,
        FIRST.replace("2.490", "٢٤٩٠"),
        ":42: '٢' (ARABIC-INDIC DIGIT TWO) is not a digit 0-9",
    ),
    "one nationality under two spellings": (
        "o 6% uit Jemen;",
        "o 6% uit SYRIË;",
        "the figure nationality_share (first_applicants, month) SYRIË is given twice (first on line 47 as 'Syrië')",
    ),
    "the same without its accent": (
        "o 6% uit Jemen;",
        "o 6% uit Syrie;",
        "is given twice (first on line 47 as 'Syrië')",
    ),
    "a letter that only looks Latin": (
        "o 26% uit Syrië;",
        "o 26% uit S\u0443rië;",
        "'Sуrië' only looks like a nationality: it holds the Cyrillic letter 'у' (CYRILLIC SMALL LETTER U)",
    ),
}


def _state(project: Path) -> dict[str, str]:
    return {
        str(p.relative_to(project)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(project.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("trap", TRAPS)
def test_a_number_or_label_that_could_be_misread_is_refused(
    trap: str, empty_project: Path, tmp_path: Path
) -> None:
    old, new, message = TRAPS[trap]
    text = JANUARY_2023.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    document = tmp_path / "kerncijfers-2023-01.txt"
    document.write_text(text.replace(old, new), encoding="utf-8")
    before = _state(empty_project)
    result = subprocess.run(
        [sys.executable, "-m", "kerncijfers", "--project-dir", str(empty_project), "ingest", str(document)],
        capture_output=True,
        text=True,
        env={**os.environ},
    )
    assert result.returncode == 1
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"error: {document}:") and message in line, line
    after = _state(empty_project)
    after.pop(".kerncijfers.lock", None)  # the (empty) lock file of the run
    assert after == before


def test_the_publication_published_last_wins_whatever_the_order_of_ingest(tmp_path: Path) -> None:
    """January 2023 republished with IND's revision (2.500 first applications) and nareizigers from
    Syria at 46 %, published on 15 March, is ingested first; the original, published on 14
    February, second."""
    revised = revised_january_2023(tmp_path)
    build = build_project(
        tmp_path / "project",
        [(revised, date(2023, 3, 15)), (JANUARY_2023, date(2023, 2, 14))],
    )
    assert build.returncode == 0, build.output[-3000:]
    assert build.query("select first_applications from marts.fct_asylum_inflow_monthly") == [(2500,)]
    assert build.query(
        "select share_pct from marts.fct_nationality_shares "
        "where nationality_code = 'SYR' and window_type = 'month' and population_code = 'family_reunification'"
    ) == [(46.0,)]
    documents = build.query(
        "select vintage, published_on, is_latest_for_month from marts.dim_source_documents order by vintage"
    )
    assert documents == [(1, date(2023, 3, 15), True), (2, date(2023, 2, 14), False)]
