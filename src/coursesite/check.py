"""Checks beyond the schema: dates, references, files and links. Reports; writes nothing."""

from __future__ import annotations

import bisect
import datetime as dt
import html
import re
from html.entities import html5
from pathlib import Path

from coursesite.active_content import active_content, active_content_message
from coursesite.deliverable_checks import assignment_references, check_deliverables, reading_references
from coursesite.errors import Report
from coursesite.loading import link_problem
from coursesite.localized import message_date
from coursesite.markdown_cost import markdown_cost_problems
from coursesite.markdown_links import CourseLinks, strings_in, yaml_texts
from coursesite.markup import TooDeeplyNested, converted_html, deepest_paragraph, links_in, render_markdown
from coursesite.model import WEEKDAY_NAMES, WEEKDAYS, CourseDate
from coursesite.sanitize import html_problems
from coursesite.schedule import DatedSchedule
from coursesite.site import Course, Site
from coursesite.suggestions import closest
from coursesite.timetable import cancelled, pattern_days, weekday_on
from coursesite.timetable_checks import check_timetable
from coursesite.validation import field_path


def check_site(site: Site, schedules: dict[str, DatedSchedule], report: Report) -> None:
    check_site_files(site, report)
    for course in site.courses:
        check_course(course, schedules[course.slug], report)


def check_site_files(site: Site, report: Report) -> None:
    """What belongs to the site rather than to a course: site.yaml's prose and static/."""
    _check_site_markdown(site, report)
    _check_static_files(site, report)


def check_course(course: Course, dated: DatedSchedule, report: Report) -> None:
    _check_stated_weekdays(course, report)
    _check_sessions(course, dated, report)
    check_timetable(course, report)
    _check_references(course, report)
    check_deliverables(course, dated, report)
    _check_files(course, report)
    _check_markdown_links(course, report)


def _at(course: Course, part: str, loc: tuple[str | int, ...]) -> tuple[Path, int, int]:
    source = course.sources.get(part)
    line, col = source.locate(loc) if source else (1, 1)
    return course.source_file(part), line, col


def _weekday_mismatch(date: CourseDate, calendar: str) -> str | None:
    if date.stated_weekday is None or date.stated_weekday == date.value.weekday():
        return None
    return (f"{message_date(date, calendar)} is a {WEEKDAY_NAMES[date.value.weekday()]}, not a "
            f"{WEEKDAY_NAMES[date.stated_weekday]}")


def _check_stated_weekdays(course: Course, report: Report) -> None:
    info, schedule = course.info, course.schedule
    places: list[tuple[str, tuple[str | int, ...], CourseDate | None]] = [
        ("course", ("term", "start"), info.term.start),
        ("course", ("term", "end"), info.term.end),
    ]
    for i, holiday in enumerate(info.holidays):
        places += [("course", ("holidays", i, "date"), holiday.date),
                   ("course", ("holidays", i, "end"), holiday.end)]
    for i, session in enumerate(schedule.sessions):
        places += [("schedule", ("sessions", i, "date"), session.date),
                   ("schedule", ("sessions", i, "end"), session.end)]
    for part, loc, date in places:
        message = _weekday_mismatch(date, info.calendar) if date else None
        if message:
            report.warning("weekday-mismatch", *_at(course, part, loc), message)


