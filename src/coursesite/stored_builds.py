"""Builds kept between runs: each course's output, stored under a digest of what it was made from.

`coursesite build` keeps what it made of each course in a cache folder (SITE_DIR/.coursesite-cache
unless `--cache-dir` or `--no-cache` say otherwise): the files of the course's output folder, its
search index included, its diagnostics and its model (for the catalog). The next build takes a
course from there when nothing it was made from changed: the bytes of the course folder's YAML and
Markdown and the names of its other files, the templates, site.yaml, the names in static/, the
day, the base URL, coursesite's own code and the Pagefind binary. When nothing changed anywhere,
the catalog and the site's diagnostics come from there too, and the build imports neither the
model, Jinja, Markdown nor icalendar.

Stored files are hard-linked into the output (copied where a link is impossible), and an entry
whose files were changed in place since (size or modification second) is not used. The files
that pages link to (slides, photos) are never stored: every build copies them from the course.
Entries are pickles, so the cache is trusted as much as the site folder that holds it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import os
import pickle
import shutil
import tempfile
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coursesite.errors import Diagnostic
from coursesite.fingerprints import SourceDigests, digest_entries, folder_fingerprint, templates_fingerprint
from coursesite.theme import theme_folder

FORMAT = b"coursesite stored builds 1"
ENTRY = "ENTRY"
# Marks the folder as a cache for backup tools (https://bford.info/cachedir/).
CACHEDIR_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
                "# This folder is coursesite's build cache; 'coursesite build --no-cache' does without it.\n")


@dataclass(frozen=True)
class StoredCourse:
    """One course taken from the cache: its output files are already linked into the staging folder."""

    diagnostics: tuple[Diagnostic, ...]
    written: tuple[str, ...]  # output paths, the search index's included
    referenced: tuple[str, ...]  # the course's files that its pages link to (copied by every build)
    course_pickle: bytes


@dataclass(frozen=True)
class StoredSite:
    """What a whole build left besides its courses' files, for a build in which nothing changed."""

    diagnostics: tuple[Diagnostic, ...]
    strict_allows: frozenset[str]
    courses: tuple[str, ...]  # slugs, in build order
    catalog: bytes
    copies: dict[str, str]  # output path -> source file: static files and the files pages link to
    pages: int


