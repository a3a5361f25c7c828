"""The calendar feed: parsed back by icalendar and by an independent parser, event by event."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
from ical.calendar_stream import IcsCalendarStream

from conftest import MINIMAL_COURSE, build

NY = ZoneInfo("America/New_York")
SCHEDULE = """\
sessions:
  - topic: Perceptrons
    materials: [{label: Slides, url: "https://example.edu/perceptrons.pdf"}]
  - {topic: "Notebook 1", kind: notebook, attach: true}
  - topic: Gradient descent
    due: [{title: Homework 1, points: 15}]
  - {topic: Final exam, kind: exam, date: 2026-12-17, end: 2026-12-23}
assignments:
  - {id: proj, title: Project, released: 2026-09-08, due: "2026-10-01 17:00", points: 30}
"""
HOLIDAY = "holidays:\n  - {date: 2026-11-26, label: Thanksgiving}\n"


def feed(root: Path) -> bytes:
    return (root / "build" / "dl" / "calendar.ics").read_bytes()


def events_by_uid(data: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(data)
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


def test_feed_has_timed_sessions_all_day_ranges_and_deadlines(site) -> None:
    root = site({"courses/dl/course.yaml": MINIMAL_COURSE + HOLIDAY, "courses/dl/schedule.yaml": SCHEDULE})
    assert build(root).code == 0
    events = events_by_uid(feed(root))
    assert sorted(events) == sorted([
        "session-lecture-perceptrons@dl.coursesite", "session-notebook-notebook-1@dl.coursesite", "session-lecture-gradient-descent@dl.coursesite",
        "session-exam-final-exam@dl.coursesite", "holiday-2026-11-26@dl.coursesite",
        "due-session-lecture-gradient-descent-homework-1@dl.coursesite", "due-proj-project@dl.coursesite"])
    lecture = events["session-lecture-perceptrons@dl.coursesite"]
    assert str(lecture["summary"]) == "Perceptrons"
    assert lecture.decoded("dtstart") == dt.datetime(2026, 9, 8, 10, 0, tzinfo=NY)
    assert lecture.decoded("dtend") == dt.datetime(2026, 9, 8, 11, 15, tzinfo=NY)
    assert lecture["dtstart"].params["TZID"] == "America/New_York"
    assert str(lecture["location"]) == "Room 101"
    assert "Slides: https://example.edu/perceptrons.pdf" in str(lecture["description"])
    notebook = events["session-notebook-notebook-1@dl.coursesite"]
    assert notebook.decoded("dtstart") == dt.datetime(2026, 9, 8, 10, 0, tzinfo=NY)  # attached: the lecture's time
    exam = events["session-exam-final-exam@dl.coursesite"]
    assert (exam.decoded("dtstart"), exam.decoded("dtend")) == (dt.date(2026, 12, 17), dt.date(2026, 12, 24))
    holiday = events["holiday-2026-11-26@dl.coursesite"]
    assert (str(holiday["summary"]), holiday.decoded("dtstart")) == ("Thanksgiving", dt.date(2026, 11, 26))
    homework = events["due-session-lecture-gradient-descent-homework-1@dl.coursesite"]
    assert str(homework["summary"]) == "Due: Homework 1"
    # A due item with no time of its own is a date, an all-day event: it borrows no lecture time.
    assert (homework.decoded("dtstart"), homework.decoded("dtend")) == (dt.date(2026, 9, 10), dt.date(2026, 9, 11))
    assert str(homework["description"]) == "15 points"
    project = events["due-proj-project@dl.coursesite"]
    assert project.decoded("dtstart") == dt.datetime(2026, 10, 1, 17, 0, tzinfo=NY)
    timezones = icalendar.Calendar.from_ical(feed(root)).walk("VTIMEZONE")
    assert [str(tz["tzid"]) for tz in timezones] == ["America/New_York"]


def test_an_independent_strict_parser_reads_every_event(site) -> None:
    root = site({"courses/dl/course.yaml": MINIMAL_COURSE + HOLIDAY, "courses/dl/schedule.yaml": SCHEDULE})
    assert build(root).code == 0
    calendar = IcsCalendarStream.calendar_from_ics(feed(root).decode())
    by_uid = {e.uid: e for e in calendar.events}
    assert len(by_uid) == 7
    lecture = by_uid["session-lecture-gradient-descent@dl.coursesite"]
    assert lecture.summary == "Gradient descent"
    assert lecture.dtstart == dt.datetime(2026, 9, 10, 10, 0, tzinfo=NY)
    assert lecture.dtstart.utcoffset() == dt.timedelta(hours=-4)
    assert by_uid["session-exam-final-exam@dl.coursesite"].dtend == dt.date(2026, 12, 24)
    assert [tz.tz_id for tz in calendar.timezones] == ["America/New_York"]


def test_uids_stay_the_same_across_builds_and_a_term_shift_moves_the_events(site) -> None:
    root = site({"courses/dl/course.yaml": MINIMAL_COURSE, "courses/dl/schedule.yaml": SCHEDULE})
    assert build(root).code == 0
    first = feed(root)
    assert build(root).code == 0
    assert feed(root) == first
    course = root / "courses/dl/course.yaml"
    course.write_text(course.read_text().replace("start: 2026-09-08", "start: 2026-09-15"))
    assert build(root).code == 0
    before, after = events_by_uid(first), events_by_uid(feed(root))
    assert sorted(before) == sorted(after)
    moved = after["session-lecture-perceptrons@dl.coursesite"].decoded("dtstart") - before["session-lecture-perceptrons@dl.coursesite"].decoded("dtstart")
    assert moved == dt.timedelta(days=7)


def test_a_course_without_dates_has_no_feed_and_no_subscribe_link(site) -> None:
    from conftest import parse

    root = site({"courses/dl/schedule.yaml": "sessions:\n  - {topic: Intro, label: Lecture 1}\n",
                 "courses/dl/course.yaml": "title: Selected Topics\nterm: {name: Fall 2023}\n"})
    assert build(root).code == 0
    assert not (root / "build/dl/calendar.ics").exists()
    assert parse(root / "build/dl/schedule.html").select("a[href$='.ics']") == []
