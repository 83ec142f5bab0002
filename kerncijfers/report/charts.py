"""Charts for the report (kerncijfers/report/page.py): Vega-Lite specifications, drawn as static SVG.

Each chart is a Vega-Lite specification, written as plain dicts, rendered to SVG by vl-convert,
which bundles Vega's own renderer (no browser, no network, no script in the page). The SVG is then made
an accessible image: a <title> and <desc> of its own, and a <title> (a hover tooltip) on every mark
that shows a value, holding that value as text. The same texts come back as `Picture.values`, so the
page can print every value under its chart: nothing is only in a tooltip.

The data of a chart is inline in its specification; all text reaches the SVG through Vega's
renderer, which escapes it.
"""

from __future__ import annotations

import html
import json
import math
import os
import re
import textwrap
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
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

Spec = dict[str, Any]

# Steps (in years) between the ticks of a time axis that spans decades.
YEAR_STEPS = (2, 5, 10, 20, 25, 50, 100, 200, 500, 1000)


def esc(text: object) -> str:
    """Text for HTML content and attribute values."""
    return html.escape(str(text), quote=True)


def month_name(month: date) -> str:
    return f"{MONTHS[month.month - 1]} {month.year}"


@dataclass(frozen=True)
class Picture:
    """A chart as the page shows it: drawn WIDTH wide and NARROW wide (`narrow`, for a phone),
    and the value of every mark, as text, in drawing order (each mark's tooltip). The drawings
    are made by the renderer's thread while the next chart is specified: `svg` and `narrow` wait
    for them (and raise what drawing raised)."""

    wide_drawing: Future[str]
    narrow_drawing: Future[str]
    values: tuple[str, ...]

    @property
    def svg(self) -> str:
        return self.wide_drawing.result()

    @property
    def narrow(self) -> str:
        return self.narrow_drawing.result()

    def wait(self) -> None:
        """Until both drawings are made; raises what drawing raised."""
        for drawing in (self.wide_drawing, self.narrow_drawing):
            drawing.result()


def _nice_max(value: float, ticks: int = 4) -> tuple[float, float]:
    """An axis maximum at or above value and its step (1, 2, 2.5 or 5 × 10^k), about `ticks` steps."""
    raw = value / ticks if value > 0 else 1
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(f * magnitude for f in (1, 2, 2.5, 5, 10) if raw <= f * magnitude)
    return max(step, math.ceil(value / step) * step), step


def _ticks(top: float, step: float) -> list[float]:
    return [i * step for i in range(round(top / step) + 1)]


def _axis_labels(unit: str) -> str:
    """A Vega expression for an axis label: thousands separated, '%' for percentages."""
    number = "format(datum.value, ',~f')"
    return f"{number} + '%'" if unit == "percent" else number


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


def _render(spec: Spec, title: str, desc: str) -> str:
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


# vl-convert draws in one JavaScript runtime, one drawing at a time (more threads draw no faster:
# measured), so one thread draws, in the order asked, while the caller specifies the next chart
# and reads the warehouse: that work, and the runtime's start, overlap the drawing.
_RENDERER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="report-renderer")


def draw(chart: Callable[[int, bool], Spec], title: str, desc: str, values: Sequence[str]) -> Picture:
    """Render a chart to SVG offline, WIDTH wide and NARROW wide (`chart(width, compact)` gives its
    specification; compact: for a phone, the long texts left to the values under the chart), each
    with its title, description and mark tooltips."""
    wide, narrow = (
        _RENDERER.submit(_render, chart(width, width == NARROW), title, desc) for width in (WIDTH, NARROW)
    )
    return Picture(wide, narrow, tuple(dict.fromkeys(values)))


def start_runtime() -> Future[None]:
    """Start vl-convert's JavaScript runtime in the renderer's thread; drawings asked for meanwhile
    wait for it."""
    return _RENDERER.submit(_start_runtime)


