"""Digests of what a build reads: course folders, templates. Equal digests, equal input.

The stored builds kept between runs (stored_builds.py) and the dev server's memory over them
(served_builds.py, known_sources.py) decide from these whether earlier work can be reused. This
module imports nothing heavy, so a build that finds everything stored starts fast.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

from coursesite.theme import theme_folder

# The files a course is loaded from, and HTML files, which the search index reads when a page
# links them; any other file counts by its name only.
SOURCE_SUFFIXES = (".yaml", ".yml", ".md", ".html", ".htm")


class SourceDigests:
    """Digests of source files' bytes, read again only when a file may have changed.

    Like git's index: a file whose inode, size and change times are what they were is not read
    again, unless it had changed shortly before it was read, because file times tick coarsely
    (milliseconds, or seconds on some file systems) and a second write within the same tick
    would leave them as they were.
    """

    SETTLED_NS = 2_000_000_000

    def __init__(self) -> None:
        self._known: dict[str, tuple[tuple[int, int, int, int], bytes]] = {}

    def digest(self, path: str) -> bytes:
        try:
            status = os.stat(path)
        except OSError as exc:
            return f"\0unreadable {exc.errno}".encode()
        key = (status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)
        known = self._known.get(path)
        if known is not None and known[0] == key:
            return known[1]
        read_at = time.time_ns()
        digest = hashlib.blake2b(_read(path), digest_size=20).digest()
        if read_at - max(status.st_mtime_ns, status.st_ctime_ns) > self.SETTLED_NS:
            self._known[path] = (key, digest)
        else:
            self._known.pop(path, None)
        return digest


def folder_fingerprint(folder: Path, sources: SourceDigests | None = None) -> bytes:
    """A digest of what loading and checking a course folder reads.

    The bytes of its YAML, Markdown and HTML files, and the name and kind of every other entry:
    the pages only show whether a linked file (slides, a photo) exists, and those files are
    copied when the output is written.
    """
    digest = hashlib.blake2b(digest_size=20)
    digest.update(b"link" if folder.is_symlink() else b"folder")
    digest_entries(digest, str(folder), b"", sources or SourceDigests())
    return digest.digest()


def digest_entries(digest: hashlib.blake2b, folder: str, prefix: bytes, sources: SourceDigests,
                   suffixes: tuple[str, ...] = SOURCE_SUFFIXES, within: frozenset[str] | None = None,
                   above: tuple[str, ...] = ()) -> None:
    """Digest what is in `folder` and the folders in it, links to folders included (once each
    along a path: a link loop is digested as a name): the bytes of the files named with one of
    `suffixes`, the names of the others. `above`: the folders above; `within`: the same resolved,
    once a link was followed (below real folders alone there can be no loop, and resolving every
    folder's path costs a system call per component)."""
    if within is not None:
        within = within | {os.path.realpath(folder)}
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as exc:
        digest.update(f"\0unreadable {exc.errno}".encode())
        return
    for entry in entries:
        name = prefix + os.fsencode(entry.name)
        if entry.is_symlink():
            target = os.path.realpath(entry.path)
            digest.update(b"\0" + name + b" -> " + os.fsencode(target) +
                          (b" exists" if os.path.exists(target) else b" missing"))
        if within is None and is_folder(entry) and entry.is_symlink():
            within = frozenset(os.path.realpath(path) for path in (*above, folder))
        if is_folder(entry) and (within is None or os.path.realpath(entry.path) not in within):
            digest.update(b"\0" + name + b"/")
            digest_entries(digest, entry.path, name + b"/", sources, suffixes, within, (*above, folder))
        elif entry.name.endswith(suffixes) and _is_file(entry):
            digest.update(b"\0" + name + b"\0" + sources.digest(entry.path))
        else:
            digest.update(b"\0" + name)


def is_folder(entry: os.DirEntry[str]) -> bool:
    """Whether `entry` is a folder or a link to one; False for a link loop (loading reports it)."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _is_file(entry: os.DirEntry[str]) -> bool:
    """Whether `entry` is a file or a link to one; False for a link loop (loading reports it)."""
    try:
        return entry.is_file()
    except OSError:
        return False


def templates_fingerprint(site_folder: Path) -> bytes:
    """A digest of every template file, the site's and the default theme's."""
    digest = hashlib.blake2b(digest_size=20)
    for folder in (site_folder / "templates", theme_folder() / "templates"):
        digest.update(b"\0\0" + str(folder).encode("utf-8", "surrogateescape"))
        if folder.is_dir():
            # Every file's bytes, through links to folders too, as Jinja's loader finds them.
            digest_entries(digest, str(folder), b"", SourceDigests(), suffixes=("",))
    return digest.digest()


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as file:
            return file.read()
    except OSError as exc:  # unreadable: loading reports it; the digest only needs to differ
        return f"\0unreadable {exc.errno}".encode()
