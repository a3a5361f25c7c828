"""Release dates: material kept out of the site until its moment, in the course's time zone.

`release:` on a material, reading, assignment or page (front matter), and an assignment's
`solutions: {file, release}`, are gates. `released_view` gives the course as a build for a
moment shows it: unreleased files and links cleared (the page says when they come), unreleased
assignments and pages left out. The course is checked whole, before this, so a mistake in
material still to come is reported now.
"""

from __future__ import annotations

import datetime as dt
import posixpath
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from coursesite.build_clock import build_moment
from coursesite.model import Assignment, DueItem, Material, Moment, Reading, Session

if TYPE_CHECKING:
    from collections.abc import Iterable

    from coursesite.site import Course


@dataclass(frozen=True)
class Pending:
    """An item still to be released: its kind (material, reading, assignment, solutions, page),
    its name, and when."""

    kind: str
    title: str
    moment: dt.datetime

    @property
    def what(self) -> str:
        return f"{self.kind} {self.title}"

    @property
    def when(self) -> str:
        """'Thu Oct 1, 9:00 am', or 'Thu Oct 1' for a release at the start of a day."""
        from coursesite.formatting import format_date, format_datetime

        return format_datetime(self.moment) if self.moment.time() != dt.time() else format_date(self.moment.date())


def moment_of(value: Moment, timezone: str) -> dt.datetime:
    """When a `release:` value comes, in the course's zone: a date alone means its start."""
    return dt.datetime.combine(value.day, value.time or dt.time(), ZoneInfo(timezone))


def due_moment(assignment: Assignment, due_time: dt.time | None, timezone: str) -> dt.datetime | None:
    """When an assignment's deadline has passed: at its time, else at the end of its day."""
    if assignment.due is None:
        return None
    time = assignment.due.time or assignment.time or due_time
    if time is None:
        day = assignment.due.day + dt.timedelta(days=1)
        return dt.datetime.combine(day, dt.time(), ZoneInfo(timezone))
    return dt.datetime.combine(assignment.due.day, time, ZoneInfo(timezone))


class _Gate:
    def __init__(self, course: Course, now: dt.datetime) -> None:
        self.zone = course.info.term.timezone
        self.now = now
        self.pending: list[Pending] = []
        self.decisions: list[tuple[str, bool]] = []  # every gate's moment and whether it is open
        self.withheld: set[str] = set()  # course files and pages (pages/NAME.md) not yet released

    def open(self, value: Moment | None, kind: str, title: str) -> bool:
        if value is None:
            return True
        return self.open_at(moment_of(value, self.zone), kind, title)

    def open_at(self, moment: dt.datetime, kind: str, title: str) -> bool:
        released = moment <= self.now
        self.decisions.append((moment.isoformat(), released))
        if not released:
            self.pending.append(Pending(kind, title, moment))
        return released

    def withhold(self, name: str | None) -> None:
        if name:
            self.withheld.add(posixpath.normpath(name))

    def material(self, item: Material, where: str) -> Material:
        if self.open(item.release, "material", f"{item.label} ({where})"):
            return item.model_copy(update={"release": None})
        self.withhold(item.file)
        return item.model_copy(update={"file": None, "url": None})

    def reading(self, item: Reading) -> Reading:
        if self.open(item.release, "reading", item.title):
            return item.model_copy(update={"release": None})
        self.withhold(item.file)
        return item.model_copy(update={"file": None, "url": None})


@dataclass(frozen=True)
class ReleasedView:
    course: Course
    pending: list[Pending]  # soonest first
    decisions: tuple[tuple[str, bool], ...]  # what the build cache keys on
    hidden: frozenset[str] = frozenset()  # ids of the assignments not yet released


