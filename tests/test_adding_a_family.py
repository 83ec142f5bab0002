"""Adding a figure family end to end, as the README's "Adding a figure family" says: a row in the
registry seed, a sentence in ingest/figures/patterns.py and a column in a mart, in a copy of the
project. Publications from the month the family is required must contain it; older ones, which
never had the sentence, still ingest and build."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from tests.conftest import JANUARY_2023, ROOT, TEST_DOCUMENTS, copy_project

FAMILY_ROW = (
    "unaccompanied_minor_applications,unaccompanied_minor_applications,first_applicants,month,0,total,count,"
    "0,5000,true,true,2024-01-01,,First applications by unaccompanied minors,"
    "First asylum applications by unaccompanied minors (alleenstaande minderjarige vreemdelingen) in the month.\n"
)
SENTENCE = """

UNACCOMPANIED_MINORS = sentence(
    rf"het aantal eerste asielaanvragen van alleenstaande minderjarige vreemdelingen in"
    rf" (?P<month>{MONTH_RE})(?: (?P<year>\\d{{4}}))? (?:was|bedroeg) {APPROX}{NUM}"
)
SENTENCES += (
    Sentence(UNACCOMPANIED_MINORS, "unaccompanied_minor_applications", FIRST_APPLICANTS, "count", NAMED_MONTH),
)
"""
MART_SQL = "        cast(unaccompanied_minor_applications as bigint) as unaccompanied_minor_applications,\n"
MART_YML = """      - name: unaccompanied_minor_applications
        data_type: bigint
        description: First asylum applications by unaccompanied minors in the month.
"""


def _add_family(project: Path) -> None:
    with open(project / "seeds" / "reference" / "ref_figure_families.csv", "a", encoding="utf-8") as seed:
        seed.write(FAMILY_ROW)
    with open(project / "ingest" / "figures" / "patterns.py", "a", encoding="utf-8") as patterns:
        patterns.write(SENTENCE)
    mart = project / "models" / "marts" / "fct_asylum_inflow_monthly.sql"
    sql = mart.read_text(encoding="utf-8")
    mart.write_text(
        sql.replace("        document_id\n", MART_SQL + "        document_id\n"), encoding="utf-8"
    )
    marts_yml = project / "models" / "marts" / "fct_asylum_inflow_monthly.yml"
    yml = marts_yml.read_text(encoding="utf-8")
    anchor = "        description: \"{{ doc('safe_country_share_pct') }}\"\n"
    assert yml.count(anchor) == 1
    marts_yml.write_text(yml.replace(anchor, anchor + MART_YML), encoding="utf-8")


def _january_2024_with_the_sentence(folder: Path) -> Path:
    text = (TEST_DOCUMENTS / "kerncijfers-2024-01.txt").read_text(encoding="utf-8")
    first = "Het aantal eerste asielaanvragen in januari was circa 2.630."
    assert text.count(first) == 1
    text = text.replace(
        first,
        first
        + "\nHet aantal eerste asielaanvragen van alleenstaande minderjarige vreemdelingen in januari\nwas circa 120.",
    )
    path = folder / "kerncijfers-2024-01-amv.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_new_family_is_read_required_from_its_month_and_built(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", with_documents=False)
    for package in ("ingest", "kerncijfers"):
        shutil.copytree(ROOT / package, project / package, ignore=shutil.ignore_patterns("__pycache__"))
    _add_family(project)
    # The copy's own packages, not the installed ones, read the documents.
    env = {
        **os.environ,
        "PYTHONPATH": str(project),
        "KERNCIJFERS_WAREHOUSE": str(project / "warehouse" / "w.duckdb"),
    }

    def kerncijfers(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "kerncijfers", "--project-dir", str(project), *args]
        return subprocess.run(command, env=env, cwd=project, capture_output=True, text=True, check=False)

    # A publication from January 2024 on must give the new family...
    refused = kerncijfers("ingest", str(TEST_DOCUMENTS / "kerncijfers-2024-03.txt"))
    assert refused.returncode == 1
    assert (
        "no figure found for: First applications by unaccompanied minors (unaccompanied_minor_applications)"
        in (refused.stderr)
    )
    assert "Traceback" not in refused.stderr
    # ...one that gives it is read, and January 2023, from before the family existed, still is.
    new = _january_2024_with_the_sentence(tmp_path)
    ingested = kerncijfers("ingest", str(JANUARY_2023), str(new))
    assert ingested.returncode == 0, ingested.stderr
    shown = kerncijfers("figures", str(new))
    assert "unaccompanied_minor_applications" in shown.stdout

    built = kerncijfers("build")
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    con = duckdb.connect(env["KERNCIJFERS_WAREHOUSE"], read_only=True)
    try:
        rows = con.execute(
            "select reference_month, first_applications, unaccompanied_minor_applications "
            "from marts.fct_asylum_inflow_monthly order by reference_month"
        ).fetchall()
        family = con.execute(
            "select is_required, required_from from marts.dim_figure_families "
            "where family_code = 'unaccompanied_minor_applications'"
        ).fetchall()
    finally:
        con.close()
    assert [(str(month), first, minors) for month, first, minors in rows] == [
        ("2023-01-01", 2490, None),
        ("2024-01-01", 2630, 120),
    ]
    assert [(required, str(since)) for required, since in family] == [(True, "2024-01-01")]
