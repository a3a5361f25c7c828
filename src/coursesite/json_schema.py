"""JSON Schemas of the course files, generated from the pydantic model, for editors.

yaml-language-server (VS Code's YAML extension and others) reads a file's
`# yaml-language-server: $schema=...` line and then completes fields, shows their
descriptions and underlines mistakes as they are typed. Field descriptions come from the
model's `Field(description=...)`; `DESCRIPTIONS` gives the ones the model leaves out, by field
name (`Model.field` for a meaning of its own). The repository keeps the generated files in
`schema/` (a test regenerates them), and every build publishes them at `schema/`.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from coursesite.model import CourseInfo, LinksFile, PageMeta, ReadingsFile, ScheduleFile
from coursesite.schedule_json import SCHEDULE_VERSION

SCHEMA_BASE = "https://coursesite.invalid/schema/"  # an id, not fetched: editors use the modeline's path

DESCRIPTIONS = {
    "assignments": "assignments, dated by the sessions that release and collect them or by dates of their own",
    "authors": "the authors, each as written",
    "base_url": "where the site is served, for feed and canonical links",
    "bio": "a short biography (Markdown)",
    "body": "the block's text (Markdown)",
    "code": "the course's code, such as CS 229br",
    "components": "the parts of the grade",
    "date": "a date, YYYY-MM-DD (a weekday may stand before it: Tue 2026-09-08)",
    "Holiday.date": "the day without class (or the first of a range)",
    "Swap.date": "the day that follows another weekday's timetable",
    "Session.date": "pins the session to this date; without it, it takes the next meeting of its pattern",
    "Module.date": "the module's first day; without it, the week after the previous module",
    "day": "the day of the week",
    "days": "days of the week, such as [Mon, Wed]",
    "department": "the department that teaches the course",
    "description": "a longer description (Markdown)",
    "PageMeta.description": "a one-line summary of the page, for search engines",
    "drop_lowest": "how many of the lowest items do not count",
    "due": "when it is due: a date, or a date and time (2026-09-22 23:59)",
    "Session.due": "what is due at this session: assignment ids, or items written out",
    "Module.due": "what is due at the end of this module: assignment ids, or items written out",
    "email": "an email address",
    "end": "the last day (inclusive), YYYY-MM-DD",
    "Meeting.end": "when it ends, HH:MM",
    "MeetingSection.end": "when it ends, HH:MM",
    "OfficeHour.end": "when it ends, HH:MM",
    "Term.end": "the term's last day",
    "extra": "free-form data for your own templates; not checked",
    "file": "a file in the course folder, such as slides/week1.pdf ('not yet posted' until it exists)",
    "follows": "the weekday whose meetings take place that day",
    "footer": "text at the bottom of every page (Markdown)",
    "grading": "how the final grade is made",
    "groups": "named groups, in order",
    "holidays": "days without class (the schedule skips them)",
    "id": "a stable name that other files use to refer to it",
    "ReadingRef.id": "the id of a reading in readings.yaml",
    "institution": "the university or school",
    "instructor": "who teaches this section: a name, or a list",
    "items": "the entries of the group, in order",
    "kind": "what sort of session it is",
    "label": "the text shown",
    "Session.label": "shown before the topic instead of 'Lecture 3'",
    "letter": "the letter grade, such as A-",
    "location": "a room or a place",
    "materials": "slides, notebooks, videos",
    "max": "the highest percent of the band (inclusive)",
    "min": "the lowest percent of the band (inclusive)",
    "meetings": "weekly meeting patterns: lectures, sections, labs",
    "modules": "timeboxed units of an online course, in order",
    "name": "the name",
    "Term.name": "the term's name, such as Fall 2026",
    "Person.name": "the person's name, as other files refer to it",
    "Meeting.name": "the meeting's name, such as Lecture or Lab",
    "nav_title": "a shorter title for the course's navigation",
    "note": "a short note",
    "notes": "notes (Markdown)",
    "office_hours": "weekly office hours",
    "office_hours_note": "office hours that follow no weekly pattern, in words",
    "order": "the page's place in the navigation (smaller first)",
    "ordered": "number the items",
    "people": "instructors and staff",
    "photo": "a photo in the course folder",
    "points": "points it is worth",
    "prerequisites": "what students should know first (Markdown)",
    "pronouns": "such as she/her",
    "readings": "readings by id in readings.yaml, with where to read",
    "released": "when it is posted: a date, or a date and time",
    "solutions": "the solutions: a file in the course folder, left out of the site until its release",
    "Solutions.release": "when the solutions appear: after-due (once the deadline has passed), or a date "
                         "or date and time in the course's time zone",
    "role": "such as Instructor or Teaching Assistant",
    "scale": "letter grades by percent, highest first",
    "sections": "parallel sections: the same sessions, each at its own time and room",
    "sessions": "the sessions, in order",
    "start": "when it starts, HH:MM (or 3:45pm)",
    "Term.start": "the term's first day: sessions without a date count from it",
    "subtitle": "a subtitle shown beside the title",
    "summary": "a short summary at the top of the overview (Markdown)",
    "swaps": "days that follow another weekday's timetable",
    "term": "the term of this offering",
    "textbook": "the textbook (Markdown)",
    "time": "the time of day it is due, HH:MM",
    "timezone": "an IANA time zone such as America/New_York, for the calendar feed",
    "title": "the title",
    "topics": "topics, shown as a list on the overview",
    "url": "a link (https://...)",
    "week": "the week label shown instead of the computed one",
    "year": "the year of publication",
    "announcements": "announcements, newest first",
    "expires": "the last day it is shown",
}

# Output file -> (model, title).
SCHEMAS: dict[str, tuple[type[BaseModel], str]] = {
    "course.schema.json": (CourseInfo, "course.yaml"),
    "schedule.schema.json": (ScheduleFile, "schedule.yaml"),
    "readings.schema.json": (ReadingsFile, "readings.yaml"),
    "links.schema.json": (LinksFile, "links.yaml"),
    "page.schema.json": (PageMeta, "front matter of a page in pages/"),
}


def _announcements_model() -> type[BaseModel] | None:
    """announcements.yaml's model, once the announcements module is part of coursesite."""
    try:
        module = importlib.import_module("coursesite.announcements")
    except ImportError:
        return None
    model = getattr(module, "AnnouncementsFile", None)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def schemas() -> dict[str, dict[str, Any]]:
    """Every schema, by file name."""
    models = dict(SCHEMAS)
    announcements = _announcements_model()
    if announcements is not None:
        models["announcements.schema.json"] = (announcements, "announcements.yaml")
    found = {name: file_schema(model, title, name) for name, (model, title) in models.items()}
    if "announcements.schema.json" in found:  # the file's top level is the list itself
        schema = found["announcements.schema.json"]
        listed = schema.pop("properties")["announcements"]
        schema.pop("additionalProperties", None)
        schema.update(type="array", items=listed["items"])
    found["schedule-json.schema.json"] = schedule_json_schema()
    return found


