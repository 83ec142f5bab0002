"""`kerncijfers report`: the marts as one self-contained HTML page of charts.

The page holds its CSS and its charts (static SVG, kerncijfers/report/charts.py) and no script: it works
offline, from a file, in any browser, and can be archived beside the documents it was made from.
Every chart cites the publications its numbers come from and says which numbers are approximate
("circa", "afgerond op tientallen") or estimated, with the bounds the rounding allows.

`report.html#<chart id>` shows one chart alone (CSS `:target`): a link to a single chart, or a
frame to embed it. The browser test uses it to look at each chart's pixels.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from kerncijfers.errors import WarehouseError
from kerncijfers.report.charts import (
    BLUE,
    GREEN,
    GREY,
    INK,
    MONTHS,
    ORANGE,
    PURPLE,
    SKY,
    VERMILLION,
    Bar,
    Picture,
    Point,
    Segment,
    Series,
    Stage,
    bar_chart,
    esc,
    funnel_chart,
    line_chart,
    month_name,
    stacked_chart,
    start_runtime,
)
from kerncijfers.safe_write import refuse_links, write_file
from kerncijfers.warehouse import connect, unreadable

Row = dict[str, Any]
# The Dutch wording of a stated rounding, as the publication prints it, and its English.
ROUNDING = {
    Decimal(10): ("afgerond op tientallen", "tens"),
    Decimal(100): ("afgerond op honderdtallen", "hundreds"),
    Decimal(1000): ("afgerond op duizendtallen", "thousands"),
}
POPULATIONS = {"all_aliens": "Aliens who had to leave", "criminal_aliens": "Criminal aliens"}
AS_PUBLISHED = (
    "Nationalities as published: in the order printed (those of the same share too), named in "
    "English with the printed Dutch name in brackets where it differs."
)
DIFFERENCED = (
    "The month figure is the difference of consecutive year-to-date counts (January: the "
    "count itself), so it is off by up to one rounding unit; no point where the previous "
    "month is missing."
)


# ---------------------------------------------------------------------------------------------
# Numbers as the page prints them


def count(value: int | Decimal | float) -> str:
    return f"{round(value):,}"


def pct(value: Decimal | float | None, decimals: int | None = None) -> str:
    """26.0000 -> '26%', 64.5 -> '64.5%' (as published); with decimals, always that many (rates
    computed from counts); None (a rate of nothing: no applications handled) -> 'n/a'."""
    if value is None:
        return "n/a"
    if decimals is not None:
        return f"{float(value):.{decimals}f}%"
    return f"{Decimal(str(value)).normalize():f}%"


def circa(text: str, approximate: bool) -> str:
    return f"≈{text}" if approximate else text


def short_month(month: date) -> str:
    return f"{MONTHS[month.month - 1][:3]} {month.year}"


def window(row: Row) -> str:
    return f"{short_month(row['period_start'])} – {short_month(row['period_end'])}"


# ---------------------------------------------------------------------------------------------
# What the warehouse holds


@dataclass(frozen=True)
class Source:
    """A publication, as dim_source_documents describes it."""

    document_id: str
    title: str
    reference_month: date
    vintage: int
    is_latest_for_month: bool
    sha256: str
    source_url: str | None


@dataclass(frozen=True)
class Precision:
    """How exact the published figures behind a chart are."""

    approximate: bool  # published with "circa"
    stated_rounding: tuple[Decimal, ...] = ()  # (10,) for "afgerond op tientallen"

    @property
    def exact(self) -> bool:
        return not self.approximate and not self.stated_rounding

    def badge(self) -> str:
        if self.exact:
            return "as published"
        words = ["≈ circa"] if self.approximate else []
        return " · ".join(words + [self._dutch(unit)[0] for unit in self.stated_rounding])

    def describe(self) -> str:
        if self.exact:
            return "As published (not approximate); percentages are rounded as printed, most to whole points."
        parts = []
        if self.approximate:
            parts.append("values marked ≈ are published as “circa” (approximate)")
        for unit in self.stated_rounding:
            dutch, english = self._dutch(unit)
            parts.append(f"counts are “{dutch}” (rounded to {english})")
        text = "; ".join(parts)
        return f"{text[0].upper()}{text[1:]}."

    @staticmethod
    def _dutch(unit: Decimal) -> tuple[str, str]:
        return ROUNDING.get(unit, (f"afgerond op {unit:f}", f"multiples of {count(unit)}"))


QUERIES = {
    "inflow": "select * from marts.fct_asylum_inflow_monthly order by reference_month",
    # Each list as the publication prints it (nationalities of the same share in its order).
    "shares": """
        select * from marts.fct_nationality_shares
        order by reference_month, population_code, window_type, printed_order
    """,
    "grant_rates": """
        select * from marts.fct_grant_rates
        order by reference_month, nationality_code = 'TOTAL' desc, printed_order
    """,
    "dublin": "select * from marts.fct_dublin_funnel order by reference_month",
    "permits": "select * from marts.fct_regular_permits order by reference_month, granted_ytd desc",
    "departures": "select * from marts.fct_departures order by reference_month, population_code",
    "sources": "select * from marts.dim_source_documents order by reference_month, vintage",
    # The counts of the published months beside IND's and CBS's (second sources).
    "reconciliation": """
        select r.*, coalesce(n.name_en, r.nationality_code) as name_en, f.name_en as measure_name
        from marts.fct_source_reconciliation as r
        left join marts.dim_nationalities as n on r.nationality_code = n.nationality_code
        left join marts.dim_figure_families as f on r.measure_code = f.family_code
        where r.document_id is not null
        order by r.reference_month, r.measure_code, r.nationality_code <> 'TOTAL', r.kerncijfers_count desc,
            r.nationality_code
    """,
    # Whether each figure behind a mart row was published "circa" or with a stated rounding.
    "precision": """
        select document_id, figure_code, population_code,
            bool_or(is_approximate) as is_approximate,
            max(case when rounding_basis = 'stated' then rounding_unit end) as stated_rounding
        from marts.fct_published_figures
        group by document_id, figure_code, population_code
    """,
}


@dataclass
class Warehouse:
    """The marts the report draws, read once."""

    tables: dict[str, list[Row]]
    sources: dict[str, Source]

    @property
    def months(self) -> list[date]:
        return sorted({row["reference_month"] for row in self.tables["inflow"]})

    def rows(self, table: str, **where: object) -> list[Row]:
        return [row for row in self.tables[table] if all(row[k] == v for k, v in where.items())]

    def sources_of(self, rows: Iterable[Row]) -> list[Source]:
        found = {self.sources[row["document_id"]] for row in rows}
        return sorted(found, key=lambda source: (source.reference_month, source.vintage))

    def precision_of(self, rows: Iterable[Row], figures: Iterable[tuple[str, str]]) -> Precision:
        """The precision of the published figures (figure_code, population_code) behind rows."""
        documents = {row["document_id"] for row in rows}
        wanted = set(figures)
        found = [
            row
            for row in self.tables["precision"]
            if row["document_id"] in documents and (row["figure_code"], row["population_code"]) in wanted
        ]
        units = {row["stated_rounding"] for row in found if row["stated_rounding"] is not None}
        return Precision(any(row["is_approximate"] for row in found), tuple(sorted(units)))


def read_warehouse(path: Path) -> Warehouse:
    """Read the marts the report needs; the warehouse is opened read-only and closed again."""
    con = connect(path)
    try:
        tables = {name: _fetch(con, sql) for name, sql in QUERIES.items()}
    except duckdb.CatalogException as exc:
        raise WarehouseError(path, f"the marts are missing ({exc}): run `make build`") from None
    except duckdb.BinderException as exc:  # a column this report reads is newer than the marts
        said = str(exc).splitlines()[0]
        raise WarehouseError(
            path, f"the marts are older than this report ({said}): run `make build`"
        ) from None
    except duckdb.Error as exc:  # a damaged file DuckDB opened, but cannot read
        raise unreadable(path, exc) from None
    finally:
        con.close()
    if not tables["inflow"]:
        raise WarehouseError(path, "the warehouse holds no publication yet: ingest one, then `make build`")
    sources = {
        row["document_id"]: Source(
            row["document_id"],
            row["title"],
            row["reference_month"],
            row["vintage"],
            row["is_latest_for_month"],
            row["sha256"],
            row["source_url"],
        )
        for row in tables["sources"]
    }
    return Warehouse(tables, sources)


def _fetch(con: duckdb.DuckDBPyConnection, sql: str) -> list[Row]:
    cursor = con.execute(sql)
    columns = [column[0] for column in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


# ---------------------------------------------------------------------------------------------
# The charts of the latest month


@dataclass(frozen=True)
class Chart:
    chart_id: str
    title: str
    picture: Picture
    sources: list[Source]
    precision: Precision
    note: str = ""
    lede: str = ""  # said first under the chart: what its bars cover


def nationality(row: Row) -> str:
    """A nationality in English, with the label the publication prints where it differs:
    'Syria (Syrië)', 'Eritrea', 'All nationalities' (the publication's total has no label)."""
    english, printed = row["nationality_name_en"], row["nationality_label_nl"]
    if row["nationality_code"] == "TOTAL" or not printed or printed == english:
        return english or printed
    return f"{english} ({printed})"


def coverage(rows: list[Row], people: str) -> str:
    """What the listed shares of a population add up to, and what the rest of it is."""
    listed = [row for row in rows if not row["is_residual"]]
    residual = [row for row in rows if row["is_residual"]]
    named = sum(Decimal(str(row["share_pct"])) for row in listed)
    total = named + sum(Decimal(str(row["share_pct"])) for row in residual)
    # Shares printed as whole percentages: each is up to half a point off.
    complete = abs(total - 100) <= Decimal("0.5") * len(rows)
    nationalities = f"{len(listed)} nationalit{'y' if len(listed) == 1 else 'ies'} listed"
    if not residual:
        return (
            f"The {nationalities} are {pct(named)} of {people}; the other {pct(100 - named)} are "
            "nationalities the publication does not list."
        )
    other = f"“{residual[0]['nationality_label_nl']}” (other nationalities)"
    if complete:
        return f"The {nationalities} are {pct(named)} of {people}; the other {pct(100 - named)} are the publication's {other}."
    return (
        f"The {nationalities} are {pct(named)} of {people} and the publication's {other} {pct(total - named)}: "
        f"together {pct(total)}, not 100%. The publication gives no share for the remaining {pct(100 - total)} "
        "(kept as published; see Checks)."
    )


def nationality_chart(warehouse: Warehouse, month: date, population: str, window_type: str) -> Chart | None:
    """Shares by nationality; for a month, bars of the estimated count with its bounds."""
    rows = warehouse.rows(
        "shares", reference_month=month, population_code=population, window_type=window_type
    )
    if not rows:
        return None
    applicants = population == "first_applicants"
    when = month_name(month) if window_type == "month" else f"past twelve months ({window(rows[0])})"
    title = f"{'First asylum applicants' if applicants else 'Nareizigers'} by nationality, {when}"
    kind = "applicants" if applicants else "nareizigers"
    chart_id = f"chart-nationality-{kind}-{'month' if window_type == 'month' else '12m'}"
    estimated = all(row["estimated_count"] is not None for row in rows)
    bars = []
    for row in rows:
        label, share = nationality(row), pct(row["share_pct"])
        color = GREY if row["is_residual"] else (BLUE if applicants else GREEN)
        if estimated:
            low, high = row["estimated_count_low"], row["estimated_count_high"]
            bounds = f"{count(low)}–{count(high)}"
            bars.append(
                Bar(
                    label,
                    float(row["estimated_count"]),
                    f"{share} · est. {count(row['estimated_count'])} [{bounds}]",
                    f"{label} {share}: estimated {count(row['estimated_count'])} people, between {bounds}",
                    float(low),
                    float(high),
                    color,
                    short=f"{share} · {count(row['estimated_count'])}",
                )
            )
        else:
            bars.append(Bar(label, float(row["share_pct"]), share, f"{label} {share}", color=color))
    total = "first_applications" if applicants else "family_reunification_arrivals"
    if estimated:
        figures = [("nationality_share", population), (total, population)]
        precision = warehouse.precision_of(rows, figures)
        picture = bar_chart(
            title,
            f"{len(bars)} nationalities with their share and estimated count.",
            bars,
            "people (estimated from the share and the total)",
        )
        note = (
            f"Bars: share × the total of ≈{count(rows[0]['base_count'])}; whiskers: the range "
            f"the true count lies in whatever the rounding of share and total. {AS_PUBLISHED}"
        )
    else:
        precision = warehouse.precision_of(rows, [("nationality_share", population)])
        picture = bar_chart(
            title,
            f"{len(bars)} nationalities with their share.",
            bars,
            "share of the population",
            unit="percent",
        )
        note = f"No total is published for twelve months, so no counts. {AS_PUBLISHED}"
    people = "first applicants" if applicants else "nareizigers"
    return Chart(
        chart_id, title, picture, warehouse.sources_of(rows), precision, note, coverage(rows, people)
    )


def dublin_chart(warehouse: Warehouse, month: date) -> Chart | None:
    """Handled -> rejected -> rejected under Dublin, with the published and computed share."""
    rows = warehouse.rows("dublin", reference_month=month)
    if not rows:
        return None
    row = rows[0]
    codes = (
        "first_applications_handled",
        "first_applications_rejected",
        "first_applications_rejected_dublin",
        "dublin_share",
    )
    precision = warehouse.precision_of(rows, [(code, "first_applicants") for code in codes])
    approx = precision.approximate
    handled, rejected, dublin = (
        circa(count(row[key]), approx) for key in ("handled_count", "rejected_count", "dublin_rejected_count")
    )
    rejection_rate = pct(row["rejection_rate_pct"], 1)
    of_handled = pct(row["dublin_share_of_handled_pct"], 1)
    of_rejected = pct(row["dublin_share_of_rejected_pct"], 1)
    stages = [
        Stage("Handled", row["handled_count"], handled, f"First applications handled: {handled}"),
        Stage(
            "Rejected",
            row["rejected_count"],
            f"{rejected} ({rejection_rate} of handled)",
            f"Rejected: {rejected}, {rejection_rate} of handled",
            short=rejected,
        ),
        Stage(
            "Rejected under Dublin",
            row["dublin_rejected_count"],
            f"{dublin} ({of_handled} of handled, {of_rejected} of rejected)",
            f"Rejected under Dublin: {dublin}, {of_handled} of handled",
            short=dublin,
        ),
    ]
    title = (
        "Dublin funnel: first asylum applications handled, rejected and rejected under Dublin, "
        f"{month_name(month)}"
    )
    note = ""
    if row["published_dublin_share_pct"] is not None:
        published = circa(pct(row["published_dublin_share_pct"]), approx)
        low, high = (row[f"dublin_share_of_handled_{end}_pct"] for end in ("low", "high"))
        if row["dublin_share_of_handled_pct"] is None:
            computed = "none computed from the counts: no first applications were handled"
        elif low is None or high is None:
            computed = f"computed from the counts {of_handled}"
        else:
            computed = (
                f"computed from the counts {of_handled} ({pct(low, 1)}–{pct(high, 1)} given the "
                "rounding of the counts)"
            )
        note = f"Dublin share of handled applications: published {published}, {computed}."
    picture = funnel_chart(title, f"Handled {handled}, rejected {rejected}, under Dublin {dublin}.", stages)
    return Chart("chart-dublin-funnel", title, picture, warehouse.sources_of(rows), precision, note)


def departures_chart(warehouse: Warehouse, month: date) -> Chart | None:
    """Year to date, per population: the shares under supervision and on their own."""
    rows = warehouse.rows("departures", reference_month=month)
    if not rows:
        return None
    codes = ("departures", "departures_supervised_share", "departures_unsupervised_share")
    figures = [(code, row["population_code"]) for row in rows for code in codes]
    precision = warehouse.precision_of(rows, figures)
    approx = precision.approximate
    stacked = []
    for row in rows:
        population = POPULATIONS.get(row["population_code"], row["population_code"])
        segments = []
        for kind, how, legend, color in (
            ("supervised", "under supervision", "under supervision of the government", BLUE),
            ("unsupervised", "on their own", "on their own", ORANGE),
        ):
            share = circa(pct(row[f"{kind}_share_pct"]), approx)
            low, high = count(row[f"{kind}_estimated_ytd_low"]), count(row[f"{kind}_estimated_ytd_high"])
            estimate = f"est. {count(row[f'{kind}_estimated_ytd'])} [{low}–{high}]"
            segments.append(
                Segment(
                    float(row[f"{kind}_share_pct"]),
                    share,
                    f"{how} {estimate}",
                    f"{population} {how}: {share}, {estimate}",
                    color,
                    legend,
                )
            )
        departed = circa(count(row["departed_ytd"]), approx)
        stacked.append((f"{population} — {departed} departed", segments))
    title = f"Departures in {month.year} up to {MONTHS[month.month - 1]}: under supervision or on their own"
    desc = "Shares of departures under supervision and on their own, per population."
    picture = stacked_chart(title, desc, stacked)
    note = (
        "Year to date. Criminal aliens are among all aliens who had to leave. The counts under "
        "the bars are estimated from the share and the total, with the range the rounding "
        "allows."
    )
    return Chart("chart-departures", title, picture, warehouse.sources_of(rows), precision, note)


def permits_chart(warehouse: Warehouse, month: date) -> Chart | None:
    """Regular permits granted year to date, by purpose."""
    rows = warehouse.rows("permits", reference_month=month)
    if not rows:
        return None
    precision = warehouse.precision_of(rows, [("permits_granted", "regular_migrants")])
    so_far = f"{month.year} up to {MONTHS[month.month - 1]}"
    bars = []
    for row in rows:
        label = f"{row['purpose_name_en']} ({row['purpose_label_nl']})"
        granted = text = circa(count(row["granted_ytd"]), precision.approximate)
        if month.month > 1 and row["granted_in_month"] is not None:
            text += f"; {count(row['granted_in_month'])} in {MONTHS[month.month - 1]}"
        bars.append(
            Bar(
                label,
                float(row["granted_ytd"]),
                text,
                f"{label}: {text} granted in {so_far}",
                color=PURPLE,
                short=granted,
            )
        )
    title = f"Regular residence permits granted in {so_far}, by purpose"
    picture = bar_chart(
        title, f"Permits granted year to date for {len(bars)} purposes.", bars, "permits granted"
    )
    return Chart(
        "chart-permits",
        title,
        picture,
        warehouse.sources_of(rows),
        precision,
        "Year to date; the purposes the publication names.",
    )


def grant_rate_chart(warehouse: Warehouse, month: date) -> Chart | None:
    """Twelve-month grant rates: all nationalities, then those the publication lists."""
    rows = warehouse.rows("grant_rates", reference_month=month)
    if not rows:
        return None
    precision = warehouse.precision_of(rows, [("grant_rate", "first_applicants")])
    bars = []
    for row in rows:
        label, rate = nationality(row), pct(row["grant_rate_pct"])
        color = GREY if row["nationality_code"] == "TOTAL" else SKY
        bars.append(Bar(label, float(row["grant_rate_pct"]), rate, f"{label} {rate}", color=color))
    title = (
        f"Grant rate of first asylum applications, decisions in the past twelve months ({window(rows[0])})"
    )
    picture = bar_chart(
        title,
        "Share of first-instance decisions that granted asylum.",
        bars,
        "share of decisions granting asylum",
        unit="percent",
        axis_max=100,
    )
    return Chart(
        "chart-grant-rates",
        title,
        picture,
        warehouse.sources_of(rows),
        precision,
        f"All nationalities and the nationalities the publication lists. {AS_PUBLISHED}",
    )


def latest_month_charts(warehouse: Warehouse, month: date) -> list[Chart]:
    charts = [
        nationality_chart(warehouse, month, "first_applicants", "month"),
        nationality_chart(warehouse, month, "family_reunification", "month"),
        dublin_chart(warehouse, month),
        departures_chart(warehouse, month),
        permits_chart(warehouse, month),
        grant_rate_chart(warehouse, month),
        nationality_chart(warehouse, month, "first_applicants", "rolling_12m"),
        nationality_chart(warehouse, month, "family_reunification", "rolling_12m"),
    ]
    return [chart for chart in charts if chart is not None]


# ---------------------------------------------------------------------------------------------
# The charts over time


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


# ---------------------------------------------------------------------------------------------
# The page

CSS = """
:root { color-scheme: light; }
body { margin: 0; background: #f6f8fa; color: #1f2328; font: 15px/1.45 system-ui, -apple-system,
       "Segoe UI", "DejaVu Sans", "Liberation Sans", sans-serif; }
header, main, footer { max-width: 1360px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 20px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 28px 0 12px; }
.lede { color: #57606a; margin: 0 0 12px; }
.release { color: #57606a; font-size: 14px; margin: 0 0 8px; }
.release time { white-space: nowrap; }
.headlines { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0 4px; padding: 0;
             list-style: none; }
.headlines li { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: 10px 14px;
                min-width: 170px; }
.headlines b { display: block; font-size: 24px; }
.headlines span { color: #57606a; font-size: 13px; }
.headlines small { display: block; color: #57606a; font-size: 13px; font-variant-numeric: tabular-nums; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(560px, 100%), 1fr));
        gap: 20px; }
figure.chart { margin: 0; background: #fff; border: 1px solid #d0d7de; border-radius: 6px;
               padding: 14px 16px; min-width: 0; overflow-wrap: anywhere; }
.values { font-variant-numeric: tabular-nums; }
/* A phone (390 px): narrower margins; every card fits the width, nothing scrolls sideways. */
@media (max-width: 600px) {
  header, main, footer { padding: 0 10px; }
  figure.chart { padding: 10px; }
  .headlines li { min-width: 0; flex: 1 1 140px; }
  /* The sources table: one block per publication, its cells one under another. */
  table, tbody, tr, td { display: block; }
  thead { display: none; }
  tr { border: 1px solid #d0d7de; margin-bottom: 8px; }
  td { border: 0; }
  td::before { content: attr(data-label) ": "; color: #57606a; }
}
figure.chart h3 { font-size: 16px; margin: 0 0 8px; }
figure.chart svg { display: block; width: 100%; height: auto; max-width: 720px; }
/* Each chart is drawn twice: for a column and, narrower, for a phone, whose text stays ~11 px. */
figure.chart .narrow { display: none; }
figure.chart .narrow svg { max-width: 440px; }
@media (max-width: 600px) {
  figure.chart .wide { display: none; }
  figure.chart .narrow { display: block; }
}
figcaption { color: #57606a; font-size: 13px; margin-top: 8px; }
figcaption .coverage { color: #1f2328; }
figcaption p, figcaption details { margin: 4px 0 0; }
figcaption ul { margin: 2px 0 0; padding-left: 20px; }
summary { cursor: pointer; }
.precision { color: #7d4e00; }
.approx-badge, .exact-badge { display: inline-block; border-radius: 4px; padding: 0 5px;
                              margin-right: 4px; font-weight: 600; }
.approx-badge { background: #fff8c5; border: 1px solid #d4a72c; color: #7d4e00; }
.exact-badge { background: #dafbe1; border: 1px solid #4ac26b; color: #116329; }
code { font-size: 12px; overflow-wrap: break-word; }
/* Findings and source pages hold long unbroken words (URLs, `kerncijfers_count=2490,`). */
section li, section p { overflow-wrap: anywhere; }
table { border-collapse: collapse; background: #fff; font-size: 13px; max-width: 100%; }
/* A cell breaks a word only if it is wider than the whole line ("anywhere" let the browser narrow a
   column to a letter's width: "severi|ty"); a rule's name may break after an underscore (<wbr>). */
th, td { border: 1px solid #d0d7de; padding: 4px 8px; text-align: left; overflow-wrap: break-word; }
footer { color: #57606a; font-size: 13px; padding-bottom: 32px; }
/* report.html#<chart id> shows that chart alone: a link to one chart, or a frame to embed it. */
body:has(.chart:target) .page-part, body:has(.chart:target) .chart:not(:target) { display: none; }
body:has(.chart:target) .grid { display: block; }
body:has(.chart:target) figure.chart { max-width: 720px; }
@media print {
  body { background: #fff; }
  /* A grid's items do not break across pages well: one chart after another, none split. */
  .grid { display: block; }
  figure.chart { break-inside: avoid; margin-bottom: 16px; }
  figure.chart svg { max-width: 520px; }
  /* The folded lists of sources print open: paper cannot unfold them. */
  details::details-content { content-visibility: visible; display: block; height: auto; }
}
"""


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


def headlines(warehouse: Warehouse, month: date) -> str:
    """The latest month's key figures as tiles; with more than one month, each with its change
    from the month before (or that the month before has no figure)."""
    before = previous_month(month)
    compare = len(warehouse.months) > 1
    tiles: list[tuple[str, str, str]] = []

    def tile(
        value: str, what: str, now: Any, then: Any, unit: str = "count", approximate: bool = True
    ) -> None:
        tiles.append((value, what, change(now, then, before, unit, approximate) if compare else ""))

    def row(table: str, when: date, **where: object) -> Row:
        found = warehouse.rows(table, reference_month=when, **where)
        return found[0] if found else {}

    for now in warehouse.rows("inflow", reference_month=month):
        then = row("inflow", before)
        tile(
            f"≈{count(now['first_applications'])}",
            "first asylum applications",
            *values(now, then, "first_applications"),
        )
        if now["family_reunification_arrivals"] is not None:
            arrivals = values(now, then, "family_reunification_arrivals")
            tile(f"≈{count(now['family_reunification_arrivals'])}", "nareizigers arrived", *arrivals)
    for now in warehouse.rows("dublin", reference_month=month):
        then = row("dublin", before)
        # The publication's own figure ("circa 30%"), not one computed from its rounded counts;
        # compared with the same kind of figure the month before.
        published = now["published_dublin_share_pct"]
        what = "of handled first applications rejected under Dublin"
        if published is not None:
            approximate = bool(now["published_dublin_share_is_approximate"])
            shares = values(now, then, "published_dublin_share_pct")
            tile(circa(pct(published), approximate), what, *shares, unit="points", approximate=approximate)
        else:
            computed = values(now, then, "dublin_share_of_handled_pct")
            tile(f"≈{pct(now['dublin_share_of_handled_pct'], 1)}", what, *computed, unit="points")
    for now in warehouse.rows("grant_rates", reference_month=month, nationality_code="TOTAL"):
        then = row("grant_rates", before, nationality_code="TOTAL")
        rates = values(now, then, "grant_rate_pct")
        tile(
            pct(now["grant_rate_pct"]),
            "grant rate, past twelve months",
            *rates,
            unit="points",
            approximate=False,
        )
    for now in warehouse.rows("departures", reference_month=month, population_code="all_aliens"):
        # Year to date: it grew by the month's departures since the month before (in January it
        # starts again, and is the month's own count).
        what = f"departed in {month.year} so far"
        ytd = f"≈{count(now['departed_ytd'])}"
        if month.month == 1:
            tiles.append((ytd, what, "counted from January" if compare else ""))
        else:
            grew = now["departed_in_month"]
            tile(ytd, what, grew, None if grew is None else 0)
    return "".join(
        f"<li><b>{esc(value)}</b><span>{esc(what)}</span>"
        + (f'<small class="change">{esc(since)}</small>' if since else "")
        + "</li>"
        for value, what, since in tiles
    )


def previous_month(month: date) -> date:
    return date(month.year - 1, 12, 1) if month.month == 1 else date(month.year, month.month - 1, 1)


def values(now: Row, then: Row, column: str) -> tuple[Any, Any]:
    """A column's value in the latest month's row and in the month before's (None if it has none)."""
    return now.get(column), then.get(column)


def change(now: Any, then: Any, before: date, unit: str, approximate: bool) -> str:
    """'+120 on December', '−2 points on December', or 'no December figure'; ≈ where the figures
    compared are approximate."""
    name = MONTHS[before.month - 1]
    if now is None or then is None:
        return f"no {name} figure"
    difference = Decimal(str(now)) - Decimal(str(then))
    sign = "+" if difference > 0 else "−" if difference < 0 else "±"
    if unit == "points":
        size = f"{abs(difference).normalize():f}"
        amount = f"{size} point{'' if abs(difference) == 1 else 's'}"
    else:
        amount = count(abs(difference))
    return f"{'≈' if approximate else ''}{sign}{amount} on {name}"


# The verdicts of fct_source_reconciliation in words, where its code does not read as one.
VERDICTS = {
    "differs_from_revision": "agrees as first published; revised since",
    "no_second_source": "no second source",
}


def second_sources_section(warehouse: Warehouse, month: date) -> str:
    """The month's counts beside IND's (as first published and as revised) and CBS's."""
    rows = warehouse.rows("reconciliation", reference_month=month)
    if not rows:
        return ""

    def value(number: Any) -> str:
        return "—" if number is None else count(number)

    urls = sorted({row[c] for row in rows for c in ("ind_first_page_url", "ind_latest_page_url") if row[c]})
    fetches = sorted({row["cbs_fetch_id"] for row in rows if row["cbs_fetch_id"]})
    pages = (
        "<p>IND's pages: " + ", ".join(f"<code>{esc(url)}</code>" for url in urls) + ".</p>" if urls else ""
    ) + ("<p>CBS: fetch " + ", ".join(f"<code>{esc(f)}</code>" for f in fetches) + ".</p>" if fetches else "")
    body = "".join(
        f'<tr><td data-label="count">{esc(row["measure_name"] or row["measure_code"])}'
        f"{'' if row['nationality_code'] == 'TOTAL' else ', ' + esc(row['name_en'])}</td>"
        f'<td data-label="Kerncijfers">≈{esc(count(row["kerncijfers_count"]))} '
        f'<span class="range">({esc(count(row["kerncijfers_low"]))}–{esc(count(row["kerncijfers_high"]))})</span></td>'
        f'<td data-label="IND, first published">{esc(value(row["ind_first_value"]))}</td>'
        f'<td data-label="IND, revised">{esc(value(row["ind_latest_value"]))}</td>'
        f'<td data-label="CBS">{esc(value(row["cbs_value"]))}</td>'
        f'<td data-label="verdict">{esc(VERDICTS.get(row["verdict"], row["verdict"]))}</td></tr>'
        for row in rows
    )
    return (
        '<section class="page-part" id="second-sources"><h2>Second sources</h2>'
        f'<p class="lede">{esc(month_name(month))} beside the sources that count the same people: '
        "IND's monthly page (exact counts, as first published and as revised the month after) and "
        "CBS StatLine 83102NED (rounded to 5). Each Kerncijfers count is shown with the range its "
        "rounding allows (for a nationality, the count its share implies); a second source agrees "
        "when its count lies inside (CBS: within its own rounding). A disagreement keeps a month from "
        "being published. All months: <code>marts.fct_source_reconciliation</code>.</p>"
        "<table><thead><tr><th>count</th><th>Kerncijfers</th><th>IND, first published</th>"
        "<th>IND, revised</th><th>CBS</th><th>verdict</th></tr></thead>"
        f"<tbody>{body}</tbody></table>{pages}</section>"
    )


def identifier(name: str) -> str:
    """A snake_case name that may break onto the next line after an underscore, nowhere else."""
    return "_<wbr>".join(esc(part) for part in name.split("_"))


def checks_section(checks: dict[str, Any] | None) -> str:
    """The audit of the release: every rule, what it found, and the findings in full."""
    if checks is None:
        return (
            '<section class="page-part" id="checks"><h2>Checks</h2><p class="lede">This release '
            "has no record of its checks (it was published before they were kept): run "
            "<code>make build</code>, or <code>kerncijfers check</code> to judge it again.</p></section>"
        )
    rules = checks["rules"]
    critical = sum(rule["critical"] for rule in rules)
    warnings = sum(rule["warnings"] for rule in rules)

    def result(rule: dict[str, Any]) -> str:
        if rule["critical"]:
            return f"{rule['critical']} critical"
        if rule["warnings"]:
            return f"passed, {rule['warnings']} warning(s)"
        return "passed"

    rows = "".join(
        f'<tr><td data-label="rule"><code>{identifier(rule["rule"])}</code></td>'
        f'<td data-label="severity">{esc(rule["severity"])}</td>'
        f'<td data-label="result">{esc(result(rule))}</td>'
        f'<td data-label="what it checks">{esc(rule["description"])}</td></tr>'
        for rule in rules
    )
    findings = "".join(
        f"<li><b>{esc(f['severity'].upper())}</b> <code>{esc(f['rule'])}</code>"
        f"{' (reviewed)' if f['reviewed'] else ''}: {esc(f['detail'])}. {esc(f['description'])}</li>"
        for f in checks["findings"]
    )
    listed = f"<h3>Findings</h3><ul>{findings}</ul>" if findings else ""
    return (
        '<section class="page-part" id="checks"><h2>Checks</h2>'
        f'<p class="lede">The consistency rules this release passed before it was published (judged '
        f"{esc(checks['judged_at'])}): {checks['expectations_run']} expectations, {critical} critical "
        f"finding(s), {warnings} warning(s). A critical finding keeps a build from being published; "
        "a warning, or a finding reviewed in <code>seeds/reviewed/reviewed_findings.csv</code>, is "
        "shown here.</p>"
        "<table><thead><tr><th>rule</th><th>severity</th><th>result</th><th>what it checks</th></tr>"
        f"</thead><tbody>{rows}</tbody></table>{listed}</section>"
    )


@dataclass(frozen=True)
class Draft:
    """A page with every chart drawn, waiting for the audit's results: `html(checks)` only formats.

    A build draws the page from its candidate while the audit runs (the charts are most of the
    time) and writes it once the verdict is in."""

    warehouse: Warehouse
    latest_charts: list[Chart]
    trends: list[Chart]
    generated_at: datetime
    warehouse_name: str = ""
    release: str | None = None
    released_at: datetime | None = None

    def html(self, checks: dict[str, Any] | None) -> str:
        """The whole page, with the Checks section from the audit's results (None: no record)."""
        return page_html(self, checks)


def draft_of(
    warehouse: Warehouse,
    *,
    generated_at: datetime | None = None,
    warehouse_name: str = "",
    release: str | None = None,
    released_at: datetime | None = None,
) -> Draft:
    """Draw every chart of the page of `warehouse`."""
    months = warehouse.months
    latest = latest_month_charts(warehouse, months[-1])
    trends = trend_charts(warehouse) if len(months) > 1 else []
    for chart in latest + trends:  # every drawing made (or its error raised) before the page is
        chart.picture.wait()
    return Draft(
        warehouse, latest, trends, generated_at or datetime.now(UTC), warehouse_name, release, released_at
    )


def draft(warehouse_path: Path, *, release: str | None = None, released_at: datetime | None = None) -> Draft:
    """Read the marts (read-only) and draw every chart: the expensive part, done before the
    audit's verdict. `release` is the release's stamp (its export folder's name) and
    `released_at` its time; the page shows both."""
    return draft_of(
        read_warehouse(warehouse_path),
        warehouse_name=warehouse_path.name,
        release=release,
        released_at=released_at,
    )


def render(
    warehouse: Warehouse,
    generated_at: datetime | None = None,
    warehouse_name: str = "",
    checks: dict[str, Any] | None = None,
) -> str:
    """The whole page."""
    return draft_of(warehouse, generated_at=generated_at, warehouse_name=warehouse_name).html(checks)


def release_line(page: Draft) -> str:
    """ "Release <stamp>, published <time UTC>", with what it holds; nothing for an unnamed release."""
    if page.release is None:
        return ""
    published = ""
    if page.released_at is not None:
        at = page.released_at.astimezone(UTC)
        published = f', published <time datetime="{at.isoformat()}">{at:%Y-%m-%d %H:%M} UTC</time>'
    documents = len(page.warehouse.sources)
    held = "1 publication" if documents == 1 else f"{documents} publications"
    return (
        f'<p class="release">Release <code>{esc(page.release)}</code>{published}, holding '
        f"{held} (listed under Sources).</p>"
    )


def page_html(page: Draft, checks: dict[str, Any] | None) -> str:
    """The whole page of a draft."""
    warehouse = page.warehouse
    months = warehouse.months
    latest = months[-1]
    generated = page.generated_at.strftime("%Y-%m-%d %H:%M UTC")
    trends = page.trends
    documents = len(warehouse.sources)
    publications = "1 publication" if documents == 1 else f"{documents} publications"
    span = month_name(latest)
    if len(months) > 1:
        span = f"{month_name(months[0])} – {span}"
    if trends:
        over_time = (
            '<section><h2 class="page-part">Over time</h2><p class="lede page-part">Each point is the '
            "latest publication for its month; a gap is a month without a publication or without a "
            f'month figure.</p><div class="grid">{"".join(figure(chart) for chart in trends)}</div>'
            "</section>"
        )
    else:
        over_time = (
            '<section class="page-part"><h2>Over time</h2><p class="lede">The warehouse '
            "holds one month: the charts over time appear once it holds more.</p>"
            "</section>"
        )
    latest_charts = "".join(figure(chart) for chart in page.latest_charts)
    made_from = esc(page.warehouse_name or "the warehouse")
    sources = "".join(
        f'<tr><td data-label="month">{esc(month_name(s.reference_month))}</td>'
        f'<td data-label="title"><cite>{esc(s.title)}</cite></td>'
        f'<td data-label="vintage">{s.vintage}{"" if s.is_latest_for_month else " (superseded)"}</td>'
        f'<td data-label="document_id"><code>{esc(s.document_id)}</code></td>'
        f'<td data-label="sha256"><code>{esc(s.sha256[:16])}…</code></td>'
        f'<td data-label="source URL">{esc(s.source_url or "—")}</td></tr>'
        for s in warehouse.sources.values()
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kerncijfers asiel en migratie — {esc(month_name(latest))} in charts</title>
<style>{CSS}</style>
</head>
<body>
<header class="page-part">
<h1>Kerncijfers asiel en migratie in charts</h1>
<p class="lede">The key figures on asylum and migration in the Netherlands published by the
Ministerie van Justitie en Veiligheid: {esc(publications)}, {esc(span)}. Latest month:
<b>{esc(month_name(latest))}</b>. Values marked ≈ are approximate (“circa”); counts “afgerond op
tientallen” are rounded to tens; estimated counts carry the range the rounding allows.</p>
{release_line(page)}
<ul class="headlines">{headlines(warehouse, latest)}</ul>
</header>
<main>
<section><h2 class="page-part">{esc(month_name(latest))}</h2>
<div class="grid">{latest_charts}</div></section>
{over_time}
{second_sources_section(warehouse, latest)}
{checks_section(checks)}
<section class="page-part" id="sources"><h2>Sources</h2>
<table><thead><tr><th>month</th><th>title</th><th>vintage</th><th>document_id</th><th>sha256</th>
<th>source URL</th></tr></thead><tbody>{sources}</tbody></table></section>
</main>
<footer class="page-part"><p>Generated {esc(generated)} from the marts of {made_from} by
<code>kerncijfers report</code>. Every number can be traced to its document, line and sentence in
<code>marts.fct_published_figures</code>.</p></footer>
</body>
</html>
"""


def write_report(warehouse_path: Path, output: Path) -> Path:
    """Read the warehouse, write the page to output (whole or not at all) and return its path.

    Only a regular file (or nothing) is replaced: a folder, a device or a symbolic link at
    `output`, taken as given (not resolved), is refused before anything is read or written."""
    check_output(output)
    start_runtime()  # while the warehouse is read
    from kerncijfers.checks.results import read_results
    from kerncijfers.pipeline.publish import release_time
    from kerncijfers.warehouse import Warehouse

    link = Warehouse(warehouse_path).export_link
    # The published release is the export folder the link points at (exports/<stamp>/).
    release = Path(os.readlink(link)).name if link.is_symlink() else None
    released_at = None if release is None else release_time(release)
    page = draft(warehouse_path, release=release, released_at=released_at).html(read_results(link))
    return write_file(output, page.encode("utf-8"))


def check_output(output: Path) -> None:
    refuse_links(output)
    if output.exists() and not output.is_file():
        kind = "a folder" if output.is_dir() else "not a regular file"
        raise WarehouseError(output, f"is {kind}; give --output a file name (an existing file is replaced)")
    if output.parent.exists() and not output.parent.is_dir():
        raise WarehouseError(output.parent, "is not a folder; give --output a path in a folder")
