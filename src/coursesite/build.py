"""Build a site: load, check, render into a temporary folder, then swap it in at once.

A build that fails leaves the previous output exactly as it was. Nothing here prints;
the caller gets a `BuildResult` (or an `InputError` carrying the report).
"""

from __future__ import annotations

import datetime as dt
import os
import pickle
import re
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from coursesite import collector, urls
from coursesite.day_bounds import Validity
from coursesite.errors import Diagnostic, InputError, Report, UsageError
from coursesite.output_folder import (
    check_output_folder,
    fault_error,
    finish_staging,
    prepare_target,
    remove,
    staging_folder,
    swap_into_place,
    write_file,
)
from coursesite.output_lock import output_lock
from coursesite.search_as_built import search_as_built
from coursesite.stored_builds import StoredBuilds, StoredSite, usable_cache_folder

if TYPE_CHECKING:
    from coursesite.change_log import ChangeLog
    from coursesite.render import Renderer
    from coursesite.schedule import DatedSchedule
    from coursesite.site import Course, Site

# The model, the checks and rendering (pydantic, Jinja, Markdown) are imported where
# they are used: a build that finds every course in the cache needs none of them, and `check`
# never renders.


@dataclass
class BuildOptions:
    site_folder: Path
    out: Path
    base_url: str | None = None
    strict: bool = False
    today: dt.date | None = None
    now: dt.datetime | None = None  # --now: a wall-clock time, read in each course's time zone
    # syllabus.pdf, when WeasyPrint is installed (--no-pdf: not). The dev server leaves it out: a
    # PDF takes a second or more to lay out, against a few milliseconds for a course's pages.
    pdf: bool = True
    force: bool = False
    jobs: int | None = None  # processes; None: the usable CPUs, one for small sites
    cache_dir: Path | None = None  # where courses' output is kept between builds; None: not kept
    waiting: Callable[[str], None] | None = None  # told which process holds the output's lock, if any


@dataclass
class BuildResult:
    out: Path
    courses: int
    pages: int
    seconds: float
    report: Report = field(default_factory=Report)
    rendered: int = 0  # courses rendered, not taken from a cache
    changed: tuple[str, ...] = ()  # output paths that are new, different or gone since the last build
    patched: int = 0  # courses taken from the cache with their day marks set for this day (day_marks.py)


def build_today(today: dt.date | None, now: dt.datetime | None = None) -> dt.date:
    """The day the build is for: given, else SOURCE_DATE_EPOCH's day, else the real today."""
    if today is not None:
        return today
    if now is not None:
        return now.date()
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return dt.date.today()
    from coursesite.years import FIRST_YEAR, LAST_YEAR

    day = None
    if re.fullmatch(r"[0-9]{1,12}", epoch):
        with suppress(ValueError, OverflowError, OSError):
            day = dt.datetime.fromtimestamp(int(epoch), dt.UTC).date()
    if day is None or not FIRST_YEAR <= day.year <= LAST_YEAR:
        shown = repr(epoch[:40] + ("..." if len(epoch) > 40 else ""))
        raise UsageError(f"SOURCE_DATE_EPOCH={shown} is not a time in seconds since 1970 (such as "
                         f"1790000000) before the year {LAST_YEAR + 1}; fix or unset it")
    return day


def build_now(today: dt.date | None, now: dt.datetime | None = None) -> dt.datetime | None:
    """The moment the build is for (build_clock.py): `--now` as written (a wall-clock time, read in
    each course's time zone), else SOURCE_DATE_EPOCH's, else the real time. None with an explicit
    `--today`: each course is then shown as at the start of that day in its time zone."""
    if now is not None:
        return now
    if today is not None:
        return None
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class CheckedCourse:
    """One course folder loaded, dated and checked; `course` is None when it has errors."""

    course: Course | None
    dated: DatedSchedule | None
    diagnostics: tuple[Diagnostic, ...]


