"""iCalendar feeds (RFC 5545) per course: sessions, holidays, deadlines and office hours.

UIDs are derived from the course slug and each item's stable key (a session's `id`, or its
meeting and topic; never its position or date), so a subscribed calendar updates its events on
the next build instead of adding copies, and edits elsewhere in the schedule leave them alone.
Which feeds a course has, and what each holds, is feeds.py's business.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from coursesite.default_names import meeting_name
from coursesite.deliverables import Deadline
from coursesite.formatting import format_points
from coursesite.ical_text import escape_text, feed_line, feed_text, feed_uri
from coursesite.ical_values import line, utc_time, vtimezone, when_line, zone_name
from coursesite.model import WEEKDAYS, Meeting, OfficeHour, Person
from coursesite.modules import module_label
from coursesite.schedule import DatedSchedule, Row
from coursesite.site import Course
from coursesite.timetable import Slot, cancels, holiday_on, occurrences, section_feed_name, slug
from coursesite.translations import _

PRODUCT_ID = "-//coursesite//coursesite//EN"


@dataclass(frozen=True)
class Event:
    """One VEVENT, before it is written. All-day events (a date, not a time) are transparent."""

    uid: str
    summary: str
    start: dt.date | dt.datetime
    end: dt.date | dt.datetime | None
    category: str
    description: str | None = None
    location: str | None = None
    url: str | None = None
    rrule: str | None = None  # already written, such as FREQ=WEEKLY;UNTIL=...;BYDAY=MO
    exdates: tuple[dt.datetime, ...] = ()

    def zones(self) -> frozenset[str]:
        """The TZIDs its times are written with (UTC needs no VTIMEZONE)."""
        times = [self.start, self.end, *self.exdates]
        return frozenset(zone for when in times if isinstance(when, dt.datetime)
                         and (zone := zone_name(when)) is not None)

    def text(self, stamp: dt.datetime) -> str:
        """The VEVENT's lines: those RFC 5545 lists first, then the others from A to Z, as
        icalendar orders them (so the feeds' bytes did not change when it stopped writing them)."""
        text = "BEGIN:VEVENT\r\n" + line("SUMMARY", escape_text(self.summary)) + when_line("DTSTART", self.start)
        if self.end is not None:
            text += when_line("DTEND", self.end)
        text += line("DTSTAMP", utc_time(stamp)) + line("UID", escape_text(self.uid))
        if self.rrule is not None:
            text += line("RRULE", self.rrule)
        text += "".join(when_line("EXDATE", day) for day in self.exdates)
        text += line("CATEGORIES", escape_text(self.category))
        if self.description is not None:
            text += line("DESCRIPTION", escape_text(self.description))
        if self.location is not None:
            text += line("LOCATION", escape_text(self.location))
        if not isinstance(self.start, dt.datetime):
            text += "TRANSP:TRANSPARENT\r\n"
        if self.url is not None:
            text += line("URL", self.url)
        return text + "END:VEVENT\r\n"


@dataclass(frozen=True)
class Entry:
    """One written event and what feeds.py sorts it by."""

    text: str
    zones: frozenset[str]
    first: dt.date
    last: dt.date
    kind: str  # "session", "holiday", "deadline" or "office-hours"
    section: str | None = None  # a section's feed name, for its meetings only


def course_name(course: Course) -> str:
    """The calendar's name, on one line."""
    info = course.info
    return feed_line(f"{info.code + ' ' if info.code else ''}{info.title} ({info.term.name})")


@dataclass(frozen=True)
class Planned:
    """An event and the days it covers, before its DTSTAMP is known."""

    event: Event
    first: dt.date
    last: dt.date
    kind: str
    section: str | None = None


def feed_stamp(planned: Iterable[Planned]) -> dt.datetime:
    """Every event's DTSTAMP: the start (UTC) of the course calendar's first day.

    RFC 5545 requires a DTSTAMP. It is taken from the course's content, never from the day of
    the build, so that the same course builds the same feed on any day (and a cached feed stays
    good); calendar applications that subscribe to a feed read its events afresh anyway.
    """
    return dt.datetime.combine(min(p.first for p in planned), dt.time(), tzinfo=dt.UTC)


def calendar_entries(course: Course, dated: DatedSchedule, page_url: str | None = None) -> list[Entry]:
    """Every event of the course, written."""
    planned = planned_events(course, dated, page_url)
    if not planned:
        return []
    stamp = feed_stamp(planned)
    return [Entry(p.event.text(stamp), p.event.zones(), p.first, p.last, p.kind, p.section) for p in planned]


def planned_events(course: Course, dated: DatedSchedule, page_url: str | None = None) -> list[Planned]:
    """Sessions (one per section), holidays, meetings (without sessions), deadlines, office hours."""
    info = course.info
    zone = ZoneInfo(info.term.timezone)
    name = course_name(course)
    domain = feed_line(f"{course.slug}.coursesite")
    planned: list[Planned] = []
    for row in dated.rows:
        if row.date is None:
            continue
        kind = "holiday" if row.holiday is not None else "session"
        due_here = [d for d in dated.deadlines if d.row is row]
        for slot in row.sections or (None,):
            url = feed_uri(f"{page_url}#{row.anchor}") if page_url else None
            day = slot.date if slot else row.date
            section = section_feed_name(slot.section) if slot and slot.section else None
            planned.append(Planned(_row_event(row, slot, zone, domain, name, due_here, url), day,
                                   row.end or day, kind, section))
    if not dated.sessions:  # no schedule yet: the meeting patterns alone
        for meeting, slot in occurrences(info):
            planned.append(Planned(_occurrence_event(meeting, slot, zone, domain, name), slot.date, slot.date,
                                   "session", section_feed_name(slot.section) if slot.section else None))
    for deadline in dated.deadlines:
        if deadline.due is None:
            continue
        day = deadline.due.day
        planned.append(Planned(_deadline_event(deadline, zone, domain), day, day, "deadline"))
    return planned + _office_hours(course, zone, domain, name)


def _points_note(points: float | None) -> str:
    """' (15 points)' after a due item, or nothing when its points are not stated."""
    return "" if points is None else " (" + _("%(points)s points") % {"points": format_points(points)} + ")"


def calendar_bytes(course: Course, entries: Iterable[Entry], title: str | None = None) -> bytes:
    """A VCALENDAR of `entries`, named after the course (and `title`, for a partial feed)."""
    chosen = list(entries)
    name = course_name(course)
    text = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n" + line("PRODID", PRODUCT_ID)
            + "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n"
            + line("X-WR-CALNAME", escape_text(f"{name}: {title}" if title else name))
            + line("X-WR-TIMEZONE", course.info.term.timezone))
    if chosen:
        # Each zone's rules a year beyond the feed's first and last days, for applications that
        # show a little more than the term.
        first = min(entry.first for entry in chosen) - dt.timedelta(days=366)
        last = max(entry.last for entry in chosen) + dt.timedelta(days=366)
        text += "".join(vtimezone(tzid, first, last) for tzid in sorted(set().union(*(e.zones for e in chosen))))
    return (text + "".join(entry.text for entry in chosen) + "END:VCALENDAR\r\n").encode()


