"""The page's parts besides the charts: the headline tiles, the second sources and the checks."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from kerncijfers.checks.severity import Severity
from kerncijfers.report.data import Row, Warehouse
from kerncijfers.report.text import MONTHS, circa, count, esc, month_name, pct


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
    """The checks of the release: every check, what it found, and the findings in full."""
    if checks is None:
        return (
            '<section class="page-part" id="checks"><h2>Checks</h2><p class="lede">This release '
            "has no record of its checks (it was published before they were kept): run "
            "<code>make build</code>, or <code>kerncijfers check</code> to judge it again.</p></section>"
        )
    judged = checks["checks"]
    critical = sum(check["critical"] for check in judged)
    warnings = sum(check["warnings"] for check in judged)

    def result(check: dict[str, Any]) -> str:
        if check["critical"]:
            return f"{check['critical']} {Severity.CRITICAL}"
        if check["warnings"]:
            return f"passed, {check['warnings']} warning(s)"
        return "passed"

    rows = "".join(
        f'<tr><td data-label="check"><code>{identifier(check["check"])}</code></td>'
        f'<td data-label="severity">{esc(check["severity"])}</td>'
        f'<td data-label="result">{esc(result(check))}</td>'
        f'<td data-label="what it checks">{esc(check["description"])}</td></tr>'
        for check in judged
    )
    findings = "".join(
        f"<li><b>{esc(f['severity'].upper())}</b> <code>{esc(f['check'])}</code>"
        f"{' (reviewed)' if f['reviewed'] else ''}: {esc(f['detail'])}. {esc(f['description'])}</li>"
        for f in checks["findings"]
    )
    listed = f"<h3>Findings</h3><ul>{findings}</ul>" if findings else ""
    return (
        '<section class="page-part" id="checks"><h2>Checks</h2>'
        f'<p class="lede">The checks this release passed before it was published (judged '
        f"{esc(checks['judged_at'])}): {checks['checks_run']} checks, {critical} critical "
        f"finding(s), {warnings} warning(s). A critical finding keeps a build from being published; "
        "a warning, or a finding reviewed in <code>seeds/reviewed/reviewed_findings.csv</code>, is "
        "shown here.</p>"
        "<table><thead><tr><th>check</th><th>severity</th><th>result</th><th>what it checks</th></tr>"
        f"</thead><tbody>{rows}</tbody></table>{listed}</section>"
    )