def load_and_check_course(folder: Path) -> CheckedCourse:
    """Load, date and check one course folder; it depends on nothing outside the folder."""
    from coursesite.check import check_course
    from coursesite.schedule import assign_dates
    from coursesite.site import load_course

    report = Report()
    course = load_course(folder, report)
    if course is None:
        return CheckedCourse(None, None, tuple(report.diagnostics))
    dated = assign_dates(course.info, course.schedule)
    check_course(course, dated, report)
    return CheckedCourse(course, dated, tuple(report.diagnostics))


def load_and_check(site_folder: Path, strict: bool = False) -> tuple[Site, dict[str, DatedSchedule], Report]:
    """Load and check everything; raise InputError when the input cannot be built."""
    from coursesite.offerings import scan_offerings
    from coursesite.site import Site, course_folders, load_config

    report = Report()
    config, config_source = load_config(site_folder, report)
    folders = course_folders(site_folder, report)
    if folders is None:
        raise InputError(report)
    scan_offerings(folders, report)
    checked = [load_and_check_course(folder) for folder in folders]
    for result in checked:
        report.diagnostics.extend(result.diagnostics)
    site = Site(site_folder, config, [result.course for result in checked if result.course], config_source)
    finish_checks(site, report, strict)
    schedules = {result.course.slug: result.dated for result in checked if result.course and result.dated}
    return site, schedules, report


def finish_checks(site: Site, report: Report, strict: bool) -> None:
    """Check what belongs to the whole site, then raise InputError if the build must not go on."""
    from coursesite.check import check_site_files

    check_site_files(site, report)
    if report.errors:
        raise InputError(report)
    failing = report.failing(strict, frozenset(site.config.strict_allows))
    if failing:
        raise InputError(report, failing)


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
                base_url: str | None, now: dt.datetime | None = None,
                change_log: ChangeLog | None = None, pdf: bool = False) -> tuple[Renderer, dict[str, bytes]]:
    """Every output file except copied ones, keyed by its path in the output folder."""
    from coursesite.news import change_log_for, site_feed
    from coursesite.offerings import offering_groups
    from coursesite.render import Renderer
    from coursesite.schedule_json import index_json

    offerings = offering_groups((course.summary() for course in site.courses), today)
    renderer = Renderer(site, today=today, base_url=base_url, now=now,
                        change_log=change_log if change_log is not None else change_log_for(site, None),
                        offerings=offerings, pdf=pdf)
    summaries = [course.summary() for course in site.courses]
    files = {urls.CATALOG: renderer.catalog(summaries).encode()}
    files[urls.INDEX_JSON] = index_json(summaries, offerings)
    for course in site.courses:
        dated = schedules[course.slug]
        files.update(render_course(renderer, course, dated))
    files[urls.SITE_FEED] = site_feed(renderer, [(course.summary(), files[urls.course_feed(course.slug)])
                                                 for course in site.courses])
    return renderer, files


def render_course(renderer: Renderer, course: Course, dated: DatedSchedule) -> dict[str, bytes]:
    """The pages, calendar feeds and Atom feed of one course, keyed by output path: only what is
    released by the build's moment (releases.py)."""
    from coursesite.formatting import formats_for
    from coursesite.render import course_language

    with formats_for(course_language(course, renderer.site), course.info.calendar):
        return _render_course(renderer, course, dated)


def _render_course(renderer: Renderer, course: Course, dated: DatedSchedule) -> dict[str, bytes]:
    from coursesite.change_log import is_deadline_of
    from coursesite.feeds import course_feeds
    from coursesite.news import course_atom, course_news
    from coursesite.schedule import assign_dates

    view = renderer.released(course)
    if view.decisions:
        course, dated = view.course, assign_dates(view.course.info, view.course.schedule)

    page_url = urls.absolute(renderer.base_url, urls.course_page(course.slug, "schedule"))
    from coursesite.schedule_json import schedule_json, schedule_path

    feeds, files = course_feeds(course, dated, page_url)
    news = course_news(course, today=renderer.today, now=renderer.now, change_log=renderer.change_log)
    if view.hidden:  # an assignment not released yet: nor is the news that its deadline moved
        news = replace(news, items=[item for item in news.items if not any(
            is_deadline_of(item.key, assignment) for assignment in view.hidden)])
    pages = renderer.course_pages(course, dated, feeds, news, view.pending)
    pdf = syllabus_pdf_file(renderer, course, pages)
    if renderer.pdf and not pdf:  # no PDF after all: the overview must not link to one
        pages = renderer.course_pages(course, dated, feeds, news, view.pending, with_pdf=False)
    files[urls.course_feed(course.slug)] = course_atom(course, news, base_url=renderer.base_url)
    data = {schedule_path(course.slug): schedule_json(course, dated, renderer.files(course).exists)}
    return {path: html.encode() for path, html in pages.items()} | files | data | pdf


