"""Save-to-rebuilt-page latency of `coursesite serve`.

For a site of 5 and of 100 courses (each made by `coursesite new`, with a 40-session
schedule), start the dev server, then repeatedly edit one course's schedule.yaml and time,
from the moment the file is saved:
- until the server tells the browser to reload (its LiveReload message), and
- until the rebuilt page, fetched right then, shows the edit: what the instructor waits for.
Prints the median and 95th percentile of each, the server's own rebuild times, and how they
compare with a full build. The target: a median under 250 ms from save to rebuilt page.

    .venv/bin/python benchmarks/serve_latency.py [--repeats 30] [--sizes 5,100]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
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

TARGET_MS = 250
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


def measure(courses: int, repeats: int) -> Figures:
    with tempfile.TemporaryDirectory(prefix="coursesite-bench-") as temporary:
        site = Path(temporary)
        make_site(site, courses)
        server = subprocess.Popen([sys.executable, "-m", "coursesite", "serve", str(site), "--port", "0"],
                                  stdout=subprocess.PIPE, text=True)
        assert server.stdout is not None
        terminal: list[str] = []
        for line in server.stdout:
            terminal.append(line.rstrip())
            if line.startswith("Serving "):
                break
        else:
            raise SystemExit("the server did not start:\n" + "\n".join(terminal))
        threading.Thread(target=lambda: terminal.extend(line.rstrip() for line in server.stdout or ()),
                         daemon=True).start()
        built = next(line for line in terminal if line.startswith("Built "))
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
        return Figures(courses, full_build * 1000, rebuilds, to_reload, to_page)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--sizes", default="5,100", help="site sizes in courses, comma-separated")
    args = parser.parse_args()
    print(f"Each course has {SESSIONS} sessions; {args.repeats} edits of one course's schedule.yaml per site.")
    print(f"{'site':>12} {'full build':>11} {'server rebuild':>15} {'save->reload msg':>17} "
          f"{'save->rebuilt page':>19} {'p95':>7} {'full/incr.':>10}")
    met = True
    for size in (int(s) for s in args.sizes.split(",")):
        figures = measure(size, args.repeats)
        rebuild = statistics.median(figures.server_rebuild_ms)
        median_page = statistics.median(figures.to_page_ms)
        met = met and median_page < TARGET_MS
        print(f"{size:>4} courses {figures.full_build_ms:>8.0f} ms {rebuild:>12.0f} ms "
              f"{statistics.median(figures.to_reload_ms):>14.0f} ms {median_page:>16.0f} ms "
              f"{p95(figures.to_page_ms):>4.0f} ms {figures.full_build_ms / rebuild:>9.0f}x")
    print(f"Median save-to-rebuilt-page under {TARGET_MS} ms: {'met' if met else 'NOT met'}.")
    if not met:
        sys.exit(1)


if __name__ == "__main__":
    main()
