"""Relative links written in Markdown: to the course's pages, and to files of the course folder.

A relative link is relative to the file it is written in, as an editor previews it: in
`pages/policies.md`, `project.md` is another page and `../slides/week1.pdf` a file of the
course folder; in `schedule.yaml`, that file is `slides/week1.pdf`. Links to pages become links
to their `.html`; files are copied into the site and linked there; a file that does not exist
yet is shown as "not yet posted", with the same warning as a `file:` field. Links to the site's
own page names (`schedule.html`), fragments and absolute URLs are kept as written; a page's
file-relative spelling of them (`../schedule.html` in pages/) reaches the same page.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import quote, unquote, urlsplit

from coursesite import urls
from coursesite.loading import PathKey, link_problem
from coursesite.markup import LinkRewriter, links_in
from coursesite.site import Course
from coursesite.validation import shorten

Kind = Literal["kept", "page", "file", "not-posted", "no-such-page", "refused", "withheld"]
YAML_PARTS = ("course", "schedule", "readings", "links", "announcements")


@dataclass(frozen=True)
class LinkTarget:
    """What a link written in Markdown points to."""

    kind: Kind
    output: str = ""  # the output path, for a page or a file
    name: str = ""  # the file's path in the course folder, or the page's name
    problem: str = ""  # why a "refused" link is refused


class CourseLinks:
    """Resolves the relative links written in one course's Markdown."""

    def __init__(self, course: Course) -> None:
        self.course = course
        self.root = Path(os.path.normpath(course.folder))
        self.pages_folder = self.root / "pages"
        self.page_names = {page.name for page in course.pages}
        self.site_pages = {Path(p).name for p in urls.COURSE_PAGES.values()} | {"calendar.ics"}
        self.site_pages |= {f"{name}.html" for name in self.page_names}

    def resolve(self, url: str, base: Path) -> LinkTarget:
        """The target of `url`, written in a file of folder `base` (the course or pages folder)."""
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or url.startswith(("#", "/", "?", "\\")) or not parts.path:
            return LinkTarget("kept")
        written = unquote(parts.path)
        target = Path(os.path.normpath(base / written))
        if written in self.site_pages and not target.exists():
            return LinkTarget("kept")
        try:
            name = target.relative_to(self.root).as_posix()
        except ValueError:
            return LinkTarget("refused", problem=f"link '{shorten(url)}' points outside the course folder; "
                              "copy the file in, or link it with its full https:// address")
        if name in self.site_pages and not target.exists():
            # `../schedule.html` from pages/: the file-relative spelling of a page coursesite makes
            return LinkTarget("page", f"{self.course.slug}/{name}", name)
        if name in self.course.withheld:  # not released yet (releases.py): as if not posted
            return LinkTarget("withheld", name=name)
        if target.suffix == ".md" and target.parent == self.pages_folder:
            page = target.stem.lower()
            if page in self.page_names:
                return LinkTarget("page", urls.markdown_page(self.course.slug, page), page)
            return LinkTarget("no-such-page", name=page)
        problem = link_problem(target, self.root, "the course folder")
        if problem:
            return LinkTarget("refused", problem=f"link '{shorten(url)}' {problem}")
        if target.is_dir():
            return LinkTarget("refused", problem=f"link '{shorten(url)}' is a folder; link a file in it")
        if not target.is_file():
            return LinkTarget("not-posted", name=name)
        return LinkTarget("file", urls.course_file(self.course.slug, name), name)

    def rewriter(self, base: Path, from_page: str) -> LinkRewriter:
        """Rewrites links written in a file of `base` for the output page `from_page`."""

        def rewrite(url: str) -> str | None:
            target = self.resolve(url, base)
            if target.kind in ("page", "file"):
                fragment = urlsplit(url).fragment
                link = quote(urls.relative(from_page, target.output))  # a file may be named 'a#b.pdf'
                return link + (f"#{fragment}" if fragment else "")
            return None if target.kind in ("not-posted", "withheld") else url

        return rewrite

    def linked_files(self) -> set[str]:
        """Every existing course file that the course's Markdown links to (to copy it)."""
        names: set[str] = set()
        for base, text in self.markdown_texts():
            for url in links_in(text, allow_html=base == self.pages_folder):
                target = self.resolve(url, base)
                if target.kind == "file":
                    names.add(target.name)
        return names

    def markdown_texts(self) -> Iterator[tuple[Path, str]]:
        """(folder the text is written in, text) for every page and YAML text with links."""
        for page in self.course.pages:
            yield self.pages_folder, page.body
        for _, _, text in yaml_texts(self.course):
            if "]" in text:
                yield self.root, text


def yaml_texts(course: Course) -> Iterator[tuple[str, PathKey, str]]:
    """(file part, field path, text) for every string of the course's YAML files.

    Templates decide which fields they show as Markdown, so every string is treated as
    Markdown by the checks: a string shown as plain text is escaped anyway.
    """
    models = {"course": course.info, "schedule": course.schedule, "readings": course.readings,
              "links": course.links, "announcements": course.announcements}
    for part in YAML_PARTS:
        if part in course.sources:
            yield from ((part, loc, text) for loc, text in strings_in(models[part].model_dump()))


def strings_in(value: object, loc: PathKey = ()) -> Iterator[tuple[PathKey, str]]:
    """Every string in plain data (a model's dump), with its field path, in document order."""
    # A stack rather than recursion: nested generators would pass each string up through every
    # level (a course's dumps hold hundreds of strings, several levels deep).
    stack: list[tuple[PathKey, object]] = [(loc, value)]
    while stack:
        loc, value = stack.pop()
        if isinstance(value, str):
            yield loc, value
        elif isinstance(value, dict):
            stack.extend(((*loc, key), item) for key, item in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend(((*loc, i), value[i]) for i in range(len(value) - 1, -1, -1))