def syllabus_pdf_file(renderer: Renderer, course: Course, pages: dict[str, str]) -> dict[str, bytes]:
    """`COURSE/syllabus.pdf`, made from the syllabus page when WeasyPrint is installed.

    Empty when WeasyPrint fails on the page (its line breaking asserts on some control characters
    in text): the site is built without the PDF rather than not at all.
    """
    from coursesite.syllabus import syllabus_pdf

    if not renderer.pdf:
        return {}
    page = urls.course_page(course.slug, "syllabus")
    try:
        return {urls.syllabus_pdf(course.slug): syllabus_pdf(pages[page], page, static_files(renderer.site.folder))}
    except Exception:  # noqa: BLE001 - any failure inside WeasyPrint only costs the PDF
        return {}


def static_files(site_folder: Path) -> dict[str, Path]:
    """The theme's static files and the site's (which win): output path -> source."""
    from coursesite.theme import theme_folder

    copies: dict[str, Path] = {}
    for folder in (theme_folder() / "static", site_folder / "static"):
        if folder.is_dir():
            for source in sorted(_files_under(folder)):
                copies[urls.static_file(source.relative_to(folder).as_posix())] = source
    # The JSON Schemas of the course files (json_schema.py), so that modelines have a URL.
    for source in sorted((theme_folder() / urls.SCHEMA).glob("*.json")):
        copies[f"{urls.SCHEMA}/{source.name}"] = source
    return copies


def _files_under(folder: Path) -> Iterator[Path]:
    """Every file under `folder`; raises OSError for a folder that cannot be read, which
    Path.rglob would skip without a word."""
    def fail(error: OSError) -> None:
        raise error

    for parent, _, names in os.walk(folder, onerror=fail):
        for name in names:
            if os.path.isfile(os.path.join(parent, name)):
                yield Path(parent, name)


def course_files(slug: str, folder: Path, names: Iterable[str]) -> dict[str, Path]:
    """The files of a course that its pages link to: output path -> source."""
    return {urls.course_file(slug, name): folder / name for name in names}


def build_site(options: BuildOptions) -> BuildResult:
    """Check and build the site into `options.out`: each course built whole, in `options.jobs`
    processes, or taken from the stored builds in `options.cache_dir`."""
    started = time.perf_counter()
    site_folder = options.site_folder.resolve()
    out = check_output_folder(site_folder, options.out, force=options.force)
    try:
        with output_lock(out, options.waiting):
            return _build_locked(options, site_folder, out, started)
    except OSError as exc:  # a file that cannot be read, an output folder that cannot be written
        raise fault_error(exc, out) from None


def _build_locked(options: BuildOptions, site_folder: Path, out: Path, started: float) -> BuildResult:
    """`build_site`, once this process holds the output folder's lock."""
    today = build_today(options.today, options.now)
    stored = None
    cache_folder = usable_cache_folder(options.cache_dir, site_folder, out) if options.cache_dir else None
    if cache_folder is not None:
        stored = StoredBuilds(cache_folder, site_folder, today, options.base_url,
                              build_now(options.today, options.now), options.pdf)
        replayed = replay_build(stored, options, site_folder, out, started)
        if replayed is not None:
            return replayed
    from coursesite.site import course_folders

    scan = Report()
    folders = course_folders(site_folder, scan)
    if folders is None:
        raise InputError(scan)
    return build_by_course(options, site_folder, out, today, started, folders, scan, stored)


