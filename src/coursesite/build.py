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
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from coursesite import urls
from coursesite.check import check_course, check_site_files
from coursesite.errors import Diagnostic, InputError, Report, UsageError
from coursesite.schedule import DatedSchedule, assign_dates
from coursesite.search import index_site
from coursesite.site import Course, Site, course_folders, load_config, load_course

if TYPE_CHECKING:
    from coursesite.incremental import BuildCache
    from coursesite.render import Renderer

# Rendering (Jinja, Markdown, icalendar) is imported where it is used, so that `check`, which
# never renders, starts faster.

MARKER = ".coursesite-build"


@dataclass
class BuildOptions:
    site_folder: Path
    out: Path
    base_url: str | None = None
    strict: bool = False
    today: dt.date | None = None
    force: bool = False
    jobs: int | None = None  # processes; None: the usable CPUs, one for small sites


@dataclass
class BuildResult:
    out: Path
    courses: int
    pages: int
    seconds: float
    report: Report = field(default_factory=Report)
    rendered: int = 0  # courses rendered, not taken from a cache
    changed: tuple[str, ...] = ()  # output paths that are new, different or gone since the last build


def build_today(today: dt.date | None) -> dt.date:
    """The day the build is for: given, else SOURCE_DATE_EPOCH's day, else the real today."""
    if today is not None:
        return today
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    return dt.date.today()


@dataclass(frozen=True)
class CheckedCourse:
    """One course folder loaded, dated and checked; `course` is None when it has errors."""

    course: Course | None
    dated: DatedSchedule | None
    diagnostics: tuple[Diagnostic, ...]


def load_and_check_course(folder: Path) -> CheckedCourse:
    """Load, date and check one course folder; it depends on nothing outside the folder."""
    report = Report()
    course = load_course(folder, report)
    if course is None:
        return CheckedCourse(None, None, tuple(report.diagnostics))
    dated = assign_dates(course.info, course.schedule)
    check_course(course, dated, report)
    return CheckedCourse(course, dated, tuple(report.diagnostics))


def load_and_check(site_folder: Path, strict: bool = False, cache: BuildCache | None = None,
                   ) -> tuple[Site, dict[str, DatedSchedule], Report]:
    """Load and check everything; raise InputError when the input cannot be built.

    With a `cache`, course folders whose files did not change since its last build are not
    loaded again.
    """
    report = Report()
    config, config_source = load_config(site_folder, report)
    folders = course_folders(site_folder, report)
    if folders is None:
        raise InputError(report)
    checked = [cache.checked_course(folder, load_and_check_course) if cache else load_and_check_course(folder)
               for folder in folders]
    for result in checked:
        report.diagnostics.extend(result.diagnostics)
    site = Site(site_folder, config, [result.course for result in checked if result.course], config_source)
    finish_checks(site, report, strict)
    schedules = {result.course.slug: result.dated for result in checked if result.course and result.dated}
    return site, schedules, report


def finish_checks(site: Site, report: Report, strict: bool) -> None:
    """Check what belongs to the whole site, then raise InputError if the build must not go on."""
    check_site_files(site, report)
    if report.errors:
        raise InputError(report)
    failing = report.failing(strict, frozenset(site.config.strict_allows))
    if failing:
        raise InputError(report, len(failing))


@contextmanager
def template_errors_reported(report: Report) -> Iterator[None]:
    """Turn an error raised inside a template into an InputError at the template's line."""
    from coursesite.render import report_template_error

    try:
        yield
    except Exception as exc:
        if not report_template_error(exc, report):
            raise
        raise InputError(report) from None


def render_site(site: Site, schedules: dict[str, DatedSchedule], *, today: dt.date,
                base_url: str | None, cache: BuildCache | None = None) -> dict[str, bytes]:
    """Every output file except copied ones, keyed by its path in the output folder.

    With a `cache`, a course whose model, templates and settings are unchanged is not rendered again.
    """
    from coursesite.render import Renderer

    env = cache.begin_render(site.folder) if cache else None
    renderer = Renderer(site, today=today, base_url=base_url, env=env)
    files: dict[str, bytes] = {urls.CATALOG: renderer.catalog().encode()}
    for course in site.courses:
        dated = schedules[course.slug]
        if cache:
            files.update(cache.course_output(renderer, course, dated, render_course))
        else:
            files.update(render_course(renderer, course, dated))
    return files