def warm_up() -> None:
    """Load vl-convert and start its JavaScript runtime (Vega, Vega-Lite, the fonts): about 0.7 s
    the first drawing of a process would otherwise take. A build calls it while dbt runs."""
    start_runtime().result()


def _start_runtime() -> None:
    import vl_convert

    text = {"data": {"values": [{"t": "0"}]}, "mark": "text", "encoding": {"text": _n("t")}}
    vl_convert.vegalite_to_svg(text, vl_version=VEGA_LITE)


# ---------------------------------------------------------------------------------------------
# Vega-Lite, written out


def _q(field: str, **more: Any) -> Spec:
    """A quantitative field."""
    return {"field": field, "type": "quantitative", **more}


def _n(field: str, **more: Any) -> Spec:
    """A nominal field."""
    return {"field": field, "type": "nominal", **more}


def _fixed_colours(field: str) -> Spec:
    """Colour each mark as its row says (`field` holds a colour), without a legend."""
    return _n(field, scale=None, legend=None)


def _mark(kind: str, **properties: Any) -> Spec:
    return {"type": kind, **properties}


def _layer(mark: Spec, encoding: Spec, transform: Sequence[Spec] = (), data: str | None = None) -> Spec:
    """One layer; `data` names its rows among the chart's datasets (else the chart's own)."""
    layer: Spec = {"mark": mark, "encoding": encoding}
    if transform:
        layer["transform"] = list(transform)
    if data is not None:
        layer["data"] = {"name": data}
    return layer


def _filter(expression: str) -> Spec:
    return {"filter": expression}


def _luminance(colour: str) -> float:
    """WCAG 2 relative luminance of a #rrggbb colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _text_on(colour: str) -> str:
    """White or ink, whichever contrasts more with a bar's colour (WCAG 2 contrast ratio)."""
    background = _luminance(colour)
    on_white = 1.05 / (background + 0.05)
    on_ink = (background + 0.05) / (_luminance(INK) + 0.05)
    return "white" if on_white >= on_ink else INK


def _wrap(text: str, room: float) -> list[str]:
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


def _text_width(texts: Sequence[str]) -> float:
    return max((len(text) for text in texts), default=0) * CHAR_WIDTH


# ---------------------------------------------------------------------------------------------
# Bars


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # printed beside the bar
    tooltip: str
    low: float | None = None  # a whisker from low to high: the range the true value lies in
    high: float | None = None
    color: str = BLUE
    short: str = ""  # printed beside the bar on a phone, where the text is long (default: text)


