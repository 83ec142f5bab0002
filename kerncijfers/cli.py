"""The `kerncijfers` command: ingest documents, show their figures, build, check and report on the
warehouse. Every error ends here as one line on stderr and exit status 1 — one a user can act on
names the file and what to do; an unforeseen one says where its traceback was written."""

from __future__ import annotations

import argparse
import errno
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from core.errors import IngestError, ProjectError
from core.project import Project

if TYPE_CHECKING:
    from ingest.figures import Figure
    from ingest.store import IngestReport


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _month(text: str) -> date:
    try:
        return date.fromisoformat(f"{text}-01")
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a month (YYYY-MM): {text!r}") from None


class _Version(argparse.Action):
    """`--version`: the installed package's version, looked up only when asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *args: Any) -> None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("kerncijfers")
        except PackageNotFoundError:  # run from a checkout that was never installed
            number = "(not installed: see pyproject.toml)"
        print(f"kerncijfers {number}")
        parser.exit()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kerncijfers",
        description="Kerncijfers asiel en migratie: from published documents to a DuckDB warehouse.",
    )
    parser.add_argument(
        "--project-dir", type=Path, help="the project (default: the folder holding dbt_project.yml)"
    )
    parser.add_argument("--version", action=_Version, help="print the version (CHANGELOG.md) and exit")
    commands = parser.add_subparsers(dest="command", required=True)

    add = commands.add_parser(
        "ingest",
        help="add documents (PDF or extracted text) to the project's raw seeds",
        description="Store each document unchanged and write its figures to seeds/raw/. "
        "Ingesting the same document again changes nothing; another document for the same month "
        "is kept beside the first as a new vintage.",
    )
    add.add_argument("files", nargs="*", type=Path, metavar="FILE")
    add.add_argument(
        "--stored", action="store_true", help="parse every stored document again (after a parser change)"
    )
    add.add_argument("--source-url", help="where the document was published")
    add.add_argument(
        "--published-on",
        type=_date,
        help="publication date, YYYY-MM-DD (after the end of its month, not after today); given for a "
        "stored document, it is recorded",
    )
    add.add_argument(
        "--replace-metadata",
        action="store_true",
        help="let --source-url / --published-on replace what is recorded for a stored document",
    )

    show = commands.add_parser(
        "figures", help="print the figures a document holds, as a table; writes nothing"
    )
    show.add_argument("file", type=Path, metavar="FILE")

    build = commands.add_parser(
        "build",
        help="parse the stored documents, run dbt build and the expectations, print a summary",
    )
    build.add_argument("--target", help="dbt target (default: the profile's default)")
    build.add_argument(
        "--full",
        action="store_true",
        help="rebuild every node, not only what changed since the published release",
    )

    diff = commands.add_parser(
        "diff",
        help="list the figures that changed between two vintages of the same month",
        description="Compare two documents of one reference month: by default its last two "
        "vintages. Reads the raw seeds; needs no build.",
    )
    diff.add_argument("month", type=_month, metavar="YYYY-MM", help="the reference month, e.g. 2023-01")
    diff.add_argument("--from", dest="old", metavar="DOCUMENT_ID", help="the earlier document")
    diff.add_argument("--to", dest="new", metavar="DOCUMENT_ID", help="the later document")

    fetch = commands.add_parser(
        "fetch",
        help="fetch a second source over the network and store it (cbs: CBS StatLine 83102NED)",
        description="Fetch CBS StatLine table 83102NED (asylum requests and nareizigers per month and "
        "nationality) from its OData API; store every response unchanged in sources/cbs/ and its "
        "month rows in seeds/raw/, as one change. Needs internet; the build never does.",
    )
    fetch.add_argument("source", choices=["cbs"], help="the second source to fetch")
    fetch.add_argument(
        "--from",
        dest="start",
        type=_month,
        default=date(2021, 1, 1),
        metavar="YYYY-MM",
        help="first month (default 2021-01)",
    )
    fetch.add_argument(
        "--base-url",
        help="the OData service (default https://opendata.cbs.nl/ODataApi/odata, or KERNCIJFERS_CBS_ODATA)",
    )

    commands.add_parser(
        "verify",
        help="read every stored document again and check the raw seeds give exactly its figures",
        description="Compare seeds/raw/ with what the stored documents give: a stored copy "
        "changed since its ingest, a value edited by hand, a row of no stored document. Lists "
        "every finding with its file and line; exit 1 when there is one. Changes no seed or document.",
    )

    commands.add_parser(
        "check",
        help="run the Great Expectations suite on the marts; exit 1 on a critical finding",
        description="Validate the marts of the warehouse against the suites in gx/. Critical "
        "findings exit with status 1; warnings are printed. Data Docs go to warehouse/data_docs/.",
    )

    report = commands.add_parser(
        "report",
        help="write the charts of the marts as one self-contained HTML page; prints its path",
        description="Read the warehouse (read-only) and write one HTML page, with inline SVG charts "
        "and no external files, of the latest month and of each series over time.",
    )
    report.add_argument(
        "--output",
        type=Path,
        help="where to write the page (default: the release's own, warehouse/report.html, which every build draws)",
    )

    commands.add_parser(
        "docs",
        help="write dbt's documentation of every model and column as one offline HTML file; prints its path",
        description="Run dbt docs generate on a copy of the full build behind the published warehouse "
        "(dbt's output goes to logs/docs.log) and write warehouse/kerncijfers-docs.html.",
    )

    metrics = commands.add_parser(
        "metrics",
        help="ask MetricFlow (mf) for the metrics of the published warehouse: metrics query --metrics "
        "first_applications --group-by metric_time__month",
        description="Run MetricFlow's mf with the given arguments on the published warehouse, read-only, "
        "with the project's profile: `metrics list metrics`, `metrics query --metrics A,B --group-by "
        "metric_time__month`, `metrics query ... --explain`. A query answers in month order unless it "
        "gives --order; the output is plain text.",
    )
    metrics.add_argument(
        "mf_arguments", nargs=argparse.REMAINDER, metavar="MF_ARGUMENTS", help="mf's command and options"
    )
    return parser


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


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command. Whatever goes wrong ends as one line on stderr and exit status 1 (2 for a
    command line argparse refuses): never a traceback."""
    args = _parser().parse_args(argv)
    stdout = sys.stdout
    sys.stdout = _ClosedPipeQuiet(stdout)
    try:
        return _run(args)
    except ProjectError as exc:
        _error(str(exc))
    except KeyboardInterrupt:
        _error("interrupted; what was stored and published before this run is unchanged. Run it again")
    except OSError as exc:
        _error(_os_error(exc))
    except Exception as exc:  # a bug: say so in one line, keep the details in a file
        _error(_unexpected(exc))
    finally:
        sys.stdout.flush()  # what is still buffered, while a closed reader is still handled here
        sys.stdout = stdout
    return 1


