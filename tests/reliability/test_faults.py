"""Faults and bad input that used to wedge the project or end in a traceback, one class at a time,
then every command of the CLI against every fault: one line saying what to do, exit status 1 or
2, never a traceback, and nothing stored or published lost.

The full-disk and read-only cases mount a small tmpfs (as root, which CI is); where that is not
possible they are skipped and say so.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

from core.errors import IngestError
from core.project import Project
from core.seeds import read_figures
from ingest.figures.blocks import SOURCE_TEXT_CHARS
from ingest.store import ingest, reingest_stored
from ingest.verify import verify
from kerncijfers.cli import main
from kerncijfers.export import export_marts
from tests.conftest import JANUARY_2023, ROOT, TEST_DOCUMENTS, copy_project, full_build

DECEMBER_2023 = TEST_DOCUMENTS / "kerncijfers-2023-12.txt"


def _state(folder: Path) -> dict[str, str]:
    """Every file under `folder` and its sha256 (links as their target's name), but the lock."""
    state = {}
    for path in sorted(folder.rglob("*")):
        if path.name == ".kerncijfers.lock":
            continue
        if path.is_symlink():
            state[str(path.relative_to(folder))] = "-> " + os.readlink(path)
        elif path.is_file():
            state[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return state


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    try:
        status = main(list(args))
    except SystemExit as exit_:  # argparse
        status = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return status, out, err


def _one_error_line(status: int, err: str) -> str:
    assert status in (1, 2), err
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.startswith("error: ")]
    assert len(lines) == 1, err
    return lines[0]


@contextmanager
def _tmpfs(folder: Path, size: str = "48m") -> Iterator[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True, check=False
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root, as in CI)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def _fill(folder: Path) -> None:
    """Use up every free byte of the file system `folder` is on."""
    descriptor = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        for chunk in (1 << 20, 4096, 1):
            try:
                while True:
                    os.write(descriptor, b"\0" * chunk)
            except OSError:
                pass
    finally:
        os.close(descriptor)


# An accepted document can wedge the project ---------------------------------------------------


def _endless(folder: Path) -> Path:
    """January 2023 with 150,000 characters of sentence around its first figure."""
    text = JANUARY_2023.read_text(encoding="utf-8").replace(
        "in januari was circa 2.490.", "in januari was circa 2.490" + " en nog veel meer woorden" * 6000 + "."
    )
    path = folder / "endless.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_endless_sentence_is_clipped_and_the_next_run_reads_the_seed(
    empty_project: Path, tmp_path: Path
) -> None:
    project = Project(empty_project)
    document = _endless(tmp_path)
    assert ingest(project, [document]).added
    figures = read_figures(project.figures_seed)  # raised _csv.Error: field larger than field limit
    first = next(row for row in figures if row["figure_code"] == "first_applications")
    assert first["value"] == "2490" and len(first["source_text"]) <= SOURCE_TEXT_CHARS
    assert first["source_text"].startswith(
        "Het aantal eerste asielaanvragen in januari was circa 2.490 en nog"
    )
    assert first["source_text"].endswith("…")
    assert max(len(row["source_text"]) for row in figures) <= SOURCE_TEXT_CHARS
    assert ingest(project, [document]).unchanged and ingest(project, [DECEMBER_2023]).added
    assert verify(project).findings == []


def test_a_seed_with_a_huge_cell_is_read_and_reported_not_crashed_on(empty_project: Path) -> None:
    """A seed an older version wrote (or a hand edit) with a cell over csv's field limit."""
    project = Project(empty_project)
    ingest(project, [JANUARY_2023])
    text = project.figures_seed.read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    rows[1][-1] = "x" * 200_000
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    project.figures_seed.write_text(buffer.getvalue(), encoding="utf-8")
    assert len(read_figures(project.figures_seed)) == len(rows) - 1  # every row but the header
    findings = verify(project).findings
    assert [(f.path.name, f.line) for f in findings] == [("raw_published_figures.csv", 2)]
    assert findings[0].message.startswith("source_text is 'xxx")


# Stored copies and seeds are trusted blindly ---------------------------------------------------


def test_an_edited_stored_copy_is_refused_not_taken_as_a_new_vintage(tmp_path: Path) -> None:
    project = Project(copy_project(tmp_path / "project"))
    stored = project.documents_dir / JANUARY_2023.name
    stored.write_text(
        stored.read_text(encoding="utf-8").replace("circa 2.490", "circa 2.500"), encoding="utf-8"
    )
    before = _state(project.root)
    with pytest.raises(IngestError, match="was changed after it was ingested") as refused:
        reingest_stored(project, force=True)
    assert refused.value.source == str(stored)
    assert "raw_source_documents.csv line 2" in str(refused.value)
    assert _state(project.root) == before