def _check_sessions(course: Course, dated: DatedSchedule, report: Report) -> None:
    term, calendar = course.info.term, course.info.calendar
    previous: dict[str, dt.date] = {}  # the last date of each meeting pattern, in file order
    for row in sorted(dated.sessions, key=lambda r: r.index or 0):  # the order of schedule.yaml
        if row.session is None or row.index is None or row.attached:
            continue
        session = row.session
        date_loc = ("sessions", row.index, "date")
        where = _at(course, "schedule", date_loc if session.date else ("sessions", row.index))
        if session.meeting is not None and row.meeting is None:
            names = ", ".join(m.name for m in course.info.meetings) or "none are defined"
            report.error(*_at(course, "schedule", ("sessions", row.index, "meeting")),
                         f"meeting '{session.meeting}' is not a meeting pattern in course.yaml "
                         f"(patterns: {names})")
        if row.date is None:
            continue
        label = f"session '{row.topic}' on {message_date(row.date, calendar)}"
        if session.date is not None and session.end is None and session.time is None \
                and session.kind == "lecture" and row.meeting and pattern_days(row.meeting) \
                and weekday_on(row.date, course.info) not in pattern_days(row.meeting):
            days = "/".join(WEEKDAYS[d] for d in pattern_days(row.meeting))
            weekday = WEEKDAY_NAMES[row.date.weekday()]
            report.warning("not-a-meeting-day", *where,
                           f"{label} is a {weekday}, not a {row.meeting.name} day ({days})")
        holiday = cancelled(row.meeting, row.date, course.info)
        if holiday is not None and session.kind != "holiday":
            report.warning("on-holiday", *where, f"{label} falls on the holiday '{holiday.label}'")
        pattern = row.meeting.name if row.meeting else ""
        before = previous.get(pattern)
        if session.date is not None and before is not None and row.date < before:
            report.warning("out-of-order", *where, f"{label} comes after a session on {message_date(before, calendar)}")
        if session.date is not None:  # self-dated sessions past the term are warned about below
            if term.start and row.date < term.start.value:
                report.warning("outside-term", *where,
                               f"{label} is before the term starts ({message_date(term.start, calendar)})")
            elif term.end and (row.end or row.date) > term.end.value and session.kind != "exam":
                report.warning("outside-term", *where,
                               f"{label} is after the term ends ({message_date(term.end, calendar)})")
        previous[pattern] = row.date
    if term.end:
        for row in dated.sessions:
            if row.dated_by_pattern and row.date and row.date > term.end.value:
                report.warning("outside-term", *_at(course, "schedule", ("sessions", row.index or 0)),
                               f"session '{row.topic}' runs past the term's end "
                               f"({message_date(term.end, calendar)}); there are more sessions than meetings",
                               fix="remove sessions, or end the term later")


def _check_references(course: Course, report: Report) -> None:
    reading_ids = {r.id for g in course.readings.groups for r in g.items if r.id}
    assignment_ids = {a.id for a in course.schedule.assignments}
    seen: dict[str, tuple[int, int]] = {}
    for g, group in enumerate(course.readings.groups):
        for r, reading in enumerate(group.items):
            if reading.id is None:
                continue
            where = _at(course, "readings", ("groups", g, "items", r, "id"))
            if reading.id in seen:
                report.error(*where, f"reading id '{reading.id}' is used twice (first at line "
                             f"{seen[reading.id][0]})")
            seen[reading.id] = where[1:]
    people = {_name_key(p.name): p.name for p in course.info.people}
    for i, session in enumerate(course.schedule.sessions):
        for k, name in enumerate(session.instructor):
            if _name_key(name) not in people:
                report.error(*_at(course, "schedule", ("sessions", i, "instructor", k)),
                             f"instructor '{name}' is not in the people of course.yaml" +
                             _suggest(name, set(people.values())))
    for part, loc, reading_id in reading_references(course):
        if reading_id not in reading_ids:
            report.error(*_at(course, part, loc), f"reading '{reading_id}' is not in readings.yaml" +
                         _suggest(reading_id, reading_ids))
    for part, loc, assignment_id in assignment_references(course):
        if assignment_id not in assignment_ids:
            report.error(*_at(course, part, loc), f"assignment '{assignment_id}' is not in the "
                         "assignments list" + _suggest(assignment_id, assignment_ids))


def _check_files(course: Course, report: Report) -> None:
    root = course.folder.resolve()
    for part, loc, name in course.file_references():
        path = course.folder / name
        problem = link_problem(path, course.folder, "the course folder")
        if problem:
            report.error(*_at(course, part, loc), f"'{name}' {problem}")
        elif not path.exists():
            report.warning("not-yet-posted", *_at(course, part, loc),
                           f"file '{name}' does not exist yet; the site shows it as not yet posted")
        elif path.is_dir():
            report.error(*_at(course, part, loc), f"'{name}' is a folder, not a file")
        elif root not in path.resolve().parents:
            report.error(*_at(course, part, loc),
                         f"'{name}' links to a file outside the course folder; copy the file in")
        elif found := active_content(path):
            report.warning("active-content", *_at(course, part, loc), active_content_message(name, found))


