"""Save-to-rebuilt-page latency of `coursesite serve`.

For a site of 5, 100 and 1,000 courses (each made by `coursesite new`, with a 40-session
schedule), start the dev server twice and time each start, from launching the process until
it serves (the second start is the one with a warm cache: the operating system's, and the build
cache the first start filled, kept under the run's own XDG_CACHE_HOME); then repeatedly edit one
course's schedule.yaml and time, from the moment the file is saved:
- until the server tells the browser to reload (its LiveReload message), and
- until the rebuilt page, fetched right then, shows the edit: what the instructor waits for.
Prints the median and 95th percentile of each, the server's own rebuild times, and how they
compare with a full build. The targets (issue #16, at 1,000 courses): a median under 150 ms
from save to rebuilt page, and a start under 3 s with a warm cache. benchmarks/build_speed.py
calls `measure` and reports the same figures in benchmarks/README.md.

    .venv/bin/python benchmarks/serve_latency.py [--repeats 30] [--sizes 5,100,1000]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tornado.websocket import websocket_connect

from coursesite.scaffold import new_course

TARGET_MS = 150
TARGET_START_SECONDS = 3.0
SESSIONS = 40


def make_site(folder: Path, courses: int) -> None:
    today = dt.date(2026, 8, 20)
    for number in range(courses):
        course = new_course(folder, f"c{number:03}", f"Course {number}", today)
        (course / "schedule.yaml").write_text(schedule(number))
        # Three lectures a week, so that the 40 sessions fit in the term (no warnings).
        info = course / "course.yaml"
        info.write_text(info.read_text().replace("days: [Tue, Thu]", "days: [Mon, Wed, Fri]", 1))


def schedule(course: int, edit: str = "") -> str:
    """40 sessions dated by the meeting pattern, with materials, readings, notes and deadlines."""
    lines = ["sessions:"]
    for n in range(1, SESSIONS + 1):
        topic = f"Topic {n} of course {course}{edit if n == 7 else ''}"
        lines += [f"  - topic: \"{topic}\"", f"    label: Lecture {n}",
                  "    materials:", f"      - {{label: Slides, url: \"https://example.edu/{course}/{n}.pdf\"}}",
                  "      - {label: Video}",
                  f"    notes: Read *section {n}* before class; see [the notes](https://example.edu/{n}).",
                  "    readings: [dlbook-ch4]" if n % 3 == 0 else "    readings: [dlbook-ch6]"]
        if n % 5 == 0:
            lines.append(f"    due: [{{title: Quiz {n // 5}, points: 5}}]")
    # The exams the scaffold's grading names (session: midterm, session: final).
    lines += ["  - {topic: Midterm exam, id: midterm, kind: exam}", "  - {topic: Final exam, id: final, kind: exam}"]
    lines += ["assignments:", "  - {id: hw1, title: Homework 1, due: \"2026-09-15 23:59\", points: 10}"]
    return "\n".join(lines) + "\n"


class Reloads:
    """Listens on the server's LiveReload socket as a page does; records when each reload came."""

    def __init__(self, port: int) -> None:
        self.times: list[float] = []
        self.arrived = threading.Condition()
        ready = threading.Event()
        threading.Thread(target=lambda: asyncio.run(self._listen(port, ready)), daemon=True).start()
        if not ready.wait(10):
            raise SystemExit("could not connect to the server's LiveReload socket")

    async def _listen(self, port: int, ready: threading.Event) -> None:
        connection = await websocket_connect(f"ws://127.0.0.1:{port}/livereload")
        await connection.write_message(json.dumps({"command": "hello", "protocols": [
            "http://livereload.com/protocols/official-7"]}))
        await connection.read_message()
        await connection.write_message(json.dumps({"command": "info", "url": f"http://127.0.0.1:{port}/"}))
        await asyncio.sleep(0.2)
        ready.set()
        while await connection.read_message() is not None:
            with self.arrived:
                self.times.append(time.perf_counter())
                self.arrived.notify_all()

    def wait(self, count: int, timeout: float = 30) -> float:
        with self.arrived:
            if not self.arrived.wait_for(lambda: len(self.times) >= count, timeout):
                raise SystemExit("no reload came within 30 s")
            return self.times[count - 1]


@dataclass
class Figures:
    courses: int
    full_build_ms: float
    server_rebuild_ms: list[float]  # as the server's terminal reports them
    to_reload_ms: list[float]
    to_page_ms: list[float]
    start_cold_seconds: float = 0.0  # launch to serving, the first time
    start_warm_seconds: float = 0.0  # the same, started again on the same site

    def summary(self) -> dict[str, float]:
        """The medians and p95 that build_speed.py reports."""
        return {"courses": self.courses, "full_build_ms": self.full_build_ms,
                "start_cold_seconds": self.start_cold_seconds, "start_warm_seconds": self.start_warm_seconds,
                "rebuild_p50_ms": statistics.median(self.server_rebuild_ms),
                "to_reload_p50_ms": statistics.median(self.to_reload_ms),
                "to_page_p50_ms": statistics.median(self.to_page_ms), "to_page_p95_ms": p95(self.to_page_ms)}


