"""A build imports its modules with Python's garbage collector paused, then collects as before
(collector.py, issue 16): the courses are built with the collector on, and it is as it was
once the command ends."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from conftest import REPO, TODAY

SCRIPT = """
import gc, sys
from coursesite import collector, parallel
from coursesite.cli import main

def collections():
    return sum(generation["collections"] for generation in gc.get_stats())

seen = {}
pause, resume, build_course = collector.pause, collector.resume, parallel.build_course

def pausing():
    seen.setdefault("paused", collections())
    pause()

def resuming():
    seen.setdefault("resumed", collections())
    resume()

def recording(folder, job):
    seen.setdefault("building", (gc.isenabled(), gc.get_freeze_count() > 0))
    return build_course(folder, job)

collector.pause, collector.resume, parallel.build_course = pausing, resuming, recording
code = main(sys.argv[1:])
print(code, repr((seen.get("paused"), seen.get("resumed"), seen.get("building", (None, None)), gc.isenabled(), gc.get_freeze_count())))
"""


def test_a_build_imports_with_the_collector_paused_and_builds_with_it_on(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, "-c", SCRIPT, "build", str(REPO), "--out", str(tmp_path / "out"),
                          "--today", TODAY.isoformat(), "--no-cache", "--no-pdf", "--jobs", "1"],
                         capture_output=True, text=True, check=True)
    code, _, figures = run.stdout.splitlines()[-1].partition(" ")
    assert code == "0", run.stderr
    paused, resumed, (enabled, frozen), enabled_after, frozen_after = ast.literal_eval(figures)
    assert resumed == paused  # not one collection while the build's modules were imported
    assert enabled and frozen  # the courses are built with the collector on, the modules frozen
    assert enabled_after and frozen_after == 0  # as it was once the command ended
