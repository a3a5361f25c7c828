"""The one place that maps a page or file to its output path, and paths to relative links.

Every link in the site is relative to the page it is on, so the same build works from
`file://`, at a domain root and under a GitHub Pages project subpath.
"""

from __future__ import annotations

import posixpath
from functools import lru_cache

CATALOG = "index.html"
SITE_FEED = "feed.xml"  # the Atom feed of every course's announcements
INDEX_JSON = "index.json"  # the catalog as data (schedule_json.py)
SCHEMA = "schema"  # the course files' JSON Schemas (json_schema.py)
STATIC = "static"
SEARCH_BUNDLE = "pagefind"  # the site's search index and its script, written by search.py
# Names at the top of the output that belong to the site, not to a course: a course folder may
# not take one. Some are kept for outputs a site may gain (a feed, an error page).
SITE_OUTPUTS = frozenset({CATALOG, STATIC, SEARCH_BUNDLE, "404.html", "feed.xml", "atom.xml",
                          "feed.json", "sitemap.xml", "robots.txt", "schema", "favicon.ico", "courses.json",
                          "index.json"})
COURSE_PAGES = {"overview": "index.html", "schedule": "schedule.html",
                "readings": "readings.html", "links": "links.html",
                "assignments": "assignments.html", "announcements": "announcements.html",
                "week": "week.html", "syllabus": "syllabus.html"}


def course_page(slug: str, kind: str) -> str:
    return f"{slug}/{COURSE_PAGES[kind]}"


def stable_page(name: str) -> str:
    """The stable address of a course with several offerings: its current offering's overview."""
    return f"{name}/index.html"


def markdown_page(slug: str, name: str) -> str:
    return f"{slug}/{name}.html"


def syllabus_pdf(slug: str) -> str:
    return f"{slug}/syllabus.pdf"


def calendar_feed(slug: str, name: str = "calendar") -> str:
    return f"{slug}/{name}.ics"


def course_feed(slug: str) -> str:
    """The course's Atom feed of announcements and schedule changes."""
    return f"{slug}/feed.xml"


def course_file(slug: str, name: str) -> str:
    """Where a file of the course folder (slides, a photo) is copied."""
    return f"{slug}/files/{name}"


def static_file(name: str) -> str:
    return f"{STATIC}/{name}"


def search_script() -> str:
    """Which part of the search index holds each course, and so where each part's script is (search.py)."""
    return f"{SEARCH_BUNDLE}/parts.json"


def relative(from_page: str, to_path: str) -> str:
    """The link from the page at `from_page` to `to_path`, both relative to the output root."""
    fragment = ""
    if "#" in to_path:
        to_path, fragment = to_path.split("#", 1)
        fragment = "#" + fragment
    if not to_path:
        return fragment
    return _relative_path(to_path, posixpath.dirname(from_page)) + fragment


@lru_cache(maxsize=4096)  # the same few pages link the same few targets (a course's nav on each page)
def _relative_path(to_path: str, folder: str) -> str:
    """posixpath.relpath(to_path, folder or "."), without asking for the working directory
    when both are plain paths below the root (no '.', '..', empty or absolute parts)."""
    target, start = to_path.split("/"), folder.split("/") if folder else []
    if any(part in _NOT_PLAIN for part in target) or any(part in _NOT_PLAIN for part in start):
        return posixpath.relpath(to_path, folder or ".")
    common = 0
    for mine, theirs in zip(target, start, strict=False):
        if mine != theirs:
            break
        common += 1
    return "/".join([".."] * (len(start) - common) + target[common:]) or "."


_NOT_PLAIN = frozenset({"", ".", ".."})


def absolute(base_url: str | None, path: str) -> str | None:
    """A full URL for `path` when the site's base URL has a host (for feeds and canonical links)."""
    if not base_url or "://" not in base_url:
        return None
    return base_url.rstrip("/") + "/" + path