def start_server(site: Path, cache_home: Path) -> tuple[subprocess.Popen[str], list[str], float]:
    """`coursesite serve` on `site`, once it serves: the process, its terminal so far, its start in seconds.
    Its build cache is kept under `cache_home` (as XDG_CACHE_HOME), not the user's."""
    started = time.perf_counter()
    server = subprocess.Popen([sys.executable, "-m", "coursesite", "serve", str(site), "--port", "0"],
                              stdout=subprocess.PIPE, text=True, env=os.environ | {"XDG_CACHE_HOME": str(cache_home)})
    assert server.stdout is not None
    terminal: list[str] = []
    for line in server.stdout:
        terminal.append(line.rstrip())
        if line.startswith("Serving "):
            return server, terminal, time.perf_counter() - started
    server.wait(30)
    raise SystemExit("the server did not start:\n" + "\n".join(terminal))


def measure(courses: int, repeats: int) -> Figures:
    with tempfile.TemporaryDirectory(prefix="coursesite-bench-") as temporary:
        site, cache_home = Path(temporary) / "site", Path(temporary) / "cache"
        make_site(site, courses)
        first, first_terminal, start_cold = start_server(site, cache_home)
        first.terminate()
        first.wait(30)
        server, terminal, start_warm = start_server(site, cache_home)
        assert server.stdout is not None
        threading.Thread(target=lambda: terminal.extend(line.rstrip() for line in server.stdout or ()),
                         daemon=True).start()
        # The first start builds every course (the second takes them from the build cache).
        built = next(line for line in first_terminal if line.startswith("Built "))
        full_build = float(re.search(r" in ([\d.]+) s\.$", built)[1])
        url = re.search(r"(http://\S+)/ ", terminal[-1])[1]
        port = int(url.rsplit(":", 1)[1])
        reloads = Reloads(port)
        target = site / "courses/c000/schedule.yaml"
        to_reload: list[float] = []
        to_page: list[float] = []
        try:
            for n in range(repeats):
                token = f" (edit {n})"
                saved = time.perf_counter()
                target.write_text(schedule(0, token))
                told = reloads.wait(n + 1)
                with urllib.request.urlopen(f"{url}/c000/schedule.html", timeout=10) as response:  # noqa: S310
                    page = response.read().decode()
                shown = time.perf_counter()
                if token not in page:
                    raise SystemExit(f"edit {n}: the page fetched after the reload does not show it")
                to_reload.append((told - saved) * 1000)
                to_page.append((shown - saved) * 1000)
                time.sleep(0.3)  # separate saves, not one burst
        finally:
            server.terminate()
            server.wait(30)
        rebuilds = [float(m[1]) for line in terminal if (m := re.search(r"courses? in (\d+) ms;", line))]
        return Figures(courses, full_build * 1000, rebuilds, to_reload, to_page, start_cold, start_warm)


def p95(values: list[float]) -> float:
    if len(values) < 2:
        return max(values)
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def main() -> None:
    # The builds run as on a user's machine, which keeps compiled modules and templates: a
    # PYTHONDONTWRITEBYTECODE of the machine running the benchmark would compile them every run.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--sizes", default="5,100,1000", help="site sizes in courses, comma-separated")
    args = parser.parse_args()
    print(f"Each course has {SESSIONS} sessions; {args.repeats} edits of one course's schedule.yaml per site.")
    print(f"{'site':>12} {'full build':>11} {'start warm':>11} {'server rebuild':>15} {'save->reload msg':>17} "
          f"{'save->rebuilt page':>19} {'p95':>7} {'full/incr.':>10}")
    met = True
    for size in (int(s) for s in args.sizes.split(",")):
        figures = measure(size, args.repeats).summary()
        if size >= 1000:
            met = met and figures["to_page_p50_ms"] < TARGET_MS and figures["start_warm_seconds"] < TARGET_START_SECONDS
        print(f"{size:>4} courses {figures['full_build_ms']:>8.0f} ms {figures['start_warm_seconds']:>9.1f} s "
              f"{figures['rebuild_p50_ms']:>12.0f} ms {figures['to_reload_p50_ms']:>14.0f} ms "
              f"{figures['to_page_p50_ms']:>16.0f} ms {figures['to_page_p95_ms']:>4.0f} ms "
              f"{figures['full_build_ms'] / figures['rebuild_p50_ms']:>9.0f}x")
    print(f"At 1,000 courses, median save-to-rebuilt-page under {TARGET_MS} ms and a warm start under "
          f"{TARGET_START_SECONDS:g} s: {'met' if met else 'NOT met'}.")
    if not met:
        sys.exit(1)


if __name__ == "__main__":
    main()
