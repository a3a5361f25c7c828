"""Dates: give every session its day from the meeting patterns, skip holidays, derive weeks.

The rules, in schedule order:
- a session with `date` is pinned there, and its pattern continues from that day;
- a session without one takes the next day of its meeting pattern after the previous session
  of that pattern (the first takes the first meeting day on or after the term's start),
  skipping holidays;
- `attach: true` rows (notebooks, handouts) share the date of the session before them;
- holidays appear as rows of their own among the dated sessions.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from coursesite.model import CourseInfo, Holiday, Meeting, Module, ScheduleFile, Session

if TYPE_CHECKING:
    from coursesite.deliverables import Deadline

MAX_SEARCH_DAYS = 3 * 366


@dataclass(frozen=True)
class Row:
    """One line of the schedule table: a session or a holiday, with its computed date."""

    index: int | None  # position in schedule.yaml `sessions`, None for a holiday row
    session: Session | None
    holiday: Holiday | None
    date: dt.date | None
    end: dt.date | None
    week: str | None
    meeting: Meeting | None
    attached: bool = False
    dated_by_pattern: bool = False
    module: Module | None = None  # a module row: `index` is its place in `modules`
    number: int | None = None  # a module's number, as its label shows it

    @property
    def topic(self) -> str:
        if self.session is not None:
            return self.session.topic
        if self.module is not None:
            return self.module.title
        assert self.holiday is not None
        return self.holiday.label

    @property
    def kind(self) -> str:
        if self.module is not None:
            return "module"
        return self.session.kind if self.session else "holiday"

    @property
    def start_time(self) -> dt.time | None:
        return self.meeting.start if self.meeting and not self.attached else None

    @property
    def end_time(self) -> dt.time | None:
        return self.meeting.end if self.meeting and not self.attached else None

    @property
    def location(self) -> str | None:
        if self.session and self.session.location:
            return self.session.location
        return self.meeting.location if self.meeting and not self.attached else None

    @property
    def anchor(self) -> str:
        """A stable fragment id for linking to this row."""
        if self.module is not None:
            return f"module-{self.number}"
        if self.session is None:
            assert self.holiday is not None
            return f"holiday-{self.holiday.date.value.isoformat()}"
        return f"session-{self.index + 1}" if self.index is not None else "session"


@dataclass
class DatedSchedule:
    rows: list[Row] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    modules: list[Row] = field(default_factory=list)

    @property
    def has_dates(self) -> bool:
        """Whether anything can go into a calendar feed."""
        return any(r.date for r in self.rows) or any(d.due for d in self.deadlines)

    @property
    def sessions(self) -> list[Row]:
        return [row for row in self.rows if row.session is not None]


def default_meeting(info: CourseInfo, name: str | None) -> Meeting | None:
    """The pattern named `name`, or the course's first pattern with days."""
    if name is not None:
        return next((m for m in info.meetings if m.name.lower() == name.lower()), None)
    return next((m for m in info.meetings if m.days), info.meetings[0] if info.meetings else None)


def is_holiday(day: dt.date, holidays: list[Holiday]) -> Holiday | None:
    for holiday in holidays:
        last = holiday.end.value if holiday.end else holiday.date.value
        if holiday.date.value <= day <= last:
            return holiday
    return None


def next_meeting_day(after: dt.date | None, start: dt.date, meeting: Meeting,
                     holidays: list[Holiday]) -> dt.date | None:
    """The first day of `meeting` after `after` (or on/after `start`), not on a holiday."""
    day = after + dt.timedelta(days=1) if after else start
    for _ in range(MAX_SEARCH_DAYS):
        if day.weekday() in meeting.days and not is_holiday(day, holidays):
            return day
        day += dt.timedelta(days=1)
    return None


def week_of(day: dt.date, term_start: dt.date | None) -> str | None:
    """Week 1 is the calendar week (Monday to Sunday) of the term's first day."""
    if term_start is None:
        return None
    first_monday = term_start - dt.timedelta(days=term_start.weekday())
    return str((day - first_monday).days // 7 + 1)


def assign_dates(info: CourseInfo, schedule: ScheduleFile) -> DatedSchedule:
    """Date every session of `schedule` by the rules above; never fails, the checker warns."""
    term_start = info.term.start.value if info.term.start else None
    last_by_pattern: dict[str, dt.date] = {}
    rows: list[Row] = []
    previous: Row | None = None
    for index, session in enumerate(schedule.sessions):
        meeting = default_meeting(info, session.meeting)
        if session.attach and previous is not None:
            row = Row(index, session, None, previous.date, previous.end,
                      session.week or previous.week, previous.meeting, attached=True)
            rows.append(row)
            continue
        date: dt.date | None = None
        end: dt.date | None = session.end.value if session.end else None
        by_pattern = False
        if session.date is not None:
            date = session.date.value
        elif meeting is not None and meeting.days and term_start is not None:
            date = next_meeting_day(last_by_pattern.get(meeting.name), term_start, meeting,
                                    info.holidays)
            by_pattern = date is not None
        if date is not None and meeting is not None:
            last_by_pattern[meeting.name] = end or date
        week = session.week or (week_of(date, term_start) if date else None)
        row = Row(index, session, None, date, end, week, meeting, dated_by_pattern=by_pattern)
        rows.append(row)
        previous = row
    from coursesite.deliverables import collect_deadlines  # it dates deadlines from these rows
    from coursesite.modules import date_modules, insert_modules

    modules = date_modules(info, schedule)
    rows = _insert_holidays(insert_modules(_in_date_order(rows), modules), info.holidays, term_start)
    return DatedSchedule(rows, collect_deadlines(info, schedule, rows), modules)


def _in_date_order(rows: list[Row]) -> list[Row]:
    """Interleave patterns by date (a section between two lectures), attached rows kept with theirs.

    When any session is undated the instructor's order is the only order there is, so it stays.
    """
    groups: list[list[Row]] = []
    for row in rows:
        if row.attached and groups:
            groups[-1].append(row)
        else:
            groups.append([row])
    if any(group[0].date is None for group in groups):
        return rows
    groups.sort(key=lambda group: group[0].date or dt.date.min)
    return [row for group in groups for row in group]


def _insert_holidays(rows: list[Row], holidays: list[Holiday],
                     term_start: dt.date | None) -> list[Row]:
    """Holidays go before the first dated row that comes after them."""
    dated = [row.date for row in rows if row.date is not None]
    if not dated:
        return rows
    # A module's last day counts: a holiday inside the last module is shown in it.
    first = min(dated)
    last = max(row.end or row.date for row in rows if row.date is not None and row.module)  \
        if any(row.module for row in rows) else max(dated)
    last = max(last, max(dated))
    result = list(rows)
    for holiday in sorted(holidays, key=lambda h: h.date.value):
        day = holiday.date.value
        if not first <= day <= last:
            continue
        position = next((i for i, row in enumerate(result)
                         if row.date is not None and row.date > day and not row.attached),
                        len(result))
        result.insert(position, Row(None, None, holiday, day,
                                    holiday.end.value if holiday.end else None,
                                    week_of(day, term_start), None))
    return result
