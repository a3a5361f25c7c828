"""Jinja environment (site templates over the default theme) and one context per page kind."""

from __future__ import annotations

import datetime as dt
import json
import traceback
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

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
from coursesite.announcements import NewsItem
from coursesite.build_clock import build_moment
from coursesite.default_names import kind_label, meeting_name, person_role
from coursesite.deliverables import Deadline
from coursesite.errors import Report
from coursesite.exams import exam_rows
from coursesite.feeds import Feed
from coursesite.formatting import (
    format_clock,
    format_date,
    format_datetime,
    format_moment,
    format_percent,
    format_points,
    format_time,
    format_weekday_name,
    format_weekdays,
    formats_for,
)
from coursesite.grading import band_range, grading_table
from coursesite.locales import text_direction
from coursesite.markdown_links import CourseLinks
from coursesite.markup import render_inline, render_markdown
from coursesite.model import Assignment, Reading
from coursesite.modules import module_label
from coursesite.offerings import OfferingGroup, offering_groups, term_start
from coursesite.releases import Pending, ReleasedView, released_view
from coursesite.schedule import DatedSchedule, Row
from coursesite.script_text import script_messages
from coursesite.shared_parts import DELIVERABLES, SharedParts
from coursesite.site import Course, CourseSummary, Site
from coursesite.structured_data import course_json_ld
from coursesite.syllabus import pdf_available, policies
from coursesite.template_cache import ThemeTemplateCache
from coursesite.template_text import template_gettext
from coursesite.theme import theme_folder
from coursesite.timetable_grid import hour_label, week_grid
from coursesite.translations import _, gettext, ngettext

if TYPE_CHECKING:
    from coursesite.change_log import ChangeLog
    from coursesite.news import News


def make_environment(site_folder: Path) -> Environment:
    """Templates in the site folder override the default theme's, file by file."""
    loaders = [FileSystemLoader(str(site_folder / "templates"))]
    default = theme_folder() / "templates"
    if default.resolve() != (site_folder / "templates").resolve():
        loaders.append(FileSystemLoader(str(default)))
    env = Environment(loader=ChoiceLoader(loaders), autoescape=select_autoescape(default=True),
                      bytecode_cache=ThemeTemplateCache(default),
                      extensions=["jinja2.ext.i18n"],
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True,
                      # No file checks on every page: the dev server makes a new environment
                      # when a template changes (served_builds.py).
                      auto_reload=False)
    # The course's language is set around its rendering (formatting.formats_for).
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    quick = template_gettext(gettext)  # the same, each message's markup made once per language
    env.globals.update(gettext=quick, _=quick)
    env.globals.update(band_range=band_range, script_messages=script_messages, text_direction=text_direction,
                       kind_label=kind_label, meeting_name=meeting_name, person_role=person_role)
    env.filters.update(markdown=_markdown_filter, inline=_inline_filter, date=format_date,
                       time=format_time, weekdays=format_weekdays, weekday_name=format_weekday_name,
                       points=format_points,
                       datetime=format_datetime, clock=format_clock, moment=format_moment, percent=format_percent,
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
                    "assignments.html", "announcements.html", "week.html", "syllabus.html",
                    DELIVERABLES)  # `deliverables_table()` renders it (shared_parts.py)


