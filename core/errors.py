"""The errors a user can act on: each names a file (and a line, where there is one) and says what
to do. The `kerncijfers` command prints one of them as a single line and exits non-zero; no
traceback reaches the user.

`ProjectError` is the common base; the ingest (and the journal, which it uses first) raises
`IngestError`, the steps after it (build, checks, exports, report) raise `WarehouseError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


class ProjectError(Exception):
    """Something in the project, or given to it, that a user has to fix."""

    def __init__(self, source: str | Path, message: str, line: int | None = None) -> None:
        self.source = str(source)
        self.line = line
        self.detail = message
        where = f"{self.source}:{line}" if line is not None else self.source
        super().__init__(f"{where}: {message}")


class IngestError(ProjectError):
    """A document, or the store, cannot be ingested as it is."""


class WarehouseError(ProjectError):
    """The warehouse cannot be built, checked, exported or read as things are."""


def all_of(errors: Sequence[ProjectError], kind: type[ProjectError] = IngestError) -> ProjectError:
    """Several refusals as one error, which the command prints one per line, each as its own
    `error: FILE:LINE: …` (the CLI prefixes the first with `error: `, as it does any error)."""
    first, *rest = errors
    return kind(first.source, first.detail + "".join(f"\nerror: {error}" for error in rest), first.line)
