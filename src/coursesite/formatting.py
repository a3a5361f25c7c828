"""Dates, times and numbers as pages show them: English, whatever the machine's locale."""

from __future__ import annotations

import datetime as dt

from coursesite.model import WEEKDAYS, Moment

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_date(day: dt.date | None, year: bool = False) -> str:
    if day is None:
        return ""
    text = f"{WEEKDAYS[day.weekday()]} {_MONTHS[day.month - 1]} {day.day}"
    return f"{text}, {day.year}" if year else text


def format_time(time: dt.time | None) -> str:
    if time is None:
        return ""
    hour = time.hour % 12 or 12
    return f"{hour}:{time.minute:02d} {'am' if time.hour < 12 else 'pm'}"


def format_datetime(moment: dt.datetime | None) -> str:
    if moment is None:
        return ""
    return f"{format_date(moment.date())}, {format_time(moment.time())}"


def format_moment(moment: Moment | None) -> str:
    """'Thu Sep 24', or 'Thu Sep 24, 11:59 pm' when a time was stated."""
    if moment is None:
        return ""
    text = format_date(moment.day)
    return f"{text}, {format_time(moment.time)}" if moment.time else text


def format_weekdays(days: list[int]) -> str:
    return ", ".join(WEEKDAYS[d] for d in days)


def format_points(points: float | None) -> str:
    if points is None:
        return ""
    return f"{points:g}"


def format_clock(item: object) -> str:
    """An item's `start`–`end` ("3:00 pm–4:30 pm"), the start alone, or nothing when unknown.

    The item is a meeting, section or office hour (`start`, `end`) or a schedule row
    (`start_time`, `end_time`).
    """
    start = getattr(item, "start_time", getattr(item, "start", None))
    end = getattr(item, "end_time", getattr(item, "end", None))
    if not isinstance(start, dt.time):
        return ""
    return format_time(start) + (f"–{format_time(end)}" if isinstance(end, dt.time) else "")
