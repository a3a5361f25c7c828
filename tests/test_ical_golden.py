"""The calendar feeds, now written directly, are byte for byte what the icalendar library wrote.

golden_feeds.json holds the digests of every feed of the example courses and of 20 generated
courses, as icalendar wrote them (main at c49361e, built for 2026-10-14). DTSTAMP, which was then
the build day, is put back to that day before comparing: it is the one line meant to change
(test_determinism.py). Regenerate the digests only when a course's input changes on purpose.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo, available_timezones

import icalendar
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import MINIMAL_COURSE, REPO, build
from coursesite.ical_text import fold_line
from coursesite.ical_values import vtimezone

GOLDEN = json.loads((Path(__file__).parent / "golden_feeds.json").read_text())
_STAMP = re.compile(rb"\r\nDTSTAMP:\d{8}T\d{6}Z\r\n")


def digests(out: Path) -> dict[str, str]:
    """Each feed's sha256, with DTSTAMP as it was written for the golden build's day."""
    return {path.relative_to(out).as_posix():
            hashlib.sha256(_STAMP.sub(b"\r\nDTSTAMP:20261014T000000Z\r\n", path.read_bytes())).hexdigest()
            for path in sorted(out.rglob("*.ics"))}


@pytest.fixture(scope="module")
def generated_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """benchmarks/generate_courses.py's 20 courses, built with a base URL (so events have URLs)."""
    folder = tmp_path_factory.mktemp("generated")
    subprocess.run([sys.executable, str(REPO / "benchmarks" / "generate_courses.py"), str(folder / "site"),
                    "--courses", "20"], check=True, capture_output=True)
    result = build(folder / "site", folder / "build", "--no-cache", "--base-url", "https://example.org/site/")
    assert result.code == 0, result.err
    return folder / "build"


def test_the_example_courses_feeds_are_the_bytes_icalendar_wrote(reference_build: Path) -> None:
    assert digests(reference_build) == GOLDEN["courses"]


def test_generated_courses_feeds_are_the_bytes_icalendar_wrote(generated_build: Path) -> None:
    found = digests(generated_build)
    assert len(found) == 60  # calendars, deadlines and office hours
    assert found == GOLDEN["generated-20"]


# Control characters, escapes and a line separator in names and rooms; a room that is nothing
# once its control character is dropped is still written (empty), as icalendar wrote it.
HOSTILE_COURSE = r"""
code: "DL\u2028101"
title: "Deep, Learning; \\N \u0001"
term:
  name: Fall 2026
  start: 2026-09-08
  end: 2026-12-18
  timezone: Europe/London
people:
  - name: "Ada \u0085 Lovelace"
    role: Instructor
    office_hours:
      - day: Mon
        start: "10:00"
        end: "11:00"
        location: "\u0001"
        note: "a\rb"
meetings:
  - name: Lecture
    days: [Tue, Thu]
    start: "10:00"
    end: "11:15"
    location: "\u0002"
holidays:
  - date: 2026-10-12
    end: 2026-10-13
    label: "Break"
"""


def test_a_course_of_awkward_texts_gives_the_bytes_icalendar_wrote(site) -> None:
    root = site({"courses/dl/course.yaml": HOSTILE_COURSE}, minimal=False)
    assert build(root, None, "--no-cache").code == 0
    assert digests(root / "build") == GOLDEN["hostile"]


def test_icalendar_reads_every_feed_and_writes_it_back_byte_for_byte(reference_build: Path,
                                                                      generated_build: Path) -> None:
    """Any course, not only those with digests: the order of lines, their values, the folding
    and each VTIMEZONE are what icalendar itself writes for what it read."""
    feeds = sorted(reference_build.rglob("*.ics")) + sorted(generated_build.rglob("*.ics"))
    assert len(feeds) == 77
    for path in feeds:
        data = path.read_bytes()
        assert bytes(icalendar.Calendar.from_ical(data).to_ical()) == data, path


@settings(max_examples=2000, deadline=None)
@given(text=st.text(alphabet=st.sampled_from("abcXYZ09 :;,=\\^\"é中😀"), max_size=400) | st.text(max_size=200))
@example(text="x" * 53 + "\\n" + "y" * 200)
@example(text="X" * 66)
@example(text="X" * 67)
@example(text="é" * 40 + "😀" * 30)
def test_folding_is_icalendars_folding(text: str) -> None:
    event = icalendar.Event()
    event.add("summary", text)
    ours = b"".join(fold_line(line).encode() + b"\r\n" for line in event.content_lines() if line)
    assert ours == event.to_ical()


@settings(max_examples=400, deadline=None)
@given(tzid=st.sampled_from(sorted(available_timezones())), first=st.dates(dt.date(1900, 1, 1), dt.date(2190, 1, 1)),
       days=st.integers(0, 1500))
@example(tzid="America/New_York", first=dt.date(2023, 9, 3), days=836)
@example(tzid="Asia/Tehran", first=dt.date(2021, 9, 1), days=900)  # DST until 2022, none since
@example(tzid="Europe/Dublin", first=dt.date(2025, 1, 1), days=730)  # its winter time is the "DST"
@example(tzid="Africa/Casablanca", first=dt.date(2024, 1, 1), days=730)  # a month without DST each year
@example(tzid="Australia/Lord_Howe", first=dt.date(2025, 1, 1), days=730)  # a half-hour change
def test_each_time_zone_is_written_as_icalendar_writes_it(tzid: str, first: dt.date, days: int) -> None:
    last = first + dt.timedelta(days=days)
    expected = icalendar.Timezone.from_tzid(tzid, first_date=first, last_date=last).to_ical().decode()
    assert vtimezone(tzid, first, last) == expected


@pytest.mark.parametrize(("zone", "start"), [
    ("UTC", "DTSTART:20260908T100000Z"),
    ("Etc/UTC", "DTSTART:20260908T100000Z"),  # UTC under another name: no VTIMEZONE
    # icalendar wrote the zones that have kept UTC's offset for a century as UTC; the zone the
    # author wrote says the same times, and stays right for dates before (Iceland had summer time).
    ("Africa/Abidjan", "DTSTART;TZID=Africa/Abidjan:20260908T100000"),
    ("Asia/Kolkata", "DTSTART;TZID=Asia/Kolkata:20260908T100000"),
])
def test_times_are_in_the_terms_zone_and_utc_needs_no_vtimezone(site, zone: str, start: str) -> None:
    root = site({"courses/dl/course.yaml": MINIMAL_COURSE.replace("America/New_York", zone)})
    assert build(root).code == 0
    data = (root / "build" / "dl" / "calendar.ics").read_bytes()
    assert start in data.decode().split("\r\n")
    assert (b"BEGIN:VTIMEZONE" in data) == (not start.endswith("Z"))
    first = next(iter(icalendar.Calendar.from_ical(data).walk("VEVENT")))
    assert first.decoded("dtstart").utcoffset() == dt.datetime(2026, 9, 8, tzinfo=ZoneInfo(zone)).utcoffset()
