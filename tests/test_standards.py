"""Standards, with zero tolerance: axe-core (WCAG 2.1 A/AA) and the Nu HTML Checker on every page.

The tools come from the npm registry into node_modules/ (`make test` installs them); Java runs
the Nu HTML Checker. Each checker is also shown a page with known faults, so a checker that
silently checks nothing fails here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page

from browsing import AXE_SCRIPT, PHONE, TODAY, VNU_JAR, describe_violations, run_axe, run_vnu, serving, site_pages
from conftest import REPO, run_cli

OpenPage = Callable[..., Page]


def test_the_checkers_are_installed() -> None:
    assert AXE_SCRIPT.is_file(), "run `make test`: it installs axe-core into node_modules/"
    assert VNU_JAR.is_file(), "run `make test`: it installs vnu-jar into node_modules/"


# ---- axe-core ------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize(("color_scheme", "viewport"), [("light", None), ("dark", None), ("light", PHONE)],
                         ids=["light", "dark", "phone"])
def test_axe_finds_no_wcag_violation_on_any_page(served_reference: str, reference_build: Path,
                                                 open_page: OpenPage, color_scheme: str,
                                                 viewport: dict[str, int] | None) -> None:
    page = open_page(f"{served_reference}index.html?today={TODAY}", color_scheme=color_scheme, viewport=viewport)
    found = {}
    for path in site_pages(reference_build):
        page.goto(f"{served_reference}{path}?today={TODAY}")
        violations = run_axe(page)
        if violations:
            found[path] = describe_violations(violations)
    assert found == {}


# Days a reader may open the site on, across the one reference term they span (Columbia, Fall 2026:
# classes from 2026-09-08, Thanksgiving on 2026-11-26, the last class on 2026-12-17). Rows turn
# past, next and holiday-past on these days, in colours the 2026-10-14 build never shows.
DAYS = {"before-the-term": "2026-08-20", "first-week": "2026-09-10", "holiday-week": "2026-11-27",
        "last-week": "2026-12-16", "after-the-term": "2027-01-15"}
VIEWS = {"light": ("light", None), "dark": ("dark", None), "phone": ("light", PHONE)}


@pytest.fixture(scope="module")
def day_builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The reference courses built for each day, side by side in one folder."""
    root = tmp_path_factory.mktemp("days")
    for day in DAYS.values():
        result = run_cli("build", REPO, "--out", root / day, "--no-cache", "--today", day)
        assert result.code == 0, result.err
    return {day: root / day for day in DAYS.values()}


@pytest.fixture(scope="module")
def date_dependent_pages(day_builds: dict[str, Path]) -> list[str]:
    """The pages that look different from day to day: built differently, or with dated rows that
    site.js marks past or next on some of the days. The others are checked on every page above."""
    def content(build: Path, path: str) -> bytes:
        return re.sub(rb' data-today="[^"]*"', b"", (build / path).read_bytes())

    def dated_within_the_days(build: Path, path: str) -> bool:
        dates = re.findall(r'datetime="(\d{4}-\d{2}-\d{2})', (build / path).read_text(encoding="utf-8"))
        return any(min(DAYS.values()) <= date <= max(DAYS.values()) for date in dates)

    first, *others = day_builds.values()
    pages = [path for path in site_pages(first)
             if dated_within_the_days(first, path) or any(content(first, path) != content(other, path)
                                                          for other in others)]
    assert {"columbia-deep-learning/index.html", "columbia-deep-learning/schedule.html"} <= set(pages)
    return pages


@pytest.fixture(scope="module")
def served_days(day_builds: dict[str, Path]) -> Iterator[dict[str, str]]:
    (root,) = {build.parent for build in day_builds.values()}
    with serving(root) as base:
        yield {day: f"{base}{day}/" for day in day_builds}


@pytest.mark.browser
@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("day", DAYS)
def test_axe_finds_no_wcag_violation_on_any_day(served_days: dict[str, str], date_dependent_pages: list[str],
                                                open_page: OpenPage, day: str, view: str) -> None:
    color_scheme, viewport = VIEWS[view]
    base, today = served_days[DAYS[day]], DAYS[day]
    page = open_page(f"{base}index.html?today={today}", color_scheme=color_scheme, viewport=viewport)
    found = {}
    for path in date_dependent_pages:
        page.goto(f"{base}{path}?today={today}")
        violations = run_axe(page)
        if violations:
            found[path] = describe_violations(violations)
    assert found == {}


@pytest.mark.browser
@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_axe_finds_no_violation_in_search_results(served_reference: str, open_page: OpenPage,
                                                  color_scheme: str) -> None:
    page = open_page(f"{served_reference}index.html?today={TODAY}", color_scheme=color_scheme)
    page.locator("#search-input").fill("learning")
    page.locator(".search-hit").first.wait_for()
    assert describe_violations(run_axe(page)) == []


@pytest.mark.browser
def test_axe_does_report_violations(open_page: OpenPage) -> None:
    page = open_page("about:blank")
    page.set_content('<html><body><img src="data:,"><p style="color:#ccc;background:#fff">faint</p></body></html>')
    assert {"image-alt", "color-contrast", "html-has-lang"} <= {v["id"] for v in run_axe(page)}


# ---- the Nu HTML Checker -------------------------------------------------------------------


def test_the_nu_html_checker_finds_no_error_on_any_page(reference_build: Path) -> None:
    pages = [reference_build / path for path in site_pages(reference_build)]
    assert len(pages) == 54  # with the stable page of Princeton's offerings, each course's week page and syllabus
    result = run_vnu(pages)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_the_nu_html_checker_does_report_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><html lang=en><title>x</title><table><tr><td>1</td></tr></table>"
                   '<a href="#">x</a><div><li>loose item</li></div></html>')
    result = run_vnu([bad])
    assert result.returncode == 1
    assert "error: Element “li” not allowed as child of element “div”" in result.stderr
