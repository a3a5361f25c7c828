"""Offerings of one course: course folders that say `offering_of: NAME`, and which one is current.

Each offering keeps its own folder and URL (`dl-2025-fall/`), so old links never break; the
course's stable address `NAME/` shows the current offering: the one whose term contains the
build day, else the latest that has started, else the next to start. The others are archived.
Offerings are declared in course.yaml rather than by nesting folders (`courses/dl/2025-fall/`)
so that a folder stays one course with one URL, and `rollover` only copies a folder.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from coursesite.errors import Report
from coursesite.loading import load_yaml
from coursesite.model import CourseInfo, Term
from coursesite.offering_key import mentions_offering_of
from coursesite.site import RESERVED_FOLDER_NAMES, CourseSummary
from coursesite.validation import validate


@dataclass(frozen=True)
class Offering:
    slug: str
    term: str
    start: dt.date
    end: dt.date | None


@dataclass(frozen=True)
class OfferingGroup:
    """The offerings of one course, newest first, and the current one."""

    name: str  # the stable address: NAME/
    offerings: tuple[Offering, ...]
    current: Offering

    def others(self, slug: str) -> list[Offering]:
        return [o for o in self.offerings if o.slug != slug]

    def archived(self, slug: str) -> bool:
        return slug != self.current.slug


def term_start(term: Term) -> dt.date:
    """The term's first day, or one read from its name ('Spring 2022': 2022-02-01) when not given."""
    if term.start:
        return term.start.value
    name = term.name.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789"))
    solar = re.search(r"1[34]\d\d", name)  # a Solar Hijri year: 'پاییز ۱۴۰۲' is autumn 2023
    if solar and not re.search(r"(19|20)\d\d", name):
        seasons = {"بهار": (3, 621), "تابستان": (6, 621), "پاییز": (9, 621), "زمستان": (1, 622)}
        month, offset = next((m for word, m in seasons.items() if word in name), (3, 621))
        return dt.date(int(solar[0]) + offset, month, 1)
    year = re.search(r"(19|20)\d\d", name)
    season = {"winter": 1, "spring": 2, "summer": 6, "fall": 9, "autumn": 9}
    month = next((m for word, m in season.items() if word in name.lower()), 1)
    return dt.date(int(year[0]), month, 1) if year else dt.date(1, 1, 1)


def offering_groups(summaries: Iterable[CourseSummary], today: dt.date) -> dict[str, OfferingGroup]:
    """Each course slug that is an offering -> its group (courses without `offering_of` are left out)."""
    members: dict[str, list[Offering]] = {}
    for summary in summaries:
        info = summary.info
        if info.offering_of:
            end = info.term.end.value if info.term.end else None
            members.setdefault(info.offering_of, []).append(
                Offering(summary.slug, info.term.name, term_start(info.term), end))
    groups: dict[str, OfferingGroup] = {}
    for name, offerings in sorted(members.items()):
        newest_first = tuple(sorted(offerings, key=lambda o: (o.start, o.slug), reverse=True))
        group = OfferingGroup(name, newest_first, _current(newest_first, today))
        groups.update((o.slug, group) for o in newest_first)
    return groups


def _current(newest_first: tuple[Offering, ...], today: dt.date) -> Offering:
    running = [o for o in newest_first if o.start <= today and o.end is not None and today <= o.end]
    started = [o for o in newest_first if o.start <= today]
    return (running or started or list(reversed(newest_first)))[0]


def scan_offerings(folders: list[Path], report: Report) -> list[CourseSummary]:
    """The course.yaml of every folder that declares `offering_of`, checked against the folder names.

    Read before the courses are built: every offering's pages list the others. Other problems
    of these files are reported when their course is loaded.
    """
    names = {folder.name for folder in folders}
    summaries = []
    for folder in folders:
        path = folder / "course.yaml"
        try:
            if not mentions_offering_of(path.read_text(encoding="utf-8", errors="replace")):
                continue
        except OSError:
            continue  # reported when the course is loaded
        document = load_yaml(path, Report())
        info = validate(CourseInfo, document, Report(), what="course.yaml") if document and document.data else None
        if info is None or info.offering_of is None or document is None:
            continue
        if info.offering_of in names or info.offering_of in RESERVED_FOLDER_NAMES:
            line, col = document.source.locate(("offering_of",))
            taken = "a course folder" if info.offering_of in names else "a folder of the site"
            report.error(path, line, col, f"offering_of '{info.offering_of}' is the course's stable address "
                         f"{info.offering_of}/, but {taken} has that name; choose another name")
            continue
        summaries.append(CourseSummary(folder.name, folder, info))
    return summaries
