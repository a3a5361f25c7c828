"""Build the courses of a large site in several processes, each course wholly in one of them.

A course depends on nothing outside its folder but the site settings and the templates, so
worker processes load, check and render whole courses and write their files straight into the
staging folder: the parent never holds every page in memory. It gets back each course's
diagnostics and its model (for the catalog) and decides, as a one-process build does, whether
the staging folder becomes the output. The files are the same, byte for byte, whatever the
number of processes (tests/test_parallel.py compares the trees).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from coursesite.day_bounds import Validity
from coursesite.errors import Diagnostic, Report
from coursesite.markup import forget_conversions
from coursesite.render import COURSE_TEMPLATES, Renderer, report_template_error
from coursesite.site import CourseSummary

# Below this many courses, starting processes costs more than it saves.
MIN_COURSES_PER_PROCESS = 10
# Courses per task: enough to amortise a task's overhead, small enough to balance the load.
CHUNK_COURSES = 8
PR_SET_PDEATHSIG = 1  # prctl option, from <linux/prctl.h>
PARENT_CHECK_SECONDS = 1.0


def default_jobs(courses: int) -> int:
    """The number of processes for a site of `courses` courses: the usable CPUs, fewer for small sites."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cpus, courses // MIN_COURSES_PER_PROCESS))


@dataclass(frozen=True)
class CourseOutcome:
    """What the parent needs of one course built in a worker."""

    course: CourseSummary | None  # all the catalog needs; None when the course has errors
    diagnostics: tuple[Diagnostic, ...]
    written: tuple[str, ...] = ()  # output paths written into the staging folder
    template_errors: tuple[Diagnostic, ...] = ()
    referenced: tuple[str, ...] = ()  # the course's files that its pages link to, to be copied
    restored: bool = False  # taken from the build cache (stored_builds.py)
    valid: Validity = Validity()  # the days and moments this output is right for (day_bounds.py)
    # The days and moments on which only its day marks change (day_marks.py), and its pages that have them.
    fixed: Validity | None = None
    marked: tuple[str, ...] = ()
    patched: bool = False  # taken from the build cache with its day marks set for this build's day


@dataclass(frozen=True)
class _Job:
    renderer: Renderer
    staging: str
    parent: int = 0  # the building process, whose death ends the workers
    stored: bool = True  # a build cache will store the outcome: find the days it is right for


# Set in each worker before its first task: fork hands the parent's renderer, with its
# compiled templates, to the workers without pickling it.
_job: _Job | None = None


def _start_worker(job: _Job) -> None:
    global _job
    _job = job
    # The building process turns SIGTERM into an exception to clean up (cli.terminable); a worker
    # has nothing to clean up, and ends as a process does.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    end_with_parent(job.parent)


def end_with_parent(parent: int) -> None:
    """End this worker when the building process `parent` dies, even by `kill -9`.

    The workers wait for tasks on a pipe that every one of them holds open, so without this
    they would sleep forever once the parent is gone. Linux kills them at once (a parent-death
    signal); elsewhere, and as a second guard, a thread notices that the parent has changed.
    """
    if sys.platform.startswith("linux"):
        with suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # it died before the signal was asked for
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), name="watch-parent", daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(1)


def build_courses(folders: list[Path], renderer: Renderer, staging: Path, jobs: int,
                  stored: bool = True) -> Iterator[CourseOutcome]:
    """Load, check and render every course folder into `staging`, in `jobs` processes.

    Outcomes come in the order of `folders`. A course is rendered only if it has no errors;
    the caller discards the staging folder when any course (or --strict) fails. Without
    `stored` (no build cache), an outcome leaves out what only the cache reads: the days and
    moments it is right for, and its pages with day marks.
    """
    job = _Job(renderer, str(staging), os.getpid(), stored)
    if jobs == 1:
        for folder in folders:
            yield build_course(folder, job)
        return
    # Imported here: most sites build in this process (jobs == 1) and need neither. selectolax
    # (the HTML check's parser, which sanitize.py imports when first needed) is imported once
    # here rather than in every worker.
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor, wait

    import selectolax.lexbor  # noqa: F401

    for name in COURSE_TEMPLATES:  # compiled once here, inherited by every worker
        renderer.env.get_template(name)
    chunks = [folders[i:i + CHUNK_COURSES] for i in range(0, len(folders), CHUNK_COURSES)]
    done: dict[int, list[CourseOutcome]] = {}
    running: dict[Future[list[CourseOutcome]], int] = {}
    handed = shown = 0  # chunks handed out (to a worker or to this process), chunks yielded
    # This process builds too, beside jobs - 1 workers: one process fewer in memory, and the
    # search index's Pagefind runs (search_as_built.py) have the memory it would have held.
    workers = jobs - 1
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=(job,)) as pool:
        while shown < len(chunks):
            while handed < len(chunks) and len(running) < 2 * workers:  # a chunk waiting for each worker
                running[pool.submit(_build_chunk, chunks[handed])] = handed
                handed += 1
            if handed < len(chunks):
                done[handed] = [build_course(folder, job) for folder in chunks[handed]]
                handed += 1
                forget_conversions()
            elif running:
                wait(running, return_when="FIRST_COMPLETED")
            for future in [future for future in running if future.done()]:
                done[running.pop(future)] = future.result()
            while shown in done:
                yield from done.pop(shown)
                shown += 1


