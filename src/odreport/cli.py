"""The ``odreport`` command: a thin wrapper over the library, called by the Makefile.

Exit codes: 0 success; 2 usage error; 3 input data failed validation; 1 anything else;
130 and 143 when stopped by SIGINT (Ctrl-C) or SIGTERM. Errors print one line per problem on
stderr, warnings (e.g. a damaged file rebuilt) one ``warning:`` line each; ``--debug`` adds the
traceback.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import datetime as dt
import os
import sys
import time
import traceback
import warnings
from collections.abc import Iterator
from pathlib import Path

from odreport.errors import DataValidationError, OdReportError, UsageError
from odreport.files import OdReportWarning
from odreport.paths import Project, find_root
from odreport.publish.interrupts import Interrupted, stop_on_signals


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors exit 2 with one line
        raise UsageError(message)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1 (found {text!r})")
    return value


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a date YYYY-MM-DD (found {text!r})") from None


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="odreport", description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, help="project root (default: found from the cwd)")
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    rep = sub.add_parser("report", help="validate, derive and render one report")
    rep.add_argument("--org", required=True, help="organisation (folder under data/raw)")
    rep.add_argument("--period", default="", help="reporting period YYYY-MM (default: latest)")
    rep.add_argument(
        "--min-group-size",
        type=_positive_int,
        default=None,
        help="survey groups with fewer responses are suppressed (default 11)",
    )
    rep.add_argument(
        "--public",
        action="store_true",
        help="public version: no survey comments; writes report-public.html",
    )
    rep.add_argument(
        "--force", action="store_true", help="render even when the report is up to date"
    )
    pdf = sub.add_parser(
        "pdf", help="render one report (when not up to date) and print it to report.pdf"
    )
    pdf.add_argument("--org", required=True, help="organisation (folder under data/raw)")
    pdf.add_argument("--period", default="", help="reporting period YYYY-MM (default: latest)")
    pdf.add_argument(
        "--min-group-size",
        type=_positive_int,
        default=None,
        help="survey groups with fewer responses are suppressed (default 11)",
    )
    pdf.add_argument(
        "--public", action="store_true", help="the public version: writes report-public.pdf"
    )
    pdf.add_argument(
        "--force", action="store_true", help="render even when the report is up to date"
    )
    many = sub.add_parser(
        "reports", help="build every organisation's report in parallel worker processes"
    )
    many.add_argument("--org", action="append", help="only this organisation (repeatable)")
    many.add_argument(
        "--periods",
        choices=("latest", "all"),
        default="latest",
        help="the latest period of each organisation (default) or every period",
    )
    many.add_argument("--workers", type=_positive_int, default=2, help="processes (default 2)")
    many.add_argument("--force", action="store_true", help="render even up-to-date reports")
    many.add_argument("--pdf", action="store_true", help="print each report to report.pdf too")
    sch = sub.add_parser(
        "scheduled", help="render the reports whose meeting papers are due (for cron/systemd)"
    )
    sch.add_argument(
        "--today", type=_iso_date, default=None, help="the date to act as (default: today)"
    )
    sch.add_argument(
        "--window",
        type=_positive_int,
        default=None,
        help="render when papers are due within this many days (default 14)",
    )
    sch.add_argument("--workers", type=_positive_int, default=2, help="processes (default 2)")
    sch.add_argument("--force", action="store_true", help="render even up-to-date reports")
    sch.add_argument("--pdf", action="store_true", help="print each due report to report.pdf too")
    val = sub.add_parser("validate", help="check an organisation's inputs")
    val.add_argument("--org", required=True)
    ver = sub.add_parser(
        "verify", help="render a published report again from its provenance; compare the bytes"
    )
    ver.add_argument("--org", required=True)
    ver.add_argument("--period", default="", help="YYYY-MM (default: the latest published)")
    sub.add_parser("orgs", help="list the organisations with inputs")
    per = sub.add_parser("periods", help="list the reporting periods of an organisation")
    per.add_argument("--org", required=True)
    sub.add_parser("docs", help="write docs/data-dictionary.md from the expectation suites")
    new = sub.add_parser("new-org", help="create data/raw/<org>/ from the template")
    new.add_argument("--org", required=True)
    lab = sub.add_parser(
        "lab", help="JupyterLab on notebooks/ with an organisation's data prepared"
    )
    lab.add_argument("--org", default="", help="organisation to prepare and preset")
    lab.add_argument("--period", default="", help="reporting period YYYY-MM (default: latest)")
    lab.add_argument("--port", type=_positive_int, default=None, help="port (default: 8888 on)")
    lab.add_argument("--no-browser", action="store_true", help="do not open a browser")
    imp = sub.add_parser(
        "import-survey", help="convert a SurveyMonkey export into survey_responses.csv"
    )
    imp.add_argument("--org", required=True)
    imp.add_argument("--survey", required=True, help="survey_id in surveys.csv")
    imp.add_argument("file", type=Path, help="the export (.csv or .xlsx)")
    return parser


def _print_pdfs(project: Project, outcomes: list) -> int:
    """Print the built reports of a batch to PDF, one line each; 1 if any failed, else 0."""
    from odreport.publish import batch
    from odreport.publish.pdf import write_pdfs

    built = [(o.job.name, project.root / o.report) for o in outcomes if o.status != batch.FAILED]
    printed = write_pdfs(project, built)
    for p in printed:
        print(p.line(), file=sys.stdout if p.ok else sys.stderr)
    return 0 if all(p.ok for p in printed) else 1


def _build_one(project: Project, args: argparse.Namespace) -> Path:
    """Build the one report ``args`` name (``report`` and ``pdf``), unless it is up to date;
    return its path."""
    from odreport.paths import PERIOD_RE, check_org
    from odreport.publish import manifest, staging
    from odreport.publish.session import Session

    check_org(project, args.org)
    request = manifest.request(args.org, args.period, args.min_group_size, args.public)
    well_formed = not args.period or PERIOD_RE.match(args.period)
    if not args.force and well_formed:
        staging.sweep(project)  # what killed runs left (a journal completed) comes first
        current = manifest.current(project, args.org, request)
        if current is not None:  # up to date: the pipeline is not even imported
            return current
    # a fresh process for one report: Great Expectations (when the inputs were not validated
    # before) is imported and run in a process of its own while this one renders
    with Session(validate_apart=True) as session:
        if args.force and well_formed:  # a render is sure: its kernel starts while this
            session.kernels.start(project.root)  # process imports the pipeline
        from odreport.publish.builder import build

        built = build(
            project,
            args.org,
            args.period or None,
            min_group_size=args.min_group_size,
            public=args.public,
            force=args.force,
            session=session,
        )
    return built.report


def run(argv: list[str]) -> int:
    """Parse ``argv`` and run the command; return the exit code."""
    args = _parser().parse_args(argv)
    project = Project(args.root.resolve() if args.root else find_root())
    if args.command == "report":
        print(_build_one(project, args).relative_to(project.root).as_posix())
    elif args.command == "pdf":
        from odreport.publish.pdf import write_pdf

        report = _build_one(project, args)  # when not up to date
        print(write_pdf(report).relative_to(project.root).as_posix())
    elif args.command == "reports":
        from odreport.publish import batch

        start = time.perf_counter()
        jobs = batch.plan_jobs(project, args.org, args.periods)
        outcomes = batch.run_jobs(project, jobs, args.workers, args.force)
        for outcome in outcomes:
            print(outcome.line(), file=sys.stderr if outcome.status == batch.FAILED else sys.stdout)
            for warning in outcome.warnings:
                print(f"warning: {warning}", file=sys.stderr)
        print(batch.summary(outcomes, time.perf_counter() - start))
        code = batch.exit_code(outcomes)
        if args.pdf:
            code = max(code, _print_pdfs(project, outcomes))
        return code
    elif args.command == "scheduled":
        from odreport.metrics import meetings
        from odreport.publish import schedule

        lines, code = schedule.run(
            project,
            args.today or dt.date.today(),
            args.window or meetings.DEFAULT_WINDOW_DAYS,
            args.workers,
            args.force,
            pdf=args.pdf,
        )
        print("\n".join(lines))
        return code
    elif args.command == "validate":
        from odreport.publish.pipeline import load_and_validate

        checked = load_and_validate(project, args.org)
        for w in checked.warnings:
            print(f"warning: {w.line()}")
        n = len(checked.warnings)
        print(f"{args.org}: inputs valid ({n} warning{'s' if n != 1 else ''})")
    elif args.command == "verify":
        from odreport.publish.verify import verify

        verdict = verify(project, args.org, args.period or None)
        if not verdict.ok:
            print(f"error: not verified: {verdict.problem}", file=sys.stderr)
            return 1
        for name in verdict.verified:
            print(f"verified: {name} and its notebook are what its inputs and code give")
    elif args.command == "orgs":
        print("\n".join(project.organisations()))
    elif args.command == "periods":
        from odreport.inputs.tables import read_inputs
        from odreport.metrics.derive import periods
        from odreport.paths import check_org

        check_org(project, args.org)
        print("\n".join(periods(read_inputs(project.raw_dir(args.org), project.expectations))))
    elif args.command == "docs":
        from odreport.inputs.schema import data_dictionary_markdown

        out = project.root / "docs" / "data-dictionary.md"
        out.write_text(data_dictionary_markdown(project.expectations) + "\n", encoding="utf-8")
        print(out.relative_to(project.root).as_posix())
    elif args.command == "new-org":
        from odreport.publish.scaffold import new_org, next_steps

        print(new_org(project, args.org).relative_to(project.root).as_posix())
        print("\n".join(next_steps(args.org)))
    elif args.command == "lab":
        from odreport.publish import lab

        if args.period and not args.org:
            raise UsageError("--period needs --org (the organisation to prepare)")
        lab.start(project, args.org or None, args.period or None, args.port, not args.no_browser)
    elif args.command == "import-survey":
        from odreport.inputs.surveymonkey import import_export

        out, people, rows = import_export(project, args.org, args.survey, args.file)
        print(
            f"{out.relative_to(project.root).as_posix()}: {args.survey}: "
            f"{people} respondents, {rows} rows"
        )
    return 0


@contextlib.contextmanager
def _warnings_as_lines() -> Iterator[None]:
    """Print each :class:`OdReportWarning` once, as ``warning: <message>`` on stderr."""
    seen: set[str] = set()
    with warnings.catch_warnings():
        warnings.simplefilter("always", OdReportWarning)
        shown = warnings.showwarning

        def show(message, category, filename, lineno, file=None, line=None) -> None:
            if not issubclass(category, OdReportWarning):
                shown(message, category, filename, lineno, file, line)
            elif str(message) not in seen:
                seen.add(str(message))
                print(f"warning: {message}", file=sys.stderr)

        warnings.showwarning = show
        yield


def main(argv: list[str] | None = None) -> int:
    """Entry point: run and turn exceptions into one-line messages and exit codes. SIGINT and
    SIGTERM stop the run (which cleans up after itself) with exit code 130 or 143."""
    argv = sys.argv[1:] if argv is None else argv
    debug = "--debug" in argv
    try:
        with stop_on_signals(), _warnings_as_lines():
            return run(argv)
    except Interrupted as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except DataValidationError as exc:
        for line in exc.problems:
            print(line, file=sys.stderr)
        print(
            f"error: input data failed validation ({len(exc.problems)} problem"
            f"{'s' if len(exc.problems) != 1 else ''}); "
            "nothing was written",
            file=sys.stderr,
        )
        if debug:
            traceback.print_exc()
        return exc.exit_code
    except OdReportError as exc:
        print(f"error: {exc}", file=sys.stderr)
        if debug:
            traceback.print_exc()
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        print(f"error: {exc.__class__.__name__}: {exc}", file=sys.stderr)
        if debug:
            traceback.print_exc()
        return 1


def entry() -> None:
    """The console script: :func:`main`, then exit at once.

    The exit handlers run and the output is flushed, but Python's tear-down of every module
    and object is skipped: after a report (Great Expectations, pandas, nbconvert, the kernel
    client loaded) it takes 0.5-0.9 s and frees nothing the operating system would not.
    """
    code = main()
    try:
        atexit._run_exitfuncs()  # what ``sys.exit`` would run: kept kernels shut down, logs
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code)


if __name__ == "__main__":
    entry()
