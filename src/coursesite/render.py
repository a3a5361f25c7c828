"""Jinja environment (site templates over the default theme) and one context per page kind."""

from __future__ import annotations

import datetime as dt
import json
import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateSyntaxError,
    pass_context,
    select_autoescape,
)
from jinja2.runtime import Context
from markupsafe import Markup

from coursesite import urls
from coursesite.deliverables import Deadline
from coursesite.errors import Report
from coursesite.exams import exam_rows
from coursesite.feeds import Feed
from coursesite.formatting import (
    format_clock,
    format_date,
    format_datetime,
    format_moment,
    format_points,
    format_time,
    format_weekdays,
)
from coursesite.grading import band_range, grading_table
from coursesite.markdown_links import CourseLinks
from coursesite.markup import render_inline, render_markdown
from coursesite.model import Reading
from coursesite.modules import module_label
from coursesite.releases import BuildClock, Pending, ReleasedView, released_view
from coursesite.schedule import DatedSchedule, Row
from coursesite.site import Course, CourseSummary, Site
from coursesite.syllabus import pdf_available, policies
from coursesite.theme import theme_folder
from coursesite.timetable_grid import hour_label, week_grid


def make_environment(site_folder: Path) -> Environment:
    """Templates in the site folder override the default theme's, file by file."""
    loaders = [FileSystemLoader(str(site_folder / "templates"))]
    default = theme_folder() / "templates"
    if default.resolve() != (site_folder / "templates").resolve():
        loaders.append(FileSystemLoader(str(default)))
    env = Environment(loader=ChoiceLoader(loaders), autoescape=select_autoescape(default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True,
                      # No file checks on every page: the dev server makes a new environment
                      # when a template changes (incremental.py).
                      auto_reload=False)
    env.globals.update(band_range=band_range)
    env.filters.update(markdown=_markdown_filter, inline=_inline_filter, date=format_date,
                       time=format_time, weekdays=format_weekdays, points=format_points,
                       datetime=format_datetime, clock=format_clock, moment=format_moment,
                       tojson_attr=lambda v: json.dumps(v, sort_keys=True))
    return env


def report_template_error(exc: BaseException, report: Report) -> bool:
    """Report an error raised by a template at its line; False when no template raised it."""
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        report.error(exc.filename, exc.lineno, 1, f"template error: {exc.message}")
        return True
    # Jinja rewrites tracebacks so that template code shows as frames of the template file.
    frames = [(frame.f_code.co_filename, line) for frame, line in traceback.walk_tb(exc.__traceback__)
              if "__jinja_exception__" in frame.f_globals]
    if not frames:
        return False
    filename, line = frames[-1]
    message = exc.message if isinstance(exc, TemplateError) and exc.message else f"{type(exc).__name__}: {exc}"
    report.error(filename, line, 1, f"template error: {message}")
    return True


@pass_context
def _markdown_filter(context: Context, text: str | None) -> Markup:
    """Markdown prose; on a course page, relative links lead to the course's pages and files."""
    return render_markdown(text, rewrite_link=context.get("rewrite_link"))


@pass_context
def _inline_filter(context: Context, text: str | None) -> Markup:
    return render_inline(text, rewrite_link=context.get("rewrite_link"))


# ---- page contexts -------------------------------------------------------------------------


@dataclass(frozen=True)
class NavItem:
    title: str
    path: str
    kind: str


# The templates `Renderer.course_pages` renders (each with the ones it extends or includes).
COURSE_TEMPLATES = ("overview.html", "schedule.html", "readings.html", "links.html", "page.html",
                    "assignments.html", "week.html", "syllabus.html")


class Renderer:
    """Renders every page of a site into strings keyed by output path."""

    def __init__(self, site: Site, *, today: dt.date, base_url: str | None,
                 env: Environment | None = None, clock: BuildClock | None = None, pdf: bool = False) -> None:
        self.site = site
        self.pdf = pdf and pdf_available()  # make syllabus.pdf: asked for, and WeasyPrint installed
        self.env = env or make_environment(site.folder)
        self.today = today
        # The moment release dates are compared with: by default the start of `today`.
        self.clock = clock or BuildClock(dt.datetime.combine(today, dt.time()))
        self.base_url = base_url

    def render(self, template: str, path: str, **context: Any) -> str:
        def link(target: str) -> str:
            return urls.relative(path, target)

        return self.env.get_template(template).render(
            site=self.site.config, page_path=path, link=link,
            static=lambda name: link(urls.static_file(name)),
            catalog_link=link(urls.CATALOG), canonical=urls.absolute(self.base_url, path),
            search_script=lambda slug: link(urls.search_script(slug)),
            today=self.today, **context)

    def catalog(self, summaries: Iterable[CourseSummary]) -> str:
        terms: dict[str, list[CourseSummary]] = {}
        courses = sorted(summaries, key=_course_sort_key)
        for course in courses:
            terms.setdefault(course.info.term.name, []).append(course)
        return self.render("catalog.html", urls.CATALOG, terms=list(terms.items()), courses=courses,
                           overview=lambda c: urls.course_page(c.slug, "overview"),
                           title=self.site.config.title)

    def released(self, course: Course) -> ReleasedView:
        """The course as this build shows it: what is released by the build's moment."""
        return released_view(course, self.clock.now(course.info.term.timezone))

    def course_pages(self, course: Course, dated: DatedSchedule,
                     feeds: Sequence[Feed] = (), pending: Sequence[Pending] = (),
                     with_pdf: bool = True) -> dict[str, str]:
        nav = course_nav(course)
        files = CourseFiles(course)
        links = CourseLinks(course)
        common = dict(course=course, info=course.info, nav=nav, files=files, dated=dated, pending=list(pending),
                      feeds=list(feeds), readings_by_id=readings_by_id(course),
                      schedule_path=urls.course_page(course.slug, "schedule"),
                      readings_path=urls.course_page(course.slug, "readings"),
                      assignments_path=urls.course_page(course.slug, "assignments"),
                      week_path=urls.course_page(course.slug, "week"),
                      syllabus_path=urls.course_page(course.slug, "syllabus"),
                      syllabus_pdf=urls.syllabus_pdf(course.slug) if self.pdf and with_pdf else None,
                      row_label=row_label, row_name=row_name, exams=exam_rows(course, dated),
                      grading=grading_table(course.info.grading) if course.info.grading else None)
        pages: dict[str, str] = {}
        for item in nav:
            context: dict[str, Any] = dict(common, current=item, title=item.title,
                                           rewrite_link=links.rewriter(links.root, item.path))
            if item.kind == "overview":
                context.update(glance=at_a_glance(dated, self.today))
            if item.kind.startswith("page:"):
                page = next(p for p in course.pages if f"page:{p.name}" == item.kind)
                body = render_markdown(page.body, allow_html=True,
                                       rewrite_link=links.rewriter(links.pages_folder, item.path))
                context.update(page=page, body=body, title=page.meta.title)
            template = "page.html" if item.kind.startswith("page:") else f"{item.kind}.html"
            pages[item.path] = self.render(template, item.path, **context)
        # The week and the syllabus, linked from the overview rather than the navigation.
        week = urls.course_page(course.slug, "week")
        pages[week] = self.render("week.html", week, **dict(
            common, current=None, title="Week", week=week_grid(course.info), hour_label=hour_label,
            rewrite_link=links.rewriter(links.root, week)))
        syllabus = urls.course_page(course.slug, "syllabus")
        pages[syllabus] = self.render("syllabus.html", syllabus, **dict(
            common, current=None, title="Syllabus", policies=policies(course, links, syllabus),
            rewrite_link=links.rewriter(links.root, syllabus)))
        return pages


def course_nav(course: Course) -> list[NavItem]:
    """The same navigation on every page of a course; empty readings or links are left out."""
    slug = course.slug
    nav = [NavItem("Overview", urls.course_page(slug, "overview"), "overview"),
           NavItem("Schedule", urls.course_page(slug, "schedule"), "schedule")]
    if course.readings.groups:
        nav.append(NavItem("Readings", urls.course_page(slug, "readings"), "readings"))
    if course.links.groups:
        nav.append(NavItem("Links", urls.course_page(slug, "links"), "links"))
    if has_assignments(course):
        nav.append(NavItem("Assignments", urls.course_page(slug, "assignments"), "assignments"))
    for page in course.pages:
        nav.append(NavItem(page.meta.nav_title or page.meta.title,
                           urls.markdown_page(slug, page.name), f"page:{page.name}"))
    return nav


def has_assignments(course: Course) -> bool:
    """Whether the course lists assignments or anything due: then it has an assignments page."""
    schedule = course.schedule
    return bool(schedule.assignments) or any(s.due for s in schedule.sessions) \
        or any(m.due for m in schedule.modules)


def readings_by_id(course: Course) -> dict[str, Reading]:
    return {r.id: r for group in course.readings.groups for r in group.items if r.id}


def row_label(row: Row) -> str:
    """What a row is called before its topic: 'Module 2', a label, 'Lecture 3', or nothing."""
    if row.module is not None:
        return module_label(row)
    return row.heading or ""


def row_name(row: Row) -> str:
    """'Lecture 3: Backpropagation', as links to a row read."""
    label = row_label(row)
    return f"{label}: {row.topic}" if label and label != row.topic else row.topic


class CourseFiles:
    """Resolves a course's `file:` references: the output path if the file exists, else None."""

    def __init__(self, course: Course) -> None:
        self.course = course
        self.root = course.folder.resolve()  # asked once: templates check every material
    def file_path(self, name: str) -> str | None:
        """The output path of course file `name`, or None when the file is not there yet."""
        return urls.course_file(self.course.slug, name) if self.exists(name) else None

    def exists(self, name: str) -> bool:
        path = self.course.folder / name
        return path.is_file() and self.root in path.resolve().parents

    def referenced(self) -> list[str]:
        """Every existing file the course's pages link to, to copy into the output."""
        names = {name for _, _, name in self.course.file_references()}
        names.update(CourseLinks(self.course).linked_files())
        return sorted(n for n in names if self.exists(n))


@dataclass(frozen=True)
class Glance:
    """What the overview shows at a glance: the week's sessions and the next deadlines."""

    SESSION_LIMIT: ClassVar[int] = 6
    DEADLINE_LIMIT: ClassVar[int] = 3

    sessions: list[Row]
    deadlines: list[Deadline]
    dated_sessions: list[Row]  # every dated row and deadline, for the script to choose from
    dated_deadlines: list[Deadline]


def at_a_glance(dated: DatedSchedule, today: dt.date) -> Glance:
    """The first sessions from today to the end of next week, and the next deadlines.

    The static lists are right on `today`; the page's script recomputes them in the browser for
    the reader's day from every dated item, which the page carries as data attributes.
    """
    horizon = today + dt.timedelta(days=13 - today.weekday())
    rows = [r for r in dated.rows if r.date]
    sessions = [r for r in rows if r.date and (r.end or r.date) >= today and r.date <= horizon]
    deadlines = [d for d in dated.deadlines if d.due]
    future = [d for d in deadlines if d.due and d.due.day >= today]
    return Glance(sessions[:Glance.SESSION_LIMIT], future[:Glance.DEADLINE_LIMIT], rows, deadlines)


def _course_sort_key(course: CourseSummary) -> tuple[Any, ...]:
    """Newest term first, then by code and title."""
    term = course.info.term
    start = term.start.value if term.start else _term_name_date(term.name)
    return (-start.toordinal(), course.info.code or "", course.info.title)


def _term_name_date(name: str) -> dt.date:
    import re

    year = re.search(r"(19|20)\d\d", name)
    season = {"winter": 1, "spring": 2, "summer": 6, "fall": 9, "autumn": 9}
    month = next((m for word, m in season.items() if word in name.lower()), 1)
    return dt.date(int(year[0]), month, 1) if year else dt.date(1, 1, 1)

