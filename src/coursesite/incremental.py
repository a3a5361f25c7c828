"""Incremental builds: reuse what earlier builds of this process computed, when its inputs did not change.

The dev server builds the site again after every save. A course folder is loaded and checked
again only when the bytes of its YAML and Markdown files (or which files it holds) changed; a
course is rendered again only when it was reloaded, or the templates its pages use, the site
settings, the day or the base URL changed. The result is the same as a full build, byte for
byte (the tests compare them).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from jinja2 import Environment, TemplateNotFound, TemplateSyntaxError, meta

from coursesite.fingerprints import SourceDigests, folder_fingerprint, templates_fingerprint
from coursesite.render import COURSE_TEMPLATES, Renderer, make_environment
from coursesite.schedule import DatedSchedule
from coursesite.search_cache import DeferredSearch
from coursesite.site import Course, CourseSummary

if TYPE_CHECKING:
    from coursesite.build import CheckedCourse

T = TypeVar("T")
RenderCourse = Callable[[Renderer, Course, DatedSchedule], dict[str, bytes]]


@dataclass(frozen=True)
class _Rendered:
    course: Course
    context: tuple[object, ...]
    files: dict[str, bytes]


@dataclass(frozen=True)
class _Written:
    out: Path
    files: dict[str, bytes]
    copies: dict[str, tuple[str, int, int]]


@dataclass(frozen=True)
class _Templates:
    fingerprint: bytes
    env: Environment
    course_pages_key: bytes  # what the course pages' output depends on among the templates


class BuildCache:
    """What the earlier builds of one site computed, keyed by what each result depends on."""

    def __init__(self) -> None:
        self._checked: dict[Path, tuple[bytes, CheckedCourse]] = {}
        self._rendered: dict[str, _Rendered] = {}
        self._templates: _Templates | None = None
        self._written: _Written | None = None
        self._sources = SourceDigests()
        self._per_course: dict[tuple[str, str], tuple[Course, object]] = {}
        self._catalog: tuple[tuple[object, ...], list[CourseSummary], bytes] | None = None
        self.rendered: list[str] = []  # slugs of the courses the current build rendered
        # Set by the dev server, which makes the search index in the background (search_refresh.py).
        self.deferred_search: DeferredSearch | None = None

    def checked_course(self, folder: Path, load: Callable[[Path], CheckedCourse]) -> CheckedCourse:
        """`load(folder)`, or its earlier result when the folder's files are unchanged."""
        fingerprint = folder_fingerprint(folder, self._sources)
        known = self._checked.get(folder)
        if known is not None and known[0] == fingerprint:
            return known[1]
        result = load(folder)
        self._checked[folder] = (fingerprint, result)
        return result

    def for_course(self, what: str, course: Course, compute: Callable[[], T]) -> T:
        """`compute()`, or its earlier result for this course while the course is unchanged."""
        known = self._per_course.get((what, course.slug))
        if known is not None and known[0] is course:
            return known[1]  # type: ignore[return-value]
        result = compute()
        self._per_course[(what, course.slug)] = (course, result)
        return result

    def begin_render(self, site_folder: Path) -> Environment:
        """Start rendering a build: the template environment, new only if a template changed.

        Compiling the templates takes longer than rendering a course's pages, so the
        environment is kept while no template file changes.
        """
        self.rendered = []
        fingerprint = templates_fingerprint(site_folder)
        if self._templates is None or self._templates.fingerprint != fingerprint:
            env = make_environment(site_folder)
            self._templates = _Templates(fingerprint, env, _templates_key(env, COURSE_TEMPLATES, fingerprint))
        return self._templates.env

    def catalog(self, renderer: Renderer, summaries: list[CourseSummary]) -> bytes:
        """The catalog page, rendered again only when what it shows of a course or its settings changed.

        Most saves change a course's schedule or pages, not its course.yaml; a catalog of many
        courses takes as long to render as the course that changed.
        """
        assert self._templates is not None, "call begin_render first"
        context = (self._templates.fingerprint, renderer.site.config.model_dump_json(), renderer.today,
                   renderer.base_url)
        if self._catalog is not None and self._catalog[0] == context and self._catalog[1] == summaries:
            return self._catalog[2]
        page = renderer.catalog(summaries).encode()
        self._catalog = (context, summaries, page)
        return page

    @staticmethod
    def _pdf_styles(renderer: Renderer) -> tuple[object, ...]:
        """The stylesheets syllabus.pdf is laid out with, when one is made: a change renders it again."""
        from coursesite.build import static_files

        if not renderer.pdf:
            return ()
        return tuple((path, _file_key(source)) for path, source in sorted(static_files(renderer.site.folder).items()))

    def course_output(self, renderer: Renderer, course: Course, dated: DatedSchedule,
                      render: RenderCourse) -> dict[str, bytes]:
        """`render(renderer, course, dated)`, or its earlier result when nothing it uses changed."""
        assert self._templates is not None, "call begin_render first"
        from coursesite.news import news_state

        context = (self._templates.course_pages_key, renderer.site.config.model_dump_json(),
                   renderer.today, renderer.base_url, renderer.offerings.get(course.slug),
                   news_state(course, today=renderer.today, now=renderer.now, change_log=renderer.change_log),
                   renderer.released(course).decisions, self._pdf_styles(renderer))
        known = self._rendered.get(course.slug)
        # The same Course object means the folder was not loaded again: its files are unchanged.
        if known is not None and known.course is course and known.context == context:
            return known.files
        files = render(renderer, course, dated)
        self._rendered[course.slug] = _Rendered(course, context, files)
        self.rendered.append(course.slug)
        return files


    def compare_output(self, out: Path, files: dict[str, bytes], copies: dict[str, Path],
                       ) -> tuple[frozenset[str], tuple[str, ...]]:
        """Against what this cache's last build wrote into `out`: the output paths that are
        already right there, and those that are new, different or gone."""
        written = self._written
        everything = set(files) | set(copies)
        if written is None or written.out != out:
            return frozenset(), tuple(sorted(everything))
        same = {path for path, content in files.items() if written.files.get(path) == content}
        same.update(path for path, source in copies.items() if written.copies.get(path) == _file_key(source))
        gone = (set(written.files) | set(written.copies)) - everything
        return frozenset(same), tuple(sorted((everything - same) | gone))

    def remember_output(self, out: Path, files: dict[str, bytes], copies: dict[str, Path]) -> None:
        """Record what a build wrote into `out`, for `compare_output` in the next build."""
        self._written = _Written(out, files, {path: _file_key(source) for path, source in copies.items()})


