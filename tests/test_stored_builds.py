"""Builds kept between runs: a course is taken from the cache only while nothing it was made from changed.

Every test builds the same input twice: with the cache, after earlier builds filled it, and from
scratch with --no-cache. The trees and the printed diagnostics must be the same.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import MINIMAL_COURSE, TODAY, build, tree
from coursesite.build import BuildOptions, build_site

PAGE = "---\ntitle: Policies\n---\nLate work loses **10%** a day. See the [schedule](schedule.html).\n"
SCHEDULE = "sessions:\n  - topic: Perceptrons\n    materials:\n      - {label: Slides, file: slides/1.pdf}\n"


class Builds:
    """A site of two courses, built with the cache and, for comparison, without it."""

    def __init__(self, root: Path, tmp: Path) -> None:
        self.root, self.tmp = root, tmp
        self.cache = tmp / "cache"
        self.count = 0

    def api(self, **options: object) -> int:
        """Build with the cache through the API; the number of courses built rather than taken from it.

        The same build without the cache must give the same files and diagnostics, and the
        build writes nothing but its output and the cache.
        """
        options = {"today": TODAY, **options}
        before = self.elsewhere()
        result = build_site(BuildOptions(self.root, self.root / "build", cache_dir=self.cache,
                                         **options))  # type: ignore[arg-type]
        assert self.elsewhere() == before
        self.count += 1
        fresh = build_site(BuildOptions(self.root, self.tmp / f"fresh-{self.count}", **options))  # type: ignore[arg-type]
        assert tree(self.root / "build") == tree(fresh.out)
        assert result.report.sorted() == fresh.report.sorted()
        return result.rendered

    def elsewhere(self) -> dict[str, bytes]:
        """Every file around the build but its output, the cache and the builds compared with it."""
        skip = {str(self.root / "build"), str(self.cache)}
        found = {}
        for folder, folders, files in os.walk(self.tmp):
            folders[:] = [name for name in folders if os.path.join(folder, name) not in skip
                          and not (folder == str(self.tmp) and name.startswith("fresh-"))]
            for name in files:
                path = os.path.join(folder, name)
                found[path] = Path(path).read_bytes() if os.path.isfile(path) else b"(not a file)"
        return found


def two_courses(site, tmp_path: Path) -> Builds:
    root = site({"courses/ml/course.yaml": MINIMAL_COURSE.replace("DL 101", "ML 201"),
                 "courses/dl/schedule.yaml": SCHEDULE,
                 "courses/dl/pages/policies.md": PAGE})
    return Builds(root, tmp_path)


@pytest.fixture
def builds(site, tmp_path: Path) -> Builds:
    return two_courses(site, tmp_path)


def test_an_unchanged_site_is_taken_from_the_cache_and_is_the_same(builds: Builds) -> None:
    assert builds.api() == 2
    assert builds.api() == 0
    first = build(builds.root)
    second = build(builds.root)
    assert first.code == second.code == 0
    assert first.err == second.err
    assert second.out.split(" in ")[0] == first.out.split(" in ")[0] == "Built 2 courses, 10 pages"


@pytest.mark.parametrize(("what", "edit", "rebuilt"), [
    ("a course's YAML", lambda root: (root / "courses/dl/course.yaml").write_text(
        MINIMAL_COURSE.replace("Room 101", "Room 202")), 1),
    ("a Markdown page", lambda root: (root / "courses/dl/pages/policies.md").write_text(
        PAGE.replace("10%", "20%")), 1),
    ("a file a page links to appears", lambda root: (
        (root / "courses/dl/slides").mkdir(), (root / "courses/dl/slides/1.pdf").write_bytes(b"%PDF")), 1),
    ("a new course", lambda root: (
        (root / "courses/cv").mkdir(), (root / "courses/cv/course.yaml").write_text(MINIMAL_COURSE)), 1),
    ("a course removed", lambda root: shutil.rmtree(root / "courses/ml"), 0),
    ("a template overridden", lambda root: (
        (root / "templates").mkdir(),
        (root / "templates/page.html").write_text('{% extends "course_base.html" %}{% block content %}'
                                                  '<p>custom</p>{% endblock %}')), 2),
    ("site.yaml", lambda root: (root / "site.yaml").write_text("title: Department of Data\n"), 2),
    ("a static file", lambda root: (
        (root / "static").mkdir(), (root / "static/logo.svg").write_text("<svg/>")), 2),
])
def test_each_kind_of_change_rebuilds_what_it_touches(builds: Builds, what: str, edit, rebuilt: int) -> None:
    builds.api()
    edit(builds.root)
    assert builds.api() == rebuilt, what
    assert builds.api() == 0


def test_another_base_url_rebuilds_every_course(builds: Builds) -> None:
    builds.api()
    assert builds.api(base_url="https://example.edu/dl/") == 2
    assert builds.api(base_url="https://example.edu/dl/") == 0


def test_another_day_rebuilds_a_course_only_when_something_in_it_is_dated_in_between(builds: Builds) -> None:
    builds.api()  # 10-14: dl's one session was on 09-08, the term ends on 12-18
    assert builds.api(today=dt.date(2026, 10, 15)) == 0
    assert builds.api(today=dt.date(2026, 12, 1)) == 0
    assert builds.api(today=dt.date(2026, 9, 8)) == 2  # the term's first day, dl's session
    assert builds.api(today=dt.date(2026, 9, 8)) == 0
    assert builds.api(today=dt.date(2026, 10, 15)) == 2  # the entries are for 09-08 now


@pytest.mark.parametrize("tampered", ["Tampered", "Late wor!"])  # another size, the same size
def test_an_output_file_changed_in_place_is_not_taken_from_the_cache(builds: Builds, tampered: str) -> None:
    builds.api()
    page = builds.root / "build/dl/policies.html"
    with page.open("r+") as file:  # in place: the stored file is the same file
        text = file.read().replace("Late work", tampered)
        file.seek(0)
        file.write(text)
        file.truncate()
    assert builds.api() == 1
    assert tampered not in page.read_text()


def test_a_cache_restored_with_other_file_times_is_used(builds: Builds) -> None:
    """As when CI restores the cache from an archive that keeps whole seconds only."""
    builds.api()
    for stored in (builds.cache / "courses").rglob("*"):
        if stored.is_file():
            status = stored.stat()
            os.utime(stored, ns=(status.st_atime_ns, status.st_mtime_ns // 10**9 * 10**9 - 1))
    assert builds.api() == 0


def test_a_cache_that_cannot_be_written_only_costs_time(builds: Builds) -> None:
    builds.cache.mkdir()
    (builds.cache / "CACHEDIR.TAG").write_text("Signature: 8a477f597d28d172789f06886806bc55\n")
    (builds.cache / "courses").write_text("")  # where the course entries would go
    assert builds.api() == 2
    assert builds.api() == 2


def test_strict_still_fails_on_warnings_when_everything_is_stored(builds: Builds, monkeypatch) -> None:
    monkeypatch.chdir(builds.root)
    assert build(builds.root).code == 0  # a warning: slides/1.pdf is not yet posted
    before = tree(builds.root / "build")
    strict = build(builds.root, None, "--strict")
    assert strict.code == 1
    assert strict.lines == ["courses/dl/schedule.yaml:4:31: warning[not-yet-posted]: file 'slides/1.pdf' does not exist yet; "
                            "the site shows it as not yet posted; add the file when it is ready, or add not-yet-posted to strict_allows in site.yaml",
                            "1 problem must be fixed (a warning, which --strict counts); nothing was written."]
    assert tree(builds.root / "build") == before


def test_an_error_is_reported_whatever_is_stored(builds: Builds, monkeypatch) -> None:
    monkeypatch.chdir(builds.root)
    assert build(builds.root).code == 0
    (builds.root / "courses/dl/course.yaml").write_text(MINIMAL_COURSE.replace("title:", "tilte:"))
    result = build(builds.root)
    assert result.code == 1
    assert result.lines[0] == ("courses/dl/course.yaml:2:1: error: unknown field 'tilte' "
                               "(did you mean 'title'?)")


def test_the_cache_is_kept_outside_the_site_and_no_cache_keeps_none(builds: Builds, build_cache_home: Path) -> None:
    before = set(build_cache_home.glob("coursesite/*"))
    assert build(builds.root, None, "--no-cache").code == 0
    assert set(build_cache_home.glob("coursesite/*")) == before
    assert build(builds.root).code == 0
    [cache] = set(build_cache_home.glob("coursesite/*")) - before
    assert cache.name.startswith("site-")
    assert (cache / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")
    assert sorted(p.name for p in builds.root.iterdir()) == ["build", "courses"]


@pytest.mark.parametrize(("where", "message"), [
    ("build", "it is the output folder"),
    ("build/cache", "it is inside the output folder"),
    (".", "it is or contains the site folder"),
    ("..", "it is or contains the site folder"),
    ("courses/cache", "it is inside the site folder; keep it out of what is committed"),
    ("../notes", "it is not empty and was not made by coursesite"),
    ("../notes/todo.txt", "it is a file"),
])
def test_the_cache_may_not_mix_with_the_sources_the_output_or_other_files(builds: Builds, where: str,
                                                                          message: str) -> None:
    notes = builds.root.parent / "notes"
    notes.mkdir()
    (notes / "todo.txt").write_text("keep me")
    result = build(builds.root, None, "--cache-dir", builds.root / where)
    assert result.code == 2
    assert result.lines == [f"coursesite: error: refusing to keep the build cache in {builds.root / where}: "
                            f"{message}"]
    assert (notes / "todo.txt").read_text() == "keep me"
    assert (builds.root / "courses/dl/course.yaml").is_file()


def test_links_to_folders_and_linked_html_count_as_input(builds: Builds, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    (shared / "partials").mkdir(parents=True)
    theme = Path(__file__).resolve().parents[1] / "templates"
    for partial in (theme / "partials").iterdir():
        shutil.copy(partial, shared / "partials" / partial.name)
    (builds.root / "templates").mkdir()
    (builds.root / "templates/partials").symlink_to(shared / "partials")
    (builds.root / "courses/dl/notes").mkdir()
    (builds.root / "courses/dl/notes/a.html").write_text('<main data-pagefind-body><p>Perceptrons</p></main>')
    (builds.root / "courses/dl/pages/policies.md").write_text(PAGE + "\nThe [notes](../notes/a.html).\n")
    builds.api()
    for partial in (shared / "partials").iterdir():
        partial.write_text(partial.read_text() + "\n<!-- shared -->\n")
    assert builds.api() == 2  # a template changed through the link
    (builds.root / "courses/dl/notes/a.html").write_text('<main data-pagefind-body><p>Gradients</p></main>')
    assert builds.api() == 1  # what the search index reads changed


def test_processes_take_courses_from_the_cache_too(builds: Builds) -> None:
    for name in ("a", "b", "c", "d"):
        (builds.root / "courses" / name).mkdir()
        (builds.root / "courses" / name / "course.yaml").write_text(MINIMAL_COURSE)
    assert builds.api(jobs=2) == 6
    (builds.root / "courses/b/course.yaml").write_text(MINIMAL_COURSE.replace("Room 101", "Room 9"))
    assert builds.api(jobs=2) == 1


def test_a_build_with_nothing_changed_imports_no_model_or_renderer(builds: Builds) -> None:
    """What makes it fast: nothing is loaded, validated or rendered."""
    assert build(builds.root).code == 0
    script = ("import sys; from coursesite.cli import main; "
              f"code = main(['build', {str(builds.root)!r}, '--today', {TODAY.isoformat()!r}]); "
              "print(code, sorted(m for m in ('pydantic', 'jinja2', 'markdown', 'icalendar', 'yaml') "
              "if m in sys.modules))")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    assert run.stdout.splitlines()[-1] == "0 []"


@pytest.mark.parametrize(("site_yaml", "logs"), [("change_log: {commits: 0}\n", 0), ("change_log:\n  commits: 0\n", 0),
                                                 ("change_log: {commits: 5}\n", 1), ("", 1)])
def test_git_log_runs_once_per_build_and_not_at_all_without_a_change_log(
        builds: Builds, monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory,
        site_yaml: str, logs: int) -> None:
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    (builds.root / "site.yaml").write_text(site_yaml)
    for command in (["init", "-q"], ["add", "-A"], ["-c", "user.name=T", "-c", "user.email=t@example.edu",
                                                     "commit", "-q", "-m", "Courses"]):
        subprocess.run([git, "-C", str(builds.root), *command], check=True, capture_output=True)
    builds.api()
    spy = tmp_path_factory.mktemp("spy")
    (spy / "git").write_text(f"#!/bin/sh\necho \"$*\" >> '{spy / 'calls'}'\nexec '{git}' \"$@\"\n")
    (spy / "git").chmod(0o755)
    monkeypatch.setenv("PATH", f"{spy}{os.pathsep}{os.environ['PATH']}")
    result = build_site(BuildOptions(builds.root, builds.root / "build", today=TODAY, cache_dir=builds.cache))
    assert result.rendered == 0
    calls = (spy / "calls").read_text().splitlines() if (spy / "calls").exists() else []
    assert sum(" log " in f" {call} " for call in calls) == logs  # two courses, one log
    assert calls if logs else not calls


def test_the_search_index_is_taken_from_the_cache_while_the_pages_it_reads_are_the_same(
        builds: Builds, monkeypatch: pytest.MonkeyPatch) -> None:
    from coursesite import search

    runs: list[Path] = []
    real = search.index_part  # a run of Pagefind (the site is small: one part)
    monkeypatch.setattr(search, "index_part", lambda folder, *rest: (runs.append(folder), real(folder, *rest))[1])
    builds.api()
    assert len(runs) == 2  # the cached build and the one without the cache it is compared with
    builds.api()
    assert len(runs) == 3  # not the cached build: nothing it indexes changed
    (builds.root / "courses/dl/pages/policies.md").write_text(PAGE.replace("10%", "20%"))
    assert builds.api() == 1
    assert len(runs) == 5  # Pagefind indexes the course's part again (it cannot replace one course's pages)
    for stored in (builds.cache / "search/0/files/pagefind/0").rglob("*.pf_fragment"):
        stored.write_bytes(b"damaged")
        break
    builds.api()  # a damaged entry is indexed again, and gives the same files as a build without the cache
    assert len(runs) == 7
    builds.api()
    assert len(runs) == 8



def test_a_build_without_the_pdf_takes_its_courses_from_the_cache_on_a_new_day(builds: Builds) -> None:
    """--no-pdf (the dev server's builds, the benchmarks) keeps entries of its own: they are used too."""
    builds.api(pdf=False)
    assert builds.api(pdf=False, today=dt.date(2026, 10, 15)) == 0
    (builds.root / "courses/dl/pages/policies.md").write_text(PAGE.replace("10%", "20%"))
    assert builds.api(pdf=False, today=dt.date(2026, 10, 16)) == 1

def test_a_page_edited_on_a_new_day_is_built_in_another_process_while_the_rest_is_linked(
        builds: Builds, monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """The edited course is built beside the courses taken from the cache, not after them; the
    output is that of a build from scratch (Builds.api compares)."""
    from coursesite import parallel

    log = tmp_path_factory.mktemp("builders") / "built"  # outside what Builds.api watches
    real = parallel.build_course

    def build_course(folder: Path, job: object) -> object:
        with log.open("a") as file:  # by the process that builds the course
            file.write(f"{folder.name} {os.getpid()}\n")
        return real(folder, job)  # type: ignore[arg-type]

    monkeypatch.setattr(parallel, "build_course", build_course)
    builds.api()
    log.unlink()
    (builds.root / "courses/dl/pages/policies.md").write_text(PAGE.replace("10%", "20%"))
    assert builds.api(today=dt.date(2026, 10, 15)) == 1
    cached_build = log.read_text().splitlines()[0]  # then the build from scratch, in this process
    assert cached_build.split()[0] == "dl" and int(cached_build.split()[1]) != os.getpid()


def test_a_fresh_checkout_the_next_day_takes_every_course_from_the_cache(builds: Builds) -> None:
    """A scheduled CI build: the cache restored as the day before left it, the sources checked out
    again, so that every file is newer than anything stored. What is taken is decided by digests."""
    builds.api()
    later = time.time_ns() + 3600 * 10**9
    for folder, folders, names in os.walk(builds.root):
        folders[:] = [name for name in folders if name != "build"]
        for name in names:
            os.utime(os.path.join(folder, name), ns=(later, later))
    assert builds.api(today=dt.date(2026, 10, 15)) == 0
    assert builds.api(today=dt.date(2026, 10, 16)) == 0
