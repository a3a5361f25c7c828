"""The site API: find the course folders of a site and load each into validated model objects."""

from __future__ import annotations

import fnmatch
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from frontmatter.default_handlers import YAMLHandler

from coursesite.announcements import FILE_NAME as ANNOUNCEMENTS_FILE
from coursesite.announcements import AnnouncementsFile, load_announcements
from coursesite.errors import Report
from coursesite.loading import (
    MAX_PAGE_BYTES,
    PathKey,
    SourceMap,
    YamlDocument,
    link_problem,
    list_folder,
    load_yaml,
    parse_yaml,
    read_text,
)
from coursesite.model import CourseInfo, LinksFile, PageMeta, ReadingsFile, ScheduleFile, SiteConfig
from coursesite.urls import COURSE_PAGES, SITE_OUTPUTS
from coursesite.validation import validate

SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9._-]*\Z")  # \Z: '$' would let a trailing newline through
# A page in pages/ may not take the name of a page coursesite makes (week.html, syllabus.html...).
RESERVED_PAGE_NAMES = {name.removesuffix(".html") for name in COURSE_PAGES.values()} | {"calendar", "search"}
# What the site writes beside the course folders: a course named like one would collide with it.
RESERVED_COURSE_NAMES = {"index.html", "feed.xml", "static"}
# Names the site's own output takes (the catalog, static/, schema/...): no course folder or
# stable address of a course (offerings.py) may take them.
RESERVED_FOLDER_NAMES = SITE_OUTPUTS
_FRONT_MATTER = YAMLHandler()


@dataclass
class Page:
    """A Markdown page of a course (`pages/<name>.md`)."""

    name: str
    meta: PageMeta
    body: str
    source: Path
    body_line: int


@dataclass(frozen=True)
class CourseSummary:
    """What the catalog shows of a course: its course.yaml. A catalog of a thousand courses holds
    (and the build cache stores) this much of each, not their schedules, readings and pages."""

    slug: str
    folder: Path
    info: CourseInfo


@dataclass
class Course:
    """Everything one course folder says, validated."""

    slug: str
    folder: Path
    info: CourseInfo
    schedule: ScheduleFile
    readings: ReadingsFile
    links: LinksFile
    pages: list[Page]
    sources: dict[str, SourceMap] = field(default_factory=dict)
    announcements: AnnouncementsFile = field(default_factory=AnnouncementsFile)
    # Course files and pages (pages/NAME.md) not released at the build's moment (releases.py): a
    # link written to one in Markdown shows as not yet posted, and the file is not copied.
    withheld: frozenset[str] = frozenset()

    def source_file(self, part: str) -> Path:
        return self.folder / f"{part}.yaml"

    def summary(self) -> CourseSummary:
        return CourseSummary(self.slug, self.folder, self.info)

    def file_references(self) -> list[tuple[str, PathKey, str]]:
        """(file part, field path, name) of every file a YAML field of the course names.

        The one list of such fields: the checker warns about them, the build copies them.
        """
        found: list[tuple[str, PathKey, str]] = []
        for i, person in enumerate(self.info.people):
            if person.photo:
                found.append(("course", ("people", i, "photo"), person.photo))
        for i, session in enumerate(self.schedule.sessions):
            for k, material in enumerate(session.materials):
                if material.file:
                    found.append(("schedule", ("sessions", i, "materials", k, "file"), material.file))
        for i, assignment in enumerate(self.schedule.assignments):
            if assignment.file:
                found.append(("schedule", ("assignments", i, "file"), assignment.file))
            if assignment.solutions and assignment.solutions.file:
                found.append(("schedule", ("assignments", i, "solutions", "file"), assignment.solutions.file))
        for g, group in enumerate(self.readings.groups):
            for r, reading in enumerate(group.items):
                if reading.file:
                    found.append(("readings", ("groups", g, "items", r, "file"), reading.file))
        return found


@dataclass
class Site:
    folder: Path
    config: SiteConfig
    courses: list[Course]
    config_source: SourceMap | None = None  # where site.yaml's values are, when there is one


def load_site(folder: Path, report: Report) -> Site | None:
    """Load `folder/site.yaml` (optional) and every `folder/courses/<slug>/`.

    Problems go to `report`; the courses that failed to load are left out.
    """
    config, config_source = load_config(folder, report)
    folders = course_folders(folder, report)
    if folders is None:
        return None
    courses = [course for path in folders if (course := load_course(path, report)) is not None]
    return Site(folder, config, courses, config_source)


def load_config(folder: Path, report: Report) -> tuple[SiteConfig, SourceMap | None]:
    """`folder/site.yaml` and where its values are, or the defaults when there is none
    (or it has errors, reported)."""
    config_path = folder / "site.yaml"
    if not _usable(config_path, folder, "the site folder", report) or not config_path.exists():
        return SiteConfig(), None
    document = load_yaml(config_path, report)
    loaded = validate(SiteConfig, document, report, what="site.yaml") if document else None
    return loaded or SiteConfig(), document.source if document else None


