"""How the report draws a chart: a Vega-Lite specification (written as plain dicts) drawn as static SVG.

Each chart is a Vega-Lite specification, written as plain dicts, rendered to SVG by vl-convert,
which bundles Vega's own renderer (no browser, no network, no script in the page). The SVG is then made
an accessible image: a <title> and <desc> of its own, and a <title> (a hover tooltip) on every mark
that shows a value, holding that value as text. The same texts come back as `Picture.values`, so the
page can print every value under its chart: nothing is only in a tooltip. The kinds of chart are
`bars.py` (bars, the funnel, stacked shares) and `lines.py` (values per month).

The data of a chart is inline in its specification; all text reaches the SVG through Vega's
renderer, which escapes it.
"""

from __future__ import annotations

import json
import math
import os
import re
import textwrap
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from functools import cache
from typing import Any

from kerncijfers.report.text import esc
from kerncijfers.report.vegalite import Spec, nominal

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
BLUE, ORANGE, GREEN, PURPLE, VERMILLION, SKY = (
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#d55e00",
    "#56b4e9",
)
PALETTE = (BLUE, ORANGE, GREEN, PURPLE, VERMILLION, SKY)
GREY = "#8c959f"
INK = "#1f2328"
MUTED = "#57606a"
# A chart's width in pixels, labels included, for a wide column and for a phone: the page shows
# the one that fits, scaled to its column, so that text keeps about the size it is drawn at.
WIDTH = 640
NARROW = 360
CHAR_WIDTH = 7.0  # average width of a 12px sans-serif character, to lay out labels
LINE_HEIGHT = 14  # of a label wrapped onto lines
FONT = '"DejaVu Sans", "Liberation Sans", Arial, sans-serif'
# How Vega-Lite draws what the specifications below leave open: the page's colours and font.
# Axes and legends say nothing to assistive technology: the <svg> is one image, named by its
# <title>, and every value is printed under it.
CONFIG: dict[str, Any] = {
    "font": FONT,
    "background": "white",
    "padding": 6,
    "view": {"stroke": None},
    "axis": {
        "aria": False,
        "labelFontSize": 11,
        "titleFontSize": 11,
        "titleFontWeight": "normal",
        "labelColor": MUTED,
        "titleColor": MUTED,
        "domainColor": GREY,
        "tickColor": GREY,
        "gridColor": "#eaeef2",
        # Never cut a label (a long one is wrapped onto lines before it is drawn); Vega also
        # measures a limited label twice, and text measuring is most of a drawing's time.
        "labelLimit": 0,
        # Labels are spaced so that none overlap (bars.py thins a crowded axis's labels as Vega's
        # "parity" did); Vega's own check measured every label's box once more: 30% of the drawing.
        "labelOverlap": False,
    },
    "legend": {
        "aria": False,
        "labelFontSize": 12,
        "labelColor": INK,
        "labelLimit": 320,
        "orient": "top",
        "title": None,
    },
    "text": {"fontSize": 12, "color": INK},
}


# Set to 1 to validate every chart's specification against the Vega-Lite schema (the tests do).
VALIDATE_ENV = "KERNCIJFERS_VALIDATE_CHARTS"
# The Vega-Lite the specifications are written for: vl-convert 1.9 bundles 6.4 (and altair 6.3,
# whose copy of the schema the tests validate against, is written for 6.4.1).
VEGA_LITE = "6.4"
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.4.1.json"


@dataclass(frozen=True)
class Picture:
    """A chart as the page shows it: drawn WIDTH wide and NARROW wide (`narrow`, for a phone),
    and the value of every mark, as text, in drawing order (each mark's tooltip)."""

    svg: str
    narrow: str
    values: tuple[str, ...]

    def finished(self) -> Picture:
        return self


@dataclass(frozen=True)
class Pending:
    """A picture the drawing processes are drawing (`renderers.Renderers`); `finished()` waits."""

    svg: Future[str]
    narrow: Future[str]
    values: tuple[str, ...]

    def finished(self) -> Picture:
        return Picture(self.svg.result(), self.narrow.result(), self.values)


def nice_max(value: float, ticks: int = 4) -> tuple[float, float]:
    """An axis maximum at or above value and its step (1, 2, 2.5 or 5 × 10^k), about `ticks` steps."""
    raw = value / ticks if value > 0 else 1
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(f * magnitude for f in (1, 2, 2.5, 5, 10) if raw <= f * magnitude)
    return max(step, math.ceil(value / step) * step), step


def tick_values(top: float, step: float) -> list[float]:
    return [i * step for i in range(round(top / step) + 1)]


def axis_labels(unit: str, every: float | None = None) -> str:
    """A Vega expression for an axis label: thousands separated, '%' for percentages; with `every`,
    only the values that are a multiple of it are labelled (the others keep their tick and grid line)."""
    number = "format(datum.value, ',~f')"
    text = f"{number} + '%'" if unit == "percent" else number
    if every is None:
        return text
    return f"abs(datum.value / {every!r} - round(datum.value / {every!r})) < 1e-9 ? {text} : ''"


# Advance widths of DejaVu Sans (the widest of the fonts the charts name) at 11 px, an axis label's size.
_LABEL_GLYPHS = {",": 3.5, ".": 3.5, "%": 10.5}


