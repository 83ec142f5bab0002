"""The dbt project's yml as tests read it: each mart's own file (models/marts/<mart>.yml) and the
descriptions with their doc blocks (models/docs/*.md) filled in, as dbt renders them."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import ROOT

MARTS = ROOT / "models" / "marts"
# `{% docs name %} ... {% enddocs %}`: dbt strips the text between the tags.
DOC_BLOCK = re.compile(r"\{%-?\s*docs\s+(\w+)\s*-?%\}(.*?)\{%-?\s*enddocs\s*-?%\}", re.S)
DOC_REFERENCE = re.compile(r"\{\{\s*doc\(\s*['\"](\w+)['\"]\s*\)\s*\}\}")


def mart_files(root: Path = ROOT) -> dict[str, Path]:
    """Each model's yml in models/marts/, by model name: the files not named with a leading
    underscore (those hold the exposures and the semantic layer)."""
    return {path.stem: path for path in sorted((root / "models" / "marts").glob("[!_]*.yml"))}


def mart_specs(root: Path = ROOT) -> dict[str, dict[str, Any]]:
    """Each mart's entry in its own yml (the one model the file declares), by model name."""
    specs = {}
    for path in mart_files(root).values():
        (model,) = yaml.safe_load(path.read_text(encoding="utf-8"))["models"]
        specs[model["name"]] = model
    return specs


def doc_blocks(root: Path = ROOT) -> dict[str, str]:
    """Every doc block of the project's models/ folder, by name, its text stripped as dbt does."""
    blocks: dict[str, str] = {}
    for path in sorted((root / "models").rglob("*.md")):
        for name, text in DOC_BLOCK.findall(path.read_text(encoding="utf-8")):
            blocks[name] = text.strip()
    return blocks


def rendered(description: str, blocks: dict[str, str]) -> str:
    """A description with each `{{ doc('name') }}` replaced by its block's text."""
    return DOC_REFERENCE.sub(lambda match: blocks[match.group(1)], description)
