"""Where a project keeps what the ingest manages.

Relative to the project root (the folder with `dbt_project.yml`):

- `documents/<sha256>.<pdf|txt>`: the unchanged copy of every document, content-addressed;
- `seeds/raw/raw_source_documents.csv`: the manifest, one row per document;
- `seeds/raw/raw_published_figures.csv`: every figure, one row per document and figure;
- `seeds/reference/ref_figure_families.csv`: the registry of figure families the parser may find;
- `sources/cbs/<sha256>.json`: every response of CBS StatLine fetched (`kerncijfers fetch cbs`),
  unchanged and content-addressed; `seeds/raw/raw_cbs_responses.csv` lists them and
  `seeds/raw/raw_cbs_asylum_requests.csv` holds their month rows;
- `.kerncijfers.lock`: held by every run that changes the project.

This module only knows paths: opening the warehouse or reading a seed needs nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from core.errors import IngestError

# The checkout this package lives in: the project `kerncijfers figures` uses when it is run
# outside any project folder.
PACKAGE_PROJECT = Path(__file__).resolve().parents[1]

# The seed folders, relative to a project's root (messages name them so).
RAW_SEEDS = Path("seeds") / "raw"
REFERENCE_SEEDS = Path("seeds") / "reference"
REVIEWED_SEEDS = Path("seeds") / "reviewed"


@dataclass(frozen=True)
class Project:
    """Where a project keeps its documents, seeds and lock."""

    root: Path

    @property
    def documents_dir(self) -> Path:
        return self.root / "documents"

    @property
    def seeds_dir(self) -> Path:
        return self.root / RAW_SEEDS

    @property
    def documents_seed(self) -> Path:
        return self.seeds_dir / "raw_source_documents.csv"

    @property
    def figures_seed(self) -> Path:
        return self.seeds_dir / "raw_published_figures.csv"

    @property
    def cbs_dir(self) -> Path:
        return self.root / "sources" / "cbs"

    @property
    def cbs_responses_seed(self) -> Path:
        return self.seeds_dir / "raw_cbs_responses.csv"

    @property
    def cbs_rows_seed(self) -> Path:
        return self.seeds_dir / "raw_cbs_asylum_requests.csv"

    @property
    def families_seed(self) -> Path:
        return self.root / REFERENCE_SEEDS / "ref_figure_families.csv"

    @property
    def reviewed_corrections_seed(self) -> Path:
        return self.root / REVIEWED_SEEDS / "reviewed_corrections.csv"

    @property
    def reviewed_findings_seed(self) -> Path:
        return self.root / REVIEWED_SEEDS / "reviewed_findings.csv"

    @property
    def suites_dir(self) -> Path:
        return self.root / "gx"

    @property
    def journal(self) -> Path:
        return self.seeds_dir / ".ingest-journal.json"

    @property
    def lock_file(self) -> Path:
        return self.root / ".kerncijfers.lock"

    @classmethod
    def at(cls, folder: Path) -> Project:
        """The project at `folder` (a --project-dir): refused, before anything is created there,
        unless it is an existing folder holding dbt_project.yml."""
        root = folder.expanduser().resolve()
        if not root.is_dir():
            raise IngestError(folder, "no such folder: check --project-dir")
        if not (root / "dbt_project.yml").is_file():
            raise IngestError(
                folder, "not a kerncijfers project (it has no dbt_project.yml): check --project-dir"
            )
        return cls(root)

    def check_folders(self) -> None:
        """The folders the ingest writes are real folders inside the project, not links. The
        journal refuses any target outside the project before it writes (core/journal.py);
        this says earlier, before any document is parsed, which folder is a link and what to do."""
        for folder in (
            self.root / "seeds",
            self.seeds_dir,
            self.documents_dir,
            self.root / "sources",
            self.cbs_dir,
        ):
            if folder.is_symlink():
                raise IngestError(
                    folder,
                    "is a symbolic link; the ingest writes only to real folders inside the project. "
                    "Replace the link with the folder it points to",
                )
            if folder.exists() and not folder.is_dir():
                raise IngestError(folder, "is not a folder; move it away and run again")

    @classmethod
    def find(cls, start: Path | None = None) -> Project:
        """The project around the current directory: the nearest folder with dbt_project.yml."""
        here = (start or Path.cwd()).resolve()
        for folder in (here, *here.parents):
            if (folder / "dbt_project.yml").is_file():
                return cls(folder)
        raise IngestError(here, "not inside a kerncijfers project (no dbt_project.yml found)")

    @classmethod
    def find_or_packaged(cls, start: Path | None = None) -> Project:
        """The project around the current directory, else the checkout holding this package."""
        try:
            return cls.find(start)
        except IngestError:
            if (PACKAGE_PROJECT / "dbt_project.yml").is_file():
                return cls(PACKAGE_PROJECT)
            raise
