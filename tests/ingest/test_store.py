"""Storing documents and figures: idempotence, vintages, refusals that write nothing, re-parsing."""

from __future__ import annotations

import csv
import hashlib
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from core.errors import IngestError
from core.project import Project
from ingest.figures import PARSER_VERSION
from ingest.store import ingest, reingest_stored
from tests.conftest import JANUARY_2023, TEST_DOCUMENTS

NOW = datetime(2023, 2, 14, 9, 30, tzinfo=UTC)


def _state(project: Project) -> dict[str, str]:
    """Every file the ingest manages, by path, as a hash of its bytes."""
    files = [*project.seeds_dir.glob("raw_*.csv"), *project.documents_dir.glob("*")]
    return {str(p.relative_to(project.root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _revised_january(tmp_path: Path) -> Path:
    """January 2023 republished with the first applications revised from 2.490 to 2.500."""
    text = JANUARY_2023.read_text(encoding="utf-8").replace("circa 2.490", "circa 2.500")
    path = tmp_path / "januari-2023-herzien.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_ingest_writes_manifest_figures_and_an_unchanged_copy(empty_project: Path) -> None:
    project = Project(empty_project)
    report = ingest(project, [JANUARY_2023], published_on=date(2023, 2, 14), now=NOW)
    assert report.added == ["kerncijfers-2023-01-4f0d79c6a2f3"]

    (document,) = _rows(project.documents_seed)
    assert document == {
        "document_id": "kerncijfers-2023-01-4f0d79c6a2f3",
        "reference_month": "2023-01-01",
        "vintage": "1",
        "title": "Kerncijfers asiel en migratie januari 2023",
        "publisher": "Ministerie van Justitie en Veiligheid",
        "source_url": "",
        "published_on": "2023-02-14",
        "sha256": hashlib.sha256(JANUARY_2023.read_bytes()).hexdigest(),
        "size_bytes": str(JANUARY_2023.stat().st_size),
        "media_type": "text/plain",
        "stored_path": f"documents/{JANUARY_2023.name}",
        "parser_version": PARSER_VERSION,
        "ingested_at": "2023-02-14 09:30:00",
    }
    assert (project.root / document["stored_path"]).read_bytes() == JANUARY_2023.read_bytes()

    figures = _rows(project.figures_seed)
    assert len(figures) == 39
    assert [int(f["figure_seq"]) for f in figures] == list(range(1, 40))
    first = figures[0]
    assert (
        first["figure_code"],
        first["value"],
        first["is_approximate"],
        first["rounding_unit"],
        first["source_line"],
    ) == ("first_applications", "2490", "true", "10", "42")


def test_ingesting_the_same_document_again_changes_nothing(empty_project: Path) -> None:
    project = Project(empty_project)
    ingest(project, [JANUARY_2023], now=NOW)
    before = _state(project)
    mtimes = {p: p.stat().st_mtime_ns for p in project.seeds_dir.glob("raw_*.csv")}
    report = ingest(project, [JANUARY_2023, JANUARY_2023])
    assert report.unchanged == ["kerncijfers-2023-01-4f0d79c6a2f3"] and not report.changed
    assert _state(project) == before
    assert {p: p.stat().st_mtime_ns for p in mtimes} == mtimes


def test_a_second_document_for_the_same_month_is_a_new_vintage(empty_project: Path, tmp_path: Path) -> None:
    project = Project(empty_project)
    ingest(project, [JANUARY_2023], now=NOW)
    report = ingest(project, [_revised_january(tmp_path)], now=NOW)
    (revised_id,) = report.added

    documents = _rows(project.documents_seed)
    assert [(d["reference_month"], d["vintage"]) for d in documents] == [
        ("2023-01-01", "1"),
        ("2023-01-01", "2"),
    ]
    first_applications = {
        f["document_id"]: f["value"]
        for f in _rows(project.figures_seed)
        if f["figure_code"] == "first_applications"
    }
    assert first_applications == {"kerncijfers-2023-01-4f0d79c6a2f3": "2490", revised_id: "2500"}
    assert len(_rows(project.figures_seed)) == 78


def test_several_months_are_kept_in_month_order(empty_project: Path) -> None:
    project = Project(empty_project)
    ingest(
        project,
        [
            TEST_DOCUMENTS / "kerncijfers-2024-03.txt",
            JANUARY_2023,
            TEST_DOCUMENTS / "kerncijfers-2023-12.txt",
        ],
        now=NOW,
    )
    months = [d["reference_month"] for d in _rows(project.documents_seed)]
    assert months == ["2023-01-01", "2023-12-01", "2024-03-01"]
    assert len(_rows(project.figures_seed)) == 39 + 50 + 32


def test_one_bad_file_in_a_batch_writes_nothing(empty_project: Path, tmp_path: Path) -> None:
    project = Project(empty_project)
    ingest(project, [JANUARY_2023], now=NOW)
    before = _state(project)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(IngestError, match="empty.txt: the file is empty"):
        ingest(project, [TEST_DOCUMENTS / "kerncijfers-2023-12.txt", empty])
    assert _state(project) == before


def test_conflicting_metadata_for_a_stored_document_is_refused(empty_project: Path) -> None:
    project = Project(empty_project)
    ingest(project, [JANUARY_2023], source_url="https://example.org/a.pdf", now=NOW)
    before = _state(project)
    with pytest.raises(
        IngestError,
        match="already stored as kerncijfers-2023-01-4f0d79c6a2f3 "
        "with source_url 'https://example.org/a.pdf'",
    ):
        ingest(project, [JANUARY_2023], source_url="https://example.org/b.pdf")
    assert _state(project) == before


def test_a_damaged_seed_is_refused_not_overwritten(empty_project: Path) -> None:
    project = Project(empty_project)
    ingest(project, [JANUARY_2023], now=NOW)
    project.figures_seed.write_text("document_id,value\nx,1\n", encoding="utf-8")
    before = _state(project)
    with pytest.raises(IngestError, match="raw_published_figures.csv:1: unexpected columns"):
        ingest(project, [TEST_DOCUMENTS / "kerncijfers-2023-12.txt"])
    assert _state(project) == before


def test_metadata_describes_the_files_given_not_the_stored_documents_read_again(empty_project: Path) -> None:
    """A parser change makes the stored January stale; ingesting December with its date and URL
    then reads January again, but dates only December."""
    project = Project(empty_project)
    ingest(project, [JANUARY_2023], now=NOW)
    manifest = project.documents_seed.read_text(encoding="utf-8").replace(f",{PARSER_VERSION},", ",0.9.0,")
    project.documents_seed.write_text(manifest, encoding="utf-8")
    report = ingest(
        project,
        [TEST_DOCUMENTS / "kerncijfers-2023-12.txt"],
        source_url="https://example.org/december.pdf",
        published_on=date(2024, 1, 15),
    )
    assert report.reparsed == ["kerncijfers-2023-01-4f0d79c6a2f3"] and report.described == []
    dates = {
        row["reference_month"]: (row["published_on"], row["source_url"])
        for row in _rows(project.documents_seed)
    }
    assert dates == {
        "2023-01-01": ("", ""),
        "2023-12-01": ("2024-01-15", "https://example.org/december.pdf"),
    }


def test_a_stored_document_is_dated_once_and_redated_only_when_asked(empty_project: Path) -> None:
    project = Project(empty_project)
    ingest(project, [JANUARY_2023], now=NOW)
    report = ingest(project, [JANUARY_2023], published_on=date(2023, 2, 15))
    assert report.described == [("kerncijfers-2023-01-4f0d79c6a2f3", "published_on 2023-02-15", None)]
    assert report.reparsed == report.added == []
    before = _state(project)
    with pytest.raises(IngestError, match="give --replace-metadata"):
        ingest(project, [JANUARY_2023], published_on=date(2023, 2, 16))
    assert _state(project) == before
    report = ingest(project, [JANUARY_2023], published_on=date(2023, 2, 16), replace_metadata=True)
    assert report.described == [("kerncijfers-2023-01-4f0d79c6a2f3", "published_on 2023-02-16", "2023-02-15")]
    assert _rows(project.documents_seed)[0]["published_on"] == "2023-02-16"


def test_reingest_stored_skips_documents_the_current_parser_has_read(empty_project: Path) -> None:
    project = Project(empty_project)
    ingest(project, [JANUARY_2023], now=NOW)
    # Same bytes and same parser version give the same figures: not parsed again.
    rows = project.figures_seed.read_text(encoding="utf-8").replace(",2490,", ",2491,")
    project.figures_seed.write_text(rows, encoding="utf-8")
    assert reingest_stored(project).unchanged == ["kerncijfers-2023-01-4f0d79c6a2f3"]
    assert ",2491," in project.figures_seed.read_text(encoding="utf-8")
    # `--stored` (force) parses every document again and rewrites what differs.
    report = reingest_stored(project, force=True)
    assert report.reparsed == ["kerncijfers-2023-01-4f0d79c6a2f3"]
    assert ",2490," in project.figures_seed.read_text(encoding="utf-8")
    # A document read by an older parser version is parsed again without force.
    manifest = project.documents_seed.read_text(encoding="utf-8").replace(f",{PARSER_VERSION},", ",0.9.0,")
    project.documents_seed.write_text(manifest, encoding="utf-8")
    assert reingest_stored(project).reparsed == ["kerncijfers-2023-01-4f0d79c6a2f3"]
    assert f",{PARSER_VERSION}," in project.documents_seed.read_text(encoding="utf-8")


def test_a_pdf_is_stored_unchanged_with_its_media_type(empty_project: Path, tmp_path: Path) -> None:
    from tests.pdfs import text_pdf

    project = Project(empty_project)
    pdf = text_pdf(JANUARY_2023.read_text(encoding="utf-8"), tmp_path / "januari-2023.pdf")
    (document_id,) = ingest(project, [pdf], now=NOW).added
    (row,) = _rows(project.documents_seed)
    assert row["media_type"] == "application/pdf"
    assert row["stored_path"].endswith(".pdf")
    assert (project.root / row["stored_path"]).read_bytes() == pdf.read_bytes()
    assert document_id == f"kerncijfers-2023-01-{hashlib.sha256(pdf.read_bytes()).hexdigest()[:12]}"
    assert len(_rows(project.figures_seed)) == 39
