"""Grading that adds up: the overview's table of components, its total, and the scale's checks.

The rule (README "Grading"):
- When any component has a `weight`, weights are percent of the final grade and the total adds
  them; `points` inside a weighted component are that component's own scale.
- Otherwise, when components have `points`, the grade is points earned out of the total points:
  each component counts `points` × the items that count (`count` less `drop_lowest`).
- A component with neither says so ("not stated") and is never added in as 0.
- `grading.total` states the whole when not every component is listed yet.
"""

from __future__ import annotations

from dataclasses import dataclass

from coursesite.formatting import current_formats, format_percent, format_points
from coursesite.model import GradeBand, Grading, GradingComponent
from coursesite.translations import _

NOT_STATED = "not stated"  # msgid: gettext(NOT_STATED) where shown


@dataclass(frozen=True)
class GradingRow:
    component: GradingComponent
    share: str  # "40%", "3 × 10 = 30", or "not stated"
    scale: str  # in a weighted course, the component's own points: "10 points each"
    rule: str  # "3 quizzes", "Best 3 of 4 count (lowest 1 dropped)."


@dataclass(frozen=True)
class GradingTable:
    rows: list[GradingRow]
    by_weight: bool  # False: by points
    has_scale: bool  # a weighted course whose components also have points
    total: str


def grading_table(grading: Grading) -> GradingTable:
    components = grading.components
    by_weight = any(c.weight is not None for c in components)
    rows = [GradingRow(c, _share(c, by_weight), _scale(c) if by_weight else "", _rule(c))
            for c in components]
    has_scale = by_weight and any(row.scale for row in rows)
    return GradingTable(rows, by_weight, has_scale, _total(grading, by_weight))


def _share(component: GradingComponent, by_weight: bool) -> str:
    if by_weight:
        return format_percent(component.weight) if component.weight is not None else _("not stated")
    if component.points is None:
        return _("not stated")
    if component.counted > 1:
        return (f"{component.counted} × {format_points(component.points)} = "
                f"{format_points(component.total_points)}")
    return format_points(component.points)


def _scale(component: GradingComponent) -> str:
    if component.points is None:
        return ""
    points = format_points(component.points)
    return _("%(points)s points each") % {"points": points} if component.items > 1 \
        else _("%(points)s points") % {"points": points}


def _rule(component: GradingComponent) -> str:
    # English makes the name plural ('3 quizzes'); other languages keep the name as written.
    noun = plural(component.name) if current_formats().language == "en" else component.name
    if component.drop_lowest:
        return _("Best %(counted)s of %(items)s %(noun)s count (lowest %(dropped)s dropped).") % {
            "counted": component.counted, "items": component.items, "noun": noun,
            "dropped": component.drop_lowest}
    return f"{component.items} {noun}." if component.items > 1 else ""


def plural(name: str) -> str:
    """'Quiz' -> 'quizzes', 'Homework' -> 'homework', 'Exams' -> 'exams' (lower case)."""
    word = name.lower()
    if word.endswith("s") or word.endswith("work"):
        return word
    if word.endswith(("z", "x", "ch", "sh")):
        return word + ("zes" if word.endswith("iz") else "es")
    return word + "s"


def _total(grading: Grading, by_weight: bool) -> str:
    def amount(value: float) -> str:
        return format_percent(value) if by_weight else format_points(value) + _(" points")

    amounts = [(c.weight if by_weight else c.total_points) for c in grading.components]
    stated = sum(a for a in amounts if a is not None)
    missing = [c.name for c, a in zip(grading.components, amounts, strict=True) if a is None]
    if grading.total is not None:
        listed = _(" (%(amount)s listed so far)") % {"amount": amount(stated)} if stated < grading.total else ""
        return f"{amount(grading.total)}{listed}"
    if not missing:
        return amount(stated)
    shown = f"{amount(stated)} + " if stated else ""
    return f"{shown}{', '.join(missing)}: {_('not stated')}"


def total_problem(grading: Grading) -> str | None:
    """Weights that do not make the whole: 100%, or the stated `total`."""
    weights = [c.weight for c in grading.components if c.weight is not None]
    if not weights or len(weights) < len(grading.components):
        return None
    total = sum(weights)
    if grading.total is not None:
        return None if total <= grading.total + 1e-6 else (
            f"grading weights add up to {total:g}%, more than the stated total {grading.total:g}%")
    if abs(total - 100) > 1e-6:
        return f"grading weights add up to {total:g}%, not 100%"
    return None


def band_range(band: GradeBand) -> str:
    """'93–100', '90 and above', 'below 45'."""
    if band.min is None:
        return _("below %(points)s") % {"points": format_points(band.max)} if band.max is not None else ""
    if band.max is None:
        return _("%(points)s and above") % {"points": format_points(band.min)}
    return f"{format_points(band.min)}–{format_points(band.max)}"


def scale_problems(scale: list[GradeBand]) -> list[tuple[int, str]]:
    """(index in `scale`, message) for bands that overlap the next lower one or leave a gap.

    `max` is exclusive, but whole-number bands read as written: 90–92 and 93–100 cover
    everything (92.5 rounds to one of them), so only a gap of a whole point or more counts.
    """
    problems: list[tuple[int, str]] = []
    ordered = sorted(range(len(scale)), key=lambda i: _low(scale[i]), reverse=True)
    for upper_index, lower_index in zip(ordered, ordered[1:], strict=False):
        upper, lower = scale[upper_index], scale[lower_index]
        if upper.min is None or lower.max is None:
            continue
        gap = upper.min - lower.max
        if upper.min.is_integer() and lower.max.is_integer() and gap >= 1:
            gap -= 1  # 90–92 then 93–100: nothing between them
        if gap < 0:
            problems.append((upper_index, f"grade bands {upper.letter} ({band_range(upper)}) and "
                             f"{lower.letter} ({band_range(lower)}) overlap"))
        elif gap >= 1:
            problems.append((upper_index, f"grade bands {upper.letter} ({band_range(upper)}) and "
                             f"{lower.letter} ({band_range(lower)}) leave {format_points(gap)} "
                             "points uncovered"))
    for index, band in enumerate(scale):
        if band.min is None and band.max is None:
            problems.append((index, f"grade band {band.letter} needs a min or a max"))
    return problems


def _low(band: GradeBand) -> float:
    return band.min if band.min is not None else float("-inf")
