"""The SQL of the models follows the project's style (CONTRIBUTING.md, "SQL"), as sqlfluff checks it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def test_models_pass_sqlfluff(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(Path(sys.executable).with_name("sqlfluff")), "lint", "models", "--format", "json", "--nofail"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        # The dbt templater compiles the project; keep its warehouse out of the work tree.
        env={**os.environ, "KERNCIJFERS_BUILD_DATABASE": str(tmp_path / "lint.duckdb")},
    )
    files = json.loads(result.stdout)
    assert len(files) >= 20, result.stderr[-2000:]
    violations = [
        f"{f['filepath']}:{v['start_line_no']} {v['code']} {v['description']}"
        for f in files
        for v in f["violations"]
    ]
    assert violations == []
