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
small JSON file per course in the build cache folder, as facts that are put into words in the
course's language when it is rendered (change_text.py); the file is checked when read and made
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
from coursesite.change_text import CHANGES, Change, Place, SectionMove, describe
from coursesite.deliverables import Deadline
from coursesite.errors import Report
from coursesite.git_history import Commit, Repository
from coursesite.loading import parse_yaml
from coursesite.model import CourseInfo, ScheduleFile
from coursesite.schedule import DatedSchedule, Row, assign_dates
from coursesite.validation import validate

DEFAULT_COMMITS = 100
CACHE_FORMAT = 3  # 2: changes as facts (change_text.py), put into words when rendered; 3: sessions' names too
CACHE_FOLDER = "change-log"


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
            items.extend(NewsItem(posted, True, describe(change), None, f"{new.id[:12]}-{change.key}", "change")
                         for change in changes)
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
            try:
                found[pair] = CHANGES.validate_python(changes)
            except ValueError:
                return {}
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
            facts = {pair: CHANGES.dump_python(changes, mode="json", exclude_defaults=True)
                     for pair, changes in pairs.items()}
            with os.fdopen(handle, "w", encoding="utf-8") as file:
                json.dump({"format": CACHE_FORMAT, "pairs": facts}, file, separators=(",", ":"), sort_keys=True)
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
            moved = _moved(f"moved-{key}", old[key], row)
            if moved and max(old[key].date, row.date) >= day:  # type: ignore[type-var, operator]
                changes.append(moved)
    gone = [row for key, row in old.items() if key not in new]
    added = [row for key, row in new.items() if key not in old]
    renamed = {(r.date, r.start_time, r.meeting.name if r.meeting else None) for r in gone} & \
              {(r.date, r.start_time, r.meeting.name if r.meeting else None) for r in added}
    for row in gone:
        if (row.date, row.start_time, row.meeting.name if row.meeting else None) not in renamed \
                and row.date >= day:  # type: ignore[operator]
            changes.append(Change(key=f"cancelled-{row.key}", kind="cancelled", session=row.name,
                                  was=Place(day=row.date, time=row.start_time)))
    for row in added:
        if (row.date, row.start_time, row.meeting.name if row.meeting else None) not in renamed \
                and row.date >= day:  # type: ignore[operator]
            changes.append(Change(key=f"added-{row.key}", kind="added", session=row.name,
                                  now=Place(day=row.date, time=row.start_time)))
    old_due, new_due = _deadlines(before.deadlines), _deadlines(after.deadlines)
    for key, deadline in new_due.items():
        earlier = old_due.get(key)
        if earlier is None or earlier.due is None or deadline.due is None or earlier.due == deadline.due:
            continue
        if max(earlier.due.day, deadline.due.day) >= day:  # type: ignore[operator]
            changes.append(Change(key=f"due-{_key(key)}", kind="due", topic=deadline.title,
                                  was=Place(day=earlier.due.day, time=earlier.due.time),
                                  now=Place(day=deadline.due.day, time=deadline.due.time)))
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


def _moved(key: str, old: Row, new: Row) -> Change | None:
    """The day, time and room that changed, else each section that met elsewhere or at another
    time; `on` the session's day when that did not change."""
    was, now = _time_and_room_moved(old.start_time, new.start_time, old.location, new.location)
    on = new.date if old.date == new.date else None
    if old.date != new.date:
        was, now = was.model_copy(update={"day": old.date}), now.model_copy(update={"day": new.date})
    if was != Place():
        return Change(key=key, kind="moved", session=new.name, was=was, now=now, on=on)
    sections = _sections_moved(old, new)
    if not sections:
        return None
    return Change(key=key, kind="sections", session=new.name, sections=sections, on=on)


def _sections_moved(old: Row, new: Row) -> tuple[SectionMove, ...]:
    """Each section that met elsewhere or at another time, with its earlier and later time and room."""
    before = {slot.section.name: slot for slot in old.sections if slot.section is not None}
    found = []
    for slot in new.sections:
        earlier = before.get(slot.section.name) if slot.section else None
        if earlier is None or slot.section is None:
            continue
        was, now = _time_and_room_moved(earlier.start, slot.start, earlier.location, slot.location)
        if was != Place():
            found.append(SectionMove(section=slot.section.name, was=was, now=now))
    return tuple(found)


def _time_and_room_moved(old_time: dt.time | None, new_time: dt.time | None, old_room: str | None,
                         new_room: str | None) -> tuple[Place, Place]:
    """The earlier and the later time and room, each where both are known and they differ."""
    times = old_time and new_time and old_time != new_time
    rooms = old_room and new_room and old_room != new_room
    return (Place(time=old_time if times else None, room=old_room if rooms else None),
            Place(time=new_time if times else None, room=new_room if rooms else None))


def is_deadline_of(item_key: str, assignment: str) -> bool:
    """Whether the change log's item `item_key` says that assignment `assignment`'s deadline moved."""
    return item_key.endswith(f"-due-{_key(assignment)}")


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "deadline"
