"""The error the steps after the ingest raise for anything a user has to fix.

Like the ingest's own, it names a file (the warehouse, a suite, the output path) and what to do;
the CLI prints it as one line.
"""

from __future__ import annotations

from ingest.errors import ProjectError


class WarehouseError(ProjectError):
    """The warehouse cannot be built, checked, exported or read as things are."""
