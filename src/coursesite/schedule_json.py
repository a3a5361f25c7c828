"""`COURSE/schedule.json` and the catalog's `index.json`: the dated schedule as data for other tools.

What an LMS import, a bot or a department dashboard reads. The format has a version of its
own (`SCHEDULE_VERSION`) and a JSON Schema, `schema/schedule-json.schema.json`, written by
json_schema.py. Dates are ISO dates, times 24-hour `HH:MM` in the course's time zone; a fact
nobody wrote is left out, never guessed. Keys are sorted: the same input gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from coursesite import urls
from coursesite.deliverables import Deadline
from coursesite.json_text import dumps_sorted
from coursesite.model import WEEKDAYS, Moment, OfficeHour
from coursesite.offerings import OfferingGroup
from coursesite.schedule import DatedSchedule, Row
from coursesite.site import Course, CourseSummary

SCHEDULE_VERSION = 1
SCHEDULE_FILE = "schedule.json"
INDEX_FILE = "index.json"


def schedule_path(slug: str) -> str:
    return f"{slug}/{SCHEDULE_FILE}"


def dumps(data: Any) -> bytes:
    """`json.dumps(data, sort_keys=True, ensure_ascii=False, indent=1)` and a newline (json_text.py)."""
    return (dumps_sorted(data) + "\n").encode()


def schedule_json(course: Course, dated: DatedSchedule, exists: Any) -> bytes:
    """The schedule of `course`; `exists(name)` says whether a course file is there to link."""
    info = course.info
    tz = info.term.timezone
    files = {"exists": exists, "slug": course.slug}
    readings = {r.id: r for group in course.readings.groups for r in group.items if r.id}
    sessions = [_session(row, tz, files, readings) for row in dated.rows if row.session is not None]
    data = {
        "version": SCHEDULE_VERSION,
        "course": _course_fields(course.summary()),
        "sessions": sessions,
        "holidays": [_clean({"date": _day(row.date), "end": _day(row.end), "label": row.topic})
                     for row in dated.rows if row.holiday is not None],
        "deadlines": [_deadline(d) for d in dated.deadlines],
        "exams": [s for s in sessions if s["kind"] == "exam"],
        "meetings": [_clean({"name": m.name, "days": [WEEKDAYS[d] for d in m.days], "start": _time(m.start),
                             "end": _time(m.end), "location": m.location,
                             "sections": [_clean({"name": s.name, "days": [WEEKDAYS[d] for d in s.days],
                                                  "start": _time(s.start), "end": _time(s.end),
                                                  "location": s.location}) for s in m.sections]})
                     for m in info.meetings],
        "office_hours": [_office_hour(person.name, hour) for person in info.people for hour in person.office_hours],
    }
    return dumps(data)


def _course_fields(summary: CourseSummary) -> dict[str, Any]:
    info = summary.info
    return _clean({"slug": summary.slug, "code": info.code, "title": info.title, "institution": info.institution,
                   "offering_of": info.offering_of,
                   "term": _clean({"name": info.term.name, "timezone": info.term.timezone,
                                   "start": _day(info.term.start.value if info.term.start else None),
                                   "end": _day(info.term.end.value if info.term.end else None)})})


def _session(row: Row, tz: str, files: dict[str, Any], readings: dict[str, Any]) -> dict[str, Any]:
    session = row.session
    assert session is not None
    materials = []
    for material in session.materials:
        link = material.url
        if material.file and files["exists"](material.file):
            link = urls.relative(schedule_path(files["slug"]), urls.course_file(files["slug"], material.file))
        materials.append(_clean({"label": material.label, "url": link, "posted": link is not None}))
    return _clean({
        "id": row.key, "date": _day(row.date), "end": _day(row.end), "start_time": _time(row.start_time),
        "end_time": _time(row.end_time), "timezone": tz if row.start_time else None,
        "location": row.location, "kind": row.kind, "topic": row.topic, "label": row.heading,
        "meeting": row.meeting.name if row.meeting else None,
        "sections": [_clean({"section": slot.name, "date": _day(slot.date), "start_time": _time(slot.start),
                             "end_time": _time(slot.end), "location": slot.location}) for slot in row.sections],
        "materials": materials,
        "readings": [_clean({"id": ref.id, "title": readings[ref.id].title if ref.id in readings else None,
                             "url": readings[ref.id].url if ref.id in readings else None, "where": ref.where})
                     for ref in session.readings],
    })


def _deadline(deadline: Deadline) -> dict[str, Any]:
    return _clean({"title": deadline.title, "assignment": deadline.assignment_id, "due": _moment(deadline.due),
                   "due_text": deadline.due_text, "released": _moment(deadline.released),
                   "points": deadline.points, "in_class": deadline.in_class or None, "submit": deadline.submit})


def _office_hour(name: str, hour: OfficeHour) -> dict[str, Any]:
    return _clean({"person": name, "days": [WEEKDAYS[d] for d in hour.weekdays], "start": _time(hour.start),
                   "end": _time(hour.end), "location": hour.location, "url": hour.url, "note": hour.note})


def index_json(summaries: Iterable[CourseSummary], groups: dict[str, OfferingGroup]) -> bytes:
    """The catalog as data: every offering, whether it is current, and where its schedule.json is."""
    courses = []
    for summary in sorted(summaries, key=lambda s: s.slug):
        group = groups.get(summary.slug)
        courses.append(_course_fields(summary) | {
            "overview": urls.course_page(summary.slug, "overview"), "schedule": schedule_path(summary.slug),
            "current": group is None or not group.archived(summary.slug)})
    return dumps({"version": SCHEDULE_VERSION, "courses": courses})


def _day(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _time(time: dt.time | None) -> str | None:
    return f"{time:%H:%M}" if time else None


def _moment(moment: Moment | None) -> str | None:
    return moment.iso if moment else None


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """Leave out what nobody wrote (None, empty lists)."""
    return {k: v for k, v in data.items() if v is not None and v != []}
