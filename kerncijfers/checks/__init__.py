"""The checks: the consistency rules a release is judged by ("the shares sum correctly").

A check is one rule; its dataset is the dbt model of `models/checks/` it looks at (one row per
thing judged); Great Expectations is how it is judged: each check is one expectation, with a
plain-words description, a `Severity` and its name (`meta.check`), in the suite of its dataset,
`gx/expectations/<dataset>.json`. `suites` reads suites, datasets and reviewed findings;
`validate` judges; `worker` runs the judging in a process of its own during a build; `in_dbt`
judges inside a plain `dbt build`.
"""

from __future__ import annotations

from pathlib import Path

from kerncijfers.checks.severity import Severity
from kerncijfers.checks.suites import Suite, load_reviewed, load_suites, read_datasets_duckdb
from kerncijfers.checks.validate import CheckReport, Finding, validate

__all__ = ["CheckReport", "Finding", "Severity", "Suite", "load_suites", "run_checks"]


def run_checks(
    database: Path, gx_dir: Path, reviewed_seed: Path | None = None, data_docs_dir: Path | None = None
) -> CheckReport:
    """Judge the check datasets of a DuckDB build (a candidate, or the full build) in this process."""
    suites = load_suites(gx_dir)
    frames = read_datasets_duckdb(database, suites)
    reviewed = load_reviewed(reviewed_seed) if reviewed_seed is not None else set()
    return validate(suites, frames, reviewed, data_docs_dir)
