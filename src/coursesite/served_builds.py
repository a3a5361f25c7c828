"""The dev server's builds: the build cache on disk (stored_builds.py), with a memory over it.

`coursesite serve` keeps its courses in the same cache folder as `coursesite build --no-pdf`, under
the same keys, so a second start takes every unchanged course from there. Over the disk it keeps in
memory what each course of the served output was made from (its key and the days and moments it is
right for), what the site's own files were made from, and the digests of the source files. A save
then costs what it changes:
- the watcher names the files that changed, and only their course folders are digested again
  (known_sources.py; every folder at the start, and after 5 s without a file event the server
  looks at each for a change no event reported: `audit`);
- a course whose key and interval are those of the output served is left as it is; another is
  taken from the disk cache, or built, and stored there;
- the catalog, index.json and the site's feed are made again only when what they show of a
  course (its course.yaml, its feed), the settings, the day or the set of courses changed;
  the summaries of courses taken from the disk are read from there only then;
- the output folder is changed in place: each new file is written beside it and renamed over the
  old one, all of them while holding `lock`, which the server holds to open a file, so a request
  reads one build or the other, never a half-built page.
The output is the same, byte for byte, as `coursesite build --no-pdf` (tests/test_served_builds.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import threading
import time
from collections.abc import Callable, Collection, Iterable
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from coursesite import urls
from coursesite.build import (
    build_now,
    build_today,
    course_files,
    finish_checks,
    site_fixed,
    site_validity,
    static_files,
)
from coursesite.day_bounds import Validity
from coursesite.errors import Diagnostic, InputError, Report, UsageError
from coursesite.fingerprints import folder_fingerprint, is_folder
from coursesite.known_sources import KnownSources
from coursesite.output_folder import finish_staging, make_staging, prepare_target, swap_into_place, write_file
from coursesite.search_cache import DeferredSearch
from coursesite.stored_builds import StoredBuilds, StoredCourse, StoredSite, default_folder, usable_cache_folder

if TYPE_CHECKING:
    from jinja2 import Environment

    from coursesite.build import BuildResult
    from coursesite.parallel import CourseOutcome
    from coursesite.render import Renderer
    from coursesite.site import CourseSummary

RESTORE_IN_THREADS = 50  # courses; fewer are restored in this thread


@dataclass(frozen=True)
class _Served:
    """A course of the output served: the key and outcome it was made with, and its course.yaml's digest."""

    key: str
    outcome: CourseOutcome
    info: bytes


@dataclass(frozen=True)
class _SiteFiles:
    """The catalog, index.json and the site's feed served, and what they were made from."""

    context: tuple[object, ...]
    courses: tuple[tuple[str, bytes, bytes], ...]  # slug, course.yaml digest, course feed
    valid: Validity
    files: dict[str, bytes]


