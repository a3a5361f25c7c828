"""`coursesite serve`: build the site, serve it on 127.0.0.1, rebuild after each save, reload the browser.

After MkDocs' dev server, Lektor's reporter and Zola's error page:
- the site is built into a temporary folder, over the build cache that `coursesite build` keeps
  (served_builds.py): a second start takes the unchanged courses from there, and a save redoes
  only what it changed; each build is put in place while the server opens no file, so it never
  serves a half-built page;
- a `SourceWatcher` hands each burst of saves to one rebuild on its own thread, while the
  server keeps serving the last good build;
- only once a build has been swapped in are the browsers told to reload;
- while the site does not build, every page shows the errors instead, as the terminal does,
  until a save fixes them.

livereload supplies the browser side (see `serve_http`). Its `Server` is not used, because
(livereload 2.7):
- `Server.watch(path, func, delay)` polls modification times every 800 ms and runs `func` on
  the serving thread, so pages stall during a rebuild, and `poll_tasks` drops the reload of a
  change that comes less than max(3 - delay, 1) s after the previous reload: a quick second
  save would be rebuilt but never shown;
- `Server.serve()` binds inside `app.listen()`, so the port `--port 0` got cannot be known and
  a port in use is a bare OSError; it also installs logging handlers and Tornado's autoreload.
So this module binds the socket itself (Tornado's `bind_sockets`), watches with watchdog
(`watch.py`), and rebuilds on the watcher's thread; `serve_http` serves the files.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import errno
import gc
import os
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time
import traceback
import webbrowser
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from livereload.handlers import LiveReloadHandler
from tornado import netutil
from tornado.httpserver import HTTPServer

from coursesite.build import BuildResult
from coursesite.errors import InputError, OutputError, UsageError, display_path, escape_controls
from coursesite.output_folder import fault_error
from coursesite.search_cache import DeferredSearch
from coursesite.search_refresh import SearchRefresher
from coursesite.serve_http import is_loopback, make_application, reload_browsers
from coursesite.served_builds import ServedBuilds
from coursesite.stored_builds import default_folder
from coursesite.watch import WATCHED_FILES, WATCHED_FOLDERS, SourceWatcher, unwatchable_file_system

# Only used through mkdtemp, which makes a private folder with an unpredictable name.
MEMORY_FOLDER = "/dev/shm"  # noqa: S108


@dataclass(frozen=True)
class ServeOptions:
    site_folder: Path
    host: str = "127.0.0.1"
    port: int = 8000
    open_browser: bool = False
    poll: bool = False


@dataclass(frozen=True)
class Outcome:
    """What one build did: the built site, or the problems that stopped it and their summary."""

    result: BuildResult | None
    problems: tuple[str, ...] = ()  # `path:line:col: level: message` lines, or a usage error
    summary: str = ""  # set when the build failed
    warnings: tuple[str, ...] = ()

    @property
    def failed(self) -> bool:
        return self.result is None


class LiveSite:
    """The site as served: rebuilt into `out` on demand; remembers the errors of a failed build.

    Builds go through the build cache on disk (`cache_dir`, by default the one `coursesite build`
    uses), with a memory over it (served_builds.py); `today` and `now` fix the build's day for tests.
    """

    def __init__(self, site_folder: Path, out: Path, cache_dir: Path | None = None, *,
                 today: dt.date | None = None, now: dt.datetime | None = None) -> None:
        self.site_folder = site_folder
        self.out = out
        deferred = DeferredSearch()
        self.builds = ServedBuilds(site_folder, out, cache_dir, today=today, now=now, deferred=deferred)
        self.lock = self.builds.lock  # held by the server to open a file: never one of a build half in place
        self.search = SearchRefresher(out, deferred, self.builds.stored_search)
        self.failure: Outcome | None = None  # read by the serving thread, replaced whole by builds

    def rebuild(self, changed: list[Path] | None = None) -> Outcome:
        """Build into `out`, redoing what the files `changed` touched (None: whatever changed);
        never raises, so a broken edit cannot stop the server. The search index is made again
        afterwards, in the background (search_refresh.py)."""
        self.search.cancel()
        try:
            try:
                result = self.builds.build(changed)
            except OSError as exc:  # a file that cannot be read, an output folder that cannot be written
                raise fault_error(exc, self.out) from None
        except InputError as exc:
            outcome = Outcome(None, tuple(d.format() for d in exc.report.sorted()),
                              f"{exc.failing} problem{'s' * (exc.failing != 1)} must be fixed")
        except (UsageError, OutputError) as exc:
            outcome = Outcome(None, (f"error: {exc}",), "the output folder cannot be written")
        except Exception as exc:  # a bug: keep serving, and say where it happened
            traceback.print_exc(file=sys.stderr)
            outcome = Outcome(None, (f"error: {type(exc).__name__}: {exc}",),
                              "the build failed unexpectedly (a bug in coursesite: see the terminal)")
        else:
            outcome = Outcome(result, warnings=tuple(d.format() for d in result.report.sorted()))
        self.failure = outcome if outcome.failed else None
        self.search.start()
        return outcome


class Reporter:
    """Tells the terminal what each build did, and decides whether the browsers must reload."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self._failing = False
        self._warnings: tuple[str, ...] = ()

    def say(self, *lines: str) -> None:
        for line in lines:  # a file name may hold an escape sequence: the terminal must not act on it
            print(escape_controls(line), file=self.stream, flush=True)

    def first_build(self, outcome: Outcome) -> None:
        self._show_problems(outcome)
        if outcome.result:
            result = outcome.result
            self.say(f"Built {result.courses} course{'s' * (result.courses != 1)}, {result.pages} pages "
                     f"in {result.seconds:.2f} s.")
        else:
            self.say(f"The site does not build: {outcome.summary}; the browser shows the same until then.")

    def rebuilt(self, outcome: Outcome, changed: list[Path]) -> str | None:
        """Report a rebuild; returns what the browsers must reload ('*' for the page), or None."""
        what = display_path(changed[0]) if changed else "a file"
        if len(changed) > 1:
            what += f" and {len(changed) - 1} more file{'s' * (len(changed) > 2)}"
        stamp = time.strftime("%H:%M:%S")
        was_failing = self._failing
        result = outcome.result
        if result is None:
            self.say(f"{stamp} {what} changed: the site does not build, {outcome.summary} "
                     "(the browser shows the same):")
            self._show_problems(outcome)
            return "*"
        done = f"{stamp} {what} changed: rebuilt {result.rendered} of {result.courses} course" \
               f"{'s' * (result.courses != 1)} in {result.seconds * 1000:.0f} ms"
        if was_failing:
            self.say(f"{done}; the site builds again, reloading.")
        elif not result.changed:
            self.say(f"{done}; no page changed.")
        else:
            self.say(f"{done}; {len(result.changed)} file{'s' * (len(result.changed) != 1)} changed, reloading.")
        self._show_problems(outcome)
        if was_failing:
            return "*"
        if not result.changed:
            return None
        # livereload.js swaps a stylesheet in place (no reload, scroll kept) when told its path.
        styles = [path for path in result.changed if path.endswith(".css")]
        return styles[0] if styles and len(styles) == len(result.changed) else "*"

    def _show_problems(self, outcome: Outcome) -> None:
        """The problems of a failed build every time; warnings when they differ from the last shown."""
        self.say(*outcome.problems)
        if not outcome.failed and outcome.warnings != self._warnings:
            self.say(*outcome.warnings)
            self._warnings = outcome.warnings
        self._failing = outcome.failed


