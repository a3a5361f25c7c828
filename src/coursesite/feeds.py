"""Which calendar feeds a course publishes, and which events each holds.

- `calendar.ics`: everything;
- `calendar-<section>.ics`: the shared events and that section's meetings, one per section;
- `deadlines.ics`: deadlines only;
- `office-hours.ics`: office hours, as weekly events within the term.
A feed with no events is not written.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from coursesite import urls
from coursesite.ical import Entry, calendar_bytes, calendar_entries
from coursesite.schedule import DatedSchedule
from coursesite.site import Course
from coursesite.timetable import section_feed_name


@dataclass(frozen=True)
class Feed:
    """One feed as the schedule page lists it."""

    path: str
    title: str
    holds: str  # a line on what it holds

    @property
    def file_name(self) -> str:
        return self.path.rsplit("/", 1)[-1]


def course_feeds(course: Course, dated: DatedSchedule, stamp: dt.datetime,
                 page_url: str | None) -> tuple[list[Feed], dict[str, bytes]]:
    """The feeds of `course` and their bytes, keyed by output path."""
    entries = calendar_entries(course, dated, stamp, page_url)
    if not entries:
        return [], {}
    slug = course.slug
    chosen: list[tuple[Feed, list[Entry]]] = [
        (Feed(urls.calendar_feed(slug), "Everything",
              "every session, holiday, deadline and office hour"), entries)]
    for name, label in _sections(course):
        feed = Feed(urls.calendar_feed(slug, f"calendar-{name}"), f"Section {label}",
                    f"the shared events and section {label}'s meetings only")
        chosen.append((feed, [e for e in entries if e.section in (None, name)]))
    deadlines = [e for e in entries if e.kind == "deadline"]
    if deadlines:
        chosen.append((Feed(urls.calendar_feed(slug, "deadlines"), "Deadlines",
                            "deadlines only"), deadlines))
    hours = [e for e in entries if e.kind == "office-hours"]
    if hours:
        chosen.append((Feed(urls.calendar_feed(slug, "office-hours"), "Office hours",
                            "office hours, weekly through the term"), hours))
    files = {feed.path: calendar_bytes(course, held, None if feed.file_name == "calendar.ics" else feed.title)
             for feed, held in chosen}
    return [feed for feed, _ in chosen], files


def _sections(course: Course) -> list[tuple[str, str]]:
    """Each section's feed name and its name as written, once, in course.yaml order."""
    found: dict[str, str] = {}
    for meeting in course.info.meetings:
        for section in meeting.sections:
            found.setdefault(section_feed_name(section), section.name)
    return list(found.items())
