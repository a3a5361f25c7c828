"""A build split across processes writes the same files and reports the same problems as one process."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import MINIMAL_COURSE, REPO, build, run_cli


def tree(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file and folder under `folder`: permission bits and bytes."""
    found = {}
    for path in sorted(folder.rglob("*")):
        mode = path.stat().st_mode & 0o777
        found[path.relative_to(folder).as_posix()] = (mode, b"" if path.is_dir() else path.read_bytes())
    return found


@pytest.fixture(scope="module")
def many_courses(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The reference courses, each three times under other names: enough for several tasks per process."""
    root = tmp_path_factory.mktemp("many")
    shutil.copy(REPO / "site.yaml", root / "site.yaml")
    for folder in sorted((REPO / "courses").iterdir()):
        for copy in ("", "-b", "-c"):
            shutil.copytree(folder, root / "courses" / f"{folder.name}{copy}")
    return root


@pytest.mark.parametrize("jobs", ["2", "3"])
def test_processes_build_the_same_tree_as_one(many_courses: Path, tmp_path: Path, jobs: str) -> None:
    one = build(many_courses, tmp_path / "one", "--jobs", "1", "--no-cache")
    several = build(many_courses, tmp_path / "several", "--jobs", jobs, "--no-cache")
    assert one.code == several.code == 0, several.err
    assert several.out.replace("several", "one").split(" in ")[0] == one.out.split(" in ")[0]
    assert several.err == one.err
    assert sum(name.endswith(".html") for name in tree(tmp_path / "one")) == 3 * 52 + 2  # 52 pages per copy (a week page and a syllabus per course), the catalog, and the stable page of the Princeton offerings
    assert tree(tmp_path / "several") == tree(tmp_path / "one")
    assert not [name for name in os.listdir(tmp_path) if name.startswith(".")]  # no staging folder left


def test_a_process_keeps_no_course_it_has_built(site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker of a large site builds hundreds of courses: none may stay in memory once its files
    are written (a view of each kept them all: 250 MB a worker at 1,000 courses)."""
    import gc

    from coursesite import parallel
    from coursesite.site import Course

    root = site({f"courses/c{n}/course.yaml": MINIMAL_COURSE.replace("DL 101", f"C {n}") for n in range(4)})
    alive: list[int] = []
    real = parallel.build_course

    def build_course(folder: Path, job: object) -> object:
        outcome = real(folder, job)  # type: ignore[arg-type]
        gc.collect()
        alive.append(sum(isinstance(thing, Course) for thing in gc.get_objects()))
        return outcome

    monkeypatch.setattr(parallel, "build_course", build_course)
    assert run_cli("build", root, "--out", tmp_path / "out", "--jobs", "1", "--no-cache").code == 0
    assert len(alive) == 5 and max(alive) == 0


def test_an_error_in_one_course_writes_nothing_and_is_reported_as_by_one_process(site, tmp_path: Path,
                                                                                  monkeypatch) -> None:
    root = site({"courses/ml/course.yaml": MINIMAL_COURSE,
                 "courses/ml/schedule.yaml": "sessions:\n  - topic: A\n    readings: [ch9]\n",
                 "courses/zz/course.yaml": MINIMAL_COURSE})
    monkeypatch.chdir(root)
    assert build(root, tmp_path / "out", "--jobs", "1", "--no-cache").code == 1
    previous = build(site({"courses/ml/schedule.yaml": "sessions:\n  - topic: A\n"}), tmp_path / "out")
    assert previous.code == 0
    before = tree(tmp_path / "out")
    (root / "courses/ml/schedule.yaml").write_text("sessions:\n  - topic: A\n    readings: [ch9]\n")
    one = build(root, tmp_path / "out", "--jobs", "1", "--no-cache")
    several = build(root, tmp_path / "out", "--jobs", "2", "--no-cache")
    assert several.code == one.code == 1
    assert several.lines == one.lines == [
        "courses/ml/schedule.yaml:3:16: error: reading 'ch9' is not in readings.yaml",
        "1 problem must be fixed; nothing was written."]
    assert tree(tmp_path / "out") == before
    assert sorted(os.listdir(tmp_path)) == ["out", "site"]


def test_a_template_mistake_is_reported_once(site, tmp_path: Path, monkeypatch) -> None:
    root = site({"courses/ml/course.yaml": MINIMAL_COURSE,
                 "templates/schedule.html": "{% extends 'base.html' %}\n{% block main %}\n"
                                            "{{ course.nickname }}\n{% endblock %}\n"})
    monkeypatch.chdir(root)
    one = build(root, tmp_path / "one", "--jobs", "1", "--no-cache")
    several = build(root, tmp_path / "several", "--jobs", "2", "--no-cache")
    assert several.code == one.code == 1
    assert several.lines == one.lines == [
        "templates/schedule.html:3:1: error: template error: 'coursesite.site.Course object' has no "
        "attribute 'nickname'", "1 problem must be fixed; nothing was written."]
    assert sorted(os.listdir(tmp_path)) == ["site"]


@pytest.mark.parametrize("value", ["0", "-1", "two"])
def test_jobs_must_be_a_positive_number(site, value: str) -> None:
    result = run_cli("build", site(), "--jobs", value)
    assert result.code == 2
    assert f"argument --jobs: '{value}' is not a number of processes (1 or more)" in result.err


# A build whose courses take ten minutes each: its workers are busy when the parent is killed.
SLOW_BUILD = """
import sys, time
import coursesite.build as build

loaded = build.load_and_check_course

def slow(folder):
    time.sleep(600)
    return loaded(folder)

build.load_and_check_course = slow
from coursesite.cli import main
sys.exit(main(sys.argv[1:]))
"""


def children(parent: int) -> set[int]:
    """The processes whose parent is `parent`, from /proc."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
                found.add(int(entry))
    return found


def alive(pid: int) -> bool:
    """Whether `pid` still runs (a zombie, dead but not yet reaped by its new parent, does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except OSError:
        return False


def wait_until(condition: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + 30  # generous: the machine is shared; no timing is asserted
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


WHO_BUILDS = """
import os, sys
import coursesite.build as build

loaded = build.load_and_check_course

def noted(folder):
    with open(sys.argv[-1], "a") as notes:
        notes.write(f"{os.getpid()} {folder.name}\\n")
    return loaded(folder)

build.load_and_check_course = noted
from coursesite.cli import main
sys.exit(main(sys.argv[1:-1]))
"""


def test_the_building_process_builds_courses_beside_its_workers(many_courses: Path, tmp_path: Path) -> None:
    """`--jobs 2` is this process and one worker, not two workers and an idle parent: a process's
    memory fewer while the search index is made beside them (search_as_built.py)."""
    notes = tmp_path / "who-built-what"
    parent = subprocess.Popen([sys.executable, "-c", WHO_BUILDS, "build", str(many_courses), "--out",
                               str(tmp_path / "out"), "--jobs", "2", "--no-cache", str(notes)])
    assert parent.wait() == 0
    builders: dict[str, list[str]] = {}
    for line in notes.read_text().splitlines():
        pid, course = line.split()
        builders.setdefault(pid, []).append(course)
    assert len(builders) == 2 and str(parent.pid) in builders, builders
    assert sorted(course for courses in builders.values() for course in courses) == \
        sorted(folder.name for folder in (many_courses / "courses").iterdir())


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc")
def test_workers_end_when_the_build_is_killed(site, tmp_path: Path) -> None:
    root = site({"courses/ml/course.yaml": MINIMAL_COURSE})
    # Three processes: this one builds too (parallel.py), beside two workers.
    parent = subprocess.Popen([sys.executable, "-c", SLOW_BUILD, "build", str(root), "--jobs", "3", "--no-cache"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    try:
        assert wait_until(lambda: len(children(parent.pid)) >= 2)
        workers = children(parent.pid)

        os.kill(parent.pid, signal.SIGKILL)  # as `kill -9`
        parent.wait()

        assert wait_until(lambda: not any(alive(pid) for pid in workers)), "the workers outlived their parent"
    finally:
        for pid in workers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        parent.kill()
        parent.wait()


def test_a_build_without_cache_finds_no_days_but_builds_the_same_tree(many_courses: Path, tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the build cache reads the days an outcome is right for (day_bounds.py): a `--no-cache`
    build leaves them out, and writes what a build that stores them writes."""
    import coursesite.day_bounds

    cached = build(many_courses, tmp_path / "cached", "--jobs", "1", "--cache-dir", str(tmp_path / "cache"))
    asked: list[object] = []
    original = coursesite.day_bounds.course_validity
    monkeypatch.setattr(coursesite.day_bounds, "course_validity", lambda *a, **k: asked.append(a) or original(*a, **k))
    cold = build(many_courses, tmp_path / "cold", "--jobs", "1", "--no-cache")
    assert cached.code == cold.code == 0, cold.err
    assert asked == []
    assert tree(tmp_path / "cold") == tree(tmp_path / "cached")
