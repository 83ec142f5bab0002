"""A plain `dbt build` is the gate too (README, "Checks" → "In CI"): on a fresh clone, with no
folder prepared by hand, it judges the checks inside dbt's own DAG
(models/checks/check_findings.py, tests/dbt/checks/assert_no_critical_finding.sql), fails on a
critical finding naming the check, the document and the numbers, and never writes what readers
read. The verdict is the one `kerncijfers build` reaches in its worker."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from kerncijfers.checks import run_checks
from tests.conftest import GX_DIR, ROOT, TEST_DOCUMENTS, copy_project
from tests.warehouse import Build, edited, kerncijfers

pytestmark = pytest.mark.xdist_group("dbt_gate")

README = (ROOT / "README.md").read_text(encoding="utf-8")
# The README's CI recipe, exactly: the commands of its ```sh block under "In CI".
RECIPE = re.search(r"\*\*In CI\.\*\*.*?```sh\n(.*?)```", README, re.S)


def _recipe(project: Path) -> subprocess.CompletedProcess[str]:
    assert RECIPE is not None, "the README has no CI recipe"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("KERNCIJFERS_") and not key.startswith("DBT_")
    }
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    script = RECIPE.group(1).replace(".venv/bin/", "")
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script], cwd=project, env=env, capture_output=True, text=True
    )


def test_the_ci_recipe_passes_january_and_fails_a_bad_month_naming_it(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "clone")
    passed = _recipe(project)
    assert passed.returncode == 0, passed.stdout[-3000:] + passed.stderr[-2000:]
    assert "PASS assert_no_critical_finding" in passed.stdout
    assert not (project / "warehouse").exists()  # nothing readers read is written
    con = duckdb.connect(str(project / "target" / "kerncijfers.duckdb"), read_only=True)
    try:
        assert con.execute(
            "select check_name, severity, is_reviewed from checks.check_findings order by check_name"
        ).fetchall() == [
            ("agrees_with_revised_second_source", "warning", False),
            ("complete_breakdown_sums_to_100", "warning", True),
        ]
    finally:
        con.close()

    # December 2023 with a top list summing to 130 % and an inverted Dublin funnel.
    bad = edited(
        TEST_DOCUMENTS / "kerncijfers-2023-12.txt",
        tmp_path,
        [("o 31% uit Syrië;", "o 99% uit Syrië;"), ("Van de circa 2.870", "Van de circa 870")],
    )
    ingested = kerncijfers(project, "ingest", str(bad))
    assert ingested.returncode == 0, ingested.stderr
    december = re.search(r"added\s+(\S+)", ingested.stdout).group(1)
    failed = _recipe(project)
    assert failed.returncode != 0
    assert "ERROR assert_no_critical_finding" in failed.stdout
    assert (
        f"CRITICAL breakdown_sums_to_at_most_100: {december} · first_applicants_by_nationality_month · "
        "first_applicants month 2023-12-01..2023-12-31: listed_items=7, total_pct=130" in failed.stdout
    )
    assert (
        f"CRITICAL dublin_handled_at_least_rejected: {december} · dublin_share · 2023-12-01: "
        "handled_count=870, rejected_count=1240" in failed.stdout
    )
    assert not (project / "warehouse").exists()


def test_dbt_and_kerncijfers_reach_the_same_verdict(corrupted: Build) -> None:
    """The same corrupted months (one corruption per check: tests/conftest.py `corrupted`, a plain
    `dbt build` with the checks), judged inside dbt and by the worker's code on the same build, with
    the same reviewed findings (dbt's seed, the worker's file): the same findings, check by check,
    with the same words and numbers."""
    build = corrupted
    assert build.returncode == 1
    assert build.test_results()["assert_no_critical_finding"] == "error"
    in_dbt = set(build.query("select severity, check_name, is_reviewed, detail from checks.check_findings"))
    report = run_checks(build.warehouse, GX_DIR, ROOT / "seeds" / "reviewed" / "reviewed_findings.csv")
    by_worker = {(f.severity, f.check, f.reviewed, f.describe()) for f in report.findings}
    assert in_dbt == by_worker
    assert {check for _, check, _, _ in in_dbt} >= {
        "breakdown_sums_to_at_most_100",
        "dublin_rejected_not_negative",
    }