def _times(day: dt.date, start: dt.time, end: dt.time | None, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime | None]:
    """DTSTART, and DTEND only when an end was written (an event without one is a point)."""
    return (dt.datetime.combine(day, start, tzinfo=zone),
            None if end is None else dt.datetime.combine(day, end, tzinfo=zone))


def _row_event(row: Row, slot: Slot | None, zone: ZoneInfo, domain: str, course_name: str,
               due_here: list[Deadline], url: str | None) -> Event:
    """A session, module or holiday; timed only when a time was written for it, else all day.

    A module is an all-day event spanning its days, its deadlines in the description."""
    assert row.date is not None
    section = slot.section if slot else None
    uid = row.anchor + (f"-{section_feed_name(section)}" if section else "")
    summary = row.topic
    if row.heading and row.session and row.session.topic:
        summary = f"{row.heading}: {summary}"
    if row.module is not None:
        summary = f"{module_label(row)}: {summary}"
    if section is not None:
        summary = f"{summary} ({section.name})"
    day = slot.date if slot else row.date
    start_time = slot.start if slot else row.start_time
    end_time = slot.end if slot else row.end_time
    start: dt.date | dt.datetime
    end: dt.date | dt.datetime | None
    if start_time is not None and not row.end:
        start, end = _times(day, start_time, end_time, zone)
    else:
        start, end = day, (row.end or day) + dt.timedelta(days=1)
    location = slot.location if slot else row.location
    lines = [course_name]
    if row.session and row.session.instructor:
        lines.append(", ".join(row.session.instructor))
    elif section is not None and section.instructor:
        lines.append(", ".join(section.instructor))
    item = row.session or row.module
    if item:
        lines += [f"{m.label}: {m.url}" for m in item.materials if m.url]
    lines += [_("Due: %(title)s") % {"title": d.title} + _points_note(d.points) for d in due_here]
    return Event(f"{uid}@{domain}", feed_text(summary), start, end, row.kind,
                 description="\n".join(feed_text(part) for part in lines),
                 location=feed_text(location) if location else None, url=url)


