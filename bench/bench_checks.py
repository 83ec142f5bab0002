"""How long the expectations take on a build. Prints figures; asserts nothing.

Usage: bench/bench_checks.py [BUILD]   (default: warehouse/build/kerncijfers.duckdb, the full build
behind the published warehouse; run make build first)
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    warehouse = (
        Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "warehouse" / "build" / "kerncijfers.duckdb"
    )
    start = time.perf_counter()
    import great_expectations  # noqa: F401

    print(f"import great_expectations                 {1000 * (time.perf_counter() - start):8.0f} ms")
    from kerncijfers.checks import run_checks

    for docs in (False, True):
        timings = []
        for _ in range(3):
            with tempfile.TemporaryDirectory() as folder:
                start = time.perf_counter()
                report = run_checks(
                    warehouse, ROOT / "gx", data_docs_dir=Path(folder) / "docs" if docs else None
                )
                timings.append(time.perf_counter() - start)
        label = "suite + Data Docs" if docs else "suite only"
        print(
            f"{label:<40} {1000 * statistics.median(timings):8.0f} ms median of 3 "
            f"({report.checks_run} checks)"
        )


if __name__ == "__main__":
    main()