class ServedBuilds:
    """The builds of one dev server into `out`, over the build cache in `cache_folder` (None: the default)."""

    def __init__(self, site_folder: Path, out: Path, cache_folder: Path | None = None, *,
                 today: dt.date | None = None, now: dt.datetime | None = None,
                 deferred: DeferredSearch | None = None) -> None:
        self.site_folder = site_folder.resolve()
        self.out = out
        try:
            self.cache_folder: Path | None = cache_folder or default_folder(self.site_folder)
        except (RuntimeError, KeyError):  # no home folder: builds without the cache
            self.cache_folder = None
        self.today, self.now = today, now  # fixed for tests; None: the real day and moment
        self.deferred = deferred or DeferredSearch()
        self.known = KnownSources()
        self.lock = threading.Lock()  # held while the output changes, and by the server to open a file
        self.cache_refused: str | None = None  # why the cache folder is not used, told once by serve
        self._served: dict[str, _Served] = {}
        self._site: _SiteFiles | None = None
        self._copies: dict[str, tuple[int, int, int]] = {}
        self._written: dict[str, tuple[str, ...]] = {}
        self._strict_allows: frozenset[str] = frozenset()
        self._templates: tuple[bytes, Environment] | None = None
        self._stored: StoredBuilds | None = None
        self._storing: threading.Thread | None = None
        self._changing = False

    def stored_search(self) -> StoredBuilds | None:
        """The build cache, where the search index's parts are kept (search_refresh.py); None without one."""
        return self._stored

    def _cache_folder(self) -> Path | None:
        """The build cache's folder, or None: the server needs no cache, so a folder `build` would
        refuse (one coursesite did not make, say) only means building without it."""
        if self.cache_folder is None:
            return None
        try:
            return usable_cache_folder(self.cache_folder, self.site_folder, self.out)
        except UsageError as exc:
            self.cache_refused = str(exc)
            return None

    def build(self, changed: Collection[Path] | None = None) -> BuildResult:
        """Build the site into `out`, redoing only what the files `changed` (None: any) touched.

        Raises InputError (nothing in `out` changed) as `build_site` does.
        """
        from coursesite.build import BuildResult

        started = time.perf_counter()
        self.wait_stored()
        self.known.forget(self.site_folder, changed)
        today = build_today(self.today, self.now)
        now = build_now(self.today, self.now)
        folder = self._cache_folder()
        stored = StoredBuilds(folder or self.out.parent / ".no-cache", self.site_folder, today, None, now, pdf=False,
                              known=self.known)
        self._stored = stored if folder is not None else None
        report = Report()
        folders = self._course_folders(report)
        whole = not self.out.is_dir() or self._site is None
        staging = make_staging(self.out)
        self._changing = False  # set once what is remembered of the output changes
        try:
            result = self._build(stored, folder is not None, report, folders, staging, today, now, whole)
            outcomes, site_files, built, redone = result
            pages = sum(1 for outcome in outcomes.values() for path in outcome.written if path.endswith(".html")) + 1
            keep = (stored, outcomes, built, site_files, tuple(report.diagnostics), today, pages)
            if folder is not None and whole:
                self._store(staging, *keep)
            changed_paths = self._publish(staging, outcomes, redone, site_files, whole)
            if folder is not None and not whole:
                # From the output, after the page is shown: the next build waits for it before it
                # changes the output.
                self._storing = threading.Thread(target=self._store, args=(self.out, *keep), daemon=True,
                                                 name="build cache")
                self._storing.start()
        except BaseException:
            if self._changing:  # what is served may not be what is remembered: the next build is whole
                self._site = None
            raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        patched = sum(1 for name in redone if outcomes[name].patched)
        return BuildResult(self.out, len(outcomes), pages, time.perf_counter() - started, report,
                           len(built), tuple(sorted(changed_paths)), patched)

    # ---- deciding and making -------------------------------------------------------------------

    def _course_folders(self, report: Report) -> list[Path]:
        from coursesite.site import course_folders

        if self.known.folders is None:
            scan = Report()
            folders = course_folders(self.site_folder, scan)
            if folders is None:
                raise InputError(scan)
            self.known.folders = (folders, tuple(scan.diagnostics))
        report.diagnostics.extend(self.known.folders[1])
        return self.known.folders[0]

    def _build(self, stored: StoredBuilds, storing: bool, report: Report, folders: list[Path], staging: Path,
               today: dt.date, now: dt.datetime | None, whole: bool,
               ) -> tuple[dict[str, CourseOutcome], dict[str, bytes], set[str], set[str]]:
        """Every course's outcome (folder name -> outcome), the site's files, and the courses built
        and taken from the disk cache in this build."""
        from coursesite.news import change_log_for
        from coursesite.offerings import offering_groups
        from coursesite.parallel import CourseOutcome, build_courses, default_jobs
        from coursesite.render import Renderer
        from coursesite.site import Site, load_config

        config, config_source = load_config(self.site_folder, report)
        self._strict_allows = frozenset(config.strict_allows)
        site = Site(self.site_folder, config, [], config_source)
        offerings = offering_groups(self._offerings(folders, report), today)
        renderer = Renderer(site, today=today, base_url=None, now=now, env=self._environment(stored),
                            change_log=change_log_for(site, stored.folder if storing else None),
                            offerings=offerings, pdf=False)
        outcomes: dict[str, CourseOutcome] = {}
        keep: dict[str, _Served] = {}
        restored: set[str] = set()
        patched: set[str] = set()
        to_build = []
        to_restore = []
        for course in folders:
            name = course.name
            served = self._served.get(name)
            if not whole and served is not None and served.key == stored.course_keys.get(name) \
                    and served.outcome.valid.covers(today, now):
                outcomes[name] = served.outcome
                keep[name] = served
            else:
                to_restore.append(course)
        for course, kept in zip(to_restore, _restore(stored if storing else None, to_restore, staging), strict=True):
            name = course.name
            if kept is not None:
                outcomes[name] = CourseOutcome(None, kept.diagnostics, kept.written, referenced=kept.referenced,
                                               restored=True, valid=kept.valid, patched=kept.patched, fixed=kept.fixed)
                (patched if kept.patched else restored).add(name)
            else:
                to_build.append(course)
        jobs = default_jobs(len(to_build)) if whole else 1
        for course, outcome in zip(to_build, build_courses(to_build, renderer, staging, jobs), strict=True):
            outcomes[course.name] = outcome
        outcomes = {course.name: outcomes[course.name] for course in folders}  # in the order of courses/
        for outcome in outcomes.values():
            report.diagnostics.extend(outcome.diagnostics)
        finish_checks(site, report, strict=False)
        template_errors = [error for outcome in outcomes.values() for error in outcome.template_errors]
        if template_errors:  # as a one-process build, which stops at the first
            report.diagnostics.append(template_errors[0])
            raise InputError(report)
        built = {course.name for course in to_build}
        self._changing = True
        self._served = keep | {name: _Served(stored.course_keys[name], outcomes[name], self._info(name))
                               for name in outcomes if name not in keep}
        site_files = self._site_files(stored, renderer, outcomes, built | restored | patched, staging,
                                      report, today, now)
        return outcomes, site_files, built, built | restored | patched

    def _offerings(self, folders: list[Path], report: Report) -> list[CourseSummary]:
        from coursesite.offerings import scan_offerings

        if self.known.offerings is None:
            scan = Report()
            self.known.offerings = (scan_offerings(folders, scan), tuple(scan.diagnostics))
        report.diagnostics.extend(self.known.offerings[1])
        return self.known.offerings[0]

    def _environment(self, stored: StoredBuilds) -> Environment:
        """The templates, compiled again only when the settings (which digest them) changed."""
        from coursesite.render import make_environment

        settings = stored.settings_digest
        if self._templates is None or self._templates[0] != settings:
            self._templates = (settings, make_environment(self.site_folder))
        return self._templates[1]

    def _site_files(self, stored: StoredBuilds, renderer: Renderer, outcomes: dict[str, CourseOutcome],
                    redone: set[str], staging: Path, report: Report, today: dt.date, now: dt.datetime | None,
                    ) -> dict[str, bytes]:
        """The catalog, index.json and the site's feed: those served, unless what they show changed."""
        from coursesite.build import template_errors_reported
        from coursesite.news import site_feed
        from coursesite.offerings import offering_groups
        from coursesite.schedule_json import index_json

        good = list(outcomes)  # a course with errors has stopped the build
        context = (stored.settings_digest, today, tuple(sorted(
            (slug, repr(group)) for slug, group in renderer.offerings.items())), tuple(good))
        known = self._site
        before = {slug: (info, feed) for slug, info, feed in known.courses} if known is not None else {}
        courses = tuple((name, *before[name]) if name in before and name not in redone
                        else (name, self._served[name].info, _digest(self._feed(name, staging if name in redone
                                                                                 else self.out)))
                        for name in good)
        valid = site_validity(today, [outcomes[name].valid for name in good])
        if known is not None and known.context == context and known.courses == courses and valid.covers(today, now):
            self._site = replace(known, valid=valid)
            return known.files
        restored_site = stored.restore_site() if self._stored is not None else None
        if restored_site is not None and list(restored_site.courses) == good:
            files = {urls.CATALOG: restored_site.catalog, urls.INDEX_JSON: restored_site.index,
                     urls.SITE_FEED: restored_site.feed}
        else:
            summaries = [self._summary(stored, name, outcomes[name]) for name in good]
            with template_errors_reported(report):
                catalog = renderer.catalog(summaries).encode()
            feeds = [(summary, self._feed(summary.slug, staging if summary.slug in redone else self.out))
                     for summary in summaries]
            files = {urls.CATALOG: catalog, urls.INDEX_JSON: index_json(summaries, offering_groups(summaries, today)),
                     urls.SITE_FEED: site_feed(renderer, [(summary, feed) for summary, feed in feeds if feed])}
        self._site = _SiteFiles(context, courses, valid, files)
        return files

    def _info(self, name: str) -> bytes:
        return self.known.sources.digest(str(self.site_folder / "courses" / name / "course.yaml"))

    @staticmethod
    def _feed(name: str, folder: Path) -> bytes:
        try:
            with open(folder / urls.course_feed(name), "rb") as file:
                return file.read()
        except OSError:
            return b""

    def _summary(self, stored: StoredBuilds, name: str, outcome: CourseOutcome) -> CourseSummary:
        """What the catalog shows of a course: kept from its build, else stored, else read from course.yaml."""
        from coursesite.loading import load_yaml
        from coursesite.model import CourseInfo
        from coursesite.site import CourseSummary
        from coursesite.validation import validate

        if outcome.course is not None:
            return outcome.course
        folder = self.site_folder / "courses" / name
        summary = stored.stored_summary(name, folder)
        if summary is None:  # its entry was replaced since: course.yaml is unchanged (its key is)
            document = load_yaml(folder / "course.yaml", Report())
            info = validate(CourseInfo, document, Report(), what="course.yaml") if document else None
            assert info is not None, "a course that built has a valid course.yaml"
            summary = CourseSummary(name, folder, info)
        served = self._served[name]
        self._served[name] = replace(served, outcome=replace(served.outcome, course=summary))
        return summary

    # ---- keeping and publishing ----------------------------------------------------------------

    def audit(self, interrupted: Callable[[], bool]) -> list[Path] | None:
        """The course folders that changed since they were last digested though no file event said
        so (they are forgotten: the next build reads them again); None when `interrupted()` turns true."""
        self.wait_stored()
        courses = self.site_folder / "courses"
        try:
            names = sorted(entry.name for entry in os.scandir(courses) if is_folder(entry))
        except OSError:
            return []
        if names != sorted(self.known.digested()):
            self.known.forget(self.site_folder, [courses])
            return [courses]
        missed = []
        for name in names:
            if interrupted():
                return None
            if folder_fingerprint(courses / name, self.known.sources) != self.known.fingerprint(courses / name):
                self.known.forget(self.site_folder, [courses / name / "course.yaml"])
                missed.append(courses / name)
        return missed

    def wait_stored(self) -> None:
        """Wait until what the last build keeps in the disk cache is there."""
        if self._storing is not None:
            self._storing.join()
            self._storing = None

    def _store(self, folder: Path, stored: StoredBuilds, outcomes: dict[str, CourseOutcome], built: set[str],
               site_files: dict[str, bytes], diagnostics: tuple[Diagnostic, ...], today: dt.date,
               pages: int) -> None:
        """Keep what was built (its files in `folder`) in the disk cache, for the next start; a cache
        that cannot be written only slows that start."""
        with suppress(OSError):
            for name in built:
                outcome = outcomes[name]
                if outcome.course is not None:
                    stored.store_course(folder, outcome.course, outcome.written, outcome.diagnostics,
                                        outcome.referenced, outcome.valid, outcome.fixed, outcome.marked)
            good = list(outcomes)
            if built or stored.restore_site() is None:
                stored.store_site(StoredSite(diagnostics, self._strict_allows, tuple(good), pages,
                                             site_files[urls.CATALOG], site_files[urls.SITE_FEED],
                                             site_files[urls.INDEX_JSON],
                                             site_validity(today, [outcomes[name].valid for name in good]),
                                             site_fixed([outcomes[name].fixed for name in good])))

    def _publish(self, staging: Path, outcomes: dict[str, CourseOutcome], redone: set[str],
                 site_files: dict[str, bytes], whole: bool) -> set[str]:
        """Put the build in place; the output paths that are new, different or gone."""
        copies = static_files(self.site_folder)
        for name, outcome in outcomes.items():
            copies.update(course_files(name, self.site_folder / "courses" / name, outcome.referenced))
        keys = {path: _file_key(source) for path, source in copies.items()}
        if whole:
            for path, content in site_files.items():
                write_file(str(staging), path, content)
            for path, source in sorted(copies.items()):
                shutil.copyfile(source, prepare_target(str(staging), path))
            finish_staging(staging, self.out, deferred=self.deferred)
            with self.lock:
                old = swap_into_place(staging, self.out)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
            self._copies = keys
            self._written = {name: outcome.written for name, outcome in outcomes.items()}
            self.deferred.dirty.update(outcomes)
            return {path for outcome in outcomes.values() for path in outcome.written} | set(site_files) | set(copies)
        moves: list[tuple[str, str]] = []  # (new file in staging, output path)
        gone: set[str] = set()
        changed: set[str] = set()
        for name in redone:
            for path in outcomes[name].written:
                if not _same_file(staging / path, self.out / path):
                    moves.append((str(staging / path), path))
            gone.update(set(self._written.get(name, ())) - set(outcomes[name].written))
        for name in set(self._written) - set(outcomes):
            gone.update(self._written[name])
        for path, content in site_files.items():
            if _read(self.out / path) != content:
                write_file(str(staging), f".site/{path}", content)
                moves.append((str(staging / ".site" / path), path))
        for path, source in copies.items():
            if self._copies.get(path) != keys[path]:
                shutil.copyfile(source, prepare_target(str(staging), f".copies/{path}"))
                moves.append((str(staging / ".copies" / path), path))
        gone.update(set(self._copies) - set(copies))
        gone -= {path for _, path in moves}
        with self.lock:
            for new, path in moves:
                target = prepare_target(str(self.out), path)
                os.replace(new, target)
            for path in gone:
                with suppress(OSError):
                    os.unlink(self.out / path)
        for path in gone:
            _remove_empty_folders(self.out, path)
        self._copies = keys
        self._written = {name: outcome.written for name, outcome in outcomes.items()}
        changed.update(path for _, path in moves)
        changed.update(gone)
        pages = {path.split("/", 1)[0] for path in changed if path.endswith(".html") and "/" in path}
        if pages:
            self.deferred.dirty.update(pages)
            self.deferred.stale = True
        return changed


