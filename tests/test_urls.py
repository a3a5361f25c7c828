"""Relative links (urls.relative) are what posixpath.relpath makes, found without it when both
paths are plain (issue 16: it asked for the working directory twice per link)."""

from __future__ import annotations

import posixpath

from hypothesis import given
from hypothesis import strategies as st

from coursesite import urls

PART = st.sampled_from(["a", "b", "dl101-fall-2026", "index.html", "schedule.html", "files", "x.y",
                        "", ".", "..", "a b", "é"])
PATH = st.lists(PART, min_size=1, max_size=5).map("/".join)


@given(PATH, PATH.filter(bool))
def test_a_link_is_what_relpath_makes(page: str, target: str) -> None:
    expected = posixpath.relpath(target, posixpath.dirname(page) or ".")
    assert urls.relative(page, target) == expected
    assert urls.relative(page, target + "#week-3") == expected + "#week-3"


def test_links_between_a_courses_pages() -> None:
    assert urls.relative("dl/schedule.html", "dl/files/slides.pdf") == "files/slides.pdf"
    assert urls.relative("dl/files/a.html", "static/site.css") == "../../static/site.css"
    assert urls.relative("index.html", "dl/overview.html") == "dl/overview.html"
    assert urls.relative("dl/schedule.html", "dl") == "."
    assert urls.relative("dl/schedule.html", "#top") == "#top"
