"""`kerncijfers metrics`: MetricFlow's `mf` on the published warehouse, set up for the user.

`mf` alone needs the profile's folder (DBT_PROFILES_DIR) and the read-only `published` target
(KERNCIJFERS_TARGET); without them it ends in a traceback that asks to report a bug to MetricFlow.
Here it runs with both on the project, and on the published file (read-only: it runs beside BI
tools and while a build publishes). Its arguments pass through unchanged, but:

- a query grouped by time answers in month order: without an `--order` of the user's, the
  group-by items are the order, time first (MetricFlow's SQL has no ORDER BY of its own: DuckDB
  returned the months out of order, the newest first);
- the output is plain: mf draws a spinner (carriage returns and braille frames) even into a pipe
  or a file; what only the spinner shows is dropped;
- a missing or damaged warehouse, a missing semantic manifest and every error mf reports end as
  one line, never mf's traceback or its request to report a bug.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from core.errors import WarehouseError
from core.project import Project
from kerncijfers.warehouse import TARGET_ENV, WAREHOUSE_ENV, connect, warehouse_path

_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
# The first character of a line the spinner wrote: a braille frame while it turns, then the mark
# it ends on (halo's log symbols).
_SPINNER = re.compile(r"^[\u2800-\u28ff\u2714\u2716\u2139\u26a0]")
# Where mf's account of an error ends and its advertising begins.
_ERROR_END = ("Log File::", "Artifact Path:", "Artifact Modified Time:", "If you think you found a bug")


def run_metricflow(project: Project, arguments: Sequence[str]) -> int:
    """Run `mf` with `arguments` on the published warehouse; print its plain output. An error is
    raised as one WarehouseError (a command line mf refuses: exit status 2, as argparse's)."""
    warehouse = warehouse_path(project)
    connect(warehouse).close()  # missing, damaged or locked: named here, in our words
    manifest = project.root / "target" / "semantic_manifest.json"
    if not manifest.is_file():
        raise WarehouseError(
            manifest,
            "no semantic manifest (the metrics' definitions, written by the build): run `make build` first",
        )
    mf = Path(sys.executable).with_name("mf")
    if not mf.exists():
        raise WarehouseError(
            mf, "MetricFlow is not installed in this environment: run `make build` to install it"
        )
    ordered = in_month_order(arguments or ["--help"])
    # mf's log (and dbt's) go to a folder of this run, not the project's logs/: a reader writes
    # nothing in the project, so it works in a read-only one and on a full disk.
    with tempfile.TemporaryDirectory(prefix="kerncijfers-mf-") as logs:
        environment = {
            **os.environ,
            "DBT_PROFILES_DIR": str(project.root / "profiles"),
            "DBT_PROJECT_DIR": str(project.root),
            "DBT_LOG_PATH": logs,
            TARGET_ENV: "published",
            WAREHOUSE_ENV: str(warehouse),
            "NO_COLOR": "1",
        }
        result = subprocess.run(
            [str(mf), *ordered],  # in the user's folder: a --csv FILE is where they said
            env=environment,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            check=False,
        )
    # Decoded here: text mode's universal newlines would make each spinner frame a line.
    output = plain(result.stdout.decode("utf-8", errors="replace"))
    if result.returncode == 0:
        sys.stdout.write(output)  # stderr holds nothing for the user then: at most its logging's own errors
        return 0
    errors = result.stderr.decode("utf-8", errors="replace")
    command = " ".join(["kerncijfers metrics", *arguments[:1]])
    said = one_line(output + "\n" + errors, order_added=ordered != list(arguments))
    if result.returncode == 2:  # click's usage error: the command line, not the data
        print(f"error: {command}: {said}", file=sys.stderr)
        return 2
    if "Traceback" in output + errors:  # mf crashed rather than reported an error: keep its account
        said += f"; MetricFlow's whole output is in {_keep(output + errors)}"
    raise WarehouseError(command, said)


def _keep(text: str) -> str:
    """Write what mf said to a file for a report; its name."""
    with tempfile.NamedTemporaryFile(
        "w", prefix="kerncijfers-metricflow-", suffix=".log", delete=False, encoding="utf-8"
    ) as log:
        log.write(text)
    return log.name


def in_month_order(arguments: Sequence[str]) -> list[str]:
    """The arguments of `mf`, with `--order` added to a query that has none: its group-by items,
    time first (ascending)."""
    arguments = list(arguments)
    if not arguments or arguments[0] != "query":
        return arguments
    if any(
        a in ("--order", "--saved-query") or a.startswith(("--order=", "--saved-query=")) for a in arguments
    ):
        return arguments
    group_by: list[str] = []
    for index, argument in enumerate(arguments):
        if argument == "--group-by" and index + 1 < len(arguments):
            group_by += arguments[index + 1].split(",")
        elif argument.startswith("--group-by="):
            group_by += argument.removeprefix("--group-by=").split(",")
    items = [item.strip() for item in group_by if item.strip()]
    if not items:
        return arguments
    order = sorted(items, key=lambda item: not item.startswith("metric_time"))  # stable: time first
    return [*arguments, "--order", ",".join(order)]


def plain(output: str) -> str:
    """mf's output as a file shows it: each line as its last carriage return left it, without
    colour codes, and without the lines only the spinner wrote."""
    lines = []
    for line in output.split("\n"):
        shown = _ESCAPE.sub("", line.rsplit("\r", 1)[-1])
        if "\r" in line and (not shown.strip() or _SPINNER.match(shown)):
            continue
        lines.append(shown)
    return "\n".join(lines).strip("\n") + "\n" if any(line.strip() for line in lines) else ""


def one_line(output: str, order_added: bool = False) -> str:
    """What mf said of an error, in one line: its message, suggestions and input, without the
    traceback, MetricFlow's list of common issues, the issue's location in its code, the log's name
    and the request to report a bug. With `order_added`, an error about the `--order` added here
    is left out: the group-by item it names has an error of its own."""
    lines = output.split("\n")
    start = next((i for i, line in enumerate(lines) if line.startswith(("ERROR: ", "Error: "))), None)
    if start is None:
        said = [line.strip() for line in lines if line.strip() and not line.startswith(("Traceback", "  "))]
        return said[-1] if said else "MetricFlow failed without saying why"
    errors: list[list[str]] = [[]]  # mf numbers its errors: "Error #1:", "Error #2:", ...
    items: list[str] = []  # a list mf prints one quoted item a line: said as "a, b, c"
    skipping_below: int | None = None  # the indentation of a section left out
    for line in lines[start:]:
        if line.startswith(_ERROR_END):
            break
        text = line.strip().removeprefix("ERROR: ").removeprefix("Error: ")
        indent = len(line) - len(line.lstrip())
        if skipping_below is not None and (
            not text or indent > skipping_below or text.startswith(("* ", "("))
        ):
            continue
        skipping_below = None
        item = re.fullmatch(r"'(.*)',?", text)
        if re.fullmatch(r"Error #\d+:", text):
            errors.append([])
        elif item:
            items.append(item.group(1))
        elif text == "]":
            errors[-1].append(", ".join(items) + ".")
            items = []
        elif text == "Issue Location:" or text.endswith("Common issues are:"):
            errors[-1].append(text.removesuffix("Common issues are:").strip())
            skipping_below = indent
        elif text and not re.fullmatch(r"Message:|\^+|\[|Got error\(s\) during query resolution\.", text):
            errors[-1].append(text)
    said = [
        " ".join(part for part in error if part and part != "Issue Location:")
        for error in errors
        if error and not (order_added and error[0].startswith("The order-by item"))
    ]
    message = " ".join(said) or "MetricFlow failed without saying why"
    if "Query Input:" in message:
        message += (
            " (`kerncijfers metrics list metrics` lists each metric with the dimensions it can be grouped by)"
        )
    return message
