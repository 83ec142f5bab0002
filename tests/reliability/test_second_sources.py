"""A second source beside every figure (README, "Second sources"): IND's monthly pages
(seeds/reference/ref_ind_asylum_influx.csv) and CBS StatLine 83102NED (`kerncijfers fetch cbs`)
judge each month's counts before it is published; where neither gives a month, its history does.
Each case goes through `kerncijfers ingest`, `fetch` and `build` and is read from the published
marts, or from the findings a refused build prints."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from core.project import Project
from core.seeds import read_documents
from tests.cbs_server import DATA_PATH, serving, table
from tests.conftest import JANUARY_2023, TEST_DOCUMENTS, copy_project
from tests.warehouse import edited, kerncijfers, published, review

pytestmark = pytest.mark.xdist_group("second_sources")

DECEMBER_2023 = TEST_DOCUMENTS / "kerncijfers-2023-12.txt"
IND_JANUARY = "https://ind.nl/en/news/asylum-influx-in-january-2023"


def _ingest(project: Path, document: Path, published_on: str) -> None:
    result = kerncijfers(project, "ingest", str(document), "--published-on", published_on)
    assert result.returncode == 0, result.stderr


def test_nareizigers_that_disagree_with_ind_are_not_published(tmp_path: Path) -> None:
    """January 2023 with 420 nareizigers where IND counted 390 (391 revised): refused, and the
    finding names both values and IND's page."""
    project = copy_project(tmp_path / "project", with_documents=False, reviews=False)
    typo = edited(JANUARY_2023, tmp_path, [("circa 390.", "circa 420.")])
    _ingest(project, typo, "2023-02-15")
    built = kerncijfers(project, "build")
    assert built.returncode == 1
    finding = next(line for line in built.stdout.splitlines() if "CRITICAL agrees_with_second_source" in line)
    assert "family_reunification_arrivals · TOTAL 2023-01-01: kerncijfers_count=420" in finding
    assert "ind_first_value=390, ind_latest_value=391" in finding
    assert finding.endswith(f"second_source={IND_JANUARY}")
    assert not (project / "warehouse" / "kerncijfers.duckdb").exists()


def test_a_tenfold_typo_in_a_month_no_second_source_gives_is_caught_by_its_history(tmp_path: Path) -> None:
    """December 2023 (no IND page, CBS not fetched) with 31.200 first applications for 3.120:
    ten times the months before it, and ten times the applications handled."""
    project = copy_project(tmp_path / "project", with_documents=False)
    _ingest(project, JANUARY_2023, "2023-02-15")
    _ingest(project, edited(DECEMBER_2023, tmp_path, [("circa 3.120", "circa 31.200")]), "2024-01-20")
    built = kerncijfers(project, "build")
    assert built.returncode == 1
    lines = built.stdout.splitlines()
    assert any(
        "CRITICAL count_within_factor_of_history:" in line
        and "first_applications · history TOTAL 2023-12-01: value=31200, reference_value=2490" in line
        for line in lines
    ), built.stdout[-3000:]
    assert any(
        "CRITICAL handled_within_factor_of_lodged:" in line
        and "handled against first applications 2023-12-01: value=2870, reference_value=31200" in line
        for line in lines
    )