@contextmanager
def building_beside(folders: list[Path], renderer: Renderer, staging: Path,
                    jobs: int) -> Iterator[Callable[[], list[CourseOutcome]]]:
    """Start building `folders` into `staging` in `jobs` other processes at once, while this one
    does something else (takes the other courses from the build cache); yields what waits for
    their outcomes, in the order of `folders`.

    A course edited on a new day is built while the rest of the site is linked from the cache,
    not after it: at 1,000 courses the linking takes longer than building the course, its
    syllabus.pdf included.
    """
    if not folders:
        yield lambda: []
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    job = _Job(renderer, str(staging), os.getpid())
    chunks = [folders[i:i + CHUNK_COURSES] for i in range(0, len(folders), CHUNK_COURSES)]
    pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"),
                               initializer=_start_worker, initargs=(job,))
    try:
        futures = [pool.submit(_build_chunk, chunk) for chunk in chunks]
        yield lambda: [outcome for future in futures for outcome in future.result()]
    finally:
        pool.shutdown(cancel_futures=True)


def _build_chunk(folders: list[Path]) -> list[CourseOutcome]:
    assert _job is not None, "worker not started"
    outcomes = [build_course(folder, _job) for folder in folders]
    # What a course memoised serves only that course: keep a worker of a large site small.
    forget_conversions()
    return outcomes


def build_course(folder: Path, job: _Job) -> CourseOutcome:
    """Load, check and render one course folder, writing its files under the staging folder."""
    from coursesite.build import load_and_check_course, render_course
    from coursesite.day_bounds import course_validity
    from coursesite.day_marks import has_marks
    from coursesite.news import every_item
    from coursesite.output_folder import write_file
    from coursesite.releases import release_moments

    renderer, staging = job.renderer, job.staging
    checked = load_and_check_course(folder)
    if checked.course is None or checked.dated is None or any(d.level == "error" for d in checked.diagnostics):
        return CourseOutcome(None, checked.diagnostics)
    try:
        files = render_course(renderer, checked.course, checked.dated)
    except Exception as exc:
        report = Report()
        if not report_template_error(exc, report):
            raise
        return CourseOutcome(None, checked.diagnostics, template_errors=tuple(report.diagnostics))
    for path, content in files.items():
        write_file(staging, path, content)
    # Listed before the source maps go: links in YAML texts are found through them.
    course, dated = checked.course, checked.dated
    view = renderer.released(course)
    referenced = tuple(renderer.files(view.course).referenced())
    renderer.forget(course)
    if not job.stored:
        return CourseOutcome(course.summary(), checked.diagnostics, tuple(files), referenced=referenced)
    news = every_item(course, renderer.change_log)
    # Every release gate's moment is an edge: the output changes when one opens (releases.py).
    gates = release_moments(course)
    valid = course_validity(renderer.today, renderer.now, course.info.term.timezone, rows=dated.rows, news=news,
                            model=(course, dated.deadlines, dated.modules, news, gates,
                                   renderer.offerings.get(course.slug)))
    # What changes a page besides its day marks (day_marks.py): an announcement appearing (its day
    # and moment), a release gate opening, which offering is current; the course's own dates too,
    # to be safe. Whatever else comes to compare a date with the build day must add its dates here.
    fixed = course_validity(renderer.today, renderer.now, course.info.term.timezone,
                            model=(course.info, news, gates, renderer.offerings.get(course.slug)))
    marked = tuple(sorted(path for path, content in files.items() if path.endswith(".html") and has_marks(content)))
    return CourseOutcome(course.summary(), checked.diagnostics, tuple(files), referenced=referenced, valid=valid,
                         fixed=fixed, marked=marked)
