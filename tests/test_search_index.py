"""The search index: one per site, built by `coursesite build`, filtered by course, deterministic, atomic."""

from __future__ import annotations

import gzip
import json
import shutil
import stat
from pathlib import Path

import pytest

from conftest import MINIMAL_COURSE, REPO, TODAY, build, parse, run_cli, tree
from coursesite import search


def fragments(bundle: Path) -> list[dict]:
    """The pages a Pagefind index holds, decoded from its compressed fragment files."""
    pages = []
    for path in sorted((bundle / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        pages.append(json.loads(data[len(b"pagefind_dcd"):]))
    return pages


def test_one_index_holds_every_courses_pages_each_filtered_by_its_course(reference_build: Path) -> None:
    slugs = sorted(p.parent.name for p in reference_build.glob("*/schedule.html"))  # not the stable page's folder
    assert len(slugs) == 10
    assert not list(reference_build.glob("*/pagefind"))  # no course has an index of its own
    indexed = fragments(reference_build / "pagefind" / "0")  # one part: the site is small
    # The syllabus repeats the other pages: it is left out of the index.
    pages = sorted(p.relative_to(reference_build).as_posix() for slug in slugs for p in (reference_build / slug).glob("*.html")
                   if p.name != "syllabus.html")
    # URLs are relative to the site's root, where the index is served from; neither the catalog
    # nor the stable address (a copy of the current offering's overview) is indexed.
    assert sorted(page["url"].lstrip("/") for page in indexed) == pages
    for slug in slugs:
        course_pages = [page for page in indexed if page["url"].startswith(f"/{slug}/")]
        assert {tuple(page["filters"]["course"]) for page in course_pages} == {(slug,)}
        course_title = parse(reference_build / slug / "index.html").select_one(".course-title a")
        assert {page["meta"]["course"] for page in course_pages} == {course_title.get_text()}


def test_the_index_has_a_part_per_language_each_with_its_courses_filter(reference_build: Path) -> None:
    entry = json.loads((reference_build / "pagefind" / "0" / "pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["en", "fa", "fr"]  # the Persian and the French examples
    for language in entry["languages"]:
        (filter_file,) = (reference_build / "pagefind" / "0" / "filter").glob(f"{language}_*.pf_filter")
        data = gzip.decompress(filter_file.read_bytes())
        languages = {p.parent.name: parse(p).html["lang"] for p in reference_build.glob("*/schedule.html")}
        assert {slug for slug in languages if cbor_text(slug) in data} == {
            slug for slug, lang in languages.items() if lang == language}


def cbor_text(text: str) -> bytes:
    """`text` as a CBOR text string (Pagefind's filter files are CBOR), so a slug is not found inside another."""
    data = text.encode()
    return (bytes([0x60 + len(data)]) if len(data) < 24 else bytes([0x78, len(data)])) + data


def test_the_index_holds_page_text_but_not_navigation_or_the_dated_glance(reference_build: Path) -> None:
    indexed = fragments(reference_build / "pagefind" / "0")
    (overview,) = [p for p in indexed if p["url"] == "/columbia-deep-learning/index.html"]
    assert "This is a first course in Deep Learning" in overview["content"]
    assert "At a glance" not in overview["content"]
    assert "Skip to content" not in overview["content"]
    assert "Policies" not in overview["content"]  # a navigation link, not page text


def test_schedule_rows_are_anchors_results_can_link_to(reference_build: Path) -> None:
    indexed = fragments(reference_build / "pagefind" / "0")
    (schedule,) = [p for p in indexed if p["url"] == "/columbia-deep-learning/schedule.html"]
    soup = parse(reference_build / "columbia-deep-learning" / "schedule.html")
    rows = [tr["id"] for tr in soup.select("table.schedule tbody tr")]
    assert [a["id"] for a in schedule["anchors"] if a["element"] == "tr"] == rows
    assert "Next" not in schedule["content"].split()  # the script's badge is not page text


def test_only_the_search_files_the_theme_uses_are_published(reference_build: Path) -> None:
    bundle = reference_build / "pagefind" / "0"
    assert sorted(p.name for p in bundle.parent.iterdir()) == ["0", "parts.json"]
    assert (bundle / "pagefind.js").is_file()
    assert (bundle / "pagefind-entry.json").is_file()
    assert list(bundle.glob("wasm.*.pagefind"))
    for name in search.UNUSED_FILES:
        assert not (bundle / name).exists()
    assert not (bundle / "playground").exists()


def test_every_page_has_a_search_box_for_its_course_and_the_catalog_for_all(reference_build: Path) -> None:
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
        assert (page.parent / form["data-pagefind"]).resolve() == reference_build / "pagefind" / "parts.json"


def test_two_builds_are_byte_identical_search_index_included(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    for out in (first, second):
        assert run_cli("build", REPO, "--out", out, "--today", TODAY.isoformat()).code == 0
    one, two = tree(first), tree(second)
    assert [name for name in one if name.startswith("pagefind/0/fragment/")]
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
                            "pagefind said: Error: the disk is full"]
    assert tree(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.")] == []


def test_a_site_without_courses_still_builds(site, tmp_path: Path) -> None:
    root = site(minimal=False)
    (root / "courses").mkdir()
    result = build(root, tmp_path / "out")
    assert result.code == 0, result.err
    catalog = parse(tmp_path / "out" / "index.html")
    assert catalog.select_one("form.search") is None  # nothing to search


def test_a_large_site_is_indexed_in_parts_each_course_in_one(site, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Pagefind holds what it indexes in memory: a large site is indexed a part at a time."""
    monkeypatch.setattr(search, "SHARD_COURSES", 2)
    root = site({f"courses/c{n}/course.yaml": MINIMAL_COURSE.replace("DL 101", f"C {n}") for n in range(7)})
    out = tmp_path / "out"
    assert build(root, out, "--no-cache").code == 0
    parts = json.loads((out / "pagefind" / "parts.json").read_text())
    assert len(parts["parts"]) > 1 and sorted(parts["courses"]) == [*(f"c{n}" for n in range(7)), "dl"]
    for part in parts["parts"]:
        courses = {page["url"].split("/")[1] for page in fragments(out / "pagefind" / part)}
        assert courses == {slug for slug, where in parts["courses"].items() if where == part}
    again = tmp_path / "again"
    assert build(root, again, "--no-cache").code == 0
    assert tree(again / "pagefind") == tree(out / "pagefind")


def test_an_edit_indexes_again_only_the_part_that_holds_the_course(site, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "SHARD_COURSES", 2)
    root = site({f"courses/c{n}/course.yaml": MINIMAL_COURSE.replace("DL 101", f"C {n}") for n in range(7)})
    out, cache = tmp_path / "out", tmp_path / "cache"
    runs: list[list[str]] = []
    real = search.index_part
    monkeypatch.setattr(search, "index_part", lambda folder, bundle, courses, *rest: (
        runs.append(courses), real(folder, bundle, courses, *rest))[1])
    assert build(root, out, "--cache-dir", cache).code == 0
    parts = json.loads((out / "pagefind" / "parts.json").read_text())
    assert len(runs) == len(parts["parts"]) > 1
    (root / "courses/c3/course.yaml").write_text(MINIMAL_COURSE.replace("DL 101", "C 3, edited"))
    runs.clear()
    assert build(root, out, "--cache-dir", cache).code == 0
    assert runs == [[slug for slug, part in parts["courses"].items() if part == parts["courses"]["c3"]]]
    fresh = tmp_path / "fresh"
    assert build(root, fresh, "--no-cache").code == 0
    assert tree(fresh / "pagefind") == tree(out / "pagefind")


def test_a_site_that_shrank_leaves_no_stored_part_of_its_index_behind(site, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "SHARD_COURSES", 2)
    root = site({f"courses/c{n}/course.yaml": MINIMAL_COURSE.replace("DL 101", f"C {n}") for n in range(7)})
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert build(root, out, "--cache-dir", cache).code == 0
    assert len(list((cache / "search").iterdir())) == 4
    for n in range(7):
        shutil.rmtree(root / f"courses/c{n}")
    assert build(root, out, "--cache-dir", cache).code == 0
    parts = json.loads((out / "pagefind" / "parts.json").read_text())["parts"]
    assert sorted(stored.name for stored in (cache / "search").iterdir()) == parts == ["0"]
