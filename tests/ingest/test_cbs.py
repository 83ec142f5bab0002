"""`kerncijfers fetch cbs` against a local HTTP server that serves responses of the real shape of
CBS StatLine's OData API for table 83102NED (tests/fixtures/cbs/: real keys and structure, made-up
small values). The machines that run the tests have no internet, and neither does the build."""

from __future__ import annotations

import hashlib
import json
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kerncijfers.cli import main
from tests.cbs_server import DATA_PATH, SERVED, TABLES, CbsServer, serving, table


@pytest.fixture
def cbs() -> Iterator[CbsServer]:
    with serving() as server:
        yield server


def _state(project: Path) -> dict[str, str]:
    return {
        str(p.relative_to(project)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(project.rglob("*"))
        if p.is_file() and p.name != ".kerncijfers.lock"
    }


def _fetch(project: Path, server: CbsServer, *extra: str) -> list[str]:
    return ["--project-dir", str(project), "fetch", "cbs", "--base-url", server.base_url, *extra]


def test_fetch_stores_every_response_unchanged_and_its_month_rows(
    cbs: CbsServer, empty_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_fetch(empty_project, cbs, "--from", "2022-12")) == 0
    out = capsys.readouterr().out
    assert out.startswith("fetched   cbs-83102NED-")
    # Every month cell the served table gives (not its years, quarters or empty cells).
    served_rows = sum(
        value is not None
        for row in json.loads(table("TypedDataSet")[2])["value"]
        if "MM" in row["Perioden"]
        for key, value in row.items()
        if key.endswith(("_1", "_2", "_3", "_4"))
    )
    assert out.endswith(
        f": {served_rows} rows, months 2022-12 .. 2023-12, from 4 responses (stored in sources/cbs/)\n"
    )
    # The data request asks for both sexes and all ages together, from the month given.
    (data_request,) = [r for r in cbs.requests if "TypedDataSet" in r]
    assert "Geslacht eq 'T001038' and Leeftijd eq '10000' and Perioden ge '2022MM12'" in urllib.parse.unquote(
        data_request
    )
    # Each body unchanged, content-addressed, listed in the manifest.
    stored = sorted((empty_project / "sources" / "cbs").iterdir())
    served = {hashlib.sha256((SERVED / f"{n}.json").read_bytes()).hexdigest() for n in TABLES}
    assert {path.stem for path in stored} == served
    for path in stored:
        assert hashlib.sha256(path.read_bytes()).hexdigest() == path.stem
    rows = (
        (empty_project / "seeds" / "raw" / "raw_cbs_asylum_requests.csv")
        .read_text(encoding="utf-8")
        .splitlines()
    )
    header, *rows = rows
    assert (
        header
        == "fetch_id,reference_month,nationality_key,nationality_title,is_total,measure_code,value,response_sha256"
    )
    january_total = [r.split(",")[5:7] for r in rows if ",2023-01-01,T001059,Totaal,true," in r]
    assert sorted(january_total) == sorted(
        [
            ["total_influx", "3005"],
            ["first_applications", "2500"],
            ["repeat_applications", "115"],
            ["family_reunification_arrivals", "390"],
        ]
    )
    assert not any("2023-01-01" not in r and "JJ" in r for r in rows)  # years and quarters left out
    assert sum(",2023-02-01,N005208," in r for r in rows) == 0  # empty cells are no rows

    # The same answers again: nothing changes.
    before = _state(empty_project)
    assert main(_fetch(empty_project, cbs, "--from", "2022-12")) == 0
    assert capsys.readouterr().out.startswith("unchanged cbs-83102NED-")
    assert _state(empty_project) == before


BAD = {
    "an HTML error page": (
        lambda: (200, "text/html", b"<!DOCTYPE html><html><body>Onderhoud</body></html>"),
        "CBS sent an HTML page, not the table's JSON (an error page?); nothing was stored",
    ),
    "truncated JSON": (
        lambda: (200, "application/json", table("TypedDataSet")[2][:700]),
        "the response is not complete JSON (",
    ),
    "HTTP 500": (
        lambda: (500, "text/plain", b"Internal Server Error"),
        "CBS answered HTTP 500 Internal Server Error; nothing was stored",
    ),
    "rows without a measure": (
        lambda: _page(
            [
                {
                    "Geslacht": "T001038",
                    "Leeftijd": "10000",
                    "Perioden": "2023MM01",
                    "Nationaliteiten": "T001059",
                }
            ]
        ),
        "a row has no TotaalAsielverzoeken_1: the table's shape has changed; nothing was stored",
    ),
    "a row given twice": (
        lambda: _page([_row("2023MM01", 2500), _row("2023MM01", 2505)]),
        "the table gives 2023MM01 for nationality 'T001059' twice; nothing was stored",
    ),
    "a count beyond any month": (
        lambda: _page([_row("2023MM01", 10**20)]),
        "TotaalAsielverzoeken_1 of 2023MM01 is 100000000000000000500, not a count; nothing was stored",
    ),
    "a month that has not ended": (
        lambda: _page([_row("2099MM01", 2500)]),
        "a row is about 2099-01, a month that has not ended; nothing was stored",
    ),
    "a period that is no month": (
        lambda: _page([_row("2023MM13", 2500)]),
        "a row is of the period '2023MM13', no month; nothing was stored",
    ),
    "a next page on another host": (
        lambda: _page([_row("2023MM01", 2500)], next_link="http://example.org/steal"),
        "the response sends the next page elsewhere ('http://example.org/steal'); nothing was stored",
    ),
    "a next page that is a file": (
        lambda: _page([_row("2023MM01", 2500)], next_link="file:///etc/passwd"),
        "the response sends the next page elsewhere ('file:///etc/passwd'); nothing was stored",
    ),
    "not UTF-8": (
        lambda: (200, "application/json", '{"value": [{"Title": "Syri\u00eb"}]}'.encode("latin-1")),
        "the response is not UTF-8 (byte ",
    ),
}


def _row(period: str, first: int) -> dict:
    return {
        "Geslacht": "T001038",
        "Leeftijd": "10000",
        "Nationaliteiten": "T001059",
        "Perioden": period,
        "TotaalAsielverzoeken_1": first + 500,
        "EersteAsielverzoekenPersonen_2": first,
        "VolgendeAsielverzoeken_3": 100,
        "NareizigersPersonen_4": 400,
    }


def _page(rows: list[dict], next_link: str | None = None) -> tuple[int, str, bytes]:
    body = {"value": rows, **({"odata.nextLink": next_link} if next_link else {})}
    return 200, "application/json", json.dumps(body).encode()


@pytest.mark.parametrize("case", BAD)
def test_a_bad_response_stores_nothing_and_says_so_in_one_line(
    case: str, cbs: CbsServer, empty_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answer, message = BAD[case]
    answer_fn: Callable[[], tuple[int, str, bytes]] = answer
    cbs.answers[DATA_PATH] = answer_fn()
    before = _state(empty_project)
    assert main(_fetch(empty_project, cbs)) == 1
    err = capsys.readouterr().err
    (line,) = err.strip().splitlines()
    assert line.startswith(f"error: {cbs.base_url}/83102NED/TypedDataSet?") and message in line, line
    assert _state(empty_project) == before


def test_an_unreachable_service_is_one_line(empty_project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["--project-dir", str(empty_project), "fetch", "cbs", "--base-url", "http://127.0.0.1:9/odata"])
        == 1
    )
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert "cannot reach CBS (" in line and "nothing was stored" in line
    assert not (empty_project / "sources").exists()


def test_rows_of_other_categories_and_regional_totals_are_not_taken_for_the_total(
    cbs: CbsServer, empty_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A server that ignores the filter sends every sex and age; Nationaliteiten also lists
    regional totals ("Totaal Afrika"). Only both sexes and all ages are kept, and only the category
    titled "Totaal" is all nationalities; a page named relative to the table is followed."""
    nationalities = json.loads(table("Nationaliteiten")[2])
    nationalities["value"].append({"Key": "T001100", "Title": "Totaal Afrika", "Description": None})
    cbs.answers["/ODataApi/odata/83102NED/Nationaliteiten"] = (
        200,
        "application/json",
        json.dumps(nationalities).encode(),
    )
    first = _row("2023MM01", 2500)
    women = {**_row("2023MM01", 900), "Geslacht": "4000"}
    africa = {**_row("2023MM01", 700), "Nationaliteiten": "T001100"}
    cbs.answers[DATA_PATH] = _page([first, women], next_link="TypedDataSet?page=2")
    cbs.answers["/ODataApi/odata/83102NED/TypedDataSet?page=2"] = _page([africa])
    assert main(_fetch(empty_project, cbs, "--from", "2023-01")) == 0
    assert ": 8 rows, months 2023-01 .. 2023-01, from 5 responses" in capsys.readouterr().out
    rows = (empty_project / "seeds" / "raw" / "raw_cbs_asylum_requests.csv").read_text(encoding="utf-8")
    totals = [line.split(",")[2:7] for line in rows.splitlines() if ",first_applications," in line]
    assert sorted(totals) == [
        ["T001059", "Totaal", "true", "first_applications", "2500"],
        ["T001100", "Totaal Afrika", "false", "first_applications", "700"],
    ]
