"""`kerncijfers report`: the marts as one self-contained HTML page of charts. `page` decides what
to show and writes the page; `charts` draws each chart (Vega-Lite specifications, static SVG by vl-convert).

`draft(warehouse)` reads the marts and draws every chart (the expensive part); `Draft.html(checks)`
formats the page with the audit's results, so a build can draw before its audit's verdict;
`warm_up()` starts the renderer's JavaScript runtime beforehand (a build does while dbt runs)."""

from kerncijfers.report.charts import warm_up
from kerncijfers.report.page import Draft, draft, read_warehouse, render, write_report

__all__ = ["Draft", "draft", "read_warehouse", "render", "warm_up", "write_report"]
