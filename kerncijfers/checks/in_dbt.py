"""The consistency rules judged inside dbt's own DAG: what the Python model
`models/audit/audit_findings.py` calls, so that a plain `dbt build` fails on a critical finding.

The suites, the datasets and the judging are the same as `kerncijfers build` uses in its worker
(`validate`); only the way the datasets arrive differs (dbt hands them over as relations). The
model returns every finding as a row; the data test `tests/dbt/audit/assert_no_critical_finding.sql`
fails, naming each critical one, when one is not reviewed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core.errors import WarehouseError
from core.project import Project
from kerncijfers.checks.suites import load_suites, reviewed_keys
from kerncijfers.checks.validate import CheckReport, validate

FINDING_COLUMNS = (
    "rule",
    "severity",
    "is_reviewed",
    "dataset",
    "document_id",
    "family",
    "subject",
    "detail",
    "description",
)


def gx_dir() -> Path:
    """The suites of the project dbt runs in (around its working folder), else of the checkout
    this package belongs to."""
    return Project.find_or_packaged().root / "gx"


def judge(frames: dict[str, Any], reviewed_rows: Any, suites_dir: Path | None = None) -> CheckReport:
    """Judge the datasets dbt handed over (by model name) with every suite."""
    folder = suites_dir or gx_dir()
    suites = load_suites(folder)
    wanted = {suite.dataset for suite in suites}
    if wanted != set(frames):
        raise WarehouseError(
            folder / "expectations",
            f"the suites judge {sorted(wanted)}, but models/audit/audit_findings.py hands over "
            f"{sorted(frames)}: add the missing dbt.ref() there",
        )
    reviewed = reviewed_keys(reviewed_rows.to_dict("records"))
    return validate(suites, {suite.name: frames[suite.dataset] for suite in suites}, reviewed)


def findings_frame(report: CheckReport) -> Any:
    """Every finding as a row of FINDING_COLUMNS (an empty frame of those columns when none)."""
    import pandas

    rows = [
        {
            "rule": finding.rule,
            "severity": finding.severity,
            "is_reviewed": finding.reviewed,
            "dataset": finding.suite,
            "document_id": None
            if finding.row.get("document_id") is None
            else str(finding.row["document_id"]),
            "family": None if finding.row.get("family") is None else str(finding.row["family"]),
            "subject": None if finding.row.get("subject") is None else str(finding.row["subject"]),
            "detail": finding.describe(),
            "description": finding.description,
        }
        for finding in report.findings
    ]
    frame = pandas.DataFrame(rows, columns=list(FINDING_COLUMNS))
    return frame.astype({"is_reviewed": "bool"}).astype(
        {column: "string" for column in FINDING_COLUMNS if column != "is_reviewed"}
    )
