"""A course's stored output outlives the day it was built for, but only while it would be built the same.

The build cache keeps no day in its keys (stored_builds.py): an entry says for which days and
moments its output is right (day_bounds.py). Each test builds the example courses, and a course
whose few dates each matter on their own, with one cache on day after day (forward, back, far
ahead) and compares every tree with a build from scratch for the same day.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from conftest import REPO, tree
from coursesite.announcements import NewsItem
from coursesite.build import BuildOptions, build_site
from coursesite.day_bounds import Validity, course_validity
from coursesite.schedule import Row

# One date of each kind, none shared with another course's, so that each kind of edge is the
# only one at its day: a session entering "this week and next" on Monday 10-19 and leaving it
# on 10-30, a deadline passing on 10-21, an announcement new from 10-15 to 10-21 and on the
# overview until 10-24, another posted at 14:00 on 10-16 (shown from 10-17 on a --today build),
# slides released at 10:00 on 10-27 (releases.py; seen on --today builds from 10-28), and
# solutions released when a deadline of 10-26 passes at the course's due time, 17:00 (a moment
# written nowhere but found by the gate: releases.release_moments).
SPARSE = {
    "course.yaml": """\
code: ST 500
title: Sparse dates
term: {name: Fall 2026, start: 2026-09-08, end: 2026-12-18, timezone: America/New_York}
due_time: "17:00"
""",
    "schedule.yaml": """\
sessions:
  - topic: Guest lecture
    date: 2026-10-29
    materials: [{label: Slides, url: "https://example.org/slides.pdf", release: "2026-10-27 10:00"}]
assignments:
  - {id: hw, title: Homework, due: 2026-10-20}
  - {id: hw2, title: Second homework, due: 2026-10-26, solutions: {file: hw2-solutions.txt, release: after-due}}
""",
    "hw2-solutions.txt": "The answers.\n",
    "announcements.yaml": """\
