"""The data model: the one place that says what a course is.

Each YAML file of a course has its own top-level model (`CourseInfo`, `ScheduleFile`,
`ReadingsFile`, `LinksFile`) so a validation error always points into the right file.
Unknown keys are errors everywhere except under `extra`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    SerializationInfo,
    WithJsonSchema,
    model_validator,
)

from coursesite.errors import WARNING_CODES
from coursesite.locales import check_language
from coursesite.sanitize import protocol_relative, unsafe_url
from coursesite.years import FIRST_YEAR, LAST_YEAR

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_WEEKDAY_NAMES = {name.lower(): i for i, name in enumerate(WEEKDAY_NAMES)}
_WEEKDAY_NAMES.update({name.lower(): i for i, name in enumerate(WEEKDAYS)})
_WEEKDAY_NAMES.update({"tues": 1, "wednes": 2, "thur": 3, "thurs": 3})


class Strict(BaseModel):
    """Base for every model: unknown keys are errors, values are not coerced into strings."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


# ---- value types ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CourseDate:
    """A calendar date, with the weekday the instructor wrote beside it (if any) for checking."""

    value: dt.date
    stated_weekday: int | None = None

    def __str__(self) -> str:
        return self.value.isoformat()



_LONGEST_DATE = 40  # "Wednesday, 2026-09-08" and the like
_DATE_RE = re.compile(
    r"^(?:(?P<pre>[A-Za-z]+)\.?,?\s+)?(?P<iso>\d{4}-\d{1,2}-\d{1,2})(?:\s*,?\s*\(?(?P<post>[A-Za-z]+)\.?\)?)?$")


def parse_weekday(text: str) -> int:
    key = text.strip().rstrip(".").lower()
    if key not in _WEEKDAY_NAMES:
        raise ValueError(f"'{_shorten(text)}' is not a day of the week; use Mon, Tue, Wed, Thu, Fri, Sat or Sun")
    return _WEEKDAY_NAMES[key]


def _parse_date(value: Any) -> CourseDate:
    if isinstance(value, CourseDate):
        return value
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return CourseDate(_plausible(value, value.isoformat()))
    if not isinstance(value, str):
        raise ValueError("expected a date such as 2026-09-08")
    # The length check keeps the pattern's work small on a pasted page of text.
    match = _DATE_RE.match(value.strip()) if len(value) <= _LONGEST_DATE else None
    if not match:
        raise ValueError(f"'{_shorten(value)}' is not a date; write it as YYYY-MM-DD, such as 2026-09-08 "
                         "(a weekday may stand before it: Tue 2026-09-08)")
    try:
        year, month, day = (int(part) for part in match["iso"].split("-"))
        date = dt.date(year, month, day)
    except ValueError as exc:
        raise ValueError(f"'{match['iso']}' is not a real date ({exc})") from None
    stated = match["pre"] or match["post"]
    return CourseDate(_plausible(date, match["iso"]), parse_weekday(stated) if stated else None)


def _shorten(value: object) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _plausible(date: dt.date, written: str) -> dt.date:
    if not FIRST_YEAR <= date.year <= LAST_YEAR:
        raise ValueError(f"'{written}' is not a plausible course date (years {FIRST_YEAR} to {LAST_YEAR})")
    return date


def _parse_time(value: Any) -> dt.time:
    if isinstance(value, dt.time):
        return value
    text = str(value).strip().lower().replace(".", "")
    match = re.fullmatch(r"(\d{1,2})(?::(\d{2}))?\s*(am|pm)?", text)
    if not match:
        raise ValueError(f"'{_shorten(value)}' is not a time; write 24-hour HH:MM such as 15:45 (or 3:45pm)")
    hour, minute, half = int(match[1]), int(match[2] or 0), match[3]
    if half:
        if not 1 <= hour <= 12:
            raise ValueError(f"'{value}' is not a time: with am/pm the hour is 1 to 12")
        hour = hour % 12 + (12 if half == "pm" else 0)
    elif match[2] is None:
        raise ValueError(f"'{value}' is not a time; write HH:MM such as 15:45")
    if hour > 23 or minute > 59:
        raise ValueError(f"'{value}' is not a time of day (hours 0-23, minutes 0-59)")
    return dt.time(hour, minute)


