"""The site's search index, indexed again only when a page it reads changed.

Pagefind cannot add or replace one course's pages in an index, so each part of the index
(search.py) is reused whole or made whole: each part is taken from the build cache
(stored_builds.py) under a digest of its pages' paths and bytes and of the Pagefind binary.

The dev server defers it (`DeferredSearch`): after a save it keeps the index it has, which may
lag the pages, reloads the page at once, and makes the index again in the background
(search_refresh.py).
"""

from __future__ import annotations

import hashlib
import os
import threading
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from coursesite import cache_entries, day_marks, search, urls

if TYPE_CHECKING:
    from coursesite.stored_builds import StoredBuilds

FORMAT = b"coursesite search index 2"  # 2: pages digested without their day marks


@dataclass
class DeferredSearch:
    """The dev server's search index, which may lag its pages until it is made again."""

    stale: bool = False  # the output's index is not (or not yet) that of its pages
    dirty: set[str] = field(default_factory=set)  # the courses whose pages changed since it was made


def index_staging(staging: Path, out: Path, stored: StoredBuilds | None = None,
                  deferred: DeferredSearch | None = None) -> None:
    """Give `staging` its search index: from `stored`, else made. With `deferred`, nothing is
    made: `out`'s index, if any, is kept, and marked stale."""
    if deferred is not None:
        previous = out / urls.SEARCH_BUNDLE
        if previous.is_dir():
            link_tree(str(previous), str(staging / urls.SEARCH_BUNDLE))
        deferred.stale = True
        return
    if stored is None:
        search.index_site(staging)
        return
    parts = search.shard_courses([course.name for course in search.built_courses(staging)])
    bundle = staging / urls.SEARCH_BUNDLE
    for part, courses in parts.items():
        key = part_key(staging, parts, part)
        if not stored.restore_search(key, staging, part):
            search.index_part(staging, bundle / part, courses)
            stored.store_search(key, staging, part)
    stored.forget_search(parts)
    search.write_parts(bundle, parts)


def part_key(folder: Path, parts: dict[str, list[str]], part: str, stop: threading.Event | None = None) -> str:
    """The key of the index's part `part` of `parts` (search.shard_courses) in the build cache:
    pages_key over the pages of its courses in `folder`."""
    pages = sorted(page for slug in parts[part] for page in search.course_pages(folder, slug))
    return pages_key(folder, pages, f"{len(parts)} {part}", stop)


def pages_key(folder: Path, pages: list[str], part: str, stop: threading.Event | None = None) -> str:
    """A digest of the Pagefind binary, of the part, and of the paths and bytes of `pages` in `folder`,
    each page without its day marks (day_marks.py): they are attributes and text that Pagefind does
    not index (data-pagefind-ignore), so that a course brought to a new day keeps its index."""
    digest = hashlib.blake2b(FORMAT + b"\0" + part.encode(), digest_size=20)
    executable = os.stat(search.pagefind_executable())
    digest.update(f"\0{executable.st_size} {executable.st_mtime_ns}".encode())
    for page in pages:
        if stop is not None and stop.is_set():  # the caller no longer needs it
            return ""
        digest.update(b"\0" + page.encode() + b"\0" + _page_digest(os.path.join(folder, page)).encode())
    return digest.hexdigest()


def _page_digest(path: str) -> str:
    with open(path, "rb") as file:
        page = file.read()
    if day_marks.has_marks(page):
        with suppress(ValueError):  # not marked as the templates mark: digested as it is
            page = day_marks.mark_page(page, day_marks.NO_DAY)
    return cache_entries.digest_bytes(page)


def link_tree(source: str, target: str) -> None:
    """Hard-link every file under `source` into the same places under `target`.

    The dev server does this after every save that left the indexed pages as they were;
    shutil.copytree, which also copies each folder's times and modes, took twice as long.
    """
    for folder, _, names in os.walk(source):
        made = os.path.join(target, os.path.relpath(folder, source))
        os.makedirs(made, exist_ok=True)
        for name in names:
            os.link(os.path.join(folder, name), os.path.join(made, name))
