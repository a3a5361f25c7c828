"""The dev server's HTTP side: the built site's files, the reload socket, and the error page.

livereload supplies the browser side: `LiveReloadHandler` speaks the LiveReload protocol over a
WebSocket to its `livereload.js`, and `LiveScriptInjector` puts the script tag before `</head>`
of each HTML response. The files are served by Tornado's `StaticFileHandler`, kept to the
output folder, and replaced by the error page while the site does not build.
"""

from __future__ import annotations

import datetime as dt
import html
import ipaddress
import os
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, BinaryIO

from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from livereload.server import LiveScriptInjector
from tornado import web

if TYPE_CHECKING:
    from coursesite.serve import LiveSite, Outcome

LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}
CHUNK_BYTES = 64 * 1024


def reload_browsers(path: str = "*") -> None:
    """Tell every connected page to reload (or, for a stylesheet's path, to swap it in place).

    livereload's `reload_waiters` would read its own watcher, which this server does not use.
    """
    message = {"command": "reload", "path": path, "liveCSS": True, "liveImg": True}
    for browser in list(LiveReloadHandler.waiters):
        browser.send_message(message)


def make_application(live: LiveSite, port: int, host: str) -> web.Application:
    class ScriptInjector(LiveScriptInjector):
        # livereload.js finds the server's host and port in its own src.
        script = f'<script src="/livereload.js?port={port}"></script>'.encode()

    served = {"live": live, "loopback_only": is_loopback(host)}
    return web.Application([
        (r"/livereload", ReloadSocket, {"served": served}),
        (r"/livereload\.js", ReloadScript, {"served": served}),
        (r"/(.*)", SiteFiles, {"path": str(live.out), "default_filename": "index.html", "served": served}),
    ], transforms=[ScriptInjector], log_function=lambda handler: None)  # the terminal is for the builds


def _host_allowed(handler: web.RequestHandler, served: dict[str, Any]) -> bool:
    """On loopback, answer only requests addressed to a loopback name.

    A web page elsewhere cannot then read the course (drafts, unposted exams) by pointing a
    name of its own at 127.0.0.1 (DNS rebinding).
    """
    if not served["loopback_only"]:
        return True
    host = handler.request.host_name.strip("[]")
    return host in LOOPBACK_NAMES or is_loopback(host)


class _HostChecked(web.RequestHandler):
    """Refuses requests for another host name (see _host_allowed); `served` is set by initialize."""

    served: dict[str, Any]

    def prepare(self) -> None:
        if not _host_allowed(self, self.served):
            raise web.HTTPError(403)


class ReloadSocket(_HostChecked, LiveReloadHandler):
    def initialize(self, served: dict[str, Any]) -> None:
        self.served = served

    def check_origin(self, origin: str) -> bool:
        # livereload accepts every origin; only the served pages need this socket.
        return bool(super(LiveReloadHandler, self).check_origin(origin))


class ReloadScript(_HostChecked, LiveReloadJSHandler):
    def initialize(self, served: dict[str, Any]) -> None:
        self.served = served


class SiteFiles(_HostChecked, web.StaticFileHandler):
    """The last good build, nothing outside it; pages show the build's errors while it fails.

    Each response is read from one file, opened while no build is being put in place
    (served_builds.py): a rebuild replaces files at any moment, and Tornado would otherwise
    measure the file in one build and read it from the other, a response cut short.
    """

    def initialize(self, path: str, default_filename: str | None = None,  # type: ignore[override]
                   served: dict[str, Any] | None = None) -> None:
        super().initialize(path, default_filename)
        self.served = served or {}
        self._file: BinaryIO | None = None

    async def get(self, path: str, include_body: bool = True) -> None:
        failure = self.served["live"].failure
        if failure is not None and (not path or path.endswith(("/", ".html"))):
            self.set_status(500)
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header("Cache-Control", "no-store")
            self.finish(error_page(failure) if include_body else b"")
            return
        await super().get(path, include_body)

    def validate_absolute_path(self, root: str, absolute_path: str) -> str | None:
        # Tornado already refuses '..' and, in recent versions, symbolic links that lead out;
        # the served folder is checked here again for older versions.
        resolved = super().validate_absolute_path(root, absolute_path)
        if resolved is not None:
            real_root = os.path.realpath(root)
            if os.path.commonpath([real_root, os.path.realpath(resolved)]) != real_root:
                raise web.HTTPError(403)
            try:
                with self.served["live"].lock:  # never while a build is being put in place
                    self._file = open(resolved, "rb")  # noqa: SIM115 - closed in on_finish
            except FileNotFoundError:  # gone in the build swapped in since: as if it was never there
                raise web.HTTPError(404) from None
        return resolved

    def get_modified_time(self) -> dt.datetime | None:
        assert self._file is not None
        return dt.datetime.fromtimestamp(int(os.fstat(self._file.fileno()).st_mtime), dt.UTC)

    def get_content_size(self) -> int:
        assert self._file is not None
        return os.fstat(self._file.fileno()).st_size

    def get_content(self, abspath: str, start: int | None = None,  # type: ignore[override]
                    end: int | None = None) -> Iterator[bytes]:
        """The bytes of the file opened for this request (Tornado's reads the path again)."""
        file = self._file
        assert file is not None
        file.seek(start or 0)
        remaining = None if end is None else end - (start or 0)
        while remaining is None or remaining > 0:
            chunk = file.read(CHUNK_BYTES if remaining is None else min(CHUNK_BYTES, remaining))
            if not chunk:
                return
            if remaining is not None:
                remaining -= len(chunk)
            yield chunk

    def on_finish(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def should_return_304(self) -> bool:
        return False  # after a rebuild the browser must get the new bytes

    def compute_etag(self) -> str | None:
        return None

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", "no-store")

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        # A head element, so that the reload script is injected and a page that appears later
        # (a new course, say) replaces this one by itself.
        reason = html.escape(self._reason)
        self.finish(f"<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>{status_code}: {reason}"
                    f"</title></head><body><h1>{status_code}: {reason}</h1></body></html>")


def error_page(failure: Outcome) -> bytes:
    """The page shown in place of the site while it does not build: the terminal's lines."""
    items = "\n".join(f'<li class="{"warning" if ": warning: " in line else "error"}"><code>{html.escape(line)}'
                      "</code></li>" for line in failure.problems)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>The site does not build · coursesite</title>
<style>
body {{ font: 1rem/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }}
ul {{ padding: 0; list-style: none; }}
li {{ margin: 0 0 .75rem; padding: .5rem .75rem; border-left: .25rem solid #c62828; background: #c6282814; }}
li.warning {{ border-color: #a15c00; background: #a15c0014; }}
code {{ font: .95rem/1.45 ui-monospace, monospace; white-space: pre-wrap; overflow-wrap: anywhere; }}
</style>
</head>
<body>
<main>
<h1>The site does not build</h1>
<p>{html.escape(failure.summary[:1].upper() + failure.summary[1:])}. Fix, save, and this page turns
back into the site by itself.</p>
<ul class="errors" role="alert">
{items}
</ul>
</main>
</body>
</html>
""".encode()


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
