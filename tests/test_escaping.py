"""Hostile text in every string field of every model is shown as text: no script element other
than the theme's, no event-handler attribute, no unsafe link, and template syntax shown literally.
A `javascript:` address where a URL is expected is an error."""

from __future__ import annotations

import copy
import itertools
import json
import types
import typing
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from pydantic import BaseModel

from conftest import TODAY, run_cli

HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "{{ 7*7 }}",
    "{% include 'base.html' %}",
    '<a href="javascript:alert(1)">click</a>',
    "</textarea></title><script>alert(1)</script>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "${7*7} #{7*7} <%= 7*7 %>",
]
FILE = '"><img src=x onerror=alert(1)>.pdf'
PHOTO = "'><svg onload=alert(1)>.png"
URL = 'https://example.org/?q="><script>alert(1)</script>&r=\'onmouseover=alert(1)'
EMAIL = '"><svg/onload=alert(1)>@example.org'


def _data() -> dict[str, Any]:
    """Every file of a course, with a hostile string in every text field (marked "H")."""
    person, meeting = "H-person", "H-meeting"
    course = {
        "code": "H", "title": "H", "subtitle": "H",
        "term": {"name": "H", "start": "2026-09-08", "end": "2026-12-18", "timezone": "America/New_York"},
        "institution": "H", "department": "H", "url": URL,
        "summary": "H", "description": "H", "prerequisites": "H", "textbook": "H",
        "topics": ["H", "H"],
        "other_offerings": [{"label": "H", "url": URL, "note": "H"}],
        "people": [{"name": person, "role": "H", "url": URL, "email": EMAIL, "photo": PHOTO, "pronouns": "H",
                    "office_hours": [{"day": "Wed", "start": "16:30", "end": "17:30", "location": "H",
                                      "note": "H", "url": URL}],
                    "bio": "H"}],
        "staff_to_be_announced": ["H"],
        "office_hours_note": "H",
        "meetings": [{"name": meeting, "days": ["Tue", "Thu"], "start": "10:00", "end": "11:15",
                      "location": "H", "note": "H",
                      "sections": [{"name": "H", "start": "14:00", "location": "H", "instructor": person,
                                    "codes": ["H"]}, {"name": "H", "days": ["Mon", "Wed"]}]}],
        "holidays": [{"date": "2026-10-15", "label": "H", "cancels": [meeting]}],
        "swaps": [{"date": "2026-11-25", "follows": "Fri", "label": "H"}],
        "grading": {"components": [{"name": "H", "weight": 100, "points": 10, "count": 2, "drop_lowest": 1,
                                    "note": "H"}],
                    "scale": [{"letter": "H", "min": 90, "max": 100}], "notes": "H"},
        "about": [{"title": "H", "body": "H"}],
        "extra": {"anything": "H"},
    }
    schedule = {
        "note": "H",
        "modules": [{"title": "H", "notes": "H", "due": ["hw2"]}],
        "sessions": [
            {"topic": "H", "label": "H", "week": "H", "location": "H", "meeting": meeting, "notes": "H",
             "instructor": person, "readings": ["h-reading", {"id": "h-reading", "where": "H"}],
             "materials": [{"label": "H", "url": URL}, {"label": "H", "file": FILE}],
             "due": [{"title": "H", "points": 5, "assignment": "hw1", "time": "23:59"}]},
            {"topic": "H", "kind": "notebook", "attach": True},
            {"topic": "H", "date": "2026-10-20", "end": "2026-10-21", "kind": "exam"},
            {"topic": "H"},
        ],
        "assignments": [{"id": "hw1", "title": "H", "released": "2026-09-08", "due": "2026-09-08 23:59",
                         "due_text": "H", "points": 10, "url": URL, "notes": "H", "submit": "H",
                         "solutions": {"file": FILE, "release": "after-due"}},
                        {"id": "hw2", "title": "H", "file": FILE, "due_text": "H"}],
    }
    readings = {"groups": [{"title": "H", "note": "H", "ordered": False, "items": [
        {"id": "h-reading", "title": "H", "authors": ["H", "H"], "year": "H", "url": URL, "emphasis": "H",
         "note": "H"},
        {"title": "H", "file": FILE}]}]}
    links = {"groups": [{"title": "H", "note": "H", "items": [{"title": "H", "url": URL, "note": "H"}]}]}
    page = {"title": "H", "nav_title": "H", "description": "H", "order": 1}
    site = {"title": "H", "description": "H", "footer": "H", "extra": {"anything": "H"}}
    data = {"course": course, "schedule": schedule, "readings": readings, "links": links, "page": page,
            "site": site}
    return _fill(data, itertools.cycle(HOSTILE), {})


