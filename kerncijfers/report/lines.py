"""Values per month on a time axis: lines with gaps, value labels placed clear of the lines and axes."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from kerncijfers.report import vegalite as vl
from kerncijfers.report.charts import (
    BLUE,
    CHAR_WIDTH,
    INK,
    Pending,
    Picture,
    axis_labels,
    draw,
    nice_max,
    tick_values,
)
from kerncijfers.report.text import month_name


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


# Steps (in years) between the ticks of a time axis that spans decades.
YEAR_STEPS = (2, 5, 10, 20, 25, 50, 100, 200, 500, 1000)


def _month_index(month: date) -> int:
    return month.year * 12 + month.month - 1


def _epoch_ms(month: date) -> int:
    return int(datetime(month.year, month.month, 1, tzinfo=UTC).timestamp() * 1000)


# Where a value's label goes, so that the lines through its point do not cross it: above a peak,
# below a trough, up and to the side away from the line on a slope.
ABOVE, BELOW, UP_LEFT, UP_RIGHT = "above", "below", "up_left", "up_right"

# How each stands from its point (text is 12 px, centred on its y).
LABEL_MARKS = {
    ABOVE: vl.mark_spec("text", dy=-12, aria=False),
    BELOW: vl.mark_spec("text", dy=17, aria=False),
    UP_LEFT: vl.mark_spec("text", align="right", dx=-6, dy=-10, aria=False),
    UP_RIGHT: vl.mark_spec("text", align="left", dx=6, dy=-10, aria=False),
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


def line_chart(
    title: str, desc: str, series: Sequence[Series], axis: str, unit: str = "count"
) -> Picture | Pending:
    """Values per month on a time axis. A line joins consecutive months only: a month without a
    figure (not published, or no month figure) is a gap, never an interpolation."""
    months = sorted({point.month for s in series for point in s.points})
    first, last = _month_index(months[0]), _month_index(months[-1])
    values = [v for s in series for p in s.points for v in (p.value, p.high) if v is not None]
    top, step = nice_max(max(values) if values else 1)
    tooltips = [
        f"{s.name}, {month_name(p.month)}: {p.text}"
        for s in sorted(series, key=lambda s: not s.rings)  # drawn first: under the points
        for p in sorted(s.points, key=lambda p: p.month)
        if p.value is not None
    ]

    def chart(width: int, compact: bool) -> vl.Spec:
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
        y = vl.quantitative(
            "value",
            scale={"domain": [0, top], "nice": False},
            axis={"title": axis, "values": tick_values(top, step), "labelExpr": axis_labels(unit)},
        )
        base = {"x": x, "y": y, "color": vl.fixed_colours("colour")}
        lines = [vl.filter_spec("!datum.rings")]
        points = "points"
        layers = [
            vl.layer_spec(
                vl.mark_spec("line", strokeWidth=2.5, aria=False),
                {**base, "detail": vl.nominal("run")},
                lines,
                points,
            ),
            vl.layer_spec(
                vl.mark_spec("rule", color=INK, strokeWidth=1.5, aria=False),
                {**base, "y": vl.quantitative("low"), "y2": {"field": "high"}, "color": {"value": INK}},
                [vl.filter_spec("isValid(datum.low) && isValid(datum.high)")],
                points,
            ),
            vl.layer_spec(
                vl.mark_spec("point", filled=False, size=150, strokeWidth=1.5, opacity=1),
                {**base, "description": vl.nominal("tooltip")},
                [vl.filter_spec("datum.rings")],
                points,
            ),
            vl.layer_spec(
                vl.mark_spec("point", filled=True, size=45, opacity=1),
                {**base, "description": vl.nominal("tooltip")},
                lines,
                points,
            ),
            *(
                vl.layer_spec(
                    mark,
                    {"x": x, "y": vl.quantitative("at"), "color": {"value": INK}, "text": vl.nominal("text")},
                    data=where,
                )
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


def _legend_layers() -> vl.Spec:
    """A legend above the plot that shows each series as drawn: a line with a dot, or a ring."""
    pixels = {
        "x": vl.quantitative("x", scale=None),
        "y": vl.quantitative("y", scale=None),
        "color": vl.fixed_colours("colour"),
    }
    centre = {**pixels, "x": vl.quantitative("centre", scale=None)}
    at_centre = {"calculate": "datum.x + 9", "as": "centre"}
    lines, rings = vl.filter_spec("!datum.rings"), vl.filter_spec("datum.rings")
    return {
        "data": {"name": "legend"},
        "layer": [
            vl.layer_spec(
                vl.mark_spec("rule", strokeWidth=2.5, aria=False),
                {**pixels, "x2": {"field": "x2"}, "y2": {"field": "y"}},
                [lines],
            ),
            vl.layer_spec(
                vl.mark_spec("point", filled=True, size=45, opacity=1, aria=False), centre, [lines, at_centre]
            ),
            vl.layer_spec(
                vl.mark_spec("point", filled=False, size=110, strokeWidth=1.5, opacity=1, aria=False),
                centre,
                [rings, at_centre],
            ),
            vl.layer_spec(
                vl.mark_spec("text", align="left", dx=24, aria=False),
                {**pixels, "text": vl.nominal("name"), "color": {"value": INK}},
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
    # The labelled months as sorted month numbers: a label is clear of all of them when it is clear
    # of its nearest neighbour on each side.
    taken = sorted({_month_index(month) for month in labelled})

    def clear(p: Point) -> bool:
        index = _month_index(p.month)
        at = bisect.bisect_left(taken, index)
        nearest = taken[max(at - 1, 0) : at + 1]
        room = CHAR_WIDTH * max(len(p.text), 4)
        return all(abs(index - month) * month_width >= room for month in nearest)

    for p in reversed(points):
        if p.month not in labelled and clear(p):
            labelled.add(p.month)
            bisect.insort(taken, _month_index(p.month))
    return labelled
