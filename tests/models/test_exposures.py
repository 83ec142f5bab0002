"""dbt exposures name the BI consumers of the marts: each reads marts only, and every fct_/dim_
mart has at least one consumer, so that a change to a mart shows who is affected."""

from __future__ import annotations

import json
from pathlib import Path


def test_exposures_cover_the_marts(built_project: tuple[Path, Path, str]) -> None:
    project, _, _ = built_project
    manifest = json.loads((project / "target" / "manifest.json").read_text(encoding="utf-8"))
    exposures = manifest["exposures"].values()
    assert {exposure["type"] for exposure in exposures} >= {"dashboard", "analysis"}
    marts = {
        unique_id
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and node["name"].startswith(("fct_", "dim_"))
    }
    used: set[str] = set()
    for exposure in exposures:
        assert exposure["owner"]["name"] and exposure["description"].strip(), exposure["name"]
        depends_on = set(exposure["depends_on"]["nodes"])
        assert depends_on and depends_on <= marts, f"{exposure['name']} reads {depends_on - marts}"
        used |= depends_on
    assert used == marts, f"marts without a consumer: {sorted(marts - used)}"
