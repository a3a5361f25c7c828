"""Build a site: load, check, render into a temporary folder, then swap it in at once.

A build that fails leaves the previous output exactly as it was. Nothing here prints;
the caller gets a `BuildResult` (or an `InputError` carrying the report).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from coursesite import urls
from coursesite.check import check_site
from coursesite.errors import InputError, Report, UsageError
from coursesite.ical import course_calendar
from coursesite.render import CourseFiles, Renderer, theme_folder
from coursesite.schedule import DatedSchedule, assign_dates
from coursesite.site import Site, load_site

MARKER = ".coursesite-build"


@dataclass
class BuildOptions:
    site_folder: Path
    out: Path
    base_url: str | None = None
    strict: bool = False
    today: dt.date | None = None
    force: bool = False


@dataclass
class BuildResult:
    out: Path
    courses: int
    pages: int
    seconds: float
    report: Report = field(default_factory=Report)


def build_today(today: dt.date | None) -> dt.date:
    """The day the build is for: given, else SOURCE_DATE_EPOCH's day, else the real today."""
    if today is not None:
        return today
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


def load_and_check(site_folder: Path, strict: bool = False) -> tuple[Site, dict[str, DatedSchedule], Report]:
    """Load and check everything; raise InputError when the input cannot be built."""
    report = Report()
    site = load_site(site_folder, report)
    if site is None or report.errors:
        raise InputError(report)
    schedules = {c.slug: assign_dates(c.info, c.schedule) for c in site.courses}
    check_site(site, schedules, report)
    failing = report.failing(strict, frozenset(site.config.strict_allows))
    if failing:
        raise InputError(report, len(failing))
    return site, schedules, report


def render_site(site: Site, schedules: dict[str, DatedSchedule], *, today: dt.date,
                base_url: str | None) -> dict[str, bytes]:
    """Every output file except copied ones, keyed by its path in the output folder."""
    renderer = Renderer(site, today=today, base_url=base_url)
    files: dict[str, bytes] = {urls.CATALOG: renderer.catalog().encode()}
    stamp = dt.datetime.combine(today, dt.time(), tzinfo=dt.UTC)
    for course in site.courses:
        dated = schedules[course.slug]
        for path, html in renderer.course_pages(course, dated).items():
            files[path] = html.encode()
        if dated.has_dates:
            page_url = urls.absolute(base_url, urls.course_page(course.slug, "schedule"))
            files[urls.calendar_feed(course.slug)] = course_calendar(course, dated, stamp, page_url)
    return files


def copied_files(site: Site) -> dict[str, Path]:
    """Theme and site static files, and the course files pages link to: output path -> source."""
    copies: dict[str, Path] = {}
    for folder in (theme_folder() / "static", site.folder / "static"):
        if folder.is_dir():
            for source in sorted(folder.rglob("*")):
                if source.is_file():
                    copies[urls.static_file(source.relative_to(folder).as_posix())] = source
    for course in site.courses:
        for name in CourseFiles(course).referenced():
            copies[urls.course_file(course.slug, name)] = course.folder / name
    return copies


def build_site(options: BuildOptions) -> BuildResult:
    started = time.perf_counter()
    site_folder = options.site_folder.resolve()
    out = check_output_folder(site_folder, options.out, force=options.force)
    site, schedules, report = load_and_check(site_folder, options.strict)
    today = build_today(options.today)
    files = render_site(site, schedules, today=today, base_url=options.base_url)
    copies = copied_files(site)
    write_atomically(out, files, copies)
    pages = sum(1 for path in files if path.endswith(".html"))
    return BuildResult(out, len(site.courses), pages, time.perf_counter() - started, report)


def write_atomically(out: Path, files: dict[str, bytes], copies: dict[str, Path]) -> None:
    """Write everything into a fresh folder beside `out`, then swap it into place."""
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))
    try:
        for path, source in sorted(copies.items()):
            target = inside(staging, path)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        for path, content in sorted(files.items()):
            target = inside(staging, path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        (staging / MARKER).write_text("This folder is written by coursesite build; "
                                      "it is replaced on every build.\n")
        # mkdtemp makes the folder private; a published site must be readable by the web server.
        os.chmod(staging, 0o755)  # noqa: S103
        swap_into_place(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def inside(folder: Path, path: str) -> Path:
    """`folder / path`, refusing a path that would land outside `folder` (the last safeguard:
    slugs, page names and file references are checked long before)."""
    parts = PurePosixPath(path).parts
    if not parts or PurePosixPath(path).is_absolute() or ".." in parts or "\\" in path:
        raise UsageError(f"refusing to write '{path}': it is outside the output folder")
    return folder / path


def swap_into_place(staging: Path, out: Path) -> None:
    if not out.exists():
        os.rename(staging, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
    os.rmdir(old)
    os.rename(out, old)
    try:
        os.rename(staging, out)
    except OSError:
        os.rename(old, out)
        raise
    shutil.rmtree(old, ignore_errors=True)


def check_output_folder(site_folder: Path, out: Path, *, force: bool) -> Path:
    """Refuse output folders whose replacement would destroy something that is not a build."""
    target = out.expanduser().resolve()
    forbidden = {Path.home().resolve(): "your home folder", Path(target.anchor): "the root folder",
                 site_folder: "the site folder"}
    if target in forbidden:
        raise UsageError(f"refusing to build into {out}: it is {forbidden[target]}")
    if target in site_folder.parents:
        raise UsageError(f"refusing to build into {out}: it contains the site folder {site_folder}")
    for name in ("courses", "templates", "static"):
        source = site_folder / name
        if target == source or source in target.parents:
            raise UsageError(f"refusing to build into {out}: it is inside the site's {name}/ folder")
    if target.is_file():
        raise UsageError(f"refusing to build into {out}: it is a file")
    if target.is_dir() and not (target / MARKER).exists() and any(target.iterdir()) and not force:
        raise UsageError(f"refusing to build into {out}: it is not empty and was not made by "
                         "coursesite (pass --force to replace it)")
    return target
