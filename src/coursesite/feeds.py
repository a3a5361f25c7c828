"""Which calendar feeds a course publishes, and which events each holds.

- `calendar.ics`: everything;
- `calendar-<section>.ics`: the shared events and that section's meetings, one per section;
- `deadlines.ics`: deadlines only;
- `office-hours.ics`: office hours, as weekly events within the term.
A feed with no events is not written.
"""

from __future__ import annotations

from dataclasses import dataclass

from coursesite import urls
from coursesite.ical import Entry, calendar_bytes, calendar_entries
from coursesite.schedule import DatedSchedule
from coursesite.site import Course
from coursesite.timetable import section_feed_name
from coursesite.translations import _


@dataclass(frozen=True)
class Feed:
    """One feed as the schedule page lists it."""

    path: str
    title: str
    holds: str  # a line on what it holds

    @property
    def file_name(self) -> str:
        return self.path.rsplit("/", 1)[-1]


def course_feeds(course: Course, dated: DatedSchedule,
                 page_url: str | None) -> tuple[list[Feed], dict[str, bytes]]:
    """The feeds of `course` and their bytes, keyed by output path (they do not depend on the day)."""
    entries = calendar_entries(course, dated, page_url)
    if not entries:
        return [], {}
    slug = course.slug
    chosen: list[tuple[Feed, list[Entry]]] = [
        (Feed(urls.calendar_feed(slug), _("Everything"),
              _("every session, holiday, deadline and office hour")), entries)]
    for name, label in _sections(course):
        feed = Feed(urls.calendar_feed(slug, f"calendar-{name}"), _("Section %(name)s") % {"name": label},
                    _("the shared events and section %(name)s's meetings only") % {"name": label})
        chosen.append((feed, [e for e in entries if e.section in (None, name)]))
    deadlines = [e for e in entries if e.kind == "deadline"]
    if deadlines:
        chosen.append((Feed(urls.calendar_feed(slug, "deadlines"), _("Deadlines"),
                            _("deadlines only")), deadlines))
    hours = [e for e in entries if e.kind == "office-hours"]
    if hours:
        chosen.append((Feed(urls.calendar_feed(slug, "office-hours"), _("Office hours"),
                            _("office hours, weekly through the term")), hours))
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