def test_cbs_fetched_from_a_server_judges_a_month_ind_does_not_give(tmp_path: Path) -> None:
    """With CBS fetched (from a local server of the real shape), December 2023 — which no IND page
    covers — agrees with CBS and is published, CBS beside it; a later fetch in which CBS gives a
    count beyond both roundings keeps the next build from being published."""
    project = copy_project(tmp_path / "project", with_documents=False)
    _ingest(project, JANUARY_2023, "2023-02-15")
    _ingest(project, DECEMBER_2023, "2024-01-20")
    with serving() as cbs:
        fetched = kerncijfers(project, "fetch", "cbs", "--from", "2022-12", "--base-url", cbs.base_url)
        assert fetched.returncode == 0, fetched.stderr
        built = kerncijfers(project, "build")
        assert built.returncode == 0, built.stdout[-3000:]
        rows = published(
            project,
            "select reference_month, measure_code, kerncijfers_count, ind_first_value, cbs_value, verdict "
            "from marts.fct_source_reconciliation where nationality_code = 'TOTAL' and document_id is not null "
            "order by 1, 2",
        )
        assert rows == [
            (date(2023, 1, 1), "family_reunification_arrivals", 390, 390, 390, "agrees"),
            (date(2023, 1, 1), "first_applications", 2490, 2490, 2500, "differs_from_revision"),
            (date(2023, 12, 1), "family_reunification_arrivals", 1160, None, 1160, "agrees"),
            (date(2023, 12, 1), "first_applications", 3120, None, 3120, "agrees"),
        ]
        assert published(
            project,
            "select cbs_value, verdict from marts.fct_source_reconciliation "
            "where reference_month = date '2023-12-01' and nationality_code = 'SYR' "
            "and measure_code = 'first_applications'",
        ) == [(965, "agrees")]

        # CBS revises December to 3,300 first applications: the next build is not published.
        page = json.loads(table("TypedDataSet")[2])
        for row in page["value"]:
            if row["Perioden"] == "2023MM12" and row["Nationaliteiten"] == "T001059":
                row["EersteAsielverzoekenPersonen_2"] = 3300
        cbs.answers[DATA_PATH] = (200, "application/json", json.dumps(page).encode())
        assert (
            kerncijfers(project, "fetch", "cbs", "--from", "2022-12", "--base-url", cbs.base_url).returncode
            == 0
        )
    release = (project / "warehouse" / "kerncijfers.duckdb").read_bytes()
    refused = kerncijfers(project, "build")
    assert refused.returncode == 1
    finding = next(
        line for line in refused.stdout.splitlines() if "CRITICAL agrees_with_second_source" in line
    )
    assert "first_applications · TOTAL 2023-12-01: kerncijfers_count=3120" in finding
    assert "cbs_value=3300, second_source=cbs-83102NED-" in finding
    assert (project / "warehouse" / "kerncijfers.duckdb").read_bytes() == release
    # Reviewed (the publication printed 3,120; CBS revised later), it is published with a warning.
    document = published(
        project, "select document_id from marts.dim_source_documents where reference_month = '2023-12-01'"
    )
    review(
        project,
        document[0][0],
        "agrees_with_second_source",
        "first_applications",
        "TOTAL 2023-12-01",
        "CBS revised after the publication.",
    )
    built = kerncijfers(project, "build")
    assert built.returncode == 0, built.stdout[-3000:]
    assert "WARNING  agrees_with_second_source (reviewed)" in built.stdout


def test_history_judges_every_figure_across_gaps_and_a_review_waives_one_finding(tmp_path: Path) -> None:
    """Found by an outside review: figures no rule judged, months too far apart to be judged, a
    year-to-date count that fell across a missing month, and a review of one finding that also
    waived another figure's. January 2024, then March 2024 with fewer departures than January
    (February missing), then July 2024 — eighteen months after the only other month a second
    source gives — with ten times the first applications, ten times the safe-country share. And
    January 2023 with two counts IND contradicts, of which only one is reviewed."""
    project = copy_project(tmp_path / "project", with_documents=False, reviews=False)
    january = edited(JANUARY_2023, tmp_path, [("circa 390.", "circa 420."), ("circa 2.490.", "circa 2.590.")])
    _ingest(project, january, "2023-02-15")
    _ingest(project, TEST_DOCUMENTS / "kerncijfers-2024-01.txt", "2024-02-20")
    march = edited(
        TEST_DOCUMENTS / "kerncijfers-2024-03.txt",
        tmp_path,
        [("circa 6.730 vreemdelingen", "circa 1.730 vreemdelingen")],
    )
    _ingest(project, march, "2024-04-20")
    july = edited(
        TEST_DOCUMENTS / "kerncijfers-2024-07.txt",
        tmp_path,
        [
            ("circa 2.940.", "circa 29.400."),
            ("o Circa 6% van de asielzoekers", "o Circa 60% van de asielzoekers"),
        ],
    )
    _ingest(project, july, "2024-08-20")
    documents = {
        row["reference_month"][:7]: row["document_id"]
        for row in read_documents(Project(project).documents_seed)
    }
    review(
        project,
        documents["2023-01"],
        "agrees_with_second_source",
        "first_applications",
        "TOTAL 2023-01-01",
        "Printed so.",
    )
    built = kerncijfers(project, "build")
    assert built.returncode == 1
    critical = [line for line in built.stdout.splitlines() if line.lstrip().startswith("CRITICAL")]

    def found(rule: str, text: str) -> bool:
        return any(f"CRITICAL {rule}:" in line and text in line for line in critical)

    assert found(
        "year_to_date_never_falls",
        f"{documents['2024-03']} · departures · all_aliens TOTAL 2024-03-01: value_ytd=1730, earlier_value_ytd=2380",
    )
    assert found(
        "count_within_factor_of_history",
        f"{documents['2024-07']} · first_applications · history TOTAL 2024-07-01: value=29400",
    )
    assert found(
        "count_within_factor_of_history",
        f"{documents['2024-07']} · safe_country_share · history TOTAL 2024-07-01: value=60",
    )
    # The review covers first applications only: the nareizigers IND contradicts still stop it.
    assert found(
        "agrees_with_second_source", "family_reunification_arrivals · TOTAL 2023-01-01: kerncijfers_count=420"
    )
    assert not found("agrees_with_second_source", "first_applications · TOTAL 2023-01-01")
    assert "WARNING  agrees_with_second_source (reviewed)" in built.stdout
