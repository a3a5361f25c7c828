"""The week page (issue 14, part 3): every meeting pattern, section and office hour on its weekday,
with its time and place; overlapping events side by side on a desktop, a list by day on a phone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page

from browsing import DESKTOP, PHONE, serving
from conftest import REPO, build, parse, run_cli, visible_text

COURSE = """\
code: CS 300
title: Overlaps
term: {name: Fall 2026, start: 2026-09-07, end: 2026-12-11, timezone: America/New_York}
meetings:
  - name: Lecture
    days: [Mon, Wed]
    start: "10:00"
    end: "11:30"
    location: Hall A
  - name: Lab
    days: [Mon]
    sections:
      - {name: L1, start: "10:30", end: "12:00", location: Lab 1}
      - {name: L2, start: "11:00", end: "12:30", location: Lab 2}
      - {name: L3, days: [Sat], start: "09:00", end: "10:00", location: Lab 3}
people:
  - name: Ada Lovelace
    office_hours:
      - {days: [Mon, Thu], start: "11:00", end: "12:00", location: Room 5}
      - {day: Fri, start: "15:00", end: "16:00", url: "https://meet.example.org/ada"}
  - name: Alan Turing
    role: Teaching assistant
    office_hours:
      - {location: Room 7, note: by appointment}
