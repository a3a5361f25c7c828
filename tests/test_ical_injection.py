"""Hostile text in course files cannot break a calendar feed or add events to it.

Every feed is read by three readers: icalendar, the strict `ical` package, and a naive reader
that splits with `str.splitlines()` and unfolds. Each must see exactly the events written, with
their text as the author wrote it, less control characters.
"""

from __future__ import annotations

import json
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import icalendar
import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from ical.calendar_stream import IcsCalendarStream

from conftest import MINIMAL_COURSE, build, run_cli

# Unicode's mandatory line breaks: the author meant a new line.
LINE_BREAKS = ["\r\n", "\r", "\n", "\v", "\f", "\x85", "\u2028", "\u2029"]


def cleaned(text: str) -> str:
    """What a feed should carry: line breaks as "\\n", no other control characters."""
    text = re.sub("|".join(map(re.escape, LINE_BREAKS)), "\n", text)
    return "".join(ch for ch in text if ch in "\t\n" or unicodedata.category(ch) != "Cc")


def one_line(text: str) -> str:
    return " ".join(line.strip() for line in cleaned(text).split("\n") if line.strip())


@dataclass
class Reading:
    """What one reader saw: the calendar's name and each event's summary, in order."""

    name: str
    summaries: list[str]


def unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def naive_reading(data: bytes) -> Reading:
    """A reader that splits lines as Python does, then unfolds: str.splitlines() and nothing more."""
    lines: list[str] = []
    for line in data.decode().splitlines():
        if line[:1] in (" ", "\t") and lines:
            lines[-1] += line[1:]
        else:
            lines.append(line)
    for line in lines:
        assert re.match(r"[A-Z][A-Z0-9-]*[;:]", line), f"not a content line: {line!r}"
    values = [line.partition(":") for line in lines]
    names = [unescape(value) for key, _, value in values if key == "X-WR-CALNAME"]
    assert len(names) == 1
    assert sum(line == "BEGIN:VEVENT" for line in lines) == sum(line == "END:VEVENT" for line in lines)
    return Reading(names[0], [unescape(value) for key, _, value in values if key == "SUMMARY"])


def x_text(value: object) -> str:
    """An X- property's text. RFC 5545 makes it TEXT by default, so the feed escapes it, but
    icalendar 7.3 (like ical) keeps it as written (RFC 7265's UNKNOWN); 7.2 unescaped it."""
    return str(value) if isinstance(value, icalendar.vText) else unescape(str(value))


def readings(data: bytes) -> dict[str, Reading]:
    """The feed as each of the three readers sees it; also checks the lines' length in octets."""
    assert data.endswith(b"\r\n") and data.count(b"\r") == data.count(b"\n") == data.count(b"\r\n")
    assert all(len(line) <= 75 for line in data.split(b"\r\n")), "a line longer than 75 octets"
    by_icalendar = icalendar.Calendar.from_ical(data)
    strict = IcsCalendarStream.calendar_from_ics(data.decode())
    return {
        "icalendar": Reading(x_text(by_icalendar["x-wr-calname"]),
                             [str(e["summary"]) for e in by_icalendar.walk("VEVENT")]),
        "ical": Reading(x_text(next(p.value for p in strict.extras if p.name == "x-wr-calname")),
                        [e.summary or "" for e in strict.events]),
        "splitlines": naive_reading(data),
    }


def feed(root: Path, slug: str = "dl") -> bytes:
    return (root / "build" / slug / "calendar.ics").read_bytes()


def assert_every_reader_sees(data: bytes, name: str, summaries: list[str]) -> None:
    for reader, reading in readings(data).items():
        assert reading.name == name, reader
        assert sorted(reading.summaries) == sorted(summaries), reader


# ---- regressions: each of these broke the feed or the build before --------------------------

def test_a_two_line_title_passes_check_and_builds_with_the_name_on_one_line(site) -> None:
    course = MINIMAL_COURSE.replace("title: Deep Learning", "title: |\n  Deep\n  Learning")
    root = site({"courses/dl/course.yaml": course,
                 "courses/dl/schedule.yaml": "sessions:\n  - topic: Intro\n"})
    assert run_cli("check", root, "--strict").code == 0
    result = build(root)
    assert (result.code, result.err) == (0, "")
    assert_every_reader_sees(feed(root), "DL 101 Deep Learning (Fall 2026)", ["Intro"])


INJECTION = "Intro\rEND:VEVENT\rBEGIN:VEVENT\rUID:evil@x\rSUMMARY:Injected\rDTSTART:20260909T100000Z"


@pytest.mark.parametrize("field", ["topic", "title"])
def test_a_carriage_return_cannot_inject_an_event(site, field: str) -> None:
    course, topic = MINIMAL_COURSE, "Intro"
    if field == "title":
        course = course.replace("title: Deep Learning", f"title: {json.dumps(INJECTION)}")
    else:
        topic = INJECTION
    root = site({"courses/dl/course.yaml": course,
                 "courses/dl/schedule.yaml": yaml.safe_dump({"sessions": [{"topic": topic}]})})
    assert run_cli("check", root, "--strict").code == 0
    assert build(root).code == 0
    name = f"DL 101 {one_line(INJECTION) if field == 'title' else 'Deep Learning'} (Fall 2026)"
    assert_every_reader_sees(feed(root), name, [cleaned(topic)])
    assert feed(root).split(b"\r\n").count(b"BEGIN:VEVENT") == 1


