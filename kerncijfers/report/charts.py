"""Charts as inline SVG, drawn in Python for the report (kerncijfers/report/page.py).

No charting library and no script: the SVG is written out here, so the page needs nothing from
outside and renders the same in any browser, or printed. Each chart is an accessible image (a
<title> and <desc>), every mark has a tooltip (<title>) holding its exact value, and all text is
escaped. Layout is in SVG user units; the page scales the SVG to its column.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

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
WIDTH = 640
CHAR_WIDTH = 7.0  # average width of a 12px sans-serif character (DejaVu Sans), to lay out labels


def esc(text: object) -> str:
    """Text for HTML or SVG content and attribute values."""
    return html.escape(str(text), quote=True)


def month_name(month: date) -> str:
    return f"{MONTHS[month.month - 1]} {month.year}"


def _num(value: object) -> object:
    """Coordinates to one decimal, without trailing zeros: smaller files, same picture."""
    return f"{value:.1f}".rstrip("0").rstrip(".") if isinstance(value, float) else value


def element(name: str, text: str = "", tooltip: str = "", **attributes: object) -> str:
    """One SVG element. Attribute names are Python names: `class_` -> class, `text_anchor` ->
    text-anchor; None leaves the attribute out."""
    attrs = "".join(
        f' {key.rstrip("_").replace("_", "-")}="{esc(_num(value))}"'
        for key, value in attributes.items()
        if value is not None
    )
    inner = (f"<title>{esc(tooltip)}</title>" if tooltip else "") + esc(text)
    return f"<{name}{attrs}>{inner}</{name}>" if inner else f"<{name}{attrs}/>"


def mark(tooltip: str, parts: Sequence[str]) -> str:
    """A group of shapes showing one value, with that value as its tooltip."""
    return f'<g class="mark"><title>{esc(tooltip)}</title>{"".join(parts)}</g>'


_MARK_TITLE = re.compile(r'<g class="mark"><title>(.*?)</title>', re.S)


def mark_values(picture: str) -> list[str]:
    """The tooltips of a chart's marks (`mark`), in drawing order, each once: every value the
    chart shows, as text."""
    return list(dict.fromkeys(html.unescape(text) for text in _MARK_TITLE.findall(picture)))


def svg(width: float, height: float, title: str, desc: str, parts: Sequence[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_num(width)} {_num(height)}" '
        f'width="{_num(width)}" height="{_num(height)}" role="img">'
        f"<title>{esc(title)}</title><desc>{esc(desc)}</desc>{''.join(parts)}</svg>"
    )


def _nice_max(value: float, ticks: int = 4) -> tuple[float, float]:
    """An axis maximum at or above value and its step (1, 2, 2.5 or 5 × 10^k), about `ticks` steps."""
    raw = value / ticks if value > 0 else 1
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(f * magnitude for f in (1, 2, 2.5, 5, 10) if raw <= f * magnitude)
    return max(step, math.ceil(value / step) * step), step


def _tick(value: float, unit: str) -> str:
    text = f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"
    return f"{text}%" if unit == "percent" else text


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
) -> str:
    """Horizontal bars, one per row: the label left, the bar, a whisker [low, high] where given,
    and the value printed right of the plot, clear of bars and whiskers."""
    label_width = min(WIDTH * 0.45, max(len(bar.label) for bar in bars) * CHAR_WIDTH + 12)
    text_width = min(WIDTH * 0.4, max(len(bar.text) for bar in bars) * CHAR_WIDTH + 14)
    left, right, top, row = label_width, WIDTH - text_width, 8, 28
    axis_y = top + row * len(bars) + 4
    largest = max(max(bar.high or 0, bar.value) for bar in bars)
    top_value, step = (axis_max, axis_max / 4) if axis_max else _nice_max(largest)

    def x(value: float) -> float:
        return left + (right - left) * value / top_value

    parts = []
    for i in range(round(top_value / step) + 1):
        tick = i * step
        parts.append(element("line", x1=x(tick), x2=x(tick), y1=top, y2=axis_y, class_="grid"))
        parts.append(
            element("text", _tick(tick, unit), x=x(tick), y=axis_y + 14, class_="tick", text_anchor="middle")
        )
    parts.append(
        element("text", axis, x=(left + right) / 2, y=axis_y + 32, class_="axis", text_anchor="middle")
    )
    fits = int((label_width - 12) / CHAR_WIDTH)
    for i, bar in enumerate(bars):
        mid = top + row * i + row / 2
        # A label too long for its column is shortened; the tooltip keeps it whole.
        label = bar.label if len(bar.label) <= fits else bar.label[: fits - 1] + "…"
        shapes = [
            element("text", label, x=left - 8, y=mid + 4, text_anchor="end", class_="label"),
            element("rect", x=left, y=mid - 8, width=max(x(bar.value) - left, 1), height=16, fill=bar.color),
        ]
        if bar.low is not None and bar.high is not None:
            lo, hi = x(bar.low), x(bar.high)
            shapes += [
                element("line", x1=lo, x2=hi, y1=mid, y2=mid, class_="whisker"),
                element("line", x1=lo, x2=lo, y1=mid - 5, y2=mid + 5, class_="whisker"),
                element("line", x1=hi, x2=hi, y1=mid - 5, y2=mid + 5, class_="whisker"),
            ]
        shapes.append(element("text", bar.text, x=right + 8, y=mid + 4, class_="value"))
        parts.append(mark(bar.tooltip, shapes))
    return svg(WIDTH, axis_y + 44, title, desc, parts)


@dataclass(frozen=True)
class Stage:
    label: str
    value: int
    text: str
    tooltip: str


def funnel_chart(title: str, desc: str, stages: Sequence[Stage]) -> str:
    """Stages as centred bars, each as wide as its count, joined by shaded trapezoids."""
    top, band, gap = 8, 24, 34
    centre, full = WIDTH / 2, WIDTH - 40
    largest = max(stage.value for stage in stages) or 1
    colors = [BLUE, ORANGE, VERMILLION]
    parts = []
    previous: tuple[float, float] | None = None  # half-width and bottom of the stage above
    for i, stage in enumerate(stages):
        y = top + i * (band + gap) + 18
        half = max(full * stage.value / largest / 2, 1)
        if previous is not None:
            (above, bottom) = previous
            corners = [
                (centre - above, bottom),
                (centre + above, bottom),
                (centre + half, y),
                (centre - half, y),
            ]
            points = " ".join(f"{_num(px)},{_num(py)}" for px, py in corners)
            parts.append(element("polygon", class_="funnel-link", points=points))
        parts.append(
            mark(
                stage.tooltip,
                [
                    element(
                        "text",
                        f"{stage.label}: {stage.text}",
                        x=centre,
                        y=y - 6,
                        text_anchor="middle",
                        class_="label",
                    ),
                    element("rect", x=centre - half, y=y, width=2 * half, height=band, fill=colors[i % 3]),
                ],
            )
        )
        previous = (half, y + band)
    return svg(WIDTH, top + len(stages) * (band + gap) + 4, title, desc, parts)


@dataclass(frozen=True)
class Segment:
    value: float  # its share of the row
    text: str  # printed inside, where it fits
    detail: str  # printed under the row
    tooltip: str
    color: str


def stacked_chart(
    title: str, desc: str, rows: Sequence[tuple[str, Sequence[Segment]]], legend: Sequence[tuple[str, str]]
) -> str:
    """One bar per row split into segments by their share, a label above each row, the
    segments' details under it, and a legend on top."""
    top, band, gap = 28, 26, 46
    left, right = 12.0, WIDTH - 12.0
    parts = []
    x = left
    for label, color in legend:
        parts.append(element("rect", x=x, y=6, width=12, height=12, fill=color))
        parts.append(element("text", label, x=x + 17, y=16, class_="label"))
        x += 17 + len(label) * CHAR_WIDTH + 24
    for i, (label, segments) in enumerate(rows):
        y = top + i * (band + gap) + 20
        parts.append(element("text", label, x=left, y=y - 7, class_="label"))
        total = sum(segment.value for segment in segments) or 1
        x = left
        for segment in segments:
            width = (right - left) * segment.value / total
            shapes = [element("rect", x=x, y=y, width=width, height=band, fill=segment.color)]
            if width > len(segment.text) * CHAR_WIDTH + 8:
                shapes.append(
                    element(
                        "text",
                        segment.text,
                        x=x + width / 2,
                        y=y + band / 2 + 4,
                        text_anchor="middle",
                        class_="inside",
                    )
                )
            parts.append(mark(segment.tooltip, shapes))
            x += width
        details = " · ".join(segment.detail for segment in segments)
        parts.append(element("text", details, x=left, y=y + band + 14, class_="note"))
    return svg(WIDTH, top + len(rows) * (band + gap) + 4, title, desc, parts)


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


