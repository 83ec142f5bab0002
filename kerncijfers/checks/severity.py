"""How much a failed check weighs: the one list of severities every part of the checks uses.

A critical finding keeps a build from being published; a warning is reported with the release.
The values are Great Expectations' own (an expectation's `severity`), so a suite's file and a
finding say the same word.
"""

from __future__ import annotations

from enum import StrEnum


class Severity(StrEnum):
    CRITICAL = "critical"
    WARNING = "warning"