def course_folders(folder: Path, report: Report) -> list[Path] | None:
    """The course folders of a site in URL order; None (reported) when there is no courses/."""
    courses_dir = folder / "courses"
    if not _usable(courses_dir, folder, "the site folder", report):
        return None
    if not courses_dir.is_dir():
        report.error(folder, 1, 1, f"no 'courses' folder in {folder}; create courses/<slug>/course.yaml "
                     "(or run 'coursesite new SLUG')")
        return None
    entries = list_folder(courses_dir, report)
    if entries is None:
        return None
    folders = []
    for course_dir in entries:
        if course_dir.name.startswith((".", "_")):
            if course_dir.is_dir() and not course_dir.is_symlink():
                report.note(course_dir, f"skipped folder {quoted_name(course_dir.name)}: a name starting "
                            f"with '{course_dir.name[0]}' keeps a folder out of the site")
            continue
        if course_dir.is_symlink():  # also a loop or a dangling link, which is_dir() would hide
            report.error(course_dir, 1, 1, _SYMLINKED_COURSE)
            continue
        if not course_dir.is_dir():
            continue
        if course_dir.name in RESERVED_COURSE_NAMES:
            report.error(course_dir, 1, 1, f"a course folder cannot be named '{course_dir.name}': the site "
                         f"writes its own {course_dir.name} there; rename the folder (not "
                         f"{', '.join(sorted(RESERVED_COURSE_NAMES))})")
            continue
        if list_folder(course_dir, report) is None:  # reported: a course must not vanish silently
            continue
        if not _exists(course_dir / "course.yaml"):  # a folder or a pipe there is an error, below
            misnamed = [name for name in _YAML_PARTS if _exists(course_dir / f"{name}.yml")]
            if "course" in misnamed:
                report.error(course_dir / "course.yml", 1, 1, "rename course.yml to course.yaml")
            else:
                report.warning("no-course-yaml", course_dir, 1, 1, "folder has no course.yaml; it is not built")
            continue
        folders.append(course_dir)
    return folders


def load_course(folder: Path, report: Report) -> Course | None:
    """Load one course folder; None if any of its files has an error."""
    before = len(report.errors)
    slug = folder.name
    if not SLUG_RE.match(slug):
        report.error(folder, 1, 1, f"course folder name {quoted_name(slug)} must be lower-case letters, "
                     "digits, '.', '-' or '_' (it becomes the course's URL)")
    elif slug in SITE_OUTPUTS:
        report.error(folder, 1, 1, f"course folder name '{slug}' is a name the site itself uses "
                     f"({', '.join(sorted(SITE_OUTPUTS))}); rename the folder")
    for name in _YAML_PARTS:
        if _exists(folder / f"{name}.yml"):
            report.error(folder / f"{name}.yml", 1, 1, f"rename {name}.yml to {name}.yaml (files "
                         "named .yml are not read)")
    if folder.is_symlink():
        report.error(folder, 1, 1, _SYMLINKED_COURSE)
    sources: dict[str, SourceMap] = {}

    def part(name: str, model: type, required: bool = False):  # type: ignore[no-untyped-def]
        path = folder / f"{name}.yaml"
        if not _usable(path, folder, "the course folder", report):
            return None
        if not path.exists():
            if required:
                report.error(path, 1, 1, f"missing {name}.yaml")
            return None if required else model()
        document = load_yaml(path, report)
        if document is None:
            return None
        if document.data is None:
            report.error(path, 1, 1, f"{name}.yaml is empty; {_EXPECTED[name]}")
            return None
        sources[name] = document.source
        return validate(model, document, report, what=f"{name}.yaml")

    info = part("course", CourseInfo, required=True)
    schedule = part("schedule", ScheduleFile)
    readings = part("readings", ReadingsFile)
    links = part("links", LinksFile)
    pages = load_pages(folder / "pages", report, folder)
    announcements = _announcements(folder, report, sources)
    if len(report.errors) > before or None in (info, schedule, readings, links, announcements):
        return None
    return Course(slug, folder, info, schedule, readings, links, pages, sources,
                  announcements or AnnouncementsFile())


def _announcements(folder: Path, report: Report, sources: dict[str, SourceMap]) -> AnnouncementsFile | None:
    """announcements.yaml, or none when the course has no such file; None on errors."""
    path = folder / ANNOUNCEMENTS_FILE
    if not _usable(path, folder, "the course folder", report):
        return None
    if not path.exists():
        return AnnouncementsFile()
    loaded, source = load_announcements(path, report)
    if source is not None:
        sources["announcements"] = source
    return loaded


