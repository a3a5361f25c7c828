"""`coursesite rollover`: the next offering of a course, made from this one.

Dates move by meeting index, not by days: a midterm pinned on the 14th lecture lands on the
14th lecture of the new term. A date on no meeting day (an exam after the last lecture) moves
by whole weeks, keeping its weekday and its distance from the nearest meeting. The files are
edited in place at the positions the loader records, so comments, order and quoting stay.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from coursesite.errors import InputError, Report, UsageError, display_path
from coursesite.loading import PathKey, SourceMap
from coursesite.model import WEEKDAYS, CourseInfo, Term
from coursesite.schedule import default_meeting
from coursesite.site import RESERVED_FOLDER_NAMES, SLUG_RE, Course, load_course
from coursesite.timetable import meets_on

_ISO = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
_STATED_DAY = re.compile(r"([A-Za-z]+)(\.?,?\s+)$")
_TERM_WORD = r"(?:fall|spring|summer|winter|autumn)"
_YEAR_SUFFIX = re.compile(rf"[-_.]?(?:{_TERM_WORD}[-_.]?)?(?:19|20)\d\d(?:[-_.]?{_TERM_WORD})?$")
HORIZON_DAYS = 400  # how far meeting days are counted when a term has no end


@dataclass
class Rollover:
    """What a rollover did: one line per change, and the dates it could not map."""

    folder: Path
    stable_name: str
    changes: list[str] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)


class _DateMap:
    """Old dates -> new ones, by the index of their meeting day in each term."""

    def __init__(self, old: CourseInfo, new: CourseInfo, meeting: str | None = None) -> None:
        self.old_days = _meeting_days(old, meeting)
        self.new_days = _meeting_days(new, meeting)
        self.old, self.new = old, new
        self.index = {day: i for i, day in enumerate(self.old_days)}
        assert old.term.start is not None and new.term.start is not None
        self.week_shift = _whole_weeks(new.term.start.value - old.term.start.value)

    def map(self, day: dt.date) -> dt.date | None:
        if day in self.index:
            i = self.index[day]
            return self.new_days[i] if i < len(self.new_days) else None
        if not self.old_days:
            return day + self.week_shift
        nearest = min(self.old_days, key=lambda d: (abs((d - day).days), d))
        moved = self.map(nearest)
        if moved is None:
            return None
        return day + _whole_weeks(moved - nearest)


def _whole_weeks(delta: dt.timedelta) -> dt.timedelta:
    return dt.timedelta(weeks=round(delta.days / 7))


def _meeting_days(info: CourseInfo, name: str | None) -> list[dt.date]:
    """The days meeting `name` (the first when None) takes place, from the term's start to its end
    (or a year on)."""
    assert info.term.start is not None
    meeting = default_meeting(info, name)
    first = info.term.start.value
    last = info.term.end.value if info.term.end else first + dt.timedelta(days=HORIZON_DAYS)
    days = (first + dt.timedelta(days=n) for n in range((last - first).days + 1))
    return [day for day in days if meeting is not None and meets_on(meeting, day, info)]


def stable_name(slug: str, taken: set[str]) -> str:
    """The course's stable address: the slug without its year ('dl-2025-fall' -> 'dl'), if free."""
    name = _YEAR_SUFFIX.sub("", slug)
    if not name or name in taken or not SLUG_RE.match(name):
        name = f"{slug}-current"
    return name


