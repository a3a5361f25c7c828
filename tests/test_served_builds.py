"""The dev server's builds over the build cache (served_builds.py): after any sequence of edits, made
while it serves or while it was stopped, its output is `coursesite build --no-pdf`'s, byte for byte;
a save redoes its own course only; a second start takes every unchanged course from the disk; a
damaged cache changes nothing in the output."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import MINIMAL_COURSE, TODAY, tree
from coursesite.build import BuildOptions, BuildResult, build_site
from coursesite.serve import LiveSite
from coursesite.theme import theme_folder

SCHEDULE = """\
sessions:
  - topic: Perceptrons
  - topic: Backpropagation
    notes: Read *chapter 6* first.
assignments:
  - {id: hw1, title: Homework 1, due: "2026-09-22 23:59", points: 15}
"""
POLICIES = "---\ntitle: Course policies\n---\nLate work is **not** accepted.\n"


class Served:
    """A dev server's builds of one site, each compared with a full build of the same input."""

    def __init__(self, root: Path, tmp: Path) -> None:
        self.root, self.tmp, self.cache = root, tmp, tmp / "cache"
        self.count = 0
        self.live: LiveSite | None = None

    def start(self) -> BuildResult:
        """Start a server (after stopping the one before): its first build."""
        self.stop()
        self.count += 1
        self.live = LiveSite(self.root, self.tmp / f"served-{self.count}" / "site", self.cache, today=TODAY)
        return self._checked(self.live.rebuild())

    def stop(self) -> None:
        if self.live is not None:
            self.live.search.cancel()
            self.live.builds.wait_stored()

    def save(self, name: str, text: str | None) -> BuildResult:
        """Write (None: delete) one file, and rebuild as the watcher reports it."""
        path = self.root / name
        if text is None:
            shutil.rmtree(path) if path.is_dir() else path.unlink()
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        assert self.live is not None
        return self._checked(self.live.rebuild([path]))

    def _checked(self, outcome) -> BuildResult:  # type: ignore[no-untyped-def]
        assert outcome.result is not None, outcome.problems
        assert self.live is not None
        self.live.search.wait()
        self.count += 1
        full = build_site(BuildOptions(self.root, self.tmp / f"full-{self.count}", today=TODAY, pdf=False))
        assert tree(self.live.out) == tree(full.out)
        assert [d.format() for d in outcome.result.report.sorted()] == [d.format() for d in full.report.sorted()]
        return outcome.result


@pytest.fixture
def served(site, tmp_path: Path) -> Served:
    root = site({"courses/dl/schedule.yaml": SCHEDULE, "courses/dl/pages/policies.md": POLICIES,
                 "courses/ml/course.yaml": MINIMAL_COURSE.replace("Deep Learning", "Machine Learning")})
    made = Served(root, tmp_path)
    assert made.start().rendered == 2
    yield made
    made.stop()


def test_each_save_redoes_its_course_only_and_gives_the_full_build(served: Served) -> None:
    assert served.save("courses/dl/schedule.yaml", SCHEDULE.replace("Backpropagation", "Backprop")).rendered == 1
    assert served.save("courses/ml/pages/project.md", "# The project\n\nBuild something.\n").rendered == 1
    # What the catalog shows of a course, and a new course, and one gone.
    assert served.save("courses/ml/course.yaml", MINIMAL_COURSE.replace("Deep Learning", "Learning")).rendered == 1
    assert served.save("courses/rl/course.yaml", MINIMAL_COURSE.replace("Deep Learning", "RL")).rendered == 1
    result = served.save("courses/ml", None)
    assert result.rendered == 0 and "ml/index.html" in result.changed
    served.save("static/style.css", "body { color: teal; }\n")  # a new name in static/: every course again
    assert served.save("static/style.css", "body { color: navy; }\n").rendered == 0
    base = (theme_folder() / "templates/base.html").read_text()
    assert served.save("templates/base.html", base.replace("Built with coursesite.", "Made with care.")).rendered == 2
    # A save that changes no page.
    assert served.save("courses/dl/notes.txt", "not a page\n").changed == ()


def test_a_broken_save_changes_nothing_until_it_is_fixed(served: Served) -> None:
    assert served.live is not None
    before = tree(served.live.out)
    (served.root / "courses/dl/schedule.yaml").write_text(SCHEDULE.replace("  - topic: Perceptrons", "  - tpoic: X"))
    outcome = served.live.rebuild([served.root / "courses/dl/schedule.yaml"])
    assert outcome.failed and any("tpoic" in line for line in outcome.problems)
    assert tree(served.live.out) == before
    # Only the course fixed is built again, and nothing is taken again from the disk.
    result = served.save("courses/dl/schedule.yaml", SCHEDULE.replace("Perceptrons", "Fixed"))
    assert (result.rendered, sorted({path.split("/")[0] for path in result.changed})) == (1, ["dl"])