def build_by_course(options: BuildOptions, site_folder: Path, out: Path, today: dt.date, started: float,
                    folders: list[Path], report: Report, stored: StoredBuilds | None) -> BuildResult:
    """Build each course whole, straight into a staging folder (in `options.jobs` processes, see
    parallel.py).

    `folders` and `report` come from the scan of courses/. Courses found in `stored` are linked
    from there; the others are built, and kept there once the build succeeded.
    """
    from coursesite.news import change_log_for, site_feed_from
    from coursesite.offerings import offering_groups, scan_offerings
    from coursesite.parallel import CourseOutcome, build_courses, building_beside, default_jobs
    from coursesite.render import Renderer
    from coursesite.schedule_json import index_json
    from coursesite.site import Site, load_config

    collector.resume()  # the build's modules are in (collector.py)
    config, config_source = load_config(site_folder, report)
    site = Site(site_folder, config, [], config_source)
    # Every offering's pages list the others: their course.yaml files are read first.
    offerings = offering_groups(scan_offerings(folders, report), today)
    renderer = Renderer(site, today=today, base_url=options.base_url, now=build_now(options.today, options.now),
                        change_log=change_log_for(site, stored.folder if stored else None),
                        offerings=offerings, pdf=options.pdf)
    with staging_folder(out) as staging, \
            search_as_built(staging, [folder.name for folder in folders], stored) as search_index:
        outcomes: dict[Path, CourseOutcome] = {}
        copies: dict[str, Path] = {}

        # The summaries of the courses built, pickled until the catalog: as objects, a thousand of
        # them took 40 MB of this process while it builds beside the workers and Pagefind.
        packed: dict[Path, bytes] = {}

        def arrived(folder: Path, outcome: CourseOutcome) -> None:
            # The files its pages link to are copied now: Pagefind indexes the course's part, those
            # files included, as soon as the last course of the part is written.
            if outcome.course is not None:
                files = course_files(outcome.course.slug, outcome.course.folder, outcome.referenced)
                for path, source in sorted(files.items()):
                    shutil.copyfile(source, prepare_target(str(staging), path))
                copies.update(files)
                search_index.written(outcome.course.slug, built=not outcome.restored)
                if not outcome.restored:
                    packed[folder] = pickle.dumps(outcome.course, pickle.HIGHEST_PROTOCOL)
                    outcome = replace(outcome, course=None)
            outcomes[folder] = outcome

        folders_by_part = search_index.ordered(folders)
        if stored is not None:
            # The courses the cache does not hold are built in other processes meanwhile (parallel.py).
            beside = [folder for folder in folders_by_part if not stored.holds_course(folder.name)]
            with building_beside(beside if len(beside) < len(folders) else [], renderer, staging,
                                 options.jobs or default_jobs(len(beside))) as built_beside:
                for folder in folders_by_part:
                    kept = None if folder in beside else stored.restore_course(folder.name, staging, folder)
                    if kept is not None:
                        arrived(folder, CourseOutcome(kept.summary, kept.diagnostics, kept.written,
                                                      referenced=kept.referenced, restored=True, valid=kept.valid,
                                                      patched=kept.patched, fixed=kept.fixed))
                if len(beside) < len(folders):
                    for folder, outcome in zip(beside, built_beside(), strict=True):
                        arrived(folder, outcome)
        to_build = [folder for folder in folders_by_part if folder not in outcomes]  # those the cache held damaged, too
        jobs = options.jobs or default_jobs(len(to_build))
        for folder, outcome in zip(to_build, build_courses(to_build, renderer, staging, jobs, stored is not None),
                                   strict=True):
            arrived(folder, outcome)
        built = [replace(outcomes[folder], course=pickle.loads(packed[folder]))  # noqa: S301 (pickled above, by this process)
                 if folder in packed
                 else outcomes[folder] for folder in folders]
        for outcome in built:
            report.diagnostics.extend(outcome.diagnostics)
        finish_checks(site, report, options.strict)
        template_errors = [error for outcome in built for error in outcome.template_errors]
        if template_errors:  # as a one-process build, which stops at the first
            report.diagnostics.append(template_errors[0])
            raise InputError(report)
        good = [(outcome, outcome.course) for outcome in built if outcome.course is not None]
        with template_errors_reported(report):
            catalog = renderer.catalog(course for _, course in good).encode()
        write_file(str(staging), urls.CATALOG, catalog)
        summaries = [course for _, course in good]
        index = index_json(summaries, offering_groups(summaries, today))
        write_file(str(staging), urls.INDEX_JSON, index)
        feed = site_feed_from(renderer, staging, [course for _, course in good])  # after the courses
        write_file(str(staging), urls.SITE_FEED, feed)
        site_copies = static_files(site_folder)
        for path, source in sorted(site_copies.items()):
            shutil.copyfile(source, prepare_target(str(staging), path))
        copies.update(site_copies)
        finish_staging(staging, out, stored=stored, indexed=search_index.finish())
        written = [path for outcome in built for path in outcome.written]
        pages = sum(1 for path in written if path.endswith(".html")) + 1
        if stored is not None:
            # From the staging folder, before another build may replace the output. A cache that
            # cannot be written (a full disk, a read-only folder) only slows the next build.
            with suppress(OSError):
                for outcome, course in good:
                    if not outcome.restored:
                        stored.store_course(staging, course, outcome.written, outcome.diagnostics,
                                            outcome.referenced, outcome.valid, outcome.fixed, outcome.marked)
                stored.store_site(StoredSite(tuple(report.diagnostics), frozenset(config.strict_allows),
                                             tuple(course.slug for _, course in good), pages, catalog, feed,
                                             index, site_validity(today, [outcome.valid for outcome, _ in good]),
                                             site_fixed([outcome.fixed for outcome, _ in good])))
        old = swap_into_place(staging, out)
    remove(old)
    changed = tuple(sorted({*written, urls.CATALOG, urls.SITE_FEED, urls.INDEX_JSON, *copies}))
    return BuildResult(out, len(good), pages, time.perf_counter() - started, report,
                       sum(not outcome.restored for outcome, _ in good), changed,
                       sum(outcome.patched for outcome, _ in good))