def _check_markdown_links(course: Course, report: Report) -> None:
    """No Markdown may run script; relative links must lead to a page or a file of the course."""
    links = CourseLinks(course)
    for page in course.pages:
        cursor = _Cursor(page.body, page.body_line)
        costly = markdown_cost_problems(page.body)
        for offset, message in costly:
            report.error(page.source, *cursor.position(offset), message)
        if costly:
            continue
        try:  # Both memoised: the dev server checks the same page bodies again after every save.
            urls = links_in(page.body, allow_html=True)
            html = converted_html(page.body, allow_html=True)
        except TooDeeplyNested as exc:
            report.error(page.source, *cursor.position(deepest_paragraph(page.body, allow_html=True)),
                         str(exc))
            continue
        for problem in html_problems(html):
            where = (page.source, *cursor.find(problem.needle))
            if problem.code:
                report.warning(problem.code, *where, problem.message, problem.fix)
            else:
                report.error(*where, problem.message)
        findings = [_link_problem(links, url, links.pages_folder) for url in urls]
        if any(findings):  # reading a long page as the browser does is slow: only when needed
            cursor.start = 0
            for url, finding in zip(urls, findings, strict=True):
                # Every link in turn, so that each problem points at its own place.
                where = (page.source, *cursor.find("".join(url.split()).lower()))
                if finding:
                    _report_link(report, where, finding)
    for part, loc, text in yaml_texts(course):
        costly = markdown_cost_problems(text) or _too_deep(text)
        for _, message in costly:
            report.error(*_at(course, part, loc), f"{field_path(loc)}: {message}")
        if costly or not _may_hold_html(text):
            continue
        urls = links_in(text, allow_html=False)
        for problem in html_problems(converted_html(text, allow_html=False), prose=True):
            report.error(*_at(course, part, loc), f"{field_path(loc)}: {problem.message}")
        for url in urls:
            finding = _link_problem(links, url, links.root)
            if finding:  # located only now: most texts have nothing to report
                _report_link(report, _at(course, part, loc), finding)


def _link_problem(links: CourseLinks, url: str, base: Path) -> tuple[str, str] | None:
    """(warning code, or '' for an error; message) for a link written in `base` that must be
    reported; None for a good one."""
    target = links.resolve(url, base)
    if target.kind == "refused":
        return "", target.problem
    if target.kind == "no-such-page":
        return "", f"page '{target.name}.md' is not in pages/" + _suggest(target.name, links.page_names)
    if target.kind == "not-posted":
        hint = ""
        if base == links.pages_folder and (links.root / url).is_file():
            hint = f" (links in pages are relative to pages/: write '../{url}')"
        elif base == links.root and url.endswith(".md") and url[:-3] in links.page_names:
            hint = f" (to link the page, write 'pages/{url}')"
        return "not-yet-posted", (f"file '{target.name}' does not exist yet; the site shows it as not "
                                  f"yet posted{hint}")
    if target.kind == "file" and (found := active_content(links.root / target.name)):
        return "active-content", active_content_message(target.name, found)
    return None


def _report_link(report: Report, where: tuple[Path, int, int], finding: tuple[str, str]) -> None:
    code, message = finding
    if code:
        report.warning(code, *where, message)
    else:
        report.error(*where, message)


def _check_site_markdown(site: Site, report: Report) -> None:
    """site.yaml's prose (description, footer) is on every page: the same rules apply."""
    if site.config_source is None:
        return
    for loc, text in strings_in(site.config.model_dump()):
        costly = markdown_cost_problems(text) or _too_deep(text)
        for _, message in costly:
            report.error(site.config_source.path, *site.config_source.locate(loc),
                         f"{field_path(loc)}: {message}")
        if _may_hold_html(text) and not costly:
            for problem in html_problems(converted_html(text, allow_html=False), prose=True):
                report.error(site.config_source.path, *site.config_source.locate(loc),
                             f"{field_path(loc)}: {problem.message}")


