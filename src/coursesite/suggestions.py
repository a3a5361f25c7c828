"""Did-you-mean hints: offered only for what is plausibly a typo of the name written.

difflib's similarity ratio suggests unrelated words that share letters ('section' ->
'location', 'id' -> 'kind'); a hint that points the wrong way costs a tired instructor more
than no hint. A suggestion here is a name at most a few edits away (a swapped pair of letters
is one edit), fewer for short names.
"""

from __future__ import annotations

from collections.abc import Iterable


def closest(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate `name` is most plausibly a typo of, or None when none is close enough."""
    written = _normal(name)
    allowed = 1 if len(written) <= 7 else 2
    best: tuple[int, str] | None = None
    for candidate in sorted(set(candidates)):
        distance = typo_distance(written, _normal(candidate))
        if distance <= allowed and (best is None or distance < best[0]):
            best = (distance, candidate)
    return best[1] if best else None


def _normal(name: str) -> str:
    """Case, spaces and '-' are not worth a hint of their own: 'Office hours' is office_hours."""
    return name.lower().replace(" ", "_").replace("-", "_")


def typo_distance(a: str, b: str) -> int:
    """Edits between `a` and `b`: insert, delete, replace, or swap two neighbouring letters."""
    if abs(len(a) - len(b)) > 2:
        return 3  # farther than any hint we give; spares the table for long texts
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]