def label_every(values: Sequence[float], plot_width: float, unit: str) -> int:
    """Every how many of an axis's evenly spaced values to label (1, 2, 4 ...) so that no two
    labels touch, the first and last flush with the axis's ends: what Vega's label overlap check
    ("parity": every other label hidden until none overlap) showed, without its measuring."""
    texts = [f"{value:,.10g}" + ("%" if unit == "percent" else "") for value in values]
    widths = [sum(_LABEL_GLYPHS.get(c, 7.0) for c in text) for text in texts]
    spacing = plot_width / max(len(values) - 1, 1)
    every = 1
    while every < len(values):
        shown = range(0, len(values), every)
        boxes = []
        for i in shown:
            centre, width = i * spacing, widths[i]
            left = centre if i == 0 else centre - width if i == len(values) - 1 else centre - width / 2
            boxes.append((left, left + width))
        if all(right <= after for (_, right), (after, _) in zip(boxes, boxes[1:], strict=False)):
            return every
        every *= 2
    return every


# ---------------------------------------------------------------------------------------------
# From a specification to the page's SVG

_ROOT = re.compile(r"<svg\b[^>]*>")
# A mark item Vega labelled for assistive technology: its aria-label is the `description`
# channel, which every chart below sets to the mark's tooltip (and only there).
_LABELLED = re.compile(r'<(path|line|rect|circle|text|g)\b([^>]*?)\saria-label="([^"]*)"([^>]*?)(/?)>')


def _with_tooltips(svg: str) -> str:
    def titled(match: re.Match[str]) -> str:
        tag, before, label, after, empty = match.groups()
        start = f'<{tag}{before} aria-label="{label}"{after}>'
        title = f"<title>{label}</title>"
        return f"{start}{title}</{tag}>" if empty else f"{start}{title}"

    return _LABELLED.sub(titled, svg)


def render(spec: Spec, title: str, desc: str) -> str:
    """One specification drawn as the page's SVG, with its title, description and tooltips."""
    import vl_convert  # 33 MB of Vega and its JavaScript runtime: loaded when a chart is drawn

    spec = {"$schema": SCHEMA, **spec, "config": CONFIG}
    if os.environ.get(VALIDATE_ENV) == "1":
        _validate(spec)
    svg = vl_convert.vegalite_to_svg(spec, vl_version=VEGA_LITE)
    root = _ROOT.match(svg)
    if root is None:  # pragma: no cover - vl-convert always starts with the root element
        raise ValueError("vl-convert returned no <svg> element")
    opening = root.group(0)[:-1] + ' role="img">'
    if "xlink:" not in svg[root.end() :]:  # declared by Vega whether used or not
        opening = opening.replace(' xmlns:xlink="http://www.w3.org/1999/xlink"', "")
    return _with_tooltips(f"{opening}<title>{esc(title)}</title><desc>{esc(desc)}</desc>{svg[root.end() :]}")


def _validate(spec: Spec) -> None:
    """Check a specification against the Vega-Lite schema (the copy altair ships, a Great
    Expectations dependency): the tests draw every chart so; a report skips it, as it walks every
    data row."""
    _validator().validate(spec)


@cache
def _validator() -> Any:
    import importlib.util

    import jsonschema

    found = importlib.util.find_spec("altair")
    if found is None or not found.submodule_search_locations:  # pragma: no cover - a dependency
        raise RuntimeError("altair (for its copy of the Vega-Lite schema) is not installed")
    folder = found.submodule_search_locations[0]
    with open(
        os.path.join(folder, "vegalite", "v6", "schema", "vega-lite-schema.json"), encoding="utf-8"
    ) as file:
        schema = json.load(file)
    return jsonschema.validators.validator_for(schema)(schema)


def draw(
    chart: Callable[[int, bool], Spec], title: str, desc: str, values: Sequence[str]
) -> Picture | Pending:
    """Render a chart to SVG offline, WIDTH wide and NARROW wide (`chart(width, compact)` gives its
    specification; compact: for a phone, the long texts left to the values under the chart), each
    with its title, description and mark tooltips. Within `renderers.drawing_with(pool)` the pool
    draws them (a `Pending` picture); otherwise this process does, one after another (vl-convert
    holds Python's GIL while it draws, so threads would gain nothing)."""
    from kerncijfers.report.renderers import CURRENT

    specs = [chart(width, width == NARROW) for width in (WIDTH, NARROW)]
    shown = tuple(dict.fromkeys(values))
    pool = CURRENT.get()
    if pool is None:
        wide, narrow = (render(spec, title, desc) for spec in specs)
        return Picture(wide, narrow, shown)
    wide_drawn, narrow_drawn = (pool.submit(spec, title, desc) for spec in specs)
    return Pending(wide_drawn, narrow_drawn, shown)


def warm_up() -> None:
    """Load vl-convert and start its JavaScript runtime (Vega, Vega-Lite, the fonts): about 0.7 s
    the first drawing of a process would otherwise take. A build calls it while dbt runs."""
    import vl_convert

    text = {"data": {"values": [{"t": "0"}]}, "mark": "text", "encoding": {"text": nominal("t")}}
    vl_convert.vegalite_to_svg(text, vl_version=VEGA_LITE)


# ---------------------------------------------------------------------------------------------
# Colours and texts


def _luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a #rrggbb colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def text_on(colour: str) -> str:
    """White or ink, whichever contrasts more with a bar's colour (WCAG 2 contrast ratio)."""
    background = _luminance(colour)
    on_white = 1.05 / (background + 0.05)
    on_ink = (background + 0.05) / (_luminance(INK) + 0.05)
    return "white" if on_white >= on_ink else INK


def wrap(text: str, room: float) -> list[str]:
    """`text` in lines of at most `room` characters, broken at spaces (a longer word stays whole),
    a part in brackets (a printed Dutch label) first on a line of its own."""
    width = max(int(room), 1)
    if len(text) <= width:
        return [text]
    parts = re.split(r" (?=\()", text)
    return [
        line
        for part in parts
        for line in textwrap.wrap(part, width, break_long_words=False, break_on_hyphens=False) or [part]
    ]


def text_width(texts: Sequence[str]) -> float:
    return max((len(text) for text in texts), default=0) * CHAR_WIDTH
