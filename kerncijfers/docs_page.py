"""`kerncijfers docs` (`make docs`): dbt's documentation of the full build as one offline HTML file,
`warehouse/kerncijfers-docs.html`, readable on a phone as on a desktop.

`dbt docs generate --static` writes one self-contained page. It runs here on a copy of the full
build (dbt opens its database for writing: a lock on the full build itself would make the next
build's probe of it fail, and that build rebuild everything), in a target folder of its own,
`target/docs/` (the build's `target/` and its partial-parse state are left alone, so neither run
makes the other parse afresh), with its output in `logs/docs.log` instead of the terminal.

dbt's docs site renders markdown with raw HTML escaped (marked's `sanitize`), so a `<style>` in a
docs block would be shown as text; the stylesheet for small screens is added to the page here.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from core.errors import WarehouseError
from core.project import Project
from kerncijfers.pipeline.dbt import start_dbt
from kerncijfers.safe_write import refuse_links, write_file
from kerncijfers.warehouse import Warehouse

PAGE_NAME = "kerncijfers-docs.html"

# dbt's layout keeps its 300 px sidebar (and a 960 px minimum width) at any width, so on a phone
# the overview was cut on the right; the glossary's columns were sized by their longest names.
# Rules for the overview are scoped by the attribute of the one element dbt renders
# models/overview.md into (model pages stay as dbt draws them), its tables by the headings before
# them; "html body" makes each rule outrank dbt's own, whatever order the stylesheets load in.
OVERVIEW = 'html body [marked="overview_md"]'
STYLE = f"""<style id="kerncijfers-docs-style">
/* Added by kerncijfers/docs_page.py: dbt docs escape a <style> written in markdown. */
html body, html body .app, html body .app-content {{ min-width: 0; }}
{OVERVIEW} {{ overflow-wrap: break-word; }}
{OVERVIEW} td code {{ white-space: normal; overflow-wrap: anywhere; }}
{OVERVIEW} a code {{ color: inherit; }}
@media (min-width: 761px) {{
  /* Each column its share, none below a readable width; a table that cannot fit scrolls. */
  {OVERVIEW} table {{ display: block; overflow-x: auto; max-width: 100%; }}
  {OVERVIEW} td {{ min-width: 8em; }}
  {OVERVIEW} #the-marts + table td:nth-child(1) {{ width: 26%; }}
  {OVERVIEW} #the-marts + table td:nth-child(1) code {{ white-space: nowrap; }}
  {OVERVIEW} #the-marts + table td:nth-child(2) {{ width: 20%; }}
  {OVERVIEW} #the-marts + table td:nth-child(3) {{ width: 54%; min-width: 16em; }}
  {OVERVIEW} #glossary ~ table td:nth-child(1) {{ width: 19%; min-width: 9em; }}
  {OVERVIEW} #glossary ~ table td:nth-child(2) {{ width: 19%; min-width: 9em; }}
  {OVERVIEW} #glossary ~ table td:nth-child(3) {{ width: 37%; min-width: 16em; }}
  {OVERVIEW} #glossary ~ table td:nth-child(4) {{ width: 25%; min-width: 12em; }}
}}
@media (max-width: 760px) {{
  html body .app-menu {{ display: none; }}
  html body .app-content .app-pad {{ padding-left: 12px; padding-right: 12px; }}
  html body .app-frame {{ width: 100%; }}
  html body .app-details .panel-body {{ padding: 12px; }}
  /* A row of the overview's tables is a card: its first cell a title, the others labelled with
     their column's heading. */
  {OVERVIEW} table, {OVERVIEW} tbody, {OVERVIEW} tr, {OVERVIEW} td {{ display: block; }}
  {OVERVIEW} thead {{ display: none; }}
  {OVERVIEW} table tr {{ border-top: 1px solid #e5e8ec; padding: 10px 0; }}
  {OVERVIEW} table td {{ border: 0; padding: 2px 0; }}
  {OVERVIEW} table td:first-child {{ font-weight: 600; font-size: 15px; }}
  {OVERVIEW} table td::before {{ color: #8a94a0; font-size: 11px; letter-spacing: .05em; text-transform: uppercase; }}
  {OVERVIEW} #the-marts + table td:nth-child(2)::before {{ content: "one row per: "; }}
  {OVERVIEW} #glossary ~ table td:nth-child(2)::before {{ content: "English (marts): "; }}
  {OVERVIEW} #glossary ~ table td:nth-child(3)::before {{ content: "What it counts: "; }}
  {OVERVIEW} #glossary ~ table td:nth-child(4)::before {{ content: "Mart and column: "; }}
}}
</style>
"""


def write_docs_page(project: Project) -> Path:
    """Generate dbt's documentation from the full build and write the page; its path."""
    warehouse = Warehouse.of(project)
    full_build = warehouse.full_build
    if not full_build.is_file():
        raise WarehouseError(full_build, "no build to document: run `make build` first")
    target = project.root / "target" / "docs"
    refuse_links(target, project.root)
    target.mkdir(parents=True, exist_ok=True)
    log = project.root / "logs" / "docs.log"
    refuse_links(log, project.root)
    print(
        f"docs     dbt docs generate from {_shown(full_build, project.root)} (about 20 s); "
        f"log: {_shown(log, project.root)}",
        flush=True,
    )
    generated = target / "static_index.html"
    generated.unlink(missing_ok=True)  # a page an earlier run left is not taken for this run's
    # The copy keeps the file's name: dbt names the database, and so the catalogue, after it.
    database = target / full_build.name
    try:
        shutil.copyfile(full_build, database)
        run = start_dbt(
            project,
            "docs",
            "generate",
            "--static",
            "--target-path",
            str(target),
            log=log,
            target="duckdb",
            database=database,
        )
        status = run.wait()
    finally:
        database.unlink(missing_ok=True)
        Path(f"{database}.wal").unlink(missing_ok=True)
    if status != 0 or not generated.is_file():
        said = [line for line in run.summary_lines() if line.strip()]
        last = said[-1].split("  ", 1)[-1].strip() if said else ""
        raise WarehouseError(
            log, f"dbt docs generate failed (exit status {status}): {last}. Its whole output is in this log"
        )
    page = finish_page(generated.read_text(encoding="utf-8"), generated)
    return write_file(warehouse.folder / PAGE_NAME, page.encode("utf-8"), inside=warehouse.folder)


def finish_page(html: str, source: Path) -> str:
    """dbt's page (read from `source`) with the stylesheet added to its head."""
    head_end = html.find("</head>")
    if head_end < 0:
        raise WarehouseError(source, "dbt wrote a page without </head>: not the dbt docs page expected")
    return html[:head_end] + STYLE + html[head_end:]


def _shown(path: Path, root: Path) -> str:
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