def serve_site(options: ServeOptions, stream: TextIO) -> None:
    """Serve until Ctrl-C (SIGINT) or SIGTERM; raises UsageError when it cannot listen."""
    asyncio.run(_serve(options, stream))


async def _serve(options: ServeOptions, stream: TextIO) -> None:
    site_folder = options.site_folder.resolve()
    sockets = bind(options.host, options.port)
    port = sockets[0].getsockname()[1]
    url = f"http://{_url_host(options.host)}:{port}/"
    reporter = Reporter(stream)
    if not is_loopback(options.host):
        reporter.say(f"Warning: serving on {options.host}: other machines on the network can see the site.")
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    temporary = Path(tempfile.mkdtemp(prefix="coursesite-serve-", dir=temporary_parent(default_folder(site_folder))))
    server: HTTPServer | None = None
    watcher: SourceWatcher | None = None
    live: LiveSite | None = None
    try:
        live = LiveSite(site_folder, temporary / "site")
        reporter.say(f"Building {site_folder} into {live.out} (removed when the server stops)...")
        reporter.first_build(live.rebuild())
        if live.builds.cache_refused:
            reporter.say(f"Warning: building without the build cache: {live.builds.cache_refused}")
        # What the first build made (a large site's models, pages and caches) lives as long as
        # the server: spare the garbage collector from walking it again in the collections
        # that rebuilds trigger, which could add a tenth of a second to a rebuild.
        gc.collect()
        gc.freeze()
        def search_failed(message: str) -> None:  # on the search index's thread
            loop.call_soon_threadsafe(reporter.say, f"Search: {message}")

        live.search.on_failure = search_failed
        server = HTTPServer(make_application(live, port, options.host))
        server.add_sockets(sockets)

        def rebuild(changed: list[Path], touched: list[Path]) -> None:  # on the watcher's thread
            outcome = live.rebuild(touched)
            loop.call_soon_threadsafe(_report_and_reload, reporter, outcome, changed)

        poll_reason = "asked" if options.poll else unwatchable_file_system(site_folder)
        watcher = SourceWatcher(site_folder, rebuild, poll=poll_reason is not None, on_quiet=live.builds.audit)
        watcher.start()
        watched = ", ".join(f"{name}/" for name in WATCHED_FOLDERS) + " and " + ", ".join(WATCHED_FILES)
        how = "" if poll_reason is None else (" by polling" + ("" if poll_reason == "asked" else
                                                               f" (the site is on {poll_reason})"))
        for number in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(number, stop.set)
        reporter.say(f"Watching {watched}{how}.", f"Serving {url} (Ctrl-C stops).")
        if options.open_browser:
            threading.Thread(target=webbrowser.open, args=(url,), daemon=True).start()
        await stop.wait()
        reporter.say("Stopping...")
    finally:
        if watcher is not None:
            watcher.stop()
        if live is not None:
            live.search.cancel()
            live.builds.wait_stored()
        if server is not None:
            server.stop()
        for sock in sockets:
            sock.close()
        for browser in list(LiveReloadHandler.waiters):
            browser.close()
        shutil.rmtree(temporary, ignore_errors=True)
    reporter.say("Stopped.")