class Renderer:
    """Renders every page of a site into strings keyed by output path."""

    def __init__(self, site: Site, *, today: dt.date, base_url: str | None,
                 env: Environment | None = None, now: dt.datetime | None = None,
                 change_log: ChangeLog | None = None, offerings: dict[str, OfferingGroup] | None = None,
                 pdf: bool = False) -> None:
        self.site = site
        self._views: dict[int, tuple[Course, ReleasedView]] = {}
        self._files: dict[int, tuple[Course, CourseFiles]] = {}
        self.pdf = pdf and pdf_available()  # make syllabus.pdf: asked for, and WeasyPrint installed
        self.env = env or make_environment(site.folder)
        self.theme_templates = str(theme_folder() / "templates")
        self.today = today
        self.base_url = base_url
        # The moment the build is for: aware, naive (--now: in each course's zone) or None (the start
        # of `today` there); announcements and release dates are compared with it (build_clock.py).
        self.now = now
        self.change_log = change_log
        self.offerings = offerings or {}  # course slug -> its offerings (offerings.py)

    def render(self, template: str, path: str, **context: Any) -> str:
        def link(target: str) -> str:
            return urls.relative(path, target)

        language = context.pop("language", self.site.config.language)
        direction = text_direction(language)
        values: dict[str, Any] = dict(
            language=language, direction=direction,
            # Latin runs (course codes, addresses, file names) on a right-to-left page keep their
            # own order: the attribute goes on the element that holds one.
            isolate=Markup(' dir="auto"') if direction == "rtl" else "",
            site=self.site.config, page_path=path, link=link,
            static=lambda name: link(urls.static_file(name)),
            catalog_link=link(urls.CATALOG), canonical=urls.absolute(self.base_url, path),
            search_script=lambda *_: link(urls.search_script()),  # a theme of old passes a slug
            offering_path=lambda offering: urls.course_page(offering.slug, "overview"),
            today=self.today)
        return self.env.get_template(template).render(values | context)

    def catalog(self, summaries: Iterable[CourseSummary]) -> str:
        with formats_for(self.site.config.language):
            return self._catalog(summaries)

    def _catalog(self, summaries: Iterable[CourseSummary]) -> str:
        """Courses by term, newest first; a course with offerings once, at its current offering."""
        summaries = list(summaries)
        groups = offering_groups(summaries, self.today)
        terms: dict[str, list[CourseSummary]] = {}
        courses = sorted(summaries, key=_course_sort_key)
        for course in courses:
            if course.slug not in groups or not groups[course.slug].archived(course.slug):
                terms.setdefault(course.info.term.name, []).append(course)
        return self.render("catalog.html", urls.CATALOG, terms=list(terms.items()), courses=courses,
                           overview=lambda c: urls.course_page(c.slug, "overview"),
                           offerings=lambda c: groups.get(c.slug),
                           title=self.site.config.title, atom_feed=urls.SITE_FEED)

    def moment(self, course: Course) -> dt.datetime:
        """The moment this build is for, in the course's time zone."""
        return build_moment(self.now, self.today, course.info.term.timezone)

    def released(self, course: Course) -> ReleasedView:
        """The course as this build shows it: what is released by the build's moment.

        Made once per course and build: its pages, its copied files and the cache each ask. The
        course is kept beside its view, so that an id is never taken for another course's."""
        kept = self._views.get(id(course))
        if kept is None or kept[0] is not course:
            kept = course, released_view(course, self.moment(course))
            self._views[id(course)] = kept
        return kept[1]

    def files(self, course: Course) -> CourseFiles:
        """The course's files, each asked of the file system once in a build: its pages, its
        schedule.json and the list of files to copy ask for the same ones."""
        kept = self._files.get(id(course))
        if kept is None or kept[0] is not course:
            kept = self._files[id(course)] = course, CourseFiles(course)
        return kept[1]

    def forget(self, course: Course) -> None:
        """Drop the view of `course`, whose files are made: a worker of a large site builds hundreds
        of courses with one renderer, and a view kept would keep its whole course (250 MB a worker
        at 1,000 courses)."""
        view = self._views.pop(id(course), None)
        self._files.pop(id(course), None)
        if view is not None:
            self._files.pop(id(view[1].course), None)

    def course_pages(self, course: Course, dated: DatedSchedule,
                     feeds: Sequence[Feed] = (), news: News | None = None, pending: Sequence[Pending] = (),
                     with_pdf: bool = True) -> dict[str, str]:
        items = news.items if news else []
        nav = course_nav(course, has_news=bool(items))
        files = self.files(course)
        links = CourseLinks(course)
        common = dict(language=course_language(course, self.site),
                      course=course, info=course.info, nav=nav, files=files, dated=dated, pending=list(pending),
                      feeds=list(feeds), readings_by_id=readings_by_id(course),
                      deadlines_of=DeadlinesOfRows(dated.deadlines),
                      assignments_by_id=assignments_by_id(course),
                      schedule_path=urls.course_page(course.slug, "schedule"),
                      readings_path=urls.course_page(course.slug, "readings"),
                      assignments_path=urls.course_page(course.slug, "assignments"),
                      week_path=urls.course_page(course.slug, "week"),
                      syllabus_path=urls.course_page(course.slug, "syllabus"),
                      syllabus_pdf=urls.syllabus_pdf(course.slug) if self.pdf and with_pdf else None,
                      row_label=row_label, row_name=row_name, exams=exam_rows(course, dated),
                      grading=grading_table(course.info.grading) if course.info.grading else None,
                      news=items, atom_feed=urls.course_feed(course.slug),
                      announcements_path=urls.course_page(course.slug, "announcements"),
                      offerings=self.offerings.get(course.slug),
                      deliverables_table=SharedParts(self.theme_templates).deliverables)
        # Every item, the ones not shown today hidden: the script shows them on other days.
        current_news = [item for item in items if item.on_overview(self.today)]
        overview_context: dict[str, Any] = dict(
            glance=at_a_glance(dated, self.today), latest_news=items,
            news_shown=current_news[:NewsItem.OVERVIEW_LIMIT],
            structured_data=course_json_ld(course.slug, course.info, dated, self.base_url))
        pages: dict[str, str] = {}
        for item in nav:
            context: dict[str, Any] = dict(common, current=item, title=item.title,
                                           rewrite_link=links.rewriter(links.root, item.path))
            if item.kind == "overview":
                context.update(overview_context)
            if item.kind.startswith("page:"):
                page = next(p for p in course.pages if f"page:{p.name}" == item.kind)
                body = render_markdown(page.body, allow_html=True,
                                       rewrite_link=links.rewriter(links.pages_folder, item.path))
                context.update(page=page, body=body, title=page.meta.title)
            template = "page.html" if item.kind.startswith("page:") else f"{item.kind}.html"
            pages[item.path] = self.render(template, item.path, **context)
        group = self.offerings.get(course.slug)
        if group and not group.archived(course.slug):
            # The course's stable address: the current offering's overview, a real page (not a
            # redirect) so that it works from file:// too; search engines keep the offering's URL.
            stable, overview = urls.stable_page(group.name), nav[0]
            pages[stable] = self.render("overview.html", stable, **dict(
                common, current=overview, title=overview.title, **overview_context,
                rewrite_link=links.rewriter(links.root, stable),
                canonical=urls.absolute(self.base_url, overview.path)))
        # The week and the syllabus, linked from the overview rather than the navigation.
        week = urls.course_page(course.slug, "week")
        pages[week] = self.render("week.html", week, **dict(
            common, current=None, title=_("Week"), week=week_grid(course.info), hour_label=hour_label,
            rewrite_link=links.rewriter(links.root, week)))
        syllabus = urls.course_page(course.slug, "syllabus")
        pages[syllabus] = self.render("syllabus.html", syllabus, **dict(
            common, current=None, title=_("Syllabus"), policies=policies(course, links, syllabus),
            rewrite_link=links.rewriter(links.root, syllabus)))
        return pages


