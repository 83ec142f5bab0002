"""Time to ingest one document: read + find figures, and the full ingest with its atomic write.

Prints figures; asserts nothing. Run with `make bench-ingest`.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.project import Project  # noqa: E402
from ingest.figures import extract  # noqa: E402
from ingest.reading import read_document  # noqa: E402
from ingest.store import ingest  # noqa: E402
from tests.conftest import JANUARY_2023  # noqa: E402
from tests.pdfs import text_pdf  # noqa: E402


def _timed(action, repeat: int) -> list[float]:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return timings


def _report(name: str, timings: list[float]) -> None:
    median = statistics.median(timings) * 1000
    p95 = sorted(timings)[max(0, int(len(timings) * 0.95) - 1)] * 1000
    print(f"{name:<42} median {median:8.2f} ms   p95 {p95:8.2f} ms   ({len(timings)} runs)")


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        pdf = text_pdf(JANUARY_2023.read_text(encoding="utf-8"), work / "januari-2023.pdf")
        _report(
            "read + extract, text (January 2023)", _timed(lambda: extract(read_document(JANUARY_2023)), 200)
        )
        _report("read + extract, PDF (January 2023)", _timed(lambda: extract(read_document(pdf)), 30))

        def fresh_ingest() -> None:
            project_dir = work / "project"
            shutil.rmtree(project_dir, ignore_errors=True)
            project = Project(project_dir)
            project.seeds_dir.mkdir(parents=True)
            # The registry of figure families is part of a project: the ingest checks every figure
            # against it.
            project.families_seed.parent.mkdir(parents=True)
            shutil.copyfile(Project(ROOT).families_seed, project.families_seed)
            ingest(project, [JANUARY_2023])

        _report("ingest into an empty project (with fsync)", _timed(fresh_ingest, 50))
        project = Project(work / "project")
        _report("ingest again (unchanged, no write)", _timed(lambda: ingest(project, [JANUARY_2023]), 100))


if __name__ == "__main__":
    main()
