"""The checks (Great Expectations suites on the models of models/checks/): the real data passes,
and every check fails on data that breaks it, naming the check, the document and the numbers."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest

from core.errors import WarehouseError
from kerncijfers.checks import CheckReport, Severity, load_suites, run_checks
from kerncijfers.checks.suites import WHERE_COLUMNS
from tests.conftest import GX_DIR, ROOT, TEST_DOCUMENTS, full_build
from tests.warehouse import Build

# The corrupted build (tests/conftest.py `corrupted`) is judged here and by test_dbt_gate.py: one build.
pytestmark = pytest.mark.xdist_group("dbt_gate")

REVIEWED = ROOT / "seeds" / "reviewed" / "reviewed_findings.csv"


def _document_id(name: str) -> str:
    """Documents are named by content: the id of a test document follows from its bytes."""
    digest = hashlib.sha256((TEST_DOCUMENTS / f"kerncijfers-{name}.txt").read_bytes()).hexdigest()
    return f"kerncijfers-{name}-{digest[:12]}"


JAN = "kerncijfers-2023-01-4f0d79c6a2f3"
DEC = _document_id("2023-12")
MAR = _document_id("2024-03")


def _lines(report: CheckReport, check: str) -> list[str]:
    return [f"{f.severity} {f.describe()}" for f in report.findings if f.check == check]


CHECKS = [check for suite in load_suites(GX_DIR) for check, _ in suite.checks]


def test_every_suite_judges_a_check_model_and_every_check_is_written_once() -> None:
    for suite in load_suites(GX_DIR):
        assert suite.path.stem == suite.dataset == suite.name
        assert (ROOT / "models" / "checks" / f"{suite.dataset}.sql").is_file()
        for check, expectation in suite.checks:
            assert expectation["description"] and expectation["severity"] in set(Severity)
            assert check == expectation["meta"]["check"]
    assert len(CHECKS) == len(set(CHECKS))  # each check once, with one severity


def test_dbt_hands_every_check_dataset_over() -> None:
    """dbt reads a Python model's refs from its source, so check_findings.py names each dataset:
    every model of models/checks/ (and nothing else) — a new check's model is refused otherwise."""
    models = {path.stem for path in (ROOT / "models" / "checks").glob("check_*.sql")}
    source = (ROOT / "models" / "checks" / "check_findings.py").read_text(encoding="utf-8")
    handed = set(re.findall(r'"(\w+)": dbt\.ref\("(\w+)"\)\.df\(\)', source))
    assert handed == {(model, model) for model in models}
    assert models == {suite.dataset for suite in load_suites(GX_DIR)}


def test_a_severity_the_checks_do_not_know_is_refused(tmp_path: Path) -> None:
    shutil.copytree(GX_DIR, tmp_path / "gx")
    path = tmp_path / "gx" / "expectations" / "check_percentages.json"
    suite = json.loads(path.read_text(encoding="utf-8"))
    suite["expectations"][0]["severity"] = "info"
    path.write_text(json.dumps(suite), encoding="utf-8")
    with pytest.raises(WarehouseError) as refused:
        load_suites(tmp_path / "gx")
    assert str(refused.value) == f"{path}: the severity 'info' is not one of critical, warning"


def test_every_dataset_names_the_document_the_registry_family_and_the_subject(corrupted: Build) -> None:
    """`family_code` means one thing in every check dataset: a code of the registry (judged on the
    corrupted months, where every dataset has rows)."""
    con = duckdb.connect(str(corrupted.warehouse), read_only=True)
    try:
        families = {
            row[0] for row in con.execute("select family_code from marts.dim_figure_families").fetchall()
        }
        for suite in load_suites(GX_DIR):
            columns = [row[0] for row in con.execute(f"describe checks.{suite.dataset}").fetchall()]
            assert columns[: len(WHERE_COLUMNS)] == list(WHERE_COLUMNS), suite.dataset
            assert set(suite.report_columns) >= set(WHERE_COLUMNS), suite.dataset
            used = {
                row[0]
                for row in con.execute(f"select distinct family_code from checks.{suite.dataset}").fetchall()
            }
            assert used and used <= families, (suite.dataset, used - families)
    finally:
        con.close()