def line_chart(title: str, desc: str, series: Sequence[Series], axis: str, unit: str = "count") -> str:
    """Values per month on a time axis. A line joins consecutive months only: a month without a
    figure (not published, or no month figure) is a gap, never an interpolation."""
    months = sorted({point.month for s in series for point in s.points})
    first, last = _month_index(months[0]), _month_index(months[-1])
    span = max(last - first, 1)
    legend = 22 if len(series) > 1 else 0
    left, right, top, bottom = 64.0, WIDTH - 24.0, 14.0 + legend, 250.0 + legend
    # The first and last months stand in from the axes, so their labels clear the tick labels.
    inner_left, inner_right = left + 24, right - 24
    values = [v for s in series for p in s.points for v in (p.value, p.high) if v is not None]
    top_value, step = _nice_max(max(values) if values else 1)

    def x(month: date) -> float:
        if first == last:
            return (left + right) / 2
        return inner_left + (inner_right - inner_left) * (_month_index(month) - first) / span

    def y(value: float) -> float:
        return bottom - (bottom - top) * value / top_value

    parts = []
    lx = left
    for s in series if legend else []:
        parts.append(
            element(
                "line",
                x1=lx,
                x2=lx + 18,
                y1=10,
                y2=10,
                stroke=s.color,
                class_="dashed" if s.dashed else "line",
            )
        )
        parts.append(element("text", s.name, x=lx + 24, y=14, class_="label"))
        lx += 24 + len(s.name) * CHAR_WIDTH + 22
    for i in range(round(top_value / step) + 1):
        tick = i * step
        parts.append(element("line", x1=left, x2=right, y1=y(tick), y2=y(tick), class_="grid"))
        parts.append(
            element("text", _tick(tick, unit), x=left - 6, y=y(tick) + 4, class_="tick", text_anchor="end")
        )
    # Every month on the axis where there is room, else each January; the year under the first
    # month of each year shown.
    roomy = (inner_right - inner_left) / span >= 24
    shown = months if roomy else [m for m in months if m.month == 1] or months[:1]
    years: set[int] = set()
    for month in shown:
        parts.append(element("line", x1=x(month), x2=x(month), y1=bottom, y2=bottom + 4, class_="axis-line"))
        parts.append(
            element(
                "text",
                MONTHS[month.month - 1][:3],
                x=x(month),
                y=bottom + 16,
                class_="tick",
                text_anchor="middle",
            )
        )
        if month.year not in years:
            years.add(month.year)
            parts.append(
                element(
                    "text", str(month.year), x=x(month), y=bottom + 29, class_="tick", text_anchor="middle"
                )
            )
    parts.append(element("line", x1=left, x2=right, y1=bottom, y2=bottom, class_="axis-line"))
    middle = (top + bottom) / 2
    parts.append(
        element(
            "text",
            axis,
            x=14,
            y=middle,
            class_="axis",
            text_anchor="middle",
            transform=f"rotate(-90 14 {_num(middle)})",
        )
    )
    for s in series:
        parts += _series(s, x, y, lowest_baseline=top - 3)
    return svg(WIDTH, bottom + 44, title, desc, parts)


