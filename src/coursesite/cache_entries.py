"""Reading the build cache as untrusted input: each value of an entry is checked before it is used.

Anyone who can write the cache folder (a CI cache restored from another branch, say) writes
what these functions read. So a path must be relative, normalized and inside the course's
output; a file the pages link to must be in the course folder it was made from; a stored file
is linked only if its bytes are those the entry records; every other value has its type.
Anything else raises `Damaged`, and the build makes the course again.
"""

from __future__ import annotations

import hashlib
import io
import os
import posixpath
import shutil
import stat
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import fields
from typing import Any, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from coursesite.errors import Diagnostic, Level


class Damaged(ValueError):
    """An entry that is not what a build writes: it is rebuilt, never used."""


# What reading a damaged entry can raise besides Damaged: a file gone or unreadable, JSON cut
# short or nested too deep, a value of another type.
DAMAGE = (OSError, ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError)

# SHA-256: the stored files are read on every build, and CPUs hash it in hardware (SHA-NI,
# ARMv8), twice as fast as BLAKE2b here.
DIGEST = "sha256"
MAX_STORED_FILE = 64_000_000  # more than any page, feed or search fragment a course makes
# Each field of a Diagnostic and its JSON type (the annotations are text: int, str or Level).
_DIAGNOSTIC_FIELDS = {field.name: int if field.type == "int" else str for field in fields(Diagnostic)}


def digest_bytes(data: bytes) -> str:
    return hashlib.new(DIGEST, data).hexdigest()


def digest_file(path: str) -> str:
    with open(path, "rb") as file:
        return hashlib.file_digest(file, DIGEST).hexdigest()


def is_relative_path(path: object) -> bool:
    """Whether `path` is a plain relative path: normalized, '/'-separated, no '..', NUL or backslash."""
    return (isinstance(path, str) and path != "" and "\0" not in path and "\\" not in path
            and not path.startswith("/") and posixpath.normpath(path) == path
            and not any(part in ("", ".", "..") for part in path.split("/")))


def is_slug(name: object) -> bool:
    """Whether `name` can be a course folder's name: one path component, not hidden."""
    return is_relative_path(name) and "/" not in str(name) and not str(name).startswith(".")


def manifest(value: Any, slug: str, stable_page: str | None = None) -> list[tuple[str, int, int, str]]:
    """An entry's manifest: (output path, size, mtime, digest) of each stored file, every path
    distinct and inside the course's output folder `slug/`, or the `stable_page` of its offerings."""
    if not isinstance(value, list):
        raise Damaged("manifest is not a list")
    checked, seen = [], set()
    for item in value:
        if not (isinstance(item, list) and len(item) == 4):
            raise Damaged("manifest item is not [path, size, mtime, digest]")
        path, size, mtime, digest = item
        if not (is_relative_path(path) and (path.startswith(f"{slug}/") or path == stable_page) and path not in seen):
            raise Damaged(f"manifest path {path!r} is not a path inside {slug}/")
        if not (_is_int(size) and _is_int(mtime) and isinstance(digest, str)):
            raise Damaged("manifest item has a value of the wrong type")
        seen.add(path)
        checked.append((path, size, mtime, digest))
    return checked


def referenced_names(value: Any, course_folder: str) -> tuple[str, ...]:
    """The course's files its pages link to: each an existing file inside `course_folder`, as the
    build itself copies them (render.CourseFiles), never a path or a link out of it."""
    if not isinstance(value, list):
        raise Damaged("referenced is not a list")
    root = os.path.realpath(course_folder)
    for name in value:
        if not is_relative_path(name):
            raise Damaged(f"referenced file {name!r} is not a relative path")
        path = os.path.join(course_folder, name)
        if not (os.path.isfile(path) and os.path.realpath(path).startswith(root + os.sep)):
            raise Damaged(f"referenced file {name!r} is not a file of the course folder")
    return tuple(value)


def diagnostics(value: Any) -> tuple[Diagnostic, ...]:
    """Stored diagnostics, each with exactly the fields of a Diagnostic, of their types."""
    if not isinstance(value, list):
        raise Damaged("diagnostics is not a list")
    for item in value:
        if not (isinstance(item, dict) and item.keys() == _DIAGNOSTIC_FIELDS.keys()
                and all(type(item[key]) is kind for key, kind in _DIAGNOSTIC_FIELDS.items())
                and item["level"] in get_args(Level)):
            raise Damaged("diagnostic is not a Diagnostic")
    return tuple(Diagnostic(**item) for item in value)


def strings(value: Any) -> list[str]:
    if not (isinstance(value, list) and all(isinstance(item, str) for item in value)):
        raise Damaged("expected a list of strings")
    return value


