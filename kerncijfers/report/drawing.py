"""A drawing process of the report (`renderers.Renderers` starts it): vl-convert's runtime started
once, then one request a line on stdin (a Vega-Lite specification, the chart's title and
description, as JSON) and one answer a line on stdout (`{"svg": ...}` or `{"error": ...}`), until
stdin closes."""

from __future__ import annotations

import json
import sys

from kerncijfers.report.charts import render, warm_up


def main() -> int:
    """A drawing process: start the runtime, then answer each request line until stdin closes."""
    warm_up()
    for line in sys.stdin:
        spec, title, desc = json.loads(line)
        try:
            answer = {"svg": render(spec, title, desc)}
        except Exception as exc:  # the caller's future raises it, with the chart's words
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
