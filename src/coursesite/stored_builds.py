"""The build cache: each course's output, kept between runs under a digest of what it was made from.

`coursesite build` keeps what it made of each course in a cache folder (one per site folder
under ~/.cache/coursesite, or `--cache-dir`; `--no-cache` for none): the files of the course's
output folder, its diagnostics, and its summary for the catalog. The
next build takes a course from there when nothing it was made from changed: the bytes of the
course folder's YAML, Markdown and HTML files and the names of its other files, the templates,
site.yaml, the names in static/, the base URL, coursesite's own code, the installed packages and
the Pagefind binary; in a git checkout whose site keeps a change log, the commits that changed
the course (one `git log` for the whole site). The day is not in the key: each entry records the
days and moments its output is right for (day_bounds.py: from the last date in the course before
the build's day to the next one), and is taken only for a build inside them, on any later day
too; or inside the wider interval in which only its day marks change, with them set again for
the build's day (day_marks.py). When nothing changed anywhere, the catalog and the site's
diagnostics come from there too, and the build imports neither the model, Jinja, Markdown nor
icalendar.

The cache is kept outside the site folder so that nothing committed to a site can pose as
output that was checked. Whoever can write the cache (a CI cache saved by another branch) writes
what a build reads from it, so every entry is untrusted input (cache_entries.py): its paths must
stay inside the course's output, the files its pages link to must be in the course's folder,
summaries are JSON validated by the model, and a stored file, the catalog included, is published
only if its bytes have the digest its entry records (read again on every build: a same-size edit
that put the modification time back is caught). An entry that fails any check, or cannot be read,
is built again, without a word. Stored files are hard-linked into the output (copied where a
link is impossible). The files that pages link to (slides, photos) and static files are never
stored: every build copies them from the site folder. The site's search index is stored apart,
under a digest of the pages it indexes (search_cache.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import json
import os
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coursesite import cache_entries as checked
from coursesite import urls
from coursesite.day_bounds import DAY, Validity
from coursesite.day_marks import mark_page
from coursesite.errors import Diagnostic, UsageError
from coursesite.fingerprints import (
    SourceDigests,
    digest_entries,
    folder_fingerprint,
    is_folder,
    templates_fingerprint,
)
from coursesite.git_history import Repository
from coursesite.offering_key import without_comment_lines
from coursesite.theme import theme_folder

if TYPE_CHECKING:
    from coursesite.known_sources import KnownSources
    from coursesite.site import CourseSummary

FORMAT = b"coursesite build cache 8"  # 6: one search index for the site, stored apart; 7: no day;
# 8: release gates are edges of the interval, syllabus.pdf
ENTRY = "entry.json"
SUMMARY = "summary.json"
CATALOG = "catalog.html"
FEED = "feed.xml"
TAG = "CACHEDIR.TAG"
# Marks the folder as a cache for backup tools (https://bford.info/cachedir/), and as ours.
CACHEDIR_TAG = ("Signature: 8a477f597d28d172789f06886806bc55\n"
                "# This folder is coursesite's build cache; 'coursesite build --no-cache' does without it.\n")
LEFTOVER_SECONDS = 3600  # a temporary folder older than this was left by a build that was killed
MAX_SUMMARY_BYTES = 4_000_000
MAX_ENTRY_BYTES = 64_000_000  # a manifest of the largest course, with room to spare


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
    elif target.is_dir() and not _is_ours(target):
        problem = "it is not empty and was not made by coursesite"
    if problem:
        raise UsageError(f"refusing to keep the build cache in {cache}: {problem}")
    return target


def usable_cache_folder(cache: Path, site_folder: Path, out: Path) -> Path | None:
    """`check_cache_folder`, or None when the folder cannot be read (permission denied, say):
    the build then goes without the cache, as with --no-cache."""
    try:
        return check_cache_folder(cache, site_folder, out)
    except OSError:
        return None


def _is_ours(folder: Path) -> bool:
    """Whether `folder` is empty or marked as a coursesite cache; OSError when it cannot be read."""
    names = os.listdir(folder)
    return not names or (TAG in names and (folder / TAG).is_file())


@dataclass(frozen=True)
class StoredCourse:
    """One course taken from the cache: its output files are already linked into the staging folder."""

    diagnostics: tuple[Diagnostic, ...]
    written: tuple[str, ...]  # output paths
    referenced: tuple[str, ...]  # the course's files that its pages link to (copied by every build)
    summary: CourseSummary | None = None  # when asked for: what the catalog shows of the course
    valid: Validity = Validity()  # the days and moments it is right for
    patched: bool = False  # its day marks were set for this build's day (day_marks.py)
    fixed: Validity | None = None  # the days and moments on which only its day marks change


@dataclass(frozen=True)
class StoredSite:
    """What a whole build left besides its courses' files, for a build in which nothing changed."""

    diagnostics: tuple[Diagnostic, ...]
    strict_allows: frozenset[str]
    courses: tuple[str, ...]  # slugs, in build order
    pages: int
    catalog: bytes = b""
    feed: bytes = b""  # the site's Atom feed
    index: bytes = b""  # index.json (schedule_json.py)
    valid: Validity = Validity()  # the days and moments all of it is right for
    fixed: Validity | None = None  # those on which only its courses' day marks change