def render_course(renderer: Renderer, course: Course, dated: DatedSchedule) -> dict[str, bytes]:
    """The pages and calendar feed of one course, keyed by output path."""
    from coursesite.ical import course_calendar

    files = {path: html.encode() for path, html in renderer.course_pages(course, dated).items()}
    if dated.has_dates:
        stamp = dt.datetime.combine(renderer.today, dt.time(), tzinfo=dt.UTC)
        page_url = urls.absolute(renderer.base_url, urls.course_page(course.slug, "schedule"))
        files[urls.calendar_feed(course.slug)] = course_calendar(course, dated, stamp, page_url)
    return files


def copied_files(site: Site, cache: BuildCache | None = None) -> dict[str, Path]:
    """Theme and site static files, and the course files pages link to: output path -> source."""
    from coursesite.render import CourseFiles, theme_folder

    copies: dict[str, Path] = {}
    for folder in (theme_folder() / "static", site.folder / "static"):
        if folder.is_dir():
            for source in sorted(folder.rglob("*")):
                if source.is_file():
                    copies[urls.static_file(source.relative_to(folder).as_posix())] = source
    for course in site.courses:
        referenced = CourseFiles(course).referenced
        for name in cache.for_course("referenced", course, referenced) if cache else referenced():
            copies[urls.course_file(course.slug, name)] = course.folder / name
    return copies


def build_site(options: BuildOptions, cache: BuildCache | None = None) -> BuildResult:
    """Check and build the site into `options.out`; with a `cache`, reuse what did not change.

    Without a cache, a large site is built in several processes (`options.jobs`).
    """
    started = time.perf_counter()
    site_folder = options.site_folder.resolve()
    out = check_output_folder(site_folder, options.out, force=options.force)
    if cache is None:
        from coursesite.parallel import default_jobs

        scan = Report()
        folders = course_folders(site_folder, scan)
        jobs = options.jobs or default_jobs(len(folders or ()))
        if jobs > 1 and folders:
            return build_in_processes(options, site_folder, out, jobs, started, folders, scan)
    site, schedules, report = load_and_check(site_folder, options.strict, cache)
    today = build_today(options.today)
    with template_errors_reported(report):
        files = render_site(site, schedules, today=today, base_url=options.base_url, cache=cache)
    copies = copied_files(site, cache)
    if cache:
        unchanged, changed = cache.compare_output(out, files, copies)
    else:
        unchanged, changed = frozenset(), tuple(sorted(set(files) | set(copies)))
    write_atomically(out, files, copies, unchanged)
    if cache:
        cache.remember_output(out, files, copies)
    pages = sum(1 for path in files if path.endswith(".html"))
    rendered = len(cache.rendered) if cache else len(site.courses)
    return BuildResult(out, len(site.courses), pages, time.perf_counter() - started, report, rendered, changed)


