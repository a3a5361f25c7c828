"""What is on now: the overview's glance and the schedule's past/next marks, on a fixed day."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from conftest import parse

COLUMBIA = "columbia-deep-learning"


def glance_items(page: Path) -> tuple[list[str], list[str]]:
    soup = parse(page)
    sessions = [li.get_text(" ", strip=True) for li in soup.select(".glance-sessions li:not([hidden])")]
    deadlines = [li.get_text(" ", strip=True) for li in soup.select(".glance-deadlines li:not([hidden])")]
    return sessions, deadlines


def test_overview_glance_is_right_without_javascript_on_the_build_day(reference_build: Path) -> None:
    # --today 2026-10-14 (a Wednesday): this week and next, and the next three deadlines.
    sessions, deadlines = glance_items(reference_build / COLUMBIA / "index.html")
    assert sessions == ["Thu Oct 15 Diffusion models", "Thu Oct 15 Diffusion notebook", "Tue Oct 20 Midterm Review",
                        "Thu Oct 22 Midterm"]
    # The midterm is an exam session (in the sessions above, and the overview's exam table), not a deadline.
    assert [d.split(" due ")[0] for d in deadlines] == ["Homework 3", "Homework 4", "Homework 5"]
    assert deadlines[0] == "Homework 3 due Tue Nov 3 (15 points)"  # a date: no time was written


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield chromium
        chromium.close()


def test_schedule_dims_the_past_and_marks_the_next_session_on_any_day(reference_build: Path, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    url = (reference_build / COLUMBIA / "schedule.html").as_uri()
    page.goto(url + "?today=2026-11-20")
    nxt = page.locator("table.schedule tr.is-next")
    assert nxt.count() == 1
    assert nxt.locator("th.topic").inner_text().startswith("Copying, Copyright, and Generative Modeling")
    assert nxt.get_attribute("aria-current") == "date"
    assert page.locator("table.schedule tr.is-past").count() == 31  # every row dated before Nov 20
    assert page.evaluate("window.scrollY") > 0  # the next session was scrolled into view
    page.goto(url + "?today=2026-09-08")  # the first day: today's lecture is the next one
    assert page.locator("tr.is-next th.topic").inner_text().startswith("Perceptrons")
    assert page.locator("tr.is-past").count() == 0
    page.close()


def test_glance_script_recomputes_for_the_readers_day(reference_build: Path, browser: Browser) -> None:
    page = browser.new_page()
    page.goto((reference_build / COLUMBIA / "index.html").as_uri() + "?today=2026-12-04")
    sessions = page.locator(".glance-sessions li:visible").all_inner_texts()
    assert [s.split("\n")[0][:10] for s in sessions] == ["Tue Dec 8 ", "Thu Dec 10"]  # to the end of next week
    deadlines = page.locator(".glance-deadlines li:visible").all_inner_texts()
    assert [d.split(" due ")[0] for d in deadlines] == ["Homework 5"]
    page.close()