- {date: 2026-10-15, title: Welcome, expires: 2026-10-24}
- {date: "2026-10-16 14:00", title: Room change}
""",
}

DAYS = [dt.date(2026, 10, d) for d in range(13, 32)] + [
    dt.date(2026, 10, 20), dt.date(2026, 10, 12),  # back again
    *(dt.date(2026, 9, d) for d in (1, 2, 3, 7, 8)),  # an offering starts, a term starts
    *(dt.date(2024, 10, d) for d in (9, 10, 11, 14, 15, 16, 17)),  # announcements, a swap day, a midterm
    dt.date(2030, 1, 1), dt.date(2030, 6, 1),  # long after every date
]
# Announcements and sections, deliverables, two offerings of one course, and the sparse course.
COURSES = ["bu-cs111-sections", "columbia-deep-learning", "princeton-dl-theory", "princeton-dl-theory-2026"]


@pytest.fixture
def examples(tmp_path: Path) -> Path:
    """The example site without git (the change log has its own test), with the sparse course."""
    root = tmp_path / "site"
    for name in COURSES:
        shutil.copytree(REPO / "courses" / name, root / "courses" / name)
    shutil.copy(REPO / "site.yaml", root / "site.yaml")
    for name, text in SPARSE.items():
        (root / "courses/sparse" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "courses/sparse" / name).write_text(text, encoding="utf-8")
    return root


def differences(one: Path, other: Path) -> list[str]:
    first, second = tree(one), tree(other)
    return sorted(path for path in first.keys() | second.keys() if first.get(path) != second.get(path))


def test_every_day_the_cached_build_is_the_build_from_scratch(examples: Path, tmp_path: Path) -> None:
    rebuilt, patched = [], []
    for day in DAYS:
        cached = build_site(BuildOptions(examples, tmp_path / "cached", today=day, cache_dir=tmp_path / "cache"))
        fresh = build_site(BuildOptions(examples, tmp_path / "fresh", today=day))
        assert differences(cached.out, fresh.out) == [], day
        assert cached.report.sorted() == fresh.report.sorted()
        rebuilt.append(cached.rendered)
        patched.append(cached.patched)
    print(rebuilt, patched)
    # The comparison means something only if the cache was used, and left on some days.
    assert rebuilt[0] == 5
    assert 0 in rebuilt[1:]
    assert any(0 < count < 5 for count in rebuilt[1:])
    assert sum(rebuilt) < 5 * len(DAYS) / 2
    assert sum(patched) >= len(DAYS) / 2  # the day marks of stored pages were set again (day_marks.py)


# The timed announcement is due at 18:00 UTC on 10-16 (14:00 in New York), the slides at 14:00
# UTC on 10-27, the solutions at 21:00 UTC on 10-26.
MOMENTS = ["2026-10-16T17:59:59", "2026-10-16T18:00:00", "2026-10-16T18:00:01", "2026-10-17T03:00:00",
           "2026-10-16T12:00:00", "2026-10-22T12:00:00", "2026-10-22T04:30:00",
           "2026-10-27T13:00:00", "2026-10-27T14:30:00", "2026-10-26T20:00:00", "2026-10-26T21:30:00"]


def test_at_every_moment_the_cached_build_is_the_build_from_scratch(examples: Path, tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    rebuilt = []
    for moment in MOMENTS:
        stamp = dt.datetime.fromisoformat(moment).replace(tzinfo=dt.UTC).timestamp()
        monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(stamp)))  # a build at a moment, not a --today one
        cached = build_site(BuildOptions(examples, tmp_path / "cached", cache_dir=tmp_path / "cache"))
        fresh = build_site(BuildOptions(examples, tmp_path / "fresh"))
        assert differences(cached.out, fresh.out) == [], moment
        rebuilt.append(cached.rendered)
    assert rebuilt[1] >= 1  # the announcement appeared
    assert 0 in rebuilt


def test_at_every_now_the_cached_build_is_the_build_from_scratch(examples: Path, tmp_path: Path) -> None:
    """`--now` is a wall-clock time read in each course's zone: the release's edges are too."""
    rebuilt = []
    for moment in ["2026-10-26 16:00", "2026-10-26 17:30", "2026-10-27 09:00", "2026-10-27 10:30"]:
        now = dt.datetime.fromisoformat(moment)
        cached = build_site(BuildOptions(examples, tmp_path / "cached", now=now, cache_dir=tmp_path / "cache"))
        fresh = build_site(BuildOptions(examples, tmp_path / "fresh", now=now))
        assert differences(cached.out, fresh.out) == [], moment
        rebuilt.append(cached.rendered)
    slides = "sparse/schedule.html"
    assert "slides.pdf" in (tmp_path / "fresh" / slides).read_text() and rebuilt[3] >= 1
    assert "hw2-solutions.txt" in tree(tmp_path / "fresh")["sparse/assignments.html"].decode() and rebuilt[1] >= 1


def test_an_interval_reaches_from_the_last_edge_to_the_next() -> None:
    news = [NewsItem(dt.datetime(2026, 10, 15, tzinfo=dt.UTC), False, "Welcome", None, "k", "announcement")]
    rows = [Row(0, None, None, dt.date(2026, 10, 29), None, None, None)]
    edges = course_validity(dt.date(2026, 10, 20), None, "UTC", model=[news], rows=rows, news=news)
    # From the Monday a week before 10-29's week to the day 10-15's item is no longer new.
    assert edges == Validity(dt.date(2026, 10, 19), dt.date(2026, 10, 22))
    assert course_validity(dt.date(2026, 10, 20), None, "UTC", model=[news, dt.date(2026, 10, 20)], rows=rows,
                           news=news) == Validity(dt.date(2026, 10, 20), dt.date(2026, 10, 21))
    timed = course_validity(dt.date(2026, 10, 16), dt.datetime(2026, 10, 16, 12, tzinfo=dt.UTC), "America/New_York",
                            model=[dt.datetime(2026, 10, 16, 14)])
    assert timed.first_day == dt.date(2026, 10, 16) and timed.end_day == dt.date(2026, 10, 17)
    assert timed.end_moment == dt.datetime(2026, 10, 16, 18, tzinfo=dt.UTC).timestamp()
    assert Validity.from_json(timed.to_json()) == timed


@pytest.mark.parametrize("stored", [None, [], ["2026-10-01", None, None], ["x", None, None, None],
                                    [1, None, None, None], [None, None, "1", None], [None, None, True, None]])
def test_a_damaged_interval_is_refused(stored: object) -> None:
    with pytest.raises((ValueError, TypeError)):
        Validity.from_json(stored)


def test_feeds_do_not_change_from_day_to_day(examples: Path, tmp_path: Path) -> None:
    """A calendar client or feed reader sees a change only when something changed."""
    one = build_site(BuildOptions(examples, tmp_path / "one", today=dt.date(2026, 10, 17))).out
    other = build_site(BuildOptions(examples, tmp_path / "other", today=dt.date(2026, 11, 25))).out
    feeds = [path for path in tree(one) if path.endswith((".ics", ".xml"))]
    assert len(feeds) >= 2 * len(COURSES)
    # Except the sparse course's: its slides and solutions were released in between, a real change.
    steady = [path for path in feeds if not path.startswith("sparse/")]
    assert [path for path in steady if path not in differences(one, other)] == steady
    assert b"Slides:" not in tree(one)["sparse/calendar.ics"]
    assert b"Slides:" in tree(other)["sparse/calendar.ics"]


def test_on_a_new_weekday_only_the_day_marks_are_set_again(tmp_path: Path) -> None:
    """Generated courses have a session or a deadline on most weekdays: their stored pages are
    taken with their at-a-glance lists, past deliverables and "new" marks set for the new day."""
    from test_benchmarks import generate_courses

    generate_courses.generate_site(tmp_path / "site", 3, seed=11)
    cache = tmp_path / "cache"
    first = build_site(BuildOptions(tmp_path / "site", tmp_path / "first", today=dt.date(2026, 10, 14), cache_dir=cache))
    assert (first.rendered, first.patched) == (3, 0)
    for day in (15, 16, 19, 20):  # Thursday, Friday, Monday, Tuesday
        cached = build_site(BuildOptions(tmp_path / "site", tmp_path / "cached", today=dt.date(2026, 10, day),
                                         cache_dir=cache))
        fresh = build_site(BuildOptions(tmp_path / "site", tmp_path / "fresh", today=dt.date(2026, 10, day)))
        assert differences(cached.out, fresh.out) == [], day
        assert (cached.rendered, cached.patched) == (0, 3), day
        assert differences(first.out, fresh.out), "nothing changed from day to day"


def test_on_a_new_day_a_page_whose_day_marks_stay_the_same_is_linked_not_written(tmp_path: Path) -> None:
    """A new file costs the file system far more than a link (an inode; on a busy ext4 without a
    journal, a search past every inode freed in the last minute): a stored page brought to the new
    day whose marks come out the same is linked from the cache as the pages without marks."""
    import json

    from test_benchmarks import generate_courses

    generate_courses.generate_site(tmp_path / "site", 6, seed=11)
    cache = tmp_path / "cache"
    build_site(BuildOptions(tmp_path / "site", tmp_path / "first", today=dt.date(2026, 10, 14), cache_dir=cache))
    cached = build_site(BuildOptions(tmp_path / "site", tmp_path / "cached", today=dt.date(2026, 10, 15),
                                     cache_dir=cache))
    fresh = build_site(BuildOptions(tmp_path / "site", tmp_path / "fresh", today=dt.date(2026, 10, 15)))
    assert differences(cached.out, fresh.out) == []
    assert (cached.rendered, cached.patched) == (0, 6)
    same, other = [], []
    for entry in (cache / "courses").iterdir():
        for path in json.loads((entry / "entry.json").read_text())["marked"]:
            stored, built = entry / "files" / path, cached.out / path
            if stored.read_bytes() == built.read_bytes():
                same.append(path)
                assert built.samefile(stored), path
            else:
                other.append(path)
                assert not built.samefile(stored), path
    assert same and other  # both kinds of marked page were met
