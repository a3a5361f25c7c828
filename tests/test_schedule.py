"""Self-dating schedules: patterns, pins, holidays, ranges, attached rows, weeks, deadlines."""

from __future__ import annotations

import datetime as dt
from typing import Any

from coursesite.model import CourseInfo, Moment, ScheduleFile
from coursesite.schedule import assign_dates

D = dt.date


def course(**overrides: Any) -> CourseInfo:
    data: dict[str, Any] = {
        "title": "Deep Learning",
        "term": {"name": "Fall 2026", "start": "2026-09-08", "end": "2026-12-18"},
        "meetings": [{"name": "Lecture", "days": ["Tue", "Thu"], "start": "10:00", "end": "11:15",
                      "location": "Room 101"}],
    }
    data.update(overrides)
    return CourseInfo.model_validate(data)


def sessions(*items: dict[str, Any] | str, **extra: Any) -> ScheduleFile:
    rows = [{"topic": item} if isinstance(item, str) else item for item in items]
    return ScheduleFile.model_validate({"sessions": rows, **extra})


def dates(info: CourseInfo, schedule: ScheduleFile) -> list[tuple[str, D | None]]:
    return [(row.topic, row.date) for row in assign_dates(info, schedule).rows]


def test_undated_sessions_take_the_meeting_days_in_turn() -> None:
    assert dates(course(), sessions("A", "B", "C", "D")) == [
        ("A", D(2026, 9, 8)), ("B", D(2026, 9, 10)), ("C", D(2026, 9, 15)), ("D", D(2026, 9, 17))]


def test_changing_the_term_start_moves_the_whole_schedule() -> None:
    schedule = sessions(*[f"S{i}" for i in range(1, 29)])
    fall = assign_dates(course(), schedule)
    later = assign_dates(course(term={"name": "Fall 2026", "start": "2026-09-15"}), schedule)
    assert [r.date for r in later.rows] == [r.date + dt.timedelta(days=7) for r in fall.rows if r.date]
    assert (fall.rows[-1].date, later.rows[-1].date) == (D(2026, 12, 10), D(2026, 12, 17))
    assert [r.week for r in later.rows] == [r.week for r in fall.rows]


def test_first_session_waits_for_the_first_meeting_day() -> None:
    info = course(term={"name": "Fall 2026", "start": "2026-09-09"})  # a Wednesday
    assert dates(info, sessions("A")) == [("A", D(2026, 9, 10))]


def test_holidays_are_skipped_and_shown_as_rows() -> None:
    info = course(holidays=[{"date": "2026-09-10", "label": "Labor break"},
                            {"date": "2026-09-15", "end": "2026-09-17", "label": "Reading week"}])
    rows = assign_dates(info, sessions("A", "B", "C")).rows
    assert [(r.topic, r.date, r.kind) for r in rows] == [
        ("A", D(2026, 9, 8), "lecture"),
        ("Labor break", D(2026, 9, 10), "holiday"),
        ("Reading week", D(2026, 9, 15), "holiday"),
        ("B", D(2026, 9, 22), "lecture"),
        ("C", D(2026, 9, 24), "lecture")]
    assert rows[2].end == D(2026, 9, 17)


def test_a_pinned_date_moves_the_sessions_after_it() -> None:
    schedule = sessions("A", {"topic": "Guest", "date": "2026-10-01"}, "B", "C")
    assert dates(course(), schedule) == [
        ("A", D(2026, 9, 8)), ("Guest", D(2026, 10, 1)), ("B", D(2026, 10, 6)), ("C", D(2026, 10, 8))]


def test_attached_rows_share_the_session_before_them() -> None:
    schedule = sessions("A", {"topic": "Notebook 1", "kind": "notebook", "attach": True}, "B")
    rows = assign_dates(course(), schedule).rows
    assert [(r.topic, r.date, r.attached) for r in rows] == [
        ("A", D(2026, 9, 8), False), ("Notebook 1", D(2026, 9, 8), True), ("B", D(2026, 9, 10), False)]
    assert rows[1].start_time == rows[0].start_time == dt.time(10, 0)  # shares its time, too


def test_date_ranges_are_kept_whole() -> None:
    schedule = sessions("A", {"topic": "Final exam", "kind": "exam", "date": "2026-12-17", "end": "2026-12-23"})
    row = assign_dates(course(), schedule).rows[-1]
    assert (row.date, row.end, row.kind) == (D(2026, 12, 17), D(2026, 12, 23), "exam")


def test_several_meeting_patterns_date_independently_and_show_in_date_order() -> None:
    info = course(meetings=[
        {"name": "Lecture", "days": ["Mon", "Wed"], "start": "09:00", "end": "10:15", "location": "Hall A"},
        {"name": "Section", "days": ["Fri"], "start": "14:00", "end": "15:00", "location": "Room 3"}])
    schedule = sessions("L1", {"topic": "S1", "meeting": "Section"}, "L2",
                        {"topic": "S2", "meeting": "section"}, "L3")
    rows = assign_dates(info, schedule).rows
    assert [(r.topic, r.date, r.location) for r in rows] == [
        ("L1", D(2026, 9, 9), "Hall A"), ("S1", D(2026, 9, 11), "Room 3"), ("L2", D(2026, 9, 14), "Hall A"),
        ("L3", D(2026, 9, 16), "Hall A"), ("S2", D(2026, 9, 18), "Room 3")]


def test_weeks_count_from_the_term_start_and_can_be_overridden() -> None:
    schedule = sessions("A", "B", "C", {"topic": "Final", "date": "2026-12-17", "week": "??"})
    assert [r.week for r in assign_dates(course(), schedule).rows] == ["1", "1", "2", "??"]


def test_sessions_without_a_pattern_or_start_stay_undated() -> None:
    info = course(meetings=[], term={"name": "Fall 2023"})
    rows = assign_dates(info, sessions({"topic": "Intro", "label": "Lecture 1"}, "ML overview")).rows
    assert [(r.topic, r.date, r.week) for r in rows] == [("Intro", None, None), ("ML overview", None, None)]


def test_deadlines_from_sessions_and_assignments_soonest_first() -> None:
    schedule = sessions(
        "A", {"topic": "B", "due": [{"title": "Homework 1", "points": 15}]},
        assignments=[{"id": "proj", "title": "Project", "due": "2026-09-09 17:00", "points": 30},
                     {"id": "prop", "title": "Proposal", "due_text": "1st of Azar, 1402"}])
    deadlines = assign_dates(course(), schedule).deadlines
    assert [(d.title, d.due, d.points, d.due_text) for d in deadlines] == [
        ("Project", Moment(D(2026, 9, 9), dt.time(17, 0)), 30, None),
        ("Homework 1", Moment(D(2026, 9, 10)), 15, None),  # the session's day: no time was stated
        ("Proposal", None, None, "1st of Azar, 1402")]


def test_a_due_item_linked_to_an_assignment_takes_its_due_time() -> None:
    schedule = sessions({"topic": "A", "due": [{"title": "HW 1", "assignment": "hw1"}]},
                        assignments=[{"id": "hw1", "title": "Homework 1", "due": "2026-09-08 23:59",
                                      "released": "2026-09-01", "points": 10}])
    (deadline,) = assign_dates(course(), schedule).deadlines
    assert (deadline.title, deadline.due, deadline.points, deadline.assignment_id) == (
        "HW 1", Moment(D(2026, 9, 8), dt.time(23, 59)), 10, "hw1")