def _occurrence_event(meeting: Meeting, slot: Slot, zone: ZoneInfo, domain: str, course_name: str) -> Event:
    """One meeting of a pattern, for a course without sessions yet; keyed by its date."""
    section = f"-{section_feed_name(slot.section)}" if slot.section else ""
    uid = f"{slug(meeting.name) or 'meeting'}-{slot.date.isoformat()}{section}@{domain}"
    start: dt.date | dt.datetime
    end: dt.date | dt.datetime | None
    if slot.start is not None:
        start, end = _times(slot.date, slot.start, slot.end, zone)
    else:
        start, end = slot.date, slot.date + dt.timedelta(days=1)
    name = meeting_name(meeting)  # coursesite's "Lecture" in the course's language; the UID keeps the raw name
    return Event(uid, feed_text(name + (f" ({slot.section.name})" if slot.section else "")), start, end,
                 "lecture" if meeting.name.lower() == "lecture" else "meeting",
                 description=feed_text(course_name),
                 location=feed_text(slot.location) if slot.location else None)


def _deadline_event(deadline: Deadline, zone: ZoneInfo, domain: str) -> Event:
    """A point in time (no DTEND, which may not equal DTSTART), or an all-day item for a date."""
    assert deadline.due is not None
    key = deadline.assignment_id or (deadline.row.anchor if deadline.row else "item")
    due = deadline.due
    start: dt.date | dt.datetime
    end: dt.date | None
    if due.time is not None:
        start, end = dt.datetime.combine(due.day, due.time, tzinfo=zone), None
    else:  # a date only: no time is invented
        start, end = due.day, due.day + dt.timedelta(days=1)
    lines = []
    if deadline.points is not None:
        lines.append(_("%(points)s points") % {"points": format_points(deadline.points)})
    if deadline.submit:
        lines.append(_("Submit: %(place)s") % {"place": deadline.submit})
    if deadline.in_class:
        lines.append(_("Handed in in class"))
    return Event(f"due-{key}-{slug(deadline.title, 80)}@{domain}",
                 feed_text(_("Due: %(title)s") % {"title": deadline.title}), start, end, "deadline",
                 description="\n".join(feed_text(part) for part in lines) if lines else None)


def _office_hours(course: Course, zone: ZoneInfo, domain: str, name: str) -> list[Planned]:
    """Office hours as weekly events within the term, skipping holidays that cancel everything."""
    term = course.info.term
    if term.start is None or term.end is None:
        return []
    planned = []
    for person in course.info.people:
        for number, hour in enumerate(person.office_hours, start=1):
            first = _first_day(hour, term.start.value, term.end.value)
            if first is None or hour.start is None:
                continue
            event = _office_hour_event(course, person, number, hour, first, zone, domain, name)
            planned.append(Planned(event, first, term.end.value, "office-hours"))
    return planned


def _first_day(hour: OfficeHour, start: dt.date, end: dt.date) -> dt.date | None:
    return next((start + dt.timedelta(days=i) for i in range((end - start).days + 1)
                 if (start + dt.timedelta(days=i)).weekday() in hour.weekdays), None)


def _office_hour_event(course: Course, person: Person, number: int, hour: OfficeHour,
                       first: dt.date, zone: ZoneInfo, domain: str, name: str) -> Event:
    assert hour.start is not None and course.info.term.end is not None
    term_end = course.info.term.end.value
    start, end = _times(first, hour.start, hour.end, zone)
    until = dt.datetime.combine(term_end, dt.time(23, 59, 59), tzinfo=zone)
    days = ",".join(WEEKDAYS[d][:2].upper() for d in hour.weekdays)
    skipped = sorted(day for weekday in set(hour.weekdays) for day in _weekly(first, term_end, weekday)
                     if (h := holiday_on(day, course.info.holidays)) and cancels(h, None))
    lines = [name] + [text for text in (hour.url, hour.note) if text]
    return Event(f"office-hours-{slug(person.name)}-{number}@{domain}",
                 feed_text(_("Office hours: %(name)s") % {"name": person.name}), start, end, "office-hours",
                 description="\n".join(feed_text(part) for part in lines),
                 location=feed_text(hour.location) if hour.location else None,
                 url=feed_uri(hour.url) if hour.url else None,
                 rrule=f"FREQ=WEEKLY;UNTIL={utc_time(until)};BYDAY={days}",
                 exdates=tuple(dt.datetime.combine(day, hour.start, tzinfo=zone) for day in skipped))


def _weekly(first: dt.date, last: dt.date, weekday: int) -> Iterator[dt.date]:
    """Every `weekday` (0 is Monday) from `first` to `last`."""
    day = first + dt.timedelta(days=(weekday - first.weekday()) % 7)
    while day <= last:
        yield day
        day += dt.timedelta(days=7)
