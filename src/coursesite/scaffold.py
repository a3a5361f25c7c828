"""`coursesite new`: a course folder whose commented files show every feature with example values.

The files are in `new_course/` beside this module, with `${name}` placeholders for what
depends on the course (its slug and title) and on the day it is made (the term's dates: the
example term is the one under way, while its example sessions last, or the next one).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import tempfile
from pathlib import Path
from string import Template

from coursesite.errors import UsageError
from coursesite.site import SLUG_RE, quoted_name
from coursesite.urls import SITE_OUTPUTS

SCAFFOLD = Path(__file__).parent / "new_course"
TEMPLATED_SUFFIXES = (".yaml", ".md")


def new_course(site_folder: Path, slug: str, title: str | None, today: dt.date) -> Path:
    """Write `site_folder/courses/<slug>/` from the scaffold; never touch an existing folder."""
    if slug in SITE_OUTPUTS:
        raise UsageError(f"'{slug}' cannot be a course folder name: the site's own '{slug}' has it")
    if not SLUG_RE.match(slug):
        raise UsageError(f"{quoted_name(slug)} cannot be a course folder name: use lower-case letters, digits, "
                         "'.', '-' or '_', starting with a letter or digit (it becomes the course's URL)")
    courses = site_folder / "courses"
    target = courses / slug
    if target.exists() or target.is_symlink():
        raise UsageError(f"{target} already exists; choose another SLUG, or move that folder away "
                         "first (nothing was written)")
    values = scaffold_values(slug, title or default_title(slug), today)
    courses.mkdir(parents=True, exist_ok=True)
    # Written beside the target under a hidden name, which sites skip, then renamed: an
    # interrupted run leaves no half-written course behind.
    staging = Path(tempfile.mkdtemp(prefix=f".new-{slug}-", dir=courses))
    try:
        for source in sorted(SCAFFOLD.rglob("*")):
            if not source.is_file() or "__pycache__" in source.parts:
                continue
            destination = staging / source.relative_to(SCAFFOLD)
            destination.parent.mkdir(parents=True, exist_ok=True)
            text = source.read_text(encoding="utf-8")
            if source.suffix in TEMPLATED_SUFFIXES:
                text = Template(text).substitute(values)
            destination.write_text(text, encoding="utf-8")
        os.chmod(staging, 0o755)  # noqa: S103 - mkdtemp's folder is private; a course folder is not
        if target.exists():
            raise UsageError(f"{target} appeared while it was being written; nothing was changed")
        os.rename(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    # The files' first lines point editors (yaml-language-server) at these, beside courses/.
    from coursesite.json_schema import write_schemas

    write_schemas(site_folder / "schema")
    return target


def scaffold_files() -> list[str]:
    """The files `new_course` writes, relative to the course folder."""
    return sorted(p.relative_to(SCAFFOLD).as_posix() for p in SCAFFOLD.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts)


def default_title(slug: str) -> str:
    """`deep-learning` -> `Deep Learning`."""
    return " ".join(word.capitalize() for word in re.split(r"[-_.]+", slug) if word)


def course_code(slug: str) -> str | None:
    """A course number when the slug looks like one: `cs229` and `ml-101` give `CS 229`, `ML 101`."""
    match = re.fullmatch(r"([a-z]+)[-_.]?(\d+[a-z]?)", slug)
    return f"{match[1].upper()} {match[2].upper()}" if match else None


def scaffold_values(slug: str, title: str, today: dt.date) -> dict[str, str]:
    """The placeholders' values: YAML-quoted text, and the example term's dates."""
    season, year, first_tuesday = example_term(today)

    def day(week: int, weekday: int) -> str:
        """`weekday` (0 = Monday) of the term's `week` (1 = the week of the first day)."""
        monday = first_tuesday - dt.timedelta(days=1)
        return (monday + dt.timedelta(weeks=week - 1, days=weekday)).isoformat()

    code = course_code(slug)
    monday, tuesday, thursday, friday = 0, 1, 3, 4
    return {
        "slug": slug,
        "title": _quoted(title),
        "code_line": f"code: {_quoted(code)}" if code else "# code: CS 101",
        "term_name": _quoted(f"{season} {year}"),
        "previous_term": _quoted(f"{season} {year - 1}"),
        "season": season,
        "start": day(1, tuesday),
        "end": day(15, friday),
        "holiday": day(4, tuesday),
        "break_start": day(8, monday),
        "break_end": day(8, friday),
        "midterm": day(7, thursday),
        "exam_week": day(7, friday),
        "swap": day(11, thursday),
        "final_start": day(16, monday),
        "final_end": day(16, friday),
    }


def example_term(today: dt.date) -> tuple[str, int, dt.date]:
    """The term for the example dates (season, year, first day: a Tuesday).

    The spring or fall term under way while its example sessions last (about eight weeks),
    so that the overview's "coming up" lists show them; else the next term.
    """
    for season, year, month, day in [("Spring", today.year, 1, 13), ("Fall", today.year, 9, 1),
                                     ("Spring", today.year + 1, 1, 13)]:
        start = dt.date(year, month, day)
        start += dt.timedelta(days=(1 - start.weekday()) % 7)
        if today <= start + dt.timedelta(weeks=8):
            return season, year, start
    raise AssertionError("unreachable: next spring starts after any day of this year")


def _quoted(text: str) -> str:
    """A YAML double-quoted string (JSON's string syntax is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)