class _ClosedPipeQuiet:
    """Standard output that a closed reader does not stop: `kerncijfers build | head -1` builds
    and publishes to the end, `kerncijfers figures FILE | head` ends quietly. Once the reader is
    gone (a BrokenPipeError on a write or a flush), the output goes to os.devnull, the same way
    for every command: what was printed is all the reader wanted."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            self._drop()
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            self._drop()

    def _drop(self) -> None:
        # The descriptor itself now leads nowhere: the text still buffered, what Python flushes
        # at exit and whatever a child process would inherit go there, without a BrokenPipeError.
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, self._stream.fileno())
        finally:
            os.close(devnull)
        try:
            self._stream.flush()
        except OSError:
            pass

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


def _error(message: str) -> None:
    try:
        print(f"error: {message}", file=sys.stderr, flush=True)
    except OSError:
        pass


def _os_error(exc: OSError) -> str:
    """A failed read or write, with the file and what to do; the stored state is as it was (the
    ingest and the publish change files only by a journal's renames)."""
    where = exc.filename or "a file"
    if exc.errno == errno.ENOSPC:
        what = "the disk is full. Free some space and run again"
    elif exc.errno == errno.EDQUOT:
        what = "the disk quota is used up. Free some space and run again"
    elif exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        what = "cannot write or read here (read-only, or no permission). Run where you may write, or fix the permissions"
    else:
        what = f"{exc.strerror or exc}. Check the path and run again"
    return f"{where}: {what}; what was stored and published before this run is unchanged"


def _unexpected(exc: BaseException) -> str:
    """A failure nobody foresaw: one line, and the traceback in a file to report."""
    import tempfile
    import traceback

    detail = "".join(traceback.format_exception(exc))
    try:
        with tempfile.NamedTemporaryFile(
            "w", prefix="kerncijfers-error-", suffix=".log", delete=False, encoding="utf-8"
        ) as log:
            log.write(detail)
        kept = f"the details are in {log.name}"
    except OSError:
        kept = "the details could not be written down"
    said = str(exc).splitlines()[0][:200] if str(exc) else ""
    return (
        f"unexpected failure ({type(exc).__name__}: {said}); {kept} — please report it. What was stored "
        "and published before this run is unchanged"
    )


def _run(args: argparse.Namespace) -> int:
    if args.command == "figures":
        # Only the commands that read documents import the parser.
        from ingest.figures import extract, load_families
        from ingest.reading import read_document

        document = read_document(args.file)
        project = Project.at(args.project_dir) if args.project_dir else Project.find_or_packaged()
        publication = extract(document, load_families(project.families_seed))
        print(f"{publication.title} — {args.file} (sha256 {document.sha256[:12]})")
        print(format_figures(publication.figures))
        print(f"{len(publication.figures)} figures")
        return 0
    project = Project.at(args.project_dir) if args.project_dir else Project.find()
    if args.command == "ingest":
        return _ingest(project, args)
    if args.command == "build":
        from kerncijfers.pipeline.build import build

        return build(project, target=args.target, full=args.full)
    if args.command == "diff":
        from ingest.revisions import diff_vintages

        print(diff_vintages(project, f"{args.month:%Y-%m}", args.old, args.new).render())
        return 0
    if args.command == "verify":
        return _verify(project)
    if args.command == "fetch":
        from ingest.cbs import fetch_cbs

        fetched = fetch_cbs(project, start=args.start, base=args.base_url)
        first, last = fetched.months or ("-", "-")
        verb = "unchanged " if fetched.unchanged else "fetched   "
        print(
            f"{verb}{fetched.fetch_id}: {fetched.rows} rows, months {first} .. {last}, from "
            f"{fetched.responses} responses"
            + ("" if fetched.unchanged else f" (stored in {project.cbs_dir.relative_to(project.root)}/)")
        )
        return 0
    if args.command == "check":
        from kerncijfers.pipeline.build import check

        return check(project)
    if args.command == "report":
        return _report(project, args.output)
    if args.command == "metrics":
        from kerncijfers.metrics import run_metricflow

        return run_metricflow(project, args.mf_arguments)
    if args.command == "docs":
        from kerncijfers.docs_page import write_docs_page

        print(f"documentation: {write_docs_page(project)}")
        return 0
    return 2  # pragma: no cover - argparse requires a command


def _report(project: Project, output: Path | None) -> int:
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


def _verify(project: Project) -> int:
    from core.journal import project_lock, recover
    from ingest.verify import mark_verified, verify

    # An ingest killed after its commit point is completed first, as the other commands do, so
    # that what is verified is the state it left; under the lock, so that a run still applying
    # its change refuses this one rather than be read half-way. Without a journal nothing is
    # written here, and a read-only project can still be verified.
    if os.path.lexists(project.journal):
        with project_lock(project):
            recover(project)
    result = verify(project)
    for finding in result.findings:
        print(finding.render(project.root), file=sys.stderr)
    if result.findings:
        _error(f"{len(result.findings)} finding(s): the seeds are not what the stored documents give")
        return 1
    mark_verified(project)
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


def _ingest(project: Project, args: argparse.Namespace) -> int:
    from ingest.store import ingest, reingest_stored

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
    if args.stored and args.files:
        raise IngestError(project.root, "give either FILEs or --stored, not both")
    if args.stored:
        report = reingest_stored(project, force=True)
    elif args.files:
        report = ingest(
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
