"""A chart on the page: its card (`<figure>`) with its title, drawings, values, precision and sources."""

from __future__ import annotations

from dataclasses import dataclass, replace

from kerncijfers.report.charts import Pending, Picture
from kerncijfers.report.data import Precision, Source
from kerncijfers.report.text import esc, month_name


@dataclass(frozen=True)
class Chart:
    chart_id: str
    title: str
    picture: Picture | Pending  # Pending while the drawing processes draw it (`finished`)
    sources: list[Source]
    precision: Precision
    note: str = ""
    lede: str = ""  # said first under the chart: what its bars cover


def finished(chart: Chart) -> Chart:
    """The chart with its picture drawn (waits for the drawing processes)."""
    picture = chart.picture.finished()
    return chart if picture is chart.picture else replace(chart, picture=picture)


def figure(chart: Chart) -> str:
    """A chart as <figure>: its title, the SVG, and a caption with its precision and sources."""
    cited = [
        f"<cite>{esc(s.title)}</cite> (<code>{esc(s.document_id)}</code>"
        + ("" if s.is_latest_for_month else f", vintage {s.vintage}")
        + ")"
        for s in chart.sources
    ]
    if len(cited) == 1:
        sources = f'<p class="source">Source: {cited[0]}.</p>'
    else:
        # A series over many months cites many publications: all listed, folded away.
        first, last = chart.sources[0].reference_month, chart.sources[-1].reference_month
        items = "".join(f"<li>{item}</li>" for item in cited)
        sources = (
            f'<details class="source"><summary>Sources: {len(cited)} publications, '
            f"{esc(month_name(first))} – {esc(month_name(last))}</summary>"
            f"<ul>{items}</ul></details>"
        )
    kind = "exact" if chart.precision.exact else "approx"
    badge = f'<span class="{kind}-badge">{esc(chart.precision.badge())}</span>'
    note = f"<p>{esc(chart.note)}</p>" if chart.note else ""
    lede = f'<p class="coverage">{esc(chart.lede)}</p>' if chart.lede else ""
    # Every value the chart shows, as text: a printed page, a screen reader and a copy-paste get
    # them all, not only the ones drawn as labels (the rest are in the marks' tooltips).
    shown = chart.picture.values
    values = f'<p class="values">Values: {esc("; ".join(shown))}.</p>' if shown else ""
    chart_id = esc(chart.chart_id)
    return (
        f'<figure class="chart" id="{chart_id}" aria-labelledby="{chart_id}-title">'
        f'<h3 id="{chart_id}-title">{esc(chart.title)}</h3>'
        f'<div class="wide">{chart.picture.svg}</div><div class="narrow">{chart.picture.narrow}</div>'
        f'<figcaption>{lede}{values}{note}<p class="precision">{badge}{esc(chart.precision.describe())}</p>'
        f"{sources}</figcaption></figure>"
    )
