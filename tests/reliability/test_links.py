"""No command writes through a symbolic link (issue 23).

A link at a file kerncijfers writes (the report, an export, the data package, the checks), at the
temporary file beside it, or at a folder of the warehouse between the warehouse folder and it,
must never lead the write to the file it points to: the command refuses with one line naming the
link, and the file the link points to (the "victim") stays byte for byte as it was.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from core.errors import WarehouseError
from kerncijfers.checks.results import write_results
from kerncijfers.checks.validate import CheckReport
from kerncijfers.datapackage import write_datapackage
from kerncijfers.export import export_marts
from tests.conftest import GX_DIR, copy_built, copy_project
from tests.warehouse import file_digests

# The published file of the session's built project (tests/conftest.py `built_project`) and of
# every copy of it: `_run` points the commands at it.
PUBLISHED = Path("warehouse") / "test.duckdb"
REFUSAL = (
    "is a symbolic link; kerncijfers does not write through links. Remove the link or give another file name"
)
VICTIM = b"the user's own file: nobody may overwrite it\n"


def _run(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "kerncijfers", "--project-dir", str(project), *args]
    env = {**os.environ, "KERNCIJFERS_WAREHOUSE": str(project / PUBLISHED)}
    return subprocess.run(command, env=env, capture_output=True, text=True, cwd=project, check=False)


def _refused(result: subprocess.CompletedProcess[str], link: Path) -> None:
    """Exit status 1 and exactly one line on stderr: the link, the cause, what to do."""
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.splitlines() == [f"error: {link}: {REFUSAL}"], result.stderr
    assert "Traceback" not in result.stderr


@pytest.fixture(scope="module")
def built(built_project: tuple[Path, Path, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with the bundled document, built and published: a copy of the session's built
    project (`copy_built`), made once for the module."""
    project, warehouse = copy_built(built_project, tmp_path_factory.mktemp("links") / "project")
    assert warehouse == project / PUBLISHED
    return project


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    path = tmp_path / "victim.txt"
    path.write_bytes(VICTIM)
    return path


def test_report_refuses_a_link_at_warehouse_report_html(built: Path, victim: Path) -> None:
    link = built / "warehouse" / "report.html"
    page = link.read_bytes()  # the release's page (a build draws it): the link stands in its place
    link.unlink()
    link.symlink_to(victim)
    before = file_digests(built / "warehouse", folders=True)
    try:
        result = _run(built, "report")
        _refused(result, link)
        assert victim.read_bytes() == VICTIM
        assert link.is_symlink() and os.readlink(link) == str(victim)
        assert file_digests(built / "warehouse", folders=True) == before  # no temporary file left either
    finally:
        link.unlink()
        link.write_bytes(page)


def test_report_refuses_a_link_given_as_output(built: Path, victim: Path, tmp_path: Path) -> None:
    link = tmp_path / "link.html"
    link.symlink_to(victim)
    result = _run(built, "report", "--output", str(link))
    _refused(result, link)
    assert victim.read_bytes() == VICTIM
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.html", "victim.txt"]


def test_report_refuses_a_relative_output_link(built: Path, victim: Path) -> None:
    """The path as given, made absolute against the working folder but not resolved."""
    link = built / "relative-link.html"
    link.symlink_to(victim)
    try:
        result = _run(built, "report", "--output", "relative-link.html")
        _refused(result, link)
        assert victim.read_bytes() == VICTIM
    finally:
        link.unlink()


def test_report_never_opens_a_link_at_its_temporary_name(built: Path, victim: Path, tmp_path: Path) -> None:
    """A link where the report used to be written first (`report.html.new`) is not followed: the
    page is written under a fresh name and renamed over report.html."""
    output = tmp_path / "report.html"
    (tmp_path / "report.html.new").symlink_to(victim)
    result = _run(built, "report", "--output", str(output))
    assert result.returncode == 0, result.stderr
    assert victim.read_bytes() == VICTIM
    assert output.is_file() and not output.is_symlink()
    assert output.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html", "report.html.new", "victim.txt"]


