"""Right-to-left pages in a real browser (issue 17): the Persian example mirrors its layout on a
phone and a desktop, and screenshots of it are kept for a person to look at."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from browsing import DESKTOP, PHONE, TODAY
from coursesite.formatting import format_date, formats_for

pytestmark = pytest.mark.browser

OpenPage = Callable[..., Page]
COURSE = "sharif-deep-learning-fa"
PAGES = ["index.html", "schedule.html", "assignments.html", "project.html"]
# Where the screenshots go: $SCREENSHOTS if set (to look at them), else the test's own folder.
SHOTS = os.environ.get("SCREENSHOTS")


def box(page: Page, selector: str) -> dict[str, float]:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, selector
    return found


@pytest.mark.parametrize(("name", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_the_persian_course_reads_right_to_left(served_reference: str, open_page: OpenPage, tmp_path: Path,
                                                name: str, viewport: dict[str, int]) -> None:
    folder = Path(SHOTS) if SHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    page = open_page(f"{served_reference}{COURSE}/index.html?today={TODAY}", viewport=viewport)
    for path in PAGES:
        page.goto(f"{served_reference}{COURSE}/{path}?today={TODAY}")
        assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
        assert page.evaluate("document.scrollingElement.scrollWidth") <= viewport["width"], path
        shot = folder / f"{COURSE}-{path.removesuffix('.html')}-{name}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 0
        heading = box(page, "main h1")
        main = box(page, "main")
        # Mirrored: the heading starts at the right edge of the content, not the left.
        assert abs((heading["x"] + heading["width"]) - (main["x"] + main["width"])) < 40, path
    page.goto(f"{served_reference}{COURSE}/index.html?today={TODAY}")
    first, second = box(page, "nav.course-nav li:nth-child(1) a"), box(page, "nav.course-nav li:nth-child(2) a")
    if abs(first["y"] - second["y"]) < 5:  # one line: the first item is the rightmost
        assert first["x"] > second["x"]


def test_the_deadline_table_runs_from_the_right(served_reference: str, open_page: OpenPage) -> None:
    page = open_page(f"{served_reference}{COURSE}/assignments.html?today={TODAY}")
    headers = page.locator("table.deliverables thead th")
    first, last = headers.first.bounding_box(), headers.last.bounding_box()
    assert first is not None and last is not None and first["x"] > last["x"]
    assert page.locator("table.deliverables th").first.evaluate("e => getComputedStyle(e).textAlign") == "start"
    assert "۱ آذر ۱۴۰۲" in page.locator("table.deliverables tbody tr").first.inner_text()


@pytest.mark.parametrize("language", ["fr", "de", "es"])
def test_the_browsers_cldr_dates_agree_with_the_pages(served_reference: str, open_page: OpenPage,
                                                     language: str) -> None:
    """Intl.DateTimeFormat in the page's language gives the date the server wrote."""
    page = open_page(f"{served_reference}index.html")
    browser_text = page.evaluate(
        "([language]) => new Intl.DateTimeFormat(language, {weekday: 'short', day: 'numeric', month: 'short', "
        "timeZone: 'UTC'}).format(new Date(Date.UTC(2026, 8, 8)))", [language])
    with formats_for(language):
        assert browser_text == format_date(dt.date(2026, 9, 8))


def test_the_search_speaks_the_pages_language(served_reference: str, reference_build: Path,
                                              open_page: OpenPage) -> None:
    page = open_page(f"{served_reference}{COURSE}/index.html?today={TODAY}")
    page.locator("#search-input").fill("یادگیری")
    status = page.locator("#search-status")
    expect(status).to_contain_text("نتیجه برای «یادگیری»")
    assert not re.search(r"[0-9]", status.inner_text())  # the count in Persian digits
    page = open_page((reference_build / "princeton-dl-theory-fr" / "index.html").as_uri())
    page.locator("#search-input").focus()
    expect(page.locator("#search-status")).to_contain_text("La recherche a besoin")