@dataclass(frozen=True)
class ClockTime:
    """A session's own clock time: a start, and an end when one was written."""

    start: dt.time
    end: dt.time | None = None

    def __str__(self) -> str:
        return f"{self.start:%H:%M}" + (f"-{self.end:%H:%M}" if self.end else "")


def _parse_clock_time(value: Any) -> ClockTime:
    """`"18:00-20:00"`, `"6-8pm"` or `"7pm"` (a start only)."""
    if isinstance(value, ClockTime):
        return value
    if not isinstance(value, str | dt.time):
        raise ValueError("expected a time such as \"18:00-20:00\" or \"7pm\"")
    if isinstance(value, dt.time):
        return ClockTime(value)
    parts = re.split(r"\s*(?:-|–|—|\bto\b)\s*", value.strip(), maxsplit=1)
    if len(parts) == 1:
        return ClockTime(_parse_time(parts[0]))
    first, second = parts
    half = re.search(r"([ap]\.?m\.?)\s*$", second, re.I)
    if half and not re.search(r"[ap]\.?m\.?\s*$", first, re.I):
        first += half[1]  # "6-8pm": the start shares the end's half of the day
    start, end = _parse_time(first), _parse_time(second)
    if end <= start:
        raise ValueError(f"end {end:%H:%M} is not after start {start:%H:%M}")
    return ClockTime(start, end)


def _check_slug(value: str) -> str:
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", value):
        raise ValueError(f"'{_shorten(value)}' is not an id: use lowercase letters, digits and -, "
                         "such as week-3-lecture")
    return value


@dataclass(frozen=True)
class Moment:
    """A day, with the time of day when one was stated: a date-only deadline has no time."""

    day: dt.date
    time: dt.time | None = None

    @property
    def iso(self) -> str:
        """For `<time datetime>`: the date, or the date and the time."""
        return self.day.isoformat() + (f"T{self.time:%H:%M}" if self.time else "")

    @property
    def sort_key(self) -> tuple[dt.date, dt.time]:
        """A date-only moment sorts after the timed ones of its day."""
        return self.day, self.time or dt.time.max

    def __str__(self) -> str:
        return self.day.isoformat() + (f" {self.time:%H:%M}" if self.time else "")


def _parse_moment(value: Any) -> Moment:
    """A date, or a date and time (`2026-09-22 23:59`); a bare date has no time."""
    if isinstance(value, Moment):
        return value
    if isinstance(value, dt.datetime):
        return Moment(value.date(), value.time())
    text = str(value).strip()
    match = None
    if len(text) <= _LONGEST_DATE + 10:  # the pattern backtracks on long text
        match = re.fullmatch(r"(\S+(?:\s+\S+)?)[ T]+(\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?)", text, re.I)
    if match and re.search(r"\d{4}-", match[1]):
        return Moment(_parse_date(match[1]).value, _parse_time(match[2]))
    return Moment(_parse_date(value if isinstance(value, dt.date) else text).value)


def _check_url(value: str) -> str:
    scheme = unsafe_url(value)  # the browser's reading: "java\tscript:" is javascript:
    if scheme:
        raise ValueError(f"'{scheme}:' links are not allowed; use http, https, mailto or a "
                         "relative path")
    if protocol_relative(value):  # also '\\host' and '/\host', which browsers read as '//host'
        raise ValueError("protocol-relative links ('//host') are not allowed; write https://")
    if value.lower().startswith("www."):  # would be a relative link to a file named www.…
        raise ValueError(f"'{_shorten(value)}' needs its scheme: write https://{_shorten(value)}")
    return value