def course_language(course: Course | CourseSummary, site: Site) -> str:
    """course.yaml's `language`, else site.yaml's (English unless set)."""
    return course.info.language or site.config.language


def course_nav(course: Course, has_news: bool = False) -> list[NavItem]:
    """The same navigation on every page of a course; empty readings or links are left out, and
    announcements unless something is published."""
    slug = course.slug
    nav = [NavItem(_("Overview"), urls.course_page(slug, "overview"), "overview"),
           NavItem(_("Schedule"), urls.course_page(slug, "schedule"), "schedule")]
    if has_news:
        nav.append(NavItem(_("Announcements"), urls.course_page(slug, "announcements"), "announcements"))
    if course.readings.groups:
        nav.append(NavItem(_("Readings"), urls.course_page(slug, "readings"), "readings"))
    if course.links.groups:
        nav.append(NavItem(_("Links"), urls.course_page(slug, "links"), "links"))
    if has_assignments(course):
        nav.append(NavItem(_("Assignments"), urls.course_page(slug, "assignments"), "assignments"))
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


def assignments_by_id(course: Course) -> dict[str, Assignment]:
    """Each id's first assignment (a repeated id is an error of the checks)."""
    found: dict[str, Assignment] = {}
    for assignment in course.schedule.assignments:
        found.setdefault(assignment.id, assignment)
    return found


class DeadlinesOfRows:
    """The deadlines each schedule row collects and releases, in the order of `deadlines`.

    What `deadlines | selectattr("row", "sameas", row)` gives, found once per page rather than
    by a pass over every deadline for every row.
    """

    def __init__(self, deadlines: Iterable[Deadline]) -> None:
        self._due: dict[int, list[Deadline]] = {}
        self._released: dict[int, list[Deadline]] = {}
        for deadline in deadlines:
            if deadline.row is not None:
                self._due.setdefault(id(deadline.row), []).append(deadline)
            if deadline.release_row is not None:
                self._released.setdefault(id(deadline.release_row), []).append(deadline)

    def due(self, row: Row) -> list[Deadline]:
        return self._due.get(id(row), [])

    def released(self, row: Row) -> list[Deadline]:
        return self._released.get(id(row), [])


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
        # Each name asked once: the pages of a course ask for the same files again and again,
        # and resolving a path reads every folder on the way.
        self._found: dict[str, bool] = {}

    def file_path(self, name: str) -> str | None:
        """The output path of course file `name`, or None when the file is not there yet."""
        return urls.course_file(self.course.slug, name) if self.exists(name) else None

    def exists(self, name: str) -> bool:
        found = self._found.get(name)
        if found is None:
            path = self.course.folder / name
            found = self._found[name] = path.is_file() and self.root in path.resolve().parents
        return found

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
    return (-term_start(course.info.term).toordinal(), course.info.code or "", course.info.title)

