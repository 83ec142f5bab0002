"""What the build checks before dbt runs (kerncijfers/pipeline/preflight.py), found by an outside
red team (issue 23): every unknown nationality or purpose label of a publication, every reviewed
correction that matches no figure and every review of a document that is not stored is named —
all at once, one line each with the file and line — and nothing is built or published. The ingest
refuses a new document with unknown labels the same way, before anything is written."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from core.errors import WarehouseError
from core.project import Project
from core.seeds import read_figures
from ingest.store import ingest
from kerncijfers.pipeline.preflight import preflight
from tests.conftest import JANUARY_2023, copy_project
from tests.warehouse import edited, file_digests, kerncijfers, review

JAN = "kerncijfers-2023-01-4f0d79c6a2f3"
NATIONALITY_LABELS = "seeds/reference/ref_nationality_labels.csv"
PURPOSES = "seeds/reference/ref_permit_purposes.csv"
# Three new spellings of nationalities and one of a purpose, and the lines they stand on.
NEW_SPELLINGS = [
    ("o 26% uit Syrië;", "o 26% uit Syriërs;"),  # line 47
    ("o 6% uit Jemen;", "o 6% uit Jemenn;"),  # line 50
    ("o 5% uit Eritrea;", "o 5% uit Eritrea's;"),  # line 75
    ("Studie (circa 320)", "Studeren (circa 320)"),  # line 138
]


def _unknown_label_lines(where: str) -> list[str]:
    nationality = f"has no code in {NATIONALITY_LABELS}; add the spelling there (with its code)"
    return [
        f"error: {where}:47: nationality label 'Syriërs' {nationality}",
        f"error: {where}:50: nationality label 'Jemenn' {nationality}",
        f"error: {where}:75: nationality label 'Eritrea's' {nationality}",
        f"error: {where}:138: purpose label 'Studeren' has no code in {PURPOSES}; add the purpose there "
        "(with its code), or give its row this label_nl if it is a new spelling of one",
    ]


def test_the_ingest_stores_a_document_with_unknown_labels_and_names_every_one(tmp_path: Path) -> None:
    """The store keeps what was published (the reference seeds may gain a spelling later); the
    report names every label the build will refuse until they do."""
    project = Project(copy_project(tmp_path / "project"))
    document = edited(JANUARY_2023, tmp_path, NEW_SPELLINGS, name="kerncijfers-2023-01-nieuw.txt")
    report = ingest(project, [document])
    assert len(report.added) == 1
    assert [f"error: {error}" for error in report.unknown_labels] == _unknown_label_lines(str(document))


def test_the_build_names_every_unknown_label_of_the_stored_documents_before_dbt(tmp_path: Path) -> None:
    """A stored publication with three new spellings of nationalities and one of a purpose: every
    label is named by the stored copy and its line, and dbt never runs."""
    project = copy_project(tmp_path / "project")
    document = edited(JANUARY_2023, tmp_path, NEW_SPELLINGS, name="kerncijfers-2023-01-nieuw.txt")
    ingested = kerncijfers(project, "ingest", str(document))
    assert ingested.returncode == 0, ingested.stderr
    # The ingest stores it and says, label by label, what the build will refuse.
    assert ingested.stderr.splitlines() == [
        line.replace("error: ", "warning: ", 1) + " (the build stops on it until then)"
        for line in _unknown_label_lines(str(document))
    ]
    before = file_digests(project, skip=("target",))

    built = kerncijfers(project, "build")
    assert built.returncode == 1
    stored = project / "documents" / f"{hashlib.sha256(document.read_bytes()).hexdigest()}.txt"
    assert built.stderr.splitlines() == _unknown_label_lines(str(stored))
    assert "Conversion Error" not in built.stdout + built.stderr and "dbt" not in built.stdout
    assert not (project / "warehouse").exists()
    assert file_digests(project, skip=("target",)) == before

    # With the nationalities' spellings added to their reference seed, the purpose is left.
    with open(project / NATIONALITY_LABELS, "a", encoding="utf-8") as seed:
        seed.write("Syriërs,SYR,variant\njemenn ,YEM,variant\nEritrea's,ERI,variant\n")
    with pytest.raises(WarehouseError) as refused:
        preflight(Project(project))
    assert [f"error: {refused.value}"] == _unknown_label_lines(str(stored))[3:]


CORRECTIONS = "seeds/reviewed/reviewed_corrections.csv"
HEADER = (
    "document_id,figure_code,population_code,window_type,subject_code,corrected_value,reason,reviewed_on\n"
)


def test_the_build_names_every_correction_that_matches_no_figure_and_why(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    rows = [
        # Line 2 (its reason spans two lines): matches one figure, so it is not named.
        f'{JAN},nationality_share,family_reunification,rolling_12m,OTHER,20,"Misprint:\nIND gives 20 %",2026-12-03',
        # Line 4: a document that is not stored.
        "kerncijfers-2023-01-000000000000,first_applications,first_applicants,month,TOTAL,2500,typo,2026-12-03",
        # Line 5: a nationality the breakdown does not list.
        f"{JAN},nationality_share,family_reunification,rolling_12m,IRQ,20,typo,2026-12-03",
        # Line 6: a figure the document does not give.
        f"{JAN},first_applications_granted,first_applicants,month,TOTAL,20,typo,2026-12-03",
    ]
    (project / CORRECTIONS).write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    before = file_digests(project, skip=("target",))

    built = kerncijfers(project, "build")
    assert built.returncode == 1
    seed, stored = project / CORRECTIONS, JANUARY_2023.name
    given = sorted({row["figure_code"] for row in read_figures(Project(project).figures_seed)})
    assert built.stderr.splitlines() == [
        f"error: {seed}:4: the correction of kerncijfers-2023-01-000000000000 · first_applications "
        "(first_applicants, month) · TOTAL matches no published figure: no document "
        "kerncijfers-2023-01-000000000000 is stored (raw_source_documents.csv lists none). Give the "
        "document_id of a stored document (`kerncijfers diff` or dim_source_documents lists them), or "
        "remove the row",
        f"error: {seed}:5: the correction of {JAN} · nationality_share (family_reunification, rolling_12m) "
        f"· IRQ matches no published figure: {JAN} ({stored}) has no subject 'IRQ' of nationality_share "
        "family_reunification rolling_12m (it has ERI, OTHER, SYR, TUR). Give the codes as "
        "fct_published_figures shows them, or remove the row",
        f"error: {seed}:6: the correction of {JAN} · first_applications_granted (first_applicants, month) "
        f"· TOTAL matches no published figure: {JAN} ({stored}) has no figure 'first_applications_granted' "
        f"(it has {', '.join(given)}). Give the codes as fct_published_figures shows them, or remove the row",
    ]
    assert not (project / "warehouse").exists() and "dbt" not in built.stdout
    assert file_digests(project, skip=("target",)) == before


def test_the_build_names_a_review_of_a_document_that_is_not_stored(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    findings = project / "seeds" / "reviewed" / "reviewed_findings.csv"
    line = len(findings.read_text(encoding="utf-8").splitlines()) + 1
    review(
        project,
        "kerncijfers-2023-02-000000000000",
        "complete_breakdown_sums_to_100",
        "first_applicants_by_nationality_month",
        "first_applicants month 2023-02-01..2023-02-28",
        "As printed.",
    )
    before = file_digests(project, skip=("target",))

    built = kerncijfers(project, "build")
    assert built.returncode == 1
    assert built.stderr.splitlines() == [
        f"error: {findings}:{line}: the review of complete_breakdown_sums_to_100 "
        "(first_applicants_by_nationality_month · "
        "first_applicants month 2023-02-01..2023-02-28) names the document "
        "'kerncijfers-2023-02-000000000000', which is not stored (raw_source_documents.csv lists no "
        "such document). Give the document_id of the finding it reviews, or remove the row"
    ]
    assert not (project / "warehouse").exists() and "dbt" not in built.stdout
    assert file_digests(project, skip=("target",)) == before


def test_a_matching_correction_and_a_review_of_a_stored_document_pass(tmp_path: Path) -> None:
    """The shipped project (its review of January 2023) with a correction of one of its figures:
    nothing to refuse."""
    project = copy_project(tmp_path / "project")
    (project / CORRECTIONS).write_text(
        HEADER + f"{JAN},nationality_share,family_reunification,rolling_12m,OTHER,20,misprint,2026-12-03\n",
        encoding="utf-8",
    )
    preflight(Project(project))