_EXPECTED = {
    "course": "it needs at least 'title:' and 'term:'",
    "schedule": "write 'sessions:' with a list of sessions, or delete the file",
    "readings": "write 'groups:' with a list of reading groups, or delete the file",
    "links": "write 'groups:' with a list of link groups, or delete the file",
}


def load_pages(folder: Path, report: Report, course_folder: Path) -> list[Page]:
    """Markdown pages with front matter, in nav order (front matter `order`, then title)."""
    if not _usable(folder, course_folder, "the course folder", report) or not _exists(folder):
        return []
    if not folder.is_dir():
        report.error(folder, 1, 1, "pages must be a folder of Markdown (.md) files")
        return []
    entries = list_folder(folder, report)
    for path in entries or []:
        if path.suffix != ".md" and path.suffix.lower() in (".md", ".markdown", ".mdown", ".mkd"):
            report.error(path, 1, 1, f"rename {quoted_name(path.name)} to end in '.md' (only .md files "
                         "are pages)")
        elif path.is_dir() and not path.is_symlink() and _holds_pages(path):
            report.error(path, 1, 1, f"pages in a folder inside pages/ are not read; move them up into "
                         f"pages/ (the folder {quoted_name(path.name)} may keep images and other files)")
    pages = []
    for path in entries or []:
        if not fnmatch.fnmatchcase(path.name, "*.md"):
            continue
        if not _usable(path, course_folder, "the course folder", report):
            continue
        name = path.stem.lower()
        if not SLUG_RE.match(name) or name in RESERVED_PAGE_NAMES:
            report.error(path, 1, 1, f"page file name '{path.name}' cannot be used; rename it "
                         f"(not {', '.join(sorted(RESERVED_PAGE_NAMES))}; lower-case letters, "
                         "digits and '-')")
            continue
        page = load_page(path, name, report)
        if page is not None:
            pages.append(page)
    return sorted(pages, key=lambda p: (p.meta.order, p.meta.title))


def load_page(path: Path, name: str, report: Report) -> Page | None:
    text = read_text(path, report, MAX_PAGE_BYTES)
    if text is None:
        return None
    text = text.replace("\r\n", "\n")
    meta_data: dict[str, object] = {}
    body, body_line = text, 1
    document: YamlDocument | None = None
    if _FRONT_MATTER.detect(text):
        try:
            front, body = _FRONT_MATTER.split(text)
        except ValueError:
            report.error(path, 1, 1, "front matter starts with '---' but is not closed by a "
                         "second '---' line")
            return None
        body_line = text[: len(text) - len(body)].count("\n") + 1
        document = parse_yaml(front, path, report)
        if document is None:
            return None
        if document.data is not None and not isinstance(document.data, dict):
            line, col = document.source.locate(())
            report.error(path, line, col, "front matter must be 'key: value' lines")
            return None
        meta_data = dict(document.data or {})
    meta_data.setdefault("title", _first_heading(body) or name.replace("-", " ").capitalize())
    if document is None:
        document = YamlDocument(meta_data, SourceMap(path))
    else:
        document.data = meta_data
    meta = validate(PageMeta, document, report, what="front matter")
    if meta is None:
        return None
    return Page(name, meta, body, path, body_line)


def _first_heading(body: str) -> str | None:
    """The text of the first '# Heading' line (line by line: a pattern backtracked on spaces)."""
    for line in body.split("\n"):
        if line[:1] == "#" and line[1:2] in (" ", "\t"):
            title = line[1:].strip().rstrip("#").strip()
            if title:
                return title
    return None


def quoted_name(name: str) -> str:
    """A file name in quotes, its control characters shown as escapes (a name may hold a newline)."""
    return "'" + re.sub(r"[\x00-\x1f\x7f-\x9f]", lambda m: repr(m[0])[1:-1], name) + "'"


def _exists(path: Path) -> bool:
    """Whether anything is at `path`: a file, a folder, a pipe or a link (even a broken one)."""
    return path.is_symlink() or path.exists()


def _holds_pages(folder: Path) -> bool:
    """Whether `folder` holds a Markdown page (a folder that cannot be read holds none we know of)."""
    try:
        return any(fnmatch.fnmatchcase(entry.name, "*.md") for entry in os.scandir(folder))
    except OSError:
        return False


_YAML_PARTS = ("course", "schedule", "readings", "links")
_SYMLINKED_COURSE = "course folder is a symbolic link; move the course into courses/"


def _usable(path: Path, root: Path, where: str, report: Report) -> bool:
    """False, with an error, when `path` is a link loop or leads outside `root`."""
    problem = link_problem(path, root, where)
    if problem:
        report.error(path, 1, 1, problem)
    return problem is None
