"""`make docs`: dbt's documentation as one offline file, opened in headless Chromium as a reader
opens it. Its own module (not the report's `history` group), so that either worker may take it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.chromium import run_chromium
from tests.conftest import full_build


def test_the_dbt_docs_open_on_the_overview(built_project: tuple[Path, Path, str], tmp_path: Path) -> None:
    """`make docs` writes dbt's documentation as one offline file; in Chromium, from a file, it
    opens on the warehouse's own overview (models/overview.md) with its marts and glossary, not on
    dbt's generic welcome page."""
    project, warehouse, _ = built_project
    database = tmp_path / "docs.duckdb"
    shutil.copy(full_build(warehouse), database)  # dbt opens it for writing: a copy of its own
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("dbt")),
            "docs",
            "generate",
            "--static",
            "--no-compile",  # the build's manifest, as `make docs` right after `make build`
            "--project-dir",
            str(project),
            "--profiles-dir",
            str(project / "profiles"),
            "--log-level-file",
            "none",
        ],
        env={**os.environ, "KERNCIJFERS_BUILD_DATABASE": str(database)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:]
    page = tmp_path / "kerncijfers-docs.html"
    shutil.copy(project / "target" / "static_index.html", page)
    dom = run_chromium(tmp_path / "profile-docs", "--virtual-time-budget=5000", "--dump-dom", page.as_uri())
    assert "Kerncijfers asiel en migratie — the warehouse</h1>" in dom
    assert "Glossary</h2>" in dom and "<td>nareizigers</td>" in dom
    assert "fct_dublin_funnel" in dom
