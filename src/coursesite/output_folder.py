"""The output folder: built in a staging folder beside it, then swapped in at once.

A build that fails leaves the previous output exactly as it was, and nothing is written outside
the output folder (`inside` is the last safeguard). `check_output_folder` refuses folders whose
replacement would destroy something that is not a build.
"""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING

from coursesite.errors import InputError, OutputError, Report, UsageError
from coursesite.exchange import exchange
from coursesite.output_lock import temporary_prefix

if TYPE_CHECKING:
    from coursesite.search_cache import DeferredSearch
    from coursesite.stored_builds import StoredBuilds

MARKER = ".coursesite-build"


@contextmanager
def staging_folder(out: Path) -> Iterator[Path]:
    """A fresh folder beside `out` to build into; removed on leaving, unless it was swapped in."""
    staging = make_staging(out)
    try:
        yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # nothing there once it has become `out`


def make_staging(out: Path) -> Path:
    """A fresh, empty folder beside `out`, to build into."""
    out.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=temporary_prefix(out, "building"), dir=out.parent))


def prepare_target(staging: str, path: str) -> str:
    """The file name of output `path` in `staging`, its folder created."""
    name = str(inside(Path(staging), path))  # the last safeguard against a path that would leave the output
    os.makedirs(os.path.dirname(name), exist_ok=True)
    return name


def write_file(staging: str, path: str, content: bytes) -> None:
    """Write a new file: one already there may be a hard link into the build cache (linked from it
    before the course was found damaged), which must never be written through."""
    name = prepare_target(staging, path)
    try:
        file = open(name, "xb")  # noqa: SIM115 (closed below)
    except FileExistsError:
        os.unlink(name)
        file = open(name, "xb")  # noqa: SIM115
    with file:
        file.write(content)


def finish_staging(staging: Path, out: Path, stored: StoredBuilds | None = None,
                   deferred: DeferredSearch | None = None, indexed: bool = False) -> None:
    """Index the courses' pages for search, unless `indexed` already (search_as_built.py):
    search_cache.py takes it from `stored`, or leaves it for later with `deferred`. Then mark
    the staging folder as a build, ready to take the place of `out`."""
    from coursesite.search_cache import index_staging

    (staging / MARKER).write_text("This folder is written by coursesite build; "
                                  "it is replaced on every build.\n")
    if not indexed:
        index_staging(staging, out, stored, deferred)
    # mkdtemp makes the folder private; a published site must be readable by the web server.
    os.chmod(staging, 0o755)  # noqa: S103


def inside(folder: Path, path: str) -> Path:
    """`folder / path`, refusing a path that would land outside `folder` (the last safeguard:
    slugs, page names and file references are checked long before)."""
    check_relative(path)
    return folder / path


def check_relative(path: str) -> None:
    """Refuse an output path that is empty, absolute, or climbs with '..' (or uses '\\')."""
    # String tests, not PurePosixPath: the dev server checks every file after every save.
    parts = path.split("/")
    if path.startswith("/") or "\\" in path or ".." in parts or all(part in ("", ".") for part in parts):
        raise UsageError(f"refusing to write '{path}': it is outside the output folder")


def swap_into_place(staging: Path, out: Path) -> Path | None:
    """Put `staging` in the place of `out`; the previous `out`, moved aside, is returned for the
    caller to remove.

    On Linux the two folders are exchanged in one step, so `out` always exists, holding either
    tree. Elsewhere it takes two renames, and a build killed between them leaves the previous
    output moved aside, which the next build puts back (output_lock.remove_leftovers).
    """
    if not out.exists():
        os.rename(staging, out)
        return None
    old = Path(tempfile.mkdtemp(prefix=temporary_prefix(out, "old"), dir=out.parent))
    os.rmdir(old)
    if exchange(str(staging), str(out)):
        os.rename(staging, old)  # now the previous output
        return old
    os.rename(out, old)
    try:
        os.rename(staging, out)
    except OSError:
        os.rename(old, out)
        raise
    return old


# Errors that only writing meets, whatever file they name.
_WRITING_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG}


def fault_error(exc: OSError, out: Path) -> InputError | OutputError:
    """What to tell of an OSError met while building into `out`: a source file that cannot be
    read (an InputError at that file), else the output folder that cannot be written."""
    cause = (exc.strerror or str(exc)).lower()
    name = None if exc.filename is None else Path(os.fsdecode(exc.filename))
    # shutil.copyfile names the source even when the copy could not be written.
    target = None if exc.filename2 is None else Path(os.fsdecode(exc.filename2))
    written = exc.errno in _WRITING_ERRORS or (target is not None and _beside_output(target, out))
    if name is not None and not written and not _beside_output(name, out):
        report = Report()
        report.error(name, 1, 1, f"cannot read: {cause}")
        return InputError(report)
    return OutputError(f"cannot write the output folder {out}: {cause}; the previous output is unchanged")


def _beside_output(path: Path, out: Path) -> bool:
    """Whether `path` is the output folder, its parent, or something this build makes beside it."""
    path = Path(os.path.abspath(path))
    if path == out.parent:
        return True
    if out.parent not in path.parents:
        return False
    first = path.relative_to(out.parent).parts[0]
    return first == out.name or first.startswith(f".{out.name}.")


def remove(old: Path | None) -> None:
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


# Top-level folders under which even a second level is the system's (or a user's home), not a build's.
_SYSTEM_TOPS = {"bin", "boot", "dev", "etc", "home", "lib", "lib32", "lib64", "libx32", "proc", "run", "sbin", "sys",
                "usr", "var", "private", "System", "Library", "Applications", "Users", "Volumes"}


def check_output_folder(site_folder: Path, out: Path, *, force: bool) -> Path:
    """Refuse output folders whose replacement would destroy something that is not a build.

    With or without --force: the root and system folders, and any folder that is or contains
    the home folder, the site folder or the current folder. (An output folder that is or
    contains the build cache is refused by stored_builds.check_cache_folder.)
    """
    target = out.expanduser().resolve()
    refuse = f"refusing to build into {out}:"
    parts = target.parts[1:]
    if not parts:
        raise UsageError(f"{refuse} it is the root folder")
    if len(parts) == 1 or (len(parts) == 2 and parts[0] in _SYSTEM_TOPS):
        raise UsageError(f"{refuse} it is a system folder")
    for folder, name in _protected_folders(site_folder):
        if target == folder:
            raise UsageError(f"{refuse} it is {name}")
        if target in folder.parents:
            raise UsageError(f"{refuse} it contains {name} {folder}")
    for name in ("courses", "templates", "static"):
        source = site_folder / name
        if target == source or source in target.parents:
            raise UsageError(f"{refuse} it is inside the site's {name}/ folder")
    if target.is_file():
        raise UsageError(f"{refuse} it is a file")
    if target.is_dir() and not (target / MARKER).exists() and any(target.iterdir()) and not force:
        raise UsageError(f"{refuse} it is not empty and was not made by coursesite (pass --force to replace it)")
    return target


def _protected_folders(site_folder: Path) -> list[tuple[Path, str]]:
    """The folders a build must neither replace nor be replaced with a parent of."""
    folders = []
    with suppress(RuntimeError, KeyError):  # no HOME and no password entry: nothing to protect there
        folders.append((Path.home().resolve(), "your home folder"))
    folders.append((site_folder, "the site folder"))
    with suppress(OSError):  # a current folder that was deleted contains nothing
        folders.append((Path.cwd().resolve(), "the current folder"))
    return folders
