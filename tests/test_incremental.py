"""Incremental builds (what the dev server runs after each save) give the full build's bytes,
and rebuild only what an edit touches; template mistakes are reported at their line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import MINIMAL_COURSE, TODAY, build, run_cli, tree
from coursesite.build import BuildOptions, build_site
from coursesite.errors import InputError
from coursesite.fingerprints import folder_fingerprint
from coursesite.incremental import BuildCache
from coursesite.theme import theme_folder

SCHEDULE = """\
sessions:
  - topic: Perceptrons
    materials: [{label: Slides, file: slides/perceptrons.pdf}]
  - topic: Backpropagation
    notes: Read *chapter 6* first.
assignments:
  - {id: hw1, title: Homework 1, due: "2026-09-22 23:59", points: 15}
"""
READINGS = "groups:\n  - title: Book\n    items:\n      - {id: ch6, title: Chapter 6, url: 'https://example.org/ch6'}\n"
POLICIES = "---\ntitle: Course policies\n---\nLate work is **not** accepted.\n"


class Builds:
    """One site built twice after every edit: incrementally with one cache, and from scratch."""

    def __init__(self, root: Path, tmp: Path) -> None:
        self.root, self.tmp, self.cache = root, tmp, BuildCache()
        self.today = TODAY
        self.count = 0

    def both(self) -> list[str]:
        """Build both ways, check they are byte-identical, return the courses rendered again."""
        self.count += 1
        incremental = build_site(BuildOptions(self.root, self.tmp / "incremental", today=self.today), self.cache)
        full = build_site(BuildOptions(self.root, self.tmp / f"full-{self.count}", today=self.today))
        assert tree(incremental.out) == tree(full.out)
        assert [d.format() for d in incremental.report.sorted()] == [d.format() for d in full.report.sorted()]
        return sorted(self.cache.rendered)

    def write(self, name: str, text: str) -> None:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


@pytest.fixture
def builds(site, tmp_path: Path) -> Builds:
    root = site({"courses/dl/schedule.yaml": SCHEDULE, "courses/dl/readings.yaml": READINGS,
                 "courses/dl/pages/policies.md": POLICIES,
                 "courses/ml/course.yaml": MINIMAL_COURSE.replace("Deep Learning", "Machine Learning")})
    made = Builds(root, tmp_path)
    assert made.both() == ["dl", "ml"]
    return made


def test_an_unchanged_site_renders_nothing_again(builds: Builds) -> None:
    assert builds.both() == []


def test_editing_one_course_rebuilds_that_course_only(builds: Builds) -> None:
    builds.write("courses/dl/schedule.yaml", SCHEDULE.replace("Backpropagation", "Backprop, again"))
    assert builds.both() == ["dl"]
    builds.write("courses/ml/pages/project.md", "# The project\n\nBuild something.\n")
    assert builds.both() == ["ml"]
    builds.write("courses/dl/pages/policies.md", POLICIES.replace("not", "gladly"))
    assert builds.both() == ["dl"]


def test_a_linked_file_appearing_rebuilds_its_course(builds: Builds) -> None:
    (builds.root / "courses/dl/slides").mkdir()
    (builds.root / "courses/dl/slides/perceptrons.pdf").write_bytes(b"%PDF-1.4 slides")
    assert builds.both() == ["dl"]
    (builds.root / "courses/dl/slides/perceptrons.pdf").write_bytes(b"%PDF-1.4 new slides")
    assert builds.both() == []  # the pages only say the file exists; it is copied anew


def test_static_files_are_copied_without_rendering(builds: Builds) -> None:
    builds.write("static/style.css", "body { color: rebeccapurple; }\n")
    assert builds.both() == []
    builds.write("static/style.css", "body { color: teal; }\n")
    assert builds.both() == []


@pytest.mark.pdf
def test_a_stylesheet_change_renders_courses_again_only_for_their_pdf(builds: Builds) -> None:
    """syllabus.pdf is laid out with the stylesheets: a change makes it, and its course, again."""
    builds.write("static/style.css", "body { color: rebeccapurple; }\n")
    assert builds.both() == ["dl", "ml"]
    assert (builds.tmp / "incremental" / "dl" / "syllabus.pdf").is_file()


def test_a_template_change_rebuilds_what_uses_it(builds: Builds) -> None:
    catalog = (theme_folder() / "templates/catalog.html").read_text()
    builds.write("templates/catalog.html", catalog.replace("{% block main %}", "{% block main %}<p>Welcome!</p>"))
    assert builds.both() == []  # only the catalog uses it, and the catalog is always rendered
    base = (theme_folder() / "templates/base.html").read_text()
    builds.write("templates/base.html", base.replace("Built with coursesite.", "Made with care."))
    assert builds.both() == ["dl", "ml"]
    (builds.root / "templates/base.html").unlink()
    assert builds.both() == ["dl", "ml"]


def test_site_settings_and_the_day_rebuild_every_course(builds: Builds) -> None:
    builds.write("site.yaml", "title: Our courses\n")
    assert builds.both() == ["dl", "ml"]
    builds.today = TODAY + dt.timedelta(days=1)
    assert builds.both() == ["dl", "ml"]


def test_courses_come_and_go(builds: Builds) -> None:
    builds.write("courses/rl/course.yaml", MINIMAL_COURSE.replace("Deep Learning", "Reinforcement Learning"))
    assert builds.both() == ["rl"]
    for path in sorted((builds.root / "courses/ml").rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    (builds.root / "courses/ml").rmdir()
    assert builds.both() == []


def test_a_broken_edit_then_its_fix(builds: Builds) -> None:
    builds.write("courses/dl/schedule.yaml", SCHEDULE.replace("  - topic: Backpropagation", "  - tpoic: Backpropagation"))
    with pytest.raises(InputError):
        build_site(BuildOptions(builds.root, builds.tmp / "incremental", today=builds.today), builds.cache)
    builds.write("courses/dl/schedule.yaml", SCHEDULE.replace("Backpropagation", "Backpropagation, fixed"))
    assert builds.both() == ["dl"]


def test_fingerprint_follows_sources_and_names_not_other_bytes(tmp_path: Path) -> None:
    course = tmp_path / "dl"
    (course / "slides").mkdir(parents=True)
    (course / "course.yaml").write_text("title: A\n")
    (course / "slides/a.pdf").write_bytes(b"one")
    first = folder_fingerprint(course)
    (course / "slides/a.pdf").write_bytes(b"two")
    assert folder_fingerprint(course) == first
    (course / "course.yaml").write_text("title: B\n")
    second = folder_fingerprint(course)
    assert second != first
    (course / "slides/b.pdf").write_bytes(b"")
    assert folder_fingerprint(course) != second


# ---- template mistakes are input errors at their line, never a traceback ---------------------


@pytest.mark.parametrize(("template", "expected"), [
    ("{% extends 'base.html' %}\n{% block main %}\n{% if %}\n{% endblock %}\n",
     "templates/links.html:3:1: error: template error: Expected an expression, got 'end of statement block'"),
    ("{% extends 'base.html' %}\n{% block main %}\n<p>{{ course.nickname }}</p>\n{% endblock %}\n",
     "templates/links.html:3:1: error: template error: 'coursesite.site.Course object' has no attribute 'nickname'"),
])
def test_template_mistakes_are_reported_at_their_line(site, monkeypatch, template: str, expected: str) -> None:
    root = site({"courses/dl/links.yaml": "groups:\n  - title: G\n    items: [{title: X, url: 'https://x.org'}]\n",
                 "templates/links.html": template})
    monkeypatch.chdir(root)
    result = build(root)
    assert result.code == 1
    assert "Traceback" not in result.err
    assert result.lines == [expected, "1 problem must be fixed; nothing was written."]
    assert not (root / "build").exists()


def test_check_reports_every_course_with_the_full_build(site, monkeypatch) -> None:
    """Loading course by course still reports every problem of every course in one run."""
    root = site({"courses/dl/schedule.yaml": "sessions:\n  - tpoic: A\n",
                 "courses/ml/course.yaml": MINIMAL_COURSE,
                 "courses/ml/schedule.yaml": "sessions:\n  - topic: A\n    readings: [ch9]\n"})
    monkeypatch.chdir(root)
    result = run_cli("check", root)
    assert result.code == 1
    assert result.lines == [
        "courses/dl/schedule.yaml:2:5: error: unknown field 'tpoic' in sessions[0] (did you mean 'topic'?)",
        "courses/ml/schedule.yaml:3:16: error: reading 'ch9' is not in readings.yaml",
        "2 problems must be fixed; nothing was written."]


def test_sources_are_read_again_only_when_they_may_have_changed(tmp_path: Path, monkeypatch) -> None:
    import coursesite.fingerprints as fingerprints

    reads: list[str] = []
    real_read = fingerprints._read
    monkeypatch.setattr(fingerprints, "_read", lambda path: reads.append(path) or real_read(path))
    source = tmp_path / "course.yaml"
    source.write_text("title: A\n")
    digests = fingerprints.SourceDigests()
    first = digests.digest(str(source))
    assert digests.digest(str(source)) == first
    assert len(reads) == 2  # just written: its times may not move on the next write, so read again

    monkeypatch.setattr(fingerprints.SourceDigests, "SETTLED_NS", -10**12)  # as if written long ago
    digests = fingerprints.SourceDigests()
    digests.digest(str(source))
    digests.digest(str(source))
    assert len(reads) == 3  # settled and unchanged: not read again
    source.write_text("title: B\n")  # same size, new bytes
    assert digests.digest(str(source)) != first
    assert len(reads) == 4


def test_the_site_is_indexed_again_only_when_its_pages_changed(builds: Builds, monkeypatch) -> None:
    from coursesite import search

    indexed: list[str] = []
    real = search.index_site

    def counting(folder: Path) -> None:
        indexed.append(folder.name)
        real(folder)

    monkeypatch.setattr(search, "index_site", counting)
    builds.write("courses/dl/schedule.yaml", SCHEDULE.replace("Backpropagation", "Backprop, again"))
    assert builds.both() == ["dl"]  # and the whole tree, search index included, equals a full build
    assert len(indexed) == 2  # Pagefind indexes a whole site: the dev server's build and the full one
    builds.write("courses/dl/notes.txt", "not a page\n")  # no page changes
    builds.both()
    assert len(indexed) == 3  # the full build only: the dev server kept its index