def build_in_processes(options: BuildOptions, site_folder: Path, out: Path, jobs: int, started: float,
                       folders: list[Path], report: Report) -> BuildResult:
    """`build_site` without a cache, the courses split across `jobs` processes (see parallel.py).

    `folders` and `report` come from the scan of courses/ that chose to build in processes.
    """
    from coursesite.parallel import build_courses
    from coursesite.render import Renderer

    config, config_source = load_config(site_folder, report)
    site = Site(site_folder, config, [], config_source)
    renderer = Renderer(site, today=build_today(options.today), base_url=options.base_url)
    staging = make_staging(out)
    try:
        written: list[str] = []
        template_errors: list[Diagnostic] = []
        for outcome in build_courses(folders, renderer, staging, jobs):
            report.diagnostics.extend(outcome.diagnostics)
            template_errors.extend(outcome.template_errors)
            if outcome.course is not None:
                site.courses.append(outcome.course)
            written.extend(outcome.written)
        finish_checks(site, report, options.strict)
        if template_errors:  # as a one-process build, which stops at the first
            report.diagnostics.append(template_errors[0])
            raise InputError(report)
        with template_errors_reported(report):
            catalog = renderer.catalog().encode()
        write_file(str(staging), urls.CATALOG, catalog)
        copies = copied_files(site)
        for path, source in sorted(copies.items()):
            shutil.copyfile(source, prepare_target(str(staging), path))
        finish_staging(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    pages = sum(1 for path in written if path.endswith(".html")) + 1
    changed = tuple(sorted({*written, urls.CATALOG, *copies}))
    return BuildResult(out, len(site.courses), pages, time.perf_counter() - started, report,
                       len(site.courses), changed)


def make_staging(out: Path) -> Path:
    """A fresh, empty folder beside `out`, to build into."""
    out.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{out.name}.building-", dir=out.parent))


def prepare_target(staging: str, path: str) -> str:
    """The file name of output `path` in `staging`, its folder created."""
    name = str(inside(Path(staging), path))  # the last safeguard against a path that would leave the output
    os.makedirs(os.path.dirname(name), exist_ok=True)
    return name


def write_file(staging: str, path: str, content: bytes) -> None:
    with open(prepare_target(staging, path), "wb") as file:
        file.write(content)


def finish_staging(staging: Path, out: Path, reusable_search: Collection[str] = ()) -> None:
    """Mark the staging folder as a build and swap it into place of `out`.

    The courses in `reusable_search` have the same pages as in `out`, so their search index
    (deterministic) is linked from there instead of being built again.
    """
    (staging / MARKER).write_text("This folder is written by coursesite build; "
                                  "it is replaced on every build.\n")
    reused = set()
    for slug in reusable_search:
        previous = out / slug / urls.SEARCH_BUNDLE
        if previous.is_dir() and (staging / slug).is_dir():
            shutil.copytree(previous, staging / slug / urls.SEARCH_BUNDLE, copy_function=os.link)
            reused.add(slug)
    index_site(staging, skip=reused)
    # mkdtemp makes the folder private; a published site must be readable by the web server.
    os.chmod(staging, 0o755)  # noqa: S103
    swap_into_place(staging, out)


def write_atomically(out: Path, files: dict[str, bytes], copies: dict[str, Path],
                     unchanged: Collection[str] = ()) -> None:
    """Write everything into a fresh folder beside `out`, then swap it into place.

    The paths in `unchanged` already hold the same bytes in the current `out`: they are
    hard-linked from there, which is much faster than writing them again (and a course whose
    pages are all unchanged keeps its search index too).
    """
    pages_by_course: dict[str, list[str]] = {}
    for path in files:
        if path.endswith(".html") and "/" in path:
            pages_by_course.setdefault(path.split("/", 1)[0], []).append(path)
    reusable_search = [slug for slug, pages in pages_by_course.items()
                       if unchanged and all(page in unchanged for page in pages)]
    staging = make_staging(out)
    # Plain strings, not Path objects: a site has thousands of files, and the dev server
    # writes them all after every save.
    staging_name, out_name = str(staging), str(out)
    folders: set[str] = set()

    def target(path: str) -> str:
        inside(staging, path)  # the last safeguard against a path that would leave the output
        name = os.path.join(staging_name, path)
        folder = os.path.dirname(name)
        if folder not in folders:
            os.makedirs(folder, exist_ok=True)
            folders.add(folder)
        return name

    def linked(path: str) -> bool:
        if path not in unchanged:
            return False
        try:
            os.link(os.path.join(out_name, path), target(path))
        except OSError:
            return False
        return True

    try:
        for path, source in sorted(copies.items()):
            if not linked(path):
                shutil.copyfile(source, target(path))
        for path, content in sorted(files.items()):
            if not linked(path):
                with open(target(path), "wb") as file:
                    file.write(content)
        finish_staging(staging, out, reusable_search)
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
