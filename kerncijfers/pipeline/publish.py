"""Publishing a candidate that passed its audit, and keeping one that did not: the swap.

What readers see changes only as a whole, and only to a build that passed:

1. the next release is written beside the published one while the audit runs (`prepare.py`): the
   lean file `kerncijfers.duckdb.new` (the schemas readers use) and its exports in a release
   folder of their own; dropped if the audit fails (`prepare.discard`);
2. here, once it passed: the tables' and columns' descriptions from dbt's manifest are added, a
   link `export.new` to the exports is made, the candidate is moved to `build/<name>.new` (the
   full build behind the release, with the manifest and fingerprint the next build compares
   itself with: `state.py`), and the report drawn from the candidate is written as
   `report.html.new`;
3. one journal commit renames them all into place. A reader holding the old file keeps reading
   it undisturbed; new connections open the new one. A run killed before the commit leaves the old
   release, one killed after it is completed by the next run (`recover`).

A candidate that failed is kept in `rejected/<release>/` with its findings (`reject`); a build
stopped by an error leaves nothing of itself behind (`clean_up`, `no_space`).
"""

from __future__ import annotations

import errno
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from core.journal import Journal, pause_point, pending, write_durably
from kerncijfers.export import Export
from kerncijfers.pipeline.prepare import Prepared, prepare, write_descriptions
from kerncijfers.pipeline.state import (
    FINGERPRINT,
    RELEASE_FOLDER,
    descriptions,
    new_stamp,
    state_manifest,
    with_size,
)
from kerncijfers.warehouse import Warehouse

KEEP_REJECTED = 5


@dataclass(frozen=True)
class Release:
    """What a publish wrote."""

    published: Path
    exports: list[Export]
    export_folder: Path
    full_build: Path


def journal(warehouse: Warehouse) -> Journal:
    return Journal(warehouse.folder, warehouse.journal)


def recover(warehouse: Warehouse) -> None:
    """Complete a publish that was committed but interrupted; drop one that never committed."""
    if not warehouse.folder.is_dir():
        return
    journal(warehouse).recover([warehouse.folder, warehouse.full_build.parent])
    for stray in warehouse.folder.glob("*.new.wal"):
        stray.unlink()


def publish(
    warehouse: Warehouse,
    candidate: Path,
    manifest: Path,
    fingerprint: str,
    prepared: Prepared | None = None,
    *,
    report: bytes,
) -> Release:
    """Make a candidate that passed its audit the published release (see the module's docstring),
    with `report`, the page drawn from it, as `report.html`."""
    prepared = prepared or prepare(warehouse, candidate, manifest)
    write_descriptions(prepared.lean, descriptions(manifest))
    write_durably(pending(warehouse.report), report)
    pause_point("lean-written")

    link = pending(warehouse.export_link)
    if os.path.lexists(link):
        link.unlink()
    os.symlink(os.path.relpath(prepared.export_folder, link.parent), link)
    previous_exports = _current_exports(warehouse)
    _adopt_export_folder(warehouse)

    full = pending(warehouse.full_build)
    full.parent.mkdir(parents=True, exist_ok=True)
    os.replace(candidate, full)
    # What the next build compares itself with to rebuild only what changed (see `state`).
    state = warehouse.full_build.parent
    pending(state_manifest(warehouse)).write_bytes(manifest.read_bytes())
    pending(state / FINGERPRINT).write_text(with_size(fingerprint, full), encoding="utf-8")
    pause_point("exports-written")

    journal(warehouse).commit_prepared(
        [
            warehouse.published,
            warehouse.export_link,
            warehouse.full_build,
            state_manifest(warehouse),
            state / FINGERPRINT,
            warehouse.report,
        ]
    )
    _prune_exports(warehouse, keep={prepared.export_folder, previous_exports})
    shutil.rmtree(candidate.parent, ignore_errors=True)
    return Release(warehouse.published, prepared.exports, prepared.export_folder, warehouse.full_build)


def _current_exports(warehouse: Warehouse) -> Path | None:
    link = warehouse.export_link
    return link.resolve() if link.is_symlink() else None


def _adopt_export_folder(warehouse: Warehouse) -> None:
    """Before releases, `export/` was a folder written in place; keep it as a release of its own,
    so that the link can replace it."""
    link = warehouse.export_link
    if link.is_dir() and not link.is_symlink():
        warehouse.exports_dir.mkdir(parents=True, exist_ok=True)
        os.replace(link, warehouse.exports_dir / f"{new_stamp()}-before-releases")


def _prune_exports(warehouse: Warehouse, keep: set[Path | None]) -> None:
    """Drop the export folders of releases before the previous one (and of killed publishes)."""
    kept = {path.resolve() for path in keep if path is not None}
    for folder in warehouse.exports_dir.iterdir():
        if folder.resolve() not in kept:
            shutil.rmtree(folder, ignore_errors=True)


def reject(warehouse: Warehouse, candidate: Path | None, why: str) -> Path:
    """Keep a failed candidate under rejected/<stamp>/ with findings.txt; returns that folder."""
    folder = warehouse.rejected_dir / new_stamp()
    folder.mkdir(parents=True)
    if candidate is not None and candidate.exists():
        os.replace(candidate, folder / candidate.name)
    (folder / "findings.txt").write_text(why.rstrip() + "\n", encoding="utf-8")
    shutil.rmtree(warehouse.candidate.parent, ignore_errors=True)
    # Only the folders a build made (named by their time) are pruned, never anything else there.
    made = [
        old
        for old in warehouse.rejected_dir.iterdir()
        if RELEASE_FOLDER.fullmatch(old.name) and old.is_dir() and not old.is_symlink()
    ]
    for old in sorted(made)[:-KEEP_REJECTED]:
        shutil.rmtree(old, ignore_errors=True)
    return folder


# DuckDB's words for a write the file system refused for want of space ('IO Error: Could not
# write file "…": No space left on device').
_NO_SPACE = ("No space left on device", "Disk quota exceeded")


_QUOTED_PATH = re.compile(r'"(/[^"]+)"')


def no_space(exc: BaseException, default: Path) -> OSError | None:
    """A full disk as the OSError that names the file (cli.py says it in one line), whether the
    file system said it (ENOSPC, EDQUOT) or DuckDB did; None for any other failure."""
    if isinstance(exc, OSError):
        return exc if exc.errno in (errno.ENOSPC, errno.EDQUOT) else None
    said = str(exc)
    if not any(words in said for words in _NO_SPACE):
        return None
    named = _QUOTED_PATH.search(said)
    quota = _NO_SPACE[1] in said
    return OSError(
        errno.EDQUOT if quota else errno.ENOSPC,
        os.strerror(errno.EDQUOT if quota else errno.ENOSPC),
        named.group(1) if named else str(default),
    )


def clean_up(warehouse: Warehouse) -> None:
    """After a build the disk ran out under: remove what it wrote that nobody reads — the
    candidate, the next release's files (`*.new`) and its exports — so the space is free again.
    The published release (and the one before it, which readers may still hold) is untouched."""
    shutil.rmtree(warehouse.candidate.parent, ignore_errors=True)
    recover(warehouse)
    current = _current_exports(warehouse)
    exports = warehouse.exports_dir
    if exports.is_dir() and not exports.is_symlink():  # a linked folder is not ours to clear
        for folder in exports.iterdir():
            ours = RELEASE_FOLDER.fullmatch(folder.name) and folder.is_dir() and not folder.is_symlink()
            if ours and (current is None or folder.name > current.name):
                shutil.rmtree(folder, ignore_errors=True)
