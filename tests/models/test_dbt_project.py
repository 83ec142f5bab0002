"""The dbt project's yml as a reader of the marts and a maintainer meet it: every mart declared in a
yml of its own, every column description written once (doc blocks in models/docs/ for those that
repeat), and dbt parsing the project into public marts with enforced contracts."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import ROOT
from tests.dbt_yml import DOC_REFERENCE, MARTS, doc_blocks, mart_files, mart_specs, rendered

# Every yml that describes columns: models, seeds (and sources, should the project get any).
DESCRIBED = ("models", "seeds", "snapshots")


def _described_columns() -> list[tuple[str, str, str, str]]:
    """(file, node, column, description) of every described column in the project's ymls."""
    found = []
    for folder in DESCRIBED:
        for path in sorted((ROOT / folder).rglob("*.yml")):
            spec = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            nodes: list[dict[str, Any]] = []
            for kind in ("models", "seeds", "snapshots"):
                nodes += spec.get(kind) or []
            for source in spec.get("sources") or []:
                nodes += source.get("tables") or []
            for node in nodes:
                for column in node.get("columns") or []:
                    if column.get("description"):
                        where = str(path.relative_to(ROOT))
                        found.append((where, node["name"], column["name"], str(column["description"])))
    return found


def test_every_mart_is_declared_in_a_yml_of_its_own() -> None:
    models = {path.stem for path in MARTS.iterdir() if path.suffix in (".sql", ".py")}
    files = mart_files()
    assert set(files) == models, "each models/marts/<mart>.sql needs models/marts/<mart>.yml, and back"
    for name, path in files.items():
        declared = [model["name"] for model in yaml.safe_load(path.read_text(encoding="utf-8"))["models"]]
        assert declared == [name], f"{path.name} declares {declared}"
    # The other ymls of the folder (exposures, the semantic layer) declare no model.
    for path in MARTS.glob("_*.yml"):
        assert "models" not in yaml.safe_load(path.read_text(encoding="utf-8")), path.name


def test_no_column_description_is_written_out_twice() -> None:
    """A description that two columns share is a doc block: written once, in models/docs/, and
    referred to. A lone `{{ doc('...') }}` may repeat; any other text may not (after joining its
    lines), so two wordings of one thing cannot drift apart unnoticed."""
    places: dict[str, list[str]] = defaultdict(list)
    for where, node, column, description in _described_columns():
        text = " ".join(description.split())
        if DOC_REFERENCE.fullmatch(text):
            continue
        places[text].append(f"{where}: {node}.{column}")
    repeated = {text: where for text, where in places.items() if len(where) > 1}
    assert not repeated, "write these once, as a doc block in models/docs/:\n" + "\n".join(
        f"{text!r}: {', '.join(where)}" for text, where in repeated.items()
    )


def test_a_column_named_for_a_doc_block_refers_to_it() -> None:
    """A column named like a doc block (`document_id`, `nationality_code`, ...) takes its
    description from it, or from one of its variants (`reference_month__window`), with at most a
    sentence of its own after it."""
    blocks = doc_blocks()
    stray = []
    for where, node, column, description in _described_columns():
        if column not in blocks:
            continue
        used = DOC_REFERENCE.findall(description)
        if not any(name == column or name.startswith(column + "__") for name in used):
            stray.append(f"{where}: {node}.{column} (use {{{{ doc('{column}') }}}})")
    assert not stray, "\n".join(stray)


def test_every_doc_reference_names_a_block_and_every_block_is_used() -> None:
    blocks = doc_blocks()
    missing = [
        f"{where}: {node}.{column} refers to {name}"
        for where, node, column, description in _described_columns()
        for name in DOC_REFERENCE.findall(description)
        if name not in blocks
    ]
    assert not missing, "\n".join(missing)
    # A block nothing refers to any more (its column dropped or renamed) is text no reader sees.
    used = {
        name
        for folder in DESCRIBED
        for path in (ROOT / folder).rglob("*.yml")
        for name in DOC_REFERENCE.findall(path.read_text(encoding="utf-8"))
    }
    assert sorted(set(blocks) - used - {"__overview__"}) == []


def test_dbt_parses_the_project_into_public_marts(tmp_path: Path) -> None:
    """`dbt parse` accepts the project (its require-dbt-version, the doc blocks every reference
    names), and the manifest has each mart public, under an enforced contract, with the
    descriptions its yml and the doc blocks give: what persist_docs writes beside the data."""
    env = {**os.environ, "KERNCIJFERS_BUILD_DATABASE": str(tmp_path / "parse.duckdb")}
    command = [
        str(Path(sys.executable).parent / "dbt"),
        "parse",
        "--project-dir",
        str(ROOT),
        "--profiles-dir",
        str(ROOT / "profiles"),
        "--target-path",
        str(tmp_path / "target"),
        "--log-path",
        str(tmp_path / "logs"),
        "--no-partial-parse",
    ]
    parsed = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    assert parsed.returncode == 0, parsed.stdout + parsed.stderr
    nodes = json.loads((tmp_path / "target" / "manifest.json").read_text(encoding="utf-8"))["nodes"]
    blocks = doc_blocks()
    specs = mart_specs()
    published = {
        node["name"]: node
        for node in nodes.values()
        if node["resource_type"] == "model" and node["schema"] == "marts"
    }
    assert set(published) == {name for name, spec in specs.items() if "config" not in spec}
    assert len(published) == 15
    for name, node in published.items():
        assert node["access"] == "public", name
        assert node["config"]["contract"]["enforced"], name
        columns = specs[name]["columns"]
        assert list(node["columns"]) == [column["name"] for column in columns], name
        for column in columns:
            description = node["columns"][column["name"]]["description"]
            assert description.strip() == rendered(column["description"], blocks).strip(), (
                name,
                column["name"],
            )
            assert description and not re.search(r"\{\{|\{%", description), (name, column["name"])
    # The semantic layer's time spine is no mart: not public, for no other project to build on.
    spine = nodes["model.kerncijfers.metricflow_time_spine"]
    assert (spine["schema"], spine["access"]) == ("semantic", "protected")
