"""Shared fixtures: the project root, the bundled real document and the test documents."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.warehouse import Build

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
TEST_DOCUMENTS = FIXTURES / "documents"
# The January 2023 publication, bundled as the project's first document (content-addressed).
JANUARY_2023 = ROOT / "documents" / "4f0d79c6a2f3e9b254eccedc6faf7a07a85162acb23660a19e6a402aeac4b483.txt"
# The Great Expectations suites (gx/expectations/), one per dataset the checks judge.
GX_DIR = ROOT / "gx"


def pytest_configure(config: pytest.Config) -> None:
    """Two test workers already share the cores: reports in the tests draw their charts in their
    own process; tests/kerncijfers/test_renderers.py draws in drawing processes, as users'
    `kerncijfers report` does. (A hook, not module code: the benchmark imports this module and
    must draw as users do.)"""
    from kerncijfers.report.renderers import PROCESSES_ENV

    os.environ.setdefault(PROCESSES_ENV, "0")


@pytest.fixture
def empty_project(tmp_path: Path) -> Path:
    """A copy of the project's dbt files with no documents ingested yet."""
    return copy_project(tmp_path / "project", with_documents=False)


def copy_project(destination: Path, *, with_documents: bool = True, reviews: bool = True) -> Path:
    """A copy of the project (dbt files, seeds and, unless told otherwise, the stored documents
    with their raw seeds) to ingest into and build in isolation. Without `reviews` its
    reviewed_findings.csv is empty: the shipped review names the original January 2023, and a
    build refuses a review of a document that is not stored."""
    destination.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "dbt_project.yml", destination / "dbt_project.yml")
    folders = ["macros", "profiles", "models", "tests/dbt", "gx"]
    folders += ["documents"] if with_documents else []
    for folder in folders:
        if (ROOT / folder).exists():
            shutil.copytree(ROOT / folder, destination / folder)
    ignore = (
        None
        if with_documents
        else shutil.ignore_patterns("raw_source_documents.csv", "raw_published_figures.csv")
    )
    shutil.copytree(ROOT / "seeds", destination / "seeds", ignore=ignore)
    if not reviews:
        findings = destination / "seeds" / "reviewed" / "reviewed_findings.csv"
        findings.write_text(findings.read_text(encoding="utf-8").split("\n", 1)[0] + "\n", encoding="utf-8")
    return destination


def copy_built(built: tuple[Path, Path, str], destination: Path) -> tuple[Path, Path]:
    """A copy of the session's built project (`built_project`: its documents, seeds and
    published release) to change in isolation, without building it again: (project, warehouse)."""
    source, warehouse, _ = built
    shutil.copytree(
        source, destination, symlinks=True, ignore=shutil.ignore_patterns("rejected", "data_docs")
    )
    return destination, destination / warehouse.relative_to(source)


