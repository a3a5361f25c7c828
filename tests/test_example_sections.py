"""The example course in parallel sections (courses/bu-cs111-sections): two lecture sections, a
lab track in sections of its own, a swap day, a holiday that cancels labs only, timed exams."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar

from conftest import parse

SLUG = "bu-cs111-sections"
BOSTON = ZoneInfo("America/New_York")


def as_read(element: object) -> str:
    return re.sub(r"\s+", " ", element.get_text()).strip()  # type: ignore[attr-defined]


def feed(out: Path, name: str) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical((out / SLUG / name).read_bytes())
    return {str(e["uid"]).split("@")[0]: e for e in calendar.walk("VEVENT")}


def test_the_example_shows_both_sections_of_each_lecture_and_lab(reference_build: Path) -> None:
    soup = parse(reference_build / SLUG / "schedule.html")
    lecture = soup.select_one("#session-welcome")
    assert as_read(lecture.select_one("th.topic")) == "Lecture 1 Welcome; what computer science is"
    assert [as_read(li) for li in lecture.select("ul.section-times li")] == [
        "A1 2:00 pm–3:15 pm, PHO 206", "B1 3:30 pm–4:45 pm, CAS 211"]
    lab = soup.select_one("#session-lab-getting-started-with-python")
    assert lab.select_one("td.date > time")["datetime"] == "2024-09-09"
    assert [as_read(li) for li in lab.select("ul.section-times li")] == [
        "A2 10:10 am–11:00 am, EPC 201", "B2 12:20 pm–1:10 pm, EPC 201"]
    overview = parse(reference_build / SLUG / "index.html")
    assert [as_read(li).split(":")[0] for li in overview.select("li.section")] == ["A1", "B1", "A2", "B2"]


def test_the_swap_day_runs_the_monday_lab_and_no_lecture(reference_build: Path) -> None:
    soup = parse(reference_build / SLUG / "schedule.html")
    on_swap = [row["id"] for row in soup.select("table.schedule tbody tr[data-date='2024-10-15']")]
    assert on_swap == ["session-lab-review-problems"]
    weeks = {as_read(row.select_one("td.week")) for row in soup.select("table.schedule tbody tr")}
    assert {"7 · Oct 15–17", "13 · Nov 26"} <= weeks  # no Monday on Oct 14; no labs in Thanksgiving week
    b2 = feed(reference_build, "calendar-b2.ics")
    assert b2["session-lab-review-problems-b2"].decoded("dtstart") == dt.datetime(2024, 10, 15, 12, 20, tzinfo=BOSTON)
    assert not any(key.endswith("-a2") or key.endswith("-a1") for key in b2)


def test_the_exams_keep_their_own_times(reference_build: Path) -> None:
    events = feed(reference_build, "calendar.ics")
    midterm = events["session-exam-midterm-exam"]
    assert (midterm.decoded("dtstart"), midterm.decoded("dtend")) == (
        dt.datetime(2024, 10, 10, 18, 30, tzinfo=BOSTON), dt.datetime(2024, 10, 10, 20, 0, tzinfo=BOSTON))
    assert str(midterm["location"]) == "SCI 107"
    final = events["session-exam-final-exam"]
    assert final.decoded("dtstart") == dt.datetime(2024, 12, 16, 15, 0, tzinfo=BOSTON)
    assert "location" not in final  # no room was written, and none is borrowed


def test_at_a_glance_gives_each_sections_time(reference_build: Path) -> None:
    overview = parse(reference_build / SLUG / "index.html")
    first = overview.select_one(".glance-sessions li[data-date='2024-09-03']")
    assert as_read(first) == "Tue Sep 3 Welcome; what computer science is A1 2:00 pm, B1 3:30 pm"
