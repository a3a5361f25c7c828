"""The search index made while the courses build: each part as soon as its courses are written.

Made at the end, the index kept a build waiting on one Pagefind run after another, with the
workers gone and a core idle (1.2 s of a cold 100-course build). Here the courses are built
part by part (`ordered`), and a thread runs each part's Pagefind as soon as the last of its
courses is written, beside the processes still building the next parts. One Pagefind process
at a time: each holds its part in memory. A part whose courses all came from the build cache
is looked for in the cache at the end by the building thread, while the thread's Pagefind runs
go on: finding it is Python's work (digesting its pages), which a second thread would only do
while holding the building thread back.

A part indexes the same pages as the index made at the end (search_cache.index_staging), so
its bytes are the same (tests/test_search_as_built.py). `finish` checks that the courses
written are those the parts were planned for (a folder of courses/ that built no course would
upset the plan); if not, it says so and the caller indexes at the end, as before. A build that
fails stops the Pagefind run under way (`stop`) before its staging folder is removed.
"""

from __future__ import annotations

import queue
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING

from coursesite import search, urls

if TYPE_CHECKING:
    from coursesite.stored_builds import StoredBuilds


class SearchAsBuilt:
    """The parts of the search index of the courses `slugs`, made in `staging` as they are written."""

    def __init__(self, staging: Path, slugs: list[str], stored: StoredBuilds | None) -> None:
        self.staging = staging
        self.stored = stored
        self.parts = search.shard_courses(slugs)
        self._part_of = {slug: part for part, courses in self.parts.items() for slug in courses}
        self._waiting = {part: set(courses) for part, courses in self.parts.items()}
        self._with_built: set[str] = set()  # parts with a course built by this build, not restored
        self._restored: list[str] = []  # parts whose courses all came from the cache, made by finish()
        self._ready: queue.Queue[str | None] = queue.Queue()
        self._made: dict[str, str] = {}  # part -> its key in `stored` ("" without one), once made by Pagefind
        self._failure: Exception | None = None
        self._process: subprocess.Popen[str] | None = None
        self._stopping = threading.Event()
        # Started with the first part ready: by then the build's worker processes are forked, and
        # a process forked while this thread starts Pagefind would hold Pagefind's pipe open.
        self._thread = threading.Thread(target=self._run, name="search-parts", daemon=True)

    def ordered(self, folders: list[Path]) -> list[Path]:
        """`folders` in the order of their parts, so that the first parts are complete first."""
        return sorted(folders, key=lambda folder: int(self._part_of.get(folder.name, "0")))

    def written(self, slug: str, built: bool = True) -> None:
        """Course `slug` is wholly in the staging folder (its pages and the files they link to),
        `built` by this build or restored from the cache."""
        part = self._part_of.get(slug)
        if part is None:
            return
        if built:
            self._with_built.add(part)
        waiting = self._waiting[part]
        waiting.discard(slug)
        if waiting:
            return
        if part not in self._with_built:
            # Its index is most likely in the cache too: finding it is Python's work (digesting the
            # part's pages), which a thread would only do while holding back the building thread.
            self._restored.append(part)
            return
        if self._thread.ident is None:  # not started yet
            self._thread.start()
        self._ready.put(part)

    def finish(self) -> bool:
        """Wait for the last part; True if the index is whole: every part made for the courses
        the staging folder holds, and the list of parts written. Raises Pagefind's failure."""
        for part in self._restored:  # while the thread's Pagefind runs go on
            if self._failure is None:
                self._make(part, in_thread=False)
        self._end_thread()
        if self._failure is not None:
            raise self._failure
        bundle = self.staging / urls.SEARCH_BUNDLE
        built = [course.name for course in search.built_courses(self.staging)]
        if any(self._waiting.values()) or search.shard_courses(built) != self.parts:
            shutil.rmtree(bundle, ignore_errors=True)  # made again at the end, whole
            return False
        if self.stored is not None:
            for part, key in sorted(self._made.items()):
                self.stored.store_search(key, self.staging, part)
            self.stored.forget_search(self.parts)
        search.write_parts(bundle, self.parts)
        return True

    def _run(self) -> None:
        while (part := self._ready.get()) is not None:
            if self._failure is not None or self._stopping.is_set():
                continue  # drained until finish() or stop()
            try:
                self._make(part)
            except Exception as exc:  # noqa: BLE001 (raised again by finish(), in the building thread)
                self._failure = exc

    def _make(self, part: str, in_thread: bool = True) -> None:
        from coursesite.search_cache import part_key

        courses = self.parts[part]
        key = ""
        if self.stored is not None:
            key = part_key(self.staging, self.parts, part)
            if self.stored.restore_search(key, self.staging, part):
                return
        search.index_part(self.staging, self.staging / urls.SEARCH_BUNDLE / part, courses,
                          self._started if in_thread else None)
        self._made[part] = key

    def _started(self, process: subprocess.Popen[str]) -> None:
        self._process = process
        if self._stopping.is_set():
            with suppress(OSError):
                process.kill()

    def stop(self) -> None:
        """The build failed: end the Pagefind run under way, if any, and the thread."""
        self._stopping.set()
        if self._process is not None:
            with suppress(OSError):
                self._process.kill()
        self._end_thread()

    def _end_thread(self) -> None:
        if self._thread.ident is not None:  # started
            self._ready.put(None)
            self._thread.join()


@contextmanager
def search_as_built(staging: Path, slugs: list[str], stored: StoredBuilds | None) -> Iterator[SearchAsBuilt]:
    """A SearchAsBuilt whose Pagefind runs end with the build, whether it succeeds or fails."""
    index = SearchAsBuilt(staging, slugs, stored)
    try:
        yield index
    finally:
        index.stop()  # after finish(), only joins the thread that has ended
