"""Folders and files that cannot be read: one line each, all in one run, exit 1, the output kept.

The tests run `coursesite` as a user whom the permission bits stop: as themselves, or, when
they run as root (whom the bits do not stop), as `nobody`.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import MINIMAL_COURSE, TODAY, tree
from unprivileged import run_unprivileged

PAGE = "---\ntitle: Policies\n---\nLate work loses 10% a day.\n"


def build(root: Path) -> subprocess.CompletedProcess[str]:
    return run_unprivileged(root, "build", ".", "--no-cache", "--today", TODAY.isoformat())


def two_courses(open_site: Callable[[dict[str, str]], Path]) -> Path:
    files = {}
    for slug in ("dl", "ml", "cv"):
        files[f"courses/{slug}/course.yaml"] = MINIMAL_COURSE
        files[f"courses/{slug}/schedule.yaml"] = "sessions:\n  - topic: Perceptrons\n"
        files[f"courses/{slug}/pages/policies.md"] = PAGE
    return open_site(files)


CASES = [
    ("courses-folder", ["courses"], ["courses:1:1: error: cannot read: permission denied"]),
    ("course-folder", ["courses/ml"], ["courses/ml:1:1: error: cannot read: permission denied"]),
    ("file", ["courses/dl/schedule.yaml"], ["courses/dl/schedule.yaml:1:1: error: cannot read: permission denied"]),
    ("page", ["courses/dl/pages/policies.md"],
     ["courses/dl/pages/policies.md:1:1: error: cannot read: permission denied"]),
    ("pages-folder", ["courses/cv/pages"], ["courses/cv/pages:1:1: error: cannot read: permission denied"]),
    ("all-at-once", ["courses/dl/schedule.yaml", "courses/ml", "courses/cv/pages"],
     ["courses/cv/pages:1:1: error: cannot read: permission denied",
      "courses/dl/schedule.yaml:1:1: error: cannot read: permission denied",
      "courses/ml:1:1: error: cannot read: permission denied"]),
]


@pytest.mark.parametrize(("unreadable", "expected"), [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_what_cannot_be_read_is_an_error_and_the_output_is_kept(open_site, unreadable, expected) -> None:
    root = two_courses(open_site)
    first = build(root)
    assert first.returncode == 0, first.stderr
    before = tree(root / "build")
    (root / "courses/dl/course.yaml").write_text(MINIMAL_COURSE.replace("Deep Learning", "Deeper Learning"))
    for name in unreadable:
        os.chmod(root / name, 0o000)

    for command in ("build", "check"):
        result = build(root) if command == "build" else run_unprivileged(root, "check", ".")

        assert result.returncode == 1, result.stderr
        lines = result.stderr.splitlines()
        assert lines[:-1] == expected, command
        count = len(expected)
        assert lines[-1].startswith(f"{count} problem{'s' * (count != 1)} must be fixed")
        assert "Traceback" not in result.stderr
    assert tree(root / "build") == before
    assert sorted(path.name for path in root.iterdir()) == ["build", "courses"]


def test_a_linked_file_in_a_folder_that_cannot_be_read_is_an_error_at_its_link(open_site) -> None:
    root = open_site({"courses/dl/course.yaml": MINIMAL_COURSE,
                      "courses/dl/schedule.yaml": "sessions:\n  - topic: Perceptrons\n    materials:\n"
                                                  "      - label: Slides\n        file: slides/week1.pdf\n",
                      "courses/dl/slides/week1.pdf": "%PDF-1.4"})
    os.chmod(root / "courses/dl/slides", 0o000)

    for command in ("build", "check"):
        result = build(root) if command == "build" else run_unprivileged(root, "check", ".")

        assert result.returncode == 1, result.stderr
        assert result.stderr.splitlines()[:-1] == [
            "courses/dl/schedule.yaml:5:15: error: 'slides/week1.pdf' cannot be read: permission denied"]
    assert not (root / "build").exists()


def test_a_static_folder_that_cannot_be_read_is_an_error_not_missing_files(open_site) -> None:
    root = open_site({"courses/dl/course.yaml": MINIMAL_COURSE, "static/fonts/serif.woff2": "font",
                      "static/extra.css": "p {}"})
    os.chmod(root / "static/fonts", 0o000)

    result = build(root)

    assert result.returncode == 1, result.stderr
    assert result.stderr.splitlines() == ["static/fonts:1:1: error: cannot read: permission denied",
                                          "1 problem must be fixed; nothing was written."]
    assert not (root / "build").exists()
