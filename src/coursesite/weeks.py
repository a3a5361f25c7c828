"""Teaching weeks: week 1 is the calendar week of the term's start; labels read as dates.

A week's label is its number and the range from its first to its last teaching day
(`3 · Jan 19–23`), computed from the meeting patterns, so it moves with `term.start`. A week
whose teaching a holiday takes away says `no classes`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from coursesite import localized
from coursesite.formatting import current_formats, formats_for
from coursesite.model import CourseInfo
from coursesite.timetable import holiday_on, teaching_days
from coursesite.translations import _

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class Weeks:
    """Week numbers and labels of one course's term."""

    def __init__(self, info: CourseInfo) -> None:
        self.info = info
        start = info.term.start.value if info.term.start else None
        self.first_monday = start - dt.timedelta(days=start.weekday()) if start else None
        self.days: set[dt.date] = teaching_days(info)
        self.from_meetings = bool(self.days)
        # (the week's Monday, the language) -> its label: the schedule asks for every row's, and
        # a week holds several rows.
        self._labels: dict[tuple[dt.date, str], str | None] = {}

    def include(self, days: Iterable[dt.date]) -> None:
        """Count the days of dated sessions as teaching days when no meeting pattern gives any."""
        if not self.from_meetings:
            self.days.update(days)
            self._labels.clear()

    def number(self, day: dt.date | None) -> str | None:
        if day is None or self.first_monday is None:
            return None
        return str((day - self.first_monday).days // 7 + 1)

    def label(self, day: dt.date | None) -> str | None:
        """`3 · Jan 19–23`, `7 · no classes`, or the number alone when nothing else is known."""
        if day is None or self.first_monday is None:
            return None
        monday = day - dt.timedelta(days=day.weekday())
        language = self.info.language or current_formats().language
        key = (monday, language)
        if key not in self._labels:
            self._labels[key] = self._label(monday, language)
        return self._labels[key]

    def _label(self, monday: dt.date, language: str) -> str | None:
        number = self.number(monday)
        if number is None:
            return None
        week = [monday + dt.timedelta(days=i) for i in range(7)]
        teaching = [d for d in week if d in self.days]
        if language != "en" or self.info.calendar != "gregorian":
            number = localized.digits(number, language)
        if teaching:
            if language == "en" and self.info.calendar == "gregorian":
                return f"{number} · {date_range(teaching[0], teaching[-1])}"
            return f"{number} · {localized.date_range(teaching[0], teaching[-1], language, self.info.calendar)}"
        if any(holiday_on(d, self.info.holidays) for d in week):
            with formats_for(language):
                return f"{number} · {_('no classes')}"
        return number


def date_range(first: dt.date, last: dt.date) -> str:
    """`Jan 19–23`, `Jan 30–Feb 3`, or `Jan 19` for one day."""
    start = f"{_MONTHS[first.month - 1]} {first.day}"
    if first == last:
        return start
    if first.month == last.month:
        return f"{start}–{last.day}"
    return f"{start}–{_MONTHS[last.month - 1]} {last.day}"