def _fill(value: Any, hostile: typing.Iterator[str], named: dict[str, str]) -> Any:
    """Each "H" takes the next hostile string; "H-name" takes the same one wherever it appears."""
    if isinstance(value, dict):
        return {k: _fill(v, hostile, named) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, hostile, named) for v in value]
    if value == "H":
        return next(hostile)
    if isinstance(value, str) and value.startswith("H-"):
        return named.setdefault(value, f"{next(hostile)} {value[2:]}")
    return value


MODELS = {"course": "CourseInfo", "schedule": "ScheduleFile", "readings": "ReadingsFile",
          "links": "LinksFile", "page": "PageMeta", "site": "SiteConfig"}
# Text fields that cannot hold arbitrary text by design.
NOT_FREE_TEXT = {("Term", "timezone"), ("Assignment", "id"), ("SiteConfig", "base_url"),
                 ("SiteConfig", "strict_allows"), ("Reading", "id"), ("ReadingRef", "id"),
                 ("Session", "id"), ("Session", "released"), ("GradingComponent", "session"),
                 ("Session", "time"), ("CourseInfo", "sections"), ("CourseInfo", "offering_of"),
                 # a tag Babel knows, and one of two calendars: tests/test_i18n.py
                 ("CourseInfo", "language"), ("SiteConfig", "language"), ("CourseInfo", "calendar")}
BODY = "Body {{ 7*7 }} and {% include 'base.html' %} and <iframe src=\"https://example.org/v\" title=\"v\"></iframe>\n"


def _write(root: Path, data: dict[str, Any]) -> None:
    course = root / "courses" / "dl"
    (course / "pages").mkdir(parents=True)
    for part in ("course", "schedule", "readings", "links"):
        (course / f"{part}.yaml").write_text(yaml.safe_dump(data[part], allow_unicode=True))
    (course / "pages" / "notes.md").write_text(f"---\n{yaml.safe_dump(data['page'])}---\n{BODY}")
    (root / "site.yaml").write_text(yaml.safe_dump(data["site"]))
    for name in (FILE, PHOTO):
        (course / name).write_bytes(b"file")


def _str_fields(model: type[BaseModel], seen: set[type] | None = None) -> set[tuple[str, str]]:
    """(model, field) for every field of `model` and the models inside it that holds text."""
    seen = seen if seen is not None else set()
    if model in seen:
        return set()
    seen.add(model)
    found = set()
    for name, field in model.model_fields.items():
        for inner in _types_in(field.annotation):
            if inner is str:
                found.add((model.__name__, name))
            elif isinstance(inner, type) and issubclass(inner, BaseModel):
                found |= _str_fields(inner, seen)
    return found


def _types_in(annotation: Any) -> list[Any]:
    if typing.get_origin(annotation) is typing.Literal:
        return []
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is typing.Annotated:
        return _types_in(args[0])
    if args and (typing.get_origin(annotation) in (list, dict, typing.Union, types.UnionType)):
        return [t for arg in args for t in _types_in(arg)]
    return [annotation]


def _filled(model: type[BaseModel], data: Any) -> set[tuple[str, str]]:
    """(model, field) for every field that `data` gives text."""
    found = set()
    for name, value in data.items():
        field = model.model_fields[name]
        if isinstance(value, str) or (isinstance(value, list) and value and isinstance(value[0], str)) \
                or (isinstance(value, dict) and name == "extra"):
            found.add((model.__name__, name))
        inner = [t for t in _types_in(field.annotation) if isinstance(t, type) and issubclass(t, BaseModel)]
        for item in value if isinstance(value, list) else [value]:
            if inner and isinstance(item, dict):
                found |= _filled(inner[0], item)
    return found


def test_the_hostile_course_fills_every_text_field() -> None:
    """Guards the test below: a new text field in the model must get hostile text too."""
    from coursesite import model

    data = _data()
    wanted = set().union(*(_str_fields(getattr(model, name)) for name in MODELS.values()))
    filled = set().union(*(_filled(getattr(model, MODELS[part]), data[part]) for part in MODELS))
    assert sorted(wanted - NOT_FREE_TEXT - filled) == []


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    _write(root, _data())
    result = run_cli("build", root, "--out", root / "build", "--today", TODAY.isoformat())
    assert result.code == 0, result.err
    return root / "build"


