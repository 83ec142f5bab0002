"""The consistency rules ("the shares sum correctly"), judged by Great Expectations.

The rules live in the project's `gx/expectations/`, one suite per dataset, every expectation with
a plain-words description, a severity and the rule it checks (`meta.rule`). The datasets are dbt
models of `models/audit/`, one row per thing a rule looks at. `suites` reads suites, datasets and
reviewed findings; `validate` judges; `worker` runs the judging in a process of its own during a
build.
"""

from __future__ import annotations

from pathlib import Path

from kerncijfers.checks.suites import Suite, load_reviewed, load_suites, read_datasets_duckdb
from kerncijfers.checks.validate import CheckReport, Finding, validate

__all__ = ["CheckReport", "Finding", "Suite", "load_suites", "run_checks"]


def run_checks(
    database: Path, gx_dir: Path, reviewed_seed: Path | None = None, data_docs_dir: Path | None = None
) -> CheckReport:
    """Judge the audit datasets of a DuckDB build (a candidate, or the full build) in this process."""
    suites = load_suites(gx_dir)
    frames = read_datasets_duckdb(database, suites)
    reviewed = load_reviewed(reviewed_seed) if reviewed_seed is not None else set()
    return validate(suites, frames, reviewed, data_docs_dir)
