"""The build cache: each course's output, kept between runs under a digest of what it was made from.

`coursesite build` keeps what it made of each course in a cache folder (one per site folder
under ~/.cache/coursesite, or `--cache-dir`; `--no-cache` for none): the files of the course's
output folder, its search index included, its diagnostics, and its summary for the catalog. The
next build takes a course from there when nothing it was made from changed: the bytes of the
course folder's YAML, Markdown and HTML files and the names of its other files, the templates,
site.yaml, the names in static/, the day, the base URL, coursesite's own code, the installed
packages and the Pagefind binary. When nothing changed anywhere, the catalog and the site's
diagnostics come from there too, and the build imports neither the model, Jinja, Markdown nor
icalendar.

The cache is kept outside the site folder so that nothing committed to a site can pose as
output that was checked. Stored files are hard-linked into the output (copied where a link is
impossible); a file whose size or modification time changed since it was stored (the output
edited in place, or a cache restored by CI) is used only if its bytes are still those stored.
The files that pages link to (slides, photos) are never stored: every build copies them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import importlib.util
import io
import json
import os
import pickle
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coursesite.build_clock import BuildClock
from coursesite.errors import Diagnostic, UsageError
from coursesite.fingerprints import (
    SourceDigests,
    digest_entries,
    folder_fingerprint,
    is_folder,
    templates_fingerprint,
)
from coursesite.theme import theme_folder

if TYPE_CHECKING:
    from coursesite.site import CourseSummary

FORMAT = b"coursesite build cache 2"
ENTRY = "entry.json"
SUMMARY = "summary.pickle"
TAG = "CACHEDIR.TAG"
# Marks the folder as a cache for backup tools (https://bford.info/cachedir/), and as ours.
CACHEDIR_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
                "# This folder is coursesite's build cache; 'coursesite build --no-cache' does without it.\n")
LEFTOVER_SECONDS = 3600  # a temporary folder older than this was left by a build that was killed
MAX_SUMMARY_BYTES = 4_000_000


def default_folder(site_folder: Path) -> Path:
    """The cache of `site_folder`: under $XDG_CACHE_HOME (else ~/.cache), one folder per site folder."""
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "coursesite"
    name = hashlib.blake2b(os.fsencode(site_folder), digest_size=8).hexdigest()
    return root / f"{site_folder.name[:40]}-{name}"


def check_cache_folder(cache: Path, site_folder: Path, out: Path) -> Path:
    """The cache folder, refused where it would mix with the sources or the output, or is not ours."""
    target = cache.expanduser().resolve()
    problem = None
    if target == out:
        problem = "it is the output folder"
    elif out in target.parents:
        problem = "it is inside the output folder"
    elif target == site_folder or target in site_folder.parents:
        problem = "it is or contains the site folder"
    elif site_folder in target.parents:  # where a commit could put files that pass for checked output
        problem = "it is inside the site folder; keep it out of what is committed"
    elif target in out.parents:
        problem = "it contains the output folder"
    elif target.is_file():
        problem = "it is a file"
    elif target.is_dir() and not (target / TAG).is_file() and any(target.iterdir()):
        problem = "it is not empty and was not made by coursesite"
    if problem:
        raise UsageError(f"refusing to keep the build cache in {cache}: {problem}")
    return target


@dataclass(frozen=True)
class StoredCourse:
    """One course taken from the cache: its output files are already linked into the staging folder."""

    folder: Path  # the cache entry
    diagnostics: tuple[Diagnostic, ...]
    written: tuple[str, ...]  # output paths, the search index's included
    referenced: tuple[str, ...]  # the course's files that its pages link to (copied by every build)

    def summary(self) -> CourseSummary:
        """What the catalog shows of the course (read only when the catalog is built again)."""
        with open(self.folder / SUMMARY, "rb") as file:
            summary: CourseSummary = ModelUnpickler(io.BytesIO(file.read(MAX_SUMMARY_BYTES))).load()
        return summary


@dataclass(frozen=True)
class StoredSite:
    """What a whole build left besides its courses' files, for a build in which nothing changed."""

    diagnostics: tuple[Diagnostic, ...]
    strict_allows: frozenset[str]
    courses: tuple[str, ...]  # slugs, in build order
    copies: dict[str, str]  # output path -> source file: static files and the files pages link to
    pages: int
    catalog: bytes = b""


