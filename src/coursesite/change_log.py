"""Schedule changes announced by themselves, from the history of a site kept in git.

For each of the last commits that changed a course's files (`change_log: {commits: 100}` in
site.yaml; 0 turns it off), the course's dated schedule at that commit is compared with the one
at the commit before it. What a student must know becomes a news item dated by the commit:
- a session moved to another day, time or room ("Lecture 12, Transformers: moved from Tue Oct 13
  to Thu Oct 15");
- a session cancelled (gone) or added;
- a deadline moved.
Sessions are matched by their stable key (their `id`, else meeting and topic), never by their
place in the file. Changes to what was already past on the commit's day are left out, and so is
a session that only changed its topic on the same day and time (its key changed, not its day).

Comparing two versions means reading and dating them, so results are kept by commit ids in a
small JSON file per course in the build cache folder; the file is checked when read and made
again when it is damaged. Outside a git checkout, or without git, there is no change log.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import tempfile
from collections.abc import Iterable
from contextlib import suppress
from pathlib import Path
from zoneinfo import ZoneInfo

from coursesite.announcements import NewsItem
from coursesite.deliverables import Deadline
from coursesite.errors import Report
from coursesite.formatting import format_date, format_moment, format_time
from coursesite.git_history import Commit, Repository
from coursesite.loading import parse_yaml
from coursesite.model import CourseInfo, ScheduleFile
from coursesite.schedule import DatedSchedule, Row, assign_dates
from coursesite.validation import validate

DEFAULT_COMMITS = 100
CACHE_FORMAT = 1
CACHE_FOLDER = "change-log"
Change = tuple[str, str]  # (key, title)


class ChangeLog:
    """The change log of the courses of one site folder (`limit` commits back per course)."""

    def __init__(self, site_folder: Path, limit: int, cache_folder: Path | None = None) -> None:
        self.limit = limit
        self.cache_root = cache_folder
        self.cache_folder = cache_folder / CACHE_FOLDER if cache_folder else None
        self.repository = Repository.containing(site_folder) if limit > 0 else None

    def commits(self, course_folder: Path) -> list[Commit]:
        """The commits the change log of a course reads: its last `limit` and the one before them."""
        if self.repository is None:
            return []
        return self.repository.commits(course_folder, self.limit + 1)

    def items(self, course_folder: Path, timezone: str, commits: list[Commit] | None = None) -> list[NewsItem]:
        """The course's schedule changes, newest first."""
        commits = self.commits(course_folder) if commits is None else commits
        if self.repository is None or len(commits) < 2:
            return []
        stored = self._read_cache(course_folder.name)
        versions: dict[str, DatedSchedule | None] = {}
        pairs: dict[str, list[Change]] = {}
        items: list[NewsItem] = []
        for new, old in zip(commits, commits[1:], strict=False):
            pair = f"{new.id}:{old.id}"
            if pair in stored:
                changes = stored[pair]
            else:
                for commit in (new, old):
                    if commit.id not in versions:
                        versions[commit.id] = _dated_at(self.repository, commit.id, course_folder)
                before, after = versions[old.id], versions[new.id]
                day = new.committed.astimezone(ZoneInfo(timezone)).date()
                changes = compare(before, after, day) if before and after else []
            pairs[pair] = changes
            posted = new.committed.astimezone(ZoneInfo(timezone))
            items.extend(NewsItem(posted, True, title, None, f"{new.id[:12]}-{key}", "change")
                         for key, title in changes)
        if pairs != stored:
            self._write_cache(course_folder.name, pairs)
        return items

    def _cache_file(self, slug: str) -> Path | None:
        return self.cache_folder / f"{slug}.json" if self.cache_folder else None

    def _read_cache(self, slug: str) -> dict[str, list[Change]]:
        """What earlier builds found, by pair of commits; nothing when the file is missing or not
        exactly what `_write_cache` writes (the cache is input like any other)."""
        path = self._cache_file(slug)
        try:
            data = json.loads(path.read_text(encoding="utf-8")) if path else None
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("format") != CACHE_FORMAT or not isinstance(data.get("pairs"), dict):
            return {}
        found: dict[str, list[Change]] = {}
        for pair, changes in data["pairs"].items():
            if not re.fullmatch(r"[0-9a-f]{40,64}:[0-9a-f]{40,64}", pair) or not isinstance(changes, list):
                return {}
            if not all(isinstance(c, list) and len(c) == 2 and all(isinstance(s, str) for s in c) for c in changes):
                return {}
            found[pair] = [(key, title) for key, title in changes]
        return found

    def _write_cache(self, slug: str, pairs: dict[str, list[Change]]) -> None:
        path = self._cache_file(slug)
        if path is None or self.cache_root is None:
            return
        # A cache that cannot be written only makes the next build slower.
        with suppress(OSError):
            from coursesite.stored_builds import CACHEDIR_TAG, TAG

            if not (self.cache_root / TAG).is_file():  # the mark that the folder is a coursesite cache
                self.cache_root.mkdir(parents=True, exist_ok=True)
                (self.cache_root / TAG).write_text(CACHEDIR_TAG)
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=".new-", dir=path.parent)
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                json.dump({"format": CACHE_FORMAT, "pairs": {k: [list(c) for c in v] for k, v in pairs.items()}},
                          file, separators=(",", ":"), sort_keys=True)
            os.replace(temporary, path)


