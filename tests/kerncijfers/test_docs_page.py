"""`make docs`: dbt's documentation as one offline file, opened in headless Chromium as a reader
opens it — on a desktop (1280 px) and on a phone (390 px). Its own module (not the report's
`history` group), so that either worker may take it."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.chromium import run_chromium
from tests.conftest import copy_built, full_build
from tests.warehouse import file_digests

MODEL_ROUTE = "#!/model/model.kerncijfers."


@pytest.fixture(scope="module")
def docs(built_project: tuple[Path, Path, str], tmp_path_factory: pytest.TempPathFactory) -> dict:
    """`make docs` run on a copy of the built project, as a user runs it after `make build`: its
    output, the page, the manifest it documents, and the build's files before and after."""
    project, warehouse = copy_built(built_project, tmp_path_factory.mktemp("docs") / "project")
    before = {
        "target": file_digests(project / "target"),
        "full build": file_digests(full_build(warehouse).parent),
    }
    venv = Path(sys.prefix)
    if (project / "Makefile").exists() and (venv / ".installed").exists() and shutil.which("make"):
        command = ["make", "--no-print-directory", "docs", f"VENV={venv}"]
    else:
        command = [sys.executable, "-m", "kerncijfers", "docs"]
    result = subprocess.run(
        command,
        cwd=project,
        env={**os.environ, "KERNCIJFERS_WAREHOUSE": str(warehouse)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    manifest = json.loads((project / "target" / "docs" / "manifest.json").read_text(encoding="utf-8"))
    return {
        "project": project,
        "warehouse": warehouse,
        "output": result.stdout,
        "page": warehouse.parent / "kerncijfers-docs.html",
        "manifest": manifest,
        "before": before,
    }


def test_make_docs_says_two_plain_lines_and_leaves_the_build_alone(docs: dict) -> None:
    """No colour codes, no dbt chatter (partial parsing, adapters, the catalogue): what it does,
    and where the page is, last. dbt documents a copy of the full build, in a target folder of its
    own: the build's artifacts and the full build itself are as they were."""
    project, page = docs["project"], docs["page"]
    assert docs["output"].splitlines() == [
        f"docs     dbt docs generate from warehouse/build/{docs['warehouse'].name} (about 20 s); log: logs/docs.log",
        f"documentation: {page}",
    ]
    assert page.is_file() and "Catalog written" in (project / "logs" / "docs.log").read_text(encoding="utf-8")
    assert file_digests(project / "target", skip=("docs",)) == docs["before"]["target"]
    assert file_digests(full_build(docs["warehouse"]).parent) == docs["before"]["full build"]
    assert not list((project / "target" / "docs").glob("*.duckdb*"))  # the copy is removed


def test_the_dbt_docs_open_on_the_overview(docs: dict, tmp_path: Path) -> None:
    """In Chromium, from a file, the page opens on the warehouse's own overview
    (models/overview.md) with its marts and glossary, not on dbt's generic welcome page."""
    dom = run_chromium(
        tmp_path / "profile", "--virtual-time-budget=5000", "--dump-dom", docs["page"].as_uri()
    )
    assert "Kerncijfers asiel en migratie — the warehouse</h1>" in dom
    assert "Glossary</h2>" in dom and "<td>nareizigers</td>" in dom
    assert "kerncijfers-docs-style" in dom


def _marts(manifest: dict) -> set[str]:
    return {
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["schema"] == "marts"
    }


def test_every_mart_the_overview_names_links_to_its_page(docs: dict, tmp_path: Path) -> None:
    """Each mart named in the overview (the marts table, the glossary, the text) is a link to its
    model's page — a route of dbt's docs to a model of the documented project — and every mart of
    the warehouse is named. A link followed opens that mart's page."""
    overview = docs["manifest"]["docs"]["doc.kerncijfers.__overview__"]["block_contents"]
    marts = _marts(docs["manifest"])
    assert "fct_dublin_funnel" in marts and "metricflow_time_spine" not in marts  # schema semantic
    named = re.findall(r"`((?:fct|dim)_[a-z_]+)(?:\.[a-z_0-9]+)?`", overview)
    linked = re.findall(
        r"\[`((?:fct|dim)_[a-z_]+)(?:\.[a-z_0-9]+)?`\]\(#!/model/model\.kerncijfers\.(\w+)\)", overview
    )
    assert len(linked) == len(named) > 30, set(named) - {mart for mart, _ in linked}
    assert all(mart == target for mart, target in linked), [pair for pair in linked if pair[0] != pair[1]]
    assert {mart for mart, _ in linked} == marts

    dom = run_chromium(
        tmp_path / "profile",
        "--virtual-time-budget=5000",
        "--dump-dom",
        docs["page"].as_uri() + MODEL_ROUTE + "fct_dublin_funnel",
    )
    description = docs["manifest"]["nodes"]["model.kerncijfers.fct_dublin_funnel"]["description"]
    assert html.escape(description.split(".")[0], quote=False) in dom
    assert "Kerncijfers asiel en migratie — the warehouse</h1>" not in dom


# Added to the page: measures the overview in the frame it is laid out in, for the test to read
# from the frame's parent.
_MEASURE = """<script>
window.addEventListener('load', () => setTimeout(() => {
  const overview = document.querySelector('[marked="overview_md"]');
  const right = window.innerWidth + 0.5;
  const cut = [...overview.querySelectorAll('*')]
    .filter(e => !e.closest('table') && e.getBoundingClientRect().right > right).map(e => e.tagName);
  const tables = [...overview.querySelectorAll('table')].map(t => ({
    right: t.getBoundingClientRect().right, fits: t.scrollWidth <= t.clientWidth + 1,
    scrolls: getComputedStyle(t).overflowX === 'auto',
    headings: [...t.querySelectorAll('th')].map(th => th.textContent.trim()),
    labels: [...t.rows[1].cells].map(td => getComputedStyle(td, '::before').content),
    widths: [...t.rows[1].cells].map(td => td.getBoundingClientRect().width)}));
  const out = parent.document.body.dataset;
  out.measured = JSON.stringify({viewport: window.innerWidth, page: document.documentElement.scrollWidth,
    sidebar: document.querySelector('.app-menu').getBoundingClientRect().width, cut, tables});
}, 1500));
</script>"""


def _measure(page: Path, width: int, folder: Path) -> dict:
    """The overview laid out `width` px wide: in a frame of that width (headless Chromium's window
    is at least 500 px wide)."""
    folder.mkdir()
    measured = folder / page.name
    measured.write_text(page.read_text(encoding="utf-8").replace("</body>", _MEASURE + "</body>"), "utf-8")
    frame = folder / "frame.html"
    frame.write_text(
        f'<html><body style="margin:0"><iframe src="{page.name}" style="width:{width}px;height:2000px;border:0">'
        "</iframe></body></html>",
        encoding="utf-8",
    )
    dom = run_chromium(
        folder / "profile",
        "--allow-file-access-from-files",
        f"--window-size={max(width, 800)},2000",
        "--virtual-time-budget=8000",
        "--dump-dom",
        frame.as_uri(),
    )
    found = re.search(r'data-measured="([^"]*)"', dom)
    assert found, dom[-500:]
    return json.loads(html.unescape(found.group(1)))


@pytest.mark.parametrize("width", [1280, 390])
def test_the_overview_reads_on_a_desktop_and_on_a_phone(docs: dict, width: int, tmp_path: Path) -> None:
    """Nothing of the overview runs off the right edge; each table fits or scrolls inside itself.
    On a desktop the glossary's "what it counts" is its widest column (it was squeezed to a word a
    line); on a phone dbt's 300 px sidebar gives way and each row of a table is a card whose cells
    are as wide as the screen's column, labelled with their column's heading."""
    measured = _measure(docs["page"], width, tmp_path / "measured")
    assert measured["viewport"] == width
    assert measured["page"] <= width and measured["cut"] == []
    marts, glossary = measured["tables"]
    assert glossary["headings"] == [
        "Dutch (publication)",
        "English (marts)",
        "what it counts",
        "mart and column",
    ]
    for table in (marts, glossary):
        assert table["right"] <= width + 0.5 and (table["fits"] or table["scrolls"])
    if width == 1280:
        assert measured["sidebar"] >= 300
        counts = glossary["widths"][2]
        assert counts == max(glossary["widths"]) and counts >= 280, glossary["widths"]
        assert marts["widths"][2] == max(marts["widths"]), marts["widths"]
    else:
        assert measured["sidebar"] == 0
        for table in (marts, glossary):
            assert table["fits"] and min(table["widths"]) >= width - 60, table["widths"]
            for label, heading in zip(table["labels"], table["headings"], strict=True):
                assert label == "none" or label.strip('"').rstrip(": ").lower() == heading.lower()
        # The card's title (a mart, a Dutch term) and a mart's description speak for themselves.
        assert [label != "none" for label in marts["labels"]] == [False, True, False]
        assert [label != "none" for label in glossary["labels"]] == [False, True, True, True]
