"""Announcements (issue 14 §1): held back until dated, on the overview newest first with "new"
marks right on any day, a page of them all, Atom feeds read by feedparser, and names the site
keeps for itself."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest

from conftest import build, parse, run_cli, visible_text

ANNOUNCEMENTS = """\
- date: 2026-09-08
  title: Welcome
  body: Lectures start **today** in Room 101. See the [schedule](schedule.html).
- date: "2026-10-09 09:00"
  title: Midterm room
  body: The midterm is in Hall B.
  expires: 2026-10-20
- date: 2026-10-13
  title: Office hours moved
  body: Office hours are on Wednesday this week.
- date: "2026-10-14 17:00"
  title: Project teams
  body: Teams are posted.
- date: 2026-10-20
  title: Scheduled for later
  body: This one is held back.
"""


def built(site, announcements: str = ANNOUNCEMENTS, *extra: str, today: str | None = None) -> Path:
    root = site({"courses/dl/announcements.yaml": announcements})
    args = ["build", root, "--out", root / "build", *extra]
    result = run_cli(*args, "--today", today) if today else build(root, None, *extra)
    assert result.code == 0, result.err
    return root / "build"


def titles(page) -> list[str]:
    return [h.find(string=True, recursive=False) or h.a.get_text() for h in page.select(".news-title")]


def shown_titles(path: Path) -> list[str]:
    """The titles a reader sees (hidden items left out), newest first."""
    page = parse(path)
    for hidden in page.select("[hidden]"):
        hidden.decompose()
    return [" ".join(h.get_text(" ").split()).removesuffix(" New") for h in page.select(".news-title")]


def new_marks(path: Path) -> list[str]:
    page = parse(path)
    return [" ".join(item.select_one(".news-title").get_text(" ").split()).removesuffix(" New")
            for item in page.select(".news-item") if not item.select_one(".new-badge").has_attr("hidden")]


def test_the_page_lists_what_is_published_newest_first(site) -> None:
    out = built(site)  # --today 2026-10-14: the day's start, before 17:00
    page = parse(out / "dl/announcements.html")
    assert shown_titles(out / "dl/announcements.html") == ["Office hours moved", "Midterm room", "Welcome"]
    welcome = page.select_one("#news-2026-09-08")
    assert welcome.select_one("time")["datetime"] == "2026-09-08T00:00:00-04:00"
    assert welcome.select_one(".prose strong").get_text() == "today"
    assert page.select_one("#news-2026-10-09T0900 time").get_text() == "Fri Oct 9, 2026, 9:00 am"
    nav = [a.get_text() for a in page.select(".course-nav a")]
    assert nav[:3] == ["Overview", "Schedule", "Announcements"]


def test_held_back_items_are_nowhere_in_the_output(site) -> None:
    out = built(site)
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".xml", ".ics", ".json"):
            text = path.read_text(encoding="utf-8", errors="replace")
            assert "Scheduled for later" not in text and "Project teams" not in text, path
    later = built(site, ANNOUNCEMENTS, today="2026-10-20")
    assert shown_titles(later / "dl/announcements.html")[:2] == ["Scheduled for later", "Project teams"]


@pytest.mark.parametrize(("today", "overview", "new"), [
    ("2026-09-08", ["Welcome"], ["Welcome"]),
    ("2026-09-15", ["Welcome"], []),
    ("2026-10-14", ["Office hours moved", "Midterm room", "Welcome"], ["Office hours moved", "Midterm room"]),
    ("2026-10-16", ["Project teams", "Office hours moved", "Midterm room", "Welcome"],
     ["Project teams", "Office hours moved"]),
    # Midterm room expired on the 20th: gone from the overview, still on the announcements page.
    ("2026-10-21", ["Scheduled for later", "Project teams", "Office hours moved", "Welcome"],
     ["Scheduled for later"]),
])
def test_the_overview_and_its_new_marks_on_several_days(site, today: str, overview: list[str],
                                                         new: list[str]) -> None:
    out = built(site, ANNOUNCEMENTS, today=today)
    assert shown_titles(out / "dl/index.html") == overview
    assert new_marks(out / "dl/index.html") == new
    assert [t for t in new_marks(out / "dl/announcements.html")] == new
    assert ("Midterm room" in shown_titles(out / "dl/announcements.html")) == (today >= "2026-10-09")


def test_the_overview_shows_the_latest_five(site) -> None:
    many = "".join(f"- {{date: 2026-10-{day:02d}, title: Note {day}, body: text}}\n" for day in range(1, 9))
    out = built(site, many)
    assert shown_titles(out / "dl/index.html") == [f"Note {day}" for day in range(8, 3, -1)]
    overview = parse(out / "dl/index.html")
    assert overview.select_one(".latest-news ol")["data-limit"] == "5"
    assert len(overview.select(".latest-news li")) == 8  # the script may show others on another day
    assert len(shown_titles(out / "dl/announcements.html")) == 8


def test_without_announcements_there_is_no_page_and_an_empty_feed(site) -> None:
    root = site()
    assert build(root).code == 0
    assert not (root / "build/dl/announcements.html").exists()
    assert "Announcements" not in visible_text(parse(root / "build/dl/index.html"))
    feed = feedparser.parse((root / "build/dl/feed.xml").read_bytes())
    assert not feed.bozo and feed.entries == []


def test_the_feeds_are_valid_atom_with_stable_ids_and_absolute_links(site) -> None:
    out = built(site, ANNOUNCEMENTS, "--base-url", "https://example.edu/courses/")
    feed = feedparser.parse((out / "dl/feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert feed.feed.title == "DL 101: Deep Learning (Fall 2026): announcements"
    assert [e.title for e in feed.entries] == ["Office hours moved", "Midterm room", "Welcome"]
    first = feed.entries[2]
    assert first.link == "https://example.edu/courses/dl/announcements.html#news-2026-09-08"
    assert first.id.startswith("urn:uuid:")
    assert first.published_parsed[:3] == (2026, 9, 8)
    assert '<a href="https://example.edu/courses/dl/schedule.html">' in first.content[0].value
    ids = [e.id for e in feed.entries]
    whole = feedparser.parse((out / "feed.xml").read_bytes())
    assert not whole.bozo
    assert [e.title for e in whole.entries] == ["DL 101: Office hours moved", "DL 101: Midterm room",
                                                "DL 101: Welcome"]
    assert [e.id for e in whole.entries] == ids
    assert whole.entries[0].link == "https://example.edu/courses/dl/announcements.html#news-2026-10-13"
    again = built(site, ANNOUNCEMENTS + "- {date: 2026-10-14, title: Another, body: x}\n",
                  "--base-url", "https://example.edu/courses/")
    assert [e.id for e in feedparser.parse((again / "dl/feed.xml").read_bytes()).entries][1:] == ids


def test_without_a_base_url_links_are_relative_to_the_site_root(site) -> None:
    out = built(site)
    feed = feedparser.parse((out / "dl/feed.xml").read_bytes(), response_headers={
        "content-location": "https://host.example/site/dl/feed.xml", "content-type": "application/atom+xml"})
    assert not feed.bozo, feed.bozo_exception
    assert feed.entries[0].link == "https://host.example/site/dl/announcements.html#news-2026-10-13"
    assert '<a href="https://host.example/site/dl/schedule.html">' in feed.entries[2].content[0].value
    whole = feedparser.parse((out / "feed.xml").read_bytes(), response_headers={
        "content-location": "https://host.example/site/feed.xml", "content-type": "application/atom+xml"})
    assert whole.entries[0].link == "https://host.example/site/dl/announcements.html#news-2026-10-13"


def test_pages_link_their_feed_in_the_head(site) -> None:
    out = built(site)
    for page, href in (("dl/index.html", "feed.xml"), ("dl/schedule.html", "feed.xml"),
                       ("dl/announcements.html", "feed.xml"), ("index.html", "feed.xml")):
        link = parse(out / page).select_one('head link[rel="alternate"][type="application/atom+xml"]')
        assert link is not None and link["href"] == href, page
    assert (out / "feed.xml").is_file()


def test_hostile_text_cannot_break_the_feed(site) -> None:
    hostile = ('- date: 2026-10-01\n'
               '  title: "Bell \\x07 </title></entry></feed> ]]> <script>alert(1)</script> & \\x1b"\n'
               '  body: "]]></content></entry></feed><entry><title>forged</title> \\x00 \\uFFFE &amp;"\n')
    out = built(site, hostile)
    for name in ("dl/feed.xml", "feed.xml"):
        data = (out / name).read_bytes()
        tree = ET.fromstring(data)  # well-formed XML 1.0
        feed = feedparser.parse(data)
        assert not feed.bozo, feed.bozo_exception
        assert len(feed.entries) == 1
        assert "</feed> ]]> <script>alert(1)</script> &" in feed.entries[0].title
        assert len(tree.findall("{http://www.w3.org/2005/Atom}entry")) == 1
    page = parse(out / "dl/announcements.html")
    assert page.select_one("script:-soup-contains('alert')") is None


def test_same_input_and_day_give_the_same_bytes(site, tmp_path: Path) -> None:
    root = site({"courses/dl/announcements.yaml": ANNOUNCEMENTS})
    for out in ("one", "two"):
        assert build(root, tmp_path / out, "--no-cache").code == 0
    for name in ("dl/feed.xml", "feed.xml", "dl/announcements.html", "dl/index.html"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


@pytest.mark.parametrize(("text", "message"), [
    ("title: not a list\n",
     "courses/dl/announcements.yaml:1:1: error: announcements.yaml must be a list of announcements"),
    ("- date: 2026-10-01\n  body: no title\n",
     "courses/dl/announcements.yaml:1:3: error: missing required field 'announcements[0].title'"),
    ("- date: 2026-10-01\n  title: A\n- date: someday\n  title: B\n",
     "courses/dl/announcements.yaml:3:9: error: announcements[1].date"),
    ("- date: 2026-10-01\n  title: A\n  expires: 2026-09-01\n",
     "courses/dl/announcements.yaml:1:3: error: announcements[0]: expires 2026-09-01 is before date 2026-10-01"),
    ("- date: 2026-10-01\n  title: A\n  when: now\n",
     "courses/dl/announcements.yaml:3:3: error: unknown field 'when' in announcements[0]"),
])
def test_mistakes_are_reported_at_their_place(site, text: str, message: str, monkeypatch) -> None:
    root = site({"courses/dl/announcements.yaml": text})
    monkeypatch.chdir(root)
    result = run_cli("check", ".")
    assert result.code == 1
    assert any(line.startswith(message) for line in result.lines), result.err


def test_bodies_get_the_same_script_and_link_checks_as_other_texts(site, monkeypatch) -> None:
    root = site({"courses/dl/announcements.yaml":
                 "- date: 2026-10-01\n  title: A\n  body: Click [here](javascript:alert(1))\n"
                 "- date: 2026-10-02\n  title: B\n  body: See [notes](notes/missing.pdf)\n"})
    monkeypatch.chdir(root)
    result = run_cli("check", ".")
    assert result.code == 1
    assert any(line.startswith("courses/dl/announcements.yaml:3:9: error: announcements[0].body")
               and "javascript" in line for line in result.lines), result.err
    assert any(line.startswith("courses/dl/announcements.yaml:6:9: warning[not-yet-posted]")
               for line in result.lines), result.err


@pytest.mark.parametrize("name", ["feed.xml", "index.html", "static"])
def test_a_course_folder_named_like_a_site_output_is_refused(site, name: str, monkeypatch) -> None:
    root = site({f"courses/{name}/course.yaml": "title: X\nterm: {name: Fall 2026}\n"})
    monkeypatch.chdir(root)
    result = run_cli("build", ".")
    assert result.code == 1
    assert f"courses/{name}:1:1: error: a course folder cannot be named '{name}'" in result.err


def test_a_page_cannot_take_the_announcements_name(site, monkeypatch) -> None:
    root = site({"courses/dl/pages/announcements.md": "# Mine\n"})
    monkeypatch.chdir(root)
    result = run_cli("check", ".")
    assert result.code == 1 and "page file name 'announcements.md' cannot be used" in result.err


def test_new_is_newer_than_a_week() -> None:
    from coursesite.announcements import NewsItem

    item = NewsItem(dt.datetime(2026, 10, 1, tzinfo=dt.UTC), False, "t", None, "k", "announcement")
    assert [item.is_new(dt.date(2026, 10, d)) for d in (1, 7, 8)] == [True, True, False]
    assert not item.is_new(dt.date(2026, 9, 30))


def test_a_stored_course_is_built_again_when_a_held_back_announcement_is_due(site, tmp_path: Path,
                                                                              monkeypatch) -> None:
    from coursesite.build import BuildOptions, build_site

    root = site({"courses/dl/announcements.yaml": '- {date: "2026-10-14 09:00", title: Quiz today, body: x}\n'})
    options = BuildOptions(root, root / "build", cache_dir=tmp_path / "cache")
    at = {"08:00": 1791979200, "10:00": 1791986400}  # 2026-10-14 in New York (UTC-4)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(at["08:00"]))
    assert build_site(options).rendered == 1
    assert not (root / "build/dl/announcements.html").exists()
    assert build_site(options).rendered == 0
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(at["10:00"]))  # the same day, after 09:00
    assert build_site(options).rendered == 1
    assert shown_titles(root / "build/dl/announcements.html") == ["Quiz today"]
    assert build_site(options).rendered == 0