def _dated_at(repository: Repository, commit: str, folder: Path) -> DatedSchedule | None:
    """The course's dated schedule at `commit`; None when it was not there or did not validate."""
    report = Report()
    course_text = repository.file_at(commit, folder / "course.yaml")
    if course_text is None:
        return None
    document = parse_yaml(course_text, folder / "course.yaml", report)
    info = validate(CourseInfo, document, report, what="course.yaml") if document else None
    schedule_text = repository.file_at(commit, folder / "schedule.yaml")
    schedule: ScheduleFile | None = ScheduleFile()
    if schedule_text is not None:
        document = parse_yaml(schedule_text, folder / "schedule.yaml", report)
        schedule = validate(ScheduleFile, document, report, what="schedule.yaml") if document else None
    if info is None or schedule is None:
        return None
    return assign_dates(info, schedule)


def compare(before: DatedSchedule, after: DatedSchedule, day: dt.date) -> list[Change]:
    """What a student must know of the change from `before` to `after`, made on `day`."""
    old, new = _sessions(before.rows), _sessions(after.rows)
    changes: list[Change] = []
    for key, row in new.items():
        if key in old:
            moved = _moved(old[key], row)
            if moved and max(old[key].date, row.date) >= day:  # type: ignore[type-var, operator]
                changes.append((f"moved-{key}", f"{_name(row)}: {moved}"))
    gone = [row for key, row in old.items() if key not in new]
    added = [row for key, row in new.items() if key not in old]
    renamed = {(r.date, r.start_time, r.meeting.name if r.meeting else None) for r in gone} & \
              {(r.date, r.start_time, r.meeting.name if r.meeting else None) for r in added}
    for row in gone:
        if (row.date, row.start_time, row.meeting.name if row.meeting else None) not in renamed \
                and row.date >= day:  # type: ignore[operator]
            changes.append((f"cancelled-{row.key}", f"{_name(row)}: cancelled (was {_when(row)})"))
    for row in added:
        if (row.date, row.start_time, row.meeting.name if row.meeting else None) not in renamed \
                and row.date >= day:  # type: ignore[operator]
            changes.append((f"added-{row.key}", f"{_name(row)}: added on {_when(row)}"))
    old_due, new_due = _deadlines(before.deadlines), _deadlines(after.deadlines)
    for key, deadline in new_due.items():
        earlier = old_due.get(key)
        if earlier is None or earlier.due is None or deadline.due is None or earlier.due == deadline.due:
            continue
        if max(earlier.due.day, deadline.due.day) >= day:  # type: ignore[operator]
            changes.append((f"due-{_key(key)}", f"{deadline.title}: due date moved from "
                            f"{format_moment(earlier.due)} to {format_moment(deadline.due)}"))
    return changes


def _sessions(rows: Iterable[Row]) -> dict[str, Row]:
    """The dated sessions that stand on their own (not a notebook attached to a lecture), by key."""
    return {row.key: row for row in rows
            if row.session is not None and row.date is not None and not row.attached and row.module is None}


def _deadlines(deadlines: Iterable[Deadline]) -> dict[str, Deadline]:
    """Dated deadlines by assignment id or title; one that appears twice cannot be matched."""
    found: dict[str, Deadline] = {}
    repeated: set[str] = set()
    for deadline in deadlines:
        key = deadline.assignment_id or deadline.title
        if key in found:
            repeated.add(key)
        found[key] = deadline
    return {key: deadline for key, deadline in found.items() if key not in repeated and deadline.due}


def _moved(old: Row, new: Row) -> str | None:
    """'moved from Tue Oct 13 to Thu Oct 15', with the time and room where those changed."""
    was, now = [], []
    if old.date != new.date:
        was.append(format_date(old.date))
        now.append(format_date(new.date))
    time_and_room = _time_and_room_moved(old.start_time, new.start_time, old.location, new.location)
    was += time_and_room[0]
    now += time_and_room[1]
    on = "" if old.date != new.date else f" on {format_date(new.date)}"
    if was:
        return f"moved from {', '.join(was)} to {', '.join(now)}{on}"
    sections = _sections_moved(old, new)
    return f"{'; '.join(sections)}{on}" if sections else None


def _sections_moved(old: Row, new: Row) -> list[str]:
    """'section A1 moved from 2:00 pm to 3:30 pm' for each section that met elsewhere or at another time."""
    before = {slot.section.name: slot for slot in old.sections if slot.section is not None}
    found = []
    for slot in new.sections:
        earlier = before.get(slot.section.name) if slot.section else None
        if earlier is None or slot.section is None:
            continue
        was, now = _time_and_room_moved(earlier.start, slot.start, earlier.location, slot.location)
        if was:
            found.append(f"section {slot.section.name} moved from {', '.join(was)} to {', '.join(now)}")
    return found


def _time_and_room_moved(old_time: dt.time | None, new_time: dt.time | None, old_room: str | None,
                         new_room: str | None) -> tuple[list[str], list[str]]:
    """The earlier and the later time and room, each where both are known and they differ."""
    was, now = [], []
    if old_time and new_time and old_time != new_time:
        was.append(format_time(old_time))
        now.append(format_time(new_time))
    if old_room and new_room and old_room != new_room:
        was.append(old_room)
        now.append(new_room)
    return was, now


def _name(row: Row) -> str:
    """'Lecture 12, Transformers', or the topic alone."""
    heading = row.heading
    return f"{heading}, {row.topic}" if heading and heading != row.topic else row.topic


def _when(row: Row) -> str:
    return format_date(row.date) + (f", {format_time(row.start_time)}" if row.start_time else "")


def is_deadline_of(item_key: str, assignment: str) -> bool:
    """Whether the change log's item `item_key` says that assignment `assignment`'s deadline moved."""
    return item_key.endswith(f"-due-{_key(assignment)}")


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "deadline"
