"""Full-text search: one Pagefind index of every course's pages, written into the output folder.

One Pagefind run indexes the whole site into `pagefind/`, so its script and WebAssembly are
written once, not once per course. Course pages mark what is indexed with `data-pagefind-body`
(navigation and the date-dependent "at a glance" block are left out) and their course with
`data-pagefind-filter="course:SLUG"`: a course's search box asks for that filter, so it finds
only that course; the catalog's box searches every course, in every language (static/site.js).
Only the courses' folders are indexed: a course's stable address (offerings.py) repeats the
current offering's overview.

Pagefind writes a filter's values in hash-map order, different from run to run; search_bundle.py
puts them in one order, so the same pages give the same bytes. Pagefind cannot add one course's
pages to an index: when any indexed page changed, the whole site is indexed again; when none did,
the index is linked from the previous output or taken from the build cache (search_cache.py).
The theme's own search box uses Pagefind's JavaScript API, so Pagefind's ready-made interfaces are
left out of the output.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from coursesite import urls
from coursesite.errors import UsageError
from coursesite.search_bundle import make_deterministic

# Pagefind's ready-made search interfaces, which the theme does not use.
UNUSED_FILES = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
                "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
TIMEOUT_SECONDS = 600


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
    return sorted(page.relative_to(folder).as_posix()
                  for course in built_courses(folder) for page in course.rglob("*.html"))


def index_site(folder: Path) -> None:
    """Write the search index of every course's pages in `folder` into `folder`/pagefind/."""
    bundle = folder / urls.SEARCH_BUNDLE
    shutil.rmtree(bundle, ignore_errors=True)
    process = start_indexing(folder, bundle)
    if process is None:
        return
    try:
        said, _ = process.communicate(timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise SearchIndexError("could not build the search index: pagefind said: "
                               f"no answer within {TIMEOUT_SECONDS} seconds") from None
    finish_bundle(bundle, process.returncode, said)


def start_indexing(folder: Path, bundle: Path) -> subprocess.Popen[str] | None:
    """Pagefind, started on the courses' pages in `folder`, writing into `bundle`; None without courses."""
    courses = [course.name for course in built_courses(folder)]
    if not courses:
        return None
    # Slugs are lowercase letters, digits and hyphens: nothing a glob reads as syntax.
    glob = ("{" + ",".join(courses) + "}" if len(courses) > 1 else courses[0]) + "/**/*.html"
    try:
        return subprocess.Popen([str(pagefind_executable()), "--site", str(folder), "--output-path", str(bundle),
                                 "--glob", glob,
                                 # Links keep their index.html, as every other link of the site does.
                                 "--keep-index-url", "--silent"],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    except OSError as exc:
        raise SearchIndexError(f"could not build the search index: {exc}") from None


def finish_bundle(bundle: Path, code: int, said: str) -> None:
    """Check what Pagefind wrote into `bundle`, leave out what the theme does not use, make it deterministic."""
    if code != 0 or not (bundle / "pagefind.js").is_file():
        said = said.strip() or f"exit code {code}"
        raise SearchIndexError(f"could not build the search index: pagefind said: {said}")
    for name in UNUSED_FILES:
        (bundle / name).unlink(missing_ok=True)
    shutil.rmtree(bundle / "playground", ignore_errors=True)
    make_deterministic(bundle)
