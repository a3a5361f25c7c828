"""CLDR's dates, times and numbers through Babel, and Solar Hijri dates through jdatetime.

formatting.py calls these for every language but English, whose short forms are coursesite's own.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

import jdatetime
from babel.dates import format_interval, format_skeleton
from babel.dates import format_time as babel_time
from babel.numbers import format_decimal, format_percent

from coursesite.locales import babel_locale
from coursesite.model import WEEKDAYS, CourseDate, Moment

# French typography writes a time of day with an 'h' ("23 h 59"), as French universities'
# pages do; CLDR's `fr` short time is "23:59".
_TIME_PATTERNS = {"fr": "H 'h' mm"}


def date(day: dt.date, language: str, year: bool = False) -> str:
    """'mar. 8 sept.' in French; with the year, 'mar. 8 sept. 2026'."""
    return digits(format_skeleton("yMMMEd" if year else "MMMEd", day, locale=babel_locale(language)), language)


def time(moment: dt.time, language: str) -> str:
    locale = babel_locale(language)
    return digits(babel_time(moment, _TIME_PATTERNS.get(locale.language, "short"), locale=locale), language)


def date_time(date_text: str, time_text: str, language: str) -> str:
    """A date and a time as the language joins them ('mar. 8 sept., 23 h 59')."""
    pattern = str(babel_locale(language).datetime_formats["medium"])
    return pattern.replace("{1}", date_text).replace("{0}", time_text)


def weekdays(days: list[int], language: str) -> str:
    names = babel_locale(language).days["format"]["abbreviated"]
    return list_separator(language).join(names[d] for d in days)


def weekday_name(weekday: int, language: str) -> str:
    """The day's full name, as a heading has it (CLDR's stand-alone form, capitalized)."""
    name = str(babel_locale(language).days["stand-alone"]["wide"][weekday])
    return name[:1].upper() + name[1:]  # "lundi" starts a heading: "Lundi"


def list_separator(language: str) -> str:
    return "، " if babel_locale(language).language in ("fa", "ar") else ", "


def number(value: float, language: str) -> str:
    return digits(format_decimal(value, locale=babel_locale(language), numbering_system="default"), language)


def percent(value: float, language: str) -> str:
    """'40 %' in French, '۴۰٪' in Persian: a share of the grade given in percent."""
    locale = babel_locale(language)
    text = format_percent(value / 100, locale=locale, decimal_quantization=False, numbering_system="default")
    # Babel writes the Latin '%' whatever the numbering system; CLDR's own sign is swapped in.
    sign = locale.number_symbols.get(locale.default_numbering_system, {}).get("percentSign") or "%"
    return digits(text.replace("%", sign), language)


def persian_date(day: dt.date, language: str, year: bool = False, weekday: bool = True) -> str:
    """The Solar Hijri date: 'چهارشنبه ۱ آذر ۱۴۰۲' in Persian, 'Wed 1 Azar 1402' in English."""
    solar = jdatetime.date.fromgregorian(date=day)
    persian = babel_locale(language).language == "fa"
    month = (jdatetime.date.j_months_fa if persian else jdatetime.date.j_months_en)[solar.month - 1]
    text = f"{solar.day} {month}" + (f" {solar.year}" if year else "")
    if weekday:
        names = babel_locale(language).days["format"]["wide" if persian else "abbreviated"]
        day_name = names[day.weekday()] if language != "en" else WEEKDAYS[day.weekday()]
        text = f"{day_name} {text}"
    return digits(text, language)


def message_date(value: dt.date | Moment | CourseDate, calendar: str) -> str:
    """A date as `check`'s messages name it: ISO, as YAML has it ('2023-11-22', '2023-11-22 23:59'),
    with the Solar Hijri date beside it for a course in the Persian calendar ('2023-11-22 (1 Azar
    1402)'). Messages stay English: they are for the instructor."""
    day = value.day if isinstance(value, Moment) else value.value if isinstance(value, CourseDate) else value
    written = str(value) if isinstance(value, Moment | CourseDate) else value.isoformat()
    if calendar != "persian":
        return written
    return f"{written} ({persian_date(day, 'en', year=True, weekday=False)})"


def digits(text: str, language: str) -> str:
    """`text` with the language's own digits (Persian: ۰۱۲۳۴۵۶۷۸۹)."""
    return text.translate(_digit_table(language))


# CLDR's digits of the numbering systems a shipped locale defaults to; Babel formats with Latin
# digits whatever the numbering system, so they are swapped in here.
_DIGITS = {"arab": "٠١٢٣٤٥٦٧٨٩", "arabext": "۰۱۲۳۴۵۶۷۸۹"}


@cache
def _digit_table(language: str) -> dict[int, str]:
    own = _DIGITS.get(babel_locale(language).default_numbering_system, "0123456789")
    return {ord(str(n)): own[n] for n in range(10)}


def date_range(first: dt.date, last: dt.date, language: str, calendar: str = "gregorian") -> str:
    """A week's teaching days: '19–23 janv.' in French, '۱ تا ۵ آذر' in the Persian calendar."""
    if calendar != "persian":
        return digits(format_interval(first, last, "MMMd", locale=babel_locale(language)), language)
    start = persian_date(first, language, weekday=False)
    if first == last:
        return start
    end = persian_date(last, language, weekday=False)
    persian = babel_locale(language).language == "fa"
    if start.split(" ", 1)[1] == end.split(" ", 1)[1]:  # the same month: '1–5 Azar'
        start = start.split(" ", 1)[0]
    return f"{start} تا {end}" if persian else f"{start}–{end}"
