"""The layers of the dbt project keep to their jobs (CONTRIBUTING.md, "SQL and dbt"): staging
models select from a seed and rename, and a seed's column types are declared where it is loaded
(dbt_project.yml), never cast again in staging."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import ROOT

STAGING = sorted((ROOT / "models" / "staging").rglob("*.sql"))
SEEDS = {path.stem for path in (ROOT / "seeds").rglob("*.csv")}


def _refs(model: Path) -> list[str]:
    return re.findall(r"ref\(\s*'(\w+)'\s*\)", model.read_text(encoding="utf-8"))


def test_staging_models_select_from_seeds_only() -> None:
    assert len(STAGING) >= 10
    lookups = {
        model.stem: [name for name in _refs(model) if name not in SEEDS]
        for model in STAGING
        if any(name not in SEEDS for name in _refs(model))
    }
    assert lookups == {}, "a lookup on another model belongs in models/intermediate/"


def test_staging_casts_no_seed_column() -> None:
    casts = {model.stem for model in STAGING if re.search(r"\bcast\s*\(", model.read_text(encoding="utf-8"))}
    assert casts == set(), "declare the seed's column type in dbt_project.yml instead"
