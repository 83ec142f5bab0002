"""What the build checks before dbt runs, so that a refusal names every row to fix, not one.

Run by `kerncijfers build` once the raw seeds are verified against the stored documents
(`ingest/verify.py`), under the project's lock. It reads the seeds as the models will:

- every nationality and purpose label of `seeds/raw/raw_published_figures.csv` has a code in the
  reference seed the models join it on, compared by the one label rule (`core.labels.label_key`,
  the `label_key` macro of `int_published_figures_corrected`), and every
  population code a row in `ref_populations.csv` — named by the stored document and its line;
- every row of `seeds/reviewed/reviewed_corrections.csv` matches exactly one published figure
  (the join of `int_published_figures_corrected`), or its line says what it names and why it
  matches none;
- every row of `seeds/reviewed/reviewed_findings.csv` names a stored document.

Without it dbt would stop on the first unknown label, inside a cast error, and on an unmatched
correction with a failing test that names no line; a review of no document would pass unseen.
Every finding is one line (`error: FILE:LINE: …`); all of them are given at once, and nothing
is built or published.
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from operator import itemgetter
from pathlib import Path

from core.errors import IngestError, ProjectError, WarehouseError, all_of
from core.project import Project
from core.reference import ReferenceCodes, reference_codes, unknown_labels
from core.seeds import FIGURE_COLUMNS, Row, read_documents
from kerncijfers.checks.suites import read_reviews

# The columns a correction joins on, in the order of the join.
CORRECTION_KEY = ("document_id", "figure_code", "population_code", "window_type", "subject_code")


def preflight(project: Project) -> None:
    """Refuse the build, naming every unknown label, unmatched correction and review of no
    document (one line each), before dbt runs."""
    documents = read_documents(project.documents_seed)
    stored = {row["document_id"]: project.root / row["stored_path"] for row in documents}
    codes = reference_codes(project)
    figures = _figures(project.figures_seed)
    errors: list[ProjectError] = []
    by_document: dict[str, list[Row]] = defaultdict(list)
    for row in figures:
        by_document[row["document_id"]].append(row)
    unlisted = project.figures_seed  # a figure of no stored document: verify refuses it first
    for document_id, rows in by_document.items():
        errors += unknown_labels(stored.get(document_id, unlisted), rows, codes)
    errors += _unmatched_corrections(project, stored, by_document, codes)
    errors += _reviews_of_no_document(project, stored)
    if errors:
        raise all_of(errors, WarehouseError)


def _figures(seed: Path) -> list[Row]:
    """The figure rows, with only the columns the checks read (a quick read of a large seed)."""
    if not seed.exists():
        return []
    wanted = (
        "document_id",
        "figure_seq",
        "figure_code",
        "population_code",
        "window_type",
        "subject_type",
        "subject_label_nl",
        "source_line",
    )
    csv.field_size_limit(max(csv.field_size_limit(), seed.stat().st_size + 1))
    with open(seed, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        if tuple(next(reader, ())) != FIGURE_COLUMNS:
            raise IngestError(
                seed, f"unexpected columns; expected {list(FIGURE_COLUMNS)}. Restore it from git", 1
            )
        pick = itemgetter(*(FIGURE_COLUMNS.index(column) for column in wanted))
        return [dict(zip(wanted, pick(values), strict=True)) for values in reader if values]


def _seed_rows(path: Path, columns: tuple[str, ...]) -> list[tuple[int, dict[str, str]]]:
    """A reviewed seed's rows, each with the line it starts on; its header must hold `columns`."""
    if not path.exists():
        return []
    rows = []
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        missing = [column for column in columns if column not in header]
        if missing:
            raise WarehouseError(path, f"has no column {', '.join(missing)}; restore its header from git", 1)
        ended = reader.line_num
        for values in reader:
            start, ended = ended + 1, reader.line_num
            if values:
                rows.append((start, {name: value for name, value in zip(header, values, strict=False)}))
    return rows


def _unmatched_corrections(
    project: Project, stored: dict[str, Path], by_document: dict[str, list[Row]], codes: ReferenceCodes
) -> list[ProjectError]:
    path = project.reviewed_corrections_seed
    corrections = _seed_rows(path, CORRECTION_KEY)
    if not corrections:
        return []
    wanted = {row.get("document_id", "") for _, row in corrections}
    figures: Counter[tuple[str, ...]] = Counter()
    lines: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for document_id in wanted & set(by_document):
        for figure in by_document[document_id]:
            key = (*(figure[column] for column in CORRECTION_KEY[:4]), codes.subject_code(figure) or "")
            figures[key] += 1
            lines[key].append(figure["source_line"])
    errors: list[ProjectError] = []
    for line, row in corrections:
        key = tuple(row.get(column, "") or "" for column in CORRECTION_KEY)
        document_id, figure_code, population, window, subject = key
        named = f"the correction of {document_id} · {figure_code} ({population}, {window}) · {subject}"
        matches = figures[key]
        if matches == 1:
            continue
        if document_id not in stored:
            why = (
                f"no document {document_id} is stored ({project.documents_seed.name} lists none). "
                "Give the document_id of a stored document (`kerncijfers diff` or dim_source_documents "
                "lists them), or remove the row"
            )
        elif matches > 1:
            why = (
                f"it matches {matches} figures of {document_id} (lines {', '.join(lines[key])} of "
                f"{stored[document_id].name}); a correction names exactly one figure"
            )
        else:
            why = f"{document_id} ({stored[document_id].name}) {_what_it_has(figures, key)}"
            why += ". Give the codes as fct_published_figures shows them, or remove the row"
        errors.append(WarehouseError(path, f"{named} matches no published figure: {why}", line))
    return errors


def _what_it_has(figures: Counter[tuple[str, ...]], key: tuple[str, ...]) -> str:
    """Why a correction's key matches none of its document's figures: the first part of the key
    the document has no figure with, and what it has there instead."""
    document_id, figure_code, population, window, subject = key
    parts = [("figure", figure_code), ("population", population), ("window", window), ("subject", subject)]
    ours = [k for k in figures if k[0] == document_id]
    for depth, (name, value) in enumerate(parts, start=1):
        same = [k for k in ours if k[1:depth] == key[1:depth]]
        given = sorted({k[depth] for k in same} - {""})
        if value not in given:
            where = "" if depth == 1 else f" of {' '.join(key[1:depth])}"
            return f"has no {name} {value!r}{where} (it has {', '.join(given) or 'none'})"
    return "has no such figure"  # pragma: no cover - every part matched, so the key did


def _reviews_of_no_document(project: Project, stored: dict[str, Path]) -> list[ProjectError]:
    path = project.reviewed_findings_seed
    errors: list[ProjectError] = []
    for line, row in read_reviews(path):
        document_id = row.get("document_id")
        if document_id is None:
            raise WarehouseError(path, "has no column document_id; restore its header from git", 1)
        if document_id not in stored:
            errors.append(
                WarehouseError(
                    path,
                    f"the review of {row.get('check_name')} ({row.get('family_code')} · {row.get('subject')}) "
                    f"names the document {document_id!r}, which is not stored "
                    f"({project.documents_seed.name} lists no such document). Give the document_id "
                    "of the finding it reviews, or remove the row",
                    line,
                )
            )
    return errors
