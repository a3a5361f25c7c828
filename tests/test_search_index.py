"""The search index: built by `coursesite build`, scoped per course, deterministic, atomic."""

from __future__ import annotations

import gzip
import json
import stat
from pathlib import Path

import pytest

from conftest import REPO, TODAY, build, parse, run_cli, tree
from coursesite import search


def fragments(bundle: Path) -> list[dict]:
    """The pages a Pagefind index holds, decoded from its compressed fragment files."""
    pages = []
    for path in sorted((bundle / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        pages.append(json.loads(data[len(b"pagefind_dcd"):]))
    return pages


def test_each_course_has_an_index_of_its_own_pages(reference_build: Path) -> None:
    slugs = sorted(p.parent.name for p in reference_build.glob("*/schedule.html"))  # not the stable page's folder
    assert len(slugs) == 10
    assert not (reference_build / "pagefind").exists()
    for slug in slugs:
        indexed = fragments(reference_build / slug / "pagefind")
        # The syllabus repeats the other pages: it is left out of the index.
        pages = sorted(p.name for p in (reference_build / slug).glob("*.html") if p.name != "syllabus.html")
        # URLs are relative to the course folder: the course's index is served from there.
        assert sorted(page["url"].lstrip("/") for page in indexed) == pages
        course_title = parse(reference_build / slug / "index.html").select_one(".course-title a")
        assert {page["meta"]["course"] for page in indexed} == {course_title.get_text()}


def test_the_index_holds_page_text_but_not_navigation_or_the_dated_glance(reference_build: Path) -> None:
    indexed = fragments(reference_build / "columbia-deep-learning" / "pagefind")
    (overview,) = [p for p in indexed if p["url"] == "/index.html"]
    assert "This is a first course in Deep Learning" in overview["content"]
    assert "At a glance" not in overview["content"]
    assert "Skip to content" not in overview["content"]
    assert "Policies" not in overview["content"]  # a navigation link, not page text


def test_schedule_rows_are_anchors_results_can_link_to(reference_build: Path) -> None:
    indexed = fragments(reference_build / "columbia-deep-learning" / "pagefind")
    (schedule,) = [p for p in indexed if p["url"] == "/schedule.html"]
    soup = parse(reference_build / "columbia-deep-learning" / "schedule.html")
    rows = [tr["id"] for tr in soup.select("table.schedule tbody tr")]
    assert [a["id"] for a in schedule["anchors"] if a["element"] == "tr"] == rows
    assert "Next" not in schedule["content"].split()  # the script's badge is not page text


def test_only_the_search_files_the_theme_uses_are_published(reference_build: Path) -> None:
    bundle = reference_build / "harvard-cs229br" / "pagefind"
    assert (bundle / "pagefind.js").is_file()
    assert (bundle / "pagefind-entry.json").is_file()
    assert list(bundle.glob("wasm.*.pagefind"))
    for name in search.UNUSED_FILES:
        assert not (bundle / name).exists()
    assert not (bundle / "playground").exists()


def test_every_page_has_a_search_box_for_its_course_and_the_catalog_for_all(reference_build: Path) -> None:
    slugs = sorted(p.parent.name for p in reference_build.glob("*/schedule.html"))
    for page in sorted(reference_build.rglob("*.html")):
        relative = page.relative_to(reference_build).as_posix()
        soup = parse(page)
        form = soup.select_one("header form.search[role=search]")
        assert form is not None, relative
        label = soup.find("label", attrs={"for": "search-input"})
        assert label is not None and soup.find(id="search-input").name == "input"
        slug = relative.split("/")[0] if "/" in relative else ""
        # The course's stable address searches its current offering (offerings.py).
        slug = {"princeton-dl-theory-current": "princeton-dl-theory-2026"}.get(slug, slug)
        assert form["data-course"] == slug
        if slug.endswith(("-fr", "-fa")):  # the translated examples: tests/test_catalogs.py
            continue
        assert label.get_text() == ("Search this course" if slug else "Search all courses")
        scripts = [(page.parent / script).resolve() for script in form["data-pagefind"].split()]
        expected = [slug] if slug else slugs
        assert sorted(scripts) == [(reference_build / s / "pagefind" / "pagefind.js").resolve() for s in expected]


def test_two_builds_are_byte_identical_search_index_included(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    for out in (first, second):
        assert run_cli("build", REPO, "--out", out, "--today", TODAY.isoformat()).code == 0
    one, two = tree(first), tree(second)
    assert [name for name in one if "/pagefind/fragment/" in name]
    assert one.keys() == two.keys()
    assert [name for name in one if one[name] != two[name]] == []


def test_a_failed_index_leaves_the_previous_build_alone(site, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    root = site()
    out = tmp_path / "out"
    assert build(root, out).code == 0
    before = tree(out)
    broken = tmp_path / "pagefind"
    broken.write_text("#!/bin/sh\necho 'Error: the disk is full' >&2\nexit 1\n")
    broken.chmod(broken.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setattr(search, "pagefind_executable", lambda: broken)
    result = build(root, out, "--no-cache")  # with it, the unchanged course would not be indexed again
    assert result.code == 2
    assert result.lines == ["coursesite: error: could not build the search index: "
                            "dl: pagefind said: Error: the disk is full"]
    assert tree(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")] == []


def test_a_site_without_courses_still_builds(site, tmp_path: Path) -> None:
    root = site(minimal=False)
    (root / "courses").mkdir()
    result = build(root, tmp_path / "out")
    assert result.code == 0, result.err
    catalog = parse(tmp_path / "out" / "index.html")
    assert catalog.select_one("form.search") is None  # nothing to search
