"""Bars: horizontal bars with whiskers, the Dublin funnel, and shares of a whole stacked."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kerncijfers.report import vegalite as vl
from kerncijfers.report.charts import (
    BLUE,
    CHAR_WIDTH,
    INK,
    LINE_HEIGHT,
    MUTED,
    NARROW,
    ORANGE,
    VERMILLION,
    Pending,
    Picture,
    axis_labels,
    draw,
    label_every,
    nice_max,
    text_on,
    text_width,
    tick_values,
    wrap,
)


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
) -> Picture | Pending:
    """Horizontal bars, one per row: the label left, the bar, a whisker [low, high] where given,
    and the value printed right of the plot, clear of bars and whiskers."""
    largest = max(max(bar.high or 0, bar.value) for bar in bars)
    top, step = (axis_max, axis_max / 4) if axis_max else nice_max(largest)

    def chart(width: int, compact: bool) -> vl.Spec:
        texts = [bar.short or bar.text if compact else bar.text for bar in bars]
        # A label longer than its room is wrapped at spaces onto more lines, never cut.
        lines = [wrap(bar.label, (width * 0.45 - 12) / CHAR_WIDTH) for bar in bars]
        label_width = min(width * 0.45, text_width([line for label in lines for line in label]) + 12)
        values_width = min(width * 0.4, text_width(texts) + 14)
        plot_width = width - label_width - values_width
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
        y = vl.nominal("label", sort=None, axis={"title": None, "labelFontSize": 12})
        if most > 1:
            y["axis"] |= {"labelExpr": "split(datum.value, '\\n')", "labelLineHeight": LINE_HEIGHT}
        values = tick_values(top, step if width > NARROW else step * 2)
        every = label_every(values, plot_width, unit)
        labels = axis_labels(unit, values[every] if every > 1 else None)
        x = vl.quantitative(
            "value",
            scale={"domain": [0, top], "nice": False},
            axis={"title": axis, "values": values, "labelExpr": labels},
        )
        layers = [
            vl.layer_spec(
                vl.mark_spec("bar", size=16),
                {"y": y, "x": x, "color": vl.fixed_colours("color"), "description": vl.nominal("tooltip")},
            )
        ]
        if any(bar.low is not None and bar.high is not None for bar in bars):
            whiskers = [vl.filter_spec("isValid(datum.low) && isValid(datum.high)")]
            cap = vl.mark_spec("tick", color=INK, thickness=1.5, size=10, orient="vertical", aria=False)
            layers += [
                vl.layer_spec(
                    vl.mark_spec("rule", color=INK, strokeWidth=1.5, aria=False),
                    {"y": y, "x": vl.quantitative("low"), "x2": {"field": "high"}},
                    whiskers,
                ),
                vl.layer_spec(cap, {"y": y, "x": vl.quantitative("low")}, whiskers),
                vl.layer_spec(cap, {"y": y, "x": vl.quantitative("high")}, whiskers),
            ]
        layers.append(
            vl.layer_spec(
                vl.mark_spec("text", align="left", dx=8, aria=False),
                {"y": y, "x": {"value": plot_width}, "text": vl.nominal("text")},
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


@dataclass(frozen=True)
class Stage:
    label: str
    value: int
    text: str
    tooltip: str
    short: str = ""  # its text on a phone (default: text)


def funnel_chart(title: str, desc: str, stages: Sequence[Stage]) -> Picture | Pending:
    """Stages as centred bars, each as wide as its count, its label and value above it, joined to
    the next by a shaded band that stops short of the label. The vertical scale is in pixels from
    the top."""
    band, gap, label = 24, 40, 20  # a bar's height, the room between bars, the label's part of it
    largest = max(stage.value for stage in stages) or 1

    def chart(width: int, compact: bool) -> vl.Spec:
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
        x = vl.quantitative("left", axis=None, scale={"domain": [-largest / 2, largest / 2], "nice": False})
        plot_width = width - 12
        return {
            "datasets": {"links": links, "stages": bars},
            "layer": [
                vl.layer_spec(
                    vl.mark_spec("area", color="#eaeef2", orient="horizontal", aria=False),
                    {
                        "y": vl.quantitative("y", scale=pixels, axis=None),
                        "x": x,
                        "x2": {"field": "right"},
                        "detail": vl.nominal("link"),
                    },
                    data="links",
                ),
                vl.layer_spec(
                    vl.mark_spec("rect"),
                    {
                        "y": vl.quantitative("top", scale=pixels, axis=None),
                        "y2": {"field": "bottom"},
                        "x": x,
                        "x2": {"field": "right"},
                        "color": vl.fixed_colours("color"),
                        "description": vl.nominal("tooltip"),
                    },
                    data="stages",
                ),
                vl.layer_spec(
                    vl.mark_spec("text", baseline="bottom", aria=False),
                    {
                        "y": vl.quantitative("label_at", scale=pixels, axis=None),
                        "x": {"value": plot_width / 2},
                        "text": vl.nominal("text"),
                    },
                    data="stages",
                ),
            ],
            "width": plot_width,
            "height": height,
        }

    return draw(chart, title, desc, [stage.tooltip for stage in stages])


@dataclass(frozen=True)
class Segment:
    value: float  # its share of the row
    text: str  # printed inside, where it fits
    detail: str  # printed under the row (not on a phone: it is under the chart)
    tooltip: str
    color: str
    name: str = ""  # its name in the legend


def stacked_chart(title: str, desc: str, rows: Sequence[tuple[str, Sequence[Segment]]]) -> Picture | Pending:
    """One bar per row split into segments by their share, a label above each row, the
    segments' details under it, and a legend on top."""
    legend = list(dict.fromkeys((s.name, s.color) for _, segments in rows for s in segments))

    def chart(width: int, compact: bool) -> vl.Spec:
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
                        "ink": text_on(segment.color),
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
        colour = vl.nominal(
            "name",
            scale={"domain": [name for name, _ in legend], "range": [colour for _, colour in legend]},
            legend={"orient": "top", "direction": "horizontal", "columns": 1 if compact else 0},
        )
        texts = {"y": y, "x": {"value": 0}}
        return {
            "datasets": {"segments": marks, "rows": lines},
            "layer": [
                vl.layer_spec(
                    vl.mark_spec("bar"),
                    {
                        "y": y,
                        "x": vl.quantitative("start", axis=None, scale={"domain": [0, 1], "nice": False}),
                        "x2": {"field": "end"},
                        "color": colour,
                        "description": vl.nominal("tooltip"),
                    },
                    data="segments",
                ),
                vl.layer_spec(
                    vl.mark_spec("text", fontWeight="bold", aria=False),
                    {
                        "y": y,
                        "x": vl.quantitative("middle"),
                        "text": vl.nominal("inside"),
                        "color": vl.fixed_colours("ink"),
                    },
                    data="segments",
                ),
                vl.layer_spec(
                    vl.mark_spec("text", align="left", dy=-23, aria=False),
                    {**texts, "text": vl.nominal("label")},
                    data="rows",
                ),
                vl.layer_spec(
                    vl.mark_spec("text", align="left", dy=24, fontSize=11, color=MUTED, aria=False),
                    {**texts, "text": vl.nominal("details")},
                    data="rows",
                ),
            ],
            "width": plot_width,
            "height": {"step": 72 if not compact else 60},
        }

    return draw(chart, title, desc, [s.tooltip for _, segments in rows for s in segments])