class StoredBuilds:
    """The cache folder of one site, for one build's settings (base URL) and its day and moment.

    Every entry is read as untrusted input (cache_entries.py): one that is not exactly what a
    build writes is not used, and the course is built again.
    """

    def __init__(self, folder: Path, site_folder: Path, today: dt.date, base_url: str | None,
                 now: dt.datetime | None = None, pdf: bool = True, known: KnownSources | None = None) -> None:
        self.folder = folder
        self.today = today
        self.now = now  # aware, or a wall-clock --now read in each course's zone (day_bounds.Validity)
        # A build with syllabus.pdf and one without (the dev server's, --no-pdf) keep their entries
        # apart, so that neither replaces the other's.
        self.entries = folder / ("courses" if pdf else "courses-no-pdf")
        self.site_entry = folder / ("site" if pdf else "site-no-pdf")
        # `known`: the dev server's memory of what it digested, over this cache (served_builds.py).
        sources = known.sources if known else SourceDigests()
        settings = known.settings(lambda: _settings_digest(site_folder, base_url, sources)) if known \
            else _settings_digest(site_folder, base_url, sources)
        self.settings_digest = settings  # the site's settings, templates and code (the dev server's templates key)
        context = hashlib.blake2b(settings, digest_size=20)
        # A --now wall-clock time is compared in wall-clock seconds of each course's zone, an aware
        # moment in POSIX seconds (day_bounds.Validity): the two keep apart.
        context.update(b"\0day" if now is None else b"\0wall" if now.tzinfo is None else b"\0moment")
        context.update(b"\0pdf" if pdf else b"\0no-pdf")  # syllabus.pdf is made or not
        commits = course_commits(site_folder) if keeps_change_log(site_folder) else None
        site = context.copy()
        self.course_keys: dict[str, str] = {}
        self.courses = site_folder / "courses"
        try:
            entries = sorted(os.scandir(self.courses), key=lambda entry: entry.name)
        except OSError as exc:
            entries = []
            site.update(f"\0courses unreadable {exc.errno}".encode())
        site.update(b"\0" + os.fsencode(os.path.realpath(self.courses)))
        fingerprints: dict[str, bytes] = {}
        for entry in entries:
            path = Path(entry.path)
            fingerprint = (known.fingerprint(path) if known else folder_fingerprint(path, sources)) \
                if is_folder(entry) else b"other"
            if commits is not None and is_folder(entry):
                # The change log reads the course's commits: a new one changes its output.
                fingerprint += b"\0git " + commits.get(entry.name, "none").encode()
            fingerprints[entry.name] = fingerprint
        declared = known.declared(self.courses, fingerprints, _offerings_declared) if known \
            else _offerings_declared(self.courses, fingerprints)
        groups = _offering_groups(declared)
        # The current offering also writes the course's stable page, NAME/index.html.
        self.stable_pages = {slug: urls.stable_page(name) for slug, name in declared.items() if checked.is_slug(name)}
        for name, fingerprint in fingerprints.items():
            course = context.copy()
            # An offering's pages show its siblings' terms: it depends on their folders too.
            for member in groups.get(name, [name]):
                course.update(b"\0" + os.fsencode(member) + b"\0" + fingerprints[member])
            self.course_keys[name] = course.hexdigest()
            site.update(b"\0" + os.fsencode(name) + b"\0" + fingerprint)
        self.site_key = site.hexdigest()

    # Courses

    def holds_course(self, slug: str) -> bool:
        """Whether course `slug` is stored for its present input and this build's day or moment
        (restore_course may yet find its files damaged)."""
        if not (checked.is_slug(slug) and slug in self.course_keys):
            return False
        try:
            entry = _load(self.entries / slug / ENTRY)
            fixed = entry.get("fixed")
            return entry.get("key") == self.course_keys[slug] and (
                Validity.from_json(entry["valid"]).covers(self.today, self.now)
                or (fixed is not None and Validity.from_json(fixed).covers(self.today, self.now)))
        except checked.DAMAGE:
            return False

    def restore_course(self, slug: str, staging: Path, folder: Path | None = None) -> StoredCourse | None:
        """Link the stored output of course `slug` into `staging`, if it is stored for its present
        input and intact; with the course `folder`, its summary too."""
        if not (checked.is_slug(slug) and slug in self.course_keys):
            return None
        entry_folder = self.entries / slug
        try:
            entry = _load(entry_folder / ENTRY)
            if entry.get("key") != self.course_keys[slug]:
                return None
            valid = Validity.from_json(entry["valid"])
            fixed = None if entry.get("fixed") is None else Validity.from_json(entry["fixed"])
            marked: set[str] = set()
            if not valid.covers(self.today, self.now):
                # Made for other days: usable if only its day marks differ, set again for today.
                if fixed is None or not fixed.covers(self.today, self.now):
                    return None  # made for days or moments on which something showed otherwise
                marked = set(_paths(entry["marked"]))
                valid = Validity(self.today, self.today + DAY).within(fixed)
            files = checked.manifest(entry["manifest"], slug, self.stable_pages.get(slug))
            if not marked.issubset(path for path, *_ in files):
                raise checked.Damaged("a marked page is not stored")
            course = StoredCourse(checked.diagnostics(entry["diagnostics"]), tuple(path for path, *_ in files),
                                  checked.referenced_names(entry["referenced"], str(self.courses / slug)),
                                  None if folder is None else _summary(entry_folder, folder), valid, bool(marked),
                                  fixed)
            copied = {urls.course_file(slug, name) for name in course.referenced}
            if copied.intersection(course.written):  # a copy would write through a link into the cache
                raise checked.Damaged("a stored file is also a copied file")
            stored = checked.Folders(str(entry_folder / "files"))
            made: set[str] = set()
            today = self.today

            def mark_today(page: bytes) -> bytes:
                return mark_page(page, today)

            for path, size, _mtime, digest in files:
                target = os.path.join(staging, path)
                parent = os.path.dirname(target)
                if parent not in made:
                    os.makedirs(parent, exist_ok=True)
                    made.add(parent)
                # A page whose day marks are the same on this day is linked, as the others.
                checked.link_verified(stored.file(path), size, digest, target,
                                      mark_today if path in marked else None)
            return course
        except checked.DAMAGE:
            shutil.rmtree(staging / slug, ignore_errors=True)  # half linked: built instead
            return None

    def stored_summary(self, slug: str, folder: Path) -> CourseSummary | None:
        """What the catalog shows of course `slug` (in `folder`), as stored for its present input."""
        try:
            entry = _load(self.entries / slug / ENTRY)
            if not (checked.is_slug(slug) and entry.get("key") == self.course_keys.get(slug)):
                return None
            return _summary(self.entries / slug, folder)
        except checked.DAMAGE:
            return None

    def store_course(self, staging: Path, summary: CourseSummary, written: Iterable[str],
                     diagnostics: Iterable[Diagnostic], referenced: Iterable[str],
                     valid: Validity, fixed: Validity | None = None, marked: Iterable[str] = ()) -> None:
        """Keep course `summary.slug`'s files `written` (as they are in `staging`), replacing what was stored.

        A cache that cannot be written (a full disk, a read-only folder) only slows the next build.
        """
        slug = summary.slug
        with suppress(OSError), self._new_entry() as entry:
            manifest = _keep_files(staging, written, entry / "files")
            (entry / SUMMARY).write_text(summary.info.model_dump_json(), encoding="utf-8")
            _dump(entry / ENTRY, {"key": self.course_keys.get(slug), "manifest": manifest,
                                  "diagnostics": [asdict(d) for d in diagnostics],
                                  "referenced": list(referenced),
                                  "valid": valid.to_json(), "marked": sorted(marked),
                                  "fixed": None if fixed is None else fixed.to_json()})
            self._replace(entry, self.entries / slug)

    # The site's search index (search_cache.py)

    def restore_search(self, key: str, staging: Path, part: str) -> bool:
        """Link the part `part` of the search index stored under `key` into `staging`, if it is there and intact."""
        entry_folder = self.folder / "search" / part
        try:
            entry = _load(entry_folder / ENTRY)
            if entry.get("key") != key:
                return False
            stored = checked.Folders(str(entry_folder / "files"))
            for path, size, _mtime, digest in checked.manifest(entry["manifest"], f"{urls.SEARCH_BUNDLE}/{part}"):
                target = os.path.join(staging, path)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                checked.link_verified(stored.file(path), size, digest, target)
            return True
        except checked.DAMAGE:
            shutil.rmtree(staging / urls.SEARCH_BUNDLE / part, ignore_errors=True)  # half linked: indexed instead
            return False

    def store_search(self, key: str, staging: Path, part: str) -> None:
        """Keep the part `part` of the search index in `staging` under `key`, replacing the one stored."""
        bundle = staging / urls.SEARCH_BUNDLE / part
        files = [path.relative_to(staging).as_posix() for path in bundle.rglob("*") if path.is_file()]
        with suppress(OSError), self._new_entry() as entry:
            _dump(entry / ENTRY, {"key": key, "manifest": _keep_files(staging, files, entry / "files")})
            self._replace(entry, self.folder / "search" / part)

    def forget_search(self, parts: Iterable[str]) -> None:
        """Remove the stored parts of the search index other than `parts` (a site that shrank has fewer)."""
        with suppress(OSError):
            for stored in (self.folder / "search").iterdir():
                if stored.name not in parts:
                    _remove(stored)

    # The whole site

    def restore_site(self) -> StoredSite | None:
        """What the last build of this very input left besides its courses' files, if it is
        stored and intact. The catalog's bytes are checked against the digest the entry holds."""
        try:
            entry = _load(self.site_entry / ENTRY)
            if entry.get("key") != self.site_key:
                return None
            fixed = None if entry.get("fixed") is None else Validity.from_json(entry["fixed"])
            if not Validity.from_json(entry["valid"]).covers(self.today, self.now) \
                    and not (fixed is not None and fixed.covers(self.today, self.now)):
                return None  # its courses are taken with their day marks set again, or built
            courses = checked.strings(entry["courses"])
            if len(set(courses)) != len(courses) or not all(slug in self.course_keys for slug in courses):
                raise checked.Damaged("the courses are not this site's")
            stored = checked.Folders(str(self.site_entry))
            catalog = checked.read_verified(stored.file(CATALOG), entry["catalog"])
            feed = checked.read_verified(stored.file(FEED), entry["feed"])
            index = checked.read_verified(stored.file(urls.INDEX_JSON), entry["index"])
            return StoredSite(checked.diagnostics(entry["diagnostics"]),
                              frozenset(checked.strings(entry["strict_allows"])), tuple(courses),
                              checked.count(entry["pages"]), catalog, feed, index, Validity.from_json(entry["valid"]),
                              fixed)
        except checked.DAMAGE:
            return None

    def store_site(self, site: StoredSite) -> None:
        """Keep what `site` says, and forget the courses it does not have and what killed builds left."""
        with suppress(OSError), self._new_entry() as entry:
            (entry / CATALOG).write_bytes(site.catalog)
            (entry / FEED).write_bytes(site.feed)
            (entry / urls.INDEX_JSON).write_bytes(site.index)
            _dump(entry / ENTRY, {"key": self.site_key, "diagnostics": [asdict(d) for d in site.diagnostics],
                                  "strict_allows": sorted(site.strict_allows), "courses": list(site.courses),
                                  "pages": site.pages, "catalog": checked.digest_bytes(site.catalog),
                                  "feed": checked.digest_bytes(site.feed),
                                  "index": checked.digest_bytes(site.index), "valid": site.valid.to_json(),
                                  "fixed": None if site.fixed is None else site.fixed.to_json()})
            self._replace(entry, self.site_entry)
        with suppress(OSError):
            courses = self.entries
            for stored in courses.iterdir() if courses.is_dir() else ():
                if stored.name not in site.courses:
                    _remove(stored)
        with suppress(OSError):
            for leftover in self.folder.glob(".*-*"):
                with suppress(OSError):
                    if time.time() - leftover.lstat().st_mtime > LEFTOVER_SECONDS:
                        _remove(leftover)

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
        """Move the folder `new` to `entry`, replacing whatever was there (an older entry, or a
        damaged one: everything in the cache folder is the cache's)."""
        entry.parent.mkdir(parents=True, exist_ok=True)
        old = Path(tempfile.mkdtemp(prefix=".old-", dir=self.folder))
        if os.path.lexists(entry):
            os.rename(entry, old / "entry")
        os.rename(new, entry)
        _remove(old)


