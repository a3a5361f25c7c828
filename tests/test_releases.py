"""Release dates (issue 14, part 2): material kept out of the whole output until its moment, read
in the course's time zone; the same site built before and after a release, trees compared."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import parse, run_cli, tree, visible_text

COURSE = """\
title: Releases
term: {name: Fall 2026, start: 2026-09-07, end: 2026-12-11, timezone: America/New_York}
meetings:
  - {name: Lecture, days: [Tue, Thu], start: "14:00", end: "15:15"}
"""
SCHEDULE = """\
sessions:
  - topic: Gates
    materials:
      - {label: Slides, file: slides/gates.pdf}
      - {label: Quiz key, file: slides/quiz-key.pdf, release: "2026-10-01 09:00"}
assignments:
  - id: hw1
    title: Homework 1
    due: 2026-09-24 17:00
    file: hw/hw1.pdf
    solutions: {file: hw/hw1-solutions.pdf, release: after-due}
  - id: hw2
    title: Homework 2
    release: 2026-10-01
    due: 2026-10-08
    file: hw/hw2.pdf
"""
HIDDEN_PAGE = "---\ntitle: Project\nrelease: 2026-10-01 09:00\n---\nBuild a compiler.\n"
FILES = {"courses/dl/course.yaml": COURSE, "courses/dl/schedule.yaml": SCHEDULE,
         "courses/dl/slides/gates.pdf": b"%PDF-1.4 gates", "courses/dl/slides/quiz-key.pdf": b"%PDF-1.4 key",
         "courses/dl/hw/hw1.pdf": b"%PDF-1.4 hw1", "courses/dl/hw/hw1-solutions.pdf": b"%PDF-1.4 sol",
         "courses/dl/hw/hw2.pdf": b"%PDF-1.4 hw2", "courses/dl/pages/project.md": HIDDEN_PAGE}


def build_at(root: Path, out: Path, now: str, *extra: str) -> dict[str, bytes]:
    result = run_cli("build", root, "--out", out, "--now", now, "--no-cache", *extra)
    assert result.code == 0, result.err
    return {path: data for path, data in tree(out).items() if not path.startswith(("dl/pagefind/", "pagefind/"))}


@pytest.fixture
def root(site) -> Path:  # type: ignore[no-untyped-def]
    return site(FILES)  # type: ignore[no-any-return]


def mentions(files: dict[str, bytes], word: bytes) -> list[str]:
    return sorted(path for path, data in files.items() if word in data)


def test_before_its_moment_an_item_is_nowhere_in_the_output(root: Path, tmp_path: Path) -> None:
    before = build_at(root, tmp_path / "before", "2026-10-01 08:59")
    after = build_at(root, tmp_path / "after", "2026-10-01 09:00")
    assert "dl/files/slides/quiz-key.pdf" not in before and "dl/files/slides/quiz-key.pdf" in after
    assert mentions(before, b"quiz-key") == []
    assert mentions(after, b"quiz-key") == ["dl/schedule.html", "dl/schedule.json"]
    assert "dl/project.html" not in before and "dl/project.html" in after
    assert mentions(before, b"compiler") == [] and "dl/project.html" in mentions(after, b"compiler")
    # Homework 2 (released at the day's start) is out by then, with its file.
    assert "dl/files/hw/hw2.pdf" in before
    # The trees differ by the released file and page (which the course's navigation now lists).
    assert set(after) - set(before) == {"dl/files/slides/quiz-key.pdf", "dl/project.html"}
    assert set(before) <= set(after) and before["index.html"] == after["index.html"]


def test_the_page_says_when_in_its_place(root: Path, tmp_path: Path) -> None:
    build_at(root, tmp_path / "out", "2026-09-30 12:00")
    schedule = visible_text(parse(tmp_path / "out" / "dl" / "schedule.html"))
    assert "Quiz key available Thu Oct 1, 9:00 am" in schedule
    assert not parse(tmp_path / "out" / "dl" / "schedule.html").select("a[href*='quiz-key']")
    overview = visible_text(parse(tmp_path / "out" / "dl" / "index.html"))
    assert "Project available Thu Oct 1, 9:00 am" in overview
    assignments = visible_text(parse(tmp_path / "out" / "dl" / "assignments.html"))
    assert "Homework 2 available Thu Oct 1" in assignments
    nav = [a.get_text() for a in parse(tmp_path / "out" / "dl" / "index.html").select(".course-nav a")]
    assert "Project" not in nav


def test_an_unreleased_assignment_has_no_deadline_in_the_feeds(root: Path, tmp_path: Path) -> None:
    before = build_at(root, tmp_path / "before", "2026-09-30 23:59")
    after = build_at(root, tmp_path / "after", "2026-10-01 00:00")
    # Its title stays on the pages, marked "available Thu Oct 1"; no deadline, file or feed item.
    assert [path for path in mentions(before, b"Homework 2") if not path.endswith(".html")] == []
    assert mentions(before, b"hw2.pdf") == [] and mentions(before, b"Oct 8") == []
    assert "dl/calendar.ics" in mentions(after, b"Homework 2")
    assert "dl/files/hw/hw2.pdf" not in before and "dl/files/hw/hw2.pdf" in after


def test_solutions_come_when_the_deadline_has_passed(root: Path, tmp_path: Path) -> None:
    before = build_at(root, tmp_path / "before", "2026-09-24 16:59")
    after = build_at(root, tmp_path / "after", "2026-09-24 17:00")
    assert "dl/files/hw/hw1-solutions.pdf" not in before and mentions(before, b"hw1-solutions") == []
    assert "dl/files/hw/hw1-solutions.pdf" in after
    page = parse(tmp_path / "after" / "dl" / "assignments.html")
    assert page.select_one("a[href='files/hw/hw1-solutions.pdf']").get_text() == "Solutions"
    assert "Solutions available after the deadline" in visible_text(parse(tmp_path / "before" / "dl" / "assignments.html"))


def test_now_is_read_in_the_course_time_zone(root: Path, tmp_path: Path) -> None:
    """09:00 in New York: a build for 09:00 is read as New York's 09:00, whatever the machine's zone."""
    files = build_at(root, tmp_path / "out", "2026-10-01 09:00")
    assert "dl/files/slides/quiz-key.pdf" in files


def test_a_new_hour_that_releases_something_rebuilds_the_course_from_the_cache(root: Path, tmp_path: Path) -> None:
    cache, out = tmp_path / "cache", tmp_path / "out"
    # An earlier moment of the same day after a later one: the stored course shows too much then.
    for now, present in (("2026-10-01 08:00", False), ("2026-10-01 08:30", False),
                         ("2026-10-01 09:00", True), ("2026-10-01 09:30", True), ("2026-10-01 08:45", False)):
        result = run_cli("build", root, "--out", out, "--now", now, "--cache-dir", cache)
        assert result.code == 0, result.err
        assert (out / "dl" / "files" / "slides" / "quiz-key.pdf").exists() is present, now


@pytest.mark.parametrize("bad", ["2026-10-01", "2026-10-01 25:00", "tomorrow"])
def test_a_bad_now_is_a_usage_error(root: Path, bad: str) -> None:
    result = run_cli("build", root, "--now", bad)
    assert result.code == 2 and "--now" in result.err


def test_today_and_now_together_are_a_usage_error(root: Path) -> None:
    result = run_cli("build", root, "--today", "2026-10-01", "--now", "2026-10-01 09:00")
    assert result.code == 2


def test_check_lists_the_upcoming_releases_and_the_next(root: Path) -> None:
    result = run_cli("check", root, "--now", "2026-09-20 12:00")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert "Upcoming releases: 4" in lines
    assert lines[-1].startswith("Next release: dl: solutions Homework 1, Thu Sep 24, 5:00 pm (EDT)")
    assert "Upcoming" not in result.err and "0 warnings" in result.out  # information, not a warning


ANNOUNCEMENTS = """\
- date: 2026-09-20 10:00
  title: Keys and projects
  body: >-
    The [quiz key](slides/quiz-key.pdf), the [solutions](hw/hw1-solutions.pdf),
    [Homework 2](hw/hw2.pdf) and the [project](pages/project.md) come later.