def templates_used(env: Environment, names: Iterable[str]) -> list[str] | None:
    """`names` and every template they extend, include or import; None if one is chosen at run time."""
    assert env.loader is not None
    seen: set[str] = set()
    queue = list(names)
    while queue:
        name = queue.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            source = env.loader.get_source(env, name)[0]
            references = list(meta.find_referenced_templates(env.parse(source)))
        except TemplateNotFound:
            continue
        except TemplateSyntaxError:
            return None
        if None in references:
            return None
        queue.extend(name for name in references if name is not None)
    return sorted(seen)


def _templates_key(env: Environment, roots: Iterable[str], fingerprint: bytes) -> bytes:
    """A digest of the templates that `roots` use, as the loader finds them (site over theme)."""
    used = templates_used(env, roots)
    if used is None:
        return fingerprint
    assert env.loader is not None
    digest = hashlib.blake2b(digest_size=20)
    for name in used:
        try:
            source = env.loader.get_source(env, name)[0]
        except TemplateNotFound:
            source = "\0missing"
        digest.update(b"\0" + name.encode() + b"\0" + source.encode())
    return digest.digest()


def _file_key(path: Path) -> tuple[str, int, int]:
    """A copied file is taken as unchanged while its size and modification time are."""
    try:
        status = path.stat()
    except OSError:
        return (str(path), -1, -1)
    return (str(path), status.st_size, status.st_mtime_ns)
