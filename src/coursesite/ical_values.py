"""How dates, times and time zones are written in a calendar feed, and each zone's VTIMEZONE.

The feeds were first written through the icalendar library; these are its forms, kept byte for
byte so that calendars subscribed to a feed see no change (tests/test_ical_golden.py).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

from coursesite.ical_text import fold_line

# Zones that are UTC under another name: their times are written as UTC ("...Z"), with no
# VTIMEZONE. (icalendar also writes the zones that have kept UTC's offset for decades, such as
# Africa/Abidjan, that way; we keep the author's zone for those, which says the same times.)
UTC_NAMES = frozenset({
    "UTC", "Etc/UTC", "Etc/UCT", "Etc/Universal", "Etc/Zulu", "UCT", "Universal", "Zulu",
    "GMT", "GMT0", "GMT+0", "GMT-0", "Greenwich", "Etc/GMT", "Etc/GMT0", "Etc/GMT+0", "Etc/GMT-0",
    "Etc/Greenwich",
})


def line(name: str, value: str) -> str:
    """One content line `NAME:value` (value already escaped), folded, with its CRLF."""
    return fold_line(f"{name}:{value}") + "\r\n"


def date_value(day: dt.date) -> str:
    return f"{day.year:04}{day.month:02}{day.day:02}"


def local_time(moment: dt.datetime) -> str:
    """The wall-clock date and time, without a zone."""
    return f"{date_value(moment)}T{moment.hour:02}{moment.minute:02}{moment.second:02}"


def utc_time(moment: dt.datetime) -> str:
    return local_time(moment.astimezone(dt.UTC)) + "Z"


def zone_name(moment: dt.datetime) -> str | None:
    """The TZID a time is written with, or None for UTC."""
    key = getattr(moment.tzinfo, "key", "UTC")
    return None if key in UTC_NAMES or moment.tzinfo is dt.UTC else str(key)


def when_line(name: str, when: dt.date | dt.datetime) -> str:
    """DTSTART, DTEND or EXDATE: a date (all day), a time in a zone, or a time in UTC."""
    if not isinstance(when, dt.datetime):
        return line(f"{name};VALUE=DATE", date_value(when))
    zone = zone_name(when)
    if zone is None:
        return line(name, utc_time(when))
    return line(f"{name};TZID={zone}", local_time(when))


def _offset(offset: dt.timedelta) -> str:
    """A UTC offset as `+HHMM` (or `+HHMMSS` when it has seconds, as some old local times do)."""
    sign = "-" if offset < dt.timedelta(0) else "+"
    seconds = abs(int(offset.total_seconds()))
    hours, minutes, rest = seconds // 3600, seconds % 3600 // 60, seconds % 60
    return f"{sign}{hours:02}{minutes:02}" + (f"{rest:02}" if rest else "")


# The steps of the search for the moments a zone's offset changes, longest first (icalendar's).
_STEPS = [dt.timedelta(days=days) for days in (64, 32, 16, 8, 4, 2, 1)] + [
    dt.timedelta(hours=4), dt.timedelta(hours=1), dt.timedelta(minutes=20), dt.timedelta(minutes=5),
    dt.timedelta(minutes=1), dt.timedelta(seconds=20), dt.timedelta(seconds=5), dt.timedelta(seconds=1)]


@lru_cache(maxsize=4096)
def _offset_kept_until(tzid: str, start: dt.datetime) -> dt.datetime:
    """The last wall-clock second, from the naive `start` on, with start's UTC offset in `tzid`,
    found as icalendar finds it: steps of 64 days, then shorter ones down to a second.

    Kept per start: a course's feeds, and its neighbours' in the same zone, share their changes."""
    zone = ZoneInfo(tzid)
    end = start.replace(tzinfo=zone)
    offset = end.utcoffset()
    for step in _STEPS:
        last_end, end = end, end + step
        try:
            while end.utcoffset() == offset:
                last_end, end = end, end + step
        except OverflowError:  # past the zone data's last year
            break
        end = last_end
    return end.replace(tzinfo=None)


@lru_cache(maxsize=64)
def vtimezone(tzid: str, first: dt.date, last: dt.date) -> str:
    """The VTIMEZONE of `tzid` from `first` to `last`: one STANDARD or DAYLIGHT per kind of
    change (its first onset as DTSTART, the others as RDATE), as icalendar's `from_tzid` writes it.
    """
    zone = ZoneInfo(tzid)
    end_of_range = dt.datetime(last.year, last.month, last.day)
    # (offset before, offset after, name, is standard time) -> the wall-clock onsets, in order
    onsets: dict[tuple[dt.timedelta | None, dt.timedelta, str, bool], list[dt.datetime]] = {}
    start = dt.datetime(first.year, first.month, first.day)
    offset_to: dt.timedelta | None = None
    while start < end_of_range:
        local = start.replace(tzinfo=zone)
        offset_from, offset_to = offset_to, local.utcoffset()
        assert offset_to is not None
        name = local.tzname() or str(offset_to)
        onsets.setdefault((offset_from, offset_to, name, local.dst() == dt.timedelta()), []).append(start)
        start = _offset_kept_until(tzid, start) + _STEPS[-1]
    text = line("TZID", tzid) + line("COMMENT", f"This timezone only works from {first} to {last}.")
    for (offset_from, offset_to, name, standard), starts in onsets.items():
        kind = "STANDARD" if standard else "DAYLIGHT"
        first_start = min(starts)
        others = [moment for moment in starts if moment is not first_start]
        if first_start.date() == last:
            first_start = dt.datetime(last.year, last.month, last.day)
        text += f"BEGIN:{kind}\r\n" + line("DTSTART", local_time(first_start))
        if others:
            text += line("RDATE", ",".join(local_time(moment) for moment in others))
        before = offset_to if offset_from is None else offset_from  # None: the range's start
        text += (line("TZNAME", name) + line("TZOFFSETFROM", _offset(before))
                 + line("TZOFFSETTO", _offset(offset_to)) + f"END:{kind}\r\n")
    return f"BEGIN:VTIMEZONE\r\n{text}END:VTIMEZONE\r\n"