def bar_chart(
    title: str, desc: str, bars: Sequence[Bar], axis: str, unit: str = "count", axis_max: float | None = None
) -> Picture:
    """Horizontal bars, one per row: the label left, the bar, a whisker [low, high] where given,
    and the value printed right of the plot, clear of bars and whiskers."""
    largest = max(max(bar.high or 0, bar.value) for bar in bars)
    top, step = (axis_max, axis_max / 4) if axis_max else _nice_max(largest)

    def chart(width: int, compact: bool) -> Spec:
        texts = [bar.short or bar.text if compact else bar.text for bar in bars]
        # A label longer than its room is wrapped at spaces onto more lines, never cut.
        lines = [_wrap(bar.label, (width * 0.45 - 12) / CHAR_WIDTH) for bar in bars]
        label_width = min(width * 0.45, _text_width([line for label in lines for line in label]) + 12)
        text_width = min(width * 0.4, _text_width(texts) + 14)
        plot_width = width - label_width - text_width
        most = max(len(label) for label in lines)
        rows = [
            {
                "label": "\n".join(label),
                "value": bar.value,
                "low": bar.low,
                "high": bar.high,
                "text": text,
                "tooltip": bar.tooltip,
                "color": bar.color,
            }
            for bar, label, text in zip(bars, lines, texts, strict=True)
        ]
        y = _n("label", sort=None, axis={"title": None, "labelFontSize": 12})
        if most > 1:
            y["axis"] |= {"labelExpr": "split(datum.value, '\\n')", "labelLineHeight": LINE_HEIGHT}
        x = _q(
            "value",
            scale={"domain": [0, top], "nice": False},
            axis={
                "title": axis,
                "values": _ticks(top, step if width > NARROW else step * 2),
                "labelExpr": _axis_labels(unit),
            },
        )
        layers = [
            _layer(
                _mark("bar", size=16),
                {"y": y, "x": x, "color": _fixed_colours("color"), "description": _n("tooltip")},
            )
        ]
        if any(bar.low is not None and bar.high is not None for bar in bars):
            whiskers = [_filter("isValid(datum.low) && isValid(datum.high)")]
            cap = _mark("tick", color=INK, thickness=1.5, size=10, orient="vertical", aria=False)
            layers += [
                _layer(
                    _mark("rule", color=INK, strokeWidth=1.5, aria=False),
                    {"y": y, "x": _q("low"), "x2": {"field": "high"}},
                    whiskers,
                ),
                _layer(cap, {"y": y, "x": _q("low")}, whiskers),
                _layer(cap, {"y": y, "x": _q("high")}, whiskers),
            ]
        layers.append(
            _layer(
                _mark("text", align="left", dx=8, aria=False),
                {"y": y, "x": {"value": plot_width}, "text": _n("text")},
            )
        )
        return {
            "datasets": {"rows0": rows},
            "data": {"name": "rows0"},
            "layer": layers,
            "width": plot_width,
            "height": {"step": max(28, most * LINE_HEIGHT + 6)},
        }

    return draw(chart, title, desc, [bar.tooltip for bar in bars])


# ---------------------------------------------------------------------------------------------
# The Dublin funnel


@dataclass(frozen=True)
class Stage:
    label: str
    value: int
    text: str
    tooltip: str
    short: str = ""  # its text on a phone (default: text)


def funnel_chart(title: str, desc: str, stages: Sequence[Stage]) -> Picture:
    """Stages as centred bars, each as wide as its count, its label and value above it, joined to
    the next by a shaded band that stops short of the label. The vertical scale is in pixels from
    the top."""
    band, gap, label = 24, 40, 20  # a bar's height, the room between bars, the label's part of it
    largest = max(stage.value for stage in stages) or 1

    def chart(width: int, compact: bool) -> Spec:
        colours = [BLUE, ORANGE, VERMILLION]
        bars, links = [], []
        for i, stage in enumerate(stages):
            top = gap + i * (band + gap)
            half = max(stage.value, largest / 400) / 2  # a stage of none is a sliver, not nothing
            text = stage.short or stage.text if compact else stage.text
            bars.append(
                {
                    "top": top,
                    "bottom": top + band,
                    "label_at": top - 6,
                    "left": -half,
                    "right": half,
                    "text": f"{stage.label}: {text}",
                    "tooltip": stage.tooltip,
                    "color": colours[i % len(colours)],
                }
            )
            if i:
                above = bars[i - 1]
                links += [
                    {"link": i, "y": above["bottom"], "left": above["left"], "right": above["right"]},
                    {"link": i, "y": top - label, "left": -half, "right": half},
                ]
        height = gap + len(stages) * (band + gap) - gap + 4
        pixels = {"domain": [height, 0], "nice": False, "zero": False}
        x = _q("left", axis=None, scale={"domain": [-largest / 2, largest / 2], "nice": False})
        plot_width = width - 12
        return {
            "datasets": {"links": links, "stages": bars},
            "layer": [
                _layer(
                    _mark("area", color="#eaeef2", orient="horizontal", aria=False),
                    {
                        "y": _q("y", scale=pixels, axis=None),
                        "x": x,
                        "x2": {"field": "right"},
                        "detail": _n("link"),
                    },
                    data="links",
                ),
                _layer(
                    _mark("rect"),
                    {
                        "y": _q("top", scale=pixels, axis=None),
                        "y2": {"field": "bottom"},
                        "x": x,
                        "x2": {"field": "right"},
                        "color": _fixed_colours("color"),
                        "description": _n("tooltip"),
                    },
                    data="stages",
                ),
                _layer(
                    _mark("text", baseline="bottom", aria=False),
                    {
                        "y": _q("label_at", scale=pixels, axis=None),
                        "x": {"value": plot_width / 2},
                        "text": _n("text"),
                    },
                    data="stages",
                ),
            ],
            "width": plot_width,
            "height": height,
        }

    return draw(chart, title, desc, [stage.tooltip for stage in stages])


