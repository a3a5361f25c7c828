"""How long `coursesite check` takes to refuse hostile or huge input (median of 5 runs, seconds).

    .venv/bin/python benchmarks/hostile_input.py

Each case is the minimal course plus one hostile file; the figure is the whole check, from
reading the files to the printed error, against the same check of the minimal course alone.
The first cases are refused; those marked "at the bound" are pages just inside a bound of
markdown_cost.py, which are checked in full: no page under the size limit may take a second.
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
from coursesite.markup import forget_conversions

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
from conftest import MINIMAL_COURSE  # noqa: E402

S = "courses/dl/schedule.yaml"
P = "courses/dl/pages/notes.md"


def fill(unit: str, size: int = 240_000) -> str:
    return unit * (size // len(unit))


PROSE = "Some prose with a [link](https://example.org) and *emphasis*.\n\n"


def pad(text: str) -> str:
    """`text`, then prose up to 240 KB."""
    return text + fill(PROSE, 240_000 - len(text))


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
    # Slow or deep paths of the converter (issue 13): refused before converting.
    "240 KB of '- ' (nested lists)": {P: fill("- ")},
    "nested emphasis, 2,000 '*'": {P: "*a " * 1_000 + "x" + " a*" * 1_000},
    "240 KB of unclosed <div> lines": {P: fill("<div>\n")},
    "240 KB of <b> lines": {P: fill("<b>x\n\n")},
    "12,000 abbreviation definitions": {P: "".join(f"*[A{i}]: x\n" for i in range(12_000))},
    "240 KB of footnote marks": {P: "[^1]: x\n\n" + fill("[^1] ")},
    "240 KB of headings": {P: fill("# x\n")},
    "240 KB of code fences": {P: fill("```\n")},
    "240 KB of definitions": {P: fill("a\n\n: b\n\n")},
    "240 KB of '* * *' lines": {P: fill("* * *\n")},
    "240 KB of '<a '": {P: fill("<a ")},
    "240 KB of '*a'": {P: fill("*a")},
    "240 KB of '`` ` '": {P: fill("`` ` ")},
    "240 KB of tables": {P: fill("|a|b|\n|-|-|\n|x|y|\n\n")},
    "240 KB of '&'": {P: fill("&")},
    # Just inside each bound, with prose to 240 KB: checked in full.
    "at the bound: 100 open <div>": {P: pad("<div>\n\n" * 100)},
    "at the bound: 100 abbreviations": {P: pad("".join(f"*[A{i}]: x\n" for i in range(100)))},
    "at the bound: 500 footnote marks": {P: pad("[^1]: x\n\n" + "[^1] " * 499 + "\n\n")},
    "at the bound: 1,000 headings": {P: pad("# A heading\n\nSome prose under it, *emphasised*.\n\n" * 1_000)},
    "at the bound: 500 code blocks": {P: pad("```\ncode\n```\n\nText between.\n\n" * 500)},
    "at the bound: 2,000 definitions": {P: pad("Term\n: its definition, a sentence long\n\n" * 2_000)},
    "at the bound: a 1,400-line block": {P: pad("* * *\n" * 1_400 + "\n")},
    "at the bound: 700 '<' in a paragraph": {P: pad("x < y " * 700 + "\n\n")},
    "at the bound: 10,000 '*' in a paragraph": {P: pad("*a" * 5_000 + "\n\n")},
    "at the bound: 10,000 table cells": {P: pad(("| a | b | c |\n|---|---|---|\n" + "| x | y | z |\n" * 40
                                                 + "\n") * 59)},
    "at the bound: 20,000 '&'": {P: fill("Tom &amp; Jerry, ")[:240_000]},
    "at the bound: nested 32 levels": {P: pad("".join("  " * i + "- x\n" for i in range(32)) + "\n")},
}


def run(files: dict[str, str | Callable[[Path], None]]) -> tuple[float, float, int]:
    """Wall and CPU seconds of one `coursesite check`, and its exit code."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "courses/dl/pages").mkdir(parents=True)
        (root / "courses/dl/course.yaml").write_text(MINIMAL_COURSE)
        for name, content in files.items():
            if callable(content):
                content(root / name)
            else:
                (root / name).write_text(content)
        forget_conversions()  # else runs after the first time only the memo of a conversion
        started, cpu = time.perf_counter(), time.process_time()
        code = main(["check", str(root)], stdout=io.StringIO(), stderr=io.StringIO())
        return time.perf_counter() - started, time.process_time() - cpu, code


if __name__ == "__main__":
    only = sys.argv[1:]  # names (or parts of names) of the cases to run; all by default
    run({})  # imports and caches warm
    baseline = statistics.median(run({})[0] for _ in range(5))
    print(f"{'case':42} {'median s':>9} {'CPU s':>6} {'x minimal':>10} {'exit':>5}")
    for name, files in CASES.items():
        if only and not any(part in name for part in only):
            continue
        runs = [run(files) for _ in range(5)]
        median = statistics.median(seconds for seconds, _, _ in runs)
        cpu = statistics.median(seconds for _, seconds, _ in runs)
        print(f"{name:42} {median:9.3f} {cpu:6.3f} {median / baseline:10.1f} {runs[0][2]:5}", flush=True)
