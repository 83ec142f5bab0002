"""Writing the files the commands produce (the report, the exports, the data package, the
checks) without ever writing through a symbolic link.

A link at the path a command writes, or at a folder between the warehouse folder and it, would
send the write somewhere else: `ln -s ~/.bashrc warehouse/report.html` would have the report
replace the user's file. So the path is judged AS GIVEN, never resolved first, and a link is
refused with one line. The file is written under a fresh temporary name beside it (created
exclusively: an existing file or link of that name is never opened) and renamed over the
target, so that a refusal or a crash leaves the target as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from core.errors import WarehouseError

LINK = (
    "is a symbolic link; kerncijfers does not write through links. Remove the link or give another file name"
)


def refuse_links(path: Path, inside: Path | None = None) -> None:
    """Raise WarehouseError naming `path` if it is a symbolic link, or naming the folder that is
    one between `inside` (not included) and `path`. The path is taken as given: not resolved."""
    path = Path(os.path.abspath(path))  # normalised, links left as they are
    if path.is_symlink():
        raise WarehouseError(path, LINK)
    if inside is None:
        return
    inside = Path(os.path.abspath(inside))
    folder = path.parent
    while folder != inside and folder.is_relative_to(inside):
        if folder.is_symlink():
            raise WarehouseError(folder, LINK)
        folder = folder.parent


def write_file(path: Path, data: bytes, inside: Path | None = None) -> Path:
    """Write `data` to `path`, whole or not at all, refusing links (see `refuse_links`)."""
    refuse_links(path, inside)
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o666 & ~_UMASK)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        if exc.filename is None:  # a write or flush names no file (a full disk): name the one written
            raise OSError(exc.errno, exc.strerror, str(path)) from None
        raise
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


@contextmanager
def writing(path: Path, inside: Path | None = None) -> Iterator[Path]:
    """For a writer that opens the file itself (DuckDB's COPY): a path in a fresh private folder
    beside `path` to write to; on success it is renamed over `path`, on failure dropped."""
    refuse_links(path, inside)
    path.parent.mkdir(parents=True, exist_ok=True)
    private = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent))
    try:
        temporary = private / path.name
        yield temporary
        os.replace(temporary, path)
    finally:
        shutil.rmtree(private, ignore_errors=True)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# mkstemp creates its file readable by its owner only; the file it becomes is given the mode
# `open` would have given it. Read once, at import (os.umask is process-wide: not from threads).
_UMASK = _umask()