def test_build_refuses_a_linked_exports_folder(built: Path, tmp_path: Path) -> None:
    """`warehouse/exports` a link to another folder: the build would write the release's files
    there (and prune that folder's other entries); it refuses instead, and the published
    warehouse, its exports and the folder the link points to stay as they were."""
    project = tmp_path / "project"
    shutil.copytree(built, project, symlinks=True)
    elsewhere = tmp_path / "elsewhere"
    shutil.move(project / "warehouse" / "exports", elsewhere)
    (elsewhere / "keep-me").mkdir()
    (elsewhere / "keep-me" / "notes.txt").write_bytes(VICTIM)
    (project / "warehouse" / "exports").symlink_to(elsewhere)
    elsewhere_before = file_digests(elsewhere, folders=True)
    published = project / PUBLISHED
    published_before = hashlib.sha256(published.read_bytes()).hexdigest()

    result = _run(project, "build")

    _refused(result, project / "warehouse" / "exports")
    assert file_digests(elsewhere, folders=True) == elsewhere_before
    assert hashlib.sha256(published.read_bytes()).hexdigest() == published_before
    assert (project / "warehouse" / "exports").is_symlink()
    # Nothing of the refused build is left behind: no candidate, no next release's file.
    assert not (project / "warehouse" / "candidate").exists()
    assert [path.name for path in (project / "warehouse").glob("*.new*")] == []


def test_verify_never_writes_its_marker_through_a_link(built: Path, victim: Path, tmp_path: Path) -> None:
    """`verify` remembers a verified state in target/kerncijfers-verified.txt, written under a
    temporary name beside it: a link standing at that name is removed, never written through."""
    project = tmp_path / "project"
    shutil.copytree(built, project, symlinks=True)
    temporary = project / "target" / "kerncijfers-verified.txt.new"
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(victim)

    result = _run(project, "verify")

    assert result.returncode == 0, result.stderr
    assert victim.read_bytes() == VICTIM
    marker = project / "target" / "kerncijfers-verified.txt"
    assert marker.is_file() and not marker.is_symlink() and not os.path.lexists(temporary)


@pytest.mark.parametrize("extension", ["csv", "parquet"])
def test_exports_refuse_a_link_at_a_mart_file(
    built: Path, victim: Path, tmp_path: Path, extension: str
) -> None:
    warehouse = built / PUBLISHED
    folder = tmp_path / "release"
    folder.mkdir()
    link = folder / f"fct_departures.{extension}"
    link.symlink_to(victim)
    with pytest.raises(WarehouseError) as refused:
        export_marts(warehouse, folder)
    assert str(refused.value) == f"{link}: {REFUSAL}"
    assert victim.read_bytes() == VICTIM
    assert [p.name for p in folder.iterdir()] == [link.name]  # refused before any file is written


def test_datapackage_refuses_a_link(built: Path, victim: Path, tmp_path: Path) -> None:
    warehouse = built / PUBLISHED
    folder = tmp_path / "release"
    exports = export_marts(warehouse, folder)
    link = folder / "datapackage.json"
    link.symlink_to(victim)
    before = file_digests(folder, folders=True)
    with pytest.raises(WarehouseError) as refused:
        write_datapackage(warehouse, folder, exports, {}, {})
    assert str(refused.value) == f"{link}: {REFUSAL}"
    assert victim.read_bytes() == VICTIM
    assert file_digests(folder, folders=True) == before


def test_datapackage_never_opens_a_link_at_its_temporary_name(
    built: Path, victim: Path, tmp_path: Path
) -> None:
    warehouse = built / PUBLISHED
    folder = tmp_path / "release"
    exports = export_marts(warehouse, folder)
    (folder / "datapackage.json.new").symlink_to(victim)
    path = write_datapackage(warehouse, folder, exports, {}, {})
    assert victim.read_bytes() == VICTIM
    assert path == folder / "datapackage.json" and path.is_file() and not path.is_symlink()
    assert b'"tabular-data-package"' in path.read_bytes()


def test_checks_results_refuse_a_link(victim: Path, tmp_path: Path) -> None:
    folder = tmp_path / "release"
    folder.mkdir()
    link = folder / "checks.json"
    link.symlink_to(victim)
    with pytest.raises(WarehouseError) as refused:
        write_results(folder, CheckReport([], 0), GX_DIR)
    assert str(refused.value) == f"{link}: {REFUSAL}"
    assert victim.read_bytes() == VICTIM
    assert [p.name for p in folder.iterdir()] == ["checks.json"] and link.is_symlink()


def test_checks_results_refuse_a_linked_release_folder(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "checks.json").write_bytes(VICTIM)
    link = tmp_path / "exports" / "release"
    link.parent.mkdir()
    link.symlink_to(elsewhere)
    with pytest.raises(WarehouseError) as refused:
        write_results(link, CheckReport([], 0), GX_DIR)
    assert str(refused.value) == f"{link}: {REFUSAL}"
    assert [p.name for p in elsewhere.iterdir()] == ["checks.json"]
    assert (elsewhere / "checks.json").read_bytes() == VICTIM


