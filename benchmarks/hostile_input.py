"""How long `coursesite check` takes to refuse hostile or huge input (median of 5 runs, seconds).

    .venv/bin/python benchmarks/hostile_input.py

Each case is the minimal course plus one hostile file; the figure is the whole check, from
reading the files to the printed error, against the same check of the minimal course alone.
"""

from __future__ import annotations

import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from coursesite.cli import main

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
from conftest import MINIMAL_COURSE  # noqa: E402

S = "courses/dl/schedule.yaml"
P = "courses/dl/pages/notes.md"


def sparse(size: int) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        with path.open("wb") as file:
            file.truncate(size)
    return write


CASES: dict[str, dict[str, str | Callable[[Path], None]]] = {
    "minimal course (no hostile file)": {},
    "20 MB YAML file": {S: sparse(20_000_000)},
    "20 MB page": {P: sparse(20_000_000)},
    "alias bomb (10^6 values)": {S: "a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{k}: &{k} [{', '.join(['*' + p] * 10)}]\n" for p, k in zip("abcde", "bcdef", strict=True))},
    "nesting 10,000 deep": {S: "sessions: " + "[" * 10_000 + "]" * 10_000 + "\n"},
    "1.9 MB YAML value with '[' and spaces": {S: "note: '" + "[ " * 900_000 + "'\n"},
    "240 KB page of '['": {P: "[" * 240_000 + "\n"},
    "240 KB page of '[a]('": {P: "[a](" * 60_000 + "\n"},
    "240 KB heading of spaces": {P: "# T" + " " * 240_000 + "x\n"},
    "240 KB page of '&a'": {P: "&a" * 120_000 + "\n\n[x](javascript:alert(1))\n"},
    "240 KB page of prose and links": {P: "Some prose with a [link](https://example.org) and *emphasis*.\n\n" * 3_700},
    "50,000-character due date": {S: "assignments:\n  - {id: a, title: A, due: '" + "T" * 50_000 + "'}\n"},
}


def run(files: dict[str, str | Callable[[Path], None]]) -> float:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "courses/dl/pages").mkdir(parents=True)
        (root / "courses/dl/course.yaml").write_text(MINIMAL_COURSE)
        for name, content in files.items():
            if callable(content):
                content(root / name)
            else:
                (root / name).write_text(content)
        started = time.perf_counter()
        main(["check", str(root)], stdout=io.StringIO(), stderr=io.StringIO())
        return time.perf_counter() - started


if __name__ == "__main__":
    run({})  # imports and caches warm
    baseline = statistics.median(run({}) for _ in range(5))
    print(f"{'case':42} {'median s':>9} {'x minimal':>10}")
    for name, files in CASES.items():
        median = statistics.median(run(files) for _ in range(5))
        print(f"{name:42} {median:9.3f} {median / baseline:10.1f}")