def _summary(entry_folder: Path, folder: Path) -> CourseSummary:
    """The stored summary of the course in `folder`: its course.yaml as validated, validated again."""
    from coursesite.model import CourseInfo
    from coursesite.site import CourseSummary

    info = CourseInfo.model_validate_json(checked.read_file(str(entry_folder / SUMMARY), MAX_SUMMARY_BYTES))
    return CourseSummary(folder.name, folder, info)


def _settings_digest(site_folder: Path, base_url: str | None, sources: SourceDigests) -> bytes:
    """A digest of what every page and diagnostic may depend on besides its course folder."""
    digest = hashlib.blake2b(FORMAT, digest_size=20)
    # Diagnostics name files relative to the working folder.
    for part in (str(site_folder), os.getcwd(), base_url or "", sys.version):
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


def keeps_change_log(site_folder: Path) -> bool:
    """Whether site.yaml may ask for a change log, read without loading YAML: only the plain
    `change_log: {commits: 0}` (flow or block style) turns it off here; anything else may not."""
    try:
        text = (site_folder / "site.yaml").read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return True
    found = re.findall(r"^change_log:(.*(?:\n[ \t]+.*)*)", text, re.M)
    off = r"\s*(\{\s*commits:\s*0\s*\}|\n[ \t]+commits:\s*0)\s*(#.*)?"
    return not (len(found) == 1 and re.fullmatch(off, found[0]))