def _restore(stored: StoredBuilds | None, folders: list[Path], staging: Path) -> Iterable[StoredCourse | None]:
    """Each course taken from `stored` into `staging` (None where it is not there), in two threads
    when there are many: most of the time goes to hashing and linking the stored files, during which
    Python lets the other thread run."""
    if stored is None:
        return [None] * len(folders)
    if len(folders) < RESTORE_IN_THREADS:
        return [stored.restore_course(folder.name, staging) for folder in folders]
    with ThreadPoolExecutor(2) as pool:
        return list(pool.map(lambda folder: stored.restore_course(folder.name, staging), folders))


def _file_key(path: Path) -> tuple[int, int, int]:
    """A copied file is taken as unchanged while its inode, size and modification time are."""
    try:
        status = path.stat()
    except OSError:
        return (-1, -1, -1)
    return (status.st_ino, status.st_size, status.st_mtime_ns)


def _read(path: Path) -> bytes | None:
    try:
        with open(path, "rb") as file:
            return file.read()
    except OSError:
        return None


def _same_file(new: Path, old: Path) -> bool:
    content = _read(old)
    return content is not None and content == _read(new)


def _remove_empty_folders(out: Path, path: str) -> None:
    """Remove the folders of `path` that its removal left empty (a full build has no empty folder)."""
    folder = (out / path).parent
    while folder != out and out in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def _digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=20).digest()
