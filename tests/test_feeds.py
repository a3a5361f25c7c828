"""The calendar feeds (issue 11): which files, what each holds, UIDs that stay put under edits,
deadlines as points in time, office hours as weekly events; read by three independent parsers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events
from ical.calendar_stream import IcsCalendarStream

from conftest import build, parse

EDMONTON = ZoneInfo("America/Edmonton")
COURSE = """\
code: CS 200
title: Feeds
term: {name: Winter 2026, start: 2026-01-05, end: 2026-02-27, timezone: America/Edmonton}
people:
  - name: Ada Lovelace
    office_hours:
      - {days: [Mon, Wed], start: "13:00", end: "14:00", location: CSC 313, url: "https://example.edu/zoom/ada"}
      - {day: Fri, start: "09:00"}
meetings:
  - name: Lecture
    days: [Tue, Thu]
    sections:
      - {name: A1, start: "14:00", end: "15:15", location: PHO 206}
      - {name: "B 2", start: "15:30", end: "16:45", location: CAS 211}
holidays:
  - {date: 2026-02-16, end: 2026-02-20, label: Reading week}
"""
SESSIONS = [f"  - topic: Topic {n}\n" for n in range(1, 9)]
ASSIGNMENTS = """\
assignments:
  - {id: hw1, title: Homework 1, due: "2026-01-20 23:59"}
  - {id: hw2, title: Homework 2, due: 2026-02-03}
"""


def write(root: Path, sessions: list[str]) -> Path:
    (root / "courses/dl/schedule.yaml").write_text("sessions:\n" + "".join(sessions) + ASSIGNMENTS)
    result = build(root)
    assert result.code == 0, result.err
    return root / "build/dl"


def uids(out: Path, name: str = "calendar.ics") -> dict[str, dt.date]:
    """Each event's UID -> its start date."""
    calendar = icalendar.Calendar.from_ical((out / name).read_bytes())
    found = {}
    for event in calendar.walk("VEVENT"):
        start = event.decoded("dtstart")
        found[str(event["uid"])] = start.date() if isinstance(start, dt.datetime) else start
    return found


def test_the_feeds_and_the_schedule_page_that_lists_them(site) -> None:
    out = write(site({"courses/dl/course.yaml": COURSE}), SESSIONS)
    assert sorted(p.name for p in out.glob("*.ics")) == [
        "calendar-a1.ics", "calendar-b-2.ics", "calendar.ics", "deadlines.ics", "office-hours.ics"]
    listed = parse(out / "schedule.html").select("details.subscribe ul.feeds li")
    assert [li.select_one("a")["href"] for li in listed] == [
        "calendar.ics", "calendar-a1.ics", "calendar-b-2.ics", "deadlines.ics", "office-hours.ics"]
    assert all(len(li.get_text(strip=True)) > len(li.select_one("a").get_text()) + 5 for li in listed)
    everything = set(uids(out))
    assert set(uids(out, "deadlines.ics")) == {"due-hw1-homework-1@dl.coursesite", "due-hw2-homework-2@dl.coursesite"}
    assert set(uids(out, "office-hours.ics")) == {"office-hours-ada-lovelace-1@dl.coursesite",
                                                  "office-hours-ada-lovelace-2@dl.coursesite"}
    a1 = set(uids(out, "calendar-a1.ics"))
    assert a1 == {uid for uid in everything if not uid.split("@")[0].endswith("-b-2")}
    for name in ("calendar.ics", "calendar-a1.ics", "calendar-b-2.ics", "deadlines.ics", "office-hours.ics"):
        text = (out / name).read_text()
        strict = IcsCalendarStream.calendar_from_ics(text)
        assert len(strict.events) == text.count("BEGIN:VEVENT"), name
        recurring_ical_events.of(icalendar.Calendar.from_ical(text)).between(dt.date(2026, 1, 1), dt.date(2026, 4, 1))


