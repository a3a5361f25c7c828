"""The five reference courses build, and every fact of each seed page is on its site."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import parse, visible_text
from reference_facts import FACTS, SCHEDULE_DATES

PAGES = [(slug, page, fact) for slug, pages in FACTS.items() for page, facts in pages.items()
         for fact in facts]


@pytest.mark.parametrize(("slug", "page", "fact"), PAGES,
                         ids=[f"{s}/{p}:{f[:30]}" for s, p, f in PAGES])
def test_fact_is_shown_on_its_page(reference_build: Path, slug: str, page: str, fact: str) -> None:
    text = visible_text(parse(reference_build / slug / page))
    assert re.sub(r"\s+", " ", fact) in text


@pytest.mark.parametrize("slug", sorted(SCHEDULE_DATES))
def test_schedule_shows_the_seed_dates(reference_build: Path, slug: str) -> None:
    soup = parse(reference_build / slug / "schedule.html")
    shown = {t["datetime"][:10] for t in soup.select("table.schedule time[datetime]")}
    assert set(SCHEDULE_DATES[slug]) <= shown


def test_catalog_lists_every_course_newest_term_first(reference_build: Path) -> None:
    soup = parse(reference_build / "index.html")
    terms = [h.get_text(strip=True) for h in soup.select("main h2")]
    # Princeton's Fall 2025 offering is archived: listed under its Fall 2026 offering (test_offerings.py).
    assert terms == ["Fall 2026", "Automne 2025", "Fall 2024", "Fall 2023", "پاییز ۱۴۰۲", "Spring A 2023",
                     "Fall 2022", "Spring 2022"]
    links = [a["href"] for a in soup.select("main .course-list > li > a")]
    # not a seed page: tests/test_example_sections.py; translations of two: tests/test_i18n.py
    examples = ["bu-cs111-sections", "princeton-dl-theory-2026", "princeton-dl-theory-fr", "sharif-deep-learning-fa"]
    shown = [slug for slug in FACTS if slug != "princeton-dl-theory"]
    assert sorted(links) == sorted(f"{slug}/index.html" for slug in [*shown, *examples])


def test_every_page_has_the_same_course_navigation(reference_build: Path) -> None:
    for slug in FACTS:
        pages = sorted((reference_build / slug).glob("*.html"))
        navs = {tuple(a.get_text(strip=True) for a in parse(p).select("nav.course-nav a"))
                for p in pages}
        assert len(navs) == 1, slug
        (nav,) = navs
        assert len(nav) == len(pages) - 2  # all but the week page and the syllabus, linked from the overview


def test_every_internal_link_and_anchor_resolves(reference_build: Path) -> None:
    """Opened from file://, every relative link must land on a file (and its anchor)."""
    broken = []
    for page in sorted(reference_build.rglob("*.html")):
        soup = parse(page)
        for element in soup.select("[href], [src]"):
            url = element.get("href") or element.get("src")
            parts = urlsplit(url)
            if parts.scheme or url.startswith("//"):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if not target.is_file():
                broken.append(f"{page.relative_to(reference_build)} -> {url}")
            elif parts.fragment and target.suffix == ".html" and \
                    parse(target).find(id=parts.fragment) is None:
                broken.append(f"{page.relative_to(reference_build)} -> {url} (no anchor)")
    assert broken == []


def test_materials_not_in_our_hands_show_as_not_yet_posted(reference_build: Path) -> None:
    soup = parse(reference_build / "columbia-deep-learning" / "schedule.html")
    row = soup.find("th", string=re.compile("Perceptrons")).find_parent("tr")
    materials = row.select_one("td.materials")
    assert materials.find("a") is None
    assert "not yet posted" in materials.get_text()


def test_seed_mistakes_are_kept_and_warned_about() -> None:
    from conftest import REPO, run_cli

    result = run_cli("check", REPO)
    assert result.code == 0
    assert re.search(r"courses/columbia-deep-learning/schedule\.yaml:\d+:\d+: warning\[weekday-mismatch\]: "
                     r"2026-10-15 is a Thursday, not a Tuesday", result.err)
    weekend = [line for line in result.lines if "princeton-dl-theory/schedule.yaml" in line
               and ("Saturday" in line or "Sunday" in line)]
    assert len(weekend) == 5


def test_strict_fails_on_the_seed_mistakes_unless_the_site_allows_them(tmp_path: Path) -> None:
    import shutil

    from conftest import REPO, run_cli

    assert run_cli("check", REPO, "--strict").code == 0  # site.yaml allows the seeds' warnings
    shutil.copytree(REPO / "courses", tmp_path / "courses")
    result = run_cli("check", tmp_path, "--strict")
    assert result.code == 1
    assert result.lines[-1].endswith("problems must be fixed (all warnings, which --strict counts); nothing was written.")
