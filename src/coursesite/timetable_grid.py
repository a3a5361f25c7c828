"""The weekly timetable of the week page: each meeting, section and office hour on its weekdays.

Events of a day that overlap in time are laid out side by side: each gets a column of its
cluster of overlapping events, and the cluster's number of columns, so that none is drawn on
top of another.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from coursesite.default_names import meeting_name
from coursesite.formatting import format_hour
from coursesite.model import CourseInfo
from coursesite.timetable import pattern_days
from coursesite.translations import _

# The days' anchors on the week page (week.html#monday), the same in every language.
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class WeekEvent:
    """One event of the weekly grid; `column` of `columns` side by side with the ones it overlaps."""

    kind: str  # "meeting" or "office-hours"
    title: str  # "Lecture", "Lecture A1", "Office hours"
    who: str | None  # the person holding office hours, or a section's instructors
    start: dt.time | None
    end: dt.time | None
    location: str | None
    url: str | None = None
    note: str | None = None
    column: int = 0
    columns: int = 1

    def minutes(self) -> tuple[int, int]:
        """Start and end in minutes since midnight; an event without an end lasts an hour."""
        assert self.start is not None
        start = self.start.hour * 60 + self.start.minute
        end = self.end.hour * 60 + self.end.minute if self.end else start + 60
        return start, end


@dataclass(frozen=True)
class WeekDay:
    weekday: int
    name: str  # the anchor: English, lowercase in the page
    timed: list[WeekEvent]  # laid out on the grid
    untimed: list[WeekEvent]  # no time written: listed, never placed at an invented hour


@dataclass(frozen=True)
class WeekGrid:
    days: list[WeekDay]
    unplaced: list[WeekEvent]  # no weekday written (office hours by appointment)
    notes: list[tuple[str, str]]  # a meeting's name and its note, shown below the grid
    first_hour: int
    last_hour: int  # the hour the grid ends at

    @property
    def hours(self) -> list[int]:
        return list(range(self.first_hour, self.last_hour))

    def top(self, event: WeekEvent) -> float:
        """Where the event starts, in percent of the grid's height."""
        return round(100 * (event.minutes()[0] - self.first_hour * 60) / self.span(), 3)

    def height(self, event: WeekEvent) -> float:
        start, end = event.minutes()
        return round(100 * (end - start) / self.span(), 3)

    def span(self) -> int:
        return max(60, (self.last_hour - self.first_hour) * 60)

    @property
    def empty(self) -> bool:
        """Nothing on any weekday: the page shows no grid."""
        return not any(day.timed or day.untimed for day in self.days)


def weekly_events(info: CourseInfo) -> dict[int, list[WeekEvent]]:
    """Every meeting pattern, section and office hour, by weekday (0 is Monday; -1: no weekday)."""
    by_day: dict[int, list[WeekEvent]] = {}
    for meeting in info.meetings:
        if not meeting.sections:
            event = WeekEvent("meeting", meeting_name(meeting), None, meeting.start, meeting.end, meeting.location)
            for day in meeting.days:
                by_day.setdefault(day, []).append(event)
        for section in meeting.sections:
            event = WeekEvent("meeting", f"{meeting_name(meeting)} {section.name}",
                              _(" and ").join(section.instructor) or None,
                              section.start or meeting.start, section.end or meeting.end,
                              section.location or meeting.location)
            for day in section.days or pattern_days(meeting):
                by_day.setdefault(day, []).append(event)
    for person in info.people:
        for hour in person.office_hours:
            event = WeekEvent("office-hours", _("Office hours"), person.name, hour.start, hour.end,
                              hour.location, hour.url, hour.note)
            for day in hour.weekdays or [-1]:
                by_day.setdefault(day, []).append(event)
    return by_day


def side_by_side(events: list[WeekEvent]) -> list[WeekEvent]:
    """Timed events of one day with a column each: overlapping ones never share a column."""
    ordered = sorted(events, key=lambda e: (e.minutes(), e.title, e.who or ""))
    placed: list[WeekEvent] = []
    cluster: list[WeekEvent] = []
    cluster_end = -1

    def close() -> None:
        columns = max((e.column for e in cluster), default=-1) + 1
        placed.extend(replace(e, columns=columns) for e in cluster)

    for event in ordered:
        start, end = event.minutes()
        if cluster and start >= cluster_end:
            close()
            cluster, cluster_end = [], -1
        taken = {e.column for e in cluster if e.minutes()[1] > start}
        column = next(c for c in range(len(cluster) + 1) if c not in taken)
        cluster.append(replace(event, column=column))
        cluster_end = max(cluster_end, end)
    if cluster:
        close()
    return placed


def week_grid(info: CourseInfo) -> WeekGrid:
    """Monday to Friday, and Saturday or Sunday when something happens then; by the hour."""
    by_day = weekly_events(info)
    weekdays = list(range(5)) + [d for d in (5, 6) if by_day.get(d)]
    days = []
    for weekday in weekdays:
        events = by_day.get(weekday, [])
        days.append(WeekDay(weekday, WEEKDAY_NAMES[weekday], side_by_side([e for e in events if e.start]),
                            [e for e in events if not e.start]))
    timed = [e.minutes() for day in days for e in day.timed]
    first = min((start for start, _ in timed), default=9 * 60) // 60
    last = -(-max((end for _, end in timed), default=17 * 60) // 60)
    notes = [(meeting_name(meeting), meeting.note) for meeting in info.meetings if meeting.note]
    return WeekGrid(days, by_day.get(-1, []), notes, first, max(last, first + 1))


def hour_label(hour: int) -> str:
    """'9 am', '12 pm', '3 pm' (in the course's language): the grid's hour lines."""
    return format_hour(hour)