def test_checks_results_never_open_a_link_at_their_temporary_name(victim: Path, tmp_path: Path) -> None:
    folder = tmp_path / "release"
    folder.mkdir()
    (folder / "checks.json.new").symlink_to(victim)
    path = write_results(folder, CheckReport([], 0), GX_DIR)
    assert victim.read_bytes() == VICTIM
    assert path.is_file() and not path.is_symlink() and b'"checks"' in path.read_bytes()
    assert sorted(p.name for p in folder.iterdir()) == ["checks.json", "checks.json.new"]


@pytest.mark.parametrize("linked", ["rejected", "logs", "candidate", "build", "data_docs"])
def test_build_refuses_a_linked_folder_of_the_warehouse_before_writing(
    built: Path, tmp_path: Path, linked: str
) -> None:
    """Found by an outside review: with `warehouse/rejected` a link, a rejected build pruned the
    folder it points to (a user's folders, by name); `logs`, `rejected` and `data_docs` were
    written through; a linked `candidate` blocked every build with "File exists". Each is refused
    before anything runs, naming the link, and the folder it points to is untouched."""
    project = tmp_path / "project"
    shutil.copytree(built, project, symlinks=True)
    elsewhere = tmp_path / "mine"
    for name in ("code", "notes", "photos", "taxes", "thesis", "music"):
        (elsewhere / name).mkdir(parents=True)
        (elsewhere / name / "file.txt").write_bytes(VICTIM)
    link = project / "warehouse" / linked
    if link.exists():
        shutil.rmtree(link)
    link.symlink_to(elsewhere)
    before = file_digests(elsewhere, folders=True)
    published = project / PUBLISHED
    published_before = hashlib.sha256(published.read_bytes()).hexdigest()

    result = _run(project, "check" if linked == "data_docs" else "build")

    _refused(result, link)
    assert file_digests(elsewhere, folders=True) == before
    assert hashlib.sha256(published.read_bytes()).hexdigest() == published_before


def test_build_refuses_a_linked_log_file(built: Path, victim: Path, tmp_path: Path) -> None:
    """dbt's log, written by the build beside the warehouse, was written through a link."""
    project = tmp_path / "project"
    shutil.copytree(built, project, symlinks=True)
    log = project / "warehouse" / "logs" / "dbt.log"
    log.unlink()
    log.symlink_to(victim)
    _refused(_run(project, "build"), log)
    assert victim.read_bytes() == VICTIM


def test_a_rejected_build_prunes_only_the_folders_builds_made(built: Path, tmp_path: Path) -> None:
    """`rejected/` keeps the last five rejected builds; what else stands there is not theirs."""
    from kerncijfers.pipeline import publish
    from kerncijfers.warehouse import Warehouse

    warehouse = Warehouse(tmp_path / "warehouse" / "kerncijfers.duckdb")
    kept = warehouse.rejected_dir / "my-notes"
    kept.mkdir(parents=True)
    for _ in range(publish.KEEP_REJECTED + 2):
        publish.reject(warehouse, None, "a reason")
    names = sorted(path.name for path in warehouse.rejected_dir.iterdir())
    assert "my-notes" in names and len(names) == publish.KEEP_REJECTED + 1


def test_ingest_replaces_a_link_standing_at_a_stored_copys_name(tmp_path: Path, victim: Path) -> None:
    """A link planted at documents/<sha256>.txt was taken for the stored copy: the ingest said
    'added', verify then asked to restore a copy that had never been stored. The copy is stored,
    the link replaced, the file it pointed to untouched."""
    import hashlib as digest

    from tests.conftest import JANUARY_2023

    project = copy_project(tmp_path / "project", with_documents=False)
    stored = project / "documents" / f"{digest.sha256(JANUARY_2023.read_bytes()).hexdigest()}.txt"
    stored.parent.mkdir(parents=True, exist_ok=True)
    stored.symlink_to(victim)
    assert _run(project, "ingest", str(JANUARY_2023)).returncode == 0
    assert not stored.is_symlink() and stored.read_bytes() == JANUARY_2023.read_bytes()
    assert victim.read_bytes() == VICTIM
    assert _run(project, "verify").returncode == 0