def test_a_second_start_takes_the_unchanged_courses_from_the_disk(served: Served, monkeypatch) -> None:
    import coursesite.served_builds as served_builds

    monkeypatch.setattr(served_builds, "RESTORE_IN_THREADS", 1)  # as for a large site
    served.stop()
    # Edited while the server was stopped: the disk cache has the old course, which must not be served.
    (served.root / "courses/dl/schedule.yaml").write_text(SCHEDULE.replace("Perceptrons", "Hopfield networks"))
    assert served.start().rendered == 1
    assert served.start().rendered == 0
    # The first saves after a warm start: a schedule, then what the catalog shows (read from the disk).
    assert served.save("courses/ml/schedule.yaml", SCHEDULE).rendered == 1
    assert served.save("courses/dl/course.yaml", MINIMAL_COURSE.replace("Deep Learning", "Deeper")).rendered == 1


def test_a_save_reads_only_the_folder_it_names(served: Served, monkeypatch) -> None:
    import coursesite.fingerprints as fingerprints

    digested: list[str] = []
    real = fingerprints.folder_fingerprint
    monkeypatch.setattr(fingerprints, "folder_fingerprint",
                        lambda folder, sources=None: digested.append(folder.name) or real(folder, sources))
    served.save("courses/dl/schedule.yaml", SCHEDULE.replace("Perceptrons", "Hebbian learning"))
    assert digested == ["dl"]
    # A change no event reported is found by a build told that anything may have changed...
    (served.root / "courses/ml/schedule.yaml").write_text(SCHEDULE)
    assert served.live is not None
    assert served._checked(served.live.rebuild()).rendered == 1
    # ...and by the look the server takes at every course folder while no event comes.
    (served.root / "courses/dl/schedule.yaml").write_text(SCHEDULE.replace("Perceptrons", "Missed"))
    assert served.live.builds.audit(lambda: False) == [served.root / "courses/dl"]
    assert served._checked(served.live.rebuild([])).rendered == 1
    assert served.live.builds.audit(lambda: False) == []
    (served.root / "courses/rl").mkdir()
    (served.root / "courses/rl/course.yaml").write_text(MINIMAL_COURSE.replace("Deep Learning", "RL"))
    assert served.live.builds.audit(lambda: False) == [served.root / "courses"]
    assert served._checked(served.live.rebuild([])).rendered == 1


def test_a_damaged_cache_changes_nothing(served: Served) -> None:
    served.stop()
    entries = served.cache / "courses-no-pdf"
    (entries / "dl/files/dl/index.html").write_text("<script>alert(1)</script>")
    (entries / "ml/summary.json").write_text("{not json")
    entry = json.loads((entries / "ml/entry.json").read_text())
    entry["manifest"][0][0] = "../../outside.html"
    (entries / "ml/entry.json").write_text(json.dumps(entry))
    assert served.start().rendered == 2  # both courses built again, not taken
    served.stop()
    (entries / "ml/summary.json").write_text("{not json")
    assert served.start().rendered == 0
    # The catalog made again with a course whose stored summary cannot be read.
    assert served.save("courses/dl/course.yaml", MINIMAL_COURSE.replace("Deep Learning", "Deeper")).rendered == 1


def test_a_course_that_mentions_offerings_in_a_comment_is_not_an_offering(served: Served) -> None:
    """`coursesite new` writes `# offering_of: ...` in course.yaml: the course depends on no other."""
    commented = MINIMAL_COURSE + "# offering_of: dl-course      # offerings of one course\n"
    served.save("courses/ml/course.yaml", commented.replace("Deep Learning", "Machine Learning"))
    served.save("courses/dl/course.yaml", commented)
    assert served.save("courses/dl/schedule.yaml", SCHEDULE.replace("Perceptrons", "Boltzmann")).rendered == 1


def test_a_cache_folder_build_would_refuse_only_means_serving_without_it(site, tmp_path: Path) -> None:
    """`coursesite build` refuses a cache folder it did not make (exit 2); the dev server, which
    needs no cache, builds without it, leaves it as it was, and says why."""
    root = site({"courses/dl/schedule.yaml": SCHEDULE})
    foreign = tmp_path / "not-a-cache"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    live = LiveSite(root, tmp_path / "served" / "site", foreign, today=TODAY)
    outcome = live.rebuild()
    live.search.cancel()
    assert outcome.result is not None, outcome.problems
    assert (live.out / "dl/index.html").is_file()
    assert live.builds.cache_refused and "not-a-cache" in live.builds.cache_refused
    assert sorted(p.name for p in foreign.iterdir()) == ["notes.txt"]