def test_a_hand_edited_seed_value_stops_the_build_naming_file_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = Project(copy_project(tmp_path / "project"))
    lines = project.figures_seed.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if ",first_applications,first_applicants,month," in line)
    lines[number] = lines[number].replace(",2490,", ",2990,")
    project.figures_seed.write_text("\n".join(lines), encoding="utf-8")
    monkeypatch.chdir(project.root)
    monkeypatch.setenv("KERNCIJFERS_WAREHOUSE", str(tmp_path / "warehouse" / "w.duckdb"))

    status, _, err = _run(capsys, "verify")
    assert status == 1
    assert err.splitlines()[-1] == "error: 1 finding(s): the seeds are not what the stored documents give"
    assert err.startswith(
        f"seeds/raw/raw_published_figures.csv:{number + 1}: value is '2990' but documents/{JANUARY_2023.name} "
        "line 42 gives '2490'"
    )
    status, out, err = _run(capsys, "build")
    line = _one_error_line(status, err)
    assert line.startswith(f"error: {project.figures_seed}:{number + 1}: value is '2990'")
    assert "dbt" not in out and not (tmp_path / "warehouse" / "w.duckdb").exists()


# Paths ----------------------------------------------------------------------------------------


def test_a_mistyped_project_dir_creates_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    for folder, said in ((tmp_path / "nope", "no such folder"), (empty, "not a kerncijfers project")):
        for command in (["ingest", str(JANUARY_2023)], ["build"], ["verify"], ["report"]):
            status, _, err = _run(capsys, "--project-dir", str(folder), *command)
            assert said in _one_error_line(status, err)
    assert not (tmp_path / "nope").exists() and list(empty.iterdir()) == []