@pytest.mark.parametrize("character", ["\v", "\f", "\x1c", "\x1d", "\x1e", "\x1f", "\x85", "\u2028",
                                       "\u2029", "\r", "\x00", "\x1b", "\x7f", "\x9b"],
                         ids=repr)
def test_line_breaks_and_control_characters_do_not_reach_the_feed(site, character: str) -> None:
    text = f"Before{character}After"
    course = MINIMAL_COURSE.replace("title: Deep Learning", f"title: {json.dumps(text)}")
    schedule = {"sessions": [{"topic": text, "label": text, "location": text}, {"topic": "Next"}],
                "assignments": [{"id": "hw", "title": text, "due": "2026-09-20 17:00"}]}
    root = site({"courses/dl/course.yaml": course + f"holidays:\n  - {{date: 2026-09-10, label: {json.dumps(text)}}}\n",
                 "courses/dl/schedule.yaml": yaml.safe_dump(schedule)})
    assert run_cli("check", root, "--strict").code == 0
    assert build(root).code == 0
    expected = cleaned(text)
    assert expected in ("Before\nAfter", "BeforeAfter")
    assert_every_reader_sees(feed(root), f"DL 101 {one_line(text)} (Fall 2026)",
                             [f"{expected}: {expected}", expected, "Next", f"Due: {expected}"])
    event = icalendar.Calendar.from_ical(feed(root)).walk("VEVENT")[0]
    assert str(event["location"]) == expected


def test_backslashes_and_separators_come_back_as_written(site) -> None:
    topic = r"C:\New\notes; a, b \N \\n"
    root = site({"courses/dl/schedule.yaml": yaml.safe_dump({"sessions": [{"topic": topic}]})})
    assert build(root).code == 0
    assert_every_reader_sees(feed(root), "DL 101 Deep Learning (Fall 2026)", [topic])


# ---- any text in any field that reaches the feed ---------------------------------------------

NASTY = ("\r", "\n", "\r\n", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x1f", "\x85", "\u2028", "\u2029",
         "\x00", "\x7f", "\x9b", "\t", "\\", "\\N", "\\n", ";", ",", ":", '"', "^", " ", "N",
         "BEGIN:VEVENT", "é", "中", "😀", "\u200b", "\ufeff", "\U0010fffd")
TEXT = st.lists(st.sampled_from(NASTY) | st.characters(exclude_categories=("Cs",)), max_size=40).map("".join)
# Texts are wrapped in letters: the schema strips surrounding whitespace and refuses empty text.
FIELDS = st.lists(TEXT.map(lambda text: f"A{text}Z"), min_size=11, max_size=11)


def hostile_course(texts: list[str]) -> tuple[dict[str, str], str, list[str]]:
    """Course files with `texts` in every field that reaches the feed; the feed's name and summaries."""
    code, title, term, person, room, holiday, topic, label, material, due, assignment = texts
    course = yaml.safe_load(MINIMAL_COURSE)
    course.update(code=code, title=title, holidays=[{"date": "2026-09-10", "label": holiday}])
    course["term"]["name"] = term
    course["people"][0]["name"] = person
    course["meetings"][0]["location"] = room
    schedule = {
        "sessions": [
            {"id": "first", "topic": topic, "label": label, "location": room, "instructor": person,
             "materials": [{"label": material, "url": "https://example.edu/a,b;c.pdf"}],
             "due": [{"title": due, "points": 15}], "notes": topic},
            {"topic": topic},
        ],
        "assignments": [{"id": "hw1", "title": assignment, "due": "2026-10-01 17:00"}],
    }
    files = {"courses/dl/course.yaml": yaml.safe_dump(course), "courses/dl/schedule.yaml": yaml.safe_dump(schedule)}
    name = one_line(f"{code} {title} ({term})")
    summaries = [cleaned(f"{label}: {topic}"), cleaned(topic), cleaned(holiday),
                 cleaned(f"Due: {due}"), cleaned(f"Due: {assignment}")]
    return files, name, summaries


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(texts=FIELDS)
@example(texts=["A" + "\r\n".join(["x"] * 3) + "Z"] * 11)
@example(texts=[f"A{ch}Z" for ch in ("\v", "\f", "\x1c", "\x85", "\u2028", "\u2029", "\r", "\\N", ";", ",", "\x7f")])
@example(texts=["A" + "é" * 80 + "\\" + "😀" * 30 + "Z"] * 11)
def test_any_text_in_any_field_gives_a_feed_every_reader_reads_alike(tmp_path: Path, texts: list[str]) -> None:
    files, name, summaries = hostile_course(texts)
    root = Path(tempfile.mkdtemp(dir=tmp_path))
    for path, content in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(content, encoding="utf-8")
    checked = run_cli("check", root, "--strict")
    assert checked.code == 0, checked.err
    built = build(root)
    assert built.code == 0, built.err
    data = feed(root)
    assert_every_reader_sees(data, name, summaries)
    events = {str(e["uid"]): e for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}
    lecture = events["session-first@dl.coursesite"]
    assert str(lecture["location"]) == cleaned(texts[4])
    assert str(lecture["description"]).split("\n") == [
        name, *cleaned(texts[3]).split("\n"), *cleaned(f"{texts[8]}: https://example.edu/a,b;c.pdf").split("\n"),
        *cleaned(f"Due: {texts[9]} (15 points)").split("\n")]
