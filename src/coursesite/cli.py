"""Command line: parse flags, call one function, print its outcome, map failures to exit codes.

Exit codes: 0 success (warnings allowed unless --strict), 1 bad input, 2 bad usage.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import shlex
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import TextIO

from coursesite import __version__, collector
from coursesite.errors import InputError, OutputError, Report, UsageError, display_path, escape_controls

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2
EXIT_TERMINATED = 128 + signal.SIGTERM  # as a shell reports a process that SIGTERM ended
BUILD_WARNINGS_SHOWN = 10


def _date(text: str) -> dt.date:
    from coursesite.years import FIRST_YEAR, LAST_YEAR

    try:
        date = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{_quoted(text)} is not a date such as 2026-09-08") from None
    if not FIRST_YEAR <= date.year <= LAST_YEAR:  # date arithmetic near year 9999 overflows
        raise argparse.ArgumentTypeError(f"{_quoted(text)} is not a plausible date (years {FIRST_YEAR} "
                                         f"to {LAST_YEAR})")
    return date


def _quoted(text: str) -> str:
    """`text` in quotes, with control characters shown as escapes: a usage error is one line."""
    return "'" + escape_controls(text) + "'"


def _moment(text: str) -> dt.datetime:
    try:
        return dt.datetime.strptime(text.strip(), "%Y-%m-%d %H:%M")
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a moment such as \"2026-10-01 09:00\"") from None


def _port(text: str) -> int:
    if not re.fullmatch(r"[0-9]{1,5}", text) or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"{_quoted(text)} is not a port number (0 to 65535)")
    return int(text)


def _jobs(text: str) -> int:
    if not re.fullmatch(r"[0-9]+", text) or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{_quoted(text)} is not a number of processes (1 or more)")
    return int(text)


def _base_url(text: str) -> str:
    # Written into every feed and page head: a newline or a space would break them.
    if not re.fullmatch(r"https?://[^/\s]+\S*", text) or escape_controls(text) != text:
        raise argparse.ArgumentTypeError(f"{_quoted(text)} is not an http:// or https:// address such as "
                                         "https://user.github.io/repo/ (without spaces or control characters)")
    return text


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coursesite", description="Build course websites from YAML and Markdown files.")
    parser.add_argument("--version", action="version", version=f"coursesite {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    build = commands.add_parser("build", help="build the site into an output folder",
                                description="Check the site, then build it into the output "
                                "folder, replacing the previous build only if all went well.")
    _site_argument(build)
    build.add_argument("--out", type=Path, default=None, metavar="DIR",
                       help="output folder (default: SITE_DIR/build)")
    build.add_argument("--base-url", type=_base_url, default=None, metavar="URL",
                       help="where the site will be served, e.g. https://user.github.io/repo/ "
                       "(used for feed and canonical links; page links are relative anyway)")
    build.add_argument("--strict", action="store_true", help="treat warnings as errors")
    moment = build.add_mutually_exclusive_group()
    moment.add_argument("--today", type=_date, default=None, metavar="YYYY-MM-DD",
                        help="the date the pages' 'at a glance' lists are computed for, and release "
                        "dates are compared with at 0:00 (default: SOURCE_DATE_EPOCH's date, else today "
                        "and the real time)")
    moment.add_argument("--now", type=_moment, default=None, metavar='"YYYY-MM-DD HH:MM"',
                        help="the moment the build is for, read in each course's time zone: its "
                        "date as --today, its time for release dates (give one of --today and --now)")
    build.add_argument("--no-pdf", dest="pdf", action="store_false",
                       help="leave out each course's syllabus.pdf (made only when WeasyPrint is installed)")
    build.add_argument("--force", action="store_true",
                       help="replace an output folder that coursesite did not create")
    build.add_argument("--jobs", type=_jobs, default=None, metavar="N",
                       help="build in N processes (default: one per CPU, fewer for small sites); "
                       "the output is the same whatever N")
    cache = build.add_mutually_exclusive_group()
    cache.add_argument("--cache-dir", type=Path, default=None, metavar="DIR",
                       help="where each course's output is kept for the next build, which reuses "
                       "what did not change (default: a folder for this site under ~/.cache/coursesite)")
    cache.add_argument("--no-cache", action="store_true",
                       help="build everything again and keep nothing for the next build")

    check = commands.add_parser("check", help="check every file without writing anything",
                                description="Validate the site and report every problem as "
                                "path:line:col: level: message.")
    _site_argument(check)
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check.add_argument("--now", type=_moment, default=None, metavar='"YYYY-MM-DD HH:MM"',
                       help="list the releases still to come after this moment (default: the real time)")

    serve = commands.add_parser("serve", help="serve the site here, rebuilt and reloaded as you edit it",
                                description="Build the site into a temporary folder and serve it; after "
                                "every save, rebuild what changed and reload the browser. While the site "
                                "does not build, its pages show the errors, as the terminal does.")
    _site_argument(serve)
    serve.add_argument("--host", default="127.0.0.1",
                       help="address to listen on (default: 127.0.0.1, reachable from this computer only)")
    serve.add_argument("--port", type=_port, default=8000, help="port to listen on (default: 8000; 0 takes a free one)")
    serve.add_argument("--open", action="store_true", help="open the site in the web browser")
    serve.add_argument("--poll", action="store_true",
                       help="look for changes twice a second instead of waiting for file events (for "
                       "network and virtual-machine folders; automatic on the ones coursesite recognises)")

    new = commands.add_parser("new", help="create a course folder whose commented files show every feature",
                              description="Create SITE_DIR/courses/SLUG/ with course.yaml, schedule.yaml, "
                              "readings.yaml, links.yaml and a policies page, filled with example values "
                              "and comments that explain each field. An existing folder is never touched.")
    new.add_argument("slug", metavar="SLUG", help="the course's folder name, which becomes its URL (e.g. ml-101)")
    _site_argument(new)
    new.add_argument("--title", default=None, help="the course's title (default: made from SLUG)")

    roll = commands.add_parser("rollover", help="make the next offering of a course from this one",
                               description="Copy courses/SLUG to courses/NEW_SLUG for a new term: absolute "
                               "dates move by meeting index, the old holidays are left out, and both "
                               "offerings name the same course (offering_of). Prints every change as "
                               "path:line: old -> new, and every date it could not map.")
    roll.add_argument("slug", metavar="SLUG", help="the course folder to start from")
    roll.add_argument("new_slug", metavar="NEW_SLUG", help="the new offering's folder name (its URL)")
    _site_argument(roll)
    roll.add_argument("--term", required=True, metavar="NAME", help='the new term\'s name, such as "Fall 2027"')
    roll.add_argument("--start", required=True, type=_date, metavar="YYYY-MM-DD", help="the new term's first day")
    roll.add_argument("--end", type=_date, default=None, metavar="YYYY-MM-DD",
                      help="the new term's last day (default: as long as the old term)")
    roll.add_argument("--offering-of", default=None, metavar="NAME",
                      help="the course's stable address when neither offering names one yet "
                      "(default: SLUG without its year)")

    schema = commands.add_parser("schema", help="write the JSON Schemas of the course files, for editors",
                                 description="Write course.schema.json, schedule.schema.json, readings.schema.json, "
                                 "links.schema.json, announcements.schema.json and page.schema.json into DIR.")
    schema.add_argument("folder", metavar="DIR", type=Path, help="the folder to write them into")
    return parser


def _site_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("site", nargs="?", type=Path, default=Path("."), metavar="SITE_DIR",
                        help="folder holding courses/ (default: the current folder)")


def run() -> None:
    """The `coursesite` program (and `python -m coursesite`): `main`, then the end of the process.

    A build ends it at once, without Python's teardown, which frees every object one by one (4%
    of a cold build of the reference courses, issue 16): by then its files are written and
    closed and no thread or process of it is left; only the output streams are flushed.
    """
    # coursesite's models have no use for pydantic's plugins (hooks for observing validation),
    # and looking for them reads the metadata of every installed package (issue 16). Only in the
    # program's own process: a caller of `main` keeps its environment.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    args = make_parser().parse_args()
    code = run_command(args)
    if args.command == "build":
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):  # a closed stream: Python's own exit reports it as before
            pass
        else:
            os._exit(code)
    sys.exit(code)


def main(argv: list[str] | None = None, stdout: TextIO | None = None,
         stderr: TextIO | None = None) -> int:
    """Run the command line `argv` (default: the program's arguments); return the exit code."""
    return run_command(make_parser().parse_args(argv), stdout, stderr)


def run_command(args: argparse.Namespace, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    out, err = stdout or sys.stdout, stderr or sys.stderr
    if args.command != "new" and not getattr(args, "site", Path(".")).is_dir():
        print(escape_controls(f"coursesite: error: site folder '{args.site}' does not exist"), file=err)
        return EXIT_USAGE
    commands = {"build": run_build, "check": run_check, "serve": run_serve, "new": run_new,
                "rollover": run_rollover, "schema": run_schema}
    if args.command == "build":
        collector.pause()  # while the build imports its modules (collector.py)
    try:
        if args.command != "check":
            from coursesite.build import build_today

            build_today(getattr(args, "today", None))  # a bad SOURCE_DATE_EPOCH is a usage error
        with terminable() if args.command == "build" else nullcontext():
            return commands[args.command](args, out, err)
    except UsageError as exc:
        print(escape_controls(f"coursesite: error: {exc}"), file=err)
        return EXIT_USAGE
    except InputError as exc:
        # A build that failed on errors lists them all, and its warnings as a build that succeeded
        # does: pages of warnings scrolled the errors out of sight. Under --strict the warnings may
        # be what failed, and `check` lists everything.
        capped = args.command == "build" and not exc.failing_warnings
        print_report(exc.report, err, max_warnings=BUILD_WARNINGS_SHOWN if capped else None)
        print(exc.summary(), file=err)
        return EXIT_INPUT
    except OutputError as exc:
        print(f"coursesite: error: {exc}", file=err)
        return EXIT_INPUT
    except OSError as exc:  # a file or folder that vanished or cannot be read while it was in use
        where = display_path(os.fsdecode(exc.filename)) if exc.filename is not None else "coursesite"
        print(f"{where}: error: {(exc.strerror or str(exc)).lower()}", file=err)
        return EXIT_INPUT
    except Terminated:
        return EXIT_TERMINATED
    except KeyboardInterrupt:
        return 130
    finally:
        collector.end()


class Terminated(KeyboardInterrupt):
    """SIGTERM (a CI job's timeout, `kill`) during a build, raised in the building thread as Ctrl-C
    is: the build then ends as after Ctrl-C, its Pagefind run stopped and its staging folder
    removed, the previous output as it was. Python's default ends the process on the spot."""


@contextmanager
def terminable() -> Iterator[None]:
    """SIGTERM raises Terminated in this thread while in the block (only the main thread can be told)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum: int, frame: object) -> None:
        raise Terminated

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def run_build(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from coursesite.build import BuildOptions, build_site
    from coursesite.stored_builds import default_folder

    target = args.out if args.out is not None else args.site / "build"
    cache = None if args.no_cache else args.cache_dir or default_folder(args.site.resolve())
    result = build_site(BuildOptions(args.site, target, base_url=args.base_url,
                                     strict=args.strict, today=args.today, now=args.now, pdf=args.pdf, force=args.force,
                                     jobs=args.jobs, cache_dir=cache,
                                     waiting=lambda message: print(f"coursesite: {message}", file=err, flush=True)))
    print_report(result.report, err, max_warnings=BUILD_WARNINGS_SHOWN)
    index = result.out / "index.html"
    print(escape_controls(f"Built {result.courses} course{'s' * (result.courses != 1)}, {result.pages} "
                          f"pages in {result.seconds:.2f} s into {display_path(result.out)}/. Open "
                          f"{index.as_uri()}"), file=out)
    return EXIT_OK


def run_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from coursesite.build import load_and_check

    site, _, report = load_and_check(args.site.resolve(), args.strict)
    print_report(report, err, notes=True)
    print(f"Checked {len(site.courses)} course{'s' * (len(site.courses) != 1)}: no errors, "
          f"{len(report.warnings)} warning{'s' * (len(report.warnings) != 1)}.", file=out)
    from coursesite.releases import upcoming_lines

    for line in upcoming_lines(site.courses, args.now):
        print(line, file=out)
    return EXIT_OK


def run_serve(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from coursesite.serve import ServeOptions, serve_site

    serve_site(ServeOptions(args.site, host=args.host, port=args.port, open_browser=args.open, poll=args.poll), out)
    return EXIT_OK


def run_new(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from coursesite.build import build_today
    from coursesite.scaffold import new_course, scaffold_files

    folder = new_course(args.site, args.slug, args.title, build_today(None))
    site = "" if args.site == Path(".") else f" {shlex.quote(str(args.site))}"
    print(f"Created {display_path(folder)}/ with {', '.join(scaffold_files())}.\n"
          f"The comments in each file explain its fields. To see the site while you edit it:\n"
          f"  coursesite serve{site} --open", file=out)
    return EXIT_OK


def run_rollover(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from coursesite.rollover import rollover

    result = rollover(args.site, args.slug, args.new_slug, args.term, args.start, args.end, args.offering_of)
    for line in result.changes:
        print(line, file=out)
    for line in result.unmapped:
        print(line, file=err)
    print(f"Created {display_path(result.folder)}/ for {args.term}; both offerings list each other, and "
          f"{result.stable_name}/ shows the current one. Add {args.term}'s holidays to course.yaml, then run "
          "'coursesite check'.", file=out)
    return EXIT_OK


def run_schema(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from coursesite.json_schema import write_schemas

    try:
        written = write_schemas(args.folder)
    except OSError as exc:
        raise UsageError(f"cannot write into {args.folder}: {exc.strerror or exc}") from None
    print(f"Wrote {', '.join(path.name for path in written)} into {display_path(args.folder)}/.", file=out)
    return EXIT_OK


def print_report(report: Report, stream: TextIO, max_warnings: int | None = None,
                 notes: bool = False) -> None:
    """Every error; warnings up to `max_warnings` (a successful build need not list them all);
    notes (what was skipped on purpose) when `notes`, as `check` shows them."""
    shown = 0
    hidden = 0
    for diagnostic in report.sorted():
        if diagnostic.level == "note" and not notes:
            continue
        if diagnostic.level == "warning" and max_warnings is not None and shown >= max_warnings:
            hidden += 1
            continue
        shown += diagnostic.level == "warning"
        print(diagnostic.format(), file=stream)
    if hidden:
        print(f"... and {hidden} more warning{'s' * (hidden != 1)}; 'coursesite check' lists them all.",
              file=stream)
