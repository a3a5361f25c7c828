"""Announcements: `announcements.yaml`, the news items made of them, and when each is shown.

- The file is a YAML list of `{date, title, body}`, with an optional `expires` day; `date` may
  have a time, read in the course's time zone (a date alone is that day's start).
- An item dated after the moment the build is for is held back: it is nowhere in the output.
- `expires` only takes an item off the overview after that day; the announcements page and the
  feeds keep it.
The schedule's change log (change_log.py) gives news items of the same shape.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar
from zoneinfo import ZoneInfo

from pydantic import model_validator

from coursesite.errors import Report
from coursesite.loading import SourceMap, YamlDocument, load_yaml
from coursesite.model import Date, DateTime, Markdown, Moment, Strict, Text
from coursesite.validation import validate

FILE_NAME = "announcements.yaml"
FIELD = "announcements"  # the list's name in messages: announcements[0].title


class Announcement(Strict):
    """One item of announcements.yaml."""

    date: DateTime
    title: Text
    body: Markdown | None = None
    expires: Date | None = None

    @model_validator(mode="after")
    def _expires_after_date(self) -> Announcement:
        if self.expires is not None and self.expires.value < self.date.day:
            raise ValueError(f"expires {self.expires} is before date {self.date.day}")
        return self


class AnnouncementsFile(Strict):
    """announcements.yaml, whose top level is the list itself."""

    announcements: list[Announcement] = []


def load_announcements(path: Path, report: Report) -> tuple[AnnouncementsFile | None, SourceMap | None]:
    """The validated file and its source map (keyed as `announcements[i]...`); None on errors."""
    document = load_yaml(path, report)
    if document is None:
        return None, None
    if document.data is None:
        return AnnouncementsFile(), None
    if not isinstance(document.data, list):
        line, col = document.source.locate(())
        report.error(path, line, col, "announcements.yaml must be a list of announcements, each "
                     "'- date: ...' with 'title:' and 'body:' below it")
        return None, None
    old = document.source
    source = SourceMap(path, {(FIELD, *key): at for key, at in old.values.items()},
                       {(FIELD, *key): at for key, at in old.keys.items()}, old.line_offset)
    source.values[()] = old.values.get((), (1, 1))
    wrapped = YamlDocument({FIELD: document.data}, source)
    return validate(AnnouncementsFile, wrapped, report, what=FILE_NAME), source


@dataclass(frozen=True)
class NewsItem:
    """An announcement or a schedule change, as the pages and feeds show it."""

    NEW_DAYS: ClassVar[int] = 7  # newer than a week: marked new
    OVERVIEW_LIMIT: ClassVar[int] = 5

    posted: dt.datetime  # aware, in the course's time zone
    timed: bool  # whether a time of day was written (else `posted` is the day's start)
    title: str
    body: str | None  # Markdown
    key: str  # stable: the page anchor and the feed entry's id are made from it
    kind: str  # "announcement" or "change"
    expires: dt.date | None = None

    @property
    def day(self) -> dt.date:
        return self.posted.date()

    @property
    def anchor(self) -> str:
        return f"news-{self.key}"

    def is_new(self, today: dt.date) -> bool:
        return 0 <= (today - self.day).days < self.NEW_DAYS

    def on_overview(self, today: dt.date) -> bool:
        return self.expires is None or self.expires >= today


def posted_at(moment: Moment, timezone: str) -> dt.datetime:
    """The aware moment an announcement is dated: its time, or its day's start, in the course's zone."""
    return dt.datetime.combine(moment.day, moment.time or dt.time(), tzinfo=ZoneInfo(timezone))


def announcement_items(announcements: Iterable[Announcement], timezone: str) -> list[NewsItem]:
    """Every announcement as a news item; keys are the date and, on a shared date, a number."""
    items: list[NewsItem] = []
    seen: dict[str, int] = {}
    for announcement in announcements:
        stamp = announcement.date.iso.replace(":", "")
        seen[stamp] = seen.get(stamp, 0) + 1
        key = stamp if seen[stamp] == 1 else f"{stamp}-{seen[stamp]}"
        items.append(NewsItem(posted_at(announcement.date, timezone), announcement.date.time is not None,
                              announcement.title, announcement.body, key, "announcement",
                              announcement.expires.value if announcement.expires else None))
    return items


def published(items: Iterable[NewsItem], moment: dt.datetime) -> list[NewsItem]:
    """The items dated at or before `moment`, newest first (the file's order among equals)."""
    shown = [item for item in items if item.posted <= moment]
    return sorted(shown, key=lambda item: item.posted, reverse=True)


def next_release(items: Iterable[NewsItem], moment: dt.datetime) -> dt.datetime | None:
    """When the first item held back at `moment` is due to appear, if any is."""
    return min((item.posted for item in items if item.posted > moment), default=None)
