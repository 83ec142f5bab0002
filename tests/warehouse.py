"""Building a project of chosen documents on a temporary DuckDB file, for the model tests; and
the helpers of the tests that run the `kerncijfers` command on a project and read what it
published: documents edited for a case, reviews recorded, the published marts queried."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from core.journal import PAUSE_ENV
from core.project import Project
from core.seeds import FIGURE_COLUMNS
from ingest.store import ingest
from tests.conftest import JANUARY_2023, TEST_DOCUMENTS, copy_project


@dataclass
class Build:
    """The outcome of a build: its exit code, output and the warehouse to query."""

    project: Path
    warehouse: Path
    returncode: int
    output: str

    def query(self, sql: str, *parameters: object) -> list[tuple]:
        con = duckdb.connect(str(self.warehouse), read_only=True)
        try:
            return con.execute(sql, list(parameters)).fetchall()
        finally:
            con.close()

    def test_results(self) -> dict[str, str]:
        """Status of every data test and unit test of the build, by test name."""
        results = json.loads((self.project / "target" / "run_results.json").read_text())
        return {
            r["unique_id"].split(".")[2]: r["status"]
            for r in results["results"]
            if r["unique_id"].startswith(("test.", "unit_test."))
        }

    def failures(self, test_name: str) -> list[dict]:
        """The rows a data test that stores its failures returned (schema test_failures)."""
        con = duckdb.connect(str(self.warehouse), read_only=True)
        try:
            cursor = con.execute(f"select * from test_failures.{test_name}")
            columns = [c[0] for c in cursor.description]
            return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        finally:
            con.close()


def build_project(
    root: Path,
    documents: Iterable[Path | tuple[Path, date]],
    edit_figures: Callable[[list[dict[str, str]]], None] | None = None,
    files: dict[str, str] | None = None,
    select: str | None = None,
    judge: bool = False,
) -> Build:
    """Ingest the documents into a fresh copy of the project, optionally edit the raw figures
    (to corrupt a seed row) and write other files (e.g. a reviewed seed), then `dbt build` it on
    its own DuckDB file — all of it, or what `select` (dbt's node selection) names. The
    checks inside dbt (check_findings and its test) run only with `judge`: the model
    tests read the marts, whatever the checks would say of their data."""
    project = copy_project(root, with_documents=False)
    for relative, content in (files or {}).items():
        (project / relative).write_text(content, encoding="utf-8")
    for document in documents:  # one at a time, so vintages follow the order given
        path, published_on = document if isinstance(document, tuple) else (document, None)
        ingest(Project(project), [path], published_on=published_on)
    if edit_figures is not None:
        seed = project / "seeds" / "raw" / "raw_published_figures.csv"
        rows = list(csv.DictReader(io.StringIO(seed.read_text(encoding="utf-8"))))
        edit_figures(rows)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=FIGURE_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        seed.write_text(buffer.getvalue(), encoding="utf-8")
    warehouse = project / "warehouse" / "test.duckdb"
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("dbt")),
            "build",
            "--project-dir",
            str(project),
            "--profiles-dir",
            str(project / "profiles"),
            *(["--select", select] if select else []),
            *([] if judge else ["--exclude", "check_findings+"]),
        ],
        env={**os.environ, "KERNCIJFERS_BUILD_DATABASE": str(warehouse)},
        capture_output=True,
        text=True,
        check=False,
        cwd=project,
    )
    return Build(project, warehouse, result.returncode, result.stdout + result.stderr)


def set_value(
    rows: list[dict[str, str]],
    document_prefix: str,
    figure_code: str,
    value: str,
    subject: str | None = None,
    population: str | None = None,
    window: str | None = None,
) -> None:
    """Change one published figure in the raw seed rows (exactly one must match)."""
    matches = [
        row
        for row in rows
        if row["document_id"].startswith(document_prefix)
        and row["figure_code"] == figure_code
        and (subject is None or row["subject_label_nl"] == subject)
        and (population is None or row["population_code"] == population)
        and (window is None or row["window_type"] == window)
    ]
    assert len(matches) == 1, f"{len(matches)} rows match {figure_code} {subject} {population}"
    matches[0]["value"] = value


def history_documents(folder: Path) -> list[Path]:
    """Six months and a revision, in the order they are ingested: January 2023, December 2023,
    January to March 2024 (February made from March), July 2024, then January 2023 republished.
    Gaps (February to November 2023, April to June 2024) and a year boundary on purpose."""
    return [
        JANUARY_2023,
        TEST_DOCUMENTS / "kerncijfers-2023-12.txt",
        TEST_DOCUMENTS / "kerncijfers-2024-01.txt",
        _february_2024(folder),
        TEST_DOCUMENTS / "kerncijfers-2024-03.txt",
        TEST_DOCUMENTS / "kerncijfers-2024-07.txt",
        revised_january_2023(folder),
    ]


def _february_2024(folder: Path) -> Path:
    """February 2024, made from the March 2024 test document with February's windows and
    smaller year-to-date counts (Studie left unchanged, so March adds none)."""
    text = (TEST_DOCUMENTS / "kerncijfers-2024-03.txt").read_text(encoding="utf-8")
    for old, new in [
        ("MAART 2024", "FEBRUARI 2024"),
        ("maart 2024", "februari 2024"),
        ("maart was", "februari was"),
        ("circa 10.480", "circa 7.010"),
        ("circa 6.920", "circa 4.610"),
        ("circa 6.730 vreemdelingen", "circa 4.400 vreemdelingen"),
        ("circa 240 criminele", "circa 150 criminele"),
    ]:
        assert old in text, old
        text = text.replace(old, new)
    # The twelve-month windows start a month earlier; "april" and "2023" may be on two lines.
    text, windows = re.subn(r"april(\s+)2023", r"maart\g<1>2023", text)
    assert windows == 3
    path = folder / "kerncijfers-2024-02.txt"
    path.write_text(text, encoding="utf-8")
    return path


def revised_january_2023(folder: Path) -> Path:
    """January 2023 republished with IND's revision: first applications 2.490 -> 2.500 (IND's
    February page revised them to 2,499), and nareizigers from Syria 45% -> 46% (a figure no
    second source gives)."""
    return edited(
        JANUARY_2023,
        folder,
        [("circa 2.490", "circa 2.500"), ("o 45% uit Syrië;", "o 46% uit Syrië;")],
        name="kerncijfers-2023-01-herzien.txt",
    )


def edited(
    source: Path, folder: Path, replacements: Iterable[tuple[str, str]], name: str | None = None
) -> Path:
    """A copy of a document in `folder` with each old text replaced by the new; each old text must
    stand in it exactly once, so that a test changes the figure it means to."""
    text = source.read_text(encoding="utf-8")
    for old, new in replacements:
        assert text.count(old) == 1, f"{old!r} stands {text.count(old)} times in {source.name}"
        text = text.replace(old, new)
    path = folder / (name or f"{source.stem}-edited{len(list(folder.glob(source.stem + '-edited*')))}.txt")
    path.write_text(text, encoding="utf-8")
    return path


def kerncijfers(project: Path, *args: str, warehouse: Path | None = None) -> subprocess.CompletedProcess[str]:
    """The `kerncijfers` command on a project, its warehouse beside it (warehouse/kerncijfers.duckdb)
    unless another is given (a copy of the session's built project: `copy_built`)."""
    command = [sys.executable, "-m", "kerncijfers", "--project-dir", str(project), *args]
    env = {**os.environ, "KERNCIJFERS_WAREHOUSE": str(warehouse or _default_warehouse(project))}
    return subprocess.run(command, env=env, capture_output=True, text=True, cwd=project)


def _default_warehouse(project: Path) -> Path:
    return project / "warehouse" / "kerncijfers.duckdb"


def published(project: Path, sql: str, warehouse: Path | None = None) -> list[tuple]:
    """Rows of a query on the warehouse the project published (as for `kerncijfers`)."""
    con = duckdb.connect(str(warehouse or _default_warehouse(project)), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def review(project: Path, document_id: str, check: str, family_code: str, subject: str, reason: str) -> None:
    """Record a reviewed finding in the project's seeds/reviewed/reviewed_findings.csv."""
    with open(
        project / "seeds" / "reviewed" / "reviewed_findings.csv", "a", encoding="utf-8", newline=""
    ) as seed:
        csv.writer(seed, lineterminator="\n").writerow(
            [document_id, check, family_code, subject, reason, "2026-12-03"]
        )


def file_digests(folder: Path, *, skip: tuple[str, ...] = (), folders: bool = False) -> dict[str, str]:
    """Every file under `folder` by its path relative to it: its sha256, or a link's target
    ("-> …"), with `folders` each folder too. Left out: the project's lock file (empty, made by
    every run) and whatever lies under the top-level names in `skip` (e.g. dbt's "target")."""
    state = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path.name == ".kerncijfers.lock" or relative.parts[0] in skip:
            continue
        if path.is_symlink():
            state[str(relative)] = "-> " + os.readlink(path)
        elif path.is_file():
            state[str(relative)] = hashlib.sha256(path.read_bytes()).hexdigest()
        elif folders:
            state[str(relative)] = "folder"
    return state


def ingest_killed_at(project: Path, document: Path, point: str) -> None:
    """Start an ingest that pauses at `point`, wait until it is there, then SIGKILL it."""
    process = subprocess.Popen(
        [sys.executable, "-m", "kerncijfers", "--project-dir", str(project), "ingest", str(document)],
        env={**os.environ, PAUSE_ENV: point},
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    line = process.stderr.readline()
    assert line.strip() == f"paused at {point}", line
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
