"""Where a build's time goes: one in-process build of a site, timed stage by stage.

Run by build_speed.py in a fresh interpreter; prints one JSON object. Stages are measured by
wrapping the functions that do each kind of work (YAML, validation, Markdown, templates,
writing, ...) with timers that exclude nested stages, so every second of the build is counted
once; what no wrapper covers is "other". A plain cProfile of the same build (slower, since
cProfile taxes every Python call) lists the hottest functions. Then the site is rebuilt in the
same warm process after an edit to one course, as `coursesite serve` does after a save (over
its build cache, served_builds.py).

    python benchmarks/profile_build.py SITE_DIR [--preimport mod1,mod2] [--rebuilds 5]

Only the build's public shape is assumed (`coursesite.build.build_site(BuildOptions(...))`);
a function that has been renamed or removed is skipped and its time shows up under "other".
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import functools
import hashlib
import importlib
import io
import json
import pstats
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

TODAY = dt.date(2026, 10, 14)
_MARKDOWN_SYNTAX = re.compile(r"[*_`\[\]<>#&|\\!]|\n|^\s*(?:[-+]|\d+[.)])\s")


class StageClock:
    """Exclusive time per stage: a stage's nested stages are subtracted from it."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self._stack: list[list[Any]] = []  # [stage name, seconds spent in nested stages]
        self._restore: list[tuple[object, str, object]] = []

    def inside(self, stage: str) -> bool:
        return any(frame[0] == stage for frame in self._stack)

    def timed(self, func: Callable[..., Any], stage: str | Callable[[], str]) -> Callable[..., Any]:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            name = stage if isinstance(stage, str) else stage()
            frame = [name, 0.0]
            self._stack.append(frame)
            start = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                elapsed = time.perf_counter() - start
                self._stack.pop()
                self.seconds[name] += elapsed - frame[1]
                self.calls[name] += 1
                if self._stack:
                    self._stack[-1][1] += elapsed

        return wrapper

    def wrap(self, module_name: str, attribute: str, stage: str | Callable[[], str]) -> bool:
        """Time `module.attribute` everywhere coursesite refers to it; False if it does not exist."""
        owner: Any = importlib.import_module(module_name)
        holder, _, name = attribute.rpartition(".")
        if holder:
            owner = getattr(owner, holder, None)
        original = getattr(owner, name, None)
        if original is None:
            return False
        wrapped = self.timed(original, stage)
        targets = [owner] + [m for key, m in list(sys.modules.items())
                             if key.startswith("coursesite") and m is not owner
                             and getattr(m, name, None) is original]
        for target in targets:
            self._restore.append((target, name, original))
            setattr(target, name, wrapped)
        return True

    def unwrap(self) -> None:
        for target, name, original in reversed(self._restore):
            setattr(target, name, original)
        self._restore.clear()


class MarkdownTally:
    """How much Markdown conversion is plain text or a text already converted in this build."""

    def __init__(self) -> None:
        self.calls = self.plain = self.repeats = 0
        self.plain_seconds = self.repeat_seconds = 0.0
        self.characters = 0
        self._seen: set[bytes] = set()

    def wrap(self, convert: Callable[..., str]) -> Callable[..., str]:
        @functools.wraps(convert)
        def counted(converter: Any, source: str) -> str:
            start = time.perf_counter()
            result = convert(converter, source)
            elapsed = time.perf_counter() - start
            key = hashlib.blake2b(source.encode(), digest_size=16).digest()
            self.calls += 1
            self.characters += len(source)
            if not _MARKDOWN_SYNTAX.search(source):
                self.plain += 1
                self.plain_seconds += elapsed
            if key in self._seen:
                self.repeats += 1
                self.repeat_seconds += elapsed
            self._seen.add(key)
            return result

        return counted


def instrument(clock: StageClock, tally: MarkdownTally) -> list[str]:
    """Wrap each kind of work with its stage timer; return the names of wrappers that did not apply."""
    import jinja2
    import markdown
    import yaml

    def markdown_stage() -> str:
        return "Markdown (in checks)" if clock.inside("checks") else "Markdown (in pages)"

    markdown.Markdown.convert = tally.wrap(markdown.Markdown.convert)  # type: ignore[method-assign]
    missing = []
    for module, attribute, stage in [
        ("coursesite.build", "build_site", "other"),
        ("coursesite.site", "load_course", "loading: folders, front matter"),
        ("coursesite.loading", "read_text", "reading files"),
        ("coursesite.loading", "parse_yaml", "YAML: data with positions"),
        ("yaml", "compose", "YAML: parse (libyaml)"),
        ("coursesite.validation", "validate", "validation (pydantic)"),
        ("coursesite.schedule", "assign_dates", "schedule dating"),
        ("coursesite.check", "check_course", "checks"),
        ("coursesite.check", "check_site_files", "checks"),
        ("coursesite.sanitize", "_tree_reading", "checks: script scan of HTML (lexbor)"),
        ("coursesite.sanitize", "_token_reading", "checks: tag scan of HTML (html.parser)"),
        ("coursesite.markup", "sanitized", "pages: sanitizer (nh3)"),
        ("markdown", "Markdown.convert", markdown_stage),
        ("coursesite.build", "render_course", "rendering: contexts, encoding"),
        ("jinja2", "Environment._load_template", "templates: load and compile"),
        ("jinja2", "Template.render", "templates: render"),
        ("coursesite.feeds", "course_feeds", "calendar feeds"),
        ("coursesite.build", "write_file", "writing files"),
        ("coursesite.build", "finish_staging", "writing files"),
        ("coursesite.search", "index_site", "search index (Pagefind)"),
        # Pagefind runs beside the build (search_as_built.py): what is timed here is the wait for
        # its last parts; its own CPU time is reported apart (pagefind_cpu_seconds).
        ("coursesite.search_as_built", "SearchAsBuilt.finish", "search index: waiting for Pagefind"),
    ]:
        if not clock.wrap(module, attribute, stage):
            missing.append(f"{module}.{attribute}")
    del jinja2, yaml
    return missing


