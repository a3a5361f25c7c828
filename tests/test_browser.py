"""What students do, in a real browser: navigate, read on a phone, switch to dark, search, use a keyboard.

Debian's Chromium through Playwright, against the reference build served on 127.0.0.1. Every
test also checks (in the `open_page` fixture) that no request left the machine and no script
failed. `?today=` fixes the date the page's script computes with.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from browsing import NARROW_PHONE, PHONE, TODAY, serving, site_pages
from conftest import REPO
from coursesite.errors import Report
from coursesite.render import at_a_glance
from coursesite.schedule import assign_dates
from coursesite.site import load_site

pytestmark = pytest.mark.browser

OpenPage = Callable[..., Page]
FILE_MESSAGE = ("Search needs the site to be served by a web server: browsers do not allow it for pages "
                "opened as files. Use the published site, or run python3 -m http.server in the built "
                "folder and open the address it prints.")


def at(base: str, path: str, today: str = TODAY) -> str:
    return f"{base}{path}?today={today}"


# ---- navigation ----------------------------------------------------------------------------


def test_every_navigation_link_leads_to_its_page(served_reference: str, open_page: OpenPage) -> None:
    page = open_page(at(served_reference, "index.html"))
    courses = page.locator("main .course-list > li > a")  # not the past offerings under them
    assert courses.count() == 9
    for number in range(courses.count()):
        page.goto(at(served_reference, "index.html"))
        with page.expect_navigation() as arrival:
            page.locator("main .course-list > li > a").nth(number).click()
        assert arrival.value is not None and arrival.value.ok
        titles = page.locator("nav.course-nav a").all_inner_texts()
        if page.locator("html").get_attribute("lang") == "en":  # the others: tests/test_catalogs.py
            assert titles[:2] == ["Overview", "Schedule"]
        for index, title in enumerate(titles):
            with page.expect_navigation() as arrival:
                page.locator("nav.course-nav a").nth(index).click()
            assert arrival.value is not None and arrival.value.ok, page.url
            expect(page.locator('nav.course-nav a[aria-current="page"]')).to_have_text(title)
            expect(page.locator("main h1")).to_have_count(1)
        with page.expect_navigation() as arrival:
            page.locator("a.site-title").click()
        assert arrival.value is not None and arrival.value.ok
        assert page.url.split("?")[0] == served_reference + "index.html"


def test_glance_links_land_on_their_schedule_rows(served_reference: str, open_page: OpenPage) -> None:
    page = open_page(at(served_reference, "columbia-deep-learning/index.html"))
    link = page.locator(".glance-sessions li:not([hidden]) a").first
    expect(link).to_have_text("Thu Oct 15")
    link.click()
    assert page.url.endswith("schedule.html#session-lecture-diffusion-models-2")
    row = page.locator("tr:target")
    expect(row).to_have_attribute("id", "session-lecture-diffusion-models-2")
    expect(row).to_be_in_viewport()


# ---- phones --------------------------------------------------------------------------------


def test_no_page_scrolls_sideways_on_a_phone(served_reference: str, reference_build: Path,
                                             open_page: OpenPage) -> None:
    page = open_page(at(served_reference, "index.html"), viewport=NARROW_PHONE)
    wide = []
    for path in site_pages(reference_build):
        page.goto(at(served_reference, path))
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            wide.append(f"{path}: {overflow}px too wide")
    assert wide == []


def test_a_schedule_on_a_phone_is_stacked_rows_each_labelled(served_reference: str, open_page: OpenPage) -> None:
    page = open_page(at(served_reference, "columbia-deep-learning/schedule.html"), viewport=PHONE)
    row = page.locator("#session-notebook-notebook-2-mlp-in-pytorch")
    assert row.evaluate("tr => getComputedStyle(tr).display") == "block"
    expect(page.locator("table.schedule thead")).not_to_be_in_viewport()
    materials = row.locator("td.materials")
    assert materials.evaluate("td => getComputedStyle(td, '::before').content") == '"Materials: "'
    # An empty cell shows no dangling label.
    assert row.locator("td.due").evaluate("td => getComputedStyle(td).display") == "none"
    box = row.bounding_box()
    assert box is not None and box["width"] <= PHONE["width"]


def test_wide_screens_keep_the_schedule_a_table(served_reference: str, open_page: OpenPage) -> None:
    page = open_page(at(served_reference, "columbia-deep-learning/schedule.html"))
    assert page.locator("#session-notebook-notebook-2-mlp-in-pytorch").evaluate("tr => getComputedStyle(tr).display") == "table-row"
    expect(page.locator("table.schedule thead")).to_be_visible()


# ---- light and dark ------------------------------------------------------------------------


def background(page: Page) -> str:
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def test_dark_mode_toggle_is_remembered(served_reference: str, open_page: OpenPage) -> None:
    page = open_page(at(served_reference, "harvard-cs229br/index.html"))
    toggle = page.locator("button.theme-toggle")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    light = background(page)
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    dark = background(page)
    assert dark != light
    page.goto(at(served_reference, "harvard-cs229br/schedule.html"))  # another page, same reader
    expect(page.locator("button.theme-toggle")).to_have_attribute("aria-pressed", "true")
    assert background(page) == dark
    page.locator("button.theme-toggle").click()
    page.reload()
    assert background(page) == light


def test_dark_mode_follows_the_system_until_chosen(served_reference: str, open_page: OpenPage) -> None:
    page = open_page(at(served_reference, "index.html"), color_scheme="dark")
    expect(page.locator("button.theme-toggle")).to_have_attribute("aria-pressed", "true")
    dark = background(page)
    page.emulate_media(color_scheme="light")
    expect(page.locator("button.theme-toggle")).to_have_attribute("aria-pressed", "false")
    assert background(page) != dark


# ---- search --------------------------------------------------------------------------------


def search(page: Page, query: str) -> None:
    page.locator("#search-input").fill(query)
    expect(page.locator("#search-status")).to_contain_text(f"for “{query}”")


def test_a_course_search_finds_the_session_and_links_to_its_row(served_reference: str,
                                                                open_page: OpenPage) -> None:
    page = open_page(at(served_reference, "columbia-deep-learning/index.html"))
    search(page, "backpropagation")
    expect(page.locator("#search-status")).to_have_text("1 result for “backpropagation”.")
    hits = page.locator(".search-hits a")
    hrefs = [href or "" for href in hits.evaluate_all("links => links.map(a => a.href)")]
    assert all("/columbia-deep-learning/" in href for href in hrefs), hrefs
    row_link = page.locator('.search-hits a[href$="schedule.html#session-lecture-backpropagation-of-error"]')
    expect(row_link).to_contain_text("Backpropagation of error")
    expect(row_link.locator("mark")).to_have_text("Backpropagation")
    row_link.click()
    page.wait_for_url(re.compile(r"schedule\.html#session-lecture-backpropagation-of-error$"))
    expect(page.locator("tr:target th.topic")).to_contain_text("Backpropagation of error")
    expect(page.locator("tr:target")).to_be_in_viewport()


def test_a_course_search_stays_in_its_course(served_reference: str, open_page: OpenPage) -> None:
    page = open_page(at(served_reference, "princeton-dl-theory/schedule.html"))
    search(page, "diffusion")
    hrefs = page.locator(".search-hits a").evaluate_all("links => links.map(a => a.href)")
    assert hrefs and all("/princeton-dl-theory/" in href for href in hrefs), hrefs


def test_the_catalog_searches_every_course(served_reference: str, open_page: OpenPage) -> None:
    page = open_page(at(served_reference, "index.html"))
    search(page, "diffusion")
    # Pagefind also ranks a near match in the module course's grading section (its own fuzziness).
    expect(page.locator("#search-status")).to_have_text(re.compile(r"^\d+ results for “diffusion” in all courses\.$"))
    hrefs = page.locator(".search-hit-title a").evaluate_all("links => links.map(a => a.href)")
    status = page.locator("#search-status").inner_text()
    assert status.startswith(f"{len(hrefs)} results"), (status, hrefs)
    courses = {href.split("/")[3] for href in hrefs}
    # every course that mentions diffusion, and the stable address of the current Princeton offering
    assert {"columbia-deep-learning", "princeton-dl-theory", "princeton-dl-theory-2026",
            "princeton-dl-theory-fr"} <= courses, hrefs
    assert courses <= {"columbia-deep-learning", "princeton-dl-theory", "princeton-dl-theory-2026",
                       "princeton-dl-theory-fr", "princeton-dl-theory-current", "auburn-data-structures"}, hrefs
    expect(page.locator(".search-hit-title .meta").first).to_contain_text("·")


def test_search_keys_no_results_and_escape(served_reference: str, open_page: OpenPage) -> None:
    page = open_page(at(served_reference, "columbia-deep-learning/index.html"))
    search(page, "perceptrons")
    page.locator("#search-input").press("ArrowDown")
    expect(page.locator(".search-hits a").first).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.locator(".search-hits a").nth(1)).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("#search-input")).to_be_focused()
    page.keyboard.press("Escape")
    expect(page.locator("#search-input")).to_have_value("")
    expect(page.locator(".search-hits")).to_be_hidden()
    search(page, "zzyzx")
    expect(page.locator("#search-status")).to_have_text("No results for “zzyzx”.")


def test_search_works_under_a_subpath(reference_build: Path, open_page: OpenPage) -> None:
    """As on GitHub Pages: the site under /REPOSITORY/, not at the root."""
    with serving(reference_build.parent) as base:
        page = open_page(at(base, "build/columbia-deep-learning/readings.html"))
        search(page, "Jacobians")
        link = page.locator('.search-hits a[href*="readings.html#reading-"]').first
        link.click()
        page.wait_for_url(re.compile(r"/build/columbia-deep-learning/readings\.html#reading-"))
        expect(page.locator("li:target")).to_contain_text("Jacobians")


def test_search_on_a_site_indexed_in_parts(site, tmp_path: Path, open_page: OpenPage,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A large site's index is in parts (search.py): a course's box loads its own, the catalog's all."""
    from conftest import MINIMAL_COURSE, build
    from coursesite import search as search_index

    monkeypatch.setattr(search_index, "SHARD_COURSES", 2)
    root = site({f"courses/c{n}/course.yaml": MINIMAL_COURSE.replace("DL 101", f"Zebra {n}") for n in range(6)})
    assert build(root, tmp_path / "build", "--no-cache").code == 0
    parts = (tmp_path / "build" / "pagefind" / "parts.json").read_text()
    assert '"parts":["0","1"' in parts
    with serving(tmp_path) as base:
        page = open_page(at(base, "build/index.html"))
        search(page, "zebra")
        # Each course's overview, schedule and week page (the course's title is indexed with every page).
        expect(page.locator("#search-status")).to_contain_text("18 results for “zebra” in all courses")
        courses = {href.split("/")[4] for href in page.locator(".search-hit-title a").evaluate_all(
            "links => links.map(a => a.href)")}
        assert courses <= {f"c{n}" for n in range(6)} and len(courses) >= 4  # the best 10 of 18, 3 a course
        page = open_page(at(base, "build/c4/index.html"))
        search(page, "zebra")
        expect(page.locator("#search-status")).to_have_text("3 results for “zebra”.")
        hrefs = page.locator(".search-hit-title a").evaluate_all("links => links.map(a => a.href)")
        assert sorted(href.split("/", 4)[4] for href in hrefs) == ["c4/index.html", "c4/schedule.html",
                                                                    "c4/week.html"]


