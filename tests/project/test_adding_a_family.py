"""Adding a figure family end to end, exactly as the README's "Adding a figure family" says.

The README's steps are read from the README itself: each code block is applied to a copy of the
project (with its stored January 2023) where the sentence before it says ("at the end of `FILE`",
"before the line `X`", "after the line `X`", "before the line starting `X`"; the mart's yml is
the one in models/marts/ that declares the mart), and each command of a `sh` block is run in it.
Nothing else is edited: no fixture, no expected figures, no parser version. The copy then reads a
publication from the month the family is required with its new figure, refuses one without it,
still reads older ones, writes the figure into the benchmark's made-up publications, and builds
it into a mart column.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ingest.figures import PARSER_CODE_VERSION, PARSER_VERSION
from tests.conftest import ROOT, TEST_DOCUMENTS, copy_project

SECTION = "## Adding a figure family"
FAMILY = "unaccompanied_minor_applications"
MART = "fct_asylum_inflow_monthly"
SENTENCE = (
    "Het aantal eerste asielaanvragen van alleenstaande minderjarige vreemdelingen in januari\nwas circa 120."
)


@dataclass(frozen=True)
class Edit:
    """One code block of the recipe and where it goes."""

    path: str  # relative to the project; "" for the mart's yml, found by its model's name
    where: str  # "end", "before", "after", "before starting"; "run" for a command
    anchor: str
    text: str


def recipe() -> list[Edit]:
    """The README section's code blocks, each with the place the sentence before it names."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index(SECTION) :]
    section = section[: section.index("\n## ", len(SECTION))]
    edits: list[Edit] = []
    previous_end, path = 0, None
    for block in re.finditer(r"^( *)```(\w+)\n(.*?)^\1```$", section, re.M | re.S):
        indent, language, body = len(block[1]), block[2], block[3]
        text = "".join(line[indent:] if line.strip() else "\n" for line in body.splitlines(keepends=True))
        if language == "sh":
            edits += [Edit("", "run", "", command) for command in text.splitlines() if command.strip()]
            previous_end = block.end()
            continue
        said = " ".join(section[previous_end : block.start()].split())
        said = re.split(r"(?<=\.)\**\s+", said)[-1]  # the last sentence before the block
        previous_end = block.end()
        if "the mart's yml in `models/marts/`" in said:
            path = ""
        else:
            named = re.search(r"`([\w./-]+\.(?:csv|py|sql|yml))`", said)
            path = named[1] if named else path
        assert path is not None, f"no file named before the block: {said}"
        where = re.search(
            r"at the end of|before the line starting `([^`]+)`|(before|after) the line `([^`]+)`", said
        )
        assert where is not None, f"the README does not say where this goes: {said}"
        if where[0] == "at the end of":
            edits.append(Edit(path, "end", "", text))
        elif where[1] is not None:
            edits.append(Edit(path, "before starting", where[1], text))
        else:
            edits.append(Edit(path, where[2], where[3], text))
    return edits


def _mart_yml(project: Path) -> Path:
    declaring = [
        yml
        for yml in sorted((project / "models" / "marts").glob("*.yml"))
        if re.search(rf"^\s*- name: {MART}\s*$", yml.read_text(encoding="utf-8"), re.M)
    ]
    assert len(declaring) == 1, declaring
    return declaring[0]


def apply(project: Path, edit: Edit) -> Path:
    path = project / edit.path if edit.path else _mart_yml(project)
    text = path.read_text(encoding="utf-8")
    if edit.where == "end":
        path.write_text(text + ("" if text.endswith("\n") else "\n") + edit.text, encoding="utf-8")
        return path
    lines = text.splitlines(keepends=True)
    if edit.where == "before starting":
        found = [n for n, line in enumerate(lines) if line.strip().startswith(edit.anchor)]
    else:
        found = [n for n, line in enumerate(lines) if line.strip() == edit.anchor]
    assert len(found) == 1, f"the line {edit.anchor!r} is not in {path} exactly once"
    at = found[0] + (1 if edit.where == "after" else 0)
    path.write_text("".join(lines[:at]) + edit.text + "".join(lines[at:]), encoding="utf-8")
    return path


