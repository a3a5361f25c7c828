"""The search index made part by part while the courses build (search_as_built.py) is the index
made at the end over the finished output: the same parts, byte for byte."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import MINIMAL_COURSE, build, tree
from coursesite import search
from test_search_index import fragments

NOTES = '<!DOCTYPE html><html lang="en"><head><title>Notes</title></head>' \
        '<body><main data-pagefind-body><p>Quokkanomics, a word no other page has.</p></main></body></html>\n'


@pytest.fixture
def parted(site, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Eight courses in parts of about two, one of them linking to an HTML file of its folder."""
    monkeypatch.setattr(search, "SHARD_COURSES", 2)
    files = {f"courses/c{n}/course.yaml": MINIMAL_COURSE.replace("DL 101", f"C {n}") for n in range(7)}
    files["courses/c4/pages/about.md"] = "# About\n\nThe [lecture notes](../notes.html) are online.\n"
    files["courses/c4/notes.html"] = NOTES
    return site(files)


def indexed_at_the_end(out: Path, tmp_path: Path) -> dict[str, bytes]:
    """The index of `out`'s pages as a build made it before: one part after the other, at the end."""
    copy = tmp_path / "indexed-at-the-end"
    shutil.copytree(out, copy)
    search.index_site(copy)
    return tree(copy / "pagefind")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_each_part_made_while_building_is_the_part_made_at_the_end(parted: Path, tmp_path: Path, jobs: str) -> None:
    out = tmp_path / "out"
    assert build(parted, out, "--no-cache", "--jobs", jobs).code == 0
    made = tree(out / "pagefind")
    assert len([name for name in made if name.endswith("/pagefind-entry.json")]) > 1  # several parts
    # The linked HTML file is copied before its part is indexed, as it was at the end.
    assert (out / "c4/files/notes.html").read_text() == NOTES
    assert [page["url"] for part in (out / "pagefind").iterdir() if part.is_dir()
            for page in fragments(part) if "Quokkanomics" in page["content"]] == ["/c4/files/notes.html"]
    assert made == indexed_at_the_end(out, tmp_path)


def test_a_first_build_with_a_cache_stores_the_parts_it_made_while_building(parted: Path, tmp_path: Path) -> None:
    out, cache, again = tmp_path / "out", tmp_path / "cache", tmp_path / "again"
    assert build(parted, out, "--cache-dir", cache).code == 0
    assert tree(out / "pagefind") == indexed_at_the_end(out, tmp_path)
    assert build(parted, again, "--cache-dir", cache).code == 0  # every part taken from the cache
    assert tree(again / "pagefind") == tree(out / "pagefind")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_build_that_fails_after_parts_were_indexed_leaves_nothing_behind(parted: Path, tmp_path: Path,
                                                                           jobs: str) -> None:
    out = tmp_path / "out"
    assert build(parted, out, "--no-cache").code == 0
    before = tree(out)
    last = search.shard_courses([f"c{n}" for n in range(7)] + ["dl"])
    slug = max(last.items(), key=lambda item: int(item[0]))[1][-1]  # built last: its part is last
    course = parted / "courses" / slug / "course.yaml"
    course.write_text(course.read_text() + "tpoic: oops\n")
    result = build(parted, out, "--no-cache", "--jobs", jobs)
    assert result.code == 1 and "unknown field 'tpoic'" in result.err
    assert tree(out) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out", "site"]