def test_search_from_a_file_says_why_it_cannot(reference_build: Path, open_page: OpenPage) -> None:
    page = open_page((reference_build / "harvard-cs229br" / "index.html").as_uri())
    box = page.locator("#search-input")
    expect(box).to_be_visible()
    box.fill("learning")
    expect(page.locator("#search-status")).to_have_text(FILE_MESSAGE)


# ---- keyboard ------------------------------------------------------------------------------


FOCUSABLE = """() => Array.from(document.querySelectorAll('a[href], button, input, summary, [tabindex="0"]'))
    .filter(e => e.checkVisibility())
    .map(e => e.outerHTML.slice(0, 80))"""


@pytest.mark.parametrize("path", ["columbia-deep-learning/index.html", "columbia-deep-learning/schedule.html",
                                  "index.html"])
def test_tab_reaches_every_control_in_order_with_visible_focus(served_reference: str, open_page: OpenPage,
                                                               path: str) -> None:
    page = open_page(at(served_reference, path))
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    expected = page.evaluate(FOCUSABLE)
    reached, unmarked = [], []
    for _ in range(len(expected)):
        described = page.evaluate("""() => {
            const e = document.activeElement, style = getComputedStyle(e);
            return [e.outerHTML.slice(0, 80), style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2];
        }""")
        reached.append(described[0])
        if not described[1]:
            unmarked.append(described[0])
        page.keyboard.press("Tab")
    assert reached == expected
    assert unmarked == []