class StoredBuilds:
    """The cache folder of one site, for one build's settings (day, base URL)."""

    def __init__(self, folder: Path, site_folder: Path, today: dt.date, base_url: str | None,
                 clock: BuildClock | None = None, pdf: bool = True) -> None:
        self.folder = folder
        self.clock = clock or BuildClock(dt.datetime.combine(today, dt.time()))
        sources = SourceDigests()
        context = hashlib.blake2b(_settings_digest(site_folder, today, base_url, sources), digest_size=20)
        context.update(b"\0pdf" if pdf else b"\0no-pdf")  # syllabus.pdf is made or not
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
            fingerprint = folder_fingerprint(Path(entry.path), sources) if is_folder(entry) else b"other"
            course = context.copy()
            course.update(b"\0" + os.fsencode(entry.name) + b"\0" + fingerprint)
            self.course_keys[entry.name] = course.hexdigest()
            site.update(b"\0" + os.fsencode(entry.name) + b"\0" + fingerprint)
        self.site_key = site.hexdigest()

    # Courses

    def restore_course(self, slug: str, staging: Path) -> StoredCourse | None:
        """Link the stored output of course `slug` into `staging`, if it is stored for its present input."""
        entry_folder = self.folder / "courses" / slug
        entry = _load(entry_folder / ENTRY)
        if not entry or entry.get("key") != self.course_keys.get(slug) or not self._same_releases(entry):
            return None
        files = str(entry_folder / "files")
        made: set[str] = set()
        try:
            for path, size, mtime, digest in entry["manifest"]:
                source = os.path.join(files, path)
                status = os.stat(source)
                if (status.st_size, status.st_mtime_ns) != (size, mtime) and _digest_file(source) != digest:
                    shutil.rmtree(staging / slug, ignore_errors=True)  # half linked: built instead
                    return None
                target = os.path.join(staging, path)
                folder = os.path.dirname(target)
                if folder not in made:
                    os.makedirs(folder, exist_ok=True)
                    made.add(folder)
                _link_or_copy(source, target)
            return StoredCourse(entry_folder, tuple(Diagnostic(**d) for d in entry["diagnostics"]),
                                tuple(path for path, *_ in entry["manifest"]), tuple(entry["referenced"]))
        except (OSError, ValueError, TypeError, KeyError):
            shutil.rmtree(staging / slug, ignore_errors=True)
            return None

    def _same_releases(self, entry: dict[str, Any]) -> bool:
        """Whether every release gate of the stored course decides now as it did then: a new hour
        that releases something builds the course again."""
        try:
            zone, decisions = entry["releases"]
            now = self.clock.now(zone)
            return all((dt.datetime.fromisoformat(moment) <= now) == released for moment, released in decisions)
        except (KeyError, TypeError, ValueError):
            return False

    def store_course(self, staging: Path, summary: CourseSummary, written: Iterable[str],
                     diagnostics: Iterable[Diagnostic], referenced: Iterable[str],
                     releases: tuple[str, tuple[tuple[str, bool], ...]] = ("UTC", ())) -> None:
        """Keep course `summary.slug`'s files `written` (as they are in `staging`), replacing what was stored."""
        slug = summary.slug
        bundle = staging / slug / "pagefind"
        index = [path.relative_to(staging).as_posix() for path in sorted(bundle.rglob("*")) if path.is_file()]
        manifest = []
        with self._new_entry() as entry:
            for path in sorted({*written, *index}):
                target = entry / "files" / path
                target.parent.mkdir(parents=True, exist_ok=True)
                _link_or_copy(str(staging / path), str(target))
                status = target.stat()
                manifest.append((path, status.st_size, status.st_mtime_ns, _digest_file(str(target))))
            (entry / SUMMARY).write_bytes(pickle.dumps(summary, protocol=pickle.HIGHEST_PROTOCOL))
            _dump(entry / ENTRY, {"key": self.course_keys.get(slug), "manifest": manifest,
                                  "diagnostics": [asdict(d) for d in diagnostics],
                                  "referenced": list(referenced), "releases": releases})
            self._replace(entry, self.folder / "courses" / slug)

    # The whole site

    def restore_site(self) -> StoredSite | None:
        """What the last build of this very input left besides its courses' files, if it is stored."""
        entry = _load(self.folder / "site" / ENTRY)
        if not entry or entry.get("key") != self.site_key:
            return None
        try:
            return StoredSite(tuple(Diagnostic(**d) for d in entry["diagnostics"]), frozenset(entry["strict_allows"]),
                              tuple(entry["courses"]), dict(entry["copies"]), int(entry["pages"]),
                              (self.folder / "site" / "catalog.html").read_bytes())
        except (OSError, ValueError, TypeError, KeyError):
            return None

    def store_site(self, site: StoredSite) -> None:
        """Keep what `site` says, and forget the courses it does not have and what killed builds left."""
        with self._new_entry() as entry:
            (entry / "catalog.html").write_bytes(site.catalog)
            _dump(entry / ENTRY, {"key": self.site_key, "diagnostics": [asdict(d) for d in site.diagnostics],
                                  "strict_allows": sorted(site.strict_allows), "courses": list(site.courses),
                                  "copies": site.copies, "pages": site.pages})
            self._replace(entry, self.folder / "site")
        courses = self.folder / "courses"
        for stored in courses.iterdir() if courses.is_dir() else ():
            if stored.name not in site.courses and (stored / ENTRY).is_file():
                shutil.rmtree(stored, ignore_errors=True)
        for leftover in self.folder.glob(".*-*"):
            with suppress(OSError):
                if time.time() - leftover.stat().st_mtime > LEFTOVER_SECONDS:
                    shutil.rmtree(leftover, ignore_errors=True)

    @contextmanager
    def _new_entry(self) -> Iterator[Path]:
        """A temporary folder in the cache to write an entry into; removed unless moved in place."""
        if not self.folder.exists():
            self.folder.mkdir(parents=True)
            (self.folder / TAG).write_text(CACHEDIR_TAG)
        path = Path(tempfile.mkdtemp(prefix=".new-", dir=self.folder))
        try:
            yield path
        finally:
            shutil.rmtree(path, ignore_errors=True)

    def _replace(self, new: Path, entry: Path) -> None:
        """Move the folder `new` to `entry`, replacing an older entry (and nothing else) there."""
        entry.parent.mkdir(parents=True, exist_ok=True)
        old = Path(tempfile.mkdtemp(prefix=".old-", dir=self.folder))
        if (entry / ENTRY).is_file():
            os.rename(entry, old / "entry")
        os.rename(new, entry)
        shutil.rmtree(old, ignore_errors=True)