# ---------------------------------------------------------------------------------------------
# Shares of a whole, stacked


@dataclass(frozen=True)
class Segment:
    value: float  # its share of the row
    text: str  # printed inside, where it fits
    detail: str  # printed under the row (not on a phone: it is under the chart)
    tooltip: str
    color: str
    name: str = ""  # its name in the legend


def stacked_chart(title: str, desc: str, rows: Sequence[tuple[str, Sequence[Segment]]]) -> Picture:
    """One bar per row split into segments by their share, a label above each row, the
    segments' details under it, and a legend on top."""
    legend = list(dict.fromkeys((s.name, s.color) for _, segments in rows for s in segments))

    def chart(width: int, compact: bool) -> Spec:
        plot_width = width - 12
        marks, lines = [], []
        for i, (label, segments) in enumerate(rows):
            total = sum(segment.value for segment in segments) or 1
            start = 0.0
            for segment in segments:
                end = start + segment.value / total
                fits = plot_width * (end - start) > len(segment.text) * CHAR_WIDTH + 8
                marks.append(
                    {
                        "row": i,
                        "start": start,
                        "end": end,
                        "middle": (start + end) / 2,
                        "name": segment.name,
                        "inside": segment.text if fits else "",
                        "ink": _text_on(segment.color),
                        "tooltip": segment.tooltip,
                    }
                )
                start = end
            details = "" if compact else " · ".join(s.detail for s in segments)
            lines.append({"row": i, "label": label, "details": details})
        y = {
            "field": "row",
            "type": "ordinal",
            "axis": None,
            "scale": {"paddingInner": 0.6, "paddingOuter": 0.4},
        }
        colour = _n(
            "name",
            scale={"domain": [name for name, _ in legend], "range": [colour for _, colour in legend]},
            legend={"orient": "top", "direction": "horizontal", "columns": 1 if compact else 0},
        )
        texts = {"y": y, "x": {"value": 0}}
        return {
            "datasets": {"segments": marks, "rows": lines},
            "layer": [
                _layer(
                    _mark("bar"),
                    {
                        "y": y,
                        "x": _q("start", axis=None, scale={"domain": [0, 1], "nice": False}),
                        "x2": {"field": "end"},
                        "color": colour,
                        "description": _n("tooltip"),
                    },
                    data="segments",
                ),
                _layer(
                    _mark("text", fontWeight="bold", aria=False),
                    {"y": y, "x": _q("middle"), "text": _n("inside"), "color": _fixed_colours("ink")},
                    data="segments",
                ),
                _layer(
                    _mark("text", align="left", dy=-23, aria=False),
                    {**texts, "text": _n("label")},
                    data="rows",
                ),
                _layer(
                    _mark("text", align="left", dy=24, fontSize=11, color=MUTED, aria=False),
                    {**texts, "text": _n("details")},
                    data="rows",
                ),
            ],
            "width": plot_width,
            "height": {"step": 72 if not compact else 60},
        }

    return draw(chart, title, desc, [s.tooltip for _, segments in rows for s in segments])


# ---------------------------------------------------------------------------------------------
# Values per month


