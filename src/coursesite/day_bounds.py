"""How long a course's output stays what it is: the days and moments at which it may change on its own.

A course's pages depend on the day a build is for (the at-a-glance lists, past marks, the "new"
mark of announcements and their expiry, which offering is current) and on its moment (what is
dated later is held back). Between two of the edges found here none of that changes, so the build
cache (stored_builds.py) reuses a course's output for any day and moment inside the interval it
was built in, and builds the course again outside it.

The edges are found conservatively: every date and time anywhere in what the course's pages are
made from (its model, its deadlines, its news with the change log's commits, its offerings), each
with the days at which comparing it with the build day can turn, the day itself and the next; and
the two comparisons that are shifted: a week after a news item (the "new" mark) and the Monday a
week before a session's week (the first day "this week and next" reaches it). A missed edge would
publish a stale page; an extra one costs a rebuild. tests/test_day_bounds.py fails without any one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

WEEK = dt.timedelta(days=7)
DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Validity:
    """The days [first_day, end_day) and moments [first_moment, end_moment) an output is right for;
    None is no bound. Moments are POSIX seconds; a build for a day alone (--today) has none."""

    first_day: dt.date | None = None
    end_day: dt.date | None = None
    first_moment: float | None = None
    end_moment: float | None = None

    def covers(self, day: dt.date, moment: dt.datetime | None) -> bool:
        if not _inside(day, self.first_day, self.end_day):
            return False
        return moment is None or _inside(seconds(moment), self.first_moment, self.end_moment)

    def within(self, other: Validity) -> Validity:
        """The part of this interval that `other` covers too."""
        return Validity(_latest(self.first_day, other.first_day), _earliest(self.end_day, other.end_day),
                        _latest(self.first_moment, other.first_moment), _earliest(self.end_moment, other.end_moment))

    def to_json(self) -> list[str | float | None]:
        return [_iso(self.first_day), _iso(self.end_day), self.first_moment, self.end_moment]

    @classmethod
    def from_json(cls, value: Any) -> Validity:
        """A stored interval, read as untrusted input: ValueError or TypeError unless it is one."""
        if not (isinstance(value, list) and len(value) == 4):
            raise ValueError("not an interval")
        days = [None if v is None else dt.date.fromisoformat(_text(v)) for v in value[:2]]
        moments = [None if v is None else _number(v) for v in value[2:]]
        return cls(days[0], days[1], moments[0], moments[1])


def course_validity(day: dt.date, moment: dt.datetime | None, timezone: str, *, model: Iterable[object],
                    rows: Iterable[Any] = (), news: Iterable[Any] = ()) -> Validity:
    """The interval around `day` (and `moment`) in which nothing a course's pages show turns.

    `model` is everything the pages are made from (the course's model, its deadlines and modules,
    its news items, its offerings): a build's day or moment compared with any of its dates turns
    at that day or the next (a moment at itself). Two comparisons are shifted: a schedule row of
    `rows` enters "this week and next" on the Monday a week before its week (render.at_a_glance),
    and a news item of `news` is new for a week. Times without a zone are read in `timezone`.
    """
    zone = ZoneInfo(timezone)
    days: set[dt.date] = set()
    moments: set[dt.datetime] = set()
    _collect(model, zone, days, moments)
    day_edges = {edge for found in days for edge in (found, found + DAY)}
    for row in rows:
        if row.date is not None:
            day_edges.update((row.date - dt.timedelta(days=row.date.weekday()) - WEEK, (row.end or row.date) + DAY))
    day_edges.update(item.day + WEEK for item in news)
    first_day = max((edge for edge in day_edges if edge <= day), default=None)
    end_day = min((edge for edge in day_edges if edge > day), default=None)
    if moment is None:
        return Validity(first_day, end_day)
    # The start of every edge day in the course's zone is an edge moment too, so that a build at
    # a moment never outlives a day-based change either.
    # A wall-clock moment (--now, read in the course's zone: build_clock.py) is compared with the
    # edges' wall-clock times there, so one stored build serves each course in its own zone.
    wall = moment.tzinfo is None
    stamps = {seconds(m, zone if wall else None) for m in moments}
    stamps.update(seconds(dt.datetime.combine(edge, dt.time(), tzinfo=zone), zone if wall else None)
                  for edge in day_edges)
    now = seconds(moment)
    return Validity(first_day, end_day, max((s for s in stamps if s <= now), default=None),
                    min((s for s in stamps if s > now), default=None))


def seconds(moment: dt.datetime, wall_in: ZoneInfo | None = None) -> float:
    """An aware `moment` as POSIX seconds; a naive one, or an aware one read on the clocks of
    `wall_in`, as the seconds of that wall-clock time taken as UTC."""
    if wall_in is not None:
        moment = moment.astimezone(wall_in).replace(tzinfo=None)
    return moment.replace(tzinfo=dt.UTC).timestamp() if moment.tzinfo is None else moment.timestamp()


def _collect(value: object, zone: ZoneInfo, days: set[dt.date], moments: set[dt.datetime]) -> None:
    """Every date and moment inside `value`: models, dataclasses and containers are searched.
    A moment's day (in the course's zone) is a date too: a --today build reads what is held back
    at the start of its day, so the moment's day and the next are edges."""
    from coursesite.model import CourseDate, Moment  # not for a cached build, which only reads `Validity`

    stack: list[object] = [value]
    seen: set[int] = set()
    while stack:
        item = stack.pop()
        if isinstance(item, str | bytes | int | float | bool) or item is None:
            continue
        if isinstance(item, dt.datetime):
            aware = item if item.tzinfo is not None else item.replace(tzinfo=zone)
            moments.add(aware)
            days.add(aware.astimezone(zone).date())
        elif isinstance(item, dt.date):
            days.add(item)
        elif isinstance(item, Moment):
            days.add(item.day)
            if item.time is not None:
                moments.add(dt.datetime.combine(item.day, item.time, tzinfo=zone))
        elif isinstance(item, CourseDate):
            days.add(item.value)
        elif id(item) in seen:
            continue
        else:
            seen.add(id(item))
            stack.extend(_parts(item))


def _parts(item: object) -> Iterable[object]:
    from pydantic import BaseModel

    if isinstance(item, BaseModel):
        return list(item.__dict__.values())
    if dataclasses.is_dataclass(item) and not isinstance(item, type):
        return [getattr(item, field.name) for field in dataclasses.fields(item) if field.name != "sources"]
    if isinstance(item, dict):
        return [*item.keys(), *item.values()]
    if isinstance(item, list | tuple | set | frozenset):
        return list(item)
    return ()


def _inside(value: Any, first: Any, end: Any) -> bool:
    return (first is None or first <= value) and (end is None or value < end)


def _latest(a: Any, b: Any) -> Any:
    return b if a is None else a if b is None else max(a, b)


def _earliest(a: Any, b: Any) -> Any:
    return b if a is None else a if b is None else min(a, b)


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("not a date")
    return value


def _number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError("not a moment")
    return float(value)
