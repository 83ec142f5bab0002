"""The report is part of the release: every build that publishes draws it from its candidate
while the audit runs and swaps it in with the warehouse and the exports, so that after
`kerncijfers ingest` and `make build` the page shows the new month with no other command. A build
that is not published leaves the page as it was; `kerncijfers report` redraws it on demand."""

from __future__ import annotations

import fcntl
import json
import os
import re
from pathlib import Path

from core.project import Project
from tests.conftest import TEST_DOCUMENTS, copy_built
from tests.warehouse import kerncijfers

DECEMBER = TEST_DOCUMENTS / "kerncijfers-2023-12.txt"


def _release(warehouse: Path) -> str:
    return Path(os.readlink(warehouse.parent / "export")).name


def _shown(page: str) -> tuple[str, str]:
    """The release stamp the page names, and its latest month (the page's title)."""
    stamp = re.search(r"Release <code>(\w+)</code>", page)
    latest = re.search(r"<title>Kerncijfers asiel en migratie — (.*?) in charts</title>", page)
    assert stamp and latest, page[:2000]
    return stamp.group(1), latest.group(1)


def test_a_build_publishes_the_report_of_its_release(built_project: tuple[Path, Path, str]) -> None:
    _, warehouse, output = built_project
    page = (warehouse.parent / "report.html").read_text(encoding="utf-8")
    assert _shown(page) == (_release(warehouse), "January 2023")
    # The page's Checks section is the audit that let this release through (checks.json beside
    # its exports).
    checks = json.loads((warehouse.parent / "export" / "checks.json").read_text(encoding="utf-8"))
    assert f"{checks['checks_run']} checks, 0 critical finding(s)" in page
    assert f"report    : {warehouse.parent / 'report.html'}" in output
    assert re.search(r"report drawn in \d+\.\d s while the audit ran", output)


def test_adding_a_month_redraws_the_report_with_the_release(
    built_project: tuple[Path, Path, str], tmp_path: Path
) -> None:
    project, warehouse = copy_built(built_project, tmp_path / "project")
    before = (warehouse.parent / "report.html").read_text(encoding="utf-8")

    assert kerncijfers(project, "ingest", str(DECEMBER), warehouse=warehouse).returncode == 0
    build = kerncijfers(project, "build", warehouse=warehouse)
    assert build.returncode == 0, build.stdout + build.stderr

    page = (warehouse.parent / "report.html").read_text(encoding="utf-8")
    assert _shown(page) == (_release(warehouse), "December 2023")
    assert _shown(before)[0] != _release(warehouse)
    assert "holding 2 publications" in page
    assert "the rest unchanged since the release, kept" in build.stdout  # a month added, not a rebuild
    # A copy of a project (a clone moved, this test's copy) keeps dbt's parse of it: the build
    # names its database relative to the project, so dbt's profile is the same in every copy.
    assert "Unable to do partial parsing" not in (warehouse.parent / "logs" / "dbt.log").read_text()
    assert not list(warehouse.parent.glob("*.new"))


def test_the_report_is_redrawn_on_demand_and_never_beside_a_running_build(
    built_project: tuple[Path, Path, str], tmp_path: Path
) -> None:
    project, warehouse = copy_built(built_project, tmp_path / "project")
    report = warehouse.parent / "report.html"
    report.write_text("a page from another release", encoding="utf-8")

    # While another run holds the project (a build about to publish), the release's page is not
    # redrawn: it could replace the new release's page with the old one's.
    with open(Project(project).lock_file, "a+") as held:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
        refused = kerncijfers(project, "report", warehouse=warehouse)
    assert refused.returncode == 1
    assert "another kerncijfers run is in progress" in refused.stderr
    assert report.read_text(encoding="utf-8") == "a page from another release"

    redrawn = kerncijfers(project, "report", warehouse=warehouse)
    assert redrawn.returncode == 0 and redrawn.stdout == f"{report}\n"
    assert _shown(report.read_text(encoding="utf-8")) == (_release(warehouse), "January 2023")
