"""Real timetables (issue 11): times that are stated and never borrowed, several tracks, parallel
sections, holidays that cancel some meetings, swap days and weeks that read as dates; checked on
the built pages (BeautifulSoup) and in the feeds (icalendar and the strict `ical` parser)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
from ical.calendar_stream import IcsCalendarStream

from conftest import build, parse, run_cli, visible_text

EDMONTON = ZoneInfo("America/Edmonton")
COURSE = """\
code: CS 200
title: Timetables
term: {name: Winter 2026, start: 2026-01-05, end: 2026-04-10, timezone: America/Edmonton}
meetings:
  - name: Lecture
    days: [Tue, Thu]
    start: "14:00"
    end: "15:15"
    location: PHO 206
    numbered: true
  - name: Tutorial
    days: [Fri]
    start: "10:00"
    end: "10:50"
    location: CSC 3-33
"""


def built(site, course: str = COURSE, schedule: str | None = None) -> Path:
    files = {"courses/dl/course.yaml": course}
    if schedule is not None:
        files["courses/dl/schedule.yaml"] = schedule
    root = site(files)
    result = build(root)
    assert result.code == 0, result.err
    return root / "build" / "dl"


def rows(out: Path) -> dict[str, str]:
    """Each schedule row's id -> its visible text."""
    soup = parse(out / "schedule.html")
    return {row["id"]: visible_text(row) for row in soup.select("table.schedule tbody tr")}


def as_read(element: object) -> str:
    """An element's text as a reader sees it: no space added between inline elements."""
    return re.sub(r"\s+", " ", element.get_text()).strip()  # type: ignore[attr-defined]


def events(out: Path, name: str = "calendar.ics") -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical((out / name).read_bytes())
    return {str(e["uid"]).split("@")[0]: e for e in calendar.walk("VEVENT")}


def strict(out: Path, name: str = "calendar.ics") -> dict[str, object]:
    """The feed as the strict, independent `ical` parser reads it."""
    calendar = IcsCalendarStream.calendar_from_ics((out / name).read_text())
    return {e.uid.split("@")[0]: e for e in calendar.events}


# ---- 1. clock times on sessions; nothing borrowed ---------------------------------------------


def test_a_session_states_its_own_time_range_or_start(site) -> None:
    out = built(site, schedule="""\
sessions:
  - {topic: Evening review, kind: review, date: 2026-01-07, time: "18:00-20:00", location: CCIS 1-430}
  - {topic: Guest talk, kind: other, date: 2026-01-08, time: "7pm"}
""")
    text = rows(out)
    assert "Wed Jan 7 6:00 pm–8:00 pm" in text["session-review-evening-review"]
    assert "Thu Jan 8 7:00 pm" in text["session-other-guest-talk"]
    assert "2:00 pm" not in text["session-other-guest-talk"]  # not the lecture's time that Thursday
    review, talk = events(out)["session-review-evening-review"], events(out)["session-other-guest-talk"]
    assert (review.decoded("dtstart"), review.decoded("dtend")) == (
        dt.datetime(2026, 1, 7, 18, 0, tzinfo=EDMONTON), dt.datetime(2026, 1, 7, 20, 0, tzinfo=EDMONTON))
    assert str(review["location"]) == "CCIS 1-430"
    assert talk.decoded("dtstart") == dt.datetime(2026, 1, 8, 19, 0, tzinfo=EDMONTON)
    assert "dtend" not in talk and "location" not in talk  # nothing borrowed from the lecture
    assert strict(out)["session-other-guest-talk"].dtstart == dt.datetime(2026, 1, 8, 19, 0, tzinfo=EDMONTON)


def test_a_pinned_session_off_its_meetings_days_has_no_time_and_is_all_day(site) -> None:
    out = built(site, schedule="""\
sessions:
  - topic: Introduction
  - {topic: Midterm, kind: exam, date: 2026-01-14}
  - {topic: Review session, kind: review, date: 2026-01-16}
""")
    text = rows(out)
    assert re.search(r"Wed Jan 14 Midterm", text["session-exam-midterm"])
    assert " pm" not in text["session-exam-midterm"] and "PHO 206" not in text["session-exam-midterm"]
    assert " pm" not in text["session-review-review-session"]
    feed = events(out)
    assert feed["session-exam-midterm"].decoded("dtstart") == dt.date(2026, 1, 14)
    assert feed["session-exam-midterm"].decoded("dtend") == dt.date(2026, 1, 15)
    assert "location" not in feed["session-exam-midterm"]
    assert strict(out)["session-review-review-session"].dtstart == dt.date(2026, 1, 16)
    # On one of its days, a session still takes the meeting's time and place.
    assert feed["session-lecture-introduction"].decoded("dtstart") == dt.datetime(2026, 1, 6, 14, 0, tzinfo=EDMONTON)