def test_no_rule_is_also_a_dbt_test() -> None:
    """dbt's tests check structure only: keys, codes, relationships, not-null, accepted values."""
    generic = {path.stem for path in (ROOT / "tests" / "dbt" / "generic").glob("*.sql")}
    assert generic == {"primary_key", "labels_have_codes", "not_null_columns"}
    yml = "\n".join(
        path.read_text() for folder in ("models", "seeds") for path in (ROOT / folder).rglob("*.yml")
    )
    used = set(re.findall(r"^\s*- (\w+):\s*$", yml, re.M))
    used |= {
        name.strip() for names in re.findall(r"data_tests: \[([^]]*)\]", yml) for name in names.split(",")
    }
    assert used == {
        "primary_key",
        "labels_have_codes",
        "not_null_columns",
        "relationships",
        "accepted_values",
        "unique",
    }


def test_the_real_data_passes(built_project: tuple[Path, Path, str], tmp_path: Path) -> None:
    _, warehouse, output = built_project
    report = run_checks(full_build(warehouse), GX_DIR, REVIEWED, data_docs_dir=tmp_path / "docs")
    assert report.critical == []
    assert report.checks_run == len(CHECKS)
    # The one inconsistency of the January 2023 publication is reviewed: a warning, not a stop.
    assert _lines(report, "complete_breakdown_sums_to_100") == [
        f"warning {JAN} · family_reunification_by_nationality_12m · family_reunification rolling_12m 2022-02-01..2023-01-31: "
        "listed_items=4, total_pct=85, tolerance_pct=2"
    ]
    # IND revised January's 2,490 first applications to 2,499 a month later: a warning.
    assert _lines(report, "agrees_with_revised_second_source") == [
        f"warning {JAN} · first_applications · TOTAL 2023-01-01: kerncijfers_count=2490, kerncijfers_low=2485, "
        "kerncijfers_high=2495, ind_first_value=2490, ind_latest_value=2499, cbs_value=<NA>, "
        "second_source=https://ind.nl/nl/nieuws/asielinstroom-in-februari-2023"
    ]
    assert sorted((f.check, f.reviewed) for f in report.findings) == [
        ("agrees_with_revised_second_source", False),
        ("complete_breakdown_sums_to_100", True),
    ]
    assert (tmp_path / "docs" / "index.html").is_file()
    # make build judges the candidate the same way before publishing it, and prints it.
    assert f"audit    {len(CHECKS)} checks: 0 critical, 2 warning(s)" in output
    assert "complete_breakdown_sums_to_100 (reviewed)" in output


def test_without_its_review_the_finding_is_critical(built_project: tuple[Path, Path, str]) -> None:
    report = run_checks(full_build(built_project[1]), GX_DIR)
    assert sorted((f.check, f.severity, f.reviewed) for f in report.findings) == [
        ("agrees_with_revised_second_source", "warning", False),
        ("complete_breakdown_sums_to_100", "critical", False),
    ]


@pytest.fixture(scope="module")
def corrupted_report(corrupted: Build, tmp_path_factory: pytest.TempPathFactory) -> CheckReport:
    return run_checks(corrupted.warehouse, GX_DIR, REVIEWED)


@pytest.mark.parametrize(
    ("check", "expected"),
    [
        (
            "share_between_0_and_100",
            f"critical {JAN} · grant_rate_by_nationality · AFG: source_line=98, value_pct=120",
        ),
        (
            "breakdown_sums_to_at_most_100",
            f"critical {JAN} · first_applicants_by_nationality_month · first_applicants month "
            "2023-01-01..2023-01-31: listed_items=5, total_pct=121, tolerance_pct=2.5",
        ),
        (
            "complete_breakdown_sums_to_100",
            f"critical {MAR} · family_reunification_by_nationality_month · family_reunification month "
            "2024-03-01..2024-03-31: "
            "listed_items=3, total_pct=80, tolerance_pct=1.5",
        ),
        (
            "supervised_plus_own_is_100",
            f"critical {JAN} · criminal_departures_supervised_share · 2023-01-01: supervised_pct=60, "
            "unsupervised_pct=21",
        ),
        (
            "dublin_rejected_at_least_dublin_rejected",
            f"critical {JAN} · dublin_share · 2023-01-01: handled_count=2180, rejected_count=500, "
            "dublin_rejected_count=660, published_pct=30, computed_low_pct=30, computed_high_pct=30.6",
        ),
        (
            "dublin_handled_at_least_rejected",
            f"critical {DEC} · dublin_share · 2023-12-01: handled_count=100, "
            "rejected_count=1240, dublin_rejected_count=-10, published_pct=22, computed_low_pct=0, "
            "computed_high_pct=-5.3",
        ),
        (
            "dublin_rejected_not_negative",
            f"critical {DEC} · dublin_share · 2023-12-01: handled_count=100, "
            "rejected_count=1240, dublin_rejected_count=-10, published_pct=22, computed_low_pct=0, "
            "computed_high_pct=-5.3",
        ),
        (
            "published_dublin_share_agrees",
            f"warning {MAR} · dublin_share · 2024-03-01: handled_count=2350, "
            "rejected_count=880, dublin_rejected_count=400, published_pct=45, computed_low_pct=16.8, "
            "computed_high_pct=17.3",
        ),
        (
            "rounded_count_is_multiple_of_unit",
            f"critical {MAR} · first_applications · TOTAL: source_line=43, value=2215, rounding_unit=10",
        ),
        (
            "listed_safe_countries_within_safe_share",
            f"warning {DEC} · safe_country_share · 2023-12-01: "
            "safe_nationalities=MAR, listed_safe_pct=4, published_safe_pct=2",
        ),
    ],
)
def test_each_check_fails_on_bad_data(corrupted_report: CheckReport, check: str, expected: str) -> None:
    assert expected in _lines(corrupted_report, check)