def test_the_skip_link_moves_focus_to_the_content(served_reference: str, open_page: OpenPage) -> None:
    page = open_page(at(served_reference, "columbia-deep-learning/schedule.html"))
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    page.keyboard.press("Tab")
    first_in_main = page.evaluate("document.activeElement.closest('main') !== null")
    assert first_in_main


# ---- at a glance and the schedule, on any day ----------------------------------------------


def expected_glance(slug: str, day: dt.date) -> tuple[list[tuple[str, str]], list[str]]:
    """What the build would show at a glance on `day`: (date, topic) of sessions, deadline titles."""
    site = load_site(REPO, Report())
    assert site is not None
    course = next(c for c in site.courses if c.slug == slug)
    glance = at_a_glance(assign_dates(course.info, course.schedule), day)
    return ([(row.date.isoformat(), row.topic) for row in glance.sessions if row.date],
            [deadline.title for deadline in glance.deadlines])


@pytest.mark.parametrize(("slug", "day"), [
    ("columbia-deep-learning", "2026-08-30"),  # before the term
    ("columbia-deep-learning", "2026-09-08"),  # its first day
    ("columbia-deep-learning", "2026-10-14"),  # the build day
    ("columbia-deep-learning", "2026-11-22"),  # a Sunday, Thanksgiving week ahead
    ("columbia-deep-learning", "2026-12-20"),  # after the last session
    ("princeton-dl-theory-2026", "2026-10-17"),  # its Fall 2025 offering is archived: no glance there
])
def test_at_a_glance_is_right_on_any_day(served_reference: str, open_page: OpenPage, slug: str, day: str) -> None:
    """The script computes in the browser what the build computes for its day."""
    page = open_page(at(served_reference, f"{slug}/index.html", today=day))
    shown = page.locator(".glance-sessions li:not([hidden])").evaluate_all(
        "items => items.map(li => [li.dataset.date, li.textContent.replace(/\\s+/g, ' ')])")
    deadlines = page.locator(".glance-deadlines li:not([hidden]) strong").all_inner_texts()
    sessions, due = expected_glance(slug, dt.date.fromisoformat(day))
    assert [date for date, _ in shown] == [date for date, _ in sessions]
    for (_, text), (_, topic) in zip(shown, sessions, strict=True):
        assert topic in text
    assert deadlines == due
    empty = page.locator(".glance-sessions + .glance-empty")
    if sessions:
        expect(empty).to_be_hidden()
    else:
        expect(empty).to_have_text("No sessions this week or next.")