def count(value: Any) -> int:
    if not (_is_int(value) and value >= 0):
        raise Damaged("expected a count")
    return int(value)


def timestamp(value: Any) -> float | None:
    """A POSIX timestamp, or None; a finite number within the years a course can have."""
    if value is None:
        return None
    if not (type(value) in (int, float) and -2**33 < value < 2**35):
        raise Damaged("expected a timestamp")
    return float(value)


def time_zone(value: Any) -> str:
    """The name of an IANA time zone that this machine has (ZoneInfo refuses paths)."""
    if not (isinstance(value, str) and len(value) < 64):
        raise Damaged("expected a time zone name")
    try:
        ZoneInfo(value)
    except (ValueError, ZoneInfoNotFoundError):
        raise Damaged("not a time zone") from None
    return value


def read_file(path: str, limit: int) -> bytes:
    """The bytes of the regular file `path`, not through a link, at most `limit` of them."""
    data, _ = _read(path, limit)
    return data


def read_verified(path: str, digest: Any, limit: int = MAX_STORED_FILE) -> bytes:
    """The bytes of the regular file `path` (never through a link) if their digest is `digest`."""
    data, _ = _read(path, limit)
    if digest_bytes(data) != digest:
        raise Damaged(f"{path} is not what was stored")
    return data


def _read(path: str, limit: int) -> tuple[bytes, os.stat_result]:
    with _open_stored(path) as file:
        data = file.read(limit + 1)
        status = os.fstat(file.fileno())
    if len(data) > limit:
        raise Damaged(f"{path} is larger than a stored file can be")
    return data, status


def _open_stored(path: str) -> io.BufferedReader:
    """The regular file `path`, opened for reading, never through a link."""
    # O_NONBLOCK: a FIFO planted in the cache must not stall the build (it is refused below).
    file = os.fdopen(os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK), "rb")
    if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
        file.close()
        raise Damaged(f"{path} is not a regular file")
    return file


def link_verified(source: str, size: int, digest: str, target: str,
                  change: Callable[[bytes], bytes] | None = None) -> None:
    """Put the stored file `source` at `target`, only if it has `size` bytes with `digest`:
    hard-linked when the link is the very file that was verified, else a copy of what was read.

    With `change`, the bytes `change` makes of it, linked all the same when they are the very
    bytes stored: a new file costs the file system far more than a link (an inode, its blocks).
    """
    with _open_stored(source) as file:
        status = os.fstat(file.fileno())
        if not status.st_size == size <= MAX_STORED_FILE:
            raise Damaged(f"{source} is not what was stored")
        data = None
        if change is None:
            found = hashlib.file_digest(file, DIGEST).hexdigest()
        else:
            data = file.read(size + 1)
            found = digest_bytes(data) if len(data) == size else ""
        if found != digest:
            raise Damaged(f"{source} is not what was stored")
        changed = None if data is None or change is None else change(data)
        if changed is not None and changed != data:
            with open(target, "xb") as copy:
                copy.write(changed)
            return
        with suppress(OSError):  # another file system, or links not allowed: a copy
            os.link(source, target, follow_symlinks=False)
            linked = os.lstat(target)
            if (linked.st_ino, linked.st_dev) == (status.st_ino, status.st_dev):
                return
            os.unlink(target)  # swapped for another file between the check and the link
        if data is not None:
            with open(target, "xb") as copy:
                copy.write(data)
            return
        file.seek(0)
        with open(target, "xb") as copy:
            shutil.copyfileobj(file, copy)
        if digest_file(target) != digest:
            raise Damaged(f"{source} changed while it was copied")


class Folders:
    """The folders of one stored entry, each checked once to be a real folder inside the entry
    (no link out of the cache)."""

    def __init__(self, root: str) -> None:
        if os.path.realpath(root) != root:  # `root` is resolved: a link on its way leads elsewhere
            raise Damaged(f"{root} is reached through a link")
        self.root = root
        self._known: set[str] = set()

    def file(self, path: str) -> str:
        folder = posixpath.dirname(path)
        if folder not in self._known:
            for parent in _parents(folder):
                if parent not in self._known:
                    self._check(os.path.join(self.root, parent))
                    self._known.add(parent)
        return os.path.join(self.root, path)

    @staticmethod
    def _check(folder: str) -> None:
        if not stat.S_ISDIR(os.lstat(folder).st_mode):
            raise Damaged(f"{folder} is not a folder")


def _parents(folder: str) -> Iterator[str]:
    """'a/b/c' -> 'a', 'a/b', 'a/b/c'."""
    parts = folder.split("/") if folder else []
    for end in range(1, len(parts) + 1):
        yield "/".join(parts[:end])


def _is_int(value: object) -> bool:
    return type(value) is int