def _check_static_files(site: Site, report: Report) -> None:
    """The site's static/ is published as it is: no link in it may lead outside the site."""
    folder = site.folder / "static"
    if not folder.is_dir():
        return
    for path in sorted(folder.rglob("*")):
        problem = link_problem(path, site.folder, "the site folder")
        if problem:
            report.error(path, 1, 1, problem)


# Shorter texts cannot nest deep enough to exhaust the converter's recursion (it takes hundreds
# of levels), so only longer ones are converted here to find out; the build takes them from the
# memo.
_DEEP_ENOUGH_TO_CHECK = 200


def _too_deep(text: str) -> list[tuple[int, str]]:
    """What the converter says of a YAML text nested too deep for it: [(0, message)], or []."""
    if len(text) < _DEEP_ENOUGH_TO_CHECK:
        return []
    try:
        render_markdown(text)
    except TooDeeplyNested as exc:
        return [(0, str(exc))]
    return []


def _may_hold_html(text: str) -> bool:
    """Whether Markdown `text` can make a link, an image or an attribute list at all."""
    return any(mark in text for mark in "]{<")


class _Cursor:
    """Finds successive problems in a page's source, so each points at its own line.

    The source is searched as a browser reads it (entities decoded, whitespace dropped, lower
    case), so `java&#x09;script:` is found as 'javascript:'; with `str.find`, never a regex
    that could backtrack on hostile text.
    """

    def __init__(self, body: str, first_line: int) -> None:
        self.body, self.first_line, self.start = body, first_line, 0
        self._read: tuple[str, list[int]] | None = None
        self._line_starts: list[int] | None = None

    def find(self, needle: str) -> tuple[int, int]:
        """Where `needle` (text as the browser reads it) next is; '' means the last '<'; the
        first line if it is nowhere."""
        if not needle:
            index = self.body.rfind("<")
        else:
            read, offsets = self._read or self._as_read()
            found = read.find(needle, self.start)
            found = found if found >= 0 else read.find(needle)
            index = offsets[found] if found >= 0 else -1
            self.start = found + 1 if found >= 0 else self.start
        return self.position(index)

    def position(self, index: int) -> tuple[int, int]:
        """Line and column of offset `index` of the source (the first line if negative)."""
        if index < 0:
            return self.first_line, 1
        if self._line_starts is None:
            self._line_starts = [0] + [m.end() for m in re.finditer("\n", self.body)]
        line = bisect.bisect_right(self._line_starts, index) - 1
        return self.first_line + line, index - self._line_starts[line] + 1

    def _as_read(self) -> tuple[str, list[int]]:
        """The source as read, and for each of its characters the offset it comes from."""
        read: list[str] = []
        offsets: list[int] = []
        position = 0
        for number, part in enumerate(_ENTITY.split(self.body)):
            if number % 2:  # split() puts the entities at odd places
                decoded = html.unescape(part) if part.startswith("&#") else html5.get(part[1:], part)
                kept = [char.lower() for char in decoded if not char.isspace()]
                read += kept
                offsets += [position] * len(kept)
            else:
                for run in _NOT_SPACE.finditer(part):  # a run at a time: pages are long
                    lowered = run[0].lower()
                    if len(lowered) == len(run[0]):
                        read.append(lowered)
                        offsets += range(position + run.start(), position + run.end())
                    else:  # a letter whose lower case is longer, such as 'İ'
                        for i, char in enumerate(run[0], position + run.start()):
                            read.append(char.lower())
                            offsets.append(i)
            position += len(part)
        self._read = ("".join(read), offsets)
        return self._read


_ENTITY = re.compile(r"(&#?\w+;?)")
_NOT_SPACE = re.compile(r"\S+")


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _suggest(name: str, known: set[str]) -> str:
    match = closest(name, known)
    return f" (did you mean '{match}'?)" if match else ""