def rollover(site: Path, slug: str, new_slug: str, term_name: str, start: dt.date,
             end: dt.date | None = None, offering_of: str | None = None) -> Rollover:
    """Copy course `slug` to `new_slug` as the offering `term_name` starting on `start`."""
    courses = site / "courses"
    old_folder, new_folder = courses / slug, courses / new_slug
    if not (old_folder / "course.yaml").is_file():
        raise UsageError(f"no course '{slug}': {display_path(old_folder)}/course.yaml does not exist")
    if not SLUG_RE.match(new_slug) or new_slug in RESERVED_FOLDER_NAMES:
        raise UsageError(f"'{new_slug}' cannot be a course folder name: use lower-case letters, digits and '-'")
    if new_slug in (slug, offering_of, _declared(old_folder)) or new_folder.exists():
        raise UsageError(f"{display_path(new_folder)} already exists or names the course itself; "
                         "choose another NEW_SLUG")
    report = Report()
    course = load_course(old_folder, report)
    if course is None or report.errors:
        raise InputError(report)
    old_term = course.info.term
    if old_term.start is None:
        raise UsageError(f"{display_path(course.source_file('course'))}: the term has no start; "
                         "rollover moves dates by the term's meetings, so give term.start first")
    if end is not None and end < start:
        raise UsageError(f"--end {end} is before --start {start}")
    if end is None and old_term.end is not None:
        end = start + (old_term.end.value - old_term.start.value)
    taken = {p.name for p in courses.iterdir()} | {new_slug} | set(RESERVED_FOLDER_NAMES)
    name = course.info.offering_of or offering_of or stable_name(slug, taken)
    if name in taken:
        raise UsageError(f"the stable address '{name}' is a course folder's name; pass --offering-of NAME")
    try:
        new_term = Term.model_validate({"name": term_name, "start": start, "end": end, "timezone": old_term.timezone})
    except ValidationError as exc:
        raise UsageError(f"--term {term_name!r}: {exc.errors()[0]['msg']}") from None
    new_info = course.info.model_copy(update={"term": new_term, "holidays": [], "swaps": []})
    dates = _DateMap(course.info, new_info)

    shutil.copytree(old_folder, new_folder, symlinks=True)
    result = Rollover(new_folder, name)
    new_course = Course(new_slug, new_folder, course.info, course.schedule, course.readings, course.links,
                        course.pages, course.sources)
    edits = {part: _Edits(new_course.source_file(part), source, result) for part, source in course.sources.items()}
    course_edits = edits["course"]
    _edit_term(course_edits, course, term_name, start, end)
    for key in ("holidays", "swaps"):
        if getattr(course.info, key):
            course_edits.drop_key(key, f"{key}: {len(getattr(course.info, key))} of {old_term.name} -> "
                                  f"left out; add {term_name}'s {key}")
    if course.info.offering_of is None:
        course_edits.insert_before_key("term", f"offering_of: {name}\n")
        old_edits = _Edits(course.source_file("course"), course.sources["course"], result)
        old_edits.insert_before_key("term", f"offering_of: {name}\n")
        old_edits.apply()
    if "schedule" in edits:
        _edit_schedule(edits["schedule"], course, dates)
    _report_unposted(new_course, edits)
    for part_edits in edits.values():
        if part_edits.edits or part_edits.inserts or part_edits.removed:
            part_edits.apply()
        else:
            part_edits.report()
    result.changes.sort(key=_position)
    result.unmapped.sort(key=_position)
    return result


def _position(line: str) -> tuple[str, int]:
    path, number, _ = line.split(":", 2)
    return path, int(number)


def _declared(folder: Path) -> str | None:
    match = re.search(r"^offering_of:\s*[\"']?([a-z0-9-]+)", (folder / "course.yaml").read_text(), re.M)
    return match[1] if match else None


def _edit_term(edits: _Edits, course: Course, name: str, start: dt.date, end: dt.date | None) -> None:
    term = course.info.term
    edits.replace_text(("term", "name"), term.name, name)
    assert term.start is not None
    edits.replace_date(("term", "start"), term.start.value, start)
    if term.end is not None and end is not None:
        edits.replace_date(("term", "end"), term.end.value, end)
    elif end is not None:
        edits.insert_after_value(("term", "start"), f"end: {end.isoformat()}")


def _edit_schedule(edits: _Edits, course: Course, dates: _DateMap) -> None:
    schedule = course.schedule
    spans = [("sessions", i, s.date, s.end, s.meeting) for i, s in enumerate(schedule.sessions)]
    spans += [("modules", i, m.date, m.end, None) for i, m in enumerate(schedule.modules)]
    for kind, i, date, end, meeting in spans:
        if date is None:
            continue  # dates itself from the new term
        # By the index among the session's own meetings: the 14th lecture, not the 14th meeting day.
        by_meeting = dates if meeting is None else _DateMap(dates.old, dates.new, meeting)
        moved = edits.move((kind, i, "date"), date.value, by_meeting)
        if end is not None and moved is not None:  # a range keeps its length
            edits.replace_date((kind, i, "end"), end.value, moved + (end.value - date.value))
    for i, assignment in enumerate(schedule.assignments):
        released = edits.move((("assignments", i, "released")), assignment.released.day, dates) \
            if assignment.released else None
        if assignment.due is not None:
            if released is not None and assignment.released and assignment.due.day >= assignment.released.day:
                # An assignment stays open as long: the pair is a range.
                edits.replace_date(("assignments", i, "due"), assignment.due.day,
                                   released + (assignment.due.day - assignment.released.day))
            else:
                edits.move(("assignments", i, "due"), assignment.due.day, dates)


def _report_unposted(course: Course, edits: dict[str, _Edits]) -> None:
    """Materials (and other files) the new term names but its folder lacks show as not yet posted."""
    for part, loc, name in course.file_references():
        if part in edits and not (course.folder / name).is_file():
            line, _ = edits[part].source.locate(loc)
            edits[part].say(line - 1, f"{name}: not yet posted (no such file)")


