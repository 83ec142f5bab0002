"""Charts for the report (kerncijfers/report/page.py): Vega-Lite through altair, drawn as static SVG.

Each chart is a Vega-Lite specification built with altair and rendered to SVG by vl-convert, which
bundles Vega's own renderer (no browser, no network, no script in the page). The SVG is then made
an accessible image: a <title> and <desc> of its own, and a <title> (a hover tooltip) on every mark
that shows a value, holding that value as text. The same texts come back as `Picture.values`, so the
page can print every value under its chart: nothing is only in a tooltip.

The data of a chart is inline in its specification; all text reaches the SVG through Vega's
renderer, which escapes it.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import altair as alt

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
WIDTH = 640  # a chart's width in pixels, labels included; the page scales it to its column
CHAR_WIDTH = 7.0  # average width of a 12px sans-serif character, to lay out labels
FONT = '"DejaVu Sans", "Liberation Sans", Arial, sans-serif'
# How Vega-Lite draws what the specifications below leave open: the page's colours and font.
CONFIG: dict[str, Any] = {
    "font": FONT,
    "background": "white",
    "padding": 6,
    "view": {"stroke": None},
    "axis": {
        "labelFontSize": 11,
        "titleFontSize": 11,
        "titleFontWeight": "normal",
        "labelColor": MUTED,
        "titleColor": MUTED,
        "domainColor": GREY,
        "tickColor": GREY,
        "gridColor": "#eaeef2",
    },
    "legend": {"labelFontSize": 12, "labelColor": INK, "labelLimit": 320, "orient": "top", "title": None},
    "text": {"fontSize": 12, "color": INK},
}


def esc(text: object) -> str:
    """Text for HTML content and attribute values."""
    return html.escape(str(text), quote=True)


def month_name(month: date) -> str:
    return f"{MONTHS[month.month - 1]} {month.year}"


@dataclass(frozen=True)
class Picture:
    """A chart as the page shows it: the SVG, and the value of every mark, as text, in drawing
    order (each mark's tooltip)."""

    svg: str
    values: tuple[str, ...]


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
# channel, which every chart below sets to the mark's tooltip. Axes, legends and titles are
# labelled too, and are left alone.
_LABELLED = re.compile(r'<(path|line|rect|circle|text|g)\b([^>]*?)\saria-label="([^"]*)"([^>]*?)(/?)>')
_NOT_MARKS = ('aria-roledescription="axis"', 'aria-roledescription="legend"', 'aria-roledescription="title"')


def _with_tooltips(svg: str) -> str:
    def titled(match: re.Match[str]) -> str:
        tag, before, label, after, empty = match.groups()
        start = f'<{tag}{before} aria-label="{label}"{after}>'
        if any(kind in start for kind in _NOT_MARKS):
            return match.group(0)
        title = f"<title>{label}</title>"
        return f"{start}{title}</{tag}>" if empty else f"{start}{title}"

    return _LABELLED.sub(titled, svg)


def draw(chart: alt.TopLevelMixin, title: str, desc: str, values: Sequence[str]) -> Picture:
    """Render a chart to SVG offline, with its title, description and mark tooltips."""
    import vl_convert  # 33 MB of Vega and its JavaScript runtime: loaded when a chart is drawn

    spec = chart.to_dict()
    spec["config"] = CONFIG
    version = ".".join(alt.SCHEMA_VERSION.lstrip("v").split(".")[:2])
    svg = vl_convert.vegalite_to_svg(spec, vl_version=version)
    root = _ROOT.match(svg)
    if root is None:  # pragma: no cover - vl-convert always starts with the root element
        raise ValueError("vl-convert returned no <svg> element")
    opening = root.group(0)[:-1] + ' role="img">'
    if "xlink:" not in svg[root.end() :]:  # declared by Vega whether used or not
        opening = opening.replace(' xmlns:xlink="http://www.w3.org/1999/xlink"', "")
    svg = f"{opening}<title>{esc(title)}</title><desc>{esc(desc)}</desc>{svg[root.end() :]}"
    return Picture(_with_tooltips(svg), tuple(dict.fromkeys(values)))


def _data(rows: Sequence[dict[str, Any]]) -> alt.Data:
    return alt.Data(values=list(rows))


def _fixed_colours(field: str) -> alt.Color:
    """Colour each mark as its row says (`field` holds a colour), without a legend."""
    return alt.Color(f"{field}:N", scale=None, legend=None)


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


def bar_chart(
    title: str, desc: str, bars: Sequence[Bar], axis: str, unit: str = "count", axis_max: float | None = None
) -> Picture:
    """Horizontal bars, one per row: the label left, the bar, a whisker [low, high] where given,
    and the value printed right of the plot, clear of bars and whiskers."""
    label_width = min(WIDTH * 0.45, max(len(bar.label) for bar in bars) * CHAR_WIDTH + 12)
    text_width = min(WIDTH * 0.4, max(len(bar.text) for bar in bars) * CHAR_WIDTH + 14)
    plot_width = WIDTH - label_width - text_width
    largest = max(max(bar.high or 0, bar.value) for bar in bars)
    top, step = (axis_max, axis_max / 4) if axis_max else _nice_max(largest)
    rows = [
        {
            "label": bar.label,
            "value": bar.value,
            "low": bar.low,
            "high": bar.high,
            "text": bar.text,
            "tooltip": bar.tooltip,
            "color": bar.color,
        }
        for bar in bars
    ]
    y = alt.Y("label:N", sort=None, axis=alt.Axis(title=None, labelLimit=label_width - 8, labelFontSize=12))
    x = alt.X(
        "value:Q",
        scale=alt.Scale(domain=[0, top], nice=False),
        axis=alt.Axis(title=axis, values=_ticks(top, step), labelExpr=_axis_labels(unit)),
    )
    base = alt.Chart(_data(rows)).encode(y=y)
    layers = [
        base.mark_bar(size=16).encode(x=x, color=_fixed_colours("color"), description="tooltip:N"),
    ]
    if any(bar.low is not None and bar.high is not None for bar in bars):
        whiskers = base.transform_filter("isValid(datum.low) && isValid(datum.high)")
        layers += [
            whiskers.mark_rule(color=INK, strokeWidth=1.5, aria=False).encode(
                x=alt.X("low:Q"), x2=alt.X2("high:Q")
            ),
            whiskers.mark_tick(color=INK, thickness=1.5, size=10, orient="vertical", aria=False).encode(
                x=alt.X("low:Q")
            ),
            whiskers.mark_tick(color=INK, thickness=1.5, size=10, orient="vertical", aria=False).encode(
                x=alt.X("high:Q")
            ),
        ]
    layers.append(
        base.mark_text(align="left", dx=8, aria=False).encode(x=alt.value(plot_width), text="text:N")
    )
    chart = alt.layer(*layers).properties(width=plot_width, height=alt.Step(28))
    return draw(chart, title, desc, [bar.tooltip for bar in bars])


# ---------------------------------------------------------------------------------------------
# The Dublin funnel


@dataclass(frozen=True)
class Stage:
    label: str
    value: int
    text: str
    tooltip: str


def funnel_chart(title: str, desc: str, stages: Sequence[Stage]) -> Picture:
    """Stages as centred bars, each as wide as its count, its label and value above it, joined to
    the next by a shaded band. The vertical scale is in pixels from the top."""
    band, gap = 24, 34  # a bar's height, and the room between bars (the label is in it)
    largest = max(stage.value for stage in stages) or 1
    colours = [BLUE, ORANGE, VERMILLION]
    bars, links = [], []
    for i, stage in enumerate(stages):
        top = gap + i * (band + gap)
        half = max(stage.value, largest / 400) / 2  # a stage of none is a sliver, not nothing
        bars.append(
            {
                "top": top,
                "bottom": top + band,
                "label_at": top - 7,
                "left": -half,
                "right": half,
                "text": f"{stage.label}: {stage.text}",
                "tooltip": stage.tooltip,
                "color": colours[i % len(colours)],
            }
        )
        if i:
            above = bars[i - 1]
            links += [
                {"link": i, "y": above["bottom"], "left": above["left"], "right": above["right"]},
                {"link": i, "y": top, "left": -half, "right": half},
            ]
    height = gap + len(stages) * (band + gap) - gap + 4
    pixels = alt.Scale(domain=[height, 0], nice=False, zero=False)
    y = alt.Y("top:Q", axis=None, scale=pixels)
    x = alt.X("left:Q", axis=None, scale=alt.Scale(domain=[-largest / 2, largest / 2], nice=False))
    chart = alt.layer(
        alt.Chart(_data(links))
        .mark_area(color="#eaeef2", orient="horizontal", aria=False)
        .encode(y=alt.Y("y:Q", scale=pixels, axis=None), x=x, x2="right:Q", detail="link:N"),
        alt.Chart(_data(bars))
        .mark_rect()
        .encode(
            y=y, y2="bottom:Q", x=x, x2="right:Q", color=_fixed_colours("color"), description="tooltip:N"
        ),
        alt.Chart(_data(bars))
        .mark_text(baseline="bottom", aria=False)
        .encode(y=alt.Y("label_at:Q", scale=pixels, axis=None), x=alt.value((WIDTH - 12) / 2), text="text:N"),
    ).properties(width=WIDTH - 12, height=height)
    return draw(chart, title, desc, [stage.tooltip for stage in stages])


# ---------------------------------------------------------------------------------------------
# Shares of a whole, stacked


@dataclass(frozen=True)
class Segment:
    value: float  # its share of the row
    text: str  # printed inside, where it fits
    detail: str  # printed under the row
    tooltip: str
    color: str
    name: str = ""  # its name in the legend


def stacked_chart(title: str, desc: str, rows: Sequence[tuple[str, Sequence[Segment]]]) -> Picture:
    """One bar per row split into segments by their share, a label above each row, the
    segments' details under it, and a legend on top."""
    plot_width = WIDTH - 12
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
                    "tooltip": segment.tooltip,
                }
            )
            start = end
        lines.append({"row": i, "label": label, "details": " · ".join(s.detail for s in segments)})
    legend = list(dict.fromkeys((s.name, s.color) for _, segments in rows for s in segments))
    y = alt.Y("row:O", axis=None, scale=alt.Scale(paddingInner=0.6, paddingOuter=0.4))
    x = alt.X("start:Q", axis=None, scale=alt.Scale(domain=[0, 1], nice=False))
    colour = alt.Color(
        "name:N",
        scale=alt.Scale(domain=[name for name, _ in legend], range=[colour for _, colour in legend]),
        legend=alt.Legend(orient="top", direction="horizontal"),
    )
    segments = alt.Chart(_data(marks)).encode(y=y)
    text = alt.Chart(_data(lines)).encode(y=y, x=alt.value(0))
    chart = alt.layer(
        segments.mark_bar().encode(x=x, x2="end:Q", color=colour, description="tooltip:N"),
        segments.mark_text(color="white", fontWeight="bold", aria=False).encode(
            x=alt.X("middle:Q"), text="inside:N"
        ),
        text.mark_text(align="left", dy=-23, aria=False).encode(text="label:N"),
        text.mark_text(align="left", dy=24, fontSize=11, color=MUTED, aria=False).encode(text="details:N"),
    ).properties(width=plot_width, height=alt.Step(72))
    return draw(chart, title, desc, [mark["tooltip"] for mark in marks])


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
    # Rings on a dashed line, around the points of another series: a published value beside
    # the one computed from the counts.
    dashed: bool = False