class StoredBuilds:
    """The cache folder of one site, for one build's settings (day, base URL)."""

    def __init__(self, folder: Path, site_folder: Path, today: dt.date, base_url: str | None) -> None:
        self.folder = folder
        sources = SourceDigests()
        context = hashlib.blake2b(_settings_digest(site_folder, today, base_url, sources), digest_size=20)
        site = context.copy()
        self.course_keys: dict[str, str] = {}
        courses = site_folder / "courses"
        try:
            entries = sorted(os.scandir(courses), key=lambda entry: entry.name)
        except OSError as exc:
            entries = []
            site.update(f"\0courses unreadable {exc.errno}".encode())
        site.update(b"\0" + os.fsencode(os.path.realpath(courses)))
        for entry in entries:
            fingerprint = folder_fingerprint(Path(entry.path), sources) if _is_folder(entry) else b"other"
            course = context.copy()
            course.update(b"\0" + os.fsencode(entry.name) + b"\0" + fingerprint)
            self.course_keys[entry.name] = course.hexdigest()
            site.update(b"\0" + os.fsencode(entry.name) + b"\0" + fingerprint)
        self.site_key = site.hexdigest()

    # Courses

    def restore_course(self, slug: str, staging: str) -> StoredCourse | None:
        """Link the stored output of course `slug` into `staging`, if it is stored for its present input."""
        entry = _load(self.folder / "courses" / slug / ENTRY)
        if not entry or entry.get("key") != self.course_keys.get(slug):
            return None
        files = str(self.folder / "courses" / slug / "files")
        made: set[str] = set()
        try:
            for path, size, mtime in entry["manifest"]:
                source = os.path.join(files, path)
                status = os.stat(source)
                # Whole seconds: archivers (CI caches are tar files) may not keep finer times.
                if (status.st_size, status.st_mtime_ns // 10**9) != (size, mtime // 10**9):
                    raise OSError(f"{source} was changed after it was stored")
                target = os.path.join(staging, path)
                folder = os.path.dirname(target)
                if folder not in made:
                    os.makedirs(folder, exist_ok=True)
                    made.add(folder)
                _link_or_copy(source, target)
        except (OSError, ValueError, TypeError):
            shutil.rmtree(os.path.join(staging, slug), ignore_errors=True)
            return None
        return StoredCourse(tuple(entry["diagnostics"]), tuple(path for path, _, _ in entry["manifest"]),
                            tuple(entry["referenced"]), entry["course"])

    def store_course(self, slug: str, out: Path, written: Iterable[str], diagnostics: Iterable[Diagnostic],
                     referenced: Iterable[str], course_pickle: bytes) -> None:
        """Keep the files `written` for course `slug` (as they are in `out`), replacing what was stored."""
        manifest = []
        with self._new_entry() as staging:
            for path in sorted(written):
                target = staging / "files" / path
                target.parent.mkdir(parents=True, exist_ok=True)
                _link_or_copy(str(out / path), str(target))
                status = target.stat()
                manifest.append((path, status.st_size, status.st_mtime_ns))
            _dump(staging / ENTRY, {"key": self.course_keys.get(slug), "manifest": manifest,
                                    "diagnostics": list(diagnostics), "referenced": list(referenced),
                                    "course": course_pickle})
            _replace(staging, self.folder / "courses" / slug, self.folder)

    # The whole site

    def restore_site(self) -> StoredSite | None:
        """What the last build of this very input left besides its courses' files, if it is stored."""
        entry = _load(self.folder / "site" / ENTRY)
        if not entry or entry.get("key") != self.site_key:
            return None
        site: StoredSite = entry["site"]
        return site

    def store_site(self, site: StoredSite) -> None:
        with self._new_entry() as staging:
            _dump(staging / ENTRY, {"key": self.site_key, "site": site})
            _replace(staging, self.folder / "site", self.folder)

    def _new_entry(self) -> _NewEntry:
        return _NewEntry(self.folder)


class _NewEntry:
    """A temporary folder in the cache to write an entry into; removed if it is not moved in place."""

    def __init__(self, cache: Path) -> None:
        self.cache = cache

    def __enter__(self) -> Path:
        if not self.cache.exists():
            self.cache.mkdir(parents=True)
            (self.cache / ".gitignore").write_text("# coursesite's build cache\n*\n")
            (self.cache / "CACHEDIR.TAG").write_text(CACHEDIR_TAG)
        self.path = Path(tempfile.mkdtemp(prefix=".new-", dir=self.cache))
        return self.path

    def __exit__(self, *exc: object) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


def _replace(new: Path, entry: Path, cache: Path) -> None:
    """Move the folder `new` to `entry`, replacing an older entry there."""
    entry.parent.mkdir(parents=True, exist_ok=True)
    old = Path(tempfile.mkdtemp(prefix=".old-", dir=cache))
    with suppress(FileNotFoundError):
        os.rename(entry, old / "entry")
    os.rename(new, entry)
    shutil.rmtree(old, ignore_errors=True)


def _settings_digest(site_folder: Path, today: dt.date, base_url: str | None, sources: SourceDigests) -> bytes:
    """A digest of what every page may depend on besides its course folder."""
    digest = hashlib.blake2b(FORMAT, digest_size=20)
    for part in (str(site_folder), os.getcwd(), base_url or "", today.isoformat()):  # diagnostics name
        digest.update(b"\0" + part.encode("utf-8", "surrogateescape"))  # files relative to the cwd
    code = Path(__file__).parent
    for name in sorted(os.listdir(code)):
        if name.endswith(".py"):
            digest.update(b"\0" + name.encode() + sources.digest(str(code / name)))
    spec = importlib.util.find_spec("pagefind_bin")
    if spec is not None and spec.origin:
        for name in sorted(os.listdir(os.path.dirname(spec.origin))):
            status = os.stat(os.path.join(os.path.dirname(spec.origin), name))
            digest.update(f"\0{name} {status.st_size} {status.st_mtime_ns}".encode())
    digest.update(templates_fingerprint(site_folder))
    config = site_folder / "site.yaml"
    digest.update(b"\0" + os.fsencode(os.path.realpath(config)) + sources.digest(str(config)))
    for static in (theme_folder() / "static", site_folder / "static"):
        digest.update(b"\0\0" + os.fsencode(static))
        digest_entries(digest, str(static), b"", sources)
    return digest.digest()


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()
    except OSError:  # a link loop, which loading reports
        return False


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _load(path: Path) -> dict[str, Any] | None:
    """An entry, or None when it is missing or unreadable (a cache is allowed to be lost)."""
    try:
        with open(path, "rb") as file:
            entry = pickle.load(file)  # noqa: S301 - the cache is the site's own folder
    except Exception:  # noqa: BLE001 - a truncated or foreign file is simply not an entry
        return None
    return entry if isinstance(entry, dict) else None


def _dump(path: Path, entry: dict[str, Any]) -> None:
    with open(path, "wb") as file:
        pickle.dump(entry, file, protocol=pickle.HIGHEST_PROTOCOL)
