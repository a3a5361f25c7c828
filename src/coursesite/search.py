"""Full-text search: a Pagefind index of the built pages, written into the output folder.

Course pages opt in with `data-pagefind-body` and carry their course as the `course` filter, so
a course's search box finds only that course while the catalog's searches them all. The theme's
own search box (static/site.js) uses Pagefind's JavaScript API; Pagefind's ready-made interfaces
are left out of the output. The index is deterministic: the same pages give the same bytes.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from coursesite import urls
from coursesite.errors import UsageError

# Pagefind's ready-made search interfaces, which the theme does not use.
UNUSED_FILES = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
                "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


class SearchIndexError(UsageError):
    """Pagefind failed. No input file is at fault, so it is reported like a usage error (exit 2)."""


def pagefind_executable() -> Path:
    """The Pagefind binary shipped in the `pagefind-bin` wheel."""
    from pagefind_bin import get_executable  # type: ignore[import-untyped]

    return Path(get_executable())


def index_site(folder: Path) -> None:
    """Write the search index of the pages in `folder` into `folder`/pagefind/."""
    command = [str(pagefind_executable()), "--site", str(folder), "--output-subdir", urls.SEARCH_BUNDLE,
               # Links keep their index.html, as every other link of the site does (for file:// too).
               "--keep-index-url", "--silent"]
    try:
        finished = subprocess.run(command, capture_output=True, text=True, check=False, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SearchIndexError(f"could not build the search index: {exc}") from None
    bundle = folder / urls.SEARCH_BUNDLE
    if finished.returncode != 0 or not (bundle / "pagefind.js").is_file():
        said = (finished.stderr or finished.stdout).strip() or f"exit code {finished.returncode}"
        raise SearchIndexError(f"could not build the search index: pagefind said: {said}")
    for name in UNUSED_FILES:
        (bundle / name).unlink(missing_ok=True)
    shutil.rmtree(bundle / "playground", ignore_errors=True)