@pytest.fixture(scope="session")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """The project as `make build` builds it, on a temporary DuckDB file.

    Returns (project root, published warehouse file, build output: stdout and stderr as a
    terminal shows them); `full_build(warehouse)` is the build behind it, with every layer. Built
    once per test session (per worker).
    """
    project = copy_project(tmp_path_factory.mktemp("built") / "project")
    warehouse = project / "warehouse" / "test.duckdb"
    # `make build` itself (its Makefile, with this environment as its .venv), where the
    # environment is one `make` installed; the terminal output is then what a user sees.
    venv = Path(sys.prefix)
    installed = venv / ".installed"
    if installed.exists() and shutil.which("make"):
        for name in ("Makefile", "pyproject.toml"):
            shutil.copy2(ROOT / name, project / name)
        # Older than .installed, whatever git did to the checkout's: make must not install (into
        # this very environment, from the copy) in the middle of a test run.
        before = installed.stat().st_mtime - 60
        os.utime(project / "pyproject.toml", (before, before))
        command = ["make", "--no-print-directory", "build", f"VENV={venv}"]
    else:
        command = [sys.executable, "-m", "kerncijfers", "--project-dir", str(project), "build"]
    result = subprocess.run(
        command,
        env={**os.environ, "KERNCIJFERS_WAREHOUSE": str(warehouse)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
        cwd=project,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    return project, warehouse, result.stdout


def full_build(published: Path) -> Path:
    """The full build (raw, staging, intermediate, checks, marts) behind a published warehouse."""
    return published.parent / "build" / published.name


def _corrupt(rows: list[dict[str, str]]) -> None:
    """One corruption per check, each where no other check looks."""
    from tests.warehouse import set_value

    jan, dec, mar = "kerncijfers-2023-01-", "kerncijfers-2023-12-", "kerncijfers-2024-03-"
    set_value(rows, jan, "grant_rate", "120", subject="Afghanistan")
    set_value(
        rows, jan, "nationality_share", "96", subject="Syrië", population="first_applicants", window="month"
    )
    set_value(rows, jan, "departures_supervised_share", "60", population="criminal_aliens")
    set_value(rows, jan, "first_applications_rejected", "500")
    # Algeria (6 %) is listed but was no longer a safe country in 2023: a safe share of 3 % is fine.
    set_value(rows, jan, "safe_country_share", "3")
    # Morocco (4 %) is a safe country in December 2023: a safe share of 2 % cannot be.
    set_value(rows, dec, "safe_country_share", "2")
    set_value(rows, dec, "first_applications_handled", "100")
    set_value(rows, dec, "first_applications_rejected_dublin", "-10")
    set_value(
        rows,
        mar,
        "nationality_share",
        "11",
        subject="Overige nationaliteit",
        population="family_reunification",
        window="month",
    )
    set_value(rows, mar, "dublin_share", "45")
    set_value(rows, mar, "first_applications", "2215")


@pytest.fixture(scope="session")
def history(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """Several months and a revision (tests/warehouse.py `history_documents`), built once per
    session: the model tests of differencing and vintages, the metrics and the report's charts
    over time all read it."""
    from tests.warehouse import build_project, history_documents

    folder = tmp_path_factory.mktemp("history")
    build = build_project(folder / "project", history_documents(folder))
    assert build.returncode == 0, build.output[-3000:]
    return build


@pytest.fixture(scope="session")
def corrupted(tmp_path_factory: pytest.TempPathFactory):
    """A build of January 2023, December 2023 and March 2024 with one corruption per check, judged
    inside dbt too (check_findings): tests/kerncijfers/test_checks.py judges it with the worker's
    code, tests/reliability/test_dbt_gate.py compares the two verdicts (one group, one build)."""
    from tests.warehouse import build_project

    folder = tmp_path_factory.mktemp("corrupted")
    documents = [
        JANUARY_2023,
        TEST_DOCUMENTS / "kerncijfers-2023-12.txt",
        TEST_DOCUMENTS / "kerncijfers-2024-03.txt",
    ]
    return build_project(folder / "project", documents, edit_figures=_corrupt, judge=True)


# In a parallel run (`make test`: pytest-xdist) each test module runs whole on one worker, so
# that its module- and session-scoped builds are made once there; modules that read the same
# expensive build say so with a group of their own (`pytestmark = pytest.mark.xdist_group("history")`).
#
# pytest-xdist's own `--dist loadgroup` cannot do this with pytest 9: it marks a test's group by
# rewriting `item._nodeid`, which pytest 9 no longer reads, so every test was scheduled alone and
# a module's builds were made on both workers. The scheduler below groups by module (or by the
# module's xdist_group) itself, reading the groups from the test files on the controller.
_GROUP_MARK = re.compile(r"""^pytestmark = pytest\.mark\.xdist_group\(["'](\w+)["']\)""", re.M)


def _module_groups() -> dict[str, str]:
    groups = {}
    for path in (ROOT / "tests").rglob("test_*.py"):
        found = _GROUP_MARK.search(path.read_text(encoding="utf-8"))
        if found:
            groups[path.relative_to(ROOT).as_posix()] = found.group(1)
    return groups


# The modules (and groups) that build warehouses, costliest first: scheduled first, so that the
# two workers end together rather than one waiting for the other's last build. A module not named
# here is cheap and comes after them, in file order.
COSTLIEST_FIRST = (
    "postgres",
    "second_sources",
    "one_publication_per_month",
    "dbt_gate",
    "tests/reliability/test_gate.py",
    "tests/reliability/test_fuzz.py",
    "history",
    "tests/reliability/test_faults.py",
    "tests/reliability/test_disk_full.py",
    "tests/reliability/test_pipes.py",
    "tests/kerncijfers/test_readers_file.py",
    "tests/kerncijfers/test_release_report.py",
    "tests/kerncijfers/test_docs_page.py",
    "tests/models/test_corrections.py",
    "tests/models/test_sql_style.py",
    "tests/project/test_adding_a_family.py",
    "tests/project/test_adding_a_check.py",
    "tests/core/test_labels.py",
    "tests/reliability/test_data_truth.py",
    "tests/models/test_unknown_labels.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    groups = _module_groups()
    rank = {name: number for number, name in enumerate(COSTLIEST_FIRST)}

    def cost_rank(item: pytest.Item) -> int:
        module = item.nodeid.split("::", 1)[0]
        return rank.get(groups.get(module, module), len(rank))

    items.sort(key=cost_rank)  # stable: file order within a rank


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):  # noqa: ANN001, ANN201 - pytest-xdist's hook signature
    from xdist.scheduler import LoadScopeScheduling

    groups = _module_groups()
    config.option.loadscopereorder = False  # the order of the collection: COSTLIEST_FIRST

    class ModuleGroupScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return groups.get(module, module)

    return ModuleGroupScheduling(config, log)


# The fuzz counts of this process, and (on the controller of a parallel run, pytest-xdist) those
# its workers handed back when they finished.
_WORKER_FUZZ: Counter[str] = Counter()


def _fuzz_outcomes() -> Counter[str]:
    module = sys.modules.get("tests.reliability.test_fuzz")
    return Counter(getattr(module, "FUZZ_OUTCOMES", None) or {}) + _WORKER_FUZZ


def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:  # a pytest-xdist worker: hand the counts to the controller
        workeroutput["fuzz_outcomes"] = dict(_fuzz_outcomes())


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:  # noqa: ANN001 - pytest-xdist's hook signature
    _WORKER_FUZZ.update(getattr(node, "workeroutput", {}).get("fuzz_outcomes", {}))


def pytest_terminal_summary(terminalreporter) -> None:  # noqa: ANN001 - pytest's hook signature
    """How many fuzz cases ran and how they ended (tests/reliability/test_fuzz.py)."""
    outcomes = _fuzz_outcomes()
    if outcomes:
        terminalreporter.write_sep("-", "fuzzing")
        for outcome, count in sorted(outcomes.items()):
            terminalreporter.write_line(f"{count:5d}  {outcome}")
        terminalreporter.write_line(f"{sum(outcomes.values()):5d}  cases in all")


# The PostgreSQL build (tests/kerncijfers/test_postgres.py, tests/kerncijfers/test_bi_connections.py), skipped without a
# server; imported last, as it builds on copy_project above.
from tests.postgres_build import bi, postgres_build  # noqa: E402,F401
