"""The checks judged inside dbt's own DAG: what the Python model `models/checks/check_findings.py`
calls, so that a plain `dbt build` fails on a critical finding.

The suites, the datasets, the reviewed findings and the judging are the same as `kerncijfers
build` uses in its worker (`validate`); only the way they arrive differs (dbt hands the datasets
and the seed reviewed_findings over as relations). The model returns every finding as a row; the
data test `tests/dbt/checks/assert_no_critical_finding.sql` fails, naming each critical one, when
one is not reviewed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core.errors import WarehouseError
from core.project import Project
from kerncijfers.checks.suites import WHERE_COLUMNS, load_suites, reviewed_keys
from kerncijfers.checks.validate import CheckReport, validate

# `check_name`, not `check`: CHECK is a reserved word of SQL.
FINDING_COLUMNS = (
    "check_name",
    "severity",
    "is_reviewed",
    "dataset",
    "document_id",
    "family_code",
    "subject",
    "detail",
    "description",
)


def gx_dir() -> Path:
    """The suites of the project dbt runs in (around its working folder), else of the checkout
    this package belongs to."""
    return Project.find_or_packaged().suites_dir


def judge(frames: dict[str, Any], reviewed_rows: Any, suites_dir: Path | None = None) -> CheckReport:
    """Judge the datasets dbt handed over (by model name) with every suite."""
    folder = suites_dir or gx_dir()
    suites = load_suites(folder)
    wanted = {suite.dataset for suite in suites}
    if wanted != set(frames):
        raise WarehouseError(
            folder / "expectations",
            f"the suites judge {sorted(wanted)}, but models/checks/check_findings.py hands over "
            f"{sorted(frames)}: add the missing dbt.ref() there",
        )
    reviewed = reviewed_keys(reviewed_rows.to_dict("records"))
    return validate(suites, {suite.name: frames[suite.dataset] for suite in suites}, reviewed)


def findings_frame(report: CheckReport) -> Any:
    """Every finding as a row of FINDING_COLUMNS (an empty frame of those columns when none)."""
    import pandas

    rows = [
        {
            "check_name": finding.check,
            "severity": str(finding.severity),
            "is_reviewed": finding.reviewed,
            "dataset": finding.dataset,
            **{column: _text(finding.row.get(column)) for column in WHERE_COLUMNS},
            "detail": finding.describe(),
            "description": finding.description,
        }
        for finding in report.findings
    ]
    frame = pandas.DataFrame(rows, columns=list(FINDING_COLUMNS))
    return frame.astype({"is_reviewed": "bool"}).astype(
        {column: "string" for column in FINDING_COLUMNS if column != "is_reviewed"}
    )


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
