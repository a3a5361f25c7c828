"""Timeboxed modules: dated back to back, due on their last day, shown and fed as spans."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
from ical.calendar_stream import IcsCalendarStream

from conftest import build, parse, run_cli, visible_text
from coursesite.model import CourseInfo, ScheduleFile
from coursesite.schedule import assign_dates

COURSE = """\
title: Data Structures
term: {name: Spring 2025, start: 2025-03-10, end: 2025-04-30, timezone: America/Chicago}
due_time: "23:59"
holidays:
  - {date: 2025-04-18, label: Spring holiday}
"""
MODULES = """\
modules:
  - title: Getting started
  - title: Fundamentals
    due: [a1]
  - {title: Efficiency, readings: [{id: bailey, where: "5, 6"}], due: [a2, {title: Exam 1, time: "12:00"}]}
  - title: Collections
  - title: Lists
  - title: Trees
  - title: Hash tables
  - title: Wrap-up
assignments:
  - {id: a1, title: Assignment 1}
  - {id: a2, title: Assignment 2}
"""
READINGS = "groups:\n  - title: Books\n    items:\n      - {id: bailey, title: Java Structures}\n"


def module_course(site, course: str = COURSE, schedule: str = MODULES) -> Path:
    root = site({"courses/ds/course.yaml": course, "courses/ds/schedule.yaml": schedule,
                 "courses/ds/readings.yaml": READINGS}, minimal=False)
    result = build(root)
    assert result.code == 0, result.err
    return root / "build" / "ds"


def spans(course: str, schedule: str) -> list[tuple[str, dt.date | None, dt.date | None]]:
    import yaml

    dated = assign_dates(CourseInfo.model_validate(yaml.safe_load(course)),
                         ScheduleFile.model_validate(yaml.safe_load(schedule)))
    return [(row.topic, row.date, row.end) for row in dated.modules]


def test_modules_date_themselves_back_to_back_from_the_term_start() -> None:
    D = dt.date
    assert spans(COURSE, MODULES) == [
        ("Getting started", D(2025, 3, 10), D(2025, 3, 16)), ("Fundamentals", D(2025, 3, 17), D(2025, 3, 23)),
        ("Efficiency", D(2025, 3, 24), D(2025, 3, 30)), ("Collections", D(2025, 3, 31), D(2025, 4, 6)),
        ("Lists", D(2025, 4, 7), D(2025, 4, 13)), ("Trees", D(2025, 4, 14), D(2025, 4, 20)),
        ("Hash tables", D(2025, 4, 21), D(2025, 4, 27)),
        ("Wrap-up", D(2025, 4, 28), D(2025, 4, 30))]  # the last ends at term.end


def test_the_first_module_ends_on_the_first_sunday_and_pins_carry_on() -> None:
    course = COURSE.replace("start: 2025-03-10", "start: 2025-03-12")  # a Wednesday
    schedule = "modules:\n  - title: A\n  - {title: B, date: 2025-03-24, length: 14}\n  - title: C\n"
    D = dt.date
    assert spans(course, schedule) == [("A", D(2025, 3, 12), D(2025, 3, 16)),
                                       ("B", D(2025, 3, 24), D(2025, 4, 6)), ("C", D(2025, 4, 7), D(2025, 4, 13))]


def test_the_schedule_shows_each_module_as_its_span_without_an_other_badge(site) -> None:
    out = module_course(site)
    soup = parse(out / "schedule.html")
    row = soup.select_one("#module-2")
    assert row.select_one("td.date").get_text(" ", strip=True).startswith("Module 2 · Mon Mar 24 – Sun Mar 30")
    assert [t["datetime"] for t in row.select("td.date time")] == ["2025-03-24", "2025-03-30"]
    assert soup.select("table.schedule .kind") == []
    assert row.select_one("td.materials").get_text(" ", strip=True) == "Reading: Java Structures (5, 6)"
    holiday = soup.select_one("#module-5").find_next_sibling("tr")
    assert "Spring holiday" in visible_text(holiday)  # shown inside the module that holds it


def test_what_a_module_lists_is_due_on_its_last_day(site) -> None:
    out = module_course(site)
    table = parse(out / "assignments.html").select_one("table.deliverables")
    due = {tr.th.get_text(" ", strip=True).removesuffix(" past"): tr.select("td")[1].get_text(" ", strip=True)
           for tr in table.select("tbody tr")}
    assert due == {"Assignment 1": "Sun Mar 23, 11:59 pm", "Exam 1": "Sun Mar 30, 12:00 pm",
                   "Assignment 2": "Sun Mar 30, 11:59 pm"}
    assert "Collected in Module 2: Efficiency" in table.get_text(" ", strip=True)


def test_the_feed_has_an_all_day_event_spanning_each_module(site) -> None:
    out = module_course(site)
    data = (out / "calendar.ics").read_bytes()
    events = {str(e["uid"]): e for e in icalendar.Calendar.from_ical(data).walk("VEVENT")}
    module = events["module-2@ds.coursesite"]
    assert "Efficiency" in str(module["summary"])
    assert (module.decoded("dtstart"), module.decoded("dtend")) == (dt.date(2025, 3, 24), dt.date(2025, 3, 31))
    assert "Due: Assignment 2" in str(module["description"]) and "Due: Exam 1" in str(module["description"])
    strict = {e.uid: e for e in IcsCalendarStream.calendar_from_ics(data.decode()).events}
    assert (strict["module-2@ds.coursesite"].dtstart, strict["module-2@ds.coursesite"].dtend) == (
        dt.date(2025, 3, 24), dt.date(2025, 3, 31))


def test_a_live_session_sits_inside_its_module(site, monkeypatch) -> None:
    course = COURSE + "meetings:\n  - {name: Live session, days: [Thu], start: \"18:00\", end: \"19:00\"}\n"
    schedule = MODULES + "sessions:\n  - {topic: Office hour on recursion, date: 2025-03-27}\n"
    out = module_course(site, course, schedule)
    rows = parse(out / "schedule.html").select("table.schedule tbody tr")
    ids = [row["id"] for row in rows]
    assert ids.index("module-2") + 1 == ids.index(next(i for i in ids if i.startswith("session-")))
    monkeypatch.chdir(out.parents[1])
    assert run_cli("check", out.parents[1], "--strict").code == 0


def test_the_example_module_course(reference_build: Path) -> None:
    soup = parse(reference_build / "auburn-data-structures" / "schedule.html")
    dates = [row.select_one("td.date").get_text(" ", strip=True).removesuffix(" Next")
             for row in soup.select("table.schedule tbody tr")]
    assert dates[0] == "Module 0 · Wed Jan 11 – Sun Jan 15"
    assert dates[-1] == "Module 7 · Mon Feb 27 – Fri Mar 3"