def file_schema(model: type[BaseModel], title: str, name: str) -> dict[str, Any]:
    schema = model.model_json_schema(mode="validation")
    _describe(schema, model.__name__)
    for name, definition in schema.get("$defs", {}).items():
        _describe(definition, name)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_BASE + name,
            "title": title} | schema


# Fields whose items may be written short: `readings: [id]`, `due: [hw1]`; `instructor: Ada`.
SHORTHAND_ITEMS = {"readings", "due"}
ONE_OR_MORE = {"instructor", "cancels", "session", "codes"}


def _describe(schema: dict[str, Any], model: str) -> None:
    for field, prop in schema.get("properties", {}).items():
        if field in SHORTHAND_ITEMS and prop.get("type") == "array":
            prop["items"] = {"anyOf": [{"type": "string"}, prop["items"]]}
        if field in ONE_OR_MORE and prop.get("type") == "array":
            listed = dict(prop)
            prop.clear()
            prop.update(anyOf=[{"type": "string"}, {"type": "array", "items": listed.pop("items")}],
                        **{k: v for k, v in listed.items() if k != "type"})
        prop.pop("title", None)  # "Due Time": the field's name again, which editors show instead of the text
        if "description" not in prop:
            prop["description"] = DESCRIPTIONS.get(f"{model}.{field}") or DESCRIPTIONS[field]


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in sorted(schemas().items()):
        path = folder / name
        path.write_text(dumps(schema), encoding="utf-8")
        written.append(path)
    return written


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def schedule_json_schema() -> dict[str, Any]:
    """The documented format of COURSE/schedule.json (schedule_json.py)."""
    string, date = {"type": "string"}, {"type": "string", "format": "date"}
    clock = {"type": "string", "pattern": "^\\d{2}:\\d{2}$", "description": "24-hour HH:MM in the course's time zone"}
    moment = {"type": "string", "description": "a date, or a date and time: 2026-09-22 or 2026-09-22T23:59"}
    days = {"type": "array", "items": {"enum": ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]}}

    def obj(required: list[str], **props: Any) -> dict[str, Any]:
        return {"type": "object", "required": required, "properties": props}

    session = obj(["id", "kind", "topic"], id=string | {"description": "stable key of the session"}, date=date,
                  end=date, start_time=clock, end_time=clock, timezone=string, location=string,
                  kind=string, topic=string, label=string, meeting=string,
                  sections={"type": "array", "items": obj(["date"], section=string, date=date, start_time=clock,
                                                          end_time=clock, location=string)},
                  materials={"type": "array", "items": obj(["label", "posted"], label=string, url=string,
                                                          posted={"type": "boolean"})},
                  readings={"type": "array", "items": obj(["id"], id=string, title=string, url=string,
                                                         where=string)})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema", "$id": SCHEMA_BASE + "schedule-json.schema.json",
        "title": "COURSE/schedule.json", "description": f"The dated schedule of a course, version {SCHEDULE_VERSION}. "
        "Facts the course does not state are left out, never guessed.",
        **obj(["version", "course", "sessions", "deadlines", "exams", "meetings", "office_hours"],
              version={"const": SCHEDULE_VERSION},
              course=obj(["slug", "title", "term"], slug=string, code=string, title=string, institution=string,
                         offering_of=string,
                         term=obj(["name", "timezone"], name=string, start=date, end=date, timezone=string)),
              sessions={"type": "array", "items": session},
              holidays={"type": "array", "items": obj(["date", "label"], date=date, end=date, label=string)},
              deadlines={"type": "array", "items": obj(["title"], title=string, assignment=string, due=moment,
                                                      due_text=string, released=moment,
                                                      points={"type": "number"}, in_class={"type": "boolean"},
                                                      submit=string)},
              exams={"type": "array", "items": session, "description": "the sessions of kind exam"},
              meetings={"type": "array", "items": obj(["name"], name=string, days=days, start=clock, end=clock,
                                                     location=string, sections={"type": "array"})},
              office_hours={"type": "array", "items": obj(["person"], person=string, days=days, start=clock,
                                                         end=clock, location=string, url=string, note=string)}),
    }
