"""The `coursesite` program ends a build without Python's teardown (cli.run, issue 16), and still
says all it has to say, with the right exit code, into pipes as into a terminal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO, TODAY

# Output into a pipe is buffered, as it is for users (whatever the machine running the tests sets).
ENV = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
AT_EXIT = ("import atexit, sys; atexit.register(print, 'torn down'); "
           "sys.argv[0] = 'coursesite'; from coursesite.cli import run; run()")


def program(*arguments: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "coursesite", *map(str, arguments)], capture_output=True,
                          text=True, timeout=300, env=ENV)


def test_a_build_says_everything_into_a_pipe(tmp_path: Path) -> None:
    run = program("build", REPO, "--out", tmp_path / "out", "--today", TODAY.isoformat(), "--no-cache", "--no-pdf")
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("Built 10 courses") and run.stdout.endswith("index.html\n")
    assert run.stderr.endswith("'coursesite check' lists them all.\n")  # the last of the warnings


def test_a_failed_build_says_why_and_exits_1(tmp_path: Path) -> None:
    (tmp_path / "courses" / "broken").mkdir(parents=True)
    (tmp_path / "courses" / "broken" / "course.yaml").write_text("code: [\n", encoding="utf-8")
    run = program("build", tmp_path, "--out", tmp_path / "out", "--no-cache", "--no-pdf")
    assert run.returncode == 1
    assert "courses/broken/course.yaml:" in run.stderr and run.stdout == ""


def test_only_a_build_skips_the_teardown(tmp_path: Path) -> None:
    build = subprocess.run([sys.executable, "-c", AT_EXIT, "build", str(REPO), "--out", str(tmp_path / "out"),
                            "--today", TODAY.isoformat(), "--no-cache", "--no-pdf"],
                           capture_output=True, text=True, timeout=300, env=ENV)
    assert build.returncode == 0 and "Built 10 courses" in build.stdout and "torn down" not in build.stdout
    check = subprocess.run([sys.executable, "-c", AT_EXIT, "check", str(REPO)], capture_output=True, text=True,
                           timeout=300, env=ENV)
    assert check.returncode == 0 and check.stdout.endswith("torn down\n")
