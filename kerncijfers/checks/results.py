"""The checks of a published release, kept with it: `checks.json` in the release's export folder.

Great Expectations' own Data Docs load their CSS and scripts from CDNs, so offline they are a
blank page. The report (`kerncijfers report`) shows the same results instead, in a "Checks"
section of its self-contained page: every check with its dataset, severity and description, and
every finding of the audit that let the release be published (warnings and reviewed findings).
The file is written before the publish commits, so it always belongs to the release beside it.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kerncijfers.checks.severity import Severity
from kerncijfers.checks.suites import load_suites
from kerncijfers.checks.validate import CheckReport
from kerncijfers.safe_write import refuse_links, write_file

CHECKS_FILE = "checks.json"


def write_results(folder: Path, report: CheckReport, gx_dir: Path) -> Path:
    """The checks and the audit's findings, as `folder/checks.json`. A symbolic link at it or at
    `folder` (the release's export folder) is refused: nothing is written through a link."""
    path = folder / CHECKS_FILE
    refuse_links(path, folder.parent)
    checks = []
    for suite in load_suites(gx_dir):
        for check, expectation in suite.checks:
            found = [f for f in report.findings if f.dataset == suite.dataset and f.check == check]
            checks.append(
                {
                    "dataset": suite.dataset,
                    "check": check,
                    "severity": expectation.get("severity", Severity.CRITICAL),
                    "description": expectation.get("description", ""),
                    "critical": sum(1 for f in found if f.severity == Severity.CRITICAL),
                    "warnings": sum(1 for f in found if f.severity != Severity.CRITICAL),
                }
            )
    data = {
        "judged_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "checks_run": report.checks_run,
        "checks": checks,
        "findings": [{**asdict(f), "detail": f.describe()} for f in report.ordered()],
    }
    return write_file(
        path,
        (json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n").encode("utf-8"),
        folder.parent,
    )


def read_results(folder: Path) -> dict[str, Any] | None:
    """The checks of the release in `folder`, or None when it has none (built before they were kept).
    A file written before the checks had their name (`rules`, `rule`, `suite`, `expectations_run`)
    is read in today's words: the release it belongs to stays published until the next build."""
    try:
        data = json.loads((folder / CHECKS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if "rules" not in data:
        return data
    renamed = {"rule": "check", "suite": "dataset"}
    return {
        "judged_at": data["judged_at"],
        "checks_run": data["expectations_run"],
        "checks": [{renamed.get(key, key): value for key, value in rule.items()} for rule in data["rules"]],
        "findings": [
            {renamed.get(key, key): value for key, value in found.items()} for found in data["findings"]
        ],
    }