def test_only_lectures_warn_when_pinned_off_their_meeting_days(site) -> None:
    root = site({"courses/dl/course.yaml": COURSE, "courses/dl/schedule.yaml": """\
sessions:
  - {topic: Midterm, kind: exam, date: 2026-01-14}
  - {topic: Review, kind: review, date: 2026-01-16}
  - {topic: Social, kind: other, date: 2026-01-17}
  - {topic: Make-up lecture, date: 2026-01-19}
  - {topic: Make-up with a time, date: 2026-01-21, time: "9:00-10:15"}
"""})
    result = run_cli("check", root, "--strict")
    warnings = [line for line in result.lines if "warning[" in line]
    assert len(warnings) == 1, result.err
    assert "warning[not-a-meeting-day]" in warnings[0] and "Make-up lecture" in warnings[0]


def test_attached_rows_keep_their_own_meeting_time_and_place(site) -> None:
    course = COURSE + """\
  - name: Lab
    days: [Tue]
    start: "16:00"
    end: "17:00"
    location: CSC B-10
"""
    out = built(site, course, schedule="""\
sessions:
  - topic: Introduction
  - {topic: Lab 1, kind: lab, attach: true, meeting: Lab}
  - {topic: Office visit, kind: other, attach: true, time: "15:30-16:00", location: CSC 2-21}
  - {topic: Notebook, kind: notebook, attach: true}
""")
    text = rows(out)
    assert "4:00 pm–5:00 pm" in text["session-lab-lab-1"] and "CSC B-10" in text["session-lab-lab-1"]
    assert "3:30 pm–4:00 pm" in text["session-other-office-visit"] and "CSC 2-21" in text["session-other-office-visit"]
    feed = events(out)
    assert feed["session-lab-lab-1"].decoded("dtstart") == dt.datetime(2026, 1, 6, 16, 0, tzinfo=EDMONTON)
    assert str(feed["session-lab-lab-1"]["location"]) == "CSC B-10"
    assert feed["session-other-office-visit"].decoded("dtend") == dt.datetime(2026, 1, 6, 16, 0, tzinfo=EDMONTON)
    # Without its own, an attached row shares the date and time of the row before.
    assert feed["session-notebook-notebook"].decoded("dtstart") == dt.datetime(2026, 1, 6, 14, 0, tzinfo=EDMONTON)


# ---- 2. several meeting patterns, each dating its own sessions --------------------------------


def test_tracks_date_themselves_and_interleave_with_numbers_and_untitled_lectures(site) -> None:
    out = built(site, schedule="""\
sessions:
  - topic: Introduction
  - topic: Search
  - {kind: lecture}
  - topic: Games
  - {topic: Python review, meeting: Tutorial}
  - {topic: Search exercises, meeting: Tutorial}
""")
    soup = parse(out / "schedule.html")
    table = [(row["id"], row.select_one("td.date time")["datetime"], visible_text(row.select_one("th.topic")))
             for row in soup.select("table.schedule tbody tr")]
    assert table == [
        ("session-lecture-introduction", "2026-01-06", "Lecture 1 Introduction"),
        ("session-lecture-search", "2026-01-08", "Lecture 2 Search"),
        ("session-tutorial-python-review", "2026-01-09", "Python review CSC 3-33"),
        ("session-lecture", "2026-01-13", "Lecture 3"),
        ("session-lecture-games", "2026-01-15", "Lecture 4 Games"),
        ("session-tutorial-search-exercises", "2026-01-16", "Search exercises CSC 3-33"),
    ]
    assert str(events(out)["session-lecture"]["summary"]) == "Lecture 3"


# ---- 3. parallel sections of one meeting ------------------------------------------------------

SECTIONS = """\
code: CS 200
title: Timetables
term: {name: Winter 2026, start: 2026-01-05, end: 2026-01-30, timezone: America/Edmonton}
people: [{name: Ada Lovelace}]
meetings:
  - name: Lecture
    days: [Tue, Thu]
    sections:
      - {name: A1, start: "14:00", end: "15:15", location: PHO 206, instructor: Ada Lovelace, codes: ["40512"]}
      - {name: B1, start: "15:30", end: "16:45", location: CAS 211, days: [Mon, Wed]}
"""


