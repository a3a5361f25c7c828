"""An output folder that cannot be written, builds killed mid-swap, leftovers, and builds at once.

Whatever happens, the output folder holds the previous build or the new one, whole, and the
temporary folders beside it do not outlive the build that made them.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import MINIMAL_COURSE, TODAY, build, tree
from unprivileged import run_unprivileged

TIMEOUT = 120  # seconds; the machine is shared


def retitle(root: Path, title: str) -> None:
    (root / "courses/dl/course.yaml").write_text(MINIMAL_COURSE.replace("Deep Learning", title))


def leftovers(folder: Path) -> list[str]:
    """What builds made beside `folder/build`, apart from the output."""
    return sorted(path.name for path in folder.iterdir() if path.name.startswith(".build."))


def test_a_read_only_parent_of_the_output_is_one_line(open_site) -> None:
    root = open_site({"courses/dl/course.yaml": MINIMAL_COURSE})
    published = root / "published"
    published.mkdir()
    os.chown(published, *(2 * [os.stat(root).st_uid]))
    first = run_unprivileged(root, "build", ".", "--out", "published/build", "--no-cache")
    assert first.returncode == 0, first.stderr
    before = tree(published / "build")
    retitle(root, "Deeper Learning")
    os.chmod(published, 0o555)

    result = run_unprivileged(root, "build", ".", "--out", "published/build", "--no-cache")

    assert result.returncode == 1
    assert result.stderr.splitlines() == [f"coursesite: error: cannot write the output folder {published / 'build'}: "
                                          "permission denied; the previous output is unchanged"]
    assert tree(published / "build") == before
    assert sorted(path.name for path in published.iterdir()) == ["build"]


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A file system of its own, 8 MB, so that it can be filled (root only)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount)],
                             capture_output=True, check=False) if os.geteuid() == 0 else None
    if mounted is None or mounted.returncode != 0:
        pytest.skip("cannot mount a small file system here (needs root)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_a_full_disk_is_one_line_and_keeps_the_output(site, small_disk: Path) -> None:
    root = site()
    out = small_disk / "build"
    assert build(root, out, "--no-cache").code == 0
    before = tree(out)
    retitle(root, "Deeper Learning")
    with (small_disk / "filler").open("wb") as filler:  # leave less room than a build takes
        filler.write(b"x" * (shutil.disk_usage(small_disk).free - 16 * 1024))

    result = build(root, out, "--no-cache")

    assert result.code == 1
    assert result.lines == [f"coursesite: error: cannot write the output folder {out}: no space left on device; "
                            "the previous output is unchanged"]
    assert tree(out) == before
    assert sorted(path.name for path in small_disk.iterdir()) == ["build", "filler"]


@pytest.mark.parametrize("filename", [None, "build"], ids=["write", "create"])
def test_a_full_disk_met_anywhere_is_one_line(site, monkeypatch, filename: str | None) -> None:
    """Where no small file system can be mounted: the same fault, injected where files are copied."""
    root = site({"static/extra.css": "p {}"})
    assert build(root, None, "--no-cache").code == 0
    before = tree(root / "build")
    retitle(root, "Deeper Learning")

    def full(source: str, target: str, **kwargs: object) -> str:
        # A write() reports no file name; a folder or file made reports the name made.
        raise OSError(errno.ENOSPC, "No space left on device", *([target] if filename else []))

    monkeypatch.setattr(shutil, "copyfile", full)
    result = build(root, None, "--no-cache")

    assert result.code == 1
    assert result.lines == [f"coursesite: error: cannot write the output folder {root / 'build'}: "
                            "no space left on device; the previous output is unchanged"]
    assert tree(root / "build") == before
    assert leftovers(root) == []


# Runs a build that kills itself (SIGKILL, as `kill -9`) before or after the Nth call that moves
# folders around in output_folder.py: the exchange, or a rename.
KILLED_BUILD = textwrap.dedent("""
    import os, signal, sys
    import coursesite.output_folder as output_folder
    from coursesite.cli import main

    step, when, exchange = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    calls = [0]

    def counted(function):
        def run(*args):
            calls[0] += 1
            if (calls[0], when) == (step, "before"):
                os.kill(os.getpid(), signal.SIGKILL)
            result = function(*args)
            if (calls[0], when) == (step, "after"):
                os.kill(os.getpid(), signal.SIGKILL)
            return result
        return run

    output_folder.exchange = counted(output_folder.exchange if exchange == "exchange" else lambda a, b: False)
    os.rename = counted(os.rename)
    sys.exit(main(sys.argv[4:]))
