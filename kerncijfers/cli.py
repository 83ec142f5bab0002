"""The `kerncijfers` command: ingest documents, show their figures, build, check and report on the
warehouse. Every error ends here as one line on stderr and exit status 1 — one a user can act on
names the file and what to do; an unforeseen one says where its traceback was written. The
commands that ask the ingest (and `report`) are `commands.py`; `build` and `check` are
`pipeline/build.py`."""

from __future__ import annotations

import argparse
import errno
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from core.errors import ProjectError
from core.project import Project
from kerncijfers import commands


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
    subcommands = parser.add_subparsers(dest="command", required=True)

    add = subcommands.add_parser(
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

    show = subcommands.add_parser(
        "figures", help="print the figures a document holds, as a table; writes nothing"
    )
    show.add_argument("file", type=Path, metavar="FILE")

    build = subcommands.add_parser(
        "build",
        help="parse the stored documents, run dbt build and the checks, print a summary",
    )
    build.add_argument("--target", help="dbt target (default: the profile's default)")
    build.add_argument(
        "--full",
        action="store_true",
        help="rebuild every node, not only what changed since the published release",
    )

    diff = subcommands.add_parser(
        "diff",
        help="list the figures that changed between two vintages of the same month",
        description="Compare two documents of one reference month: by default its last two "
        "vintages. Reads the raw seeds; needs no build.",
    )
    diff.add_argument("month", type=_month, metavar="YYYY-MM", help="the reference month, e.g. 2023-01")
    diff.add_argument("--from", dest="old", metavar="DOCUMENT_ID", help="the earlier document")
    diff.add_argument("--to", dest="new", metavar="DOCUMENT_ID", help="the later document")

    fetch = subcommands.add_parser(
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

    subcommands.add_parser(
        "verify",
        help="read every stored document again and check the raw seeds give exactly its figures",
        description="Compare seeds/raw/ with what the stored documents give: a stored copy "
        "changed since its ingest, a value edited by hand, a row of no stored document. Lists "
        "every finding with its file and line; exit 1 when there is one. Changes no seed or document.",
    )

    subcommands.add_parser(
        "check",
        help="judge the full build behind the release with the checks again; exit 1 on a critical finding",
        description="Validate the marts of the warehouse against the suites in gx/. Critical "
        "findings exit with status 1; warnings are printed. Data Docs go to warehouse/data_docs/.",
    )

    report = subcommands.add_parser(
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

    subcommands.add_parser(
        "docs",
        help="write dbt's documentation of every model and column as one offline HTML file; prints its path",
        description="Run dbt docs generate on a copy of the full build behind the published warehouse "
        "(dbt's output goes to logs/docs.log) and write warehouse/kerncijfers-docs.html.",
    )

    metrics = subcommands.add_parser(
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


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command. Whatever goes wrong ends as one line on stderr and exit status 1 (2 for a
    command line argparse refuses): never a traceback."""
    args = _parser().parse_args(argv)
    stdout = sys.stdout
    sys.stdout = _ClosedPipeQuiet(stdout)
    try:
        return _run(args)
    except ProjectError as exc:
        commands.say_error(str(exc))
    except KeyboardInterrupt:
        commands.say_error(
            "interrupted; what was stored and published before this run is unchanged. Run it again"
        )
    except OSError as exc:
        commands.say_error(_os_error(exc))
    except Exception as exc:  # a bug: say so in one line, keep the details in a file
        commands.say_error(_unexpected(exc))
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
        return commands.figures(args.file, args.project_dir)
    project = Project.at(args.project_dir) if args.project_dir else Project.find()
    if args.command == "ingest":
        return commands.ingest(project, args)
    if args.command == "build":
        from kerncijfers.pipeline.build import build

        return build(project, target=args.target, full=args.full)
    if args.command == "diff":
        return commands.diff(project, args.month, args.old, args.new)
    if args.command == "verify":
        return commands.verify(project)
    if args.command == "fetch":
        return commands.fetch_cbs(project, args.start, args.base_url)
    if args.command == "check":
        from kerncijfers.pipeline.build import check

        return check(project)
    if args.command == "report":
        return commands.report(project, args.output)
    if args.command == "metrics":
        from kerncijfers.metrics import run_metricflow

        return run_metricflow(project, args.mf_arguments)
    if args.command == "docs":
        from kerncijfers.docs_page import write_docs_page

        print(f"documentation: {write_docs_page(project)}")
        return 0
    return 2  # pragma: no cover - argparse requires a command


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