def site_validity(today: dt.date, courses: list[Validity]) -> Validity:
    """The days and moments the catalog, index.json and the site's feed are right for: those of
    every course (which offering is current is in its courses'); a site without courses dates its
    empty feed by the build day."""
    valid = Validity(today, today + dt.timedelta(days=1)) if not courses else Validity()
    for course in courses:
        valid = valid.within(course)
    return valid


def site_fixed(courses: list[Validity | None]) -> Validity | None:
    """The days and moments on which the catalog, index.json and the site's feed stay as they are
    while only their courses' day marks change: which offering is current is in each course's."""
    if not courses or None in courses:
        return None
    fixed = Validity()
    for course in courses:
        fixed = fixed.within(course or fixed)
    return fixed


def replay_build(stored: StoredBuilds, options: BuildOptions, site_folder: Path, out: Path,
                 started: float) -> BuildResult | None:
    """The build, from `stored` alone, when nothing it depends on changed since it was stored.

    None when something changed, when an entry is damaged, or when this build would fail: the
    full build then says why. The files to copy come from the site folder, never from the cache.
    """
    site = stored.restore_site()
    if site is None:
        return None
    report = Report(list(site.diagnostics))
    if report.failing(options.strict, site.strict_allows):
        return None
    written: list[str] = []
    patched = 0
    copies = static_files(site_folder)
    with staging_folder(out) as staging:
        for slug in site.courses:
            course = stored.restore_course(slug, staging)
            if course is None:
                return None
            written.extend(course.written)
            patched += course.patched
            copies.update(course_files(slug, stored.courses / slug, course.referenced))
        write_file(str(staging), urls.CATALOG, site.catalog)
        write_file(str(staging), urls.SITE_FEED, site.feed)
        write_file(str(staging), urls.INDEX_JSON, site.index)
        for path, source in sorted(copies.items()):
            shutil.copyfile(source, prepare_target(str(staging), path))
        finish_staging(staging, out, stored=stored)
        old = swap_into_place(staging, out)
    remove(old)
    changed = tuple(sorted({*written, urls.CATALOG, urls.SITE_FEED, urls.INDEX_JSON, *copies}))
    return BuildResult(out, len(site.courses), site.pages, time.perf_counter() - started, report, 0, changed, patched)
