"""Diagnostics: one problem in one place of one file, and the one way they are printed."""

from __future__ import annotations

import contextlib
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Level = Literal["error", "warning", "note"]  # a note fails nothing: it says what was skipped
# What a terminal would act on rather than show: C0 and C1 controls (ESC and CSI start escape
# sequences), line and paragraph separators, and bidirectional overrides that reorder the line.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def escape_controls(text: str) -> str:
    """`text` with each such character written as its Python escape (`\x1b`, `\n`, `\u202e`)."""
    return _CONTROL.sub(lambda m: repr(m[0])[1:-1], text)


WARNING_CODES = {
    "weekday-mismatch": "a weekday written beside a date is not that date's weekday",
    "not-a-meeting-day": "a pinned session is not on a day of its meeting pattern",
    "on-holiday": "a session falls on a holiday",
    "out-of-order": "a session is dated before the one above it",
    "outside-term": "a date is before the term's start or after its end",
    "due-before-release": "an assignment is due before it is released",
    "grading-total": "grading weights do not add up to 100% (or to grading.total)",
    "grade-scale": "letter-grade bands overlap or leave a gap",
    "date-disagreement": "an assignment's own date differs from the session that places it",
    "split-names": "reading authors look like names split at their commas",
    "not-yet-posted": "a file that a page links to does not exist yet",
    "no-course-yaml": "a folder in courses/ has no course.yaml",
    "removed-html": "raw HTML in a page that the sanitizer removes (an element, attribute or style it does not allow)",
    "active-content": "a linked .html or .svg file contains script, which would run on the site's origin",
}

# How to fix each kind of warning; every warning line ends with it, then with the way to accept
# the warning under --strict instead.
WARNING_FIXES = {
    "weekday-mismatch": "fix the date or the weekday",
    "not-a-meeting-day": 'write "time:" for a one-off session',
    "on-holiday": "move the session to another day, or correct the holiday",
    "out-of-order": "put the sessions in date order",
    "outside-term": "correct the date, or term.start and term.end in course.yaml",
    "due-before-release": "correct 'due' or 'released'",
    "grading-total": "correct the weights so that they add up to 100",
    "grade-scale": "make each band's min follow the max of the band below it",
    "date-disagreement": "delete the assignment's own date to let the session place it, or move one of the two",
    "split-names": 'quote each name, as in ["Zhang, A.", "Lipton, Z. C."]',
    "not-yet-posted": "add the file when it is ready",
    "no-course-yaml": "add a course.yaml, or move the folder out of courses/",
    "removed-html": "remove it, or keep to what the README's Safety section lists",
    "active-content": "remove the script, or publish a PDF or an image instead, or link the file from another host",
}


@dataclass(frozen=True, order=True)
class Diagnostic:
    """A problem found in the input, pointing at `path:line:col` (1-based)."""

    path: str
    line: int
    col: int
    level: Level
    message: str
    code: str = field(default="", compare=False)
    fix: str = field(default="", compare=False)  # how to fix this one, when WARNING_FIXES says too little

    def format(self) -> str:
        """One line, whatever the message quotes: a newline from the input is shown as \\n.

        A warning names its code and says how to fix it, or how to accept it under --strict:
        `path:3:5: warning[on-holiday]: ...; move the session..., or add on-holiday to
        strict_allows in site.yaml`.
        """
        if self.level == "warning" and self.code:
            fix = self.fix or WARNING_FIXES.get(self.code)
            accept = f"add {self.code} to strict_allows in site.yaml"
            remedy = f"{fix}, or {accept}" if fix else accept
            text = f"{self.path}:{self.line}:{self.col}: warning[{self.code}]: {self.message}; {remedy}"
        else:
            text = f"{self.path}:{self.line}:{self.col}: {self.level}: {self.message}"
        return escape_controls(text)


@dataclass
class Report:
    """Collects every diagnostic of a run so all problems are shown together."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def error(self, path: str | Path, line: int, col: int, message: str) -> None:
        self.diagnostics.append(Diagnostic(display_path(path), line, col, "error", message))

    def warning(self, code: str, path: str | Path, line: int, col: int, message: str, fix: str = "") -> None:
        """A warning; `code` names its kind, so a site can let --strict accept that kind.

        `fix` says how to fix this warning when the code's usual fix (WARNING_FIXES) does not fit.
        """
        assert code in WARNING_CODES, code
        self.diagnostics.append(Diagnostic(display_path(path), line, col, "warning", message, code, fix))

    def note(self, path: str | Path, message: str) -> None:
        """Something the run left out on purpose, said so that nothing vanishes without a word."""
        self.diagnostics.append(Diagnostic(display_path(path), 1, 1, "note", message))

    def extend(self, other: Report) -> None:
        self.diagnostics.extend(other.diagnostics)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level == "warning"]

    def failing(self, strict: bool, allowed: frozenset[str] = frozenset()) -> list[Diagnostic]:
        """The diagnostics that fail the run: errors, and under --strict the warnings not allowed."""
        return [d for d in self.diagnostics
                if d.level == "error" or (strict and d.level == "warning" and d.code not in allowed)]

    def sorted(self) -> list[Diagnostic]:
        """Unique diagnostics in file and line order, so output is stable."""
        return sorted(set(self.diagnostics))


class InputError(Exception):
    """Raised when the input has errors; carries the report that explains them."""

    def __init__(self, report: Report, failing: list[Diagnostic] | None = None) -> None:
        self.report = report
        failing = report.errors if failing is None else failing
        self.failing = len(failing)
        self.failing_warnings = sum(d.level == "warning" for d in failing)
        super().__init__(f"{self.failing} problem(s) in the input")

    def summary(self) -> str:
        """The closing line: how many problems, and how many of them are warnings under --strict."""
        count = f"{self.failing} problem{'s' * (self.failing != 1)} must be fixed"
        if self.failing_warnings == self.failing:
            count += " (all warnings, which --strict counts)" if self.failing > 1 else \
                " (a warning, which --strict counts)"
        elif self.failing_warnings:
            count += f" ({self.failing_warnings} of them warnings, which --strict counts)"
        return f"{count}; nothing was written."


class OutputError(Exception):
    """Raised when the output folder cannot be written (a read-only folder, a full disk); exit 1."""


class UsageError(Exception):
    """Raised for a bad command line or an output folder the builder must not touch."""


def display_path(path: str | Path) -> str:
    """A path relative to the working directory when possible, as editors print them.

    The path itself is not resolved: a symbolic link is named where it is, not where it
    leads (and a link loop must not stop the report).
    """
    absolute = Path(os.path.abspath(path))
    cwd = Path.cwd()
    candidates = [absolute]
    with contextlib.suppress(OSError, RuntimeError):
        candidates.append(absolute.parent.resolve() / absolute.name)
    for candidate in candidates:
        if candidate.is_relative_to(cwd):
            return str(candidate.relative_to(cwd))
    return str(path)