def _month_index(month: date) -> int:
    return month.year * 12 + month.month - 1


def _epoch_ms(month: date) -> int:
    return int(datetime(month.year, month.month, 1, tzinfo=UTC).timestamp() * 1000)


def line_chart(title: str, desc: str, series: Sequence[Series], axis: str, unit: str = "count") -> Picture:
    """Values per month on a time axis. A line joins consecutive months only: a month without a
    figure (not published, or no month figure) is a gap, never an interpolation."""
    months = sorted({point.month for s in series for point in s.points})
    first, last = _month_index(months[0]), _month_index(months[-1])
    plot_width = WIDTH - 90
    values = [v for s in series for p in s.points for v in (p.value, p.high) if v is not None]
    top, step = _nice_max(max(values) if values else 1)
    rows, tooltips = [], []
    for s in series:
        points = sorted((p for p in s.points if p.value is not None), key=lambda p: p.month)
        labelled = _labelled(points, plot_width / max(last - first, 1))
        run = 0
        for i, p in enumerate(points):
            if i and _month_index(p.month) - _month_index(points[i - 1].month) > 1:
                run += 1  # a gap: the line stops, and starts again
            tooltip = f"{s.name}, {month_name(p.month)}: {p.text}"
            tooltips.append(tooltip)
            value = p.value or 0.0
            # A label above its point, or below it where above would reach into the legend or
            # off the picture (a value at the top of the axis).
            high = p.high if p.high is not None else value
            rows.append(
                {
                    "series": s.name,
                    "run": f"{s.name}/{run}",
                    "month": _epoch_ms(p.month),
                    "value": value,
                    "low": p.low,
                    "high": p.high,
                    "tooltip": tooltip,
                    "dashed": s.dashed,
                    "line_width": 1.5 if s.dashed else 2.5,
                    "above": p.text if p.month in labelled and not s.dashed and high < top * 0.92 else "",
                    "below": p.text if p.month in labelled and not s.dashed and high >= top * 0.92 else "",
                }
            )
    # Colour and dash each by series, in one legend (Vega-Lite merges the legends of
    # channels on one field): the legend shows each line as drawn.
    names = [s.name for s in series]
    legend = (
        alt.Legend(orient="top", direction="horizontal", symbolType="stroke") if len(series) > 1 else None
    )
    colour = alt.Color(
        "series:N", scale=alt.Scale(domain=names, range=[s.color for s in series]), legend=legend
    )
    dash = alt.StrokeDash(
        "series:N",
        scale=alt.Scale(domain=names, range=[[4, 3] if s.dashed else [1, 0] for s in series]),
        legend=legend,
    )
    # Every month on the axis where there is room, else every third, sixth or twelfth; the year
    # under each January and under the first month.
    span = last - first + 1
    every = next(k for k in (1, 3, 6, 12, 24) if span / k <= plot_width / 40)
    ticks = [
        _epoch_ms(date(index // 12, index % 12 + 1, 1))
        for index in range(first, last + 1)
        if (index % 12) % every == 0 or span <= 1
    ] or [_epoch_ms(months[0])]
    label = (
        "utcmonth(datum.value) == 0 || datum.index == 0 ? [utcFormat(datum.value, '%b'), "
        "utcFormat(datum.value, '%Y')] : utcFormat(datum.value, '%b')"
    )
    padding = 15 * 24 * 3600 * 1000  # half a month either side: the first and last points stand in
    x = alt.X(
        "month:T",
        scale=alt.Scale(type="utc", domain=[_epoch_ms(months[0]) - padding, _epoch_ms(months[-1]) + padding]),
        axis=alt.Axis(title=None, values=ticks, labelExpr=label, grid=False, labelAngle=0),
    )
    y = alt.Y(
        "value:Q",
        scale=alt.Scale(domain=[0, top], nice=False),
        axis=alt.Axis(title=axis, values=_ticks(top, step), labelExpr=_axis_labels(unit)),
    )
    base = (
        alt.Chart(_data(rows))
        .transform_calculate(
            high_or_value="isValid(datum.high) ? datum.high : datum.value",
            low_or_value="isValid(datum.low) ? datum.low : datum.value",
        )
        .encode(x=x, y=y, color=colour)
    )
    solid = base.transform_filter("!datum.dashed")
    dashed = base.transform_filter("datum.dashed")
    layers = [
        base.mark_line(aria=False).encode(
            detail="run:N", strokeDash=dash, strokeWidth=alt.StrokeWidth("line_width:Q", scale=None)
        ),
        base.transform_filter("isValid(datum.low) && isValid(datum.high)")
        .mark_rule(color=INK, strokeWidth=1.5, aria=False)
        .encode(y=alt.Y("low:Q"), y2=alt.Y2("high:Q"), color=alt.value(INK)),
        solid.mark_point(filled=True, size=45, opacity=1).encode(description="tooltip:N"),
        dashed.mark_point(filled=False, size=150, strokeWidth=1.5, opacity=1).encode(description="tooltip:N"),
        solid.mark_text(dy=-12, aria=False).encode(
            y=alt.Y("high_or_value:Q"), text="above:N", color=alt.value(INK)
        ),
        solid.mark_text(dy=16, aria=False).encode(
            y=alt.Y("low_or_value:Q"), text="below:N", color=alt.value(INK)
        ),
    ]
    chart = alt.layer(*layers).properties(width=plot_width, height=230)
    return draw(chart, title, desc, tooltips)


def _labelled(points: Sequence[Point], month_width: float) -> set[date]:
    """The months whose value is printed: where labels do not crowd each other, always the latest;
    every point has its value in its tooltip and under the chart."""
    labelled: set[date] = set()
    last = math.inf
    for p in reversed(points):
        position = _month_index(p.month) * month_width
        if not labelled or last - position >= CHAR_WIDTH * max(len(p.text), 4):
            labelled.add(p.month)
            last = position
    return labelled
