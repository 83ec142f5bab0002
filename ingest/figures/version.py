"""The version of the parser a stored document was read by, and the one it would be read by now.

A stored document whose manifest row names another version than the current one is read again by
the next `kerncijfers ingest` or `build` (ingest/store.py), and `kerncijfers verify` names it. The
version is the code's own, bumped by hand when the code reads the same sentences differently,
and a digest of what the code reads by: the registry's rows and the sentence patterns. Adding a
family or a sentence therefore needs no bump, and a change to a family's name or description,
which no figure depends on, re-reads nothing.
"""

from __future__ import annotations

import hashlib

from ingest.figures.families import FamilyRegistry
from ingest.figures.patterns import patterns_digest

# The version of the parser's code: bump it when the code reads the same sentences differently.
PARSER_CODE_VERSION = "2.4.0"


def parser_version(families: FamilyRegistry) -> str:
    """The version of the parser reading documents into a project with the registry `families`:
    the code's version and a digest of the families' rows and the sentence patterns
    ("2.4.0+1a2b3c4d5e6f")."""
    digest = hashlib.sha256(families.digest.encode())
    digest.update(patterns_digest().encode())
    return f"{PARSER_CODE_VERSION}+{digest.hexdigest()[:12]}"