def _pages(out: Path) -> list[tuple[Path, BeautifulSoup]]:
    # html5lib builds the tree a browser builds, so a broken-out attribute or tag would show.
    return [(p, BeautifulSoup(p.read_text(), "html5lib")) for p in sorted(out.rglob("*.html"))]


def test_no_script_runs_from_course_text(hostile_build: Path) -> None:
    from coursesite.sanitize import unsafe_url

    pages = _pages(hostile_build)
    assert len(pages) == 9  # catalog, overview, schedule, readings, links, assignments, notes, week, syllabus
    for path, soup in pages:
        scripts = soup.find_all("script")
        assert [s.get("src") for s in scripts if s.get("src")] == ["../static/site.js" if path.parent != hostile_build
                                                                  else "static/site.js"], path
        # schema.org data is not run (structured_data.py); it must parse and hold no '<' to end it.
        data = [s.string for s in scripts if s.get("type") == "application/ld+json"]
        assert all("<" not in text and json.loads(text) for text in data), path
        inline = [s.string for s in scripts if not s.get("src") and s.get("type") != "application/ld+json"]
        assert inline == ['try{var t=localStorage.getItem("coursesite-theme");'
                          'if(t)document.documentElement.dataset.theme=t}catch(e){}'], path
        handlers = [(el.name, attr) for el in soup.find_all(True) for attr in el.attrs if attr.lower().startswith("on")]
        assert handlers == [], path
        for element in soup.find_all(True):
            for attr in ("href", "src", "action", "formaction", "data", "poster"):
                if element.get(attr):
                    assert unsafe_url(element[attr]) is None, (path, element)
        assert soup.find("svg") is None and soup.find("textarea") is None, path


def test_template_syntax_and_markup_in_course_text_is_shown_literally(hostile_build: Path) -> None:
    overview = BeautifulSoup((hostile_build / "dl" / "index.html").read_text(), "html5lib")
    text = overview.get_text(" ")
    for hostile in ("{{ 7*7 }}", "{% include 'base.html' %}", "<script>alert(1)</script>",
                    '"><img src=x onerror=alert(1)>', "${7*7} #{7*7} <%= 7*7 %>"):
        assert hostile in text, hostile
    info = _data()["course"]
    assert overview.select_one("main h1").get_text(" ", strip=True) == \
        f"{info['code']} {info['title']} ({info['subtitle']})"
    page = BeautifulSoup((hostile_build / "dl" / "notes.html").read_text(), "html5lib")
    body = page.select_one("main .prose").get_text(" ")
    assert "{{ 7*7 }}" in body and "{% include 'base.html' %}" in body
    assert page.select_one("main .prose iframe")["src"] == "https://example.org/v"


def test_hostile_text_stays_in_its_calendar_fields(hostile_build: Path) -> None:
    import icalendar

    calendar = icalendar.Calendar.from_ical((hostile_build / "dl" / "calendar.ics").read_bytes())
    summaries = [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]
    first = _data()["schedule"]["sessions"][0]
    assert any(s.startswith(f"{first['label']}: {first['topic']}") for s in summaries)
    assert any("<" in s for s in summaries)


URL_FIELDS = [
    ("course", ("url",), "url"),
    ("course", ("other_offerings", 0, "url"), "other_offerings[0].url"),
    ("course", ("people", 0, "url"), "people[0].url"),
    ("schedule", ("sessions", 0, "materials", 0, "url"), "sessions[0].materials[0].url"),
    ("schedule", ("assignments", 0, "url"), "assignments[0].url"),
    ("readings", ("groups", 0, "items", 0, "url"), "groups[0].items[0].url"),
    ("links", ("groups", 0, "items", 0, "url"), "groups[0].items[0].url"),
    ("site", ("base_url",), "base_url"),
]


@pytest.mark.parametrize(("part", "loc", "field"), URL_FIELDS, ids=[f[2] for f in URL_FIELDS])
def test_a_javascript_address_where_a_url_belongs_is_an_error(tmp_path, monkeypatch, part, loc, field) -> None:
    data = copy.deepcopy(_data())
    holder = data[part]
    for key in loc[:-1]:
        holder = holder[key]
    holder[loc[-1]] = "javascript:alert(1)"
    _write(tmp_path, data)
    monkeypatch.chdir(tmp_path)

    result = run_cli("check", tmp_path)

    assert result.code == 1
    assert len(result.lines) == 2
    assert result.lines[0].endswith(f": error: {field}: 'javascript:' links are not allowed; use http, https, "
                                    "mailto or a relative path")
    assert result.lines[0].startswith("site.yaml:" if part == "site" else f"courses/dl/{part}.yaml:")
