"""The dev server's search index, made again in the background after a save.

Pagefind indexes the whole site in one run (search.py), which takes about a second per hundred
courses: far longer than a rebuild after a save. So the dev server keeps the index it has when
it rebuilds (search_cache.DeferredSearch), reloads the page, and then makes the index again here,
from the output as served, into a folder beside it, swapped in when done: only the parts of the
index that hold a course whose pages changed, each taken from the build cache when it is kept
there, else made by a Pagefind run at the lowest priority, so that it does not slow the next
rebuild down on a machine with few cores. The next rebuild
cancels a run that has not finished (its Pagefind is stopped) and starts another after it.
Until then a search may miss the last edits; it never shows a page that is not there.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

from coursesite import search, urls
from coursesite.search_cache import DeferredSearch, link_tree, part_key

if TYPE_CHECKING:
    from coursesite.stored_builds import StoredBuilds


PAUSE_SECONDS = 1.0  # how long the saves must pause before the index is made again


class SearchRefresher:
    """Makes the search index of the output `out` again, one run at a time, while `state` says it is stale."""

    def __init__(self, out: Path, state: DeferredSearch,
                 stored: Callable[[], StoredBuilds | None] = lambda: None) -> None:
        self.out = out
        self.state = state
        self.stored = stored  # the build cache, where parts of the index are kept
        self._thread: threading.Thread | None = None
        self._process: subprocess.Popen[str] | None = None
        self._cancelled = threading.Event()
        self._hurry = threading.Event()  # start without waiting for the saves to pause
        self._lock = threading.Lock()
        self.on_failure: Callable[[str], None] | None = None  # told what went wrong, on this thread

    def cancel(self) -> None:
        """Stop a run under way and wait for it: the output is about to be replaced."""
        self._cancelled.set()
        with self._lock:
            if self._process is not None:
                with suppress(OSError):
                    self._process.kill()
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def start(self) -> None:
        """Make the index again in the background, if the output's is stale."""
        self.cancel()
        if not self.state.stale:
            return
        self._cancelled.clear()
        self._thread = threading.Thread(target=self._run, name="search index", daemon=True)
        self._thread.start()

    def wait(self) -> None:
        """Wait for a run under way, started at once (for tests and benchmarks)."""
        self._hurry.set()
        if self._thread is not None:
            self._thread.join()
        self._hurry.clear()

    def _run(self) -> None:
        # Saves come in bursts: wait for a pause before indexing, so that a run does not take
        # the processor (or, in Python, the interpreter) from the rebuild of the next save.
        deadline = time.monotonic() + PAUSE_SECONDS
        while time.monotonic() < deadline and not self._hurry.is_set():
            if self._cancelled.wait(0.05):
                return
        new = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.search-", dir=self.out.parent))
        bundle = new / urls.SEARCH_BUNDLE
        dirty = set(self.state.dirty)
        try:
            self._index(new, dirty)
            if self._cancelled.is_set():
                return
            os.chmod(new, 0o755)  # noqa: S103
            current = self.out / urls.SEARCH_BUNDLE
            if current.exists():
                os.rename(current, new / "previous")
            if bundle.exists():  # none when there are no courses
                os.rename(bundle, current)
            self.state.dirty -= dirty
            self.state.stale = False
        except (OSError, search.SearchIndexError) as exc:
            if self.on_failure is not None and not self._cancelled.is_set():
                self.on_failure(str(exc))
        finally:
            with self._lock:
                self._process = None
            shutil.rmtree(new, ignore_errors=True)

    def _index(self, new: Path, dirty: set[str]) -> None:
        """Write the index of the output's pages into `new`: each part (search.py) whose courses'
        pages did not change linked from the index served, else taken from the build cache, else made."""
        bundle = new / urls.SEARCH_BUNDLE
        parts = search.shard_courses([course.name for course in search.built_courses(self.out)])
        current = self.out / urls.SEARCH_BUNDLE
        try:  # the part of each course in the index served
            served = dict(json.loads((current / search.SHARDS_FILE).read_text(encoding="utf-8"))["courses"])
        except (OSError, ValueError, KeyError, TypeError):
            served = {}
        stored = self.stored()
        for part, courses in parts.items():
            if self._cancelled.is_set():
                return
            same = sorted(slug for slug, held in served.items() if held == part) == sorted(courses)
            if same and not dirty.intersection(courses) and (current / part).is_dir():
                link_tree(str(current / part), str(bundle / part))
                continue
            key = ""
            if stored is not None:
                key = part_key(self.out, parts, part, self._cancelled)
                if self._cancelled.is_set():
                    return
                if stored.restore_search(key, new, part):
                    continue
            search.index_part(self.out, bundle / part, courses, self._started, nice=True)
            if stored is not None:
                stored.store_search(key, new, part)
        search.write_parts(bundle, parts)

    def _started(self, process: subprocess.Popen[str]) -> None:
        with self._lock:
            self._process = process
            if self._cancelled.is_set():
                process.kill()
