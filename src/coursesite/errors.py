"""Diagnostics: one problem in one place of one file, and the one way they are printed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Level = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Diagnostic:
    """A problem found in the input, pointing at `path:line:col` (1-based)."""

    path: str
    line: int
    col: int
    level: Level
    message: str

    def format(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.level}: {self.message}"


@dataclass
class Report:
    """Collects every diagnostic of a run so all problems are shown together."""

    diagnostics: list[Diagnostic] = field(default_factory=list)

    def error(self, path: str | Path, line: int, col: int, message: str) -> None:
        self.diagnostics.append(Diagnostic(display_path(path), line, col, "error", message))

    def warning(self, path: str | Path, line: int, col: int, message: str) -> None:
        self.diagnostics.append(Diagnostic(display_path(path), line, col, "warning", message))

    def extend(self, other: Report) -> None:
        self.diagnostics.extend(other.diagnostics)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level == "warning"]

    def sorted(self) -> list[Diagnostic]:
        """Unique diagnostics in file and line order, so output is stable."""
        return sorted(set(self.diagnostics))


class InputError(Exception):
    """Raised when the input has errors; carries the report that explains them."""

    def __init__(self, report: Report) -> None:
        super().__init__(f"{len(report.errors)} error(s) in the input")
        self.report = report


class UsageError(Exception):
    """Raised for a bad command line or an output folder the builder must not touch."""


def display_path(path: str | Path) -> str:
    """A path relative to the working directory when possible, as editors print them."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)
