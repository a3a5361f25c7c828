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
from pathlib import Path

import pytest

from conftest import MINIMAL_COURSE, TODAY, build
from coursesite.build import BuildOptions, build_site

PAGE = "---\ntitle: Policies\n---\nLate work loses **10%** a day. See the [schedule](schedule.html).\n"
SCHEDULE = "sessions:\n  - topic: Perceptrons\n    materials:\n      - {label: Slides, file: slides/1.pdf}\n"


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


class Builds:
    """A site of two courses, built with the cache and, for comparison, without it."""

    def __init__(self, root: Path, tmp: Path) -> None:
        self.root, self.tmp = root, tmp
        self.count = 0

    def api(self, **options: object) -> int:
        """Build with the cache through the API; the number of courses built rather than taken from it.

        The same build without the cache must give the same files and diagnostics.
        """
        options = {"today": TODAY, **options}
        result = build_site(BuildOptions(self.root, self.root / "build",
                                         cache_dir=self.root / ".coursesite-cache", **options))  # type: ignore[arg-type]
        self.count += 1
        fresh = build_site(BuildOptions(self.root, self.tmp / f"fresh-{self.count}", **options))  # type: ignore[arg-type]
        assert tree(self.root / "build") == tree(fresh.out)
        assert result.report.sorted() == fresh.report.sorted()
        return result.rendered


@pytest.fixture
def builds(site, tmp_path: Path) -> Builds:
    root = site({"courses/ml/course.yaml": MINIMAL_COURSE.replace("DL 101", "ML 201"),
                 "courses/dl/schedule.yaml": SCHEDULE,
                 "courses/dl/pages/policies.md": PAGE})
    return Builds(root, tmp_path)


def test_an_unchanged_site_is_taken_from_the_cache_and_is_the_same(builds: Builds) -> None:
    assert builds.api() == 2
    assert builds.api() == 0
    first = build(builds.root)
    second = build(builds.root)
    assert first.code == second.code == 0
    assert first.err == second.err
    assert second.out.split(" in ")[0] == first.out.split(" in ")[0] == "Built 2 courses, 6 pages"


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


@pytest.mark.parametrize("option", [{"today": dt.date(2026, 11, 3)}, {"base_url": "https://example.edu/dl/"}])
def test_another_day_or_base_url_rebuilds_every_course(builds: Builds, option: dict[str, object]) -> None:
    builds.api()
    assert builds.api(**option) == 2
    assert builds.api(**option) == 0


def test_an_output_file_changed_in_place_is_not_taken_from_the_cache(builds: Builds) -> None:
    builds.api()
    page = builds.root / "build/dl/policies.html"
    page.write_text(page.read_text().replace("Late work", "Tampered"))  # the same inode as the stored file
    assert builds.api() == 1
    assert "Tampered" not in page.read_text()


def test_a_damaged_cache_is_ignored(builds: Builds) -> None:
    builds.api()
    cache = builds.root / ".coursesite-cache"
    (cache / "site/ENTRY").write_bytes(b"not a pickle")
    (cache / "courses/dl/ENTRY").write_bytes(b"")
    for stored in (cache / "courses/ml/files").rglob("*.html"):
        stored.unlink()
    assert builds.api() == 2


def test_a_cache_that_cannot_be_written_only_costs_time(builds: Builds) -> None:
    blocked = builds.root / "not-a-folder"
    blocked.write_text("")
    result = build(builds.root, None, "--cache-dir", blocked)
    assert result.code == 0, result.err
    assert (builds.root / "build/dl/index.html").is_file()


def test_strict_still_fails_on_warnings_when_everything_is_stored(builds: Builds) -> None:
    assert build(builds.root).code == 0  # a warning: slides/1.pdf is not yet posted
    before = tree(builds.root / "build")
    strict = build(builds.root, None, "--strict")
    assert strict.code == 1
    assert any("not yet posted" in line for line in strict.lines)
    assert tree(builds.root / "build") == before


def test_an_error_is_reported_whatever_is_stored(builds: Builds) -> None:
    assert build(builds.root).code == 0
    (builds.root / "courses/dl/course.yaml").write_text(MINIMAL_COURSE.replace("title:", "tilte:"))
    result = build(builds.root)
    assert result.code == 1
    assert any("unknown field 'tilte'" in line for line in result.lines)


def test_no_cache_keeps_nothing(builds: Builds) -> None:
    assert build(builds.root, None, "--no-cache").code == 0
    assert not (builds.root / ".coursesite-cache").exists()


def test_the_cache_marks_itself_as_one(builds: Builds) -> None:
    assert build(builds.root).code == 0
    cache = builds.root / ".coursesite-cache"
    assert (cache / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (cache / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")


@pytest.mark.parametrize("where", ["build/cache", "build", "courses/cache", "."])
def test_the_cache_may_not_share_the_output_or_the_sources(builds: Builds, where: str) -> None:
    result = build(builds.root, None, "--cache-dir", builds.root / where)
    assert result.code == 2
    assert "refusing to keep the build cache" in result.err


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