""")

STEPS = [(1, "before"), (1, "after"), (2, "after")]


@pytest.mark.parametrize("how", ["exchange", "two-renames"])
@pytest.mark.parametrize(("step", "when"), STEPS, ids=[f"{when}-{step}" for step, when in STEPS])
def test_a_build_killed_at_any_step_of_the_swap_leaves_the_old_or_the_new_output(
        site, tmp_path: Path, how: str, step: int, when: str) -> None:
    root = site()
    retitle(root, "New Learning")
    assert build(root, tmp_path / "new", "--no-cache").code == 0
    new = tree(tmp_path / "new")
    retitle(root, "Old Learning")
    assert build(root, None, "--no-cache").code == 0
    old = tree(root / "build")
    retitle(root, "New Learning")

    killed = subprocess.run([sys.executable, "-c", KILLED_BUILD, str(step), when, how, "build", str(root), "--no-pdf",
                             "--no-cache", "--today", TODAY.isoformat()], capture_output=True, text=True,
                            timeout=TIMEOUT, check=False)
    assert killed.returncode == -signal.SIGKILL, killed.stderr

    if how == "exchange":  # there is no moment without an output folder
        assert tree(root / "build") in (old, new)
    # The next build, even one that fails, removes what the killed one left, and puts back the
    # previous output if the killed build had moved it aside (two renames only).
    (root / "courses/dl/schedule.yaml").write_text("sessions: [\n")
    assert build(root, None, "--no-cache").code == 1
    assert tree(root / "build") in (old, new)
    assert leftovers(root) == []


def dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_the_leftovers_of_killed_builds_are_removed_by_the_next(site) -> None:
    root = site()
    assert build(root).code == 0
    dead = dead_pid()
    with subprocess.Popen(["sleep", "300"]) as running:
        planted = {f".build.building-{dead}-a1b2c3": False, f".build.old-{dead}-d4e5f6": False,
                   f".build.building-{running.pid}-g7h8i9": True,  # a build still running
                   ".build.backup": True, f".other.building-{dead}-j0k1l2": True}  # not ours
        for name in planted:
            (root / name / "dl").mkdir(parents=True)
            (root / name / "dl" / "index.html").write_text("half a build")

        assert build(root).code == 0

        running.kill()
    assert {name: (root / name).exists() for name in planted} == planted


def test_a_second_build_waits_for_the_first(site) -> None:
    from coursesite.output_lock import output_lock

    root = site()
    out = (root / "build").resolve()
    with output_lock(out):  # as a build running in this process would
        second = subprocess.Popen([sys.executable, "-m", "coursesite", "build", str(root), "--no-cache", "--no-pdf",
                                   "--today", TODAY.isoformat()], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True)
        assert second.stderr is not None
        first_line: list[str] = []
        reader = threading.Thread(target=lambda: first_line.append(second.stderr.readline()))  # type: ignore[union-attr]
        reader.start()
        reader.join(TIMEOUT)
        assert first_line == [f"coursesite: waiting for process {os.getpid()}, which is building into {out}\n"]
        assert second.poll() is None  # still waiting
        assert not out.exists()
    assert second.wait(TIMEOUT) == 0
    assert (out / "dl" / "index.html").is_file()


def test_two_builds_at_once_both_succeed_one_after_the_other(site, tmp_path: Path) -> None:
    root = site()
    assert build(root, None, "--no-cache").code == 0
    expected = tree(root / "build")
    builds = [subprocess.Popen([sys.executable, "-m", "coursesite", "build", str(root), "--no-cache", "--no-pdf", "--force",
                                "--today", TODAY.isoformat()], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True) for _ in range(2)]
    results = [(process.wait(TIMEOUT), process.communicate()) for process in builds]

    assert [code for code, _ in results] == [0, 0], results
    assert tree(root / "build") == expected
    assert leftovers(root) == []
