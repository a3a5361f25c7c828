"""The overview's exam table, built from one source: grading components that name exam sessions.

`{name: Midterm, weight: 20, session: midterm}` puts the session with `id: midterm` in the
table with its share of the grade, date, time and place. A component may name several sessions
(`session: [exam1, exam2, exam3]` with `drop_lowest: 1`: the best two of three exams count).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from coursesite.formatting import format_percent, format_points
from coursesite.grading import plural
from coursesite.model import GradingComponent
from coursesite.schedule import DatedSchedule, Row
from coursesite.site import Course
from coursesite.translations import _


@dataclass(frozen=True)
class ExamRow:
    name: str
    share: str
    row: Row | None  # None when the session id is unknown (an error the checker reports)
    note: str | None


def exam_rows(course: Course, dated: DatedSchedule) -> list[ExamRow]:
    """The exams that grading components name, in date order."""
    grading = course.info.grading
    if grading is None:
        return []
    by_id = session_rows_by_id(dated)
    exams: list[ExamRow] = []
    for component in grading.components:
        for session_id in component.session:
            row = by_id.get(session_id)
            name = component.name
            if len(component.session) > 1 and row is not None:
                name = row.session.label or row.topic if row.session else row.topic
            exams.append(ExamRow(name, _share(component), row, _note(component)))
    return sorted(exams, key=lambda e: (e.row is None or e.row.date is None,
                                        e.row.date if e.row and e.row.date else dt.date.min))


def session_rows_by_id(dated: DatedSchedule) -> dict[str, Row]:
    return {row.session.id: row for row in dated.sessions if row.session and row.session.id}


def _share(component: GradingComponent) -> str:
    together = len(component.session) > 1
    if component.weight is not None:
        weight = format_percent(component.weight)
        return _("%(share)s together") % {"share": weight} if together else weight
    if component.points is not None:
        points = format_points(component.points)
        return _("%(points)s points each") % {"points": points} if together \
            else _("%(points)s points") % {"points": points}
    return _("not stated")


def _note(component: GradingComponent) -> str | None:
    parts = []
    if component.drop_lowest and len(component.session) > 1:
        parts.append(f"The best {component.counted} of {component.items} {plural(component.name)} count.")
    if component.note:
        parts.append(component.note)
    return " ".join(parts) or None