def test_report_output_must_be_a_file(
    built_project: tuple[Path, Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project, warehouse, _ = built_project
    fifo = tmp_path / "a-fifo"
    os.mkfifo(fifo)
    folder = tmp_path / "a-folder"
    folder.mkdir()
    os.environ["KERNCIJFERS_WAREHOUSE"] = str(warehouse)
    try:
        for output, said in ((folder, "is a folder"), (fifo, "not a regular file")):
            status, _, err = _run(capsys, "--project-dir", str(project), "report", "--output", str(output))
            assert said in _one_error_line(status, err)
    finally:
        del os.environ["KERNCIJFERS_WAREHOUSE"]
    assert fifo.is_fifo() and list(folder.iterdir()) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-fifo", "a-folder"]


def test_a_symlinked_seeds_folder_is_refused_before_anything_is_written(
    empty_project: Path, tmp_path: Path
) -> None:
    project = Project(empty_project)
    elsewhere = tmp_path / "elsewhere"
    project.seeds_dir.rename(elsewhere)
    project.seeds_dir.symlink_to(elsewhere)
    before = _state(tmp_path)
    with pytest.raises(IngestError, match="is a symbolic link"):
        ingest(project, [JANUARY_2023])
    assert _state(tmp_path) == before and not project.journal.exists()
    project.seeds_dir.unlink()  # the folder put back: the project works, nothing to repair
    elsewhere.rename(project.seeds_dir)
    assert ingest(project, [JANUARY_2023]).added


# Diagnosis ------------------------------------------------------------------------------------


def test_a_damaged_warehouse_is_named_and_not_built_upon(
    built_project: tuple[Path, Path, str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source, _, _ = built_project
    project = tmp_path / "project"
    shutil.copytree(source, project, symlinks=True)
    warehouse = project / "warehouse" / "test.duckdb"
    monkeypatch.setenv("KERNCIJFERS_WAREHOUSE", str(warehouse))
    for damaged in (warehouse, full_build(warehouse)):
        data = damaged.read_bytes()
        damaged.write_bytes(data[: len(data) // 3])  # truncated
    status, _, err = _run(capsys, "--project-dir", str(project), "report")
    line = _one_error_line(status, err)
    assert "damaged or not a DuckDB database" in line and "kerncijfers build --full" in line
    assert "another process" not in line

    # The next build does not copy the damaged full build into its candidate: it rebuilds every
    # node (a full build; tests/kerncijfers/test_state.py has the state it starts from).
    from kerncijfers.pipeline import state
    from kerncijfers.warehouse import Warehouse

    selection = state.state_selection(Warehouse(warehouse), state.fingerprint(project))
    assert selection is None
    assert f"note     {full_build(warehouse)} is damaged: rebuilding every node" in capsys.readouterr().out


def test_figures_into_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    result = subprocess.run(
        f"'{sys.executable}' -m kerncijfers figures '{JANUARY_2023}' | head -n 1",
        shell=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.stdout.startswith("Kerncijfers asiel en migratie januari 2023")
    assert "Traceback" not in result.stderr and "BrokenPipeError" not in result.stderr, result.stderr


def test_a_full_disk_fails_the_ingest_in_one_line_and_keeps_the_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with _tmpfs(tmp_path / "disk") as disk:
        project = Project(copy_project(disk / "project", with_documents=False))
        ingest(project, [JANUARY_2023])
        before = _state(project.root)
        _fill(disk)
        monkeypatch.chdir(project.root)
        status, _, err = _run(capsys, "ingest", str(DECEMBER_2023))
        line = _one_error_line(status, err)
        assert "the disk is full" in line and "unchanged" in line
        leftovers = {
            name for name in _state(project.root).keys() - before.keys() if not name.endswith(".new")
        }
        assert leftovers == set()
        assert all(_state(project.root)[name] == digest for name, digest in before.items())
        (disk / "filler").unlink()
        assert ingest(project, [DECEMBER_2023]).added  # and the next run works, nothing to repair
        assert not list(project.root.rglob("*.new"))


# Absurd values --------------------------------------------------------------------------------


def test_an_absurd_count_is_refused_at_the_ingest_with_its_line(empty_project: Path, tmp_path: Path) -> None:
    absurd = tmp_path / "absurd.txt"
    absurd.write_text(
        JANUARY_2023.read_text(encoding="utf-8").replace("circa 2.490.", "circa 99.999.999.999.999."),
        encoding="utf-8",
    )
    with pytest.raises(IngestError) as refused:
        ingest(Project(empty_project), [absurd])
    assert refused.value.line == 42
    assert "99,999,999,999,999 is more than any First asylum applications figure can plausibly be" in str(
        refused.value
    )
    assert "max_value 50,000" in str(refused.value)


def test_a_family_without_a_plausible_limit_is_refused(empty_project: Path) -> None:
    from ingest.figures import load_families

    project = Project(empty_project)
    text = project.families_seed.read_text(encoding="utf-8").replace(",count,1,50000,", ",count,1,-5,", 1)
    project.families_seed.write_text(text, encoding="utf-8")
    with pytest.raises(IngestError, match="max_value is '-5'") as refused:
        load_families(project.families_seed)
    assert refused.value.line == 2


# Exports --------------------------------------------------------------------------------------


def test_csv_exports_neutralise_formulas_and_parquet_keeps_values(tmp_path: Path) -> None:
    warehouse = tmp_path / "w.duckdb"
    con = duckdb.connect(str(warehouse))
    con.execute(
        "create schema marts; create table marts.fct_x as select * from (values "
        "('=HYPERLINK(\"http://evil\")', -5, 'ok'), ('+1', 1, '@SUM(A1)'), ('-x', 2, chr(9) || 'tab')) t(a, n, b)"
    )
    con.close()
    (export,) = export_marts(warehouse, tmp_path / "export")
    rows = list(csv.DictReader((tmp_path / "export" / "fct_x.csv").read_text(encoding="utf-8").splitlines()))
    assert [(r["a"], r["n"], r["b"]) for r in rows] == [
        ("'+1", "1", "'@SUM(A1)"),
        ("'-x", "2", "'\ttab"),
        ('\'=HYPERLINK("http://evil")', "-5", "ok"),
    ]
    parquet = duckdb.sql(f"select a, n from '{tmp_path / 'export' / 'fct_x.parquet'}' order by n").fetchall()
    assert parquet == [('=HYPERLINK("http://evil")', -5), ("+1", 1), ("-x", 2)]


@pytest.mark.parametrize(
    "url", ['=HYPERLINK("http://x")', "javascript:alert(1)", "ftp://x/y", "www.rijksoverheid.nl"]
)
def test_a_source_url_must_be_an_http_url(empty_project: Path, url: str) -> None:
    project = Project(empty_project)
    with pytest.raises(IngestError, match="is not an http\\(s\\) URL"):
        ingest(project, [JANUARY_2023], source_url=url)
    assert not project.documents_seed.exists()
    assert ingest(project, [JANUARY_2023], source_url="https://www.rijksoverheid.nl/x.pdf").added


# Every command against every fault ------------------------------------------------------------

# In this order: the one command that may add something (an ingest of a new month) runs last.
COMMANDS = {
    "figures": ["figures", str(JANUARY_2023)],
    "verify": ["verify"],
    "ingest --stored": ["ingest", "--stored"],
    "build": ["build"],
    "check": ["check"],
    "report": ["report"],
    "metrics": ["metrics", "query", "--metrics", "first_applications", "--group-by", "metric_time__month"],
    "ingest": ["ingest", str(DECEMBER_2023)],
}
# The commands each fault stops (exit 1); the others do their work despite it.
STOPPED = {
    "edited stored copy": {"verify", "ingest --stored", "build"},
    "symlinked seeds/raw": {"ingest --stored", "build", "ingest"},
    "damaged warehouse": {"check", "report", "metrics"},
    "read-only folder": {"ingest --stored", "build", "check", "report", "ingest"},
    "full disk": {"build", "check", "report", "ingest"},
}


@pytest.fixture(scope="module")
def faulty(built_project: tuple[Path, Path, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """Projects, each with one fault, beside a built warehouse: (project, warehouse) by fault."""
    source, _, _ = built_project
    base = tmp_path_factory.mktemp("faults")
    projects: dict[str, tuple[Path, Path]] = {}

    def built(name: str, under: Path | None = None) -> tuple[Path, Path]:
        project = (under or base) / name
        shutil.copytree(
            source, project, symlinks=True, ignore=shutil.ignore_patterns("rejected", "data_docs")
        )
        return project, project / "warehouse" / "test.duckdb"

    project, warehouse = built("edited-stored-copy")
    stored = project / "documents" / JANUARY_2023.name
    stored.write_text(stored.read_text(encoding="utf-8") + "\nx\n", encoding="utf-8")
    projects["edited stored copy"] = (project, warehouse)

    project, warehouse = built("symlinked-seeds")
    (project / "seeds" / "raw").rename(base / "raw-elsewhere")
    (project / "seeds" / "raw").symlink_to(base / "raw-elsewhere")
    projects["symlinked seeds/raw"] = (project, warehouse)

    project, warehouse = built("damaged")
    warehouse.write_bytes(b"not a database" * 100)
    full_build(warehouse).write_bytes(b"")
    projects["damaged warehouse"] = (project, warehouse)

    mounts = []
    for name in ("read-only", "full-disk"):
        folder = base / name
        folder.mkdir()
        if subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(folder)], check=False
        ).returncode:
            continue
        mounts.append(folder)
        project, warehouse = built("project", under=folder)
        if name == "read-only":
            subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
            projects["read-only folder"] = (project, warehouse)
        else:
            _fill(folder)
            projects["full disk"] = (project, warehouse)
    try:
        yield projects
    finally:
        for folder in mounts:
            subprocess.run(["umount", "-l", str(folder)], check=False)


@pytest.mark.parametrize("fault", list(STOPPED))
def test_every_command_meets_the_fault_in_one_line(
    faulty: dict, fault: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    if fault not in faulty:
        pytest.skip("cannot mount a tmpfs here (needs root, as in CI)")
    project, warehouse = faulty[fault]
    monkeypatch.chdir(project)
    monkeypatch.setenv("KERNCIJFERS_WAREHOUSE", str(warehouse))
    stored = _state(project / "documents") | {"seeds": str(_state(project / "seeds"))}
    published = warehouse.read_bytes()
    stopped = set()
    for name, args in COMMANDS.items():
        if fault == "damaged warehouse" and name == "build":
            continue  # rebuilt, not refused: test_a_damaged_warehouse_is_named_and_not_built_upon
        if name == "ingest":  # what was stored and published before is as it was
            assert _state(project / "documents") | {"seeds": str(_state(project / "seeds"))} == stored
            assert warehouse.read_bytes() == published
        status, out, err = _run(capsys, *args)
        assert "Traceback" not in out + err, f"{name}: {err}"
        assert "unexpected failure" not in err, f"{name}: {err}"
        if status != 0:
            assert status == 1, f"{name}: {err}"
            said = [line for line in err.splitlines() if line.startswith(("error: ", "Not published: "))]
            assert len(said) == 1, f"{name}: {err}"
            stopped.add(name)
    assert stopped == STOPPED[fault]
    if "ingest" in stopped:
        assert _state(project / "documents") | {"seeds": str(_state(project / "seeds"))} == stored
