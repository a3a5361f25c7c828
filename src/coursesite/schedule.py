"""Dates: give every session its day from the meeting patterns, skip holidays, derive weeks.

The rules, in schedule order:
- a session with `date` is pinned there, and its pattern continues from that day;
- a session without one takes the next day of its meeting pattern after the previous session
  of that pattern (the first takes the first meeting day on or after the term's start),
  skipping the holidays that cancel that pattern and following swap days;
- a session takes its pattern's time and place only on a day of that pattern; `time:` wins;
- `attach: true` rows (notebooks, handouts) share the date and time of the session before
  them, unless they state their own `meeting:`, `time:` or `location:`;
- holidays appear as rows of their own among the dated sessions.
Which days a meeting takes place, and where each section meets, is timetable.py's business.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from coursesite.default_names import SessionName, is_named
from coursesite.model import CourseInfo, Holiday, Meeting, Module, ScheduleFile, Session
from coursesite.timetable import Slot, next_meeting_day, slots, slug
from coursesite.weeks import Weeks

if TYPE_CHECKING:
    from coursesite.deliverables import Deadline

# Kinds that are not one of a meeting's regular sessions, so `numbered: true` skips them.
UNNUMBERED_KINDS = {"exam", "review", "holiday", "presentation", "other"}


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
    slots: tuple[Slot, ...] = ()  # the meeting's time and place for each section, that day
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    key: str = ""  # the stable part of its anchor and calendar UID
    number: int | None = None  # "Lecture 3" when its meeting is `numbered`; a module's number
    week_label: str | None = None  # "3 · Jan 19–23"
    module: Module | None = None  # a module row: `index` is its place in `modules`

    @property
    def topic(self) -> str:
        if self.module is not None:
            return self.module.title
        if self.session is None:
            assert self.holiday is not None
            return self.holiday.label
        return self.name.title()

    @property
    def heading(self) -> str | None:
        """The label written, or the meeting's name and number ("Lecture 3")."""
        return self.name.heading()

    @cached_property  # asked for every column that shows the row; its fields never change
    def name(self) -> SessionName:
        """What names this row's session, in words put into the course's language when shown."""
        meeting = self.meeting
        return SessionName(label=self.session.label if self.session else None,
                           topic=self.session.topic if self.session else None,
                           has_meeting=meeting is not None,
                           meeting=meeting.name if meeting is not None and is_named(meeting) else None,
                           number=self.number, kind=self.kind)

    @property
    def kind(self) -> str:
        if self.module is not None:
            return "module"
        return self.session.kind if self.session else "holiday"

    @property
    def sections(self) -> tuple[Slot, ...]:
        """The slots of parallel sections (each with its own time and room), if any."""
        return tuple(slot for slot in self.slots if slot.section is not None)

    @property
    def location(self) -> str | None:
        if self.session and self.session.location:
            return self.session.location
        if len(self.slots) == 1 and self.slots[0].section is None:
            return self.slots[0].location
        return None

    @property
    def anchor(self) -> str:
        """A fragment id for linking to this row that survives edits to other rows."""
        if self.module is not None:
            return f"module-{self.number}"
        if self.session is None:
            assert self.holiday is not None
            return f"holiday-{self.holiday.date.value.isoformat()}"
        return f"session-{self.key}"


@dataclass
class DatedSchedule:
    rows: list[Row] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    modules: list[Row] = field(default_factory=list)
    weeks: Weeks | None = field(default=None, compare=False, repr=False)  # for `week_label`

    def week_label(self, row: Row) -> str | None:
        """`row.week_label` in the language pages are being rendered in (formatting.formats_for):
        a course is dated before the site's default language is known."""
        if self.weeks is None or (row.session is not None and row.session.week):
            return row.week_label
        return self.weeks.label(row.date)

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
    return next((m for m in info.meetings if m.days or m.sections),
                info.meetings[0] if info.meetings else None)


def is_holiday(day: dt.date, holidays: list[Holiday]) -> Holiday | None:
    for holiday in holidays:
        last = holiday.end.value if holiday.end else holiday.date.value
        if holiday.date.value <= day <= last:
            return holiday
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
    weeks = Weeks(info)
    last_by_pattern: dict[str, dt.date] = {}
    rows: list[Row] = []
    previous: Row | None = None
    for index, session in enumerate(schedule.sessions):
        meeting = default_meeting(info, session.meeting)
        if session.attach and previous is not None:
            rows.append(_attached_row(index, session, previous, meeting, info, weeks))
            continue
        date: dt.date | None = None
        end: dt.date | None = session.end.value if session.end else None
        by_pattern = False
        if session.date is not None:
            date = session.date.value
        elif meeting is not None and term_start is not None:
            date = next_meeting_day(meeting, last_by_pattern.get(meeting.name), term_start, info)
            by_pattern = date is not None
        if date is not None and meeting is not None:
            last_by_pattern[meeting.name] = end or date
        row = _timed(Row(index, session, None, date, end, session.week or weeks.number(date),
                         meeting, dated_by_pattern=by_pattern), info)
        rows.append(row)
        previous = row
    from coursesite.deliverables import collect_deadlines  # it dates deadlines from these rows
    from coursesite.modules import date_modules, insert_modules

    modules = date_modules(info, schedule, weeks)
    rows = insert_modules(_numbered(_in_date_order(rows)), modules)
    rows = _with_keys(_insert_holidays(rows, info, weeks))
    weeks.include(row.date for row in rows if row.session is not None and row.date is not None)
    rows = [_with_week_label(row, weeks) for row in rows]
    return DatedSchedule(rows, collect_deadlines(info, schedule, rows),
                         [row for row in rows if row.module is not None], weeks)


