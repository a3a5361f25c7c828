"""Command line: parse flags, call one function, print its outcome, map failures to exit codes.

Exit codes: 0 success (warnings allowed unless --strict), 1 bad input, 2 bad usage.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from pathlib import Path
from typing import TextIO

from coursesite import __version__
from coursesite.errors import InputError, Report, UsageError, display_path

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date such as 2026-09-08") from None


def _base_url(text: str) -> str:
    if not re.match(r"^https?://[^/\s]+", text):
        raise argparse.ArgumentTypeError(f"'{text}' is not an http:// or https:// address such as "
                                         "https://user.github.io/repo/")
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
    build.add_argument("--today", type=_date, default=None, metavar="YYYY-MM-DD",
                       help="the date the pages' 'at a glance' lists are computed for "
                       "(default: SOURCE_DATE_EPOCH's date, else today)")
    build.add_argument("--force", action="store_true",
                       help="replace an output folder that coursesite did not create")

    check = commands.add_parser("check", help="check every file without writing anything",
                                description="Validate the site and report every problem as "
                                "path:line:col: level: message.")
    _site_argument(check)
    check.add_argument("--strict", action="store_true", help="treat warnings as errors")
    return parser


def _site_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("site", nargs="?", type=Path, default=Path("."), metavar="SITE_DIR",
                        help="folder holding courses/ (default: the current folder)")


def main(argv: list[str] | None = None, stdout: TextIO | None = None,
         stderr: TextIO | None = None) -> int:
    out, err = stdout or sys.stdout, stderr or sys.stderr
    args = make_parser().parse_args(argv)
    if not args.site.is_dir():
        print(f"coursesite: error: site folder '{args.site}' does not exist", file=err)
        return EXIT_USAGE
    try:
        if args.command == "build":
            return run_build(args, out, err)
        return run_check(args, out, err)
    except UsageError as exc:
        print(f"coursesite: error: {exc}", file=err)
        return EXIT_USAGE
    except InputError as exc:
        print_report(exc.report, err)
        print(f"{exc.failing} problem{'s' * (exc.failing != 1)} must be fixed"
              f"{' (--strict: warnings count)' if getattr(args, 'strict', False) else ''}; "
              "nothing was written.", file=err)
        return EXIT_INPUT
    except KeyboardInterrupt:
        return 130


def run_build(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from coursesite.build import BuildOptions, build_site

    target = args.out if args.out is not None else args.site / "build"
    result = build_site(BuildOptions(args.site, target, base_url=args.base_url,
                                     strict=args.strict, today=args.today, force=args.force))
    print_report(result.report, err)
    index = result.out / "index.html"
    print(f"Built {result.courses} course{'s' * (result.courses != 1)}, {result.pages} pages in "
          f"{result.seconds:.2f} s into {display_path(result.out)}/. Open {index.as_uri()}",
          file=out)
    return EXIT_OK


def run_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from coursesite.build import load_and_check

    site, _, report = load_and_check(args.site.resolve(), args.strict)
    print_report(report, err)
    print(f"Checked {len(site.courses)} course{'s' * (len(site.courses) != 1)}: no errors, "
          f"{len(report.warnings)} warning{'s' * (len(report.warnings) != 1)}.", file=out)
    return EXIT_OK


def print_report(report: Report, stream: TextIO) -> None:
    for diagnostic in report.sorted():
        print(diagnostic.format(), file=stream)
