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
from icalendar.parser.string import _foldline

from coursesite.deliverables import Deadline
from coursesite.formatting import format_points
from coursesite.modules import module_label
from coursesite.schedule import DatedSchedule, Row
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
    name = f"{info.code + ' ' if info.code else ''}{info.title} ({info.term.name})"
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", info.term.timezone)
    domain = f"{course.slug}.coursesite"
    stamp_utc = stamp.astimezone(dt.UTC)
    events: list[_Serialized] = []
    days: list[dt.date] = []
    for row in dated.rows:
        if row.date is None:
            continue

        due_here = [d for d in dated.deadlines if d.row is row]

        def row_event(row: Row = row, due_here: list[Deadline] = due_here) -> icalendar.Event:
            event = _row_event(row, zone, domain, name, due_here)
            event.add("dtstamp", stamp_utc)
            if page_url:
                event.add("url", f"{page_url}#{row.anchor}")
            return event

        key = ("row", repr(row), repr(due_here), info.term.timezone, domain, name, stamp_utc, page_url)
        events.append(_serialized(key,
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
        days.append(deadline.due.day)
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


_FOLD_CHARS = 74  # icalendar folds before the character that would make a line 75 octets


def fold_line(line: str) -> str:
    """icalendar's folding of one content line (RFC 5545: lines under 75 octets), faster.

    icalendar folds character by character, which was a tenth of a build's time; an ASCII line
    can be cut by slicing. Like icalendar, it does not cut a line just after a backslash or
    caret, which would split an escape. tests/test_ical_cache.py compares the two.
    """
    if not line.isascii():
        return _foldline(line)
    if len(line) <= _FOLD_CHARS:
        return line
    parts, start = [], 0
    while len(line) - start > _FOLD_CHARS:
        end = start + _FOLD_CHARS
        if line[end - 1] in "\\^" and end - start > 1:
            end -= 1
        parts.append(line[start:end])
        start = end
    parts.append(line[start:])
    return "\r\n ".join(parts)


@lru_cache(maxsize=64)
def _timezone(tzid: str, first: dt.date, last: dt.date) -> bytes:
    try:
        return bytes(icalendar.Timezone.from_tzid(tzid, first_date=first, last_date=last).to_ical())
    except ValueError:  # as add_missing_timezones: an unknown zone gets no VTIMEZONE
        return b""


def _row_event(row: Row, zone: ZoneInfo, domain: str, course_name: str,
               due_here: list[Deadline]) -> icalendar.Event:
    assert row.date is not None
    event = icalendar.Event()
    event.add("uid", f"{row.anchor}@{domain}")
    summary = row.topic
    if row.module is not None:
        summary = f"{module_label(row)}: {summary}"
    if row.session and row.session.label:
        summary = f"{row.session.label}: {summary}"
    event.add("summary", summary)
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
        event.add("location", row.location)
    lines = [course_name]
    if row.session and row.session.instructor:
        lines.append(", ".join(row.session.instructor))
    item = row.session or row.module
    if item:
        lines += [f"{m.label}: {m.url}" for m in item.materials if m.url]
    lines += [f"Due: {d.title}" + (f" ({format_points(d.points)} points)" if d.points is not None else "")
              for d in due_here]
    event.add("description", "\n".join(lines))
    event.add("categories", [row.kind])
    return event


def _deadline_event(deadline: Deadline, number: int, zone: ZoneInfo,
                    domain: str) -> icalendar.Event:
    assert deadline.due is not None
    event = icalendar.Event()
    key = deadline.assignment_id or (deadline.row.anchor if deadline.row else f"item-{number}")
    slug = "".join(ch if ch.isalnum() else "-" for ch in deadline.title.lower())
    event.add("uid", f"due-{key}-{slug}@{domain}")
    event.add("summary", f"Due: {deadline.title}")
    if deadline.due.time is None:  # a date only: an all-day event, no invented time
        event.add("dtstart", deadline.due.day)
        event.add("dtend", deadline.due.day + dt.timedelta(days=1))
        event.add("transp", "TRANSPARENT")
    else:  # a point in time: no DTEND, which may not equal DTSTART
        event.add("dtstart", dt.datetime.combine(deadline.due.day, deadline.due.time, tzinfo=zone))
    lines = []
    if deadline.points is not None:
        lines.append(f"{format_points(deadline.points)} points")
    if deadline.submit:
        lines.append(f"Submit: {deadline.submit}")
    if deadline.in_class:
        lines.append("Handed in in class")
    if lines:
        event.add("description", "\n".join(lines))
    event.add("categories", ["deadline"])
    return event