def test_corrupted_data_exits_non_zero_and_prints_the_numbers(corrupted_report: CheckReport) -> None:
    assert corrupted_report.critical
    text = corrupted_report.render()
    assert "CRITICAL dublin_rejected_at_least_dublin_rejected:" in text
    assert "No more first applications are rejected under Dublin than are rejected at all." in text


def test_an_unreviewed_breakdown_far_from_100_is_critical_and_a_reviewed_one_a_warning(
    corrupted_report: CheckReport,
) -> None:
    breakdowns = {
        (f.severity, f.reviewed, f.row["document_id"])
        for f in corrupted_report.findings
        if f.check == "complete_breakdown_sums_to_100"
    }
    assert breakdowns == {(Severity.WARNING, True, JAN), (Severity.CRITICAL, False, MAR)}


def test_the_checks_kept_with_a_release_before_they_were_named_checks_still_show(tmp_path: Path) -> None:
    """A release published before this version keeps its checks.json in the old words (`rules`,
    `rule`, `suite`, `expectations_run`) until the next build: its report still shows them."""
    from kerncijfers.checks.results import read_results
    from kerncijfers.report.sections import checks_section

    old = {
        "judged_at": "2026-12-03 05:37 UTC",
        "expectations_run": 16,
        "rules": [
            {
                "suite": "audit_percentages",
                "rule": "share_between_0_and_100",
                "severity": "critical",
                "description": "Every share and rate lies between 0 and 100 percent.",
                "critical": 0,
                "warnings": 1,
            }
        ],
        "findings": [
            {
                "severity": "warning",
                "rule": "share_between_0_and_100",
                "description": "Every share and rate lies between 0 and 100 percent.",
                "suite": "audit_percentages",
                "row": {"document_id": JAN},
                "reviewed": True,
                "detail": f"{JAN} · grant_rate · AFG: value_pct=120",
            }
        ],
    }
    (tmp_path / "checks.json").write_text(json.dumps(old), encoding="utf-8")
    results = read_results(tmp_path)
    assert results is not None and results["checks_run"] == 16
    assert results["checks"][0]["check"] == "share_between_0_and_100"
    assert results["checks"][0]["dataset"] == "audit_percentages"
    section = checks_section(results).replace("<wbr>", "")
    assert '<td data-label="check"><code>share_between_0_and_100</code></td>' in section
    assert "16 checks, 0 critical finding(s), 1 warning(s)" in section
    assert (
        f"<b>WARNING</b> <code>share_between_0_and_100</code> (reviewed): {JAN} · grant_rate · AFG" in section
    )


def test_a_check_that_cannot_run_is_refused_naming_it(tmp_path: Path) -> None:
    """A check on a column its dataset does not have is an error in the suite, not a pass."""
    import pandas

    from kerncijfers.checks.validate import validate

    shutil.copytree(GX_DIR, tmp_path / "gx")
    path = tmp_path / "gx" / "expectations" / "check_percentages.json"
    suite = json.loads(path.read_text(encoding="utf-8"))
    suite["expectations"][0]["kwargs"]["column"] = "share_pct"
    path.write_text(json.dumps(suite), encoding="utf-8")
    (percentages,) = [s for s in load_suites(tmp_path / "gx") if s.dataset == "check_percentages"]
    frame = pandas.DataFrame(
        {"document_id": [JAN], "family_code": ["grant_rate"], "subject": ["TOTAL"], "value_pct": [50.0]}
    )
    with pytest.raises(WarehouseError) as refused:
        validate([percentages], {percentages.name: frame}, set())
    assert str(refused.value).startswith(f"{path}: the check share_between_0_and_100 could not run: ")
    assert "share_pct" in str(refused.value)
