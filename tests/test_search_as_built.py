"""The search index made part by part while the courses build (search_as_built.py) is the index
made at the end over the finished output: the same parts, byte for byte."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
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


def test_parts_are_indexed_while_the_other_courses_are_still_to_build(parted: Path, tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The point of it: Pagefind starts on the first part before the last course is written, and
    nothing is indexed again at the end."""
    seen: list[int] = []  # courses in the staging folder when each part's Pagefind run starts
    real = search.index_part
    monkeypatch.setattr(search, "index_part", lambda folder, bundle, courses, *rest: (
        seen.append(len(search.built_courses(folder))), real(folder, bundle, courses, *rest))[1])
    monkeypatch.setattr(search, "index_site", lambda *args: pytest.fail("indexed again at the end"))
    assert build(parted, tmp_path / "out", "--no-cache", "--jobs", "1").code == 0
    assert len(seen) > 1 and seen[0] < 8


STOPPED_BUILD = """
import sys, time
import coursesite.build as build
from coursesite import search

search.SHARD_COURSES = 2
loaded = build.load_and_check_course

def slow(folder):
    if folder.name == sys.argv[-1]:
        time.sleep(600)
    return loaded(folder)

build.load_and_check_course = slow
from coursesite.cli import run
sys.argv = sys.argv[:-1]
run()
"""


def test_a_build_ended_by_sigterm_stops_pagefind_and_leaves_nothing(parted: Path, tmp_path: Path) -> None:
    """A CI job's timeout sends SIGTERM: the build ends as after Ctrl-C, no Pagefind run left
    writing into a staging folder, the previous output as it was."""
    out = tmp_path / "out"
    assert build(parted, out, "--no-cache").code == 0
    before = tree(out)
    plan = search.shard_courses([f"c{n}" for n in range(7)] + ["dl"])
    last = max(plan.items(), key=lambda item: int(item[0]))[1][-1]
    process = subprocess.Popen([sys.executable, "-c", STOPPED_BUILD, "build", str(parted), "--out", str(out),
                                "--no-cache", "--jobs", "1", "--today", "2026-10-14", last],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 120
        while not list(tmp_path.glob(".out.building-*/pagefind/0/pagefind.js")):  # a part indexed while building
            assert process.poll() is None and time.monotonic() < deadline, process.stderr.read() if process.stderr else ""
            time.sleep(0.05)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 128 + signal.SIGTERM
    finally:
        process.kill()
    assert "Traceback" not in (process.stderr.read() if process.stderr else "")
    assert tree(out) == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out", "site"]


def test_parts_taken_from_the_cache_are_found_by_the_building_thread(parted: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A new day restores every course: its parts are looked up at the end, in the building
    thread (a thread digesting pages only holds it back); an edited course's part is indexed
    by Pagefind in the search thread, and the result is the index a cold build makes."""
    import threading

    from coursesite import search_cache

    out, cache = tmp_path / "out", tmp_path / "cache"
    assert build(parted, out, "--cache-dir", cache).code == 0
    looked_up: list[str] = []
    indexed: list[str] = []
    real_key, real_index = search_cache.pages_key, search.index_part
    monkeypatch.setattr(search_cache, "pages_key", lambda *args, **kwargs: (
        looked_up.append(threading.current_thread().name), real_key(*args, **kwargs))[1])
    monkeypatch.setattr(search, "index_part", lambda *args: (
        indexed.append(threading.current_thread().name), real_index(*args))[1])
    assert build(parted, out, "--cache-dir", cache, "--today", "2026-10-15").code == 0
    assert looked_up and set(looked_up) == {"MainThread"} and indexed == []
    page = parted / "courses/c4/pages/about.md"
    page.write_text(page.read_text() + "\nEdited.\n")
    looked_up.clear()
    assert build(parted, out, "--cache-dir", cache, "--today", "2026-10-16").code == 0
    assert indexed == ["search-parts"] and looked_up.count("search-parts") == 1
    fresh = tmp_path / "fresh"
    assert build(parted, fresh, "--no-cache", "--today", "2026-10-16").code == 0
    assert tree(fresh / "pagefind") == tree(out / "pagefind")
