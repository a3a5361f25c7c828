"""The calendar feed assembled from kept event bytes is exactly icalendar's own serialization."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import REPO
from coursesite import ical
from coursesite.errors import Report
from coursesite.scaffold import new_course
from coursesite.schedule import DatedSchedule, assign_dates
from coursesite.site import Course, load_course

STAMP = dt.datetime(2026, 10, 14, tzinfo=dt.UTC)


def plain_calendar(course: Course, page_url: str | None) -> bytes:
    """The feed as one icalendar object serializes it, with no kept bytes."""
    dated = assign_dates(course.info, course.schedule)
    info = course.info
    calendar = icalendar.Calendar()
    for key, value in [("prodid", ical.PRODUCT_ID), ("version", "2.0"), ("calscale", "GREGORIAN"),
                       ("method", "PUBLISH"),
                       ("x-wr-calname", f"{info.code + ' ' if info.code else ''}{info.title} ({info.term.name})"),
                       ("x-wr-timezone", info.term.timezone)]:
        calendar.add(key, value)
    planned = ical.planned_events(course, dated, STAMP, page_url)
    for event in planned:
        calendar.add_component(event.build())
    if planned:
        calendar.add_missing_timezones(first_date=min(p.first for p in planned) - dt.timedelta(days=366),
                                       last_date=max(p.last for p in planned) + dt.timedelta(days=366))
    return bytes(calendar.to_ical())


def kept_calendar(course: Course, dated: DatedSchedule, page_url: str | None) -> bytes:
    return ical.calendar_bytes(course, ical.calendar_entries(course, dated, STAMP, page_url))


def _courses(tmp: Path) -> list[Path]:
    new_course(tmp, "new", None, dt.date(2026, 8, 20))
    return sorted((REPO / "courses").iterdir()) + [tmp / "courses/new"]


@pytest.mark.parametrize("page_url", [None, "https://example.org/dl/schedule.html"])
def test_kept_event_bytes_give_icalendars_own_serialization(tmp_path: Path, page_url: str | None) -> None:
    for folder in _courses(tmp_path):
        course = load_course(folder, Report())
        assert course is not None
        dated = assign_dates(course.info, course.schedule)
        first = kept_calendar(course, dated, page_url)
        again = kept_calendar(course, dated, page_url)  # from kept bytes
        assert first == again == plain_calendar(course, page_url), folder.name


@settings(max_examples=2000, deadline=None)
@given(text=st.text(alphabet=st.sampled_from("abcXYZ09 :;,=\\^\"é中😀"), max_size=400) | st.text(max_size=200))
@example(text="x" * 53 + "\\n" + "y" * 200)
@example(text="X" * 66)
@example(text="X" * 67)
@example(text="é" * 40 + "😀" * 30)
def test_folding_is_icalendars_folding(text: str) -> None:
    event = icalendar.Event()
    event.add("summary", text)
    assert ical.event_bytes(event) == event.to_ical()
