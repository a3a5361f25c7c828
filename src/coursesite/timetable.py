"""The weekly timetable: which meetings take place on a day, and when and where each section meets.

- A meeting takes place on the days of its pattern (or of a section's own `days`).
- A swap day (`swaps: [{date, follows: Fri}]`) runs the timetable of the weekday it follows.
- A holiday cancels the meetings it names in `cancels`, or all of them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from coursesite.model import CourseInfo, Holiday, Meeting, MeetingSection

MAX_SEARCH_DAYS = 3 * 366


@dataclass(frozen=True)
class Slot:
    """When and where one section (or the meeting itself, `section` None) meets on a day."""

    date: dt.date
    start: dt.time | None
    end: dt.time | None
    location: str | None
    section: MeetingSection | None = None

    @property
    def name(self) -> str | None:
        return self.section.name if self.section else None


def slug(text: str, limit: int = 48) -> str:
    """Lowercase letters and digits joined by '-': `Week 3: CNNs` -> `week-3-cnns`."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:limit].strip("-")


def section_feed_name(section: MeetingSection) -> str:
    """`<section>` of `calendar-<section>.ics`: the name lowercased, non-alphanumerics as '-'."""
    return re.sub(r"[^a-z0-9]", "-", section.name.lower())


def weekday_on(day: dt.date, info: CourseInfo) -> int:
    """The weekday whose timetable runs on `day`: its own, or the one a swap names."""
    swap = next((s for s in info.swaps if s.date.value == day), None)
    return swap.follows if swap is not None else day.weekday()


def holiday_on(day: dt.date, holidays: list[Holiday]) -> Holiday | None:
    for holiday in holidays:
        last = holiday.end.value if holiday.end else holiday.date.value
        if holiday.date.value <= day <= last:
            return holiday
    return None


def cancels(holiday: Holiday, meeting: Meeting | None) -> bool:
    """Whether `holiday` cancels `meeting`: named in `cancels`, or `cancels` left out."""
    if not holiday.cancels:
        return True
    return meeting is not None and meeting.name.lower() in {n.lower() for n in holiday.cancels}


def cancelled(meeting: Meeting | None, day: dt.date, info: CourseInfo) -> Holiday | None:
    """The holiday that cancels `meeting` on `day`, if any."""
    return next((h for h in info.holidays if holiday_on(day, [h]) and cancels(h, meeting)), None)


def pattern_days(meeting: Meeting) -> list[int]:
    """The days sessions of `meeting` are dated by: its own, else the first section's."""
    if meeting.days:
        return meeting.days
    return next((s.days for s in meeting.sections if s.days), [])


def meets_on(meeting: Meeting, day: dt.date, info: CourseInfo,
             section: MeetingSection | None = None) -> bool:
    """Whether `meeting` (or one of its sections) takes place on `day`."""
    days = (section.days if section and section.days else None) or pattern_days(meeting)
    return weekday_on(day, info) in days and cancelled(meeting, day, info) is None


def next_meeting_day(meeting: Meeting, after: dt.date | None, start: dt.date,
                     info: CourseInfo) -> dt.date | None:
    """The first day `meeting` takes place after `after` (or on/after `start`)."""
    day = after + dt.timedelta(days=1) if after else start
    for _ in range(MAX_SEARCH_DAYS):
        if meets_on(meeting, day, info):
            return day
        day += dt.timedelta(days=1)
    return None


def section_date(meeting: Meeting, section: MeetingSection, day: dt.date,
                 info: CourseInfo) -> dt.date | None:
    """The day `section` holds the session that the meeting's pattern puts on `day`.

    A section with days of its own (Mon/Wed while the meeting is Tue/Thu) holds it on its own
    day in the same position of the same week; None when that day is cancelled.
    """
    days = sorted(pattern_days(meeting))
    own = sorted(section.days)
    if not own or own == days:
        return day
    weekday = weekday_on(day, info)
    position = days.index(weekday) if weekday in days else 0
    monday = day - dt.timedelta(days=day.weekday())
    moved = monday + dt.timedelta(days=own[position % len(own)])
    return moved if meets_on(meeting, moved, info, section) else None


def slots(meeting: Meeting, day: dt.date, info: CourseInfo) -> list[Slot]:
    """Where and when `meeting` meets for the session on `day`: one slot per section.

    Only on one of the meeting's days: a pinned session on another day borrows nothing.
    """
    if not meeting.sections:
        if not meets_on(meeting, day, info):
            return []
        return [Slot(day, meeting.start, meeting.end, meeting.location)]
    found = []
    for section in meeting.sections:
        held = section_date(meeting, section, day, info) if meets_on(meeting, day, info) else None
        if held is not None:
            found.append(Slot(held, section.start or meeting.start, section.end or meeting.end,
                              section.location or meeting.location, section))
    return found


def occurrences(info: CourseInfo) -> Iterator[tuple[Meeting, Slot]]:
    """Every meeting of every pattern and section from the term's start to its end."""
    if info.term.start is None or info.term.end is None:
        return
    first, last = info.term.start.value, info.term.end.value
    for meeting in info.meetings:
        sections: list[MeetingSection | None] = list(meeting.sections) or [None]
        for section in sections:
            day = first
            while day <= last:
                if meets_on(meeting, day, info, section):
                    yield meeting, Slot(day, (section and section.start) or meeting.start,
                                        (section and section.end) or meeting.end,
                                        (section and section.location) or meeting.location, section)
                day += dt.timedelta(days=1)


def teaching_days(info: CourseInfo) -> set[dt.date]:
    """The days within the term on which some meeting takes place."""
    return {slot.date for _, slot in occurrences(info)}
