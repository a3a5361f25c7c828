"""Full-text search: a Pagefind index of each course's pages, written into the output folder.

Each course gets its own index in `<course>/pagefind/`, so a course's search box finds only
that course; the catalog's box merges them all. Course pages mark what is indexed with
`data-pagefind-body` (navigation and the date-dependent "at a glance" block are left out).

One index per course also keeps the output deterministic: Pagefind writes the values of a
filter in hash-map order, different from run to run, so one site-wide index filtered by course
would not give the same bytes twice. Without filters its output is stable. The theme's own
search box (static/site.js) uses Pagefind's JavaScript API, so Pagefind's ready-made
interfaces are left out of the output.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Collection
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from coursesite import urls
from coursesite.errors import UsageError

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


def index_site(folder: Path, skip: Collection[str] = ()) -> None:
    """Write each course's search index into `folder`/<course>/pagefind/ (but those in `skip`)."""
    executable = str(pagefind_executable())
    courses = [course for course in built_courses(folder) if course.name not in skip]
    if not courses:
        return
    # Most of Pagefind's time is spent starting up, so a few run side by side; never more than
    # the machine has cores, or a site of a thousand courses would start a thousand processes.
    workers = max(1, min(len(courses), os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        outcomes = list(pool.map(lambda course: _index_course(executable, course), courses))
    failures = [failure for failure in outcomes if failure]
    if failures:
        raise SearchIndexError("could not build the search index: " + "; ".join(failures))


def _index_course(executable: str, course: Path) -> str | None:
    """Index one course's pages; what went wrong, or None."""
    try:
        run = subprocess.run([executable, "--site", str(course), "--output-subdir", urls.SEARCH_BUNDLE,
                              # Links keep their index.html, as every other link of the site does.
                              "--keep-index-url", "--silent"],
                             capture_output=True, text=True, timeout=TIMEOUT_SECONDS, check=False)
    except OSError as exc:
        return f"{course.name}: {exc}"
    except subprocess.TimeoutExpired:
        return f"{course.name}: pagefind said: no answer within {TIMEOUT_SECONDS} seconds"
    bundle = course / urls.SEARCH_BUNDLE
    if run.returncode != 0 or not (bundle / "pagefind.js").is_file():
        said = (run.stderr or run.stdout).strip() or f"exit code {run.returncode}"
        return f"{course.name}: pagefind said: {said}"
    for name in UNUSED_FILES:
        (bundle / name).unlink(missing_ok=True)
    shutil.rmtree(bundle / "playground", ignore_errors=True)
    return None