class ModelUnpickler(pickle.Unpickler):
    """Unpickles course summaries and nothing else: only coursesite's model classes, dates and
    paths may be built, so a file that is not what this module wrote cannot run code."""

    ALLOWED = {"datetime": {"date", "time", "datetime", "timedelta"}, "pathlib": {"PosixPath", "WindowsPath"}}

    def find_class(self, module: str, name: str) -> Any:
        if module == "coursesite.model" or (module, name) == ("coursesite.site", "CourseSummary"):
            found = getattr(importlib.import_module(module), name, None)
            if isinstance(found, type) and found.__module__ == module:  # defined there, not imported
                return found
        elif name in self.ALLOWED.get(module, ()):
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a course summary")


def _settings_digest(site_folder: Path, today: dt.date, base_url: str | None, sources: SourceDigests) -> bytes:
    """A digest of what every page and diagnostic may depend on besides its course folder."""
    digest = hashlib.blake2b(FORMAT, digest_size=20)
    # Diagnostics name files relative to the working folder.
    for part in (str(site_folder), os.getcwd(), base_url or "", today.isoformat(), sys.version):
        digest.update(b"\0" + part.encode("utf-8", "surrogateescape"))
    code = Path(__file__).parent
    for name in sorted(os.listdir(code)):
        if name.endswith(".py"):
            digest.update(b"\0" + name.encode() + sources.digest(str(code / name)))
    # The installed packages (Markdown, Jinja, icalendar...), by the names of their metadata
    # folders, which hold their versions; and the Pagefind binary.
    for folder in sorted(_package_folders()):
        digest.update(b"\0\0" + os.fsencode(folder))
        with suppress(OSError):
            digest.update(b"\0".join(sorted(os.fsencode(n) for n in os.listdir(folder) if n.endswith(".dist-info"))))
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


def _package_folders() -> set[str]:
    """The folders the packages a build uses are installed in."""
    folders = set()
    for name in ("markdown", "jinja2", "icalendar", "pydantic", "yaml", "frontmatter", "html5lib"):
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            folders.add(os.path.dirname(os.path.dirname(spec.origin)))
    return folders


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _digest_file(path: str) -> str:
    with open(path, "rb") as file:
        return hashlib.file_digest(file, lambda: hashlib.blake2b(digest_size=20)).hexdigest()


def _load(path: Path) -> dict[str, Any] | None:
    """An entry, or None when it is missing or unreadable (a cache may be lost at any time)."""
    try:
        entry = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    return entry if isinstance(entry, dict) else None


def _dump(path: Path, entry: dict[str, Any]) -> None:
    path.write_text(json.dumps(entry, separators=(",", ":")), encoding="utf-8")
