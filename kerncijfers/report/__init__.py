"""`kerncijfers report`: the marts as one self-contained HTML page of charts.

`draft(warehouse)` reads the marts and draws every chart (the expensive part); `Draft.html(checks)`
formats the page with the audit's results, so a build can draw before its audit's verdict;
`warm_up()` starts the renderer's JavaScript runtime beforehand (a build does while dbt runs).

One job per module: `data` reads the marts, `text` writes numbers and months, `charts` draws a
Vega-Lite specification as SVG (`bars` and `lines` the kinds of chart), `latest` and `trends` choose
the charts, `cards` puts each on a card, `sections` writes the tiles, second sources and checks,
`style` the CSS, and `page` the whole page; `renderers` runs the drawing in processes of their own.

The names below are loaded when first used: a drawing process (`drawing`) imports `charts`
without the page and DuckDB.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kerncijfers.report.charts import warm_up
    from kerncijfers.report.data import read_warehouse
    from kerncijfers.report.page import Draft, draft, render, write_report

_WHERE = {
    "Draft": "page",
    "draft": "page",
    "render": "page",
    "write_report": "page",
    "read_warehouse": "data",
    "warm_up": "charts",
}

__all__ = [
    "Draft",
    "draft",
    "read_warehouse",
    "render",
    "warm_up",
    "write_report",
]  # literal: linters read it


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f"kerncijfers.report.{_WHERE[name]}"), name)