def build_once(site: Path, out: Path) -> Any:
    """One build in this process, with nothing stored from earlier runs."""
    from coursesite.build import BuildOptions, build_site

    # One process: work in worker processes would hide from the profiler.
    return build_site(BuildOptions(site, out, today=TODAY, jobs=1, pdf=False))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--preimport", default="", help="modules a build imports lazily, to import first")
    parser.add_argument("--rebuilds", type=int, default=5, help="warm rebuilds after an edit")
    parser.add_argument("--top", type=int, default=15, help="cProfile functions to list")
    args = parser.parse_args(argv)
    site = args.site.resolve()
    result: dict[str, Any] = {}

    started = time.perf_counter()
    import coursesite.build
    import coursesite.cli  # noqa: F401
    result["import_seconds"] = time.perf_counter() - started
    for name in filter(None, args.preimport.split(",")):
        try:  # so that the stages below are not charged for imports a build makes lazily
            importlib.import_module(name)
        except Exception:  # noqa: BLE001, S112 - a module of another platform or an optional one
            continue

    work = Path(tempfile.mkdtemp(prefix="coursesite-profile-"))
    try:
        clock, tally = StageClock(), MarkdownTally()
        import markdown

        original_convert = markdown.Markdown.convert
        result["not_instrumented"] = instrument(clock, tally)
        started, children = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
        built = build_once(site, work / "stages")
        result["build_seconds"] = time.perf_counter() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the Pagefind processes, the build's only children
        result["pagefind_cpu_seconds"] = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
        clock.unwrap()
        markdown.Markdown.convert = original_convert  # type: ignore[method-assign]
        result["courses"], result["pages"] = built.courses, built.pages
        result["stages"] = {name: {"seconds": clock.seconds[name], "calls": clock.calls[name]}
                            for name in clock.seconds}
        result["markdown"] = {"calls": tally.calls, "characters": tally.characters,
                              "plain": tally.plain, "plain_seconds": tally.plain_seconds,
                              "repeats": tally.repeats, "repeat_seconds": tally.repeat_seconds}

        # What `coursesite serve` does after a save: rebuild over its build cache, told what changed.
        from coursesite.served_builds import ServedBuilds

        rebuilds = []
        copy = work / "site"  # edited below: never the caller's files
        shutil.copytree(site, copy, ignore=shutil.ignore_patterns("build", ".*"))
        edited = next(path for path in sorted((copy / "courses").iterdir()) if path.is_dir()) / "course.yaml"
        original = edited.read_bytes()
        served = ServedBuilds(copy, work / "served", work / "cache", today=TODAY)
        served.build()
        for run in range(args.rebuilds):
            time.sleep(0.5)  # as between two saves
            edited.write_bytes(original + f"# edit {run}\n".encode())  # an instructor saves the file
            started = time.perf_counter()
            served.build([edited])
            rebuilds.append(time.perf_counter() - started)
        served.wait_stored()
        result["rebuild_seconds"] = rebuilds
        result["rebuild_median"] = statistics.median(rebuilds) if rebuilds else None

        profiler = cProfile.Profile()
        profiler.enable()
        build_once(site, work / "cprofile")
        profiler.disable()
        result["top_functions"] = top_functions(profiler, args.top)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    json.dump(result, sys.stdout)
    return 0


def top_functions(profiler: cProfile.Profile, count: int) -> list[dict[str, Any]]:
    """The functions with the most own time, named `package/file.py:function`."""
    stats = pstats.Stats(profiler, stream=io.StringIO())
    total = sum(entry[2] for entry in stats.stats.values())  # type: ignore[attr-defined]
    rows = []
    for (filename, line, function), (_, calls, own, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append({"function": f"{_short(filename)}:{line}({function})" if line else function,
                     "calls": calls, "own_seconds": own, "cumulative_seconds": cumulative,
                     "share": own / total if total else 0.0})
    rows.sort(key=lambda row: row["own_seconds"], reverse=True)
    return rows[:count]


def _short(filename: str) -> str:
    parts = Path(filename).parts
    for anchor in ("site-packages", "coursesite"):
        if anchor in parts:
            at = len(parts) - 1 - parts[::-1].index(anchor)
            return "/".join(parts[at + (anchor == "site-packages"):])
    return "/".join(parts[-2:])


if __name__ == "__main__":
    sys.exit(main())