def test_uids_and_anchors_stay_put_when_sessions_are_inserted_removed_or_moved(site) -> None:
    root = site({"courses/dl/course.yaml": COURSE})
    before = uids(write(root, SESSIONS))
    anchors = {tr["id"] for tr in parse(root / "build/dl/schedule.html").select("table.schedule tbody tr")}
    edited = ["  - topic: A new first lecture\n"] + SESSIONS[:3] + SESSIONS[4:]  # insert at top, drop Topic 4
    edited[5] = "  - {topic: Topic 6, date: 2026-02-24}\n"  # and move Topic 6 to another date
    after = uids(write(root, edited))
    new_anchors = {tr["id"] for tr in parse(root / "build/dl/schedule.html").select("table.schedule tbody tr")}
    gone = {uid for uid in before if "topic-4" in uid}
    added = {uid for uid in after if "a-new-first-lecture" in uid}
    assert len(gone) == 2 and len(added) == 2  # one event per section
    holidays = {uid for uid in after if uid.startswith("holiday-")}  # the move spans reading week now
    assert set(after) - holidays == set(before) - gone | added  # no other UID changed
    moved = [uid for uid in after if "topic-6" in uid]
    assert moved and all(after[uid] == dt.date(2026, 2, 24) != before[uid] for uid in moved)
    assert new_anchors - {"holiday-2026-02-16"} == anchors - {"session-lecture-topic-4"} | {
        "session-lecture-a-new-first-lecture"}


def test_an_explicit_id_keeps_the_uid_when_the_topic_changes(site) -> None:
    root = site({"courses/dl/course.yaml": COURSE})
    before = uids(write(root, ["  - {id: intro, topic: Introduction}\n"]))
    after = uids(write(root, ["  - {id: intro, topic: Welcome and overview}\n"]))
    assert "session-intro-a1@dl.coursesite" in before and set(before) == set(after)


def test_deadlines_are_points_in_time_or_all_day_dates(site) -> None:
    out = write(site({"courses/dl/course.yaml": COURSE}), SESSIONS)
    calendar = icalendar.Calendar.from_ical((out / "deadlines.ics").read_bytes())
    by_uid = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    timed = by_uid["due-hw1-homework-1@dl.coursesite"]
    assert timed.decoded("dtstart") == dt.datetime(2026, 1, 20, 23, 59, tzinfo=EDMONTON)
    assert "dtend" not in timed and "duration" not in timed
    dated = by_uid["due-hw2-homework-2@dl.coursesite"]
    assert (dated.decoded("dtstart"), dated.decoded("dtend")) == (dt.date(2026, 2, 3), dt.date(2026, 2, 4))
    strict = {e.uid: e for e in IcsCalendarStream.calendar_from_ics((out / "deadlines.ics").read_text()).events}
    assert strict["due-hw2-homework-2@dl.coursesite"].dtstart == dt.date(2026, 2, 3)


def test_office_hours_repeat_weekly_within_the_term_skipping_holidays(site) -> None:
    out = write(site({"courses/dl/course.yaml": COURSE}), SESSIONS)
    calendar = icalendar.Calendar.from_ical((out / "office-hours.ics").read_bytes())
    held = recurring_ical_events.of(calendar).between(dt.date(2025, 12, 1), dt.date(2026, 6, 1))
    ada = sorted(e.decoded("dtstart") for e in held if str(e["uid"]).endswith("-1@dl.coursesite"))
    assert ada[0] == dt.datetime(2026, 1, 5, 13, 0, tzinfo=EDMONTON)
    assert ada[-1] == dt.datetime(2026, 2, 25, 13, 0, tzinfo=EDMONTON)
    assert len(ada) == 2 * 8 - 2  # Mon and Wed of eight weeks, less reading week
    assert dt.datetime(2026, 2, 16, 13, 0, tzinfo=EDMONTON) not in ada
    fridays = [e for e in held if str(e["uid"]).endswith("-2@dl.coursesite")]
    assert len(fridays) == 8 - 1
    first = next(e for e in held if str(e["uid"]).endswith("-1@dl.coursesite"))
    assert str(first["location"]) == "CSC 313" and str(first["url"]) == "https://example.edu/zoom/ada"