@dataclass(frozen=True)
class Point:
    month: date
    value: float | None  # None: no figure for the month, drawn as a gap
    text: str = ""
    low: float | None = None
    high: float | None = None


@dataclass(frozen=True)
class Series:
    name: str
    points: Sequence[Point]
    color: str = BLUE
    # Rings without a line, drawn around the points of another series: a published value beside
    # the one computed from the counts.
    rings: bool = False


def _month_index(month: date) -> int:
    return month.year * 12 + month.month - 1


def _epoch_ms(month: date) -> int:
    return int(datetime(month.year, month.month, 1, tzinfo=UTC).timestamp() * 1000)


# Where a value's label goes, so that the lines through its point do not cross it: above a peak,
# below a trough, up and to the side away from the line on a slope.
ABOVE, BELOW, UP_LEFT, UP_RIGHT = "above", "below", "up_left", "up_right"


# How each stands from its point (text is 12 px, centred on its y).
LABEL_MARKS = {
    ABOVE: _mark("text", dy=-12, aria=False),
    BELOW: _mark("text", dy=17, aria=False),
    UP_LEFT: _mark("text", align="right", dx=-6, dy=-10, aria=False),
    UP_RIGHT: _mark("text", align="left", dx=6, dy=-10, aria=False),
}
X_PADDING = 36  # pixels from each end of a time axis to its first and last month
BELOW_ROOM = 26  # pixels a label under its point takes: a point nearer the x axis is labelled above


def _placement(
    previous: float | None, value: float, following: float | None, *, near_top: bool, near_bottom: bool
) -> str:
    """previous / following: the values of the months either side on the same line (None: a gap);
    near_top: no room above the point, near_bottom: none under it (the x axis)."""
    rises_before = previous is not None and previous < value  # the line comes up from lower left
    falls_before = previous is not None and previous > value
    rises_after = following is not None and following > value
    falls_after = following is not None and following < value
    if not (falls_before or rises_after) and not near_top:
        return ABOVE  # nothing above the point on either side
    if not (rises_before or falls_after):  # the lines either side come down to the point
        if not near_bottom or near_top:
            return BELOW
        # Under the point is the x axis: up on the side no line comes from, else (a trough)
        # above, between the lines rising.
        if not rises_after:
            return UP_RIGHT
        if not falls_before:
            return UP_LEFT
        return ABOVE
    if rises_after:  # up to the right, and up from the left: up-left is clear
        return UP_LEFT
    return UP_RIGHT


