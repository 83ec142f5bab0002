"""`kerncijfers report`: the marts as one self-contained HTML page of charts. `page` decides what
to show and writes the page; `charts` draws each chart (Vega-Lite through altair, static SVG by vl-convert).

`draft(warehouse)` reads the marts and draws every chart (the expensive part); `Draft.html(checks)`
formats the page with the audit's results, so a build can draw before its audit's verdict."""

from kerncijfers.report.page import Draft, draft, read_warehouse, render, write_report

__all__ = ["Draft", "draft", "read_warehouse", "render", "write_report"]
