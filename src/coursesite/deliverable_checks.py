"""Checks of deliverables, exams, grading and readings: what a term's rollover or a typo breaks."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

from coursesite.deliverables import collecting_day
from coursesite.errors import Report
from coursesite.exams import session_rows_by_id
from coursesite.grading import scale_problems, total_problem
from coursesite.loading import PathKey
from coursesite.localized import message_date
from coursesite.model import Assignment, CourseDate, Module, Moment, Session
from coursesite.schedule import DatedSchedule, Row
from coursesite.site import Course

# A course copied from last term keeps its written-out dates: they move only by hand.
_OUTSIDE_TERM_FIX = ("move the date into the term, or leave it out and let a session place it "
                     "(released: [id] and due: [id] on sessions)")
# An author entry that is only initials ("A." or "Z. C."): a name split at its comma.
_INITIALS = re.compile(r"(?:[A-Z]\.\s*)+")


def check_deliverables(course: Course, dated: DatedSchedule, report: Report) -> None:
    _check_assignments(course, dated, report)
    _check_absolute_dates(course, report)
    _check_grading(course, dated, report)
    _check_authors(course, report)
    _check_link_items(course, report)


def at(course: Course, part: str, loc: PathKey) -> tuple[Path, int, int]:
    source = course.sources.get(part)
    line, col = source.locate(loc) if source else (1, 1)
    return course.source_file(part), line, col


def reading_references(course: Course) -> Iterator[tuple[str, PathKey, str]]:
    """(file part, field path, reading id) of every reading a session or module lists."""
    for field, i, item in _sessions_and_modules(course):
        for k, ref in enumerate(item.readings):
            yield "schedule", (field, i, "readings", k, "id"), ref.id


def assignment_references(course: Course) -> Iterator[tuple[str, PathKey, str]]:
    """(file part, field path, assignment id) of every assignment a session or module names."""
    for field, i, item in _sessions_and_modules(course):
        for k, due in enumerate(item.due):
            if due.assignment:
                yield "schedule", (field, i, "due", k, "assignment"), due.assignment
    for i, session in enumerate(course.schedule.sessions):
        for k, assignment_id in enumerate(session.released):
            yield "schedule", ("sessions", i, "released", k), assignment_id


def _sessions_and_modules(course: Course) -> list[tuple[str, int, Session | Module]]:
    schedule = course.schedule
    items: list[tuple[str, int, Session | Module]] = [("sessions", i, s) for i, s in enumerate(schedule.sessions)]
    return items + [("modules", i, m) for i, m in enumerate(schedule.modules)]


def _check_assignments(course: Course, dated: DatedSchedule, report: Report) -> None:
    seen: set[str] = set()
    collecting = _placing_rows(dated, released=False)
    releasing = _placing_rows(dated, released=True)
    for i, assignment in enumerate(course.schedule.assignments):
        if assignment.id in seen:
            report.error(*at(course, "schedule", ("assignments", i, "id")),
                         f"assignment id '{assignment.id}' is used twice")
        seen.add(assignment.id)
        for field, rows in (("due", collecting), ("released", releasing)):
            pinned: Moment | None = getattr(assignment, field)
            row = rows.get(assignment.id)
            day = collecting_day(row) if row and field == "due" else row.date if row else None
            if pinned is not None and row is not None and day is not None and day != pinned.day:
                _disagreement(course, report, i, assignment, field, pinned, row, day)
    calendar = course.info.calendar
    for deadline in dated.deadlines:
        if deadline.due and deadline.released and _before(deadline.due, deadline.released):
            index = next((i for i, a in enumerate(course.schedule.assignments)
                          if a.id == deadline.assignment_id), None)
            loc: PathKey = ("assignments", index, "due") if index is not None else ("sessions",)
            report.warning("due-before-release", *at(course, "schedule", loc),
                           f"'{deadline.title}' is due ({message_date(deadline.due, calendar)}) before it is "
                           f"released ({message_date(deadline.released, calendar)})")


def _before(first: Moment, second: Moment) -> bool:
    """Whether `first` is surely before `second`: a date without a time could be any time that day."""
    if first.time is None or second.time is None:
        return first.day < second.day
    return (first.day, first.time) < (second.day, second.time)


def _placing_rows(dated: DatedSchedule, *, released: bool) -> dict[str, Row]:
    found: dict[str, Row] = {}
    for row in dated.rows:
        item = row.session or row.module
        if item is None:
            continue
        ids = (row.session.released if row.session else []) if released else \
            [d.assignment for d in item.due if d.assignment]
        for assignment_id in ids:
            found.setdefault(assignment_id, row)
    return found


def _disagreement(course: Course, report: Report, index: int, assignment: Assignment, field: str,
                  pinned: Moment, row: Row, day: dt.date) -> None:
    calendar = course.info.calendar
    what = "module" if row.module is not None else "session"
    part = "modules" if row.module is not None else "sessions"
    _, line, _ = at(course, "schedule", (part, row.index or 0))
    verb = "collects" if field == "due" else "releases"
    report.warning("date-disagreement", *at(course, "schedule", ("assignments", index, field)),
                   f"assignment '{assignment.id}' says {field} {message_date(pinned.day, calendar)}, but {what} "
                   f"'{row.topic}' (line {line}) {verb} it on {message_date(day, calendar)}")


def _check_absolute_dates(course: Course, report: Report) -> None:
    """Dates written out that lie outside the term: what a course copied from last term keeps."""
    term, calendar = course.info.term, course.info.calendar
    if term.start is None or term.end is None:
        return
    first, last = term.start.value, term.end.value
    places: list[tuple[str, PathKey, str, CourseDate | Moment | None]] = []
    for i, holiday in enumerate(course.info.holidays):
        places += [("course", ("holidays", i, "date"), f"holiday '{holiday.label}'", holiday.date),
                   ("course", ("holidays", i, "end"), f"holiday '{holiday.label}'", holiday.end)]
    for i, swap in enumerate(course.info.swaps):
        places.append(("course", ("swaps", i, "date"), f"swap '{swap.label or 'day'}'", swap.date))
    for i, assignment in enumerate(course.schedule.assignments):
        for field in ("released", "due"):
            places.append(("schedule", ("assignments", i, field),
                           f"assignment '{assignment.id}' ({field})", getattr(assignment, field)))
    for i, module in enumerate(course.schedule.modules):
        places += [("schedule", ("modules", i, "date"), f"module '{module.title}'", module.date),
                   ("schedule", ("modules", i, "end"), f"module '{module.title}'", module.end)]
    for part, loc, what, value in places:
        if value is None:
            continue
        day = value.day if isinstance(value, Moment) else value.value
        if not first <= day <= last:
            side = "before the term starts" if day < first else "after the term ends"
            report.warning("outside-term", *at(course, part, loc),
                           f"{what} is on {message_date(day, calendar)}, {side} ({message_date(first, calendar)} to "
                           f"{message_date(last, calendar)})", fix=_OUTSIDE_TERM_FIX if part == "schedule" else "")


def _check_grading(course: Course, dated: DatedSchedule, report: Report) -> None:
    grading = course.info.grading
    if grading is None:
        return
    problem = total_problem(grading)
    if problem:
        report.warning("grading-total", *at(course, "course", ("grading", "components")), problem)
    for index, message in scale_problems(grading.scale):
        report.warning("grade-scale", *at(course, "course", ("grading", "scale", index)), message)
    sessions = session_rows_by_id(dated)
    for i, component in enumerate(grading.components):
        for k, session_id in enumerate(component.session):
            if session_id not in sessions:
                loc: PathKey = ("grading", "components", i, "session") + ((k,) if len(component.session) > 1 else ())
                report.error(*at(course, "course", loc),
                             f"grading component '{component.name}' names session '{session_id}', "
                             "but no session in schedule.yaml has that id; give the exam session "
                             f"'id: {session_id}'")


def _check_authors(course: Course, report: Report) -> None:
    for g, group in enumerate(course.readings.groups):
        for r, reading in enumerate(group.items):
            split = [name for name in reading.authors if _INITIALS.fullmatch(name.strip())]
            if split:
                report.warning("split-names", *at(course, "readings", ("groups", g, "items", r, "authors")),
                               f"authors of '{reading.title}' look like names split at their commas "
                               f"('{split[0]}' alone)")


def _check_link_items(course: Course, report: Report) -> None:
    for g, group in enumerate(course.links.groups):
        for i, item in enumerate(group.items):
            if item.url is None:
                report.warning("not-yet-posted", *at(course, "links", ("groups", g, "items", i, "title")),
                               f"link '{item.title}' has no url yet; the site shows it as not yet posted",
                               fix="add its url when it is ready")
