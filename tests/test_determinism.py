"""The same input builds byte-identical files: wherever it is built from or into, whatever the
hash seed, and with SOURCE_DATE_EPOCH standing for the build day; the calendar feeds are the
same on any day."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO, TODAY, run_cli


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _differences(a: Path, b: Path) -> list[str]:
    first, second = _files(a), _files(b)
    return sorted(name for name in first.keys() | second.keys() if first.get(name) != second.get(name))


def test_two_builds_in_two_places_are_byte_identical(reference_build, tmp_path, monkeypatch) -> None:
    copy = tmp_path / "elsewhere" / "site"
    shutil.copytree(REPO / "courses", copy / "courses")
    shutil.copy(REPO / "site.yaml", copy / "site.yaml")
    monkeypatch.chdir(tmp_path)  # another working directory, and relative paths on the command line

    result = run_cli("build", "elsewhere/site", "--out", "second", "--today", TODAY.isoformat())

    assert result.code == 0, result.err
    assert len(_files(reference_build)) >= 20  # 15 pages, feeds, theme files
    assert _differences(reference_build, tmp_path / "second") == []


def test_builds_do_not_depend_on_the_hash_seed(reference_build, tmp_path) -> None:
    """Set and dict orders change with PYTHONHASHSEED; nothing in the output may follow them."""
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-m", "coursesite", "build", str(REPO), "--out",
                        str(tmp_path / seed), "--today", TODAY.isoformat(), "--no-pdf"],
                       check=True, env=env, capture_output=True)
        assert _differences(reference_build, tmp_path / seed) == []


def test_source_date_epoch_stands_for_the_build_day(reference_build, tmp_path, monkeypatch) -> None:
    noon = dt.datetime.combine(TODAY, dt.time(12), tzinfo=dt.UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(noon.timestamp())))

    result = run_cli("build", REPO, "--out", tmp_path / "epoch")  # no --today

    assert result.code == 0, result.err
    assert _differences(reference_build, tmp_path / "epoch") == []


def test_calendar_feeds_are_the_same_whatever_the_build_day(reference_build, tmp_path) -> None:
    """DTSTAMP comes from the course (its calendar's first day), so a feed changes only when its
    course does: a new day neither makes every subscribed calendar differ nor empties a cache."""
    feeds = {p.relative_to(reference_build).as_posix(): p.read_bytes() for p in reference_build.rglob("*.ics")}
    assert len(feeds) >= 10
    for later in (1, 2, 7, 200):
        out = tmp_path / f"plus-{later}"
        result = run_cli("build", REPO, "--out", out, "--today", (TODAY + dt.timedelta(days=later)).isoformat())
        assert result.code == 0, result.err
        assert {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*.ics")} == feeds, later
    # The term of columbia-deep-learning starts on Tuesday 8 September 2026, its first session.
    feed = feeds["columbia-deep-learning/calendar.ics"].decode()
    stamps = {line for line in feed.splitlines() if line.startswith("DTSTAMP")}
    assert stamps == {"DTSTAMP:20260908T000000Z"}  # the term's first day, whatever the build's
