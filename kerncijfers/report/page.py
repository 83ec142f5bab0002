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
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from core.errors import WarehouseError
from kerncijfers.report.cards import Chart, figure, finished
from kerncijfers.report.data import Warehouse, read_warehouse
from kerncijfers.report.latest import latest_month_charts
from kerncijfers.report.renderers import Renderers, drawing_with, started
from kerncijfers.report.sections import checks_section, headlines, second_sources_section
from kerncijfers.report.style import CSS
from kerncijfers.report.text import esc, month_name
from kerncijfers.report.trends import trend_charts
from kerncijfers.safe_write import refuse_links, write_file

# ---------------------------------------------------------------------------------------------
# The page


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
    renderers: Renderers | None = None,
) -> Draft:
    """Draw every chart of the page of `warehouse` (with `renderers`: in its drawing processes,
    while this process writes the next chart's specification)."""
    months = warehouse.months
    with drawing_with(renderers):
        latest = latest_month_charts(warehouse, months[-1])
        trends = trend_charts(warehouse) if len(months) > 1 else []
    return Draft(
        warehouse,
        [finished(chart) for chart in latest],
        [finished(chart) for chart in trends],
        generated_at or datetime.now(UTC),
        warehouse_name,
        release,
        released_at,
    )


def draft(
    warehouse_path: Path,
    *,
    release: str | None = None,
    released_at: datetime | None = None,
    renderers: Renderers | None = None,
) -> Draft:
    """Read the marts (read-only) and draw every chart: the expensive part, done before the
    audit's verdict. `release` is the release's stamp (its export folder's name) and
    `released_at` its time (by default the time the stamp names); the page shows both."""
    from kerncijfers.pipeline.state import release_time

    if released_at is None and release is not None:
        released_at = release_time(release)
    return draft_of(
        read_warehouse(warehouse_path),
        warehouse_name=warehouse_path.name,
        release=release,
        released_at=released_at,
        renderers=renderers,
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
    from kerncijfers.checks.results import read_results
    from kerncijfers.warehouse import Warehouse

    # The drawing processes start their runtimes while this one reads the marts.
    with started() as renderers:
        link = Warehouse(warehouse_path).export_link
        # The published release is the export folder the link points at (exports/<stamp>/).
        release = Path(os.readlink(link)).name if link.is_symlink() else None
        page = draft(warehouse_path, release=release, renderers=renderers).html(read_results(link))
    return write_file(output, page.encode("utf-8"))


def check_output(output: Path) -> None:
    refuse_links(output)
    if output.exists() and not output.is_file():
        kind = "a folder" if output.is_dir() else "not a regular file"
        raise WarehouseError(output, f"is {kind}; give --output a file name (an existing file is replaced)")
    if output.parent.exists() and not output.parent.is_dir():
        raise WarehouseError(output.parent, "is not a folder; give --output a path in a folder")
