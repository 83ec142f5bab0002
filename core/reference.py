"""The codes staging gives the published labels, read from the reference seeds as staging reads them.

The models give each figure its subject code by joining the key of its label (`core.labels.label_key`,
in SQL the `label_key` macro) on the keys of the reference seeds' labels, and its population by
the code itself. A label no seed has would reach dbt as a null code, and stop it with one label
named in a failing test. The ingest names such labels as it stores a document, and the build
refuses them before dbt runs (kerncijfers/pipeline/preflight.py): both read them here.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from core.errors import IngestError
from core.labels import label_key
from core.project import REFERENCE_SEEDS, Project
from core.seeds import Row

NATIONALITY_LABELS = REFERENCE_SEEDS / "ref_nationality_labels.csv"
PERMIT_PURPOSES = REFERENCE_SEEDS / "ref_permit_purposes.csv"
POPULATIONS = REFERENCE_SEEDS / "ref_populations.csv"


@dataclass(frozen=True)
class ReferenceCodes:
    """The codes staging maps labels to: nationality and purpose codes by label key, and the
    population codes."""

    nationalities: dict[str, str]
    purposes: dict[str, str]
    populations: frozenset[str]

    def subject_code(self, row: Row) -> str | None:
        """A figure row's subject code, as staging gives it (None where staging gives null)."""
        kind = row["subject_type"]
        if kind == "total":
            return "TOTAL"
        table = self.nationalities if kind == "nationality" else self.purposes if kind == "purpose" else {}
        return table.get(label_key(row["subject_label_nl"]))


def _reference_rows(path: Path, columns: tuple[str, ...]) -> list[Row]:
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [column for column in columns if column not in (reader.fieldnames or [])]
            if missing:
                raise IngestError(
                    path, f"the reference seed has no column {', '.join(missing)}; restore it from git", 1
                )
            return list(reader)
    except FileNotFoundError:
        raise IngestError(path, "the reference seed is missing; restore it from git") from None
    except UnicodeDecodeError:
        raise IngestError(path, "the reference seed is not UTF-8 text; restore it from git") from None


def reference_codes(project: Project) -> ReferenceCodes:
    """The reference seeds' codes, read as staging reads them (refused, naming the file, when one
    is missing or of another shape)."""
    root = project.root
    return ReferenceCodes(
        nationalities={
            label_key(row["label_nl"]): row["nationality_code"]
            for row in _reference_rows(root / NATIONALITY_LABELS, ("label_nl", "nationality_code"))
            if row["label_nl"]
        },
        purposes={
            label_key(row["label_nl"]): row["purpose_code"]
            for row in _reference_rows(root / PERMIT_PURPOSES, ("purpose_code", "label_nl"))
            if row["label_nl"]
        },
        populations=frozenset(
            row["population_code"] for row in _reference_rows(root / POPULATIONS, ("population_code",))
        ),
    )


def unknown_labels(source: str | Path, rows: Iterable[Row], codes: ReferenceCodes) -> list[IngestError]:
    """One error per label (and population) of a document's figure rows that the reference seeds
    have no code for, at the first line it stands on, in the order of the document."""
    found: dict[tuple[str, str], tuple[int, str, list[int]]] = {}
    for row in rows:
        line = int(row["source_line"]) if row["source_line"].isdigit() else 0
        if row["population_code"] not in codes.populations:
            key = ("population", row["population_code"])
            found.setdefault(key, (line, row["figure_code"], []))[2].append(line)
        label = row["subject_label_nl"]
        if row["subject_type"] in ("nationality", "purpose") and label and codes.subject_code(row) is None:
            key = (row["subject_type"], label_key(label))
            found.setdefault(key, (line, label, []))[2].append(line)
    errors = []
    for (kind, name), (line, label, lines) in sorted(found.items(), key=lambda item: item[1][0]):
        others = sorted(set(lines) - {line})
        also = (
            f"; it stands on line{'s' if len(others) > 1 else ''} {', '.join(map(str, others))} too"
            if others
            else ""
        )
        if kind == "population":
            message = (
                f"population '{name}' (of {label}) has no row in {POPULATIONS}; add it there "
                "(population_code, label_nl, name_en, description)"
            )
        elif kind == "nationality":
            message = f"nationality label '{label}' has no code in {NATIONALITY_LABELS}; add the spelling there (with its code)"
        else:
            message = (
                f"purpose label '{label}' has no code in {PERMIT_PURPOSES}; add the purpose there (with its "
                "code), or give its row this label_nl if it is a new spelling of one"
            )
        errors.append(IngestError(source, message + also, line or None))
    return errors
