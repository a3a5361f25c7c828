"""Dates, times and numbers as pages show them, in the course's language whatever the machine's.

English keeps coursesite's own short forms ("Tue Sep 8", "11:59 pm"); other languages take
CLDR's through Babel ("mar. 8 sept.", "23 h 59"), and `calendar: persian` the Solar Hijri
calendar through jdatetime. `formats_for` sets both for what is rendered inside it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from coursesite import localized
from coursesite.model import WEEKDAYS, Moment

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Formats:
    language: str = "en"
    calendar: str = "gregorian"


_CURRENT: ContextVar[Formats] = ContextVar("formats", default=Formats())  # noqa: B039 (frozen)


@contextmanager
def formats_for(language: str, calendar: str = "gregorian") -> Iterator[None]:
    """Format in `language` (BCP 47) and `calendar` within the block (one course's pages, feeds)."""
    token = _CURRENT.set(Formats(language, calendar))
    try:
        yield
    finally:
        _CURRENT.reset(token)


def current_formats() -> Formats:
    return _CURRENT.get()


def format_date(day: dt.date | None, year: bool = False) -> str:
    if day is None:
        return ""
    formats = _CURRENT.get()
    if formats.calendar == "persian":
        return localized.persian_date(day, formats.language, year=year)
    if formats.language != "en":
        return localized.date(day, formats.language, year=year)
    text = f"{WEEKDAYS[day.weekday()]} {_MONTHS[day.month - 1]} {day.day}"
    return f"{text}, {day.year}" if year else text


def format_time(time: dt.time | None) -> str:
    if time is None:
        return ""
    if _CURRENT.get().language != "en":
        return localized.time(time, _CURRENT.get().language)
    hour = time.hour % 12 or 12
    return f"{hour}:{time.minute:02d} {'am' if time.hour < 12 else 'pm'}"


def format_datetime(moment: dt.datetime | None, year: bool = False) -> str:
    """'Mon Oct 12, 9:00 am'; in French 'lun. 12 oct., 9 h 00', in Persian with its own comma."""
    if moment is None:
        return ""
    return _date_time(format_date(moment.date(), year=year), format_time(moment.time()))


def format_moment(moment: Moment | None) -> str:
    """'Thu Sep 24', or 'Thu Sep 24, 11:59 pm' when a time was stated."""
    if moment is None:
        return ""
    text = format_date(moment.day)
    formats = _CURRENT.get()
    if formats.calendar == "persian":  # a deadline: the Solar Hijri date, the Gregorian beside it
        persian = localized.persian_date(moment.day, formats.language, year=True, weekday=False)
        with formats_for(formats.language):
            text = f"{persian} ({format_date(moment.day, year=True)})"
    return _date_time(text, format_time(moment.time)) if moment.time else text


def _date_time(date_text: str, time_text: str) -> str:
    language = _CURRENT.get().language
    return f"{date_text}, {time_text}" if language == "en" else localized.date_time(date_text, time_text, language)


def format_weekdays(days: list[int]) -> str:
    language = _CURRENT.get().language
    if language != "en":
        return localized.weekdays(days, language)
    return ", ".join(WEEKDAYS[d] for d in days)


def format_weekday_name(weekday: int) -> str:
    """'Monday' (0) to 'Sunday' (6), in the current language: the week page's day headings."""
    language = _CURRENT.get().language
    if language != "en":
        return localized.weekday_name(weekday, language)
    return ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")[weekday]


def format_hour(hour: int) -> str:
    """'9 am', '12 pm' in English, the language's short time of day elsewhere: the week's hour lines."""
    if _CURRENT.get().language != "en":
        return localized.time(dt.time(hour), _CURRENT.get().language)
    return f"{hour % 12 or 12} {'am' if hour < 12 else 'pm'}"


def format_list(parts: list[str]) -> str:
    """The parts that are not empty, joined as the language lists ('10:00 am, Room 101')."""
    language = _CURRENT.get().language
    separator = ", " if language == "en" else localized.list_separator(language)
    return separator.join(part for part in parts if part)


def format_points(points: float | None) -> str:
    if points is None:
        return ""
    language = _CURRENT.get().language
    return f"{points:g}" if language == "en" else localized.number(points, language)


def format_percent(points: float | None) -> str:
    """'40%'; in French '40 %', in Persian '۴۰٪'."""
    if points is None:
        return ""
    language = _CURRENT.get().language
    return f"{points:g}%" if language == "en" else localized.percent(points, language)


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
