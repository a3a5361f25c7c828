"""Standards, with zero tolerance: axe-core (WCAG 2.1 A/AA) and the Nu HTML Checker on every page.

The tools come from the npm registry into node_modules/ (`make test` installs them); Java runs
the Nu HTML Checker. Each checker is also shown a page with known faults, so a checker that
silently checks nothing fails here.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page

from browsing import AXE_SCRIPT, PHONE, TODAY, VNU_JAR, describe_violations, run_axe, run_vnu, site_pages

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
    assert len(pages) == 38  # with each course's week page and syllabus
    result = run_vnu(pages)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_the_nu_html_checker_does_report_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.html"
    bad.write_text("<!DOCTYPE html><html lang=en><title>x</title><table><tr><td>1</td></tr></table>"
                   '<a href="#">x</a><div><li>loose item</li></div></html>')
    result = run_vnu([bad])
    assert result.returncode == 1
    assert "error: Element “li” not allowed as child of element “div”" in result.stderr
