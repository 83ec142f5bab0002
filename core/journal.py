"""Changing several files of a project as one, safely against crashes, and one run at a time.

Every change is one transaction: new files are written beside the old ones (`*.new`), a journal
listing them is renamed into place (the commit point), then each file is renamed over its old
version and the journal removed. A run that dies before the commit point leaves the old state (the
next run deletes the stray `*.new` files); one that dies after it leaves a journal that the next
run completes. Either way no reader sees a mix and nobody has to repair anything by hand. A lock
file keeps two runs from interleaving.

The ingest uses a journal for the stored documents and the raw seeds; publishing the warehouse
uses one of its own for the published file, the exports and the full build
(`kerncijfers/pipeline/publish.py`).
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from core.errors import IngestError
from core.project import Project

# Fault injection for the crash-safety tests: a run with KERNCIJFERS_PAUSE_AT=<point> stops at
# that point (and says so on stderr) so that a test can kill it there.
PAUSE_ENV = "KERNCIJFERS_PAUSE_AT"

# Locks this process holds, by lock file, with how often each is held: a build holds the
# project's lock from start to end and calls the ingest, which takes it again.
_held: dict[Path, int] = {}


@contextmanager
def project_lock(project: Project) -> Iterator[None]:
    """Hold the project's lock for the duration of a run; refuse if another run holds it.

    Re-entrant within one process, so that a build can hold it across the ingest it runs.
    """
    key = project.lock_file.resolve()
    if key in _held:
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
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
        _held[key] = 1
        try:
            yield
        finally:
            del _held[key]
            fcntl.flock(handle, fcntl.LOCK_UN)


def pause_point(name: str) -> None:
    if os.environ.get(PAUSE_ENV) == name:
        print(f"paused at {name}", file=sys.stderr, flush=True)
        time.sleep(3600)


def pending(path: Path) -> Path:
    """Where the next version of `path` is prepared before the commit."""
    return path.with_name(path.name + ".new")


def write_durably(path: Path, data: bytes) -> None:
    """Write `path` (a temporary name, renamed over its target later) afresh: whatever stands
    at that name — a file a killed run left, or a symbolic link — is removed, never written
    through, and the file is created exclusively, without following a link."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if os.path.lexists(path) and not os.path.isdir(path) or os.path.islink(path):
        os.unlink(path)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o666)
        with open(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        if exc.filename is None:  # a write or flush names no file: say which one (a full disk)
            raise OSError(exc.errno, exc.strerror, str(path)) from None
        raise


def replace_file(path: Path, data: bytes) -> None:
    """One file written whole or not at all, outside a journal: its next version beside it
    (`pending`), flushed, then renamed over it. A failure leaves no partial file behind."""
    partial = pending(path)
    try:
        write_durably(partial, data)
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def sync_dir(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def inside(root: Path, path: Path, named_in: Path, folder: Path | None = None) -> Path:
    """A path read from a file, refused if it points outside `folder` (default: `root`) — a
    manifest or journal edited by hand, or by someone with bad intent. The last part of the path
    is not followed, so a symbolic link is the link itself."""
    allowed = (folder or root).resolve()
    resolved = path.parent.resolve() / path.name
    if resolved.name in ("", ".", "..") or not resolved.is_relative_to(allowed):
        raise IngestError(named_in, f"refusing the path {path} — it lies outside {allowed}")
    return resolved


@dataclass(frozen=True)
class Journal:
    """A journal at `path` for changes to files under `root`."""

    root: Path
    path: Path

    def commit(self, changes: dict[Path, bytes]) -> None:
        """Replace several files as one: all of them change, or (after a crash) none."""
        self._check_targets(list(changes))
        try:
            for path, data in changes.items():
                write_durably(pending(path), data)
        except OSError:  # a full disk, say: before the commit point, so drop what was written
            for path in changes:
                if os.path.isfile(pending(path)) and not os.path.islink(pending(path)):
                    os.unlink(pending(path))
            raise
        self.commit_prepared(list(changes))

    def commit_prepared(self, targets: Sequence[Path]) -> None:
        """Like `commit`, for targets whose next version the caller has already written (durably)
        at `pending(target)`: a file, or a symbolic link to swap a folder."""
        self._check_targets(targets)
        pause_point("pending-written")
        listing = json.dumps(sorted(str(p.relative_to(self.root)) for p in targets)).encode()
        journal_tmp = pending(self.path)
        write_durably(journal_tmp, listing)
        os.replace(journal_tmp, self.path)  # the commit point
        sync_dir(self.path.parent)
        pause_point("committed")
        self._apply()

    def _check_targets(self, targets: Sequence[Path]) -> None:
        """Every target lies inside `root` by its real folder: a folder on the way that is a link
        to elsewhere is refused here, before anything is written. After the commit point
        `_apply` refuses it too, and the change could then be neither completed nor dropped."""
        for target in targets:
            inside(self.root, target, target.parent)

    def _apply(self) -> None:
        listing = json.loads(self.path.read_text())
        folders = set()
        for relative in listing:
            path = inside(self.root, self.root / relative, self.path)
            if os.path.lexists(pending(path)):
                os.replace(pending(path), path)
                pause_point("renaming")
            folders.add(path.parent)
        for folder in folders:
            sync_dir(folder)
        self.path.unlink()
        sync_dir(self.path.parent)

    def recover(self, stray_folders: Sequence[Path]) -> None:
        """Finish a committed transaction that was interrupted; drop one that never committed
        (the `*.new` left in `stray_folders`)."""
        if self.path.exists():
            try:
                self._apply()
            except (ValueError, TypeError) as exc:
                raise IngestError(self.path, f"the journal is unreadable ({exc})") from None
        for folder in stray_folders:
            if folder.is_dir():
                for stray in folder.glob("*.new"):
                    if stray.is_dir() and not stray.is_symlink():
                        continue
                    stray.unlink()


def project_journal(project: Project) -> Journal:
    return Journal(project.root, project.journal)


def commit_files(project: Project, changes: dict[Path, bytes]) -> None:
    """Replace several files of the project as one."""
    project_journal(project).commit(changes)


def recover(project: Project) -> None:
    """Finish or drop an interrupted ingest transaction."""
    project_journal(project).recover([project.seeds_dir, project.documents_dir, project.cbs_dir])