"""


def feed_links(path: Path) -> list[str]:
    """Every link of every entry of an Atom feed, as feedparser (an independent reader) reads it."""
    import feedparser

    feed = feedparser.parse(path.read_bytes())
    assert not feed.bozo, feed.bozo_exception
    found = []
    for entry in feed.entries:
        found += [link.href for link in entry.links]
        found += re.findall(r'href="([^"]+)"', " ".join(content.value for content in entry.get("content", [])))
    return found


@pytest.mark.parametrize("feed", ["dl/feed.xml", "feed.xml"])
def test_no_feed_entry_links_material_before_its_release(site, tmp_path: Path, feed: str) -> None:  # type: ignore[no-untyped-def]
    root = site({**FILES, "courses/dl/announcements.yaml": ANNOUNCEMENTS})
    before = build_at(root, tmp_path / "before", "2026-09-21 12:00", "--base-url", "https://example.org/")
    after = build_at(root, tmp_path / "after", "2026-10-01 09:00", "--base-url", "https://example.org/")
    early = " ".join(feed_links(tmp_path / "before" / feed))
    for gated in ("quiz-key", "hw1-solutions", "hw2.pdf", "project.html", "project.md"):
        assert gated not in early, gated
        assert mentions(before, gated.encode()) == [], gated  # nor any page, nor a copied file
    late = " ".join(feed_links(tmp_path / "after" / feed))
    for released in ("files/slides/quiz-key.pdf", "files/hw/hw1-solutions.pdf", "files/hw/hw2.pdf", "dl/project.html"):
        assert released in late, released
    assert "dl/files/hw/hw1-solutions.pdf" in after
    # Before, the announcement names them as not yet posted, on its page and in the feed.
    text = visible_text(parse(tmp_path / "before" / "dl" / "announcements.html"))
    assert "The quiz key not yet posted" in text and "project not yet posted" in text


def test_a_link_to_unreleased_material_says_so_in_the_course_language(site, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    root = site({**FILES, "courses/dl/course.yaml": COURSE + "language: fr\n",
                 "courses/dl/announcements.yaml": ANNOUNCEMENTS})
    build_at(root, tmp_path / "out", "2026-09-21 12:00")
    text = visible_text(parse(tmp_path / "out" / "dl" / "announcements.html"))
    assert "quiz key pas encore publié" in text and "not yet posted" not in text
    schedule = visible_text(parse(tmp_path / "out" / "dl" / "schedule.html"))
    assert "Quiz key disponible le jeu. 1 oct., 9 h 00" in schedule
