"""The default theme's structure on every page: landmarks, headings, tables, offline, size budget."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from browsing import site_pages
from conftest import parse

BUDGET_BYTES = 60 * 1024  # CSS plus JavaScript of our own per page, the search index aside


def pages(build: Path) -> list[tuple[str, Path]]:
    return [(path, build / path) for path in site_pages(build)]


def test_every_page_has_a_skip_link_and_landmarks(reference_build: Path) -> None:
    for name, page in pages(reference_build):
        soup = parse(page)
        first_link = soup.body.find("a")
        assert first_link is not None and "skip-link" in first_link["class"], name
        assert first_link["href"] == "#main"
        main = soup.select("main")
        assert len(main) == 1 and main[0]["id"] == "main", name
        assert len(soup.select("body > header")) == 1, name
        assert len(soup.select("body > footer")) == 1, name
        if "/" in name:  # a course page
            if soup.html["lang"] == "en":  # the translated examples: tests/test_catalogs.py
                assert soup.select_one("nav.course-nav")["aria-label"] == "Course"
            # The week page and the syllabus are linked from the overview, not the navigation.
            current = 0 if name.endswith(("/week.html", "/syllabus.html")) else 1
            assert len(soup.select('nav.course-nav a[aria-current="page"]')) == current


def test_headings_start_at_one_h1_and_never_skip_a_level(reference_build: Path) -> None:
    for name, page in pages(reference_build):
        main = parse(page).select_one("main")
        levels = [int(h.name[1]) for h in main.find_all(re.compile(r"^h[1-6]$"))]
        assert levels[0] == 1 and levels.count(1) == 1, name
        skips = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
        assert skips == [], name


def test_tables_have_header_cells_with_scope(reference_build: Path) -> None:
    tables = 0
    for name, page in pages(reference_build):
        for table in parse(page).select("main table"):
            tables += 1
            header = table.select("thead th")
            assert header and all(th.get("scope") == "col" for th in header), name
            for row in table.select("tbody tr"):
                row_headers = row.find_all("th", recursive=False)
                assert len(row_headers) == 1 and row_headers[0]["scope"] == "row", name
    assert tables >= 5


def test_no_page_asks_for_anything_from_another_site(reference_build: Path) -> None:
    """Fonts, styles, scripts and images all come with the site: it works offline."""
    outside = []
    for name, page in pages(reference_build):
        soup = parse(page)
        for element in soup.select("link[href], script[src], img[src], iframe[src], source[src], video[src]"):
            url = element.get("href") or element.get("src")
            if element.name == "link" and element.get("rel") == ["canonical"]:
                continue
            if urlsplit(url).scheme not in ("", "data"):
                outside.append(f"{name}: {url}")
    for sheet in (reference_build / "static").rglob("*.css"):
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", sheet.read_text()):
            if urlsplit(url).scheme not in ("", "data"):
                outside.append(f"{sheet.name}: {url}")
        assert "@import" not in sheet.read_text()
    assert outside == []


def test_our_css_and_javascript_stay_under_the_budget_on_every_page(reference_build: Path) -> None:
    for name, page in pages(reference_build):
        soup = parse(page)
        total = 0
        for element in soup.select('link[rel="stylesheet"], script[src]'):
            url = element.get("href") or element.get("src")
            total += (page.parent / url).stat().st_size
        total += sum(len(tag.get_text().encode()) for tag in soup.select("script:not([src]), style"))
        assert total < BUDGET_BYTES, f"{name}: {total} bytes"


@pytest.mark.parametrize("cell", ["materials", "due"])
def test_empty_schedule_cells_are_empty(reference_build: Path, cell: str) -> None:
    """On phones a cell is a labelled line; an empty one must be :empty to be left out."""
    soup = parse(reference_build / "columbia-deep-learning" / "schedule.html")
    cells = soup.select(f"table.schedule td.{cell}")
    assert cells
    blank = [td for td in cells if not td.get_text(strip=True) and not td.find(True)]
    assert blank, "the reference schedule has empty cells of this kind"
    assert all(td.contents == [] for td in blank)
