"""Checks of the timetable's names: session ids, the meetings a holiday cancels, section leaders."""

from __future__ import annotations

from pathlib import Path

from coursesite.errors import Report
from coursesite.site import Course
from coursesite.suggestions import closest


def check_timetable(course: Course, report: Report) -> None:
    _check_session_ids(course, report)
    _check_cancels(course, report)
    _check_section_instructors(course, report)


def _at(course: Course, part: str, loc: tuple[str | int, ...]) -> tuple[Path, int, int]:
    source = course.sources.get(part)
    line, col = source.locate(loc) if source else (1, 1)
    return course.source_file(part), line, col


def _check_session_ids(course: Course, report: Report) -> None:
    seen: dict[str, int] = {}
    for i, session in enumerate(course.schedule.sessions):
        if session.id is None:
            continue
        where = _at(course, "schedule", ("sessions", i, "id"))
        if session.id in seen:
            report.error(*where, f"session id '{session.id}' is used twice (first at line {seen[session.id]}); "
                         "each session needs its own id")
        seen.setdefault(session.id, where[1])


def _check_cancels(course: Course, report: Report) -> None:
    """A misspelt name in `cancels` would cancel nothing, silently."""
    names = [m.name for m in course.info.meetings]
    known = {name.lower() for name in names}
    for h, holiday in enumerate(course.info.holidays):
        for k, name in enumerate(holiday.cancels):
            if name.lower() in known:
                continue
            match = closest(name, names)
            hint = f"did you mean '{match}'? " if match else ""
            report.error(*_at(course, "course", ("holidays", h, "cancels", k)),
                         f"holiday '{holiday.label}' cancels '{name}', which is not a meeting; {hint}"
                         f"the meetings are: {', '.join(names) or 'none'}")


def _check_section_instructors(course: Course, report: Report) -> None:
    people = {" ".join(p.name.lower().split()) for p in course.info.people}
    for m, meeting in enumerate(course.info.meetings):
        for s, section in enumerate(meeting.sections):
            for k, name in enumerate(section.instructor):
                if " ".join(name.lower().split()) not in people:
                    report.error(*_at(course, "course", ("meetings", m, "sections", s, "instructor", k)),
                                 f"instructor '{name}' of section {section.name} is not in the people of "
                                 "course.yaml")
