"""Linked .html and .svg files: published as they are, they run on the site's origin like its pages.

A course may publish an HTML export or an SVG drawing next to its slides. Opened from the site,
such a file is a page of the site: its script could read or change everything the site shows.
`check` warns (code `active-content`) when one holds script, an event handler or a
`javascript:` link, found by a tokenizer that reads every tag wherever it stands.
"""

from __future__ import annotations

from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

from coursesite.html_tree import read_tags
from coursesite.sanitize import unsafe_url

ACTIVE_SUFFIXES = (".html", ".htm", ".xhtml", ".xht", ".svg")
_SCRIPT_SCHEMES = ("javascript", "vbscript")
_URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "values", "to", "from")


class _FirstScript(HTMLParser):
    """Notes the first script element, event handler or script link, and where it is."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: tuple[str, int] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.found:
            return
        line = self.getpos()[0]
        if tag.rsplit(":", 1)[-1] == "script":
            self.found = ("a <script> element", line)
        for name, value in attrs:
            local = name.rsplit(":", 1)[-1]
            if self.found:
                return
            if local.startswith("on"):
                self.found = (f"an event handler ({name}=)", line)
            elif local in _URL_ATTRIBUTES and unsafe_url((value or "").strip()) in _SCRIPT_SCHEMES:
                self.found = (f"a {unsafe_url((value or '').strip())}: link", line)

    handle_startendtag = handle_starttag


def active_content(path: Path) -> str | None:
    """What in the .html or .svg file at `path` would run script (and its line); None if nothing
    does or it is another kind of file."""
    if path.suffix.lower() not in ACTIVE_SUFFIXES:
        return None
    try:
        stat = path.stat()
    except OSError:
        return None
    return _first_script(path, stat.st_size, stat.st_mtime_ns)


# The dev server checks the same course after every save: a file is read again only if it changed.
@lru_cache(maxsize=256)
def _first_script(path: Path, size: int, modified: int) -> str | None:
    try:
        text = path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return None
    reader = _FirstScript()
    read_tags(reader, text)
    if reader.found is None:
        return None
    what, line = reader.found
    return f"{what} at line {line}"


def active_content_message(name: str, found: str) -> str:
    return (f"'{name}' contains script ({found}): published, it would run on the site's origin like "
            "one of its pages")
