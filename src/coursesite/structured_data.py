"""schema.org JSON-LD for a course overview: a `Course` with its `CourseInstance`, and exams as `Event`s.

Google's Course rich results need `name`, `description` and `provider`; a course that does
not say its institution has no provider, since the site never invents one. The JSON is
escaped for a `<script>` element: `<`, `>` and `&` are written as \\u escapes, so no text
of the course can end the block.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from markupsafe import Markup

from coursesite import urls
from coursesite.markup import render_markdown
from coursesite.model import WEEKDAY_NAMES, CourseInfo
from coursesite.schedule import DatedSchedule

LEAD_ROLES = ("Instructor", "Professor", "Lecturer")


def course_json_ld(slug: str, info: CourseInfo, dated: DatedSchedule, base_url: str | None) -> Markup:
    """The JSON-LD of a course's overview, ready to stand inside `<script type="application/ld+json">`."""
    url = urls.absolute(base_url, urls.course_page(slug, "overview"))
    provider = {"@type": "CollegeOrUniversity", "name": info.institution} if info.institution else None
    course = _clean({
        "@context": "https://schema.org", "@type": "Course", "name": info.title, "courseCode": info.code,
        "description": _plain(info.summary or info.description) or info.subtitle or info.title,
        "provider": provider, "url": url, "hasCourseInstance": [_instance(info, bool(dated.modules))],
    })
    events = [_clean({
        "@context": "https://schema.org", "@type": "Event", "name": row.topic,
        "startDate": _when(row.date.isoformat(), row.start_time),
        "endDate": _when((row.end or row.date).isoformat(), row.end_time) if row.end or row.end_time else None,
        "location": {"@type": "Place", "name": row.location} if row.location else None,
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode" if row.location else None,
        "organizer": provider, "url": url,
    }) for row in dated.sessions if row.kind == "exam" and row.date]
    text = json.dumps([course, *events], sort_keys=True, ensure_ascii=False, indent=1)
    # Safe inside <script>: no '<' is left to end the element, and JSON needs no HTML escaping.
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))  # noqa: S704


def _instance(info: CourseInfo, modules: bool) -> dict[str, Any]:
    term = info.term
    located = [m for m in info.meetings if m.location]
    return _clean({
        "@type": "CourseInstance", "name": term.name,
        "startDate": term.start.value.isoformat() if term.start else None,
        "endDate": term.end.value.isoformat() if term.end else None,
        # Timeboxed modules and no meetings: an online course (modules.py); else only what is written.
        "courseMode": "Onsite" if located else ("Online" if modules and not info.meetings else None),
        "location": {"@type": "Place", "name": located[0].location} if located else None,
        "instructor": [{"@type": "Person", "name": p.name} for p in info.people if p.role in LEAD_ROLES],
        "courseSchedule": [_clean({
            "@type": "Schedule", "name": meeting.name, "repeatFrequency": "P1W",
            "byDay": [f"https://schema.org/{WEEKDAY_NAMES[d]}" for d in meeting.days],
            "startTime": f"{meeting.start:%H:%M}" if meeting.start else None,
            "endTime": f"{meeting.end:%H:%M}" if meeting.end else None,
            "startDate": term.start.value.isoformat() if term.start else None,
            "endDate": term.end.value.isoformat() if term.end else None,
            "scheduleTimezone": term.timezone}) for meeting in info.meetings if meeting.days],
    })


def _when(day: str, time: Any) -> str:
    return f"{day}T{time:%H:%M}" if time else day


def _plain(markdown: str | None) -> str | None:
    if not markdown:
        return None
    text = re.sub(r"<[^>]*>", " ", str(render_markdown(markdown)))
    return " ".join(html.unescape(text).split()) or None


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None and v != []}
