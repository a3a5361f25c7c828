"""Deliverables: assignments and due items, dated by the sessions and modules that place them.

- A session's `released: [hw1]` and `due: [hw1]` give assignment hw1 its days; a module's
  `due:` falls on the module's last day.
- The time is the item's `time:`, else the assignment's, else (for work handed in during a
  session, `in_class: true`) the session's start, else course.yaml's `due_time:`; without any
  of them a deadline is a date only: no time is invented.
- An assignment's own `released:`/`due:` dates win over a session's (the checker warns when
  they disagree), so a course keeps working as it did.
- A deadline is "in class" when it says `in_class: true`, or when its time falls inside a
  session held on its day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from coursesite.model import Assignment, CourseInfo, DueItem, Moment, ScheduleFile
from coursesite.schedule import Row


@dataclass(frozen=True)
class Deadline:
    """Something due: an assignment, or a due item of a session or module."""

    title: str
    due: Moment | None
    points: float | None
    due_text: str | None = None
    row: Row | None = None  # the session or module that collects it
    assignment_id: str | None = None
    released: Moment | None = None
    release_row: Row | None = None  # the session that releases it
    in_class: bool = False
    submit: str | None = None
    weight: float | None = None


def collect_deadlines(info: CourseInfo, schedule: ScheduleFile, rows: list[Row]) -> list[Deadline]:
    """Assignments and the due items of sessions and modules, soonest first; undated ones last."""
    assignments = {a.id: a for a in schedule.assignments}
    releases = release_rows(rows)
    deadlines: list[Deadline] = []
    collected: set[str] = set()
    for row in rows:
        for item in due_items(row):
            assignment = assignments.get(item.assignment or "")
            if assignment is not None:
                collected.add(assignment.id)
            due = _due_moment(info, assignment, item, row)
            points = item.points if item.points is not None else (
                assignment.points if assignment else None)
            title = item.title or (assignment.title if assignment else item.assignment or "")
            deadlines.append(_deadline(title, due, points, assignment, releases, rows, row, item))
    for assignment in schedule.assignments:
        if assignment.id not in collected:
            due = _with_time(assignment.due, info, assignment) if assignment.due else None
            deadlines.append(_deadline(assignment.title, due, assignment.points, assignment, releases,
                                       rows, None, None))
    return sorted(deadlines, key=lambda d: (d.due is None, d.due.sort_key if d.due else (dt.date.min,)))


def due_items(row: Row) -> list[DueItem]:
    if row.session is not None:
        return list(row.session.due)
    return list(row.module.due) if row.module is not None else []


def release_rows(rows: list[Row]) -> dict[str, Row]:
    """The first session that releases each assignment, by id."""
    found: dict[str, Row] = {}
    for row in rows:
        for assignment_id in row.session.released if row.session else []:
            found.setdefault(assignment_id, row)
    return found


def collecting_day(row: Row) -> dt.date | None:
    """The day a session collects its due items; a module's is its last day."""
    return (row.end or row.date) if row.module is not None else row.date


def _due_moment(info: CourseInfo, assignment: Assignment | None, item: DueItem,
                row: Row) -> Moment | None:
    if assignment is not None and assignment.due is not None:
        return _with_time(assignment.due, info, assignment, item.time)
    day = collecting_day(row)
    if day is None:
        return None
    in_class = item.in_class if item.in_class is not None else (assignment.in_class if assignment else None)
    if in_class and row.module is None and not (item.time or (assignment and assignment.time)):
        return Moment(day, row.start_time)  # handed in at the session: its time, not due_time
    return _with_time(Moment(day), info, assignment, item.time)


def _with_time(moment: Moment, info: CourseInfo, assignment: Assignment | None,
               item_time: dt.time | None = None) -> Moment:
    """A date-only moment gets the first time stated: the item's, the assignment's, the course's."""
    if moment.time is not None:
        return moment
    time = item_time or (assignment.time if assignment else None) or info.due_time
    return Moment(moment.day, time)


def _deadline(title: str, due: Moment | None, points: float | None, assignment: Assignment | None,
              releases: dict[str, Row], rows: list[Row], row: Row | None,
              item: DueItem | None) -> Deadline:
    release_row = releases.get(assignment.id) if assignment else None
    released = assignment.released if assignment else None
    if released is None and release_row is not None and release_row.date is not None:
        released = Moment(release_row.date)
    stated = item.in_class if item and item.in_class is not None else (
        assignment.in_class if assignment else None)
    in_class = stated if stated is not None else _during_a_session(due, rows)
    return Deadline(title, due, points, assignment.due_text if assignment else None, row,
                    assignment.id if assignment else None, released, release_row, in_class,
                    assignment.submit if assignment else None,
                    assignment.weight if assignment else None)


def _during_a_session(due: Moment | None, rows: list[Row]) -> bool:
    """Whether `due` has a time inside a session held on its day."""
    if due is None or due.time is None:
        return False
    return any(row.session is not None and row.date == due.day and row.start_time is not None
               and row.end_time is not None and row.start_time <= due.time <= row.end_time
               for row in rows)