def test_the_schedule_marks_past_sessions_and_the_next_one(served_reference: str, open_page: OpenPage) -> None:
    page = open_page(at(served_reference, "columbia-deep-learning/schedule.html"))
    upcoming = page.locator("tr.is-next")
    expect(upcoming).to_have_count(1)
    expect(upcoming).to_have_attribute("id", "session-lecture-diffusion-models-2")
    expect(upcoming).to_have_attribute("aria-current", "date")
    expect(upcoming.locator(".next-badge")).to_be_visible()
    expect(page.locator("tr.is-next-same-day")).to_have_attribute("id", "session-notebook-diffusion-notebook")
    past = page.locator("table.schedule tr.is-past").evaluate_all("rows => rows.map(r => r.dataset.end)")
    assert past and all(end < TODAY for end in past)
    expect(page.locator("#session-review-midterm-review")).not_to_have_class(re.compile("is-past"))


def test_the_schedule_prints_as_a_table_without_site_controls(served_reference: str, open_page: OpenPage) -> None:
    page = open_page(at(served_reference, "columbia-deep-learning/schedule.html"), viewport={"width": 700, "height": 900})
    page.emulate_media(media="print")
    for hidden in ("nav.course-nav", "form.search", "button.theme-toggle", ".subscribe", ".skip-link"):
        expect(page.locator(hidden)).to_be_hidden()
    assert page.locator("#session-notebook-notebook-2-mlp-in-pytorch").evaluate("tr => getComputedStyle(tr).display") == "table-row"
    assert page.locator("tr.is-next").evaluate("tr => getComputedStyle(tr).backgroundColor") == "rgba(0, 0, 0, 0)"


# ---- announcements: "new" on any day -------------------------------------------------------


@pytest.mark.parametrize(("day", "new", "overview"), [
    # Built for 2026-10-14, when nothing is new; the script marks them for the reader's day.
    ("2024-09-05", ["Welcome to CS 111"], 3),
    ("2024-10-12", ["No classes Monday, October 14; Tuesday follows a Monday schedule"], 3),
    # The Thanksgiving note is new; the October one expired on the 16th and leaves the overview.
    ("2024-11-22", ["No labs in Thanksgiving week"], 2),
])
def test_new_marks_and_expiry_are_recomputed_for_the_readers_day(served_reference: str, open_page: OpenPage,
                                                                   day: str, new: list[str], overview: int) -> None:
    for path in ("bu-cs111-sections/index.html", "bu-cs111-sections/announcements.html"):
        page = open_page(at(served_reference, path, today=day))
        marked = page.locator(".news-item:has(.new-badge:visible) .news-title").all_inner_texts()
        assert [title.removesuffix("NEW").removesuffix("New").strip() for title in marked] == new, path
    page = open_page(at(served_reference, "bu-cs111-sections/index.html", today=day))
    expect(page.locator(".latest-news .news-item:visible")).to_have_count(overview)
    expect(page.locator(".new-badge:visible").first).to_have_text(re.compile("new", re.I))


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_announcements_with_new_marks_have_no_axe_violation(served_reference: str, open_page: OpenPage,
                                                            color_scheme: str) -> None:
    from browsing import describe_violations, run_axe

    for path in ("bu-cs111-sections/announcements.html", "bu-cs111-sections/index.html"):
        page = open_page(at(served_reference, path, today="2024-10-12"), color_scheme=color_scheme)
        expect(page.locator(".new-badge:visible")).to_have_count(1)
        assert describe_violations(run_axe(page)) == [], path
