"""iCalendar feeds (RFC 5545) per course: sessions, holidays, deadlines and office hours.

UIDs are derived from the course slug and each item's stable key (a session's `id`, or its
meeting and topic; never its position or date), so a subscribed calendar updates its events on
the next build instead of adding copies, and edits elsewhere in the schedule leave them alone.
Which feeds a course has, and what each holds, is feeds.py's business.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

import icalendar

from coursesite.deliverables import Deadline
from coursesite.formatting import current_formats, format_points
from coursesite.ical_text import FeedText, feed_line, feed_text, feed_uri, fold_line
from coursesite.model import WEEKDAYS, Meeting, OfficeHour, Person
from coursesite.modules import module_label
from coursesite.schedule import DatedSchedule, Row
from coursesite.site import Course
from coursesite.timetable import Slot, cancels, holiday_on, occurrences, section_feed_name, slug
from coursesite.translations import _

PRODUCT_ID = "-//coursesite//coursesite//EN"


@dataclass(frozen=True)
class Entry:
    """One serialized event and what feeds.py sorts it by."""

    event: _Serialized
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
    """An event not yet made: how to make it, what it is made from (to keep its bytes), its days."""

    key: tuple[object, ...] | None  # None: not kept
    build: Callable[[], icalendar.Event]
    first: dt.date
    last: dt.date
    kind: str
    section: str | None = None


def calendar_entries(course: Course, dated: DatedSchedule, stamp: dt.datetime,
                     page_url: str | None = None) -> list[Entry]:
    """Every event of the course; `stamp` is DTSTAMP for every event (deterministic)."""
    return [Entry(_serialized(p.key, p.build) if p.key else _fresh(p.build()), p.first, p.last,
                  p.kind, p.section) for p in planned_events(course, dated, stamp, page_url)]


def planned_events(course: Course, dated: DatedSchedule, stamp: dt.datetime,
                   page_url: str | None = None) -> list[Planned]:
    """Sessions (one per section), holidays, meetings (without sessions), deadlines, office hours."""
    info = course.info
    zone = ZoneInfo(info.term.timezone)
    name = course_name(course)
    domain = feed_line(f"{course.slug}.coursesite")
    stamp_utc = stamp.astimezone(dt.UTC)
    # The language is part of what an event's kept bytes depend on ("Due:", "Échéance :").
    base = (info.term.timezone, domain, name, stamp_utc, page_url, current_formats())
    planned: list[Planned] = []
    for row in dated.rows:
        if row.date is None:
            continue
        kind = "holiday" if row.holiday is not None else "session"
        due_here = [d for d in dated.deadlines if d.row is row]
        for slot in row.sections or (None,):

            def row_event(row: Row = row, slot: Slot | None = slot,
                          due_here: list[Deadline] = due_here) -> icalendar.Event:
                event = _row_event(row, slot, zone, domain, name, due_here)
                event.add("dtstamp", stamp_utc)
                if page_url:
                    event.add("url", feed_uri(f"{page_url}#{row.anchor}"))
                return event

            day = slot.date if slot else row.date
            section = section_feed_name(slot.section) if slot and slot.section else None
            planned.append(Planned(("row", repr(row), repr(slot), repr(due_here), *base), row_event, day,
                                   row.end or day, kind, section))
    if not dated.sessions:  # no schedule yet: the meeting patterns alone
        for meeting, slot in occurrences(info):

            def occurrence(meeting: Meeting = meeting, slot: Slot = slot) -> icalendar.Event:
                event = _occurrence_event(meeting, slot, zone, domain, name)
                event.add("dtstamp", stamp_utc)
                return event

            planned.append(Planned(("meeting", repr(meeting), repr(slot), *base), occurrence,
                                   slot.date, slot.date, "session",
                                   section_feed_name(slot.section) if slot.section else None))
    for deadline in dated.deadlines:
        if deadline.due is None:
            continue

        def deadline_event(deadline: Deadline = deadline) -> icalendar.Event:
            event = _deadline_event(deadline, zone, domain)
            event.add("dtstamp", stamp_utc)
            return event

        day = deadline.due.day
        planned.append(Planned(("deadline", repr(deadline), *base), deadline_event, day, day, "deadline"))
    return planned + _office_hours(course, zone, domain, name, stamp_utc)


def _points_note(points: float | None) -> str:
    """' (15 points)' after a due item, or nothing when its points are not stated."""
    return "" if points is None else " (" + _("%(points)s points") % {"points": format_points(points)} + ")"


def calendar_bytes(course: Course, entries: Iterable[Entry], title: str | None = None) -> bytes:
    """A VCALENDAR of `entries`, named after the course (and `title`, for a partial feed)."""
    info = course.info
    chosen = list(entries)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = course_name(course)
    calendar.add("x-wr-calname", FeedText(f"{name}: {title}" if title else name))
    calendar.add("x-wr-timezone", info.term.timezone)
    # The VTIMEZONEs that `Calendar.add_missing_timezones` would add, before the events.
    tzids = set().union(*(entry.event.tzids for entry in chosen)) - {"UTC"}
    timezones = []
    if chosen:
        first = min(entry.first for entry in chosen) - dt.timedelta(days=366)
        last = max(entry.last for entry in chosen) + dt.timedelta(days=366)
        timezones = [_timezone(tzid, first, last) for tzid in sorted(tzids)]
    head = bytes(calendar.to_ical())
    assert head.endswith(_END)
    return head[: -len(_END)] + b"".join(timezones) + b"".join(e.event.ical for e in chosen) + _END


# Serializing events is the slowest part of a build after Markdown, and after an edit most of a
# course's events are unchanged: each event's bytes are kept, keyed by everything it is made
# from (a row's repr holds its session, meeting and holiday). A calendar's bytes are its own
# lines followed by each component's, so the kept bytes are spliced in.
_END = b"END:VCALENDAR\r\n"
_SERIALIZED_LIMIT = 20_000


@dataclass(frozen=True)
class _Serialized:
    ical: bytes
    tzids: frozenset[str]


_serialized_events: dict[tuple[object, ...], _Serialized] = {}


def _serialized(key: tuple[object, ...], build: Callable[[], icalendar.Event]) -> _Serialized:
    known = _serialized_events.get(key)
    if known is None:
        known = _fresh(build())
        if len(_serialized_events) >= _SERIALIZED_LIMIT:
            _serialized_events.clear()
        _serialized_events[key] = known
    return known


def _fresh(event: icalendar.Event) -> _Serialized:
    probe = icalendar.Calendar()
    probe.add_component(event)
    return _Serialized(event_bytes(event), frozenset(probe.get_used_tzids()))


def forget_events() -> None:
    """Drop the kept event bytes (see forget_conversions in markup.py)."""
    _serialized_events.clear()


def event_bytes(event: icalendar.Event) -> bytes:
    """`event.to_ical()`, with its content lines folded by `fold_line`."""
    return b"".join(fold_line(line).encode() + b"\r\n" for line in event.content_lines() if line)


@lru_cache(maxsize=64)
def _timezone(tzid: str, first: dt.date, last: dt.date) -> bytes:
    try:
        return bytes(icalendar.Timezone.from_tzid(tzid, first_date=first, last_date=last).to_ical())
    except ValueError:  # as add_missing_timezones: an unknown zone gets no VTIMEZONE
        return b""


def _row_event(row: Row, slot: Slot | None, zone: ZoneInfo, domain: str,
               course_name: str, due_here: list[Deadline] = []) -> icalendar.Event:  # noqa: B006 - never changed
    """A session, module or holiday; timed only when a time was written for it, else all day.

    A module is an all-day event spanning its days, its deadlines in the description."""
    assert row.date is not None
    event = icalendar.Event()
    section = slot.section if slot else None
    uid = row.anchor + (f"-{section_feed_name(section)}" if section else "")
    event.add("uid", FeedText(f"{uid}@{domain}"))
    summary = row.topic
    if row.heading and row.session and row.session.topic:
        summary = f"{row.heading}: {summary}"
    if row.module is not None:
        summary = f"{module_label(row)}: {summary}"
    if section is not None:
        summary = f"{summary} ({section.name})"
    event.add("summary", FeedText(feed_text(summary)))
    day = slot.date if slot else row.date
    start = slot.start if slot else row.start_time
    end = slot.end if slot else row.end_time
    if start is not None and not row.end:
        _add_times(event, day, start, end, zone)
    else:
        event.add("dtstart", day)
        event.add("dtend", (row.end or day) + dt.timedelta(days=1))
        event.add("transp", "TRANSPARENT")
    location = slot.location if slot else row.location
    if location:
        event.add("location", FeedText(feed_text(location)))
    lines = [course_name]
    if row.session and row.session.instructor:
        lines.append(", ".join(row.session.instructor))
    elif section is not None and section.instructor:
        lines.append(", ".join(section.instructor))
    item = row.session or row.module
    if item:
        lines += [f"{m.label}: {m.url}" for m in item.materials if m.url]
    lines += [_("Due: %(title)s") % {"title": d.title} + _points_note(d.points) for d in due_here]
    event.add("description", FeedText("\n".join(feed_text(line) for line in lines)))
    event.add("categories", [row.kind])
    return event


def _add_times(event: icalendar.Event, day: dt.date, start: dt.time, end: dt.time | None,
               zone: ZoneInfo) -> None:
    """DTSTART, and DTEND only when an end was written (an event without one is a point)."""
    event.add("dtstart", dt.datetime.combine(day, start, tzinfo=zone))
    if end is not None:
        event.add("dtend", dt.datetime.combine(day, end, tzinfo=zone))


def _occurrence_event(meeting: Meeting, slot: Slot, zone: ZoneInfo, domain: str,
                      course_name: str) -> icalendar.Event:
    """One meeting of a pattern, for a course without sessions yet; keyed by its date."""
    event = icalendar.Event()
    section = f"-{section_feed_name(slot.section)}" if slot.section else ""
    uid = f"{slug(meeting.name) or 'meeting'}-{slot.date.isoformat()}{section}@{domain}"
    event.add("uid", FeedText(uid))
    event.add("summary", FeedText(feed_text(meeting.name + (f" ({slot.section.name})" if slot.section else ""))))
    if slot.start is not None:
        _add_times(event, slot.date, slot.start, slot.end, zone)
    else:
        event.add("dtstart", slot.date)
        event.add("dtend", slot.date + dt.timedelta(days=1))
        event.add("transp", "TRANSPARENT")
    if slot.location:
        event.add("location", FeedText(feed_text(slot.location)))
    event.add("description", FeedText(feed_text(course_name)))
    event.add("categories", ["lecture" if meeting.name.lower() == "lecture" else "meeting"])
    return event


def _deadline_event(deadline: Deadline, zone: ZoneInfo, domain: str) -> icalendar.Event:
    """A point in time (no DTEND, which may not equal DTSTART), or an all-day item for a date."""
    assert deadline.due is not None
    event = icalendar.Event()
    key = deadline.assignment_id or (deadline.row.anchor if deadline.row else "item")
    event.add("uid", FeedText(f"due-{key}-{slug(deadline.title, 80)}@{domain}"))
    event.add("summary", FeedText(feed_text(_("Due: %(title)s") % {"title": deadline.title})))
    due = deadline.due
    if due.time is not None:
        event.add("dtstart", dt.datetime.combine(due.day, due.time, tzinfo=zone))
    else:  # a date only: no time is invented
        event.add("dtstart", due.day)
        event.add("dtend", due.day + dt.timedelta(days=1))
        event.add("transp", "TRANSPARENT")
    lines = []
    if deadline.points is not None:
        lines.append(_("%(points)s points") % {"points": format_points(deadline.points)})
    if deadline.submit:
        lines.append(_("Submit: %(place)s") % {"place": deadline.submit})
    if deadline.in_class:
        lines.append(_("Handed in in class"))
    if lines:
        event.add("description", FeedText("\n".join(feed_text(line) for line in lines)))
    event.add("categories", ["deadline"])
    return event


def _office_hours(course: Course, zone: ZoneInfo, domain: str, name: str,
                  stamp: dt.datetime) -> list[Planned]:
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

            def office_hour(person: Person = person, number: int = number, hour: OfficeHour = hour,
                            first: dt.date = first) -> icalendar.Event:
                event = _office_hour_event(course, person, number, hour, first, zone, domain, name)
                event.add("dtstamp", stamp)
                return event

            planned.append(Planned(None, office_hour, first, term.end.value, "office-hours"))
    return planned


def _first_day(hour: OfficeHour, start: dt.date, end: dt.date) -> dt.date | None:
    return next((start + dt.timedelta(days=i) for i in range((end - start).days + 1)
                 if (start + dt.timedelta(days=i)).weekday() in hour.weekdays), None)


def _office_hour_event(course: Course, person: Person, number: int, hour: OfficeHour,
                       first: dt.date, zone: ZoneInfo, domain: str, name: str) -> icalendar.Event:
    assert hour.start is not None and course.info.term.end is not None
    term_end = course.info.term.end.value
    event = icalendar.Event()
    event.add("uid", FeedText(f"office-hours-{slug(person.name)}-{number}@{domain}"))
    event.add("summary", FeedText(feed_text(_("Office hours: %(name)s") % {"name": person.name})))
    _add_times(event, first, hour.start, hour.end, zone)
    until = dt.datetime.combine(term_end, dt.time(23, 59, 59), tzinfo=zone).astimezone(dt.UTC)
    event.add("rrule", {"freq": "weekly", "byday": [WEEKDAYS[d][:2].upper() for d in hour.weekdays],
                        "until": until})
    skipped = sorted(day for day in _days(first, term_end)
                     if day.weekday() in hour.weekdays and (h := holiday_on(day, course.info.holidays))
                     and cancels(h, None))
    for day in skipped:
        event.add("exdate", dt.datetime.combine(day, hour.start, tzinfo=zone))
    if hour.location:
        event.add("location", FeedText(feed_text(hour.location)))
    lines = [name] + [text for text in (hour.url, hour.note) if text]
    event.add("description", FeedText("\n".join(feed_text(line) for line in lines)))
    if hour.url:
        event.add("url", feed_uri(hour.url))
    event.add("categories", ["office-hours"])
    return event


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
