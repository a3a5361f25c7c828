"""An iCalendar feed (RFC 5545) per course: sessions, holidays and deadlines.

UIDs are derived from the course slug and each item's place in the schedule, so a subscribed
calendar updates its events on the next build instead of adding copies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from zoneinfo import ZoneInfo

import icalendar

from coursesite.formatting import format_points
from coursesite.ical_text import FeedText, feed_line, feed_text, feed_uri, fold_line
from coursesite.schedule import DatedSchedule, Deadline, Row
from coursesite.site import Course

PRODUCT_ID = "-//coursesite//coursesite//EN"


def course_calendar(course: Course, dated: DatedSchedule, stamp: dt.datetime,
                    page_url: str | None = None) -> bytes:
    """The course's feed as bytes; `stamp` is DTSTAMP for every event (deterministic)."""
    info = course.info
    zone = ZoneInfo(info.term.timezone)
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = feed_line(f"{info.code + ' ' if info.code else ''}{info.title} ({info.term.name})")
    calendar.add("x-wr-calname", FeedText(name))
    calendar.add("x-wr-timezone", info.term.timezone)
    domain = feed_line(f"{course.slug}.coursesite")
    stamp_utc = stamp.astimezone(dt.UTC)
    events: list[_Serialized] = []
    days: list[dt.date] = []
    for row in dated.rows:
        if row.date is None:
            continue

        def row_event(row: Row = row) -> icalendar.Event:
            event = _row_event(row, zone, domain, name)
            event.add("dtstamp", stamp_utc)
            if page_url:
                event.add("url", feed_uri(f"{page_url}#{row.anchor}"))
            return event

        events.append(_serialized(("row", repr(row), info.term.timezone, domain, name, stamp_utc, page_url),
                                  row_event))
        days.append(row.date)
    for number, deadline in enumerate(dated.deadlines, start=1):
        if deadline.due is None:
            continue

        def deadline_event(deadline: Deadline = deadline, number: int = number) -> icalendar.Event:
            event = _deadline_event(deadline, number, zone, domain)
            event.add("dtstamp", stamp_utc)
            return event

        events.append(_serialized(("deadline", repr(deadline), number, info.term.timezone, domain, stamp_utc),
                                  deadline_event))
        days.append(deadline.due.date())
    # The VTIMEZONEs that `Calendar.add_missing_timezones` would add, before the events.
    tzids = set().union(*(event.tzids for event in events)) - {"UTC"}
    timezones = [_timezone(tzid, min(days) - dt.timedelta(days=366), max(days) + dt.timedelta(days=366))
                 for tzid in sorted(tzids)]
    head = bytes(calendar.to_ical())
    assert head.endswith(_END)
    return head[: -len(_END)] + b"".join(timezones) + b"".join(event.ical for event in events) + _END


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
        event = build()
        probe = icalendar.Calendar()
        probe.add_component(event)
        known = _Serialized(event_bytes(event), frozenset(probe.get_used_tzids()))
        if len(_serialized_events) >= _SERIALIZED_LIMIT:
            _serialized_events.clear()
        _serialized_events[key] = known
    return known


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


def _row_event(row: Row, zone: ZoneInfo, domain: str, course_name: str) -> icalendar.Event:
    assert row.date is not None
    event = icalendar.Event()
    event.add("uid", FeedText(f"{row.anchor}@{domain}"))
    summary = row.topic
    if row.session and row.session.label:
        summary = f"{row.session.label}: {summary}"
    event.add("summary", FeedText(feed_text(summary)))
    if row.start_time and not row.end:
        start = dt.datetime.combine(row.date, row.start_time, tzinfo=zone)
        event.add("dtstart", start)
        end_time = row.end_time or (dt.datetime.combine(row.date, row.start_time)
                                    + dt.timedelta(hours=1)).time()
        event.add("dtend", dt.datetime.combine(row.date, end_time, tzinfo=zone))
    else:
        event.add("dtstart", row.date)
        event.add("dtend", (row.end or row.date) + dt.timedelta(days=1))
        event.add("transp", "TRANSPARENT")
    if row.location:
        event.add("location", FeedText(feed_text(row.location)))
    lines = [course_name]
    if row.session and row.session.instructor:
        lines.append(", ".join(row.session.instructor))
    if row.session:
        lines += [f"{m.label}: {m.url}" for m in row.session.materials if m.url]
        lines += [f"Due: {d.title}" + (f" ({format_points(d.points)} points)"
                                       if d.points is not None else "") for d in row.session.due]
    event.add("description", FeedText("\n".join(feed_text(line) for line in lines)))
    event.add("categories", [row.kind])
    return event


def _deadline_event(deadline: Deadline, number: int, zone: ZoneInfo,
                    domain: str) -> icalendar.Event:
    assert deadline.due is not None
    event = icalendar.Event()
    key = deadline.assignment_id or (deadline.row.anchor if deadline.row else f"item-{number}")
    slug = "".join(ch if ch.isalnum() else "-" for ch in deadline.title.lower())
    event.add("uid", FeedText(f"due-{key}-{slug}@{domain}"))
    event.add("summary", FeedText(feed_text(f"Due: {deadline.title}")))
    due = deadline.due.replace(tzinfo=zone)
    event.add("dtstart", due)
    event.add("dtend", due)
    if deadline.points is not None:
        event.add("description", FeedText(f"{format_points(deadline.points)} points"))
    event.add("categories", ["deadline"])
    return event
