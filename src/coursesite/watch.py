"""Watch a site's sources and hand each burst of changes to a callback, once.

An editor saving (often a temporary file, then a rename), a `git checkout` or a replace over
many files each cause a burst of file events. The watcher waits until the files have been quiet
for a moment, then reports the whole burst as one batch, so the site is rebuilt once per burst.
Events that arrive while the callback runs are kept for the next batch.

File events come from watchdog (inotify on Linux). Where they do not arrive, on network and
virtual-machine shares, the watcher polls instead: asked to with `poll=True`, or on its own
when the site lies on such a file system.
"""

from __future__ import annotations

import os
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from watchdog.events import (
    DirCreatedEvent,
    DirDeletedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileDeletedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

WATCHED_FOLDERS = ("courses", "templates", "static")
WATCHED_FILES = ("site.yaml",)
QUIET_SECONDS = 0.025  # a burst ends when no event came for this long (an editor's save takes a few ms)...
LONGEST_BURST_SECONDS = 1.0  # ...or when it has lasted this long, so a steady stream still rebuilds
POLL_SECONDS = 0.5
QUIET_AUDIT_SECONDS = 5.0  # after this long without an event, look for changes that sent none
# File systems whose changes (made by another machine, or by the host of a virtual machine or
# container) send no inotify events.
UNWATCHABLE_FILE_SYSTEMS = {"nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "fuse.sshfs", "sshfs", "vboxsf",
                            "virtiofs", "fuse.grpcfuse", "fakeowner", "prl_fs", "fuse.vmhgfs-fuse", "afs"}
# The events that say a source changed. Not the opening and closing that reading causes: every
# build reads every source, and handling those events would slow the build down.
CHANGE_EVENTS = [FileCreatedEvent, FileModifiedEvent, FileClosedEvent, FileDeletedEvent, FileMovedEvent,
                 DirCreatedEvent, DirDeletedEvent, DirMovedEvent]


class SourceWatcher:
    """Calls `on_changes(paths, touched)` on its own thread after each burst of changes to the
    sources: the files that changed (or, when none did, the folders), and every file and folder
    that an event named, for the build to know what it must look at again."""

    def __init__(self, site_folder: Path, on_changes: Callable[[list[Path], list[Path]], None], *,
                 poll: bool = False, poll_seconds: float = POLL_SECONDS,
                 on_quiet: Callable[[Callable[[], bool]], list[Path] | None] | None = None) -> None:
        self.site_folder = site_folder.resolve()
        self.on_changes = on_changes
        # Called on the same thread after QUIET_AUDIT_SECONDS without an event, and told whether an
        # event came since: the changes no event reported (events can be lost), handed on as a burst.
        self.on_quiet = on_quiet
        self.polling = poll
        self.observer: BaseObserver = PollingObserver(timeout=poll_seconds) if poll else Observer()
        self._handler = _EventHandler(self._record)
        self._lock = threading.Lock()
        self._changed: set[Path] = set()
        self._folders: set[Path] = set()  # reported only when no file changed (a course renamed)
        self._created: set[Path] = set()  # in this burst: a scratch file saved under another name
        self._last_event = 0.0
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._watched: set[str] = set()
        self._thread = threading.Thread(target=self._run, name="coursesite-rebuild", daemon=True)

    def start(self) -> None:
        for name in WATCHED_FOLDERS:
            self._watch_folder(name)
        # The site folder itself, not recursively: for site.yaml, and for a watched folder
        # (templates/, say) that is created after the server started.
        self.observer.schedule(self._handler, str(self.site_folder), recursive=False, event_filter=CHANGE_EVENTS)
        self.observer.start()
        self._thread.start()

    def stop(self) -> None:
        """Stop watching; waits for a rebuild that is running to finish."""
        self._stopping.set()
        self._wake.set()
        self.observer.stop()
        self.observer.join()
        if self._thread.is_alive():
            self._thread.join()

    def _watch_folder(self, name: str) -> None:
        folder = self.site_folder / name
        if name not in self._watched and folder.is_dir():
            self.observer.schedule(self._handler, str(folder), recursive=True, event_filter=CHANGE_EVENTS)
            self._watched.add(name)

    def _record(self, event: FileSystemEvent) -> None:
        if event.is_directory and event.event_type == "modified":
            return
        paths = [Path(os.fsdecode(p)) for p in (event.src_path, event.dest_path) if p]
        relevant = [path for path in paths if self._is_source(path)]
        if not relevant:
            return
        for path in relevant:
            if path.parent == self.site_folder and path.name in WATCHED_FOLDERS:
                self._watch_folder(path.name)
        with self._lock:
            (self._folders if event.is_directory else self._changed).update(relevant)
            if event.event_type == "created":
                self._created.update(relevant)
            self._last_event = time.monotonic()
            self._wake.set()

    def _is_source(self, path: Path) -> bool:
        try:
            parts = path.relative_to(self.site_folder).parts
        except ValueError:
            return False
        if not parts or is_editor_scratch(parts[-1]):
            return False
        return parts[0] in WATCHED_FOLDERS or (len(parts) == 1 and parts[0] in WATCHED_FILES)

    def _run(self) -> None:
        while True:
            if not self._wake.wait(QUIET_AUDIT_SECONDS if self.on_quiet else None):
                self._audit()
                continue
            if self._stopping.is_set():
                return
            self._wait_for_quiet()
            with self._lock:
                # A file made and renamed or removed within the burst was a scratch file.
                changed = sorted(p for p in self._changed if p not in self._created or p.exists())
                touched = sorted(self._changed | self._folders)
                changed = changed or sorted(self._folders)
                self._changed.clear()
                self._folders.clear()
                self._created.clear()
                self._wake.clear()
            if self._stopping.is_set():
                return
            if not changed:
                continue
            try:
                self.on_changes(changed, touched)
            except Exception:  # a rebuild reports its own errors; this is a bug, not bad input
                traceback.print_exc(file=sys.stderr)

    def _audit(self) -> None:
        assert self.on_quiet is not None
        try:
            missed = self.on_quiet(self._wake.is_set)
            if missed and not self._stopping.is_set():
                self.on_changes(missed, [])
        except Exception:  # a bug, not bad input
            traceback.print_exc(file=sys.stderr)

    def _wait_for_quiet(self) -> None:
        started = time.monotonic()
        while not self._stopping.is_set():
            with self._lock:
                quiet_at = self._last_event + QUIET_SECONDS
            now = time.monotonic()
            deadline = min(quiet_at, started + LONGEST_BURST_SECONDS)
            if now >= deadline:
                return
            time.sleep(deadline - now)


class _EventHandler(FileSystemEventHandler):
    def __init__(self, record: Callable[[FileSystemEvent], None]) -> None:
        self.record = record

    def on_any_event(self, event: FileSystemEvent) -> None:
        self.record(event)


def is_editor_scratch(name: str) -> bool:
    """Swap, backup and lock files editors write beside the file being edited."""
    return (name.startswith((".", "#")) or name.endswith(("~", ".swp", ".swx", ".swo", ".tmp", ".part"))
            or name == "4913")  # vim's check that it may write in the folder


def unwatchable_file_system(folder: Path) -> str | None:
    """The type of the file system holding `folder` when it sends no file events, else None."""
    try:
        mounts = Path("/proc/self/mounts").read_text()
    except OSError:  # not Linux: file events work on the usual local disks
        return None
    target = str(folder.resolve())
    best_mount, best_type = "", ""
    for line in mounts.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        mount = fields[1].replace("\\040", " ")
        inside = target == mount or target.startswith(mount.rstrip("/") + "/")
        if inside and len(mount) > len(best_mount):
            best_mount, best_type = mount, fields[2]
    return best_type if best_type in UNWATCHABLE_FILE_SYSTEMS else None
