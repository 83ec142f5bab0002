"""The semantic layer (models/marts/_semantic.yml): `kerncijfers metrics query` (MetricFlow's
`mf`, set up for the published warehouse) answers every metric from the warehouse, month by month
in month order, with the marts' own numbers.

Run on `history` (six months, gaps, a revision) as a user runs it: in the project folder, with
nothing set up (KERNCIJFERS_WAREHOUSE only says where the tests' build published).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
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


@dataclass
class Answered:
    """What `kerncijfers metrics query` printed: each metric's answer by month, the months in
    the order of its rows, and its output as bytes."""

    answers: dict[str, Answer]
    months: list[date]
    output: bytes
    errors: bytes


def metrics_query(build: Build, metrics: list[str]) -> Answered:
    """`kerncijfers metrics query --metrics <all> --group-by metric_time__month`, as a user runs it
    in the project folder (nothing set up: no DBT_PROFILES_DIR, no target), into a pipe, read from
    the table it prints. One query for all the metrics: each start of `mf` costs seconds."""
    command = [
        str(Path(sys.executable).with_name("kerncijfers")),
        "metrics",
        "query",
        "--metrics",
        ",".join(metrics),
        "--group-by",
        "metric_time__month",
        "--decimals",
        "6",
    ]
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DBT_PROFILES_DIR", "KERNCIJFERS_TARGET")
    }
    env["KERNCIJFERS_WAREHOUSE"] = str(build.warehouse)  # where the tests' builds publish
    result = subprocess.run(
        command, cwd=build.project, env=env, capture_output=True, timeout=300, check=False
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    lines = result.stdout.decode("utf-8").splitlines()
    header, rule, *rows = lines
    # The columns of the table, as its rule of dashes spans them (an empty cell is a null).
    spans = [match.span() for match in re.finditer(r"-+", rule)]
    cells = [[row[start:end].strip() for start, end in spans] for row in rows]
    assert [header[start:end].strip() for start, end in spans] == ["metric_time__month", *metrics], header
    months = [date.fromisoformat(row[0][:10]) for row in cells]
    answers = {
        metric: {month: float(row[i]) if row[i] else None for month, row in zip(months, cells, strict=True)}
        for i, metric in enumerate(metrics, start=1)
    }
    return Answered(answers, months, result.stdout, result.stderr)


@pytest.fixture(scope="module")
def answered(history: Build) -> Answered:
    return metrics_query(history, list(MART_ANSWERS))


@pytest.fixture(scope="module")
def answers(answered: Answered) -> dict[str, Answer]:
    """Every metric's answer."""
    return answered.answers


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


def test_the_answer_comes_in_month_order_as_plain_text(answered: Answered, history: Build) -> None:
    """Oldest month first (DuckDB had returned the newest first); into a pipe, no spinner frames,
    carriage returns or colour codes, and nothing on stderr."""
    months = [
        month for (month,) in history.query("select reference_month from marts.fct_asylum_inflow_monthly")
    ]
    assert answered.months == sorted(months) and len(months) == 6
    text = answered.output.decode("utf-8")
    assert "\r" not in text and "\x1b" not in text
    assert not re.search("[\u2800-\u28ff\u2714]", text), text[:300]
    assert answered.errors == b""


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    from kerncijfers.cli import main

    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.fixture
def unset(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """Nothing of `mf`'s set-up in the environment: the command sets it itself."""
    monkeypatch.delenv("DBT_PROFILES_DIR", raising=False)
    monkeypatch.delenv("KERNCIJFERS_TARGET", raising=False)
    return monkeypatch


def test_a_query_mf_refuses_is_one_line_with_its_suggestions(
    history: Build, unset: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A misspelt metric: MetricFlow's message, its suggestions and the input in one line — not
    its traceback, the place in its code or its request to report a bug."""
    unset.setenv("KERNCIJFERS_WAREHOUSE", str(history.warehouse))
    status, out, err = _run(
        capsys, "--project-dir", str(history.project), "metrics", "query", "--metrics", "first_aplications"
    )
    assert (status, out) == (1, "")
    assert err.count("\n") == 1 and err.startswith(
        "error: kerncijfers metrics query: The given input does not exactly match any known metrics. "
        "Suggestions: "
    )
    suggested = err.split("Suggestions: ", 1)[1].split(". Query Input:", 1)[0].split(", ")
    assert "first_applications" in suggested and set(suggested) <= set(MART_ANSWERS)
    assert "Query Input: first_aplications (`kerncijfers metrics list metrics` lists each metric" in err
    assert "Traceback" not in err and "report" not in err and "Issue Location" not in err


def test_without_a_warehouse_or_semantic_manifest_one_line_of_ours(
    history: Build, tmp_path: Path, unset: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Named before `mf` starts (it ended in a traceback asking to report a bug to MetricFlow)."""
    missing = tmp_path / "none.duckdb"
    unset.setenv("KERNCIJFERS_WAREHOUSE", str(missing))
    status, out, err = _run(capsys, "--project-dir", str(history.project), "metrics", "list", "metrics")
    assert (status, out) == (1, "")
    assert err == f"error: {missing}: no warehouse here: run `make build` (or `kerncijfers build`) first\n"

    project = tmp_path / "project"  # a project that has not been built: no target/
    project.mkdir()
    shutil.copy(history.project / "dbt_project.yml", project / "dbt_project.yml")
    unset.setenv("KERNCIJFERS_WAREHOUSE", str(history.warehouse))
    status, out, err = _run(capsys, "--project-dir", str(project), "metrics", "list", "metrics")
    assert (status, out) == (1, "")
    assert err == (
        f"error: {project / 'target' / 'semantic_manifest.json'}: no semantic manifest (the metrics' "
        "definitions, written by the build): run `make build` first\n"
    )


def test_a_query_is_ordered_by_its_group_by_time_first_unless_it_orders_itself() -> None:
    from kerncijfers.metrics import in_month_order

    query = ["query", "--metrics", "first_applications"]
    assert in_month_order([*query, "--group-by", "metric_time__month"]) == [
        *query,
        "--group-by",
        "metric_time__month",
        "--order",
        "metric_time__month",
    ]
    assert in_month_order([*query, "--group-by=source_document__title,metric_time__year"])[-2:] == [
        "--order",
        "metric_time__year,source_document__title",
    ]
    for unchanged in (
        [*query, "--group-by", "metric_time__month", "--order", "-metric_time__month"],
        [*query, "--group-by", "metric_time__month", "--order=first_applications"],
        [*query],
        ["list", "dimensions", "--metrics", "first_applications"],
    ):
        assert in_month_order(unchanged) == unchanged