def course_commits(site_folder: Path) -> dict[str, str] | None:
    """Course folder -> a digest of the commits that changed it; None outside a git checkout."""
    repository = Repository.containing(site_folder)
    return None if repository is None else repository.commits_by_folder(site_folder / "courses")


def _offerings_declared(courses: Path, names: Iterable[str]) -> dict[str, str]:
    """Course folder -> the `offering_of` its course.yaml declares, read without loading YAML;
    "\0unread" where it mentions offering_of in a way this does not read."""
    declared: dict[str, str] = {}
    for name in names:
        with suppress(OSError, UnicodeDecodeError):
            text = (courses / name / "course.yaml").read_text(encoding="utf-8")
            text = without_comment_lines(text)
            if "offering_of" in text:
                match = re.search(r"^offering_of:\s*[\"']?([a-z0-9][a-z0-9-]*)[\"']?\s*(?:#.*)?$", text, re.M)
                declared[name] = match[1] if match else "\0unread"
    return declared


def _offering_groups(declared: dict[str, str]) -> dict[str, list[str]]:
    """Course folder -> the folders of its offering group (offerings.py). Erring on the safe side:
    a course whose offering_of was not read joins the group of every course that has one."""
    groups: dict[str, list[str]] = {}
    for name, group in declared.items():
        groups[name] = sorted(other for other, g in declared.items()
                              if g == group or "\0unread" in (g, group))
    return groups


