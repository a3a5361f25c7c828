"""Full-text search: a Pagefind index of every course's pages, written into the output folder.

One Pagefind run indexes the whole site into `pagefind/0/`, so its script and WebAssembly are
written once, not once per course. A site of more than SHARD_COURSES courses is indexed in parts
(`pagefind/0/`, `pagefind/1/`...), one Pagefind run each, since Pagefind holds all it indexes in
memory; `pagefind/parts.json` says which part holds each course. Course pages mark what is
indexed with `data-pagefind-body` (navigation and the date-dependent "at a glance" block are
left out) and their course with `data-pagefind-filter="course:SLUG"`: a course's search box
loads its part and asks for that filter, so it finds only that course; the catalog's box
searches every part, in every language (static/site.js).
Only the courses' folders are indexed: a course's stable address (offerings.py) repeats the
current offering's overview.

Pagefind writes a filter's values in hash-map order, different from run to run; search_bundle.py
puts them in one order, so the same pages give the same bytes. Pagefind cannot add one course's
pages to an index: when an indexed page changed, its part is indexed again; the others are
taken from the build cache (search_cache.py), or, in the dev server, linked from the previous output.
The theme's own search box uses Pagefind's JavaScript API, so Pagefind's ready-made interfaces are
left out of the output.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from coursesite import urls
from coursesite.errors import UsageError
from coursesite.search_bundle import make_deterministic

# Pagefind's ready-made search interfaces, which the theme does not use.
UNUSED_FILES = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
                "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
TIMEOUT_SECONDS = 600
# Courses per Pagefind run, on average. Pagefind holds what it indexes in memory (1.4 GB for 1,000
# courses in one run, 113 MB for 64, 40 MB for 16), so a large site is indexed in parts, one after
# the other; and an edit indexes its whole part again (1.4 s for 64 courses, 0.45 s for 16, 0.19 s
# for 8). Fewer courses per part cost the catalog: its search loads every part's WebAssembly
# (70 kB each). 16 keeps an edit under half a second and a build under 200 MB at 1,000 courses.
SHARD_COURSES = 16
SHARDS_FILE = "parts.json"  # which part holds each course's pages, read by static/site.js


class SearchIndexError(UsageError):
    """Pagefind failed. No input file is at fault, so it is reported like a usage error (exit 2)."""


def pagefind_executable() -> Path:
    """The Pagefind binary shipped in the `pagefind-bin` wheel."""
    from pagefind_bin import get_executable  # type: ignore[import-untyped]

    return Path(get_executable())


def built_courses(folder: Path) -> list[Path]:
    """The built courses in an output folder: the folders that hold a schedule page (a course's
    stable address, offerings.py, holds only the current offering's overview)."""
    return sorted(path.parent for path in folder.glob(f"*/{urls.COURSE_PAGES['schedule']}"))


def indexed_pages(folder: Path) -> list[str]:
    """The pages Pagefind reads in `folder`: every HTML file of its courses, as output paths."""
    return sorted(page for course in built_courses(folder) for page in course_pages(folder, course.name))


def course_pages(folder: Path, slug: str) -> list[str]:
    """The pages Pagefind reads of course `slug` in `folder`, as output paths."""
    return [page.relative_to(folder).as_posix() for page in (folder / slug).rglob("*.html")]


def shard_of(slug: str, shards: int) -> str:
    """The part of the index that holds course `slug`'s pages, among `shards`: by a digest of the
    slug alone, so that a course stays where it is while the number of parts does not change."""
    return str(int.from_bytes(hashlib.blake2b(slug.encode(), digest_size=4).digest(), "big") % shards)


def shard_courses(courses: list[str]) -> dict[str, list[str]]:
    """Part name -> its courses' slugs: as few parts as hold at most SHARD_COURSES courses on average."""
    shards = max(1, -(-len(courses) // SHARD_COURSES))
    parts: dict[str, list[str]] = {}
    for slug in courses:
        parts.setdefault(shard_of(slug, shards), []).append(slug)
    return dict(sorted(parts.items(), key=lambda item: int(item[0])))


def index_site(folder: Path, bundle: Path | None = None,
               started: Callable[[subprocess.Popen[str]], None] | None = None) -> None:
    """Write the search index of every course's pages in `folder` into `bundle` (`folder`/pagefind/):
    one Pagefind run per part (see the module's docstring), one after the other, and SHARDS_FILE.
    `started` is told of each Pagefind process (the dev server stops one that is no longer needed)."""
    bundle = bundle or folder / urls.SEARCH_BUNDLE
    shutil.rmtree(bundle, ignore_errors=True)
    parts = shard_courses([course.name for course in built_courses(folder)])
    for part, courses in parts.items():
        index_part(folder, bundle / part, courses, started)
    write_parts(bundle, parts)


def write_parts(bundle: Path, parts: dict[str, list[str]]) -> None:
    """Write SHARDS_FILE: the parts, and the part of each course."""
    if parts:
        shards = {"parts": list(parts), "courses": {slug: part for part, slugs in parts.items() for slug in slugs}}
        (bundle / SHARDS_FILE).write_text(json.dumps(shards, sort_keys=True, separators=(",", ":")), encoding="utf-8")


def index_part(folder: Path, bundle: Path, courses: list[str],
               started: Callable[[subprocess.Popen[str]], None] | None = None, nice: bool = False) -> None:
    """One Pagefind run over the pages of `courses` in `folder`, into `bundle`; with `nice`, at the
    lowest CPU priority (where the `nice` command is found)."""
    # Slugs are lowercase letters, digits, ".", "_" and "-" (site.SLUG_RE): nothing a glob reads as syntax.
    glob = ("{" + ",".join(courses) + "}" if len(courses) > 1 else courses[0]) + "/**/*.html"
    lowest = ["nice", "-n", "19"] if nice and shutil.which("nice") else []
    try:
        process = subprocess.Popen([*lowest, str(pagefind_executable()), "--site", str(folder),
                                    "--output-path", str(bundle),
                                    "--glob", glob,
                                    # Links keep their index.html, as every other link of the site does.
                                    "--keep-index-url", "--silent"],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    except OSError as exc:
        raise SearchIndexError(f"could not build the search index: {exc}") from None
    if started is not None:
        started(process)
    try:
        said, _ = process.communicate(timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise SearchIndexError("could not build the search index: pagefind said: "
                               f"no answer within {TIMEOUT_SECONDS} seconds") from None
    if process.returncode != 0 or not (bundle / "pagefind.js").is_file():
        said = said.strip() or f"exit code {process.returncode}"
        raise SearchIndexError(f"could not build the search index: pagefind said: {said}")
    for name in UNUSED_FILES:
        (bundle / name).unlink(missing_ok=True)
    shutil.rmtree(bundle / "playground", ignore_errors=True)
    make_deterministic(bundle)