class _Edits:
    """Text edits at the positions of one file's values, applied at once from the end."""

    def __init__(self, path: Path, source: SourceMap, result: Rollover) -> None:
        self.path, self.source, self.result = path, source, result
        self.lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
        self.edits: list[tuple[int, int, int, str]] = []  # line index, start col, end col, text
        self.inserts: list[tuple[int, str]] = []  # before line index
        self.removed: set[int] = set()
        # (line index in the old text, whether the line is inserted before it, list, message): the
        # printed line numbers are the new file's, known once every edit is.
        self.messages: list[tuple[int, bool, list[str], str]] = []

    def say(self, index: int, message: str, *, inserted: bool = False, unmapped: bool = False) -> None:
        self.messages.append((index, inserted, self.result.unmapped if unmapped else self.result.changes, message))

    def _new_line(self, index: int, inserted: bool) -> int:
        """The 1-based line in the edited file of old line `index` (or of a line inserted before it)."""
        before = sum(1 for at, _ in self.inserts if at < index or (at == index and not inserted))
        return index + before - sum(1 for i in self.removed if i < index) + 1

    def move(self, loc: PathKey, day: dt.date, dates: _DateMap) -> dt.date | None:
        moved = dates.map(day)
        if moved is None:
            line, _ = self.source.locate(loc)
            self.say(line - 1, f"cannot map {day.isoformat()}: the new term has fewer meetings; set this "
                      "date by hand", unmapped=True)
            return None
        self.replace_date(loc, day, moved)
        return moved

    def replace_date(self, loc: PathKey, old: dt.date, new: dt.date) -> None:
        line, col = self.source.locate(loc)
        text = self.lines[line - 1]
        match = _ISO.search(text, col - 1) or _ISO.search(text)
        if match is None:
            return
        start, stop, value = match.start(), match.end(), new.isoformat()
        stated = _STATED_DAY.search(text[:start])
        if stated and stated.start(1) >= col - 1:  # "Tue 2026-09-08": the weekday moves too
            start, value = stated.start(1), f"{WEEKDAYS[new.weekday()]}{stated[2]}{value}"
        self._replace(line, start, stop, value)

    def replace_text(self, loc: PathKey, old: str, new: str) -> None:
        line, col = self.source.locate(loc)
        start = self.lines[line - 1].find(old, col - 1)
        if start >= 0:
            self._replace(line, start, start + len(old), new)

    def _replace(self, line: int, start: int, stop: int, value: str) -> None:
        old = self.lines[line - 1][start:stop]
        if old != value:
            self.edits.append((line - 1, start, stop, value))
            self.say(line - 1, f"{old} -> {value}")

    def insert_before_key(self, key: str, text: str) -> None:
        line, _ = self.source.keys[(key,)]
        self.inserts.append((line - 1, text))
        self.say(line - 1, f"(none) -> {text.strip()}", inserted=True)

    def insert_after_value(self, loc: PathKey, text: str) -> None:
        line, _ = self.source.locate(loc)
        key_line, key_col = self.source.keys[loc]
        self.inserts.append((line, " " * (key_col - 1) + text + "\n"))
        self.say(line, f"(none) -> {text}", inserted=True)

    def drop_key(self, key: str, message: str) -> None:
        """Leave out a top-level key and its value, up to the comments before the next key."""
        first = self.source.keys[(key,)][0] - 1
        later = sorted(line - 1 for (k, *rest), (line, _) in self.source.keys.items() if not rest and line - 1 > first)
        last = (later[0] if later else len(self.lines)) - 1
        while last > first and self.lines[last].strip()[:1] in ("", "#"):
            last -= 1
        self.removed.update(range(first, last + 1))
        self.say(last + 1, message)  # said at the line that now stands where the key was

    def apply(self) -> None:
        lines = list(self.lines)
        for index, start, stop, value in sorted(self.edits, reverse=True):
            lines[index] = lines[index][:start] + value + lines[index][stop:]
        for index, text in sorted(self.inserts, reverse=True):
            lines.insert(index, text)
        removed = {i + sum(1 for at, _ in self.inserts if at <= i) for i in self.removed}
        self.path.write_text("".join(line for i, line in enumerate(lines) if i not in removed), encoding="utf-8")
        self.report()

    def report(self) -> None:
        """Say what was done, at the lines of the edited file."""
        for index, inserted, said, message in self.messages:
            said.append(f"{display_path(self.path)}:{self._new_line(index, inserted)}: {message}")


