"""Relative links in Markdown lead to the course's pages and files, relative to the file they are in."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from conftest import MINIMAL_COURSE, build, parse, run_cli

PAGE = """\
---
title: Project
---
Read the [grading rules](policies.md#late-work) and the [handout](../handouts/project.pdf).
See the [schedule](schedule.html), the [course page](https://example.org/dl) and [below](#goals).

![Timeline](img/timeline.png)

## Goals

The [rubric](../handouts/rubric.pdf) comes later.
"""


def _site(site) -> Path:
    return site({
        "courses/dl/course.yaml": MINIMAL_COURSE + "description: See the [syllabus](syllabus.pdf).\n",
        "courses/dl/pages/project.md": PAGE,
        "courses/dl/pages/policies.md": "# Policies\n\n## Late work\n\nNot graded.\n",
        "courses/dl/pages/img/timeline.png": b"\x89PNG fake",
        "courses/dl/handouts/project.pdf": b"%PDF project",
        "courses/dl/syllabus.pdf": b"%PDF syllabus",
    })


def _target(page: Path, href: str) -> Path:
    return (page.parent / urlsplit(href).path).resolve()


def test_page_links_lead_to_pages_and_copied_files(site, monkeypatch) -> None:
    root = _site(site)
    monkeypatch.chdir(root)
    result = build(root)
    assert result.code == 0, result.err

    page = root / "build/dl/project.html"
    links = {a.get_text(strip=True): a["href"] for a in parse(page).select("main .prose a")}
    assert links == {"grading rules": "policies.html#late-work", "handout": "files/handouts/project.pdf",
                     "schedule": "schedule.html", "course page": "https://example.org/dl", "below": "#goals"}
    assert _target(page, links["handout"]).read_bytes() == b"%PDF project"
    image = parse(page).select_one("main .prose img")
    assert image["alt"] == "Timeline"
    assert _target(page, image["src"]).read_bytes() == b"\x89PNG fake"

    overview = root / "build/dl/index.html"
    syllabus = parse(overview).find("a", string="syllabus")
    assert _target(overview, syllabus["href"]).read_bytes() == b"%PDF syllabus"


def test_a_missing_file_is_shown_as_not_yet_posted_and_warned_about(site, monkeypatch) -> None:
    root = _site(site)
    monkeypatch.chdir(root)
    result = build(root)

    assert result.lines == ["courses/dl/pages/project.md:11:14: warning[not-yet-posted]: file 'handouts/rubric.pdf' does not "
                            "exist yet; the site shows it as not yet posted"
                            "; add the file when it is ready, or add not-yet-posted to strict_allows in site.yaml"]
    soup = parse(root / "build/dl/project.html")
    assert [a.get_text(strip=True) for a in soup.select("main .prose a") if "rubric" in a.get_text()] == []
    assert [s.get_text(" ", strip=True) for s in soup.select("main .prose .not-posted")] == ["rubric not yet posted"]
    assert run_cli("check", root, "--strict").code == 1


def test_a_path_from_the_course_folder_gets_a_hint(site, monkeypatch) -> None:
    root = site({"courses/dl/pages/project.md": "The [handout](handouts/project.pdf).\n",
                 "courses/dl/handouts/project.pdf": b"%PDF"})
    monkeypatch.chdir(root)
    result = run_cli("check", root)
    assert result.lines[0] == ("courses/dl/pages/project.md:1:15: warning[not-yet-posted]: file 'pages/handouts/project.pdf' does "
                               "not exist yet; the site shows it as not yet posted (links in pages are relative "
                               "to pages/: write '../handouts/project.pdf'); add the file when it is ready, or add not-yet-posted to strict_allows in site.yaml")


def test_raw_html_links_are_kept_as_written(site) -> None:
    root = site({"courses/dl/pages/video.md": '<a href="notes/x.pdf">notes</a>\n\n'
                 '<iframe src="https://www.youtube-nocookie.com/embed/abc" title="Lecture 1"></iframe>\n'})
    assert build(root).code == 0
    soup = parse(root / "build/dl/video.html")
    assert soup.find("a", string="notes")["href"] == "notes/x.pdf"
    assert soup.select_one("main iframe")["src"] == "https://www.youtube-nocookie.com/embed/abc"


def test_a_page_named_from_a_yaml_file_gets_a_hint(site, monkeypatch) -> None:
    root = site({"courses/dl/schedule.yaml": "sessions:\n  - topic: A\n    notes: See the [rules](policies.md).\n",
                 "courses/dl/pages/policies.md": "# Policies\n"})
    monkeypatch.chdir(root)
    assert run_cli("check", root).lines[0] == (
        "courses/dl/schedule.yaml:3:12: warning[not-yet-posted]: file 'policies.md' does not exist yet; the site shows it as not "
        "yet posted (to link the page, write 'pages/policies.md'); add the file when it is ready, or add not-yet-posted to strict_allows in site.yaml")


def test_file_names_that_need_escaping_are_linked_escaped(site) -> None:
    root = site({"courses/dl/pages/notes.md": "The [answers](../Q%26A%20%231.pdf).\n",
                 "courses/dl/Q&A #1.pdf": b"%PDF"})
    assert build(root).code == 0
    page = root / "build/dl/notes.html"
    href = parse(page).find("a", string="answers")["href"]
    assert href == "files/Q%26A%20%231.pdf"
    assert (page.parent / unquote(href)).read_bytes() == b"%PDF"


def test_course_pages_are_reached_from_pages_both_ways(site, monkeypatch) -> None:
    """`schedule.html` (as the README shows) and `../schedule.html` (file-relative) both work."""
    root = site({
        "courses/dl/course.yaml": MINIMAL_COURSE,
        "courses/dl/pages/about.md": ("See the [plain](schedule.html), the [relative](../schedule.html#week-2), "
                                      "and the [overview](../index.html).\n"),
    })
    monkeypatch.chdir(root)
    result = build(root)
    assert result.code == 0, result.err
    assert result.lines == []  # neither is a "missing file"
    page = root / "build/dl/about.html"
    links = {a.get_text(strip=True): a["href"] for a in parse(page).select("main .prose a")}
    assert links == {"plain": "schedule.html", "relative": "schedule.html#week-2", "overview": "index.html"}
    for href in links.values():
        assert _target(page, href).is_file()
