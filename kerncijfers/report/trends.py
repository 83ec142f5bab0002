"""The charts over time: each series over the months the warehouse holds."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from kerncijfers.report.cards import Chart
from kerncijfers.report.charts import BLUE, GREEN, INK, ORANGE, PURPLE, SKY, VERMILLION
from kerncijfers.report.data import Row, Warehouse
from kerncijfers.report.lines import Point, Series, line_chart
from kerncijfers.report.text import POPULATIONS, circa, count, pct

DIFFERENCED = (
    "The month figure is the difference of consecutive year-to-date counts (January: the "
    "count itself), so it is off by up to one rounding unit; no point where the previous "
    "month is missing."
)


def _points(rows: Iterable[Row], column: str, text: Callable[[Any], str]) -> list[Point]:
    """One point per row; a null value (no figure for the month) stays a gap."""
    return [
        Point(
            row["reference_month"],
            None if row[column] is None else float(row[column]),
            "" if row[column] is None else text(row[column]),
        )
        for row in rows
    ]


def trend_charts(warehouse: Warehouse) -> list[Chart]:
    """Each series over the months the warehouse holds (the latest vintage of each month)."""
    charts = []
    inflow = warehouse.tables["inflow"]
    for column, population, title, chart_id, color in (
        (
            "first_applications",
            "first_applicants",
            "First asylum applications per month",
            "chart-trend-first-applications",
            BLUE,
        ),
        (
            "family_reunification_arrivals",
            "family_reunification",
            "Nareizigers arrived per month",
            "chart-trend-nareizigers",
            GREEN,
        ),
    ):
        precision = warehouse.precision_of(inflow, [(column, population)])
        points = _points(inflow, column, (lambda v: f"≈{count(v)}") if precision.approximate else count)
        series = [Series(title.removesuffix(" per month"), points, color)]
        picture = line_chart(title, f"{title}, {len(points)} months.", series, "per month")
        charts.append(Chart(chart_id, title, picture, warehouse.sources_of(inflow), precision))

    dublin = warehouse.tables["dublin"]
    if dublin:
        codes = ("first_applications_handled", "first_applications_rejected_dublin", "dublin_share")
        precision = warehouse.precision_of(dublin, [(code, "first_applicants") for code in codes])
        computed = Series(
            "computed from the counts",
            [
                Point(
                    row["reference_month"],
                    float(row["dublin_share_of_handled_pct"]),
                    pct(row["dublin_share_of_handled_pct"], 1),
                    float(row["dublin_share_of_handled_low_pct"]),
                    float(row["dublin_share_of_handled_high_pct"]),
                )
                for row in dublin
                if row["dublin_share_of_handled_pct"] is not None
            ],
            VERMILLION,
        )
        published = Series(
            "as published",
            _points(dublin, "published_dublin_share_pct", lambda v: circa(pct(v), precision.approximate)),
            INK,
            rings=True,
        )
        title = "Dublin rejection share per month: share of handled first applications rejected under Dublin"
        picture = line_chart(
            title,
            "The Dublin share per month, computed and as published.",
            [published, computed],
            "share of handled",
            unit="percent",
        )
        note = "Rings: the share as published; dots: computed from the published counts."
        spreads = [(p.high - p.low) / 2 for p in computed.points if p.low is not None and p.high is not None]
        if spreads:
            note += (
                " Whiskers: the range the rounding of the counts allows, at most "
                f"±{max(spreads):.1f} points here."
            )
        charts.append(
            Chart("chart-trend-dublin-share", title, picture, warehouse.sources_of(dublin), precision, note)
        )

    for population, chart_id, color in (
        ("all_aliens", "chart-trend-departures", BLUE),
        ("criminal_aliens", "chart-trend-departures-criminal", ORANGE),
    ):
        rows = warehouse.rows("departures", population_code=population)
        if rows:
            precision = warehouse.precision_of(rows, [("departures", population)])
            title = f"Departures per month: {POPULATIONS[population].lower()}"
            series = [Series("departed in the month", _points(rows, "departed_in_month", count), color)]
            picture = line_chart(title, f"{title}.", series, "per month")
            sources = warehouse.sources_of(rows)
            charts.append(Chart(chart_id, title, picture, sources, precision, DIFFERENCED))

    permits = warehouse.tables["permits"]
    if permits:
        precision = warehouse.precision_of(permits, [("permits_granted", "regular_migrants")])
        colors = [PURPLE, SKY, ORANGE, GREEN, VERMILLION, BLUE]
        purposes = list(dict.fromkeys(row["purpose_code"] for row in permits))
        series = []
        for i, purpose in enumerate(purposes):
            rows = [row for row in permits if row["purpose_code"] == purpose]
            series.append(
                Series(
                    rows[0]["purpose_name_en"],
                    _points(rows, "granted_in_month", count),
                    colors[i % len(colors)],
                )
            )
        title = "Regular residence permits granted per month, by purpose"
        picture = line_chart(title, "Permits granted in each month, per purpose.", series, "per month")
        charts.append(
            Chart(
                "chart-trend-permits", title, picture, warehouse.sources_of(permits), precision, DIFFERENCED
            )
        )

    totals = warehouse.rows("grant_rates", nationality_code="TOTAL")
    if totals:
        precision = warehouse.precision_of(totals, [("grant_rate", "first_applicants")])
        title = "Grant rate of first asylum applications over the past twelve months, by month"
        series = [Series("all nationalities", _points(totals, "grant_rate_pct", pct), SKY)]
        picture = line_chart(
            title, "The twelve-month grant rate per month.", series, "grant rate", unit="percent"
        )
        note = "Each point is the rate of the twelve months ending in that month."
        charts.append(
            Chart("chart-trend-grant-rate", title, picture, warehouse.sources_of(totals), precision, note)
        )
    return charts