# How far a value label's glyphs reach above its baseline (12 px text).
GLYPH_HEIGHT = 10.0


def _series(
    s: Series, x: Callable[[date], float], y: Callable[[float], float], lowest_baseline: float
) -> list[str]:
    """A series' lines, points and value labels. A label goes above its point, or below it where
    above would leave the plot (a value at the top of the axis: its label was cut in half, "80"
    showing as "ou") — `lowest_baseline` is the highest a label's baseline may stand."""
    points = sorted((p for p in s.points if p.value is not None), key=lambda p: p.month)
    parts = []
    runs: list[list[Point]] = []  # consecutive months
    for p in points:
        if runs and _month_index(p.month) - _month_index(runs[-1][-1].month) == 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    for run in runs:
        if len(run) > 1:
            coordinates = " ".join(f"{_num(x(p.month))},{_num(y(p.value or 0))}" for p in run)
            parts.append(
                element(
                    "polyline", points=coordinates, stroke=s.color, class_="dashed" if s.dashed else "line"
                )
            )
    # Values are printed where they do not crowd each other, always for the latest month; each
    # point has its value in its tooltip.
    labelled: set[date] = set()
    last_x = math.inf
    for p in reversed(points):
        if not labelled or last_x - x(p.month) >= CHAR_WIDTH * max(len(p.text), 4):
            labelled.add(p.month)
            last_x = x(p.month)
    for p in points:
        value = p.value or 0.0
        shapes = []
        if p.low is not None and p.high is not None:
            shapes.append(
                element("line", x1=x(p.month), x2=x(p.month), y1=y(p.low), y2=y(p.high), class_="whisker")
            )
        shapes.append(
            element(
                "circle",
                cx=x(p.month),
                cy=y(value),
                r=6 if s.dashed else 3.5,
                fill="none" if s.dashed else s.color,
                stroke=s.color,
                stroke_width=1.5,
            )
        )
        if not s.dashed and p.month in labelled:
            baseline = y(p.high if p.high is not None else value) - 8
            if baseline < lowest_baseline:
                baseline = y(p.low if p.low is not None else value) + 8 + GLYPH_HEIGHT
            shapes.append(
                element("text", p.text, x=x(p.month), y=baseline, text_anchor="middle", class_="value")
            )
        parts.append(mark(f"{s.name}, {month_name(p.month)}: {p.text}", shapes))
    return parts
