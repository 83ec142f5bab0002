"""The commands of `kerncijfers` that ask the ingest, or redraw the report: what each prints and
returns. `cli.py` parses the command line, calls them and turns every error into one line.

Only the commands that read documents import the ingest (`ingest.api`, which loads the parser).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from core.errors import IngestError
from core.project import Project

if TYPE_CHECKING:
    from ingest.api import Figure, IngestReport


def say_error(message: str) -> None:
    """`error: MESSAGE` on stderr, the one line every failed command ends with."""
    try:
        print(f"error: {message}", file=sys.stderr, flush=True)
    except OSError:
        pass


def figures(file: Path, project_dir: Path | None) -> int:
    """`kerncijfers figures FILE`: the figures a document gives, nothing stored."""
    from ingest import api

    project = Project.at(project_dir) if project_dir else Project.find_or_packaged()
    document, publication = api.figures_of(file, project)
    print(f"{publication.title} — {file} (sha256 {document.sha256[:12]})")
    print(format_figures(publication.figures))
    print(f"{len(publication.figures)} figures")
    return 0


def diff(project: Project, month: date, old: str | None, new: str | None) -> int:
    """`kerncijfers diff MONTH`: what changed between two vintages of a month."""
    from ingest import api

    print(api.diff_vintages(project, f"{month:%Y-%m}", old, new).render())
    return 0


def fetch_cbs(project: Project, start: str, base_url: str) -> int:
    """`kerncijfers fetch cbs`: CBS StatLine's month rows stored as raw seeds."""
    from ingest import api

    fetched = api.fetch_cbs(project, start=start, base=base_url)
    first, last = fetched.months or ("-", "-")
    verb = "unchanged " if fetched.unchanged else "fetched   "
    print(
        f"{verb}{fetched.fetch_id}: {fetched.rows} rows, months {first} .. {last}, from "
        f"{fetched.responses} responses"
        + ("" if fetched.unchanged else f" (stored in {project.cbs_dir.relative_to(project.root)}/)")
    )
    return 0


def format_figures(figures: Sequence[Figure]) -> str:
    """A readable table of figures, one per line, in reading order."""
    header = (
        "line",
        "figure",
        "population",
        "window",
        "period",
        "subject",
        "value",
        "unit",
        "approx",
        "rounded to",
    )
    rows = [header]
    for f in figures:
        rows.append(
            (
                str(f.source_line),
                f.figure_code,
                f.population_code,
                f.window_type,
                f"{f.period_start:%Y-%m-%d}..{f.period_end:%Y-%m-%d}",
                f.subject_label_nl or "(total)",
                format(f.value.normalize(), "f"),
                "%" if f.unit == "percent" else "count",
                "circa" if f.is_approximate else "",
                format(f.rounding_unit.normalize(), "f"),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    right = {0, 6, 9}
    lines = []
    for row in rows:
        cells = [
            cell.rjust(w) if i in right else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def report(project: Project, output: Path | None) -> int:
    """Draw the report again. The release's own page (`warehouse/report.html`, which every build
    draws) is redrawn under the project's lock, after completing a publish an earlier run was
    killed in, so that it can never replace a newer release's page with an older one's; a page
    written elsewhere (`--output`) needs neither."""
    from core.journal import project_lock
    from kerncijfers.pipeline.publish import recover
    from kerncijfers.report import write_report
    from kerncijfers.warehouse import Warehouse

    warehouse = Warehouse.of(project)
    if output is not None:
        # Absolute, but not resolved: a link at the path (or the path it gives) is judged as given.
        print(write_report(warehouse.published, Path(os.path.abspath(output))))
        return 0
    with project_lock(project):
        recover(warehouse)
        print(write_report(warehouse.published, warehouse.report))
    return 0


def verify(project: Project) -> int:
    """`kerncijfers verify`: every finding on its own line, then one error line; or what was verified."""
    from ingest import api

    result = api.verify_project(project)
    for finding in result.findings:
        print(finding.render(project.root), file=sys.stderr)
    if result.findings:
        say_error(f"{len(result.findings)} finding(s): the seeds are not what the stored documents give")
        return 1
    print(
        f"verified: {result.figures} figures of {result.documents} stored document(s) are exactly "
        "what the documents give"
    )
    return 0


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def _figures_stored(report: IngestReport, seed: Path) -> str:
    """What the run did to the figures seed, and what the seed holds now: "added 39 figures (1
    document); seeds/raw/raw_published_figures.csv now holds 78 figures" — not the seed's total
    alone, which reads as if the run had written it all."""
    done = []
    if report.added:
        done.append(
            f"added {_count(report.figures_added, 'figure')} ({_count(len(report.added), 'document')})"
        )
    if report.reparsed:
        done.append(
            f"re-parsed {_count(len(report.reparsed), 'document')}: "
            f"{_count(report.figures_reparsed, 'figure')} ({report.figures_reparsed_before:,} before)"
        )
    return f"{'; '.join(done)}; {seed} now holds {_count(report.figures_in_seed, 'figure')}"


def ingest(project: Project, args: argparse.Namespace) -> int:
    """`kerncijfers ingest FILE ...` or `--stored`: what was added, re-parsed, recorded or left as it
    was, and the labels the build will refuse until the reference seeds know them."""
    from ingest import api

    if args.stored and args.files:
        raise IngestError(project.root, "give either FILEs or --stored, not both")
    if args.stored and (args.published_on or args.source_url):
        raise IngestError(
            project.root,
            "--published-on and --source-url describe the FILEs given; --stored reads every stored "
            "document again: give the FILE (or its copy in documents/) to date",
        )
    if args.replace_metadata and not (args.published_on or args.source_url):
        raise IngestError(
            project.root, "--replace-metadata replaces --published-on or --source-url: give one"
        )
    if args.stored:
        report = api.reingest_stored(project, force=True)
    elif args.files:
        report = api.ingest(
            project,
            args.files,
            source_url=args.source_url,
            published_on=args.published_on,
            replace_metadata=args.replace_metadata,
        )
    else:
        raise IngestError(project.root, "nothing to ingest: give one or more FILEs, or --stored")
    for document_id in report.added:
        print(f"added      {document_id}")
    for document_id in report.reparsed:
        print(f"re-parsed  {document_id}")
    for document_id, what, was in report.described:
        print(f"recorded   {document_id}: {what}" + (f" (replaces {was})" if was else ""))
    if args.stored:  # every stored document: say how many, not which
        print(f"unchanged  {len(report.unchanged)} stored document(s)")
    else:
        for document_id in report.unchanged:
            print(f"unchanged  {document_id}")
    if report.added or report.reparsed:
        print(_figures_stored(report, project.figures_seed.relative_to(project.root)))
    # Stored as published; the build refuses them until the reference seeds know the spelling.
    for unknown in report.unknown_labels:
        print(f"warning: {unknown} (the build stops on it until then)", file=sys.stderr)
    return 0