def _package_folders() -> set[str]:
    """The folders the packages a build uses are installed in."""
    folders = set()
    for name in ("markdown", "jinja2", "icalendar", "pydantic", "yaml", "frontmatter", "selectolax"):
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.origin:
            folders.add(os.path.dirname(os.path.dirname(spec.origin)))
    return folders


def _keep_files(staging: Path, paths: Iterable[str], folder: Path) -> list[tuple[str, int, int, str]]:
    """Link (or copy) the files `paths` of `staging` into `folder`; their manifest."""
    manifest = []
    for path in sorted(set(paths)):
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        _link_or_copy(str(staging / path), str(target))
        status = target.stat()
        manifest.append((path, status.st_size, status.st_mtime_ns, checked.digest_file(str(target))))
    return manifest


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def _load(path: Path) -> dict[str, Any]:
    """An entry's JSON object; an error from cache_entries.DAMAGE when it is missing or damaged."""
    entry = json.loads(checked.read_file(str(path), MAX_ENTRY_BYTES))
    if not isinstance(entry, dict):
        raise checked.Damaged(f"{path} is not an entry")
    return entry


def _remove(path: Path) -> None:
    """Remove a file, a link or a folder of the cache, never what a link leads to."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with suppress(OSError):
            path.unlink()


def _paths(value: Any) -> list[str]:
    if not (isinstance(value, list) and all(isinstance(path, str) for path in value)):
        raise checked.Damaged("not a list of paths")
    return value


def _dump(path: Path, entry: dict[str, Any]) -> None:
    path.write_text(json.dumps(entry, separators=(",", ":")), encoding="utf-8")