def _publication_2025_01(folder: Path, *, with_sentence: bool) -> Path:
    """The made-up January 2024 publication a year on (every year + 1), with or without the new
    sentence after the first applications'."""
    text = (TEST_DOCUMENTS / "kerncijfers-2024-01.txt").read_text(encoding="utf-8")
    text = re.sub(r"\b20[0-9]{2}\b", lambda year: str(int(year[0]) + 1), text)
    first = "Het aantal eerste asielaanvragen in januari was circa 2.630."
    assert text.count(first) == 1
    if with_sentence:
        text = text.replace(first, f"{first}\n{SENTENCE}")
    path = folder / f"kerncijfers-2025-01{'-amv' if with_sentence else ''}.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_readme_recipe_adds_a_family_that_is_read_required_and_built(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    for package in ("core", "ingest", "kerncijfers", "bench"):
        shutil.copytree(
            ROOT / package, project / package, ignore=shutil.ignore_patterns("__pycache__", "results")
        )
    edits = recipe()
    changed = {apply(project, edit).relative_to(project).as_posix() for edit in edits if edit.where != "run"}
    # The row, the sentence and (for the mart column) the mart's SQL and yml: nothing else.
    assert changed == {
        "seeds/reference/ref_figure_families.csv",
        "ingest/figures/patterns.py",
        f"models/marts/{MART}.sql",
        _mart_yml(project).relative_to(project).as_posix(),
    }
    # The copy's own packages, not the installed ones, read the documents.
    env = {
        **os.environ,
        "PYTHONPATH": str(project),
        "KERNCIJFERS_WAREHOUSE": str(project / "warehouse" / "w.duckdb"),
    }

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(args, env=env, cwd=project, capture_output=True, text=True, check=False)

    def kerncijfers(*args: str) -> subprocess.CompletedProcess[str]:
        return run(sys.executable, "-m", "kerncijfers", "--project-dir", str(project), *args)

    # The commands: the stored January 2023 read again, its figures unchanged, with the version
    # the new row and sentence make.
    commands = [edit.text for edit in edits if edit.where == "run"]
    assert commands == [".venv/bin/kerncijfers ingest --stored"]
    figures_before = (project / "seeds" / "raw" / "raw_published_figures.csv").read_bytes()
    for command in commands:
        done = kerncijfers(*command.split()[1:])
        assert done.returncode == 0, done.stderr
    assert (project / "seeds" / "raw" / "raw_published_figures.csv").read_bytes() == figures_before
    version = run(
        sys.executable,
        "-c",
        "from pathlib import Path; from core.project import Project;"
        "from ingest.figures import load_families, parser_version;"
        f"print(parser_version(load_families(Project(Path({str(project)!r})).families_seed)))",
    ).stdout.strip()
    assert version.startswith(f"{PARSER_CODE_VERSION}+") and version != PARSER_VERSION
    assert f",{version}," in (project / "seeds" / "raw" / "raw_source_documents.csv").read_text(
        encoding="utf-8"
    )

    # A publication from January 2025 on must give the new family...
    refused = kerncijfers("ingest", str(_publication_2025_01(tmp_path, with_sentence=False)))
    assert refused.returncode == 1
    assert f"no figure found for: First applications by unaccompanied minors ({FAMILY})" in refused.stderr
    assert "Traceback" not in refused.stderr
    # ...one that gives it is read; one from before, which never had the sentence, still is.
    new = _publication_2025_01(tmp_path, with_sentence=True)
    shown = kerncijfers("figures", str(new))
    assert shown.returncode == 0, shown.stderr
    assert re.search(rf"{FAMILY}\b.*\b120\b", shown.stdout), shown.stdout
    older = kerncijfers("figures", str(TEST_DOCUMENTS / "kerncijfers-2024-07.txt"))
    assert older.returncode == 0, older.stderr
    assert FAMILY not in older.stdout
    # The benchmark's made-up publications print the sentence from the registry's description.
    synthetic = run(
        sys.executable,
        "-c",
        "from datetime import date; from bench.synthetic import publications;"
        "print(list(publications(1, last=date(2025, 3, 1)))[0][1])",
    )
    assert synthetic.returncode == 0, synthetic.stderr
    (tmp_path / "synthetic-2025-03.txt").write_text(synthetic.stdout, encoding="utf-8")
    generated = kerncijfers("figures", str(tmp_path / "synthetic-2025-03.txt"))
    assert generated.returncode == 0, generated.stderr
    assert FAMILY in generated.stdout

    ingested = kerncijfers("ingest", str(new))
    assert ingested.returncode == 0, ingested.stderr
    built = kerncijfers("build")
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    con = duckdb.connect(env["KERNCIJFERS_WAREHOUSE"], read_only=True)
    try:
        rows = con.execute(
            f"select reference_month, first_applications, {FAMILY} from marts.{MART} order by reference_month"
        ).fetchall()
        family = con.execute(
            "select is_required, required_from from marts.dim_figure_families where family_code = ?", [FAMILY]
        ).fetchall()
    finally:
        con.close()
    assert [(str(month), first, minors) for month, first, minors in rows] == [
        ("2023-01-01", 2490, None),
        ("2025-01-01", 2630, 120),
    ]
    assert [(required, str(since)) for required, since in family] == [(True, "2025-01-01")]