"""


@pytest.fixture
def week(site) -> Path:  # type: ignore[no-untyped-def]
    root = site({"courses/dl/course.yaml": COURSE})
    result = build(root)
    assert result.code == 0, result.err
    return root / "build"


def day_events(out: Path) -> dict[str, list[str]]:
    soup = parse(out / "dl" / "week.html")
    return {day.h2.get_text(strip=True): [visible_text(e) for e in day.select(".week-event")]
            for day in soup.select(".week-day")}


def test_each_pattern_section_and_office_hour_is_on_its_days_with_time_and_place(week: Path) -> None:
    days = day_events(week)
    assert list(days) == ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
    assert days["Monday"] == ["10:00 am–11:30 am Lecture Hall A", "10:30 am–12:00 pm Lab L1 Lab 1",
                              "11:00 am–12:00 pm Office hours (Ada Lovelace) Room 5",
                              "11:00 am–12:30 pm Lab L2 Lab 2"]
    assert days["Tuesday"] == []
    assert days["Thursday"] == ["11:00 am–12:00 pm Office hours (Ada Lovelace) Room 5"]
    assert days["Friday"] == ["3:00 pm–4:00 pm Office hours (Ada Lovelace) video call"]
    assert days["Saturday"] == ["9:00 am–10:00 am Lab L3 Lab 3"]
    soup = parse(week / "dl" / "week.html")
    assert soup.select_one(".week-day a[href='https://meet.example.org/ada']")
    unplaced = visible_text(soup.select_one("main > ul.week-untimed"))
    assert "Alan Turing" in unplaced and "Room 7" in unplaced and "by appointment" in unplaced


def test_overlapping_events_get_columns_of_their_own(week: Path) -> None:
    soup = parse(week / "dl" / "week.html")
    monday = soup.select(".week-day")[0].select(".week-events .week-event")
    columns = [dict(part.strip().split(": ") for part in e["style"].split(";"))["--column"] for e in monday]
    assert sorted(columns) == ["0", "1", "2", "3"]  # 11:00-11:30 four events run at once


def test_a_screen_reader_reads_the_week_as_lists_and_the_overview_links_it(week: Path) -> None:
    soup = parse(week / "dl" / "week.html")
    assert soup.select_one("ol.week-days > li.week-day > h2")
    assert soup.select_one("ol.week-hours")["aria-hidden"] == "true"
    overview = parse(week / "dl" / "index.html")
    assert overview.select_one(".course-documents a[href='week.html']")


def test_every_reference_course_has_a_week_page(reference_build: Path) -> None:
    courses = sorted(path.name for path in (REPO / "courses").iterdir())
    assert len(courses) == 10
    for slug in courses:
        assert parse(reference_build / slug / "week.html").select_one("main h1"), slug
        assert parse(reference_build / slug / "index.html").select_one(".course-documents a[href='week.html']"), slug


def boxes(page: Page, selector: str) -> list[dict[str, float]]:
    return [e.bounding_box() for e in page.locator(selector).all()]  # type: ignore[misc]


def overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (a["x"] < b["x"] + b["width"] - 0.5 and b["x"] < a["x"] + a["width"] - 0.5
            and a["y"] < b["y"] + b["height"] - 0.5 and b["y"] < a["y"] + a["height"] - 0.5)


def test_on_a_desktop_events_that_overlap_in_time_sit_side_by_side(week: Path, open_page) -> None:  # type: ignore[no-untyped-def]
    with serving(week) as base:
        page = open_page(f"{base}dl/week.html", viewport=DESKTOP)
        monday = boxes(page, ".week-day:nth-child(1) .week-event")
        tuesday = page.locator(".week-day:nth-child(2)").bounding_box()
        assert len(monday) == 4
        assert not any(overlap(a, b) for i, a in enumerate(monday) for b in monday[i + 1:])
        ys = sorted({round(b["y"]) for b in monday})
        assert len(ys) > 1  # laid out by time, not stacked as a list
        assert all(b["x"] + b["width"] <= tuesday["x"] + 1 for b in monday)
        page.screenshot(path=str(week / "week-desktop.png"), full_page=True)


def test_on_a_phone_the_week_is_a_list_by_day(week: Path, open_page) -> None:  # type: ignore[no-untyped-def]
    with serving(week) as base:
        page = open_page(f"{base}dl/week.html", viewport=PHONE)
        assert not page.locator(".week-hours").is_visible()
        events = boxes(page, ".week-event")
        assert all(b["width"] > PHONE["width"] * 0.8 for b in events)  # full width, one under another
        assert [b["y"] for b in events] == sorted(b["y"] for b in events)
        assert not any(overlap(a, b) for i, a in enumerate(events) for b in events[i + 1:])
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_week_prints_on_one_page(week: Path, open_page, paper: str) -> None:  # type: ignore[no-untyped-def]
    import io

    import pypdf

    with serving(week) as base:
        page = open_page(f"{base}dl/week.html", viewport=DESKTOP)
        pdf = page.pdf(format=paper, print_background=True)
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == 1


@pytest.mark.parametrize("name", ["week", "syllabus"])
def test_a_page_cannot_take_the_name_of_a_generated_page(site, monkeypatch, name: str) -> None:  # type: ignore[no-untyped-def]
    """pages/week.md would be written over by the week page: an error at its path, as for the others."""
    root = site({f"courses/dl/pages/{name}.md": "# Mine\n"})
    monkeypatch.chdir(root)
    result = run_cli("check", ".")
    assert result.code == 1
    assert re.search(rf"^courses/dl/pages/{name}\.md:1:1: error: page file name '{name}\.md' cannot be used",
                     result.err, re.M), result.err


def test_a_right_to_left_course_mirrors_the_week(site, open_page) -> None:  # type: ignore[no-untyped-def]
    """Persian: Monday's column on the right, each event's accent on its right (start) side."""
    root = site({"courses/dl/course.yaml": COURSE + "language: fa\n"})
    assert build(root).code == 0
    with serving(root / "build") as base:
        page = open_page(f"{base}dl/week.html", viewport=DESKTOP)
        monday, tuesday = (page.locator(f".week-day:nth-child({n})").bounding_box() for n in (1, 2))
        assert monday["x"] > tuesday["x"]
        events = boxes(page, ".week-day:nth-child(1) .week-events .week-event")
        assert len(events) == 4 and not any(overlap(a, b) for i, a in enumerate(events) for b in events[i + 1:])
        assert all(monday["x"] - 1 <= b["x"] and b["x"] + b["width"] <= monday["x"] + monday["width"] + 1
                   for b in events)
        sides = page.locator(".week-events .week-event").first.evaluate(
            "e => [getComputedStyle(e).borderRightWidth, getComputedStyle(e).borderLeftWidth]")
        assert sides == ["3px", "1px"]
        page.screenshot(path=str(root / "week-rtl.png"), full_page=True)