def line_chart(title: str, desc: str, series: Sequence[Series], axis: str, unit: str = "count") -> Picture:
    """Values per month on a time axis. A line joins consecutive months only: a month without a
    figure (not published, or no month figure) is a gap, never an interpolation."""
    months = sorted({point.month for s in series for point in s.points})
    first, last = _month_index(months[0]), _month_index(months[-1])
    values = [v for s in series for p in s.points for v in (p.value, p.high) if v is not None]
    top, step = _nice_max(max(values) if values else 1)
    tooltips = [
        f"{s.name}, {month_name(p.month)}: {p.text}"
        for s in sorted(series, key=lambda s: not s.rings)  # drawn first: under the points
        for p in sorted(s.points, key=lambda p: p.month)
        if p.value is not None
    ]

    def chart(width: int, compact: bool) -> Spec:
        plot_width = width - 90
        height = 200 if compact else 230
        month_width = plot_width / max(last - first, 1)
        month_pixels = (plot_width - 2 * X_PADDING) / max(last - first, 1)  # between two months' points
        rows: list[dict[str, Any]] = []
        # The value labels, by where they stand from their point: only the labelled points (Vega
        # measures every text it draws, an empty one too: 1,400 of them at 120 months).
        labels: dict[str, list[dict[str, Any]]] = {where: [] for where in LABEL_MARKS}
        for s in series:
            points = sorted((p for p in s.points if p.value is not None), key=lambda p: p.month)
            labelled = set() if s.rings else _labelled(points, month_width)
            run = 0
            for i, p in enumerate(points):
                before = points[i - 1] if i else None
                after = points[i + 1] if i + 1 < len(points) else None
                if before and _month_index(p.month) - _month_index(before.month) > 1:
                    run += 1  # a gap: the line stops, and starts again
                    before = None
                if after and _month_index(after.month) - _month_index(p.month) > 1:
                    after = None
                value = p.value or 0.0
                high = p.high if p.high is not None else value
                low = p.low if p.low is not None else value
                rows.append(
                    {
                        "run": f"{s.name}/{run}",
                        "month": _epoch_ms(p.month),
                        "value": value,
                        "low": p.low,
                        "high": p.high,
                        "tooltip": f"{s.name}, {month_name(p.month)}: {p.text}",
                        "rings": s.rings,
                        "colour": s.color,
                    }
                )
                if p.month in labelled:
                    place = _placement(
                        before.value if before else None,
                        value,
                        after.value if after else None,
                        near_top=high >= top * 0.9,
                        # A label under the point would stand on the x axis and its labels.
                        near_bottom=(low / top) * height < BELOW_ROOM,
                    )
                    at = high if place == ABOVE else low if place == BELOW else value
                    if (
                        place == ABOVE
                        and before
                        and after
                        and min(before.value or 0, after.value or 0) > value
                    ):
                        # A trough on the x axis, labelled between the lines rising either side:
                        # high enough that they pass under the label's ends (6 px under its centre).
                        half = len(p.text) * CHAR_WIDTH / 2 + 2
                        steepest = (
                            max(
                                abs((n.value or 0) - value)
                                / abs(_month_index(n.month) - _month_index(p.month))
                                for n in (before, after)
                            )
                            / month_pixels
                        )
                        at = max(at, value + steepest * half - 4 * top / height)
                    labels[place].append({"month": _epoch_ms(p.month), "at": at, "text": p.text})
        # Every month on the axis where there is room, else every third, sixth or twelfth; over
        # decades, every second, fifth, tenth ... January. The year under each January and under
        # the first month.
        span = last - first + 1
        room = plot_width / 40
        every = next((k for k in (1, 3, 6, 12) if span / k <= room), None)
        if every is None:
            years = next((y for y in YEAR_STEPS if span / (12 * y) <= room), YEAR_STEPS[-1])
            keep = [
                index for index in range(first, last + 1) if index % 12 == 0 and (index // 12) % years == 0
            ]
        else:
            keep = [index for index in range(first, last + 1) if (index % 12) % every == 0]
        ticks = [_epoch_ms(date(index // 12, index % 12 + 1, 1)) for index in keep] or [_epoch_ms(months[0])]
        label = (
            "utcmonth(datum.value) == 0 || datum.index == 0 ? [utcFormat(datum.value, '%b'), "
            "utcFormat(datum.value, '%Y')] : utcFormat(datum.value, '%b')"
        )
        ends = [_epoch_ms(months[0]), _epoch_ms(months[-1])]
        if ends[0] == ends[1]:
            ends = [ends[0] - 1, ends[1] + 1]
        x = {
            "field": "month",
            "type": "temporal",
            # The first and last months stand 36 px in from the ends: their labels clear the axes.
            "scale": {"type": "utc", "domain": ends, "padding": X_PADDING},
            "axis": {"title": None, "values": ticks, "labelExpr": label, "grid": False, "labelAngle": 0},
        }
        y = _q(
            "value",
            scale={"domain": [0, top], "nice": False},
            axis={"title": axis, "values": _ticks(top, step), "labelExpr": _axis_labels(unit)},
        )
        base = {"x": x, "y": y, "color": _fixed_colours("colour")}
        lines = [_filter("!datum.rings")]
        points = "points"
        layers = [
            _layer(_mark("line", strokeWidth=2.5, aria=False), {**base, "detail": _n("run")}, lines, points),
            _layer(
                _mark("rule", color=INK, strokeWidth=1.5, aria=False),
                {**base, "y": _q("low"), "y2": {"field": "high"}, "color": {"value": INK}},
                [_filter("isValid(datum.low) && isValid(datum.high)")],
                points,
            ),
            _layer(
                _mark("point", filled=False, size=150, strokeWidth=1.5, opacity=1),
                {**base, "description": _n("tooltip")},
                [_filter("datum.rings")],
                points,
            ),
            _layer(
                _mark("point", filled=True, size=45, opacity=1),
                {**base, "description": _n("tooltip")},
                lines,
                points,
            ),
            *(
                _layer(mark, {"x": x, "y": _q("at"), "color": {"value": INK}, "text": _n("text")}, data=where)
                for where, mark in LABEL_MARKS.items()
            ),
        ]
        datasets = {"points": rows, **labels}
        if len(series) > 1:
            datasets["legend"] = _legend_items(series, plot_width)
            layers.append(LEGEND)
        return {"datasets": datasets, "layer": layers, "width": plot_width, "height": height}

    return draw(chart, title, desc, tooltips)


def _legend_items(series: Sequence[Series], plot_width: float) -> list[dict[str, Any]]:
    """Where each series' entry of the legend goes (LEGEND draws them), wrapping onto another row
    where the plot is narrow. Positions are in pixels from the plot's top left corner."""
    placed: list[tuple[float, int, Series]] = []
    x, row = -40.0, 0
    for s in series:
        width = 30 + len(s.name) * CHAR_WIDTH
        if placed and x + width > plot_width:
            x, row = -40.0, row + 1
        placed.append((x, row, s))
        x += width + 16
    return [
        {"x": x, "x2": x + 18, "y": -14 - 18 * (row - r), "name": s.name, "colour": s.color, "rings": s.rings}
        for x, r, s in placed
    ]


def _legend_layers() -> Spec:
    """A legend above the plot that shows each series as drawn: a line with a dot, or a ring."""
    pixels = {"x": _q("x", scale=None), "y": _q("y", scale=None), "color": _fixed_colours("colour")}
    centre = {**pixels, "x": _q("centre", scale=None)}
    at_centre = {"calculate": "datum.x + 9", "as": "centre"}
    lines, rings = _filter("!datum.rings"), _filter("datum.rings")
    return {
        "data": {"name": "legend"},
        "layer": [
            _layer(
                _mark("rule", strokeWidth=2.5, aria=False),
                {**pixels, "x2": {"field": "x2"}, "y2": {"field": "y"}},
                [lines],
            ),
            _layer(_mark("point", filled=True, size=45, opacity=1, aria=False), centre, [lines, at_centre]),
            _layer(
                _mark("point", filled=False, size=110, strokeWidth=1.5, opacity=1, aria=False),
                centre,
                [rings, at_centre],
            ),
            _layer(
                _mark("text", align="left", dx=24, aria=False),
                {**pixels, "text": _n("name"), "color": {"value": INK}},
            ),
        ],
    }


LEGEND = _legend_layers()


def _labelled(points: Sequence[Point], month_width: float) -> set[date]:
    """The months whose value is printed: the latest, the highest and the lowest, then others
    where labels do not crowd them; every point has its value in its tooltip and under the chart."""
    if not points:
        return set()
    chosen = [points[-1], max(points, key=lambda p: p.value or 0), min(points, key=lambda p: p.value or 0)]
    labelled = {p.month for p in chosen}

    def clear(p: Point) -> bool:
        return all(
            abs(_month_index(p.month) - _month_index(month)) * month_width >= CHAR_WIDTH * max(len(p.text), 4)
            for month in labelled
        )

    for p in reversed(points):
        if p.month not in labelled and clear(p):
            labelled.add(p.month)
    return labelled