def _timed(row: Row, info: CourseInfo) -> Row:
    """The session's own time, else its meeting's slots when the day is one of its days."""
    session = row.session
    assert session is not None
    if session.time is not None:
        return dataclasses.replace(row, slots=(), start_time=session.time.start,
                                   end_time=session.time.end)
    if row.date is None or row.end is not None or row.meeting is None:
        return row
    found = tuple(slots(row.meeting, row.date, info))
    if len(found) == 1 and found[0].section is None:
        return dataclasses.replace(row, slots=found, start_time=found[0].start, end_time=found[0].end)
    return dataclasses.replace(row, slots=found)


def _attached_row(index: int, session: Session, previous: Row, meeting: Meeting | None,
                  info: CourseInfo, weeks: Weeks) -> Row:
    """A row that belongs to the one before: its date and time, unless it states its own."""
    date = session.date.value if session.date else previous.date
    row = Row(index, session, None, date, session.end.value if session.end else previous.end,
              session.week or (weeks.number(date) if session.date else previous.week),
              meeting if session.meeting else previous.meeting, attached=True)
    if session.time is not None or session.meeting is not None:
        return _timed(row, info)
    if session.location is not None:
        return row  # its own place, and no time nobody wrote for it
    return dataclasses.replace(row, slots=previous.slots, start_time=previous.start_time,
                               end_time=previous.end_time)


def _numbered(rows: list[Row]) -> list[Row]:
    """Number the sessions of `numbered` meetings in date order (holidays are not rows yet)."""
    counts: dict[str, int] = {}
    result = []
    for row in rows:
        if row.meeting and row.meeting.numbered and not row.attached and row.kind not in UNNUMBERED_KINDS:
            counts[row.meeting.name] = counts.get(row.meeting.name, 0) + 1
            row = dataclasses.replace(row, number=counts[row.meeting.name])
        result.append(row)
    return result


def session_keys(sessions: list[Session]) -> list[str]:
    """Each session's stable key: its `id`, else its meeting and topic (`lecture-cnns`).

    Never its position or date, so inserting, removing, reordering or moving sessions leaves the
    others' anchors and calendar UIDs alone. Repeats get -2, -3 in file order.
    """
    taken = {s.id for s in sessions if s.id}
    keys: list[str] = []
    for session in sessions:
        if session.id:
            keys.append(session.id)
            continue
        base = slug(f"{session.meeting or session.kind} {session.topic or ''}") or "session"
        key, n = base, 1
        while key in taken:
            n += 1
            key = f"{base}-{n}"
        taken.add(key)
        keys.append(key)
    return keys


def _with_keys(rows: list[Row]) -> list[Row]:
    by_index = sorted((row for row in rows if row.session is not None), key=lambda r: r.index or 0)
    sessions = [row.session for row in by_index if row.session is not None]
    keys = dict(zip((row.index for row in by_index), session_keys(sessions), strict=True))
    return [dataclasses.replace(row, key=keys[row.index]) if row.session is not None else row
            for row in rows]


def _with_week_label(row: Row, weeks: Weeks) -> Row:
    if row.session is not None and row.session.week:
        return dataclasses.replace(row, week_label=row.session.week)
    return dataclasses.replace(row, week_label=weeks.label(row.date))


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


def _insert_holidays(rows: list[Row], info: CourseInfo, weeks: Weeks) -> list[Row]:
    """Holidays go before the first dated row that comes after them."""
    dated = [row.date for row in rows if row.date is not None]
    if not dated:
        return rows
    # A module's last day counts: a holiday inside the last module is shown in it.
    first, last = min(dated), max(row.end or row.date for row in rows if row.date is not None)
    result = list(rows)
    for holiday in sorted(info.holidays, key=lambda h: h.date.value):
        day = holiday.date.value
        if not first <= day <= last:
            continue
        position = next((i for i, row in enumerate(result)
                         if row.date is not None and row.date > day and not row.attached),
                        len(result))
        result.insert(position, Row(None, None, holiday, day,
                                    holiday.end.value if holiday.end else None,
                                    weeks.number(day), None))
    return result
