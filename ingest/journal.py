"""Changing several files of a project as one, safely against crashes, and one run at a time.

Every change is one transaction: new files are written beside the old ones (`*.new`), a journal
listing them is renamed into place (the commit point), then each file is renamed over its old
version and the journal removed. A run that dies before the commit point leaves the old state (the
next run deletes the stray `*.new` files); one that dies after it leaves a journal that the next
run completes. Either way no reader sees a mix and nobody has to repair anything by hand. A lock
file keeps two runs from interleaving.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ingest.errors import IngestError
from ingest.project import Project

# Fault injection for the crash-safety tests: a run with KERNCIJFERS_PAUSE_AT=<point> stops at
# that point of a transaction (and says so on stderr) so that a test can kill it there.
PAUSE_ENV = "KERNCIJFERS_PAUSE_AT"


@contextmanager
def project_lock(project: Project) -> Iterator[None]:
    """Hold the project's lock for the duration of a run; refuse if another run holds it."""
    project.lock_file.parent.mkdir(parents=True, exist_ok=True)
    with open(project.lock_file, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                raise IngestError(
                    project.lock_file,
                    "another kerncijfers run is in progress; wait for it to finish and try again",
                ) from None
            raise
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def pause_point(name: str) -> None:
    if os.environ.get(PAUSE_ENV) == name:
        print(f"paused at {name}", file=sys.stderr, flush=True)
        time.sleep(3600)


def _pending(path: Path) -> Path:
    return path.with_name(path.name + ".new")


def _write_durably(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _sync_dir(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def commit_files(project: Project, changes: dict[Path, bytes]) -> None:
    """Replace several files as one: all of them change, or (after a crash) none."""
    for path, data in changes.items():
        _write_durably(_pending(path), data)
    pause_point("pending-written")
    listing = json.dumps(sorted(str(p.relative_to(project.root)) for p in changes)).encode()
    journal_tmp = _pending(project.journal)
    _write_durably(journal_tmp, listing)
    os.replace(journal_tmp, project.journal)  # the commit point
    _sync_dir(project.journal.parent)
    pause_point("committed")
    _apply_journal(project)


def _apply_journal(project: Project) -> None:
    listing = json.loads(project.journal.read_text())
    folders = set()
    for relative in listing:
        path = inside(project, project.root / relative, project.journal)
        if _pending(path).exists():
            os.replace(_pending(path), path)
            pause_point("renaming")
        folders.add(path.parent)
    for folder in folders:
        _sync_dir(folder)
    project.journal.unlink()
    _sync_dir(project.journal.parent)


def recover(project: Project) -> None:
    """Finish a committed transaction that was interrupted; drop one that never committed."""
    if project.journal.exists():
        try:
            _apply_journal(project)
        except (ValueError, TypeError) as exc:
            raise IngestError(project.journal, f"the ingest journal is unreadable ({exc})") from None
    for folder in (project.seeds_dir, project.documents_dir):
        if folder.is_dir():
            for stray in folder.glob("*.new"):
                stray.unlink()


def inside(project: Project, path: Path, named_in: Path, folder: Path | None = None) -> Path:
    """A path read from a project file, refused if it points outside the project's folders
    (a manifest or journal edited by hand, or by someone with bad intent)."""
    allowed = (folder or project.root).resolve()
    resolved = path.resolve()
    if not resolved.is_relative_to(allowed):
        raise IngestError(named_in, f"refusing the path {path} — it lies outside {allowed}")
    return resolved
