"""`kerncijfers report`: one self-contained HTML page of charts, opened in headless Chromium.

The one-month page is the report of the bundled January 2023 publication (`built_project`); the
page over time is the report of `history` (six months and a revision). Chromium runs as a plain
subprocess: `--dump-dom` for what the page holds (with a script added where a test measures the
layout), `--screenshot` for what it shows (each chart cut out of one screenshot of the page, two
through `report.html#<chart id>`, the single-chart view), `--print-to-pdf` for paper.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest
from PIL import Image

from kerncijfers.checks import load_suites
from kerncijfers.checks.results import read_results
from kerncijfers.report import draft, read_warehouse, render
from kerncijfers.report.charts import INK, PALETTE, Picture
from kerncijfers.report.data import Warehouse
from kerncijfers.report.lines import Point, Series, line_chart
from tests.chromium import dump_dom, measure, run_chromium, screenshot
from tests.conftest import GX_DIR
from tests.warehouse import Build

# One worker of a parallel run builds `history` for all the modules that read it.
pytestmark = pytest.mark.xdist_group("history")

JANUARY_2023 = "Kerncijfers asiel en migratie januari 2023 (kerncijfers-2023-01-4f0d79c6a2f3)"
LATEST_MONTH_CHARTS = {
    "chart-nationality-applicants-month": "First asylum applicants by nationality, January 2023",
    "chart-nationality-nareizigers-month": "Nareizigers by nationality, January 2023",
    "chart-dublin-funnel": "Dublin funnel: first asylum applications handled, rejected and rejected "
    "under Dublin, January 2023",
    "chart-departures": "Departures in 2023 up to January: under supervision or on their own",
    "chart-permits": "Regular residence permits granted in 2023 up to January, by purpose",
    "chart-grant-rates": "Grant rate of first asylum applications, decisions in the past twelve "
    "months (Feb 2022 – Jan 2023)",
    "chart-nationality-applicants-12m": "First asylum applicants by nationality, past twelve months "
    "(Feb 2022 – Jan 2023)",
    "chart-nationality-nareizigers-12m": "Nareizigers by nationality, past twelve months "
    "(Feb 2022 – Jan 2023)",
}
TREND_CHARTS = {
    "chart-trend-first-applications": "First asylum applications per month",
    "chart-trend-nareizigers": "Nareizigers arrived per month",
    "chart-trend-dublin-share": "Dublin rejection share per month: share of handled first applications "
    "rejected under Dublin",
    "chart-trend-departures": "Departures per month: aliens who had to leave",
    "chart-trend-departures-criminal": "Departures per month: criminal aliens",
    "chart-trend-permits": "Regular residence permits granted per month, by purpose",
    "chart-trend-grant-rate": "Grant rate of first asylum applications over the past twelve months, by month",
}


# ---------------------------------------------------------------------------------------------
# Pixels and the DOM


def colours(image: Image.Image) -> list[tuple[int, tuple[int, int, int]]]:
    """(pixel count, RGB) of every colour of the image."""
    return [
        (n, (rgb[0], rgb[1], rgb[2]))
        for n, rgb in image.getcolors(maxcolors=image.width * image.height) or []
        if isinstance(rgb, tuple)
    ]


def palette_pixels(image: Image.Image) -> int:
    """Pixels in one of the chart colours: bars, lines and markers, not text, grid or badges."""
    targets = [[int(colour[i : i + 2], 16) for i in (1, 3, 5)] for colour in PALETTE]
    return sum(
        n
        for n, rgb in colours(image)
        if any(sum(abs(c - t) for c, t in zip(rgb, target, strict=True)) <= 24 for target in targets)
    )


def drawn_pixels(image: Image.Image) -> int:
    """Pixels that are neither the page's background nor a chart's white."""
    background = {(255, 255, 255), (246, 248, 250)}
    return sum(n for n, rgb in colours(image) if rgb not in background)


@dataclass
class Figure:
    chart_id: str
    title: str = ""  # the <h3>
    svg_titles: list[str] = field(default_factory=list)  # the SVGs' own <title>s
    caption: str = ""
    text: list[str] = field(default_factory=list)  # everything, tooltips included


class FigureParser(HTMLParser):
    """The charts of a page: each <figure class="chart"> and its text, by where it stands."""

    def __init__(self) -> None:
        super().__init__()
        self.figures: dict[str, Figure] = {}
        self.open: list[str] = []
        self.current: Figure | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "figure" and "chart" in (attributes.get("class") or "").split():
            chart_id = attributes.get("id") or ""
            self.current = self.figures.setdefault(chart_id, Figure(chart_id))
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        while self.open and self.open.pop() != tag:
            pass  # an element the HTML left open (a void element) closes with its parent
        if tag == "figure":
            self.current = None

    def handle_data(self, data: str) -> None:
        if self.current is None:
            return
        self.current.text.append(data)
        if "h3" in self.open:
            self.current.title += data
        elif "figcaption" in self.open:
            self.current.caption += data
        elif self.open[-2:] == ["svg", "title"]:
            self.current.svg_titles.append(data)


def figures(dom: str) -> dict[str, Figure]:
    parser = FigureParser()
    parser.feed(dom)
    return parser.figures


def texts(charts: dict[str, Figure]) -> dict[str, str]:
    return {chart_id: " ".join(chart.text) for chart_id, chart in charts.items()}


def write_report(project: Path, warehouse: Path, output: Path) -> subprocess.CompletedProcess[str]:
    """`kerncijfers report --output OUTPUT` on the given warehouse, every chart's specification
    validated against the Vega-Lite schema (which a report skips, for speed)."""
    command = [
        sys.executable,
        "-m",
        "kerncijfers",
        "--project-dir",
        str(project),
        "report",
        "--output",
        str(output),
    ]
    return subprocess.run(
        command,
        env={**os.environ, "KERNCIJFERS_WAREHOUSE": str(warehouse), "KERNCIJFERS_VALIDATE_CHARTS": "1"},
        capture_output=True,
        text=True,
        check=False,
    )


# ---------------------------------------------------------------------------------------------
# Each page is written once by the command and its DOM read once by Chromium


@pytest.fixture(scope="module")
def one_month(built_project: tuple[Path, Path, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    project, warehouse, _ = built_project
    output = tmp_path_factory.mktemp("report") / "report.html"
    result = write_report(project, warehouse, output)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"{output}\n"
    return output


@pytest.fixture(scope="module")
def over_time(history: Build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    output = tmp_path_factory.mktemp("report-history") / "report.html"
    result = write_report(history.project, history.warehouse, output)
    assert result.returncode == 0, result.stderr
    return output


@pytest.fixture(scope="module")
def one_month_charts(one_month: Path) -> dict[str, Figure]:
    return figures(dump_dom(one_month))


@pytest.fixture(scope="module")
def over_time_charts(over_time: Path) -> dict[str, Figure]:
    return figures(dump_dom(over_time))


# ---------------------------------------------------------------------------------------------
# The page as written


def test_the_page_needs_nothing_from_outside(one_month: Path, over_time: Path) -> None:
    for page in (one_month, over_time):
        text = page.read_text(encoding="utf-8")
        assert "<svg" in text and "<style>" in text
        # No script, stylesheet, image, font or frame: the only URL is the SVG namespace.
        assert not re.search(r"<(script|link|img|iframe|object|embed)\b", text, re.I)
        assert re.findall(r"\b(?:src|href)\s*=", text, re.I) == []
        # No URL in any tag but the SVG namespace; URLs in the text (the IND pages behind the
        # second sources) are there to read, never fetched.
        tags = " ".join(re.findall(r"<[^>]*>", text))
        assert set(re.findall(r"https?://[^\s\"'<>)]+", tags)) <= {"http://www.w3.org/2000/svg"}
        assert "url(" not in text and "@import" not in text and "@font-face" not in text


def test_every_text_is_escaped(built_project: tuple[Path, Path, str]) -> None:
    _, warehouse_file, _ = built_project
    warehouse = read_warehouse(warehouse_file)
    hostile = '<script>alert("x")</script> & <marquee>'
    warehouse.sources = {key: replace(value, title=hostile) for key, value in warehouse.sources.items()}
    for row in warehouse.tables["shares"]:
        row["nationality_label_nl"] = hostile
    page = render(warehouse)
    assert "<script" not in page and "<marquee" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;marquee&gt;" in page


def test_the_page_names_the_published_release(built_project: tuple[Path, Path, str], one_month: Path) -> None:
    """The release the page shows is the one `warehouse/export` points at: its stamp (the export
    folder's name) and the time it was published, with the documents it holds."""
    _, warehouse, _ = built_project
    stamp = Path(os.readlink(warehouse.parent / "export")).name
    published = datetime.strptime(stamp, "%Y%m%dT%H%M%S%fZ").strftime("%Y-%m-%d %H:%M")
    text = re.sub(r"<[^>]+>", "", one_month.read_text(encoding="utf-8"))
    assert (
        f"Release {stamp}, published {published} UTC, holding 1 publication (listed under Sources)." in text
    )


def test_a_draft_is_drawn_before_the_checks_are_known(built_project: tuple[Path, Path, str]) -> None:
    """A build draws the page (`draft`) while its audit runs and formats it (`html`) with the
    audit's results: the same charts, with or without them."""
    _, warehouse, _ = built_project
    released_at = datetime(2026, 12, 3, 8, 8, 21, 121356, tzinfo=UTC)
    page = draft(warehouse, release="20261203T080821121356Z", released_at=released_at)
    unchecked = page.html(None)
    checked = page.html(read_results(warehouse.parent / "export"))
    assert (
        'Release <code>20261203T080821121356Z</code>, published <time datetime="2026-12-03T08:08:21.121356+00:00">'
        "2026-12-03 08:08 UTC</time>" in checked
    )
    assert "This release has no record of its checks" in unchecked
    assert "16 checks, 0 critical finding(s), 2 warning(s)" in checked
    charts = [re.findall(r"<svg\b.*?</svg>", text, re.S) for text in (unchecked, checked)]
    assert len(charts[0]) == 2 * len(LATEST_MONTH_CHARTS) and charts[0] == charts[1]
    # A release whose time is not known is named without one; a page of no release names none.
    assert "Release <code>r1</code>, holding 1 publication" in draft(warehouse, release="r1").html(None)
    assert "Release <code>" not in draft(warehouse).html(None)


def test_a_missing_warehouse_is_one_line_naming_it(
    built_project: tuple[Path, Path, str], tmp_path: Path
) -> None:
    project, _, _ = built_project
    missing = tmp_path / "nowhere.duckdb"
    result = write_report(project, missing, tmp_path / "report.html")
    assert result.returncode == 1
    assert result.stderr == (
        f"error: {missing}: no warehouse here: run `make build` (or `kerncijfers build`) first\n"
    )
    assert not (tmp_path / "report.html").exists()


# ---------------------------------------------------------------------------------------------
# The pages in the browser


def test_the_one_month_page_shows_january_2023(one_month: Path, one_month_charts: dict[str, Figure]) -> None:
    charts = one_month_charts
    assert {chart_id: chart.title for chart_id, chart in charts.items()} == LATEST_MONTH_CHARTS
    for chart in charts.values():
        assert chart.svg_titles == [chart.title, chart.title]  # drawn wide, and for a phone
        assert f"Source: {JANUARY_2023}." in chart.caption, chart.chart_id
    text = texts(charts)
    expected = {
        # Shares as published, with the estimated count and the bounds the rounding allows.
        "chart-nationality-applicants-month": [
            "Syria (Syrië) 26%: estimated 647 people, between 634–661",
            "26% · est. 647 [634–661]",
            "Algeria (Algerije) 6%",
            "Somalia (Somalië) 6%",
        ],
        "chart-nationality-nareizigers-month": [
            "Other nationalities (Overige nationaliteit) 28%: estimated 109 people, between 106–112"
        ],
        "chart-dublin-funnel": [
            "Handled: ≈2,180",
            "Rejected: ≈990 (45.4% of handled)",
            "Rejected under Dublin: ≈660 (30.3% of handled, 66.7% of rejected)",
            "published ≈30%, computed from the counts 30.3% (30.0%–30.6% given the rounding",
        ],
        "chart-departures": [
            "Aliens who had to leave — ≈2,120 departed",
            "≈73%",
            "≈27%",
            "Criminal aliens — ≈70 departed",
            "under supervision est. 1,548 [1,534–1,561]",
        ],
        "chart-permits": ["Family (Familie & Gezin): ≈3,770", "≈2,360", "Study (Studie): ≈320"],
        "chart-grant-rates": ["All nationalities 65%", "Afghanistan 92%", "Syria (Syrië) 85%"],
        "chart-nationality-applicants-12m": ["Syria (Syrië) 35%", "Afghanistan 7%"],
        "chart-nationality-nareizigers-12m": [
            "Syria (Syrië) 65%",
            "Other nationalities (Overige nationaliteit) 5%",
        ],
    }
    for chart_id, values in expected.items():
        for value in values:
            assert value in text[chart_id], (chart_id, value)
    # Approximate where the publication says "circa" / "afgerond op tientallen", exact elsewhere.
    for chart_id in (
        "chart-dublin-funnel",
        "chart-departures",
        "chart-permits",
        "chart-nationality-applicants-month",
    ):
        assert "≈ circa · afgerond op tientallen" in charts[chart_id].caption, chart_id
    assert "As published (not approximate)" in charts["chart-grant-rates"].caption
    assert "exact" not in charts["chart-grant-rates"].caption.lower()
    assert "circa" not in charts["chart-grant-rates"].caption

    image = screenshot(one_month.as_uri(), one_month.parent / "page.png", (1280, 2400))
    assert drawn_pixels(image) > 0.1 * image.width * image.height
    assert palette_pixels(image) > 20_000


# Where each chart's picture is on the page, in page pixels, and how tall the page is.
RECTS = (
    "<script>window.addEventListener('load', () => { const rects = {}; "
    "for (const f of document.querySelectorAll('figure.chart')) { "
    "const r = f.querySelector('.wide svg').getBoundingClientRect(); "
    "rects[f.id] = [r.left, r.top + scrollY, r.right, r.bottom + scrollY].map(Math.round); } "
    "document.body.dataset.rects = JSON.stringify(rects); "
    "document.body.dataset.height = document.documentElement.scrollHeight; });</script>"
)


def test_every_chart_renders_and_each_can_be_shown_alone(
    over_time: Path, over_time_charts: dict[str, Figure]
) -> None:
    assert set(over_time_charts) == set(LATEST_MONTH_CHARTS) | set(TREND_CHARTS)
    found = measure(over_time, RECTS, ("rects", "height"))
    rects: dict[str, list[int]] = json.loads(found["rects"])
    assert set(rects) == set(over_time_charts)
    alone = ("chart-dublin-funnel", "chart-trend-permits")

    def shoot(target: str) -> Image.Image:
        if target == "page":
            return screenshot(over_time.as_uri(), over_time.parent / "page.png", (1280, int(found["height"])))
        return screenshot(f"{over_time.as_uri()}#{target}", over_time.parent / f"{target}.png", (800, 900))

    with ThreadPoolExecutor(max_workers=2) as pool:  # one browser per core
        page, *shots = pool.map(shoot, ["page", *alone])
    for chart_id, (left, top, right, bottom) in rects.items():
        # Not blank: its axes, labels and marks (6,900 to 35,500 pixels seen) ...
        drawn = drawn_pixels(page.crop((left, top, right, bottom)))
        assert drawn > 5_000, (chart_id, drawn)
        # ... and below the legend (the top 40 px), bars, lines or points in the chart colours
        # (169 to 27,000 seen: a few months of a line; a chart without marks has none).
        coloured = palette_pixels(page.crop((left, top + 40, right, bottom)))
        assert coloured > 120, (chart_id, coloured)
    # The single-chart view shows that chart, not the page: one chart's worth of drawing, and a
    # different one for each.
    for chart_id, shot in zip(alone, shots, strict=True):
        assert 15_000 < drawn_pixels(shot) < drawn_pixels(page) / 4, chart_id
        assert palette_pixels(shot) > 250, chart_id
    assert shots[0].tobytes() != shots[1].tobytes()


def test_the_page_over_time(over_time_charts: dict[str, Figure]) -> None:
    charts = over_time_charts
    assert {chart_id: charts[chart_id].title for chart_id in TREND_CHARTS} == TREND_CHARTS
    assert charts["chart-nationality-applicants-month"].title == (
        "First asylum applicants by nationality, July 2024"  # the latest month
    )
    text = texts(charts)
    # Every month is a point, and the revision of January 2023 wins.
    for value in (
        "January 2023: ≈2,500",
        "December 2023: ≈3,120",
        "January 2024: ≈2,630",
        "February 2024: ≈2,210",
        "March 2024: ≈2,210",
        "July 2024: ≈2,940",
    ):
        assert f"First asylum applications, {value}" in text["chart-trend-first-applications"], value
    assert "≈2,490" not in text["chart-trend-first-applications"]
    # A month without a month figure is a gap, not a point: December 2023 (November is missing)
    # and July 2024 (June is missing).
    departures = text["chart-trend-departures"]
    assert "departed in the month, January 2024: 2,380" in departures
    assert "departed in the month, February 2024: 2,020" in departures
    assert "departed in the month, December 2023" not in departures
    assert "departed in the month, July 2024" not in departures
    assert "computed from the counts, January 2023: 30.3%" in text["chart-trend-dublin-share"]
    assert "as published, January 2023: ≈30%" in text["chart-trend-dublin-share"]
    # Several publications: the caption lists each, and not the superseded January 2023.
    caption = charts["chart-trend-first-applications"].caption
    assert "Sources: 6 publications, January 2023 – July 2024" in caption
    assert "Kerncijfers asiel en migratie juli 2024" in caption
    assert "vintage" not in caption


def test_a_phone_shows_every_card_whole_and_its_charts_readable(one_month: Path) -> None:
    """At 390 px wide nothing is wider than the screen: no card, chart or headline scrolls
    sideways or is cut off; and the charts are the ones drawn for a phone, whose text is no
    smaller than 9.5 px as shown (a chart drawn 640 wide and scaled to the phone's column showed
    its labels at about 6 px). (Headless Chromium's window is at least 500 px wide: the page is
    laid out in a 390 px frame, which is its viewport.)"""
    page = one_month.with_name("phone-page.html")
    script = (
        "<script>window.addEventListener('load', () => { const wide = [...document.querySelectorAll('body *')]"
        ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5).map(e => e.tagName + '.' + "
        "(e.getAttribute('class') || '')); const out = parent.document.body.dataset; "
        "out.viewport = window.innerWidth; "
        "out.width = document.documentElement.scrollWidth; const sizes = [], cut = []; for (const svg of "
        "document.querySelectorAll('svg')) { const box = svg.getBoundingClientRect(); if (!box.width) continue; "
        "const scale = box.width / svg.viewBox.baseVal.width; for (const t of svg.querySelectorAll('text')) "
        "{ const r = t.getBoundingClientRect(); if (!r.width) continue; "
        "sizes.push(parseFloat(getComputedStyle(t).fontSize) * scale); if (r.left < box.left - 0.5 || "
        "r.right > box.right + 0.5) wide.push('text ' + t.textContent); if (t.textContent.includes('\u2026')) "
        "cut.push(t.textContent); } } out.texts = sizes.length; out.cut = JSON.stringify(cut); "
        "out.smallest = Math.min(...sizes); out.overflow = JSON.stringify(wide); });</script>"
    )
    page.write_text(
        one_month.read_text(encoding="utf-8").replace("</body>", script + "</body>"), encoding="utf-8"
    )
    frame = one_month.with_name("phone.html")
    frame.write_text(
        f'<html><body><iframe src="{page.name}" style="width:390px;height:3000px;border:0"></iframe></body></html>',
        encoding="utf-8",
    )
    dom = run_chromium(
        frame.parent / "profile-phone",
        "--allow-file-access-from-files",
        "--window-size=800,3000",
        "--virtual-time-budget=3000",
        "--dump-dom",
        frame.as_uri(),
    )
    keys = ("viewport", "width", "overflow", "texts", "smallest", "cut")
    found = {key: re.search(rf'data-{key}="([^"]*)"', dom) for key in keys}
    assert all(found.values()), dom[-500:]
    assert int(found["texts"].group(1)) > 60  # every chart's text (87 seen)
    assert float(found["smallest"].group(1)) >= 9.5, found["smallest"].group(1)
    assert found["viewport"].group(1) == "390"
    assert int(found["width"].group(1)) <= 390, html.unescape(found["overflow"].group(1))
    assert html.unescape(found["overflow"].group(1)) == "[]"
    # A label too long for its room is wrapped onto lines, never cut short with "…" ("Knowledge and
    # talent (…" was): the purposes of permits, on a phone, take two lines each.
    assert html.unescape(found["cut"].group(1)) == "[]"
    narrow = one_month.read_text(encoding="utf-8").split('id="chart-permits"')[1].split('class="narrow"')[1]
    assert '<tspan>Knowledge and talent</tspan><tspan x="0" dy="14">(Kennis &amp; Talent)</tspan>' in narrow


def test_every_value_is_printed_not_only_in_a_tooltip(
    one_month: Path, one_month_charts: dict[str, Figure]
) -> None:
    """What a tooltip shows is also on the page as text, so that a printed page keeps it."""
    page = one_month.read_text(encoding="utf-8")
    for chart_id, chart in one_month_charts.items():
        block = page[page.index(f'id="{chart_id}"') :]
        block = block[: block.index("</figure>")]
        # A mark's tooltip: the <title> of a shape Vega labelled as a graphics symbol.
        tooltips = [
            html.unescape(t)
            for t in re.findall(r'role="graphics-symbol"[^>]*><title>(.*?)</title>', block, re.S)
        ]
        assert tooltips, chart_id
        for tooltip in tooltips:
            assert tooltip in chart.caption, (chart_id, tooltip)


def test_a_printed_page_keeps_every_source(over_time: Path, over_time_charts: dict[str, Figure]) -> None:
    """On screen a chart over time folds its list of sources away (<details>); on paper it cannot
    be unfolded, so the list prints open: each publication is named under every chart that cites
    it, as well as in the table of sources."""
    from pypdf import PdfReader

    pdf = over_time.with_name("printed.pdf")
    run_chromium(
        over_time.parent / "profile-print",
        f"--print-to-pdf={pdf}",
        "--no-pdf-header-footer",
        over_time.as_uri(),
    )
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    text = re.sub(r"\s+", "", text)  # a document id may be broken across lines
    folded = [chart for chart in over_time_charts.values() if "Sources:" in chart.caption]
    assert len(folded) == len(TREND_CHARTS)
    document_id = re.search(r"kerncijfers-2024-02-[0-9a-f]{12}", " ".join(folded[0].text))
    assert document_id, folded[0].caption
    assert text.count(document_id.group(0)) == len(folded) + 1  # each list, and the table


def test_nationalities_are_named_in_english_in_the_printed_order(
    one_month: Path, one_month_charts: dict[str, Figure]
) -> None:
    """An English page names nationalities in English, with the Dutch label the publication prints
    where it differs, in the order it prints them: January's three nationalities at 6 % stand as
    printed (Somalië, Jemen, Algerije), not alphabetically or by code."""
    page = one_month.read_text(encoding="utf-8")
    wide = page.split('id="chart-nationality-applicants-month"')[1].split('class="narrow"')[0]
    groups = re.findall(r'<g class="mark-text role-axis-label"[^>]*>(.*?)</g>', wide, re.S)
    axes = [[html.unescape(text) for text in re.findall(r">([^<>]+)</text>", group)] for group in groups]
    axis = next(labels for labels in axes if not labels[0][0].isdigit())  # the bars' axis, top down
    assert axis == [
        "Syria (Syrië)",
        "Türkiye (Turkije)",
        "Somalia (Somalië)",
        "Yemen (Jemen)",
        "Algeria (Algerije)",
    ]
    caption = one_month_charts["chart-nationality-applicants-month"].caption
    assert "Nationalities as published: in the order printed (those of the same share too)" in caption
    rates = one_month_charts["chart-grant-rates"].caption
    assert (
        "Values: All nationalities 65%; Afghanistan 92%; Türkiye (Turkije) 90%; Yemen (Jemen) 90%; " in rates
    )


def test_each_nationality_card_says_what_its_shares_cover(one_month_charts: dict[str, Figure]) -> None:
    """The listed shares rarely make up a whole: each card says what they cover and what the rest
    is. January's nareizigers over twelve months add up to 85 % as printed, which the card says
    under the chart (the reviewed warning in Checks was the only word on it)."""
    coverage = {
        chart_id: chart.caption.split("Values:")[0].strip()
        for chart_id, chart in one_month_charts.items()
        if chart_id.startswith("chart-nationality")
    }
    assert coverage == {
        "chart-nationality-applicants-month": "The 5 nationalities listed are 51% of first applicants; the other "
        "49% are nationalities the publication does not list.",
        "chart-nationality-nareizigers-month": "The 3 nationalities listed are 72% of nareizigers; the other 28% "
        "are the publication's “Overige nationaliteit” (other nationalities).",
        "chart-nationality-applicants-12m": "The 5 nationalities listed are 61% of first applicants; the other "
        "39% are nationalities the publication does not list.",
        "chart-nationality-nareizigers-12m": "The 3 nationalities listed are 80% of nareizigers and the "
        "publication's “Overige nationaliteit” (other nationalities) 5%: together 85%, not 100%. The "
        "publication gives no share for the remaining 15% (kept as published; see Checks).",
    }


def test_the_headlines_say_circa_where_the_publication_does(one_month: Path) -> None:
    page = one_month.read_text(encoding="utf-8")
    headlines = re.findall(r"<li><b>(.*?)</b><span>(.*?)</span></li>", page)
    assert ("≈30%", "of handled first applications rejected under Dublin") in headlines
    assert ("≈2,490", "first asylum applications") in headlines
    assert ("65%", "grant rate, past twelve months") in headlines


def test_the_headlines_show_the_change_from_the_month_before(history: Build, over_time: Path) -> None:
    """With more than one month each tile says how its figure changed since the month before, in
    points for a percentage, or that the month before has no figure (July 2024 follows March)."""
    tile = r'<li><b>(.*?)</b><span>(.*?)</span><small class="change">(.*?)</small></li>'
    july = re.findall(tile, over_time.read_text(encoding="utf-8"))
    assert len(july) == 5 and {change for _, _, change in july} == {"no June figure"}
    january = up_to(read_warehouse(history.warehouse), date(2024, 1, 1))  # December 2023 before it
    assert re.findall(tile, render(january)) == [
        ("≈2,630", "first asylum applications", "≈−490 on December"),
        ("≈720", "nareizigers arrived", "≈−440 on December"),
        ("≈24%", "of handled first applications rejected under Dublin", "≈+2 points on December"),
        ("61%", "grant rate, past twelve months", "−1 point on December"),
        ("≈2,380", "departed in 2024 so far", "counted from January"),
    ]
    march = up_to(read_warehouse(history.warehouse), date(2024, 3, 1))  # the year to date grew by March's
    assert ("≈6,730", "departed in 2024 so far", "≈+2,330 on February") in re.findall(tile, render(march))


def up_to(warehouse: Warehouse, month: date) -> Warehouse:
    """The warehouse as it was when `month` was the latest (its rows of later months left out)."""
    warehouse.tables = {
        name: [row for row in rows if row.get("reference_month", month) <= month]
        for name, rows in warehouse.tables.items()
    }
    return warehouse


def test_the_checks_of_the_release_are_a_section_of_the_page(one_month: Path) -> None:
    """Great Expectations' Data Docs are blank offline (their CSS and scripts come from CDNs); the
    audit that let the release be published is on the report's own page instead, as Chromium
    shows it: every check with its result, and the findings in full."""
    dom = dump_dom(one_month)
    section = dom[dom.index('id="checks"') : dom.index("</section>", dom.index('id="checks"'))]
    section = section.replace("<wbr>", "")  # where a check's name may break
    text = re.sub(r"<[^>]+>", "", section)
    expectations = sum(suite.expectation_count for suite in load_suites(GX_DIR))
    assert f"{expectations} checks, 0 critical finding(s), 2 warning(s)" in text
    checks = re.findall(r'<td data-label="check"><code>(\w+)</code></td>', section)
    assert len(checks) == expectations and "breakdown_sums_to_at_most_100" in checks
    results = dict(
        re.findall(
            r'<td data-label="check"><code>(\w+)</code></td>.*?<td data-label="result">([^<]*)</td>', section
        )
    )
    assert results["complete_breakdown_sums_to_100"] == "passed, 1 warning(s)"
    assert results["breakdown_sums_to_at_most_100"] == "passed"
    assert "WARNING complete_breakdown_sums_to_100 (reviewed): kerncijfers-2023-01-4f0d79c6a2f3" in text
    assert "listed_items=4, total_pct=85" in text


# Every word of the Checks table (a word: between spaces or after a hyphen, or a rule name's part between <wbr>s) that
# the browser broke across lines: a word on one line has one box.
BROKEN_WORDS = """<script>window.addEventListener('load', () => { const broken = []; let words = 0;
const walker = document.createTreeWalker(document.querySelector('#checks table'), NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  for (const match of node.textContent.matchAll(/[^\\s-]+-*/g)) {
    const range = document.createRange(); range.setStart(node, match.index);
    range.setEnd(node, match.index + match[0].length); words += 1;
    if (new Set([...range.getClientRects()].map(r => Math.round(r.top))).size > 1) broken.push(match[0]); } }
const out = (parent === window ? document : parent.document).body.dataset;
out.words = words; out.broken = JSON.stringify(broken); });</script>"""


def test_the_checks_table_breaks_no_word(one_month: Path) -> None:
    """On a screen and on a phone every word of the Checks table stands on one line: its cells let
    the browser break a word anywhere, and at 1280 px it narrowed the columns to "severi|ty" and
    "dublin_handled_at_least_rejecte|d". A rule's name may wrap after an underscore."""
    for width in (1280, 390):
        found = measure(one_month, BROKEN_WORDS, ("words", "broken"), width=width)
        assert int(found["words"]) > 300, width  # every rule's row (400 words seen)
        assert json.loads(found["broken"]) == [], width


def test_the_second_sources_are_a_section_of_the_page(one_month: Path) -> None:
    """January 2023 beside IND's page: each count with its range, IND's first-published and
    revised values linked to their pages, and the verdict."""
    page = one_month.read_text(encoding="utf-8")
    section = page[
        page.index('id="second-sources"') : page.index("</section>", page.index('id="second-sources"'))
    ]
    rows = [
        re.sub(r"<[^>]+>", "", row).split("\x00")
        for row in re.findall(r"<tr>(.*?)</tr>", section.replace("</td><td", "</td>\x00<td"))
    ]
    assert [
        "First asylum applications",
        "≈2,490 (2,485–2,495)",
        "2,490",
        "2,499",
        "—",
        "agrees as first published; revised since",
    ] in rows
    assert ["First asylum applications, Syria", "≈647 (634–661)", "638", "638", "—", "agrees"] in rows
    assert ["Nareizigers arrived", "≈390 (385–395)", "390", "391", "—", "agrees"] in rows
    assert "<code>https://ind.nl/nl/nieuws/asielinstroom-in-februari-2023</code>" in section


def test_an_all_zero_dublin_funnel_reads_as_none_handled(
    built_project: tuple[Path, Path, str], tmp_path: Path
) -> None:
    """A month in which no first application was handled: fct_dublin_funnel divides by
    nullif(handled, 0), so its rates and the upper bound are null and the lower bound 0. The page
    says so instead of an interval of "0.0..-100.0 %" or a crash."""
    _, published, _ = built_project
    warehouse = tmp_path / "zero.duckdb"
    shutil.copy(published, warehouse)
    con = duckdb.connect(str(warehouse))
    try:
        con.execute(
            "update marts.fct_dublin_funnel set handled_count = 0, rejected_count = 0, "
            "dublin_rejected_count = 0, rejection_rate_pct = null, dublin_share_of_handled_pct = null, "
            "dublin_share_of_rejected_pct = null, dublin_share_of_handled_low_pct = 0, "
            "dublin_share_of_handled_high_pct = null, published_dublin_share_pct = 0"
        )
    finally:
        con.close()
    page = render(read_warehouse(warehouse))
    assert "none computed from the counts: no first applications were handled" in page
    assert "n/a of handled" in page and "-100" not in page


def test_marts_older_than_the_report_are_one_line_naming_the_warehouse(
    built_project: tuple[Path, Path, str], tmp_path: Path
) -> None:
    """A warehouse built before the marts had a column the report reads (printed_order, new in this
    release) is named with what to do, not a traceback."""
    from core.errors import WarehouseError

    _, published, _ = built_project
    warehouse = tmp_path / "old.duckdb"
    shutil.copy(published, warehouse)
    con = duckdb.connect(str(warehouse))
    try:
        # As it stood before: the column is not there (dropping it is refused: the key's index).
        con.execute("alter table marts.fct_nationality_shares rename column printed_order to printed_later")
    finally:
        con.close()
    with pytest.raises(WarehouseError) as refused:
        read_warehouse(warehouse)
    assert str(refused.value).startswith(f"{warehouse}: the marts are older than this report (")
    assert str(refused.value).endswith("): run `make build`")
    assert "printed_order" in str(refused.value) and "\n" not in str(refused.value)


def texts_outside_their_chart(page: Path) -> tuple[int, list[str]]:
    """Every text of every chart: how many there are, and those not wholly inside their chart's
    picture (a label cut off at its edge)."""
    script = (
        "<script>window.addEventListener('load', () => { const out = []; let seen = 0; "
        "for (const svg of document.querySelectorAll('svg')) { const box = svg.getBoundingClientRect(); "
        "for (const t of svg.querySelectorAll('text')) { const r = t.getBoundingClientRect(); "
        "if (!r.width) continue; seen += 1; if (r.left < box.left - 0.5 || r.right > box.right + 0.5 || "
        "r.top < box.top - 0.5 || r.bottom > box.bottom + 0.5) out.push(t.textContent); } } "
        "document.body.dataset.seen = seen; document.body.dataset.outside = JSON.stringify(out); });</script>"
    )
    found = measure(page, script, ("seen", "outside"))
    return int(found["seen"]), json.loads(found["outside"])


# In the page, for every value label of a line chart (a Vega text mark) and every line drawn in the
# same chart: is any point of the label's box on the line's stroke? Sampled every 1.5 px.
CROSSINGS = """<script>window.addEventListener('load', () => { const crossed = []; let labels = 0;
for (const svg of document.querySelectorAll('svg')) {
  const lines = [...svg.querySelectorAll('g.mark-line path')];
  if (!lines.length || !svg.getBoundingClientRect().width) continue;
  for (const text of svg.querySelectorAll('g.mark-text text')) {
    const box = text.getBoundingClientRect(); if (!box.width || !text.textContent) continue;
    labels += 1;
    for (const line of lines) {
      const inverse = line.getScreenCTM().inverse(); let hit = false;
      for (let x = box.left; x <= box.right && !hit; x += 1.5) for (let y = box.top + 2; y <= box.bottom - 2 && !hit; y += 1.5) {
        const p = new DOMPoint(x, y).matrixTransform(inverse); hit = line.isPointInStroke(p); }
      if (hit) { crossed.push(svg.querySelector('title').textContent + ': ' + text.textContent); break; }
    } } }
document.body.dataset.labels = labels; document.body.dataset.crossed = JSON.stringify(crossed); });</script>"""


def test_no_line_crosses_a_value_label(over_time: Path) -> None:
    """A value label stands above a peak, below a trough and up beside a slope: the line through its
    point never crosses it (labels centred above every point had "≈2,630" and "≈720" struck through)."""
    found = measure(over_time, CROSSINGS, ("labels", "crossed"))
    assert int(found["labels"]) > 30  # the wide charts' labels (131 seen)
    assert json.loads(found["crossed"]) == []


def picture_page(picture: Picture, page: Path) -> Path:
    """A page of one chart's two drawings, as a card shows them (the phone's shown by ON_AXES)."""
    page.write_text(
        f'<html><body><figure class="chart">{picture.svg}<div class="narrow">{picture.narrow}</div></figure>'
        "</body></html>",
        encoding="utf-8",
    )
    return page


# In the page, with the drawings for a phone shown too: every value label (a Vega text mark) that
# overlaps an axis's labels, line or ticks.
ON_AXES = """<style>figure.chart .narrow { display: block !important; }</style>
<script>window.addEventListener('load', () => { const hits = []; let labels = 0;
const overlap = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
for (const svg of document.querySelectorAll('svg')) {
  if (!svg.getBoundingClientRect().width) continue;
  const axes = [...svg.querySelectorAll('.role-axis-label text, .role-axis-domain line, .role-axis-tick line')]
    .map(e => [e, e.getBoundingClientRect()]);
  for (const text of svg.querySelectorAll('.role-mark.mark-text text')) {
    const box = text.getBoundingClientRect(); if (!box.width || !text.textContent) continue;
    labels += 1;
    for (const [e, r] of axes) if (overlap(box, r)) {
      hits.push(svg.querySelector('title').textContent + ': ' + text.textContent + ' on ' + (e.textContent || 'an axis'));
      break; } } }
document.body.dataset.labels = labels; document.body.dataset.onaxis = JSON.stringify(hits); });</script>"""


def test_no_value_label_stands_on_an_axis(over_time: Path, tmp_path: Path) -> None:
    """A value at the foot of the plot is labelled above or beside its point, never under it on the
    x axis: the permits per month had "0" (Study, March 2024) on the axis's "Apr"."""
    found = measure(over_time, ON_AXES, ("labels", "onaxis"))
    assert int(found["labels"]) > 100  # both drawings' value labels (150 seen)
    assert json.loads(found["onaxis"]) == []
    # Every way a point meets the axis: the first (a rise follows), a trough, the last (after a fall).
    values = ((1, 0.0), (2, 50.0), (3, 0.0), (4, 40.0), (5, 0.0))
    points = [Point(date(2023, m, 1), v, f"{v:g}") for m, v in values]
    picture = line_chart("t", "d", [Series("a", points)], "per month")
    page = picture_page(picture, tmp_path / "foot-of-axis.html")
    found = measure(page, ON_AXES, ("labels", "onaxis"))
    assert int(found["labels"]) == 10 and json.loads(found["onaxis"]) == []
    assert json.loads(measure(page, CROSSINGS, ("labels", "crossed"))["crossed"]) == []


# In the page, with the drawings for a phone shown too: every two labels of one axis that overlap.
AXIS_LABELS_OVERLAP = """<style>figure.chart .narrow { display: block !important; }</style>
<script>window.addEventListener('load', () => { const hits = []; let labels = 0;
for (const svg of document.querySelectorAll('svg')) {
  if (!svg.getBoundingClientRect().width) continue;
  for (const axis of svg.querySelectorAll('.role-axis-label')) {
    const boxes = [...axis.querySelectorAll('text')].filter(t => t.textContent && t.getAttribute('opacity') !== '0')
      .map(t => [t.textContent, t.getBoundingClientRect()]);
    labels += boxes.length;
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
      const [a, r] = boxes[i], [b, q] = boxes[j];
      if (r.left < q.right - 0.5 && q.left < r.right - 0.5 && r.top < q.bottom - 0.5 && q.top < r.bottom - 0.5)
        hits.push(svg.querySelector('title').textContent + ': ' + a + ' / ' + b); } } }
document.body.dataset.labels = labels; document.body.dataset.overlap = JSON.stringify(hits); });</script>"""


def test_no_two_axis_labels_overlap(over_time: Path, tmp_path: Path) -> None:
    """Vega's own check that hides overlapping axis labels is off (it measured every label once
    more); an axis too crowded for its labels labels every second (fourth ...) tick instead, as
    Vega did: 40,000 permits on a plot 166 px wide are labelled 0, 20,000 and 40,000."""
    from kerncijfers.report.bars import Bar, bar_chart
    from kerncijfers.report.charts import label_every

    assert label_every([0, 10_000, 20_000, 30_000, 40_000], 166, "count") == 2
    assert label_every([0, 10_000, 20_000, 30_000, 40_000], 400, "count") == 1
    found = measure(over_time, AXIS_LABELS_OVERLAP, ("labels", "overlap"))
    assert int(found["labels"]) > 200 and json.loads(found["overlap"]) == []  # 258 seen
    bars = [  # long names and texts leave the bars a plot 96 px wide
        Bar(
            f"a purpose named at length, number {i}",
            v,
            f"{v:,.0f} granted in the whole year so far",
            f"{v:,.0f}",
        )
        for i, v in enumerate((38_030, 9_020))
    ]
    picture = bar_chart("t", "d", bars, "permits granted")
    page = picture_page(picture, tmp_path / "crowded-axis.html")
    found = measure(page, AXIS_LABELS_OVERLAP, ("labels", "overlap"))
    assert json.loads(found["overlap"]) == []
    shown = re.findall(r">([0-9,]+)</text>", picture.svg.split("role-axis-label")[1].split("</g>")[0])
    assert shown[0] == "0" and shown[-1] == "40,000" and len(shown) < 5, shown


def test_no_label_is_cut_off(over_time: Path, tmp_path: Path) -> None:
    """Every text of every chart lies inside its picture. A point on the axis maximum (80 of 80)
    once had its label drawn above the picture, cut in half ("80" read as "ou")."""
    points = [Point(date(2023, m, 1), v, f"{v:g}%", v - 2, v) for m, v in ((1, 40.0), (2, 80.0), (3, 60.0))]
    published = Series("as published", [Point(date(2023, 2, 1), 80.0, "≈80%")], INK, rings=True)
    pictures = [
        line_chart("t", "d", series, "share", unit="percent").svg
        for series in ([Series("a", points)], [published, Series("a", points)])
    ]
    for picture in pictures:
        assert re.search(r"<text[^>]*>80%</text>", picture)
    page = tmp_path / "top-of-axis.html"
    page.write_text(f"<html><body>{''.join(pictures)}</body></html>", encoding="utf-8")
    seen, outside = texts_outside_their_chart(page)
    assert seen > 20 and outside == []
    seen, outside = texts_outside_their_chart(over_time)
    assert seen > 200 and outside == [], outside


def test_a_month_without_a_figure_is_a_gap_in_the_line() -> None:
    """March has no figure: the line stops at February and starts again at April (two lines, not
    one through an invented March), and March is neither a point nor a value under the chart."""
    values = ((1, 5.0), (2, 6.0), (3, None), (4, 7.0), (5, 8.0))
    points = [Point(date(2023, m, 1), v, "" if v is None else f"{v:g}") for m, v in values]
    picture = line_chart("t", "d", [Series("arrivals", points)], "per month")
    lines = re.findall(r'<g class="mark-line role-mark[^>]*>(.*?)</g>', picture.svg)
    assert [len(re.findall(r"<path\b", line)) for line in lines] == [1, 1]
    assert picture.values == (
        "arrivals, January 2023: 5",
        "arrivals, February 2023: 6",
        "arrivals, April 2023: 7",
        "arrivals, May 2023: 8",
    )
    assert re.findall(r'role="graphics-symbol"[^>]*><title>(.*?)</title>', picture.svg) == list(
        picture.values
    )


def test_a_century_of_months_is_drawn_with_ticks_every_few_decades() -> None:
    """1,200 months (the benchmark's history) fit the narrow drawing: ticks on Januaries some
    decades apart, where a month, quarter or year apart found no room (and crashed)."""
    points = [Point(date(1926 + i // 12, i % 12 + 1, 1), float(i % 50), f"{i % 50}") for i in range(1200)]
    picture = line_chart("t", "d", [Series("arrivals", points)], "per month")
    years = sorted({int(y) for y in re.findall(r">((?:19|20)[0-9]{2})<", picture.svg)})
    assert len(years) >= 3 and all(
        later - earlier >= 10 for earlier, later in zip(years, years[1:], strict=False)
    )


def test_a_chart_that_is_not_vega_lite_is_refused_when_validating() -> None:
    """The pages of these tests are drawn with every specification checked against the Vega-Lite
    schema (KERNCIJFERS_VALIDATE_CHARTS=1): a misspelt property or a wrong type stops them."""
    import jsonschema

    from kerncijfers.report.charts import _validate

    _validate({"data": {"values": [{"a": 1}]}, "mark": {"type": "bar", "size": 16}})
    for wrong in ({"type": "bar", "size": "16"}, {"type": "bar", "sise": 16}, {"type": "bars"}):
        with pytest.raises(jsonschema.ValidationError):
            _validate({"data": {"values": [{"a": 1}]}, "mark": wrong})
