"""The semantic layer (models/marts/_semantic.yml): `mf query` answers every metric from the
warehouse, month by month, with the marts' own numbers.

Run on `history` (six months, gaps, a revision) as a user runs it: `mf query` in the project
folder, with DBT_PROFILES_DIR, KERNCIJFERS_TARGET=published and KERNCIJFERS_WAREHOUSE set.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tests.warehouse import Build

# One worker of a parallel run builds `history` for all the modules that read it.
pytestmark = pytest.mark.xdist_group("history")

Answer = dict[date, float | None]
# For each metric, the marts' answer: (month, value) for every month the metric covers.
MART_ANSWERS = {
    "first_applications": "select reference_month, first_applications from marts.fct_asylum_inflow_monthly",
    "family_reunification_arrivals": "select reference_month, family_reunification_arrivals "
    "from marts.fct_asylum_inflow_monthly",
    "first_applications_handled": "select reference_month, handled_count from marts.fct_dublin_funnel",
    "dublin_rejections": "select reference_month, dublin_rejected_count from marts.fct_dublin_funnel",
    # A percentage, as every share in the marts; unrounded (the mart's dublin_share_of_handled_pct
    # is the same, rounded to 0.1).
    "dublin_rejection_share": "select reference_month, 100.0 * dublin_rejected_count / handled_count "
    "from marts.fct_dublin_funnel",
    "grant_rate": "select reference_month, grant_rate_pct from marts.fct_grant_rates "
    "where nationality_code = 'TOTAL'",
    "departures": "select reference_month, departed_in_month from marts.fct_departures "
    "where population_code = 'all_aliens'",
}


def mf_query(build: Build, metrics: list[str], folder: Path) -> dict[str, Answer]:
    """`mf query --metrics <all> --group-by metric_time__month`, read from its CSV output: one
    answer per metric. One query for all of them: each `mf` start costs seconds."""
    # The `published` target attaches the warehouse read-only: the query takes no lock, and runs
    # while the file is open elsewhere.
    output = folder / "metrics.csv"
    command = [
        str(Path(sys.executable).with_name("mf")),
        "query",
        "--metrics",
        ",".join(metrics),
        "--group-by",
        "metric_time__month",
        "--order",
        "metric_time__month",
        "--csv",
        str(output),
        "--quiet",
    ]
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(build.project / "profiles"),
        "KERNCIJFERS_TARGET": "published",
        "KERNCIJFERS_WAREHOUSE": str(build.warehouse),
    }
    result = subprocess.run(
        command, cwd=build.project, env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0 and output.exists(), result.stdout[-3000:] + result.stderr[-3000:]
    with output.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert rows and list(rows[0]) == ["metric_time__month", *metrics], rows[:1]
    # An empty cell is a month without a value (a null in the mart).
    return {
        metric: {
            date.fromisoformat(row["metric_time__month"][:10]): float(row[metric]) if row[metric] else None
            for row in rows
        }
        for metric in metrics
    }


@pytest.fixture(scope="module")
def answers(history: Build, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Answer]:
    """Every metric's answer."""
    return mf_query(history, list(MART_ANSWERS), tmp_path_factory.mktemp("mf"))


def test_every_metric_is_described_and_checked_here(history: Build) -> None:
    manifest = json.loads((history.project / "target" / "semantic_manifest.json").read_text("utf-8"))
    assert {metric["name"] for metric in manifest["metrics"]} == set(MART_ANSWERS)
    for metric in manifest["metrics"]:
        assert len(metric["description"]) > 80, metric["name"]


def test_no_metric_offers_a_grouping_it_filters_away(history: Build) -> None:
    """A metric filtered to one value of a dimension of its own semantic model (grant rates to
    TOTAL, departures to all_aliens) is still offered that dimension by `mf list dimensions`,
    and grouping by it silently returns the one value. So no metric is filtered: each is built on
    a semantic model that has only the dimensions it can be grouped by."""
    manifest = json.loads((history.project / "target" / "semantic_manifest.json").read_text("utf-8"))
    filtered = [metric["name"] for metric in manifest["metrics"] if metric.get("filter")]
    assert filtered == []
    dimensions = {
        model["name"]: {d["name"] for d in model["dimensions"]} for model in manifest["semantic_models"]
    }
    assert dimensions["monthly_key_figures"] == {"reference_month"}
    measures = {m["name"]: model["name"] for model in manifest["semantic_models"] for m in model["measures"]}
    assert measures["grant_rate_pct"] == measures["departed_in_month"] == "monthly_key_figures"


@pytest.mark.parametrize("metric", MART_ANSWERS)
def test_mf_query_agrees_with_the_marts(metric: str, answers: dict[str, Answer], history: Build) -> None:
    expected = {
        month: None if value is None else float(Decimal(value))
        for month, value in history.query(MART_ANSWERS[metric])
    }
    answer = answers[metric]
    assert set(answer) == set(expected) and len(expected) == 6
    for month, value in expected.items():
        if value is None:
            assert answer[month] is None, month
        else:
            assert answer[month] == pytest.approx(value, rel=1e-6), month


def test_the_metrics_as_a_reader_knows_them(answers: dict[str, Answer]) -> None:
    january_2023, december_2023 = date(2023, 1, 1), date(2023, 12, 1)
    # The revision of January 2023 (2,500, not 2,490) is the answer.
    assert answers["first_applications"][january_2023] == 2500
    # 660 of 2,180 handled first applications rejected under Dublin: 30.3 %.
    assert answers["dublin_rejection_share"][january_2023] == pytest.approx(100 * 660 / 2180)
    assert answers["grant_rate"][january_2023] == 65
    # All aliens only (criminal aliens are among them); no month figure without the month before.
    assert answers["departures"][january_2023] == 2120
    assert answers["departures"][december_2023] is None
