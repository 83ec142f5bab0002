"""Vega-Lite written out as plain dicts: fields, marks, layers and filters, as the charts use them.

Plain dicts, not altair's classes: building and copying a chart's specification with altair took
most of a report's time (4.5 s of 6.4 at 120 publications); the tests check each specification
against the Vega-Lite schema instead (charts.VALIDATE_ENV).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

Spec = dict[str, Any]


def quantitative(field: str, **more: Any) -> Spec:
    """A quantitative field."""
    return {"field": field, "type": "quantitative", **more}


def nominal(field: str, **more: Any) -> Spec:
    """A nominal field."""
    return {"field": field, "type": "nominal", **more}


def fixed_colours(field: str) -> Spec:
    """Colour each mark as its row says (`field` holds a colour), without a legend."""
    return nominal(field, scale=None, legend=None)


def mark_spec(kind: str, **properties: Any) -> Spec:
    return {"type": kind, **properties}


def layer_spec(mark: Spec, encoding: Spec, transform: Sequence[Spec] = (), data: str | None = None) -> Spec:
    """One layer; `data` names its rows among the chart's datasets (else the chart's own)."""
    layer: Spec = {"mark": mark, "encoding": encoding}
    if transform:
        layer["transform"] = list(transform)
    if data is not None:
        layer["data"] = {"name": data}
    return layer


def filter_spec(expression: str) -> Spec:
    return {"filter": expression}