def test_each_session_shows_each_sections_time_and_room_and_the_overview_lists_them(site) -> None:
    out = built(site, SECTIONS, "sessions:\n  - topic: Introduction\n  - topic: Search\n")
    row = parse(out / "schedule.html").select_one("#session-lecture-introduction")
    sections = [as_read(li) for li in row.select("ul.section-times li")]
    assert sections == ["A1 2:00 pm–3:15 pm, PHO 206", "B1 Mon Jan 5 3:30 pm–4:45 pm, CAS 211"]
    overview = parse(out / "index.html")
    listed = [as_read(li) for li in overview.select("dl.meetings li.section")]
    assert listed == ["A1: Tue, Thu, 2:00 pm–3:15 pm, PHO 206 with Ada Lovelace (40512)",
                      "B1: Mon, Wed, 3:30 pm–4:45 pm, CAS 211"]


def test_each_section_has_a_feed_with_the_shared_events_and_its_own_meetings(site) -> None:
    out = built(site, SECTIONS, """\
sessions:
  - topic: Introduction
  - {topic: Midterm, kind: exam, date: 2026-01-23, time: "18:00-20:00"}
assignments:
  - {id: hw1, title: Homework 1, due: "2026-01-20 23:59"}
""")
    everything = events(out)
    assert {"session-lecture-introduction-a1", "session-lecture-introduction-b1",
            "session-exam-midterm", "due-hw1-homework-1"} <= set(everything)
    b1 = everything["session-lecture-introduction-b1"]
    assert b1.decoded("dtstart") == dt.datetime(2026, 1, 5, 15, 30, tzinfo=EDMONTON)  # B1 meets Mon/Wed
    assert (str(b1["location"]), str(b1["summary"])) == ("CAS 211", "Introduction (B1)")
    a1 = events(out, "calendar-a1.ics")
    assert set(a1) == {"session-lecture-introduction-a1", "session-exam-midterm", "due-hw1-homework-1"}
    assert a1["session-lecture-introduction-a1"].decoded("dtstart") == dt.datetime(2026, 1, 6, 14, 0, tzinfo=EDMONTON)
    assert set(strict(out, "calendar-b1.ics")) == {"session-lecture-introduction-b1", "session-exam-midterm",
                                                    "due-hw1-homework-1"}


# ---- 4. holidays that cancel some meetings, and swap days -------------------------------------


def test_a_holiday_cancels_only_the_meetings_it_names(site) -> None:
    course = COURSE + "holidays:\n  - {date: 2026-01-12, end: 2026-01-16, label: Reading week, cancels: [Lecture]}\n"
    root = site({"courses/dl/course.yaml": course, "courses/dl/schedule.yaml": """\
sessions:
  - topic: Introduction
  - topic: Search
  - topic: Games
  - {topic: Python review, meeting: Tutorial}
  - {topic: Exercises, meeting: Tutorial}
  - {topic: Pinned exercises, meeting: Tutorial, date: 2026-01-23}
"""})
    assert build(root).code == 0
    result = run_cli("check", root, "--strict")
    assert result.code == 0, result.err  # a tutorial in a lectures-only holiday is no reason to warn
    dates = {key: e.decoded("dtstart").date() for key, e in events(root / "build/dl").items()
             if key.startswith("session-")}
    assert dates["session-lecture-games"] == dt.date(2026, 1, 20)  # the lectures skip the week
    assert dates["session-tutorial-exercises"] == dt.date(2026, 1, 16)  # the tutorial does not


def test_a_swap_day_runs_the_named_weekdays_meetings(site) -> None:
    course = COURSE + "swaps:\n  - {date: 2026-01-13, follows: Fri, label: Friday schedule}\n"
    out = built(site, course, """\
sessions:
  - topic: Introduction
  - topic: Search
  - topic: Games
  - {topic: Python review, meeting: Tutorial}
  - {topic: Exercises, meeting: Tutorial}
""")
    feed = events(out)
    assert feed["session-lecture-games"].decoded("dtstart").date() == dt.date(2026, 1, 15)  # not Tue Jan 13
    exercises = feed["session-tutorial-exercises"]
    assert exercises.decoded("dtstart") == dt.datetime(2026, 1, 13, 10, 0, tzinfo=EDMONTON)  # with its time
    assert str(exercises["location"]) == "CSC 3-33"


# ---- 5. weeks that read as dates --------------------------------------------------------------


