"""The charts of the latest month: nationalities, the Dublin funnel, departures, permits, grant rates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from kerncijfers.report.bars import Bar, Segment, Stage, bar_chart, funnel_chart, stacked_chart
from kerncijfers.report.cards import Chart
from kerncijfers.report.charts import BLUE, GREEN, GREY, ORANGE, PURPLE, SKY
from kerncijfers.report.data import Row, Warehouse
from kerncijfers.report.text import MONTHS, POPULATIONS, circa, count, month_name, pct, window

AS_PUBLISHED = (
    "Nationalities as published: in the order printed (those of the same share too), named in "
    "English with the printed Dutch name in brackets where it differs."
)


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
