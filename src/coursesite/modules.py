"""Modules: timeboxed units of an online course, dated back to back from the term's start.

Modules are numbered from 0 (a getting-started week), or from `first_module_number`.
The first module starts on `term.start` and ends on the first Sunday; each next one starts the
day after the one before and lasts `length` days (7 by default). `date` and `end` pin a module,
and the modules after it continue from there. No module runs past `term.end`.
"""

from __future__ import annotations

import datetime as dt

from coursesite.formatting import format_points
from coursesite.model import CourseInfo, ScheduleFile
from coursesite.schedule import Row
from coursesite.translations import _
from coursesite.weeks import Weeks

SUNDAY = 6


def date_modules(info: CourseInfo, schedule: ScheduleFile, weeks: Weeks) -> list[Row]:
    """One row per module, with its first and last day (None when the term has no start)."""
    term_start = info.term.start.value if info.term.start else None
    term_end = info.term.end.value if info.term.end else None
    rows: list[Row] = []
    next_start = term_start
    for index, module in enumerate(schedule.modules):
        start = module.date.value if module.date else next_start
        end: dt.date | None = None
        if module.end is not None:
            end = module.end.value
        elif start is not None:
            if index == 0 and module.date is None:  # the first week runs to the first Sunday
                end = start + dt.timedelta(days=(SUNDAY - start.weekday()) % 7)
            else:
                end = start + dt.timedelta(days=module.length - 1)
            if term_end is not None and start <= term_end < end:
                end = term_end
        rows.append(Row(index, None, None, start, end, weeks.number(start),
                        None, module=module, number=schedule.first_module_number + index))
        next_start = end + dt.timedelta(days=1) if end else None
    return rows


def insert_modules(rows: list[Row], modules: list[Row]) -> list[Row]:
    """Each module before the first row that starts on or after its first day.

    Sessions inside a module (a live session) follow it; undated modules keep file order,
    before the sessions.
    """
    result = list(rows)
    for module in modules:
        if module.date is None:
            position = next((i for i, row in enumerate(result) if row.module is None), len(result))
        else:
            position = next((i for i, row in enumerate(result)
                             if row.date is not None and row.date >= module.date and not row.attached
                             and not (row.module and row.date == module.date)), len(result))
        result.insert(position, module)
    return result


def module_label(row: Row) -> str:
    """'Module 2', in the course's language."""
    return _("Module %(number)s") % {"number": format_points(row.number)}
