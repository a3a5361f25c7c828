"""What the dev server digested of a site's sources, kept until a file event says it may have changed.

The build cache's keys (stored_builds.py) digest every course folder, the settings (templates,
site.yaml, static/) and the offerings each course.yaml declares. A build of the dev server
(served_builds.py) digests again only what the watcher's events name.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from coursesite import fingerprints
from coursesite.fingerprints import SourceDigests

if TYPE_CHECKING:
    from coursesite.errors import Diagnostic
    from coursesite.site import CourseSummary


class KnownSources:
    """What the dev server digested of the sources, kept until a file event says it may have changed."""

    def __init__(self) -> None:
        self.sources = SourceDigests()
        self._settings: bytes | None = None
        self._fingerprints: dict[str, bytes] = {}
        self._declared: dict[str, str | None] = {}
        self.folders: tuple[list[Path], tuple[Diagnostic, ...]] | None = None  # the scan of courses/
        self.offerings: tuple[list[CourseSummary], tuple[Diagnostic, ...]] | None = None

    def forget(self, site_folder: Path, changed: Collection[Path] | None) -> None:
        """Forget what the files `changed` (None: any file) may have changed."""
        if changed is None:  # the source digests stay: they are checked against each file's status
            self._settings = None
            self._fingerprints.clear()
            self._declared.clear()
            self.folders = self.offerings = None
            return
        for path in changed:
            try:
                parts = path.relative_to(site_folder).parts
            except ValueError:
                parts = ()
            if len(parts) >= 3 and parts[0] == "courses":
                self._fingerprints.pop(parts[1], None)
                self._declared.pop(parts[1], None)
                if parts[2] in ("course.yaml", "course.yml"):
                    self.folders = self.offerings = None
            elif parts[:1] == ("courses",) or not parts:
                self._fingerprints.clear()
                self._declared.clear()
                self.folders = self.offerings = None
            else:  # templates/, static/, site.yaml
                self._settings = None

    def digested(self) -> list[str]:
        """The course folders whose fingerprints are known."""
        return list(self._fingerprints)

    def settings(self, compute: Callable[[], bytes]) -> bytes:
        if self._settings is None:
            self._settings = compute()
        return self._settings

    def fingerprint(self, folder: Path) -> bytes:
        known = self._fingerprints.get(folder.name)
        if known is None:
            known = self._fingerprints[folder.name] = fingerprints.folder_fingerprint(folder, self.sources)
        return known

    def declared(self, courses: Path, names: Iterable[str],
                 read: Callable[[Path, Iterable[str]], dict[str, str]]) -> dict[str, str]:
        """Course folder -> the offering_of its course.yaml declares (stored_builds._offerings_declared)."""
        unknown = [name for name in names if name not in self._declared]
        found = read(courses, unknown)
        for name in unknown:
            self._declared[name] = found.get(name)
        return {name: group for name, group in self._declared.items() if group is not None}
