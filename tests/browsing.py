"""Helpers for the browser tests: serve a folder on loopback, and drive Debian's Chromium."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
NODE_MODULES = REPO / "node_modules"
AXE_SCRIPT = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# Never let Chromium reach out: no component updates, no sync, no first-run fetches.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PHONE = {"width": 375, "height": 800}
NARROW_PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
TODAY = "2026-10-14"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@contextmanager
def serving(folder: Path) -> Iterator[str]:
    """Serve `folder` on a free port of 127.0.0.1; yields the base URL, ending in '/'."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def site_pages(build: Path) -> list[str]:
    """Every HTML page of a build, as paths relative to it."""
    return sorted(p.relative_to(build).as_posix() for p in build.rglob("*.html")
                  if not p.relative_to(build).as_posix().startswith("pagefind/"))


def run_axe(page: Any) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=AXE_SCRIPT.read_text(encoding="utf-8"))
    result = page.evaluate("""() => axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
        resultTypes: ['violations']})""")
    return list(result["violations"])


def describe_violations(violations: list[dict[str, Any]]) -> list[str]:
    return [f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:5]}" for v in violations]


def run_vnu(paths: list[Path]) -> subprocess.CompletedProcess[str]:
    """The Nu HTML Checker over `paths`, errors only, one `file:line.col: error: message` a line."""
    java = shutil.which("java") or "java"
    return subprocess.run([java, "-jar", str(VNU_JAR), "--errors-only", "--format", "gnu",
                           *map(str, paths)], capture_output=True, text=True, check=False, timeout=600)
