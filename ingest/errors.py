"""The one exception the ingest raises for anything a maintainer has to fix.

Every message names the document (and the line, where there is one) so that the user can act on
it without a traceback. The CLI prints it once and exits non-zero.
"""

from __future__ import annotations

from pathlib import Path


class IngestError(Exception):
    """A document, or the store, cannot be ingested as it is."""

    def __init__(self, source: str | Path, message: str, line: int | None = None) -> None:
        self.source = str(source)
        self.line = line
        self.detail = message
        where = f"{self.source}:{line}" if line is not None else self.source
        super().__init__(f"{where}: {message}")
