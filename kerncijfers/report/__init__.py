"""`kerncijfers report`: the marts as one self-contained HTML page of charts. `page` decides what
to show and writes the page; `charts` draws each chart (Vega-Lite through altair, static SVG by vl-convert)."""

from kerncijfers.report.page import read_warehouse, render, write_report

__all__ = ["read_warehouse", "render", "write_report"]