def released_view(course: Course, now: dt.datetime) -> ReleasedView:
    """The course as it is shown at `now`: only what is released by then."""
    if not has_gates(course):  # most courses: no copy of every session on every (dev server) build
        return ReleasedView(course, [], ())
    gate = _Gate(course, now)
    schedule = course.schedule
    hidden: set[str] = set()
    assignments = []
    for assignment in schedule.assignments:
        if not gate.open(assignment.release, "assignment", assignment.title):
            hidden.add(assignment.id)
            gate.withhold(assignment.file)
            gate.withhold(assignment.solutions.file if assignment.solutions else None)
            continue
        solutions = assignment.solutions
        if solutions is not None:
            moment = (due_moment(assignment, course.info.due_time, gate.zone) if solutions.release == "after-due"
                      else moment_of(solutions.release, gate.zone) if isinstance(solutions.release, Moment)
                      else None)
            if moment is None or not gate.open_at(moment, "solutions", assignment.title):
                # Kept without its file: the page says when the solutions come.
                gate.withhold(solutions.file)
                solutions = solutions.model_copy(update={"file": None})
        assignments.append(assignment.model_copy(update={"release": None, "solutions": solutions}))

    def due(items: list[DueItem]) -> list[DueItem]:
        return [item for item in items if item.assignment not in hidden]

    def session(item: Session, number: int) -> Session:
        where = item.topic or f"session {number}"
        return item.model_copy(update={
            "materials": [gate.material(m, where) for m in item.materials],
            "released": [i for i in item.released if i not in hidden], "due": due(item.due)})

    sessions = [session(s, n) for n, s in enumerate(schedule.sessions, 1)]
    modules = [m.model_copy(update={"materials": [gate.material(x, m.title) for x in m.materials],
                                    "due": due(m.due)}) for m in schedule.modules]
    readings = course.readings.model_copy(update={"groups": [
        group.model_copy(update={"items": [gate.reading(r) for r in group.items]})
        for group in course.readings.groups]})
    pages = []
    for page in course.pages:
        if gate.open(page.meta.release, "page", page.meta.title):
            pages.append(page)
        else:
            gate.withhold(f"pages/{page.name}.md")
    view = replace(course, schedule=schedule.model_copy(update={
        "assignments": assignments, "sessions": sessions, "modules": modules}),
        readings=readings, pages=pages)
    # A file that something released also names is out already: only the others are withheld.
    named = {posixpath.normpath(name) for _, _, name in view.file_references()}
    view = replace(view, withheld=frozenset(gate.withheld - named))
    return ReleasedView(view, sorted(gate.pending, key=lambda p: (p.moment, p.kind, p.title)), tuple(gate.decisions),
                        frozenset(hidden))


def has_gates(course: Course) -> bool:
    """Whether anything in the course waits for a release: a `release:` anywhere, or solutions
    (which are withheld until their release, or their deadline with `after-due`)."""
    schedule = course.schedule
    return (any(a.release is not None or a.solutions is not None for a in schedule.assignments)
            or any(m.release is not None for session in schedule.sessions for m in session.materials)
            or any(m.release is not None for module in schedule.modules for m in module.materials)
            or any(r.release is not None for group in course.readings.groups for r in group.items)
            or any(page.meta.release is not None for page in course.pages))


def release_moments(course: Course) -> list[dt.datetime]:
    """Every release gate's moment, solutions after their deadline included: the output changes
    at each (day_bounds.py makes them edges of a stored build's interval)."""
    everything_open = dt.datetime.max.replace(tzinfo=dt.UTC) - dt.timedelta(days=2)
    return [dt.datetime.fromisoformat(gate) for gate, _ in released_view(course, everything_open).decisions]


def upcoming_lines(courses: Iterable[Course], now: dt.datetime | None) -> list[str]:
    """What `check` says of the releases still to come after `now` (build_clock.py; None: the real
    time): each one, then the next (none: nothing)."""
    moment = now or dt.datetime.now(dt.UTC)
    found = [(pending, course) for course in courses for pending in
             released_view(course, build_moment(moment, moment.date(), course.info.term.timezone)).pending]
    if not found:
        return []
    found.sort(key=lambda item: (item[0].moment, item[1].slug, item[0].what))

    def when(pending: Pending) -> str:
        return f"{pending.when} ({pending.moment.tzname()})"

    lines = [f"Upcoming releases: {len(found)}"]
    lines += [f"  {course.slug}: {pending.what}, {when(pending)}" for pending, course in found]
    first, course = found[0]
    lines.append(f"Next release: {course.slug}: {first.what}, {when(first)}; "
                 "rebuild then (the Pages workflow does, hourly) for it to appear.")
    return lines