def _check_relative_file(value: str) -> str:
    if re.search(r"[\x00-\x1f\x7f]", value):
        raise ValueError(f"{_shorten(repr(value))} contains a control character; write a plain file path")
    if value.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", value):
        raise ValueError(f"'{_shorten(value)}' must be a path relative to the course folder")
    if ".." in re.split(r"[\\/]", value):
        raise ValueError(f"'{_shorten(value)}' points outside the course folder ('..' is not allowed)")
    return value


def _check_timezone(value: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: 'America' is a folder
        raise ValueError(f"'{_shorten(value)}' is not an IANA time zone such as America/New_York") from None
    return value


# Larger than any count, weight, score or order a course has. A 400-digit count overflows the
# arithmetic of the grading table, and inf or nan would be printed as words.
LARGEST_NUMBER = 1_000_000


def _plausible_number(value: Any) -> Any:
    """Refuses inf, nan and absurd magnitudes, quoting them as written; the type is checked after."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return value
    try:
        number = value if isinstance(value, int) else float(value)  # an int is never made a float
    except ValueError:
        return value  # not a number at all: the type check says so
    if math.isnan(number) or math.isinf(number) or abs(number) > LARGEST_NUMBER:
        raise ValueError(f"'{_shorten(value)}' is not a number a course can use; write one between "
                         f"-{LARGEST_NUMBER:,} and {LARGEST_NUMBER:,}")
    return value


def _date_text(value: CourseDate, info: SerializationInfo) -> str:
    """The date; in JSON with its stated weekday too, as written, so that JSON validates back."""
    if info.mode_is_json() and value.stated_weekday is not None:
        return f"{WEEKDAYS[value.stated_weekday]} {value}"
    return str(value)


def _check_item_id(value: str) -> str:
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", value):
        raise ValueError(f"'{_shorten(value)}' is not an id: use letters, digits, '-', '_' or '.', "
                         "starting with a letter or digit, and no spaces (such as bailey-2020)")
    return value


# The JSON serializers write what the validators read, so a model survives a trip through JSON
# (the build cache keeps course summaries so). The JSON Schemas (json_schema.py) describe these
# as editors see them: strings.
_DATE_SCHEMA = {"anyOf": [{"type": "string", "format": "date"},  # a weekday may stand beside it: Tue 2026-09-08
                          {"type": "string", "pattern": r"^[A-Za-z]+\.?,?\s+\d{4}-\d{1,2}-\d{1,2}$"}]}
_TIME_SCHEMA = {"type": "string", "pattern": r"^\d{1,2}(:\d{2})?\s*([aApP]\.?[mM]\.?)?$"}
_MOMENT_SCHEMA = {"anyOf": [*_DATE_SCHEMA["anyOf"], {"type": "string", "pattern": r"\d{4}-\d{2}-\d{2}[ T]"}]}
Date = Annotated[CourseDate, PlainValidator(_parse_date), PlainSerializer(_date_text), WithJsonSchema(_DATE_SCHEMA)]
Time = Annotated[dt.time, PlainValidator(_parse_time),
                 PlainSerializer(lambda t: t.strftime("%H:%M"), when_used="json"), WithJsonSchema(_TIME_SCHEMA)]
DateTime = Annotated[Moment, PlainValidator(_parse_moment), PlainSerializer(str), WithJsonSchema(_MOMENT_SCHEMA)]
SessionTime = Annotated[ClockTime, PlainValidator(_parse_clock_time), PlainSerializer(str),
                        WithJsonSchema({"type": "string"})]
Slug = Annotated[str, AfterValidator(_check_slug),
                 WithJsonSchema({"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"})]
Weekday = Annotated[int, PlainValidator(lambda v: parse_weekday(str(v))),
                    PlainSerializer(lambda d: WEEKDAYS[d], when_used="json"),
                    WithJsonSchema({"type": "string", "enum": [*WEEKDAYS, *WEEKDAY_NAMES]})]
Url = Annotated[str, AfterValidator(_check_url)]
RelativeFile = Annotated[str, Field(min_length=1), AfterValidator(_check_relative_file)]
Text = Annotated[str, Field(min_length=1)]
Markdown = str  # Markdown source; rendered to HTML at page time.
# Every number of the model is one of these two: finite, and of a size a course can have.
Number = Annotated[float, BeforeValidator(_plausible_number)]
WholeNumber = Annotated[int, BeforeValidator(_plausible_number)]
ItemId = Annotated[str, AfterValidator(_check_item_id)]
Language = Annotated[str, AfterValidator(check_language)]


# ---- people and meetings -------------------------------------------------------------------


def _one_or_more(value: Any) -> Any:
    """`instructor: Ada` and `instructor: [Ada, Alan]` both give a list."""
    return [value] if isinstance(value, str) else value


class OfficeHour(Strict):
    day: Weekday | None = None
    days: list[Weekday] = Field(default=[], description="several days: [Mon, Wed]")
    start: Time | None = None
    end: Time | None = None
    location: str | None = None
    url: Url | None = Field(default=None, description="a video-call link")
    note: str | None = None

    @model_validator(mode="after")
    def _end_after_start(self) -> OfficeHour:
        _require_order(self.start, self.end)
        if self.day is not None and self.days:
            raise ValueError("give either day or days, not both")
        return self

    @property
    def weekdays(self) -> list[int]:
        """Every day these office hours take place."""
        return [self.day] if self.day is not None else list(self.days)


class Person(Strict):
    name: Text
    role: Text = "Instructor"
    url: Url | None = None
    email: str | None = None
    photo: RelativeFile | None = None
    pronouns: str | None = None
    office_hours: list[OfficeHour] = []
    bio: Markdown | None = None

    @model_validator(mode="after")
    def _email_shape(self) -> Person:
        if self.email is not None and (len(self.email) > 254  # the longest address mail allows
                                       or not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", self.email)):
            raise ValueError(f"'{_shorten(self.email)}' is not an email address such as name@example.edu")
        return self


class MeetingSection(Strict):
    """One of the parallel sections of a meeting: the same sessions at its own time and room."""

    name: Text
    days: list[Weekday] = Field(default=[], description="when not the meeting's days")
    start: Time | None = None
    end: Time | None = None
    location: str | None = None
    instructor: Annotated[list[Text], BeforeValidator(_one_or_more)] = []
    codes: Annotated[list[Text], BeforeValidator(_one_or_more)] = Field(
        default=[], description="registration codes, such as a class number")

    @model_validator(mode="after")
    def _end_after_start(self) -> MeetingSection:
        _require_order(self.start, self.end)
        return self


class Meeting(Strict):
    """A weekly meeting pattern: sessions in the schedule take its dates in turn."""

    name: Text = "Lecture"
    days: list[Weekday] = []
    start: Time | None = None
    end: Time | None = None
    location: str | None = None
    note: str | None = None
    numbered: bool = Field(default=False, description="label its sessions Lecture 1, Lecture 2, ...")
    sections: list[MeetingSection] = []

    @model_validator(mode="after")
    def _end_after_start(self) -> Meeting:
        _require_order(self.start, self.end)
        names = [s.name.lower() for s in self.sections]
        if len(set(names)) < len(names):
            raise ValueError("two sections have the same name")
        return self


class Holiday(Strict):
    """A day or a range of days without class (`end` inclusive)."""

    date: Date
    end: Date | None = None
    label: Text
    cancels: Annotated[list[Text], BeforeValidator(_one_or_more)] = Field(
        default=[], description="the meeting patterns that skip it; all when left out")

    @model_validator(mode="after")
    def _end_after_start(self) -> Holiday:
        if self.end is not None and self.end.value < self.date.value:
            raise ValueError(f"end {self.end} is before date {self.date}")
        return self


class Term(Strict):
    name: Text
    start: Date | None = None
    end: Date | None = None
    timezone: Annotated[str, AfterValidator(_check_timezone)] = "UTC"

    @model_validator(mode="after")
    def _end_after_start(self) -> Term:
        if self.start and self.end and self.end.value < self.start.value:
            raise ValueError(f"term end {self.end} is before its start {self.start}")
        return self


class Link(Strict):
    label: Text
    url: Url | None = None
    note: str | None = None


class Swap(Strict):
    """A day that follows another weekday's timetable (`follows: Fri` on a Wednesday)."""

    date: Date
    follows: Weekday
    label: str | None = None


class Section(Strict):
    """A titled block of Markdown shown on the overview (an application process, a TL;DR)."""

    title: Text
    body: Markdown


# ---- grading -------------------------------------------------------------------------------


class GradingComponent(Strict):
    """A part of the grade. With both, `weight` is its share and `points` its own scale."""

    name: Text
    weight: Number | None = Field(default=None, ge=0, description="percent of the final grade")
    points: Number | None = Field(default=None, ge=0, description="points of one item")
    count: WholeNumber | None = Field(default=None, ge=1, description="how many such items")
    drop_lowest: WholeNumber = Field(default=0, ge=0)
    session: Annotated[list[ItemId], BeforeValidator(_one_or_more)] = Field(
        default=[], description="the id of its exam session in schedule.yaml, or a list of them")
    note: str | None = None

    @model_validator(mode="after")
    def _drop_fewer_than_count(self) -> GradingComponent:
        if self.drop_lowest >= self.items:
            raise ValueError(f"drop_lowest ({self.drop_lowest}) must be less than count ({self.items})")
        return self

    @property
    def items(self) -> int:
        """How many items: `count`, else one per exam session named."""
        return self.count or len(self.session) or 1

    @property
    def counted(self) -> int:
        return self.items - self.drop_lowest

    @property
    def total_points(self) -> float | None:
        return None if self.points is None else self.points * self.counted


class GradeBand(Strict):
    """A letter grade by percent: `min` inclusive; the lowest band may leave it out, the highest `max`."""

    letter: Text
    min: Number | None = Field(default=None, ge=0)
    max: Number | None = Field(default=None, ge=0)


class Grading(Strict):
    components: list[GradingComponent] = []
    total: Number | None = Field(default=None, gt=0, description="the whole grade, in percent or "
                                "points, when not every component is listed yet")
    scale: list[GradeBand] = []
    notes: Markdown | None = None


# ---- course.yaml ---------------------------------------------------------------------------


def _renamed_sections(value: Any) -> None:
    raise ValueError("the overview's text blocks are now called 'about:' (meetings[].sections "
                     "are a meeting's parallel sections); rename 'sections:' to 'about:'")


class CourseInfo(Strict):
    """course.yaml: the facts of one offering of a course."""

    code: str | None = None
    title: Text
    subtitle: str | None = None
    term: Term
    institution: str | None = None
    department: str | None = None
    url: Url | None = None
    summary: Markdown | None = None
    description: Markdown | None = None
    prerequisites: Markdown | None = None
    textbook: Markdown | None = None
    topics: list[Text] = []
    other_offerings: list[Link] = Field(default=[], description="links to offerings kept elsewhere")
    offering_of: Slug | None = Field(default=None, description="the course this folder is an offering "
                                     "of, which is also its stable address, such as deep-learning")
    people: list[Person] = []
    staff_to_be_announced: list[Text] = Field(
        default=[], description="roles not yet filled, such as 'Teaching Assistants'")
    office_hours_note: str | None = None
    meetings: list[Meeting] = []
    holidays: list[Holiday] = []
    swaps: list[Swap] = []
    due_time: Time | None = Field(default=None, description="when date-only deadlines fall due")
    grading: Grading | None = None
    language: Language | None = Field(default=None, description="BCP 47 tag, such as fr; site.yaml's by default")
    calendar: Literal["gregorian", "persian"] = Field(
        default="gregorian", description="the calendar pages show dates in (YAML dates stay ISO Gregorian)")
    about: list[Section] = Field(default=[], description="titled text blocks on the overview")
    sections: Annotated[None, BeforeValidator(_renamed_sections)] = Field(
        default=None, exclude=True,  # never written back: a stored summary must validate again
        description="the old name of `about`; an error that says so")
    extra: dict[str, Any] = {}

    @model_validator(mode="after")
    def _meeting_names_differ(self) -> CourseInfo:
        names = [m.name.lower() for m in self.meetings]
        if len(set(names)) < len(names):
            raise ValueError("two meetings have the same name; give each its own name")
        return self


# ---- schedule.yaml -------------------------------------------------------------------------


class Material(Strict):
    """Slides, a notebook or a video: a link, a file in the course folder, or not posted yet."""

    label: Text
    url: Url | None = None
    file: RelativeFile | None = None
    release: DateTime | None = Field(default=None, description="left out of the site until then (course time zone)")

    @model_validator(mode="after")
    def _one_target(self) -> Material:
        if self.url and self.file:
            raise ValueError("give either url or file, not both")
        return self


class DueItem(Strict):
    """Something due: an assignment by id (`due: [hw1]`), or an item written out."""

    title: Text | None = None
    points: Number | None = Field(default=None, ge=0)
    assignment: ItemId | None = Field(default=None, description="id of an assignment")
    time: Time | None = None
    in_class: bool | None = Field(default=None, description="handed in during the session")

    @model_validator(mode="after")
    def _title_or_assignment(self) -> DueItem:
        if self.title is None and self.assignment is None:
            raise ValueError("a due item needs a title, or the id of an assignment")
        return self


class ReadingRef(Strict):
    """A reading listed with a session: its id in readings.yaml, and where to read."""

    id: ItemId
    where: str | None = Field(default=None, description='such as "ch. 5-6"')


def _reading_ref(value: Any) -> Any:
    return {"id": value} if isinstance(value, str) else value


ReadingList = list[Annotated[ReadingRef, BeforeValidator(_reading_ref)]]


def _due_ref(value: Any) -> Any:
    return {"assignment": value} if isinstance(value, str) else value


DueList = list[Annotated[DueItem, BeforeValidator(_due_ref)]]


SessionKind = Literal["lecture", "section", "lab", "tutorial", "notebook", "exam", "review",
                      "presentation", "holiday", "other"]


class Session(Strict):
    """One row of the schedule. Without a date it takes the next meeting of its pattern."""

    id: Slug | None = Field(default=None, description="a stable name for links and calendar UIDs")
    date: Date | None = None
    end: Date | None = None
    time: SessionTime | None = Field(default=None, description="its own clock time, 18:00-20:00 or 7pm")
    label: str | None = None
    week: str | None = None
    topic: Text | None = Field(default=None, description="left out: shown by its meeting's name")
    kind: SessionKind = "lecture"
    meeting: str | None = Field(default=None, description="name of a meeting pattern")
    attach: bool = Field(default=False, description="belongs to the session before it")
    location: str | None = None
    materials: list[Material] = []
    readings: ReadingList = []
    instructor: Annotated[list[Text], BeforeValidator(_one_or_more)] = Field(
        default=[], description="who leads the session: a name from course.yaml people, or a list")
    released: list[ItemId] = Field(default=[], description="ids of assignments posted in this session")
    due: DueList = []
    notes: Markdown | None = None

    @model_validator(mode="after")
    def _end_after_date(self) -> Session:
        if self.end is not None:
            if self.date is None:
                raise ValueError("end needs a date to start from")
            if self.end.value < self.date.value:
                raise ValueError(f"end {self.end} is before date {self.date}")
        return self


class Solutions(Strict):
    """An assignment's solutions, left out of the site until `release`: a moment, or after-due."""

    file: RelativeFile
    release: Annotated[Literal["after-due"] | Moment, PlainValidator(_parse_solutions_release), PlainSerializer(str),
                       WithJsonSchema({"anyOf": [{"const": "after-due"}, *_MOMENT_SCHEMA["anyOf"]]})] = "after-due"


def _parse_solutions_release(value: Any) -> Literal["after-due"] | Moment:
    return "after-due" if value == "after-due" else _parse_moment(value)


class Assignment(Strict):
    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")]
    title: Text
    released: DateTime | None = None
    due: DateTime | None = None
    due_text: str | None = Field(default=None, description="a due date in another calendar")
    time: Time | None = Field(default=None, description="the time of day it is due")
    in_class: bool | None = Field(default=None, description="handed in during a session")
    submit: str | None = Field(default=None, description="where work is handed in (Markdown)")
    points: Number | None = Field(default=None, ge=0)
    weight: Number | None = Field(default=None, ge=0, description="percent of the final grade")
    url: Url | None = None
    file: RelativeFile | None = None
    release: DateTime | None = Field(default=None, description="left out of the site until then (course time zone)")
    solutions: Solutions | None = None
    notes: Markdown | None = None


class Module(Strict):
    """A timeboxed unit of an online course, Monday to Sunday unless it says otherwise."""

    title: Text
    length: int = Field(default=7, ge=1, le=366, description="days")
    date: Date | None = None
    end: Date | None = None
    readings: ReadingList = []
    materials: list[Material] = []
    due: DueList = []
    notes: Markdown | None = None

    @model_validator(mode="after")
    def _end_after_date(self) -> Module:
        if self.end is not None and self.date is not None and self.end.value < self.date.value:
            raise ValueError(f"end {self.end} is before date {self.date}")
        return self


class ScheduleFile(Strict):
    """schedule.yaml: sessions and modules in order, and assignments with their deadlines."""

    modules: list[Module] = []
    first_module_number: WholeNumber = Field(default=0, ge=0, description="what the first module is called: "
                                     "Module 0 (a getting-started week) or Module 1")
    sessions: list[Session] = []
    assignments: list[Assignment] = []
    note: Markdown | None = None


# ---- readings.yaml and links.yaml ----------------------------------------------------------


class Reading(Strict):
    id: ItemId | None = None
    title: Text
    authors: list[str] = []
    year: str | None = None
    url: Url | None = None
    file: RelativeFile | None = None
    release: DateTime | None = Field(default=None, description="left out of the site until then (course time zone)")
    emphasis: str | None = Field(default=None, description="a short flag such as READ THIS FIRST")
    note: Markdown | None = None


class ReadingGroup(Strict):
    title: Text
    ordered: bool = True
    note: Markdown | None = None
    items: list[Reading] = []


class ReadingsFile(Strict):
    groups: list[ReadingGroup] = []


class LinkItem(Strict):
    title: Text
    url: Url | None = None  # not posted yet
    note: Markdown | None = None


class LinkGroup(Strict):
    title: Text
    note: Markdown | None = None
    items: list[LinkItem] = []


class LinksFile(Strict):
    groups: list[LinkGroup] = []


# ---- Markdown pages and the site -----------------------------------------------------------


class PageMeta(Strict):
    """Front matter of a Markdown page in `pages/`."""

    title: Text
    order: WholeNumber = 100
    nav_title: str | None = None
    description: str | None = None
    release: DateTime | None = Field(default=None, description="left out of the site until then (course time zone)")


class ChangeLogSettings(Strict):
    """How far back the schedule's change log looks (change_log.py)."""

    commits: int = Field(default=100, ge=0, description="the last commits that touched a course; 0: none")


class SiteConfig(Strict):
    """site.yaml (optional), beside `courses/`."""

    title: Text = "Courses"
    description: Markdown | None = None
    base_url: Url | None = None
    footer: Markdown | None = None
    language: Language = Field(default="en", description="the courses' language unless course.yaml sets one")
    strict_allows: list[Literal[tuple(WARNING_CODES)]] = Field(  # type: ignore[valid-type]
        default=[], description="warning kinds that --strict accepts, such as not-yet-posted")
    change_log: ChangeLogSettings = ChangeLogSettings()
    extra: dict[str, Any] = {}


def _require_order(start: dt.time | None, end: dt.time | None) -> None:
    if start is not None and end is not None and end <= start:
        raise ValueError(f"end {end:%H:%M} is not after start {start:%H:%M}")
