"""The layout keeps each part to its job (docs/architecture.md): `core/` holds what both packages
stand on, `ingest/` ingests, `kerncijfers/` does everything after it and asks the ingest only
through `ingest/api.py`; no module imports itself back through others; data lives outside the
packages, and the code is formatted as ruff formats it."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGES = ("core", "ingest", "kerncijfers")
# What `kerncijfers` may import of the ingest: its public face, nothing else.
INGEST_ENTRY = "ingest.api"


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for package in PACKAGES for path in _modules(package)}


def _known(name: str) -> str | None:
    """The module of this project that an import of `name` runs: the longest known prefix."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        if ".".join(parts[:end]) in MODULES:
            return ".".join(parts[:end])
    return None


def _project_imports(path: Path) -> set[str]:
    """The project's modules `path` imports, at its top or inside a function alike. `from a.b import
    c` imports the module a.b.c when there is one, else names of a.b."""
    package = _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]
    found: set[str | None] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {_known(alias.name) for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the package the module stands in
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in MODULES else _known(base))
    return {name for name in found if name is not None} - {_module_name(path)}


GRAPH = {name: _project_imports(path) for name, path in MODULES.items()}


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every set of modules that import one another, directly or through others (the strongly
    connected components of more than one module, by Tarjan's algorithm), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(circles)


def test_no_module_imports_itself_back() -> None:
    """No import circle in core/, ingest/ or kerncijfers/, counting the imports inside functions,
    which would otherwise hide one (store.py and verify.py, build.py and postgres.py did)."""
    assert _circles(GRAPH) == []


def test_the_circle_finder_finds_circles() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"f"}, "f": {"e"}}
    assert _circles(graph) == [["a", "b", "c"], ["e", "f"]]
    assert _circles({"a": {"b"}, "b": set()}) == []


def _reaching(package: str, into: str) -> dict[str, list[str]]:
    return {
        name: sorted(target for target in targets if target.split(".")[0] == into)
        for name, targets in GRAPH.items()
        if name.split(".")[0] == package and any(target.split(".")[0] == into for target in targets)
    }


def test_core_stands_on_nothing_of_the_packages_above_it() -> None:
    assert _reaching("core", "ingest") == {}
    assert _reaching("core", "kerncijfers") == {}


def test_kerncijfers_asks_the_ingest_only_through_its_entry() -> None:
    """`kerncijfers` imports `ingest/api.py`, never the ingest's modules themselves: what the
    warehouse asks of the ingest is read in one place."""
    reaching = _reaching("kerncijfers", "ingest")
    beyond = {name: targets for name, targets in reaching.items() if targets != [INGEST_ENTRY]}
    assert beyond == {}
    assert reaching, "no kerncijfers module uses the ingest: the rule above would test nothing"


def test_a_build_calls_the_ingest_once() -> None:
    """The build asks the ingest for its seeds in one call (`seeds_for_build`: re-parse, verify)."""
    taken = {
        (path.name, alias.name)
        for path in _modules("kerncijfers/pipeline")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.module == INGEST_ENTRY
        for alias in node.names
    }
    assert taken == {("build.py", "seeds_for_build")}
    build = ast.parse((ROOT / "kerncijfers" / "pipeline" / "build.py").read_text(encoding="utf-8"))
    calls = [
        node
        for node in ast.walk(build)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "seeds_for_build"
    ]
    assert len(calls) == 1


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize(
    "path", _modules("core") + _modules("ingest"), ids=lambda p: str(p.relative_to(ROOT))
)
def test_ingest_does_not_reach_into_the_warehouse(path: Path) -> None:
    """Ingestion reads documents and writes seeds: no dbt, DuckDB, expectations or report — nor
    does `core/`, which it stands on."""
    forbidden = ("kerncijfers", "duckdb", "dbt", "great_expectations", "pandas")
    reached = sorted(name for name in _imports(path) if name.split(".")[0] in forbidden)
    assert reached == [], f"{path.relative_to(ROOT)} imports {reached}"


# A module longer than this does several jobs, or one that wants splitting.
MAX_MODULE_LINES = 400


def test_every_module_is_short_enough_to_do_one_job() -> None:
    lengths = {
        str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
        for path in MODULES.values()
    }
    assert {name: lines for name, lines in lengths.items() if lines > MAX_MODULE_LINES} == {}


def test_no_data_inside_a_python_package() -> None:
    """Stored documents, expectation suites and screenshots live in folders of their own."""
    found = [
        str(path.relative_to(ROOT))
        for package in PACKAGES
        for path in (ROOT / package).rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc")
    ]
    assert found == []


def test_opening_the_warehouse_does_not_import_the_parser() -> None:
    """Nor does starting the command: only the commands that read documents load the ingest."""
    code = (
        "import sys, kerncijfers.cli, kerncijfers.warehouse, kerncijfers.export, kerncijfers.pipeline.summary; "
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('ingest'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == []  # not even `ingest.api`, which loads the parser


def test_python_is_formatted_and_linted_by_ruff() -> None:
    ruff = str(Path(sys.executable).with_name("ruff"))
    formatted = subprocess.run([ruff, "format", "--check", "."], cwd=ROOT, capture_output=True, text=True)
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr
    linted = subprocess.run([ruff, "check", "."], cwd=ROOT, capture_output=True, text=True)
    assert linted.returncode == 0, linted.stdout + linted.stderr


# Paths the documentation names that a build or a run creates, rather than the repository.
GENERATED = ("warehouse/", "target/", "logs/", ".venv/")
# The changelog names old locations on purpose.
DOCS = ["README.md", "CONTRIBUTING.md", "docs/architecture.md"]
TOP_LEVEL = {path.name for path in ROOT.iterdir()} | {"ingest", "kerncijfers"}


@pytest.mark.parametrize("name", DOCS)
def test_every_path_the_documentation_names_exists(name: str) -> None:
    """A clone holds everything its documentation refers to (no `../shared`, no moved files)."""
    text = (ROOT / name).read_text(encoding="utf-8")
    named = set(re.findall(r"`((?:[\w.-]+/)+[\w.-]*)`", text))
    repository_paths = {p for p in named if p.split("/")[0] in TOP_LEVEL and not p.startswith(GENERATED)}
    missing = sorted(p for p in repository_paths if not (ROOT / p).exists())
    assert missing == [], f"{name} names paths the repository does not have: {missing}"
    assert "../shared" not in text and "STYLE.md" not in text and "TOOLING.md" not in text
