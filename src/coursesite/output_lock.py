"""One build at a time per output folder, and the leftovers of builds that were killed.

The lock is a file beside the output folder (`.build.lock` beside `build/`), never inside what
is published, and there only while a build runs. The folders a build makes beside the output
carry its process id in their names (`.build.building-<pid>-…`, `.build.old-<pid>-…`): the
next build, holding the lock, removes those whose process is gone.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: builds are not serialised there
    fcntl = None  # type: ignore[assignment]


def lock_path(out: Path) -> Path:
    return out.parent / f".{out.name}.lock"


def temporary_prefix(out: Path, kind: str) -> str:
    """The start of the name of a folder of this process beside `out` ('building' or 'old')."""
    return f".{out.name}.{kind}-{os.getpid()}-"


@contextmanager
def output_lock(out: Path, waiting: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the lock of `out` (waiting for the build that holds it), and clear what killed builds left.

    `waiting` is told, once, which process holds the lock when this build has to wait. The
    lock file is removed when the build ends, so that none is left beside the output.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    path = lock_path(out)
    descriptor = _acquire(path, waiting, out)
    try:
        remove_leftovers(out)
        yield
    finally:
        with suppress(OSError):
            os.unlink(path)  # before the lock is released: a build waiting on it then tries again
        os.close(descriptor)


def _acquire(path: Path, waiting: Callable[[str], None] | None, out: Path) -> int:
    """An open descriptor of the lock file `path`, locked."""
    while True:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        if fcntl is None:
            return descriptor
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if waiting is not None:
                holder = os.pread(descriptor, 32, 0).decode(errors="replace").strip() or "another process"
                waiting(f"waiting for process {holder}, which is building into {out}")
                waiting = None
            fcntl.flock(descriptor, fcntl.LOCK_EX)
        # The build that held the lock removed the file as it finished: lock the one there now.
        with suppress(FileNotFoundError):
            if os.path.samestat(os.fstat(descriptor), os.stat(path)):
                os.ftruncate(descriptor, 0)
                os.pwrite(descriptor, f"{os.getpid()}\n".encode(), 0)
                return descriptor
        os.close(descriptor)


def remove_leftovers(out: Path) -> None:
    """Remove the temporary folders beside `out` of builds whose process is gone.

    A killed build may have left the previous output moved aside and none in its place (the
    two-rename fallback): that one is put back.
    """
    pattern = re.compile(rf"^\.{re.escape(out.name)}\.(building|old)-(\d+)-[A-Za-z0-9_]+$")
    try:
        entries = sorted(os.scandir(out.parent), key=lambda entry: entry.name)
    except OSError:
        return
    for entry in entries:
        match = pattern.match(entry.name)
        if not match or not entry.is_dir(follow_symlinks=False) or _alive(int(match[2])):
            continue
        if match[1] == "old" and not os.path.lexists(out):
            os.rename(entry.path, out)
        else:
            shutil.rmtree(entry.path, ignore_errors=True)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True  # this process's own folders are in use
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True