def _report_and_reload(reporter: Reporter, outcome: Outcome, changed: list[Path]) -> None:
    """On the serving thread: all terminal output and every reload happen here, in order."""
    path = reporter.rebuilt(outcome, changed)
    if path is not None:
        reload_browsers(path)


# ---- listening -------------------------------------------------------------------------------


def bind(host: str, port: int) -> list[socket.socket]:
    """Listening sockets for `host:port`; a UsageError that suggests a free port if it is taken."""
    try:
        return netutil.bind_sockets(port, address=host)
    except socket.gaierror:
        raise UsageError(f"cannot serve on '{host}': no such host name") from None
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise UsageError(f"port {port} on {host} is in use (another server is running there); "
                             f"try --port {free_port(host, port)}, or --port 0 to take any free port") from None
        if exc.errno == errno.EADDRNOTAVAIL:
            raise UsageError(f"cannot serve on {host}: it is not an address of this machine") from None
        if exc.errno == errno.EACCES:
            raise UsageError(f"not allowed to serve on port {port}; use a port above 1023") from None
        raise UsageError(f"cannot serve on {host}:{port}: {exc.strerror or exc}") from None


def free_port(host: str, after: int) -> int:
    """The first port after `after` that is free on `host` (0 if none of the next 50 is)."""
    for candidate in range(after + 1, min(after + 51, 65536)):
        try:
            sockets = netutil.bind_sockets(candidate, address=host)
        except OSError:
            continue
        for sock in sockets:
            sock.close()
        return candidate
    return 0


def _url_host(host: str) -> str:
    if host in ("", "0.0.0.0", "::"):  # noqa: S104 - naming the any-address, not binding to it
        return "localhost"
    return f"[{host}]" if ":" in host else host


def temporary_parent(cache: Path) -> str | None:
    """Where the served build goes: beside the build cache, so that what it takes from there is
    linked rather than copied (a thousand courses' files take a second to copy); else memory.

    TMPDIR, when set, says where instead.
    """
    if os.environ.get("TMPDIR"):
        return None
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
    except OSError:
        return fast_temporary_folder()
    return str(cache.parent)


def fast_temporary_folder() -> str | None:
    """Where the served build goes: memory (/dev/shm) when there is room, unless TMPDIR says.

    Every save writes a complete new copy of the site before swapping it in; on a disk,
    creating the folders of a 100-course site alone takes tens of milliseconds.
    """
    if os.environ.get("TMPDIR") or not os.path.isdir(MEMORY_FOLDER) or not os.access(MEMORY_FOLDER, os.W_OK):
        return None
    return MEMORY_FOLDER if shutil.disk_usage(MEMORY_FOLDER).free > 1 << 30 else None