def test_weeks_show_their_number_and_teaching_days_and_move_with_the_term(site) -> None:
    course = COURSE + "holidays:\n  - {date: 2026-01-19, end: 2026-01-23, label: Winter break}\n"
    schedule = "sessions:\n" + "".join(f"  - topic: Topic {i}\n" for i in range(1, 6))
    out = built(site, course, schedule)
    soup = parse(out / "schedule.html")
    weeks = [visible_text(td) for td in soup.select("table.schedule td.week")]
    assert weeks == ["1 · Jan 6–9", "1 · Jan 6–9", "2 · Jan 13–16", "2 · Jan 13–16", "3 · no classes",
                     "4 · Jan 27–30"]
    assert soup.select_one("#session-lecture-topic-1 td.date time")["datetime"] == "2026-01-06"
    moved = built(site, course.replace("start: 2026-01-05", "start: 2026-01-08"), schedule)
    weeks = [visible_text(td) for td in parse(moved / "schedule.html").select("table.schedule td.week")]
    assert weeks[0] == "1 · Jan 8–9"  # the first teaching day is the term's


# ---- 6. a feed from the meeting pattern alone -------------------------------------------------


def test_a_course_without_sessions_publishes_its_meetings(site) -> None:
    course = SECTIONS + """\
  - name: Tutorial
    days: [Fri]
    start: "10:00"
    end: "10:50"
holidays:
  - {date: 2026-01-13, label: Snow day}
  - {date: 2026-01-16, label: Lectures only, cancels: [Lecture]}
"""
    out = built(site, course)
    feed = events(out)
    tutorials = sorted(k for k in feed if k.startswith("tutorial-"))
    assert tutorials == ["tutorial-2026-01-09", "tutorial-2026-01-16", "tutorial-2026-01-23", "tutorial-2026-01-30"]
    a1 = sorted(k for k in feed if k.endswith("-a1"))
    assert "lecture-2026-01-13-a1" not in a1 and len(a1) == 7  # 8 Tue/Thu in the term, less the snow day
    assert feed["lecture-2026-01-06-a1"].decoded("dtstart") == dt.datetime(2026, 1, 6, 14, 0, tzinfo=EDMONTON)
    assert str(feed["lecture-2026-01-05-b1"]["location"]) == "CAS 211"
    assert len(strict(out)) == len(feed)
    assert set(events(out, "calendar-b1.ics")) == {k for k in feed if not k.endswith("-a1")}


# ---- 7. the overview says only what is there ---------------------------------------------------


def test_the_overview_leaves_out_what_the_course_did_not_say(site) -> None:
    out = built(site, "title: Selected Topics\nterm: {name: Fall 2023}\n")
    overview = parse(out / "index.html")
    assert overview.select_one("#logistics") is None
    text = visible_text(overview)
    assert "to be determined" not in text.lower() and "Nothing due" not in text
    out = built(site, "title: T\nterm: {name: Fall 2023}\nmeetings:\n  - {name: Lecture, days: [Mon]}\n",
                "sessions:\n  - {topic: Intro, date: 2023-10-09}\n")
    overview = parse(out / "index.html")
    assert [h3.get_text() for h3 in overview.select(".glance h3")] == ["This week and next"]
    assert "Nothing due" not in overview.get_text()  # a term without deadlines
    assert visible_text(overview.select_one("#logistics")) == "Meetings"
    assert visible_text(overview.select_one("dl.meetings dd")) == "Mon"


def test_office_hours_list_every_day_and_their_video_link(site) -> None:
    course = COURSE + """\
people:
  - name: Ada Lovelace
    office_hours:
      - {days: [Mon, Wed], start: "13:00", end: "14:00", location: CSC 313, url: "https://example.edu/zoom/ada"}
"""
    overview = parse(built(site, course) / "index.html")
    hours = overview.select_one("p.office-hours")
    assert as_read(hours) == "Office hours: Mon, Wed, 1:00 pm–2:00 pm, CSC 313, video call"
    assert hours.select_one("a")["href"] == "https://example.edu/zoom/ada"


def test_misspelt_timetable_names_are_errors(site, monkeypatch) -> None:
    course = SECTIONS.replace("instructor: Ada Lovelace", "instructor: Ada Lovelance") + """\
holidays:
  - {date: 2026-01-13, label: Snow day, cancels: [Lectures]}
"""
    root = site({"courses/dl/course.yaml": course,
                 "courses/dl/schedule.yaml": "sessions:\n  - {id: intro, topic: A}\n  - {id: intro, topic: B}\n"})
    monkeypatch.chdir(root)
    result = run_cli("check", root)
    assert result.code == 1
    errors = [line for line in result.lines if ": error: " in line]
    assert errors == [
        "courses/dl/course.yaml:9:81: error: instructor 'Ada Lovelance' of section A1 is not in the people of "
        "course.yaml",
        "courses/dl/course.yaml:12:51: error: holiday 'Snow day' cancels 'Lectures', which is not a meeting; "
        "did you mean 'Lecture'? the meetings are: Lecture",
        "courses/dl/schedule.yaml:3:10: error: session id 'intro' is used twice (first at line 2); each session "
        "needs its own id"]
