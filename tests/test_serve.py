"""`coursesite serve`, run as a user runs it: a real server process on a free loopback port,
pages fetched over HTTP, files edited on disk, the LiveReload socket listened to."""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from tornado.websocket import websocket_connect

from conftest import run_cli, visible_text

SCHEDULE = "sessions:\n  - topic: Perceptrons\n  - topic: Backpropagation\n"
TIMEOUT = 15  # seconds; the machine is shared, so generous


class Server:
    """`coursesite serve SITE --port 0` in its own process, its terminal read line by line."""

    def __init__(self, site: Path, *extra: str, env: dict[str, str] | None = None) -> None:
        self.site = site
        self.process = subprocess.Popen(
            [sys.executable, "-m", "coursesite", "serve", ".", "--port", "0", *extra], cwd=site,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})})
        self.lines: list[str] = []
        self.errors: list[str] = []
        self._new_line = threading.Condition()
        threading.Thread(target=self._read, args=(self.process.stdout, self.lines), daemon=True).start()
        threading.Thread(target=self._read, args=(self.process.stderr, self.errors), daemon=True).start()
        match = re.match(r"Serving (http://127\.0\.0\.1:(\d+)/) \(Ctrl-C stops\)\.$", self.wait_for(r"^Serving "))
        assert match, self.lines
        self.url, self.port = match[1], int(match[2])

    def _read(self, stream, into: list[str]) -> None:
        for line in stream:
            with self._new_line:
                into.append(line.rstrip("\n"))
                self._new_line.notify_all()

    def wait_for(self, pattern: str, after: int = 0) -> str:
        """The first terminal line from index `after` on that matches `pattern`."""
        deadline = time.monotonic() + TIMEOUT
        with self._new_line:
            while True:
                for line in self.lines[after:]:
                    if re.search(pattern, line):
                        return line
                remaining = deadline - time.monotonic()
                assert remaining > 0 and self.process.poll() is None, (
                    f"no line matching {pattern!r}:\n" + "\n".join(self.lines + self.errors))
                self._new_line.wait(remaining)

    def get(self, path: str, host: str | None = None) -> tuple[int, str]:
        """GET `path` exactly as written (no client-side clean-up of '..' or '%2e')."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", host or f"127.0.0.1:{self.port}")
        connection.endheaders()
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
        connection.close()
        return response.status, body

    def page(self, path: str) -> BeautifulSoup:
        status, body = self.get(path)
        assert status == 200, body
        return BeautifulSoup(body, "html.parser")

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        code = self.process.wait(TIMEOUT)
        time.sleep(0.1)  # let the readers take the last lines
        return code


class ReloadListener:
    """What a page's livereload.js does: connect, shake hands, then record reload messages."""

    def __init__(self, port: int) -> None:
        self.messages: list[dict] = []
        self.arrived = threading.Condition()
        self.ready = threading.Event()
        self.port = port
        self.on_message: Callable[[dict], None] | None = None
        threading.Thread(target=lambda: asyncio.run(self._listen()), daemon=True).start()
        assert self.ready.wait(TIMEOUT)

    async def _listen(self) -> None:
        connection = await websocket_connect(f"ws://127.0.0.1:{self.port}/livereload")
        await connection.write_message(json.dumps({"command": "hello", "protocols": [
            "http://livereload.com/protocols/official-7"]}))
        assert json.loads(await connection.read_message())["command"] == "hello"
        await connection.write_message(json.dumps({"command": "info", "url": f"http://127.0.0.1:{self.port}/"}))
        await asyncio.sleep(0.2)  # the server registers the page on 'info'
        self.ready.set()
        while (message := await connection.read_message()) is not None:
            data = json.loads(message)
            if self.on_message:
                self.on_message(data)
            with self.arrived:
                self.messages.append(data)
                self.arrived.notify_all()

    def wait_for(self, count: int) -> list[dict]:
        with self.arrived:
            assert self.arrived.wait_for(lambda: len(self.messages) >= count, TIMEOUT), self.messages
            return list(self.messages)


@pytest.fixture
def served(site) -> Iterator[Callable[..., Server]]:
    servers: list[Server] = []

    def start(files: dict[str, str] | None = None, *extra: str, env: dict[str, str] | None = None) -> Server:
        root = site({"courses/dl/schedule.yaml": SCHEDULE, **(files or {})})
        servers.append(Server(root, *extra, env=env))
        return servers[-1]

    yield start
    for server in servers:
        if server.process.poll() is None:
            server.process.kill()
            server.process.wait()


def save(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def rebuilds(server: Server) -> list[str]:
    return [line for line in server.lines if " changed: " in line]


def test_serves_the_site_on_loopback_only_and_stops_cleanly_on_ctrl_c(served, tmp_path: Path) -> None:
    opened = tmp_path / "opened.txt"
    # --open asks the system's browser, which Python's webbrowser lets $BROWSER name.
    browser = f"{sys.executable} -c \"import sys; open({str(opened)!r}, 'w').write(sys.argv[1])\" %s"
    server = served(None, "--open", env={"BROWSER": browser})
    assert server.lines[:4] == [
        f"Building {server.site} into {server.lines[0].split(' into ')[1].split(' ')[0]} (removed when the server stops)...",
        "Built 1 course, 5 pages in " + server.lines[1].split(" in ")[1],
        "Watching courses/, templates/, static/ and site.yaml.",
        f"Serving http://127.0.0.1:{server.port}/ (Ctrl-C stops)."]
    output = Path(server.lines[0].split(" into ")[1].split(" ")[0])
    assert (output / "dl/schedule.html").is_file()

    catalog = server.page("/")
    assert catalog.select_one("main .course-list a")["href"] == "dl/index.html"
    assert catalog.select("script[src]")[-1]["src"] == f"/livereload.js?port={server.port}"
    assert "Perceptrons" in visible_text(server.page("/dl/schedule.html"))
    assert server.get("/livereload.js")[0] == 200

    listening = listening_addresses(server.port)
    assert listening == {"127.0.0.1"}
    deadline = time.monotonic() + TIMEOUT
    while not opened.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert opened.read_text() == server.url

    assert server.stop() == 0
    assert server.lines[-2:] == ["Stopping...", "Stopped."]
    assert server.errors == []
    assert not output.exists()
    assert server.port not in {port for _, port in listening_sockets()}


def listening_sockets() -> set[tuple[str, int]]:
    """(address, port) of every listening TCP socket on this machine, from /proc/net."""
    found = set()
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] != "0A":  # LISTEN
                continue
            address, port = fields[1].split(":")
            if width == 8:
                shown = socket.inet_ntop(socket.AF_INET, bytes.fromhex(address)[::-1])
            else:
                raw = b"".join(bytes.fromhex(address[i:i + 8])[::-1] for i in range(0, 32, 8))
                shown = socket.inet_ntop(socket.AF_INET6, raw)
            found.add((shown, int(port, 16)))
    return found


def listening_addresses(port: int) -> set[str]:
    return {address for address, bound in listening_sockets() if bound == port}


def test_an_edit_reloads_the_page_only_once_it_is_rebuilt(served) -> None:
    server = served()
    page_when_told: list[str] = []
    listener = ReloadListener(server.port)
    # Fetched the moment the reload message arrives, as the browser does: it must be the new page.
    listener.on_message = lambda message: page_when_told.append(server.get("/dl/schedule.html")[1])

    save(server.site / "courses/dl/schedule.yaml", SCHEDULE.replace("Perceptrons", "Perceptrons, revised"))
    (message,) = listener.wait_for(1)
    assert message == {"command": "reload", "path": "*", "liveCSS": True, "liveImg": True}
    assert "Perceptrons, revised" in visible_text(BeautifulSoup(page_when_told[0], "html.parser"))
    # schedule.html, calendar.ics, schedule.json, the overview, whose "at a glance" carries every
    # dated session, and the syllabus.
    assert re.fullmatch(r"\d\d:\d\d:\d\d courses/dl/schedule\.yaml changed: rebuilt 1 of 1 course in \d+ ms; "
                        r"5 files changed, reloading\.", server.wait_for(" changed: "))

    save(server.site / "static/style.css", "body { color: teal; }\n")
    assert listener.wait_for(2)[1]["path"] == "static/style.css"  # swapped in place, no reload
    assert server.get("/static/style.css") == (200, "body { color: teal; }\n")


def test_a_burst_of_saves_is_rebuilt_once(served) -> None:
    server = served()
    listener = ReloadListener(server.port)
    for n in range(12):  # an editor saving everything, or a git checkout
        save(server.site / f"courses/dl/pages/page-{n:02}.md", f"# Page {n}\n\nText {n}.\n")
    save(server.site / "courses/dl/schedule.yaml", SCHEDULE + "  - topic: Attention\n")
    line = server.wait_for(" changed: ")
    assert re.search(r" courses/dl/pages/page-00\.md and 12 more files changed: rebuilt 1 of 1 course", line)
    assert len(listener.wait_for(1)) == 1
    time.sleep(1)
    assert len(rebuilds(server)) == 1
    assert len(listener.messages) == 1
    assert "Text 11." in visible_text(server.page("/dl/page-11.html"))


def test_a_broken_edit_shows_its_errors_in_the_page_until_it_is_fixed(served) -> None:
    server = served()
    listener = ReloadListener(server.port)
    schedule = server.site / "courses/dl/schedule.yaml"
    save(schedule, SCHEDULE.replace("  - topic: Backpropagation", "  - tpoic: Backpropagation"))
    error = "courses/dl/schedule.yaml:3:5: error: unknown field 'tpoic' in sessions[1] (did you mean 'topic'?)"
    assert re.search(r" courses/dl/schedule\.yaml changed: the site does not build, 1 problem must be fixed "
                     r"\(the browser shows the same\):$", server.wait_for(" changed: "))
    server.wait_for(re.escape(error))
    listener.wait_for(1)

    for path in ("/", "/dl/", "/dl/schedule.html", "/dl/no-such-page.html"):
        status, body = server.get(path)
        page = BeautifulSoup(body, "html.parser")
        assert status == 500
        assert page.select_one("h1").get_text() == "The site does not build"
        assert [li.get_text() for li in page.select("ul.errors li")] == [error]
        assert page.select("script[src]")[-1]["src"] == f"/livereload.js?port={server.port}"
    assert server.get("/static/style.css")[0] == 200  # the last good build's files stay

    save(schedule, SCHEDULE.replace("Backpropagation", "Backpropagation, fixed"))
    listener.wait_for(2)
    assert re.search(r"; the site builds again, reloading\.$", server.wait_for(" changed: ", after=len(server.lines) - 1))
    assert "Backpropagation, fixed" in visible_text(server.page("/dl/schedule.html"))


def test_a_site_that_does_not_build_yet_is_served_as_its_errors(served) -> None:
    server = served({"courses/dl/links.yaml": "groups:\n  - title: G\n    items: [{title: X, url: 'javascript:x'}]\n"})
    assert "The site does not build: 1 problem must be fixed; the browser shows the same until then." in server.lines
    status, body = server.get("/")
    assert status == 500
    assert "javascript:" in BeautifulSoup(body, "html.parser").select_one("ul.errors").get_text()
    save(server.site / "courses/dl/links.yaml", "groups:\n  - title: G\n    items: [{title: X, url: 'https://x.org'}]\n")
    server.wait_for("the site builds again")
    assert server.page("/dl/links.html").select_one("main a[href='https://x.org']") is not None


def test_folders_made_after_the_start_are_watched_too(served) -> None:
    server = served()
    save(server.site / "templates/links.html", "{% extends 'base.html' %}{% block main %}Our links{% endblock %}\n")
    save(server.site / "courses/dl/links.yaml", "groups:\n  - title: G\n    items: [{title: X, url: 'https://x.org'}]\n")
    server.wait_for(" changed: ")
    deadline = time.monotonic() + TIMEOUT
    while "Our links" not in server.get("/dl/links.html")[1]:
        assert time.monotonic() < deadline, server.lines
        time.sleep(0.1)


def test_polling_finds_edits_where_file_events_do_not_arrive(served) -> None:
    server = served(None, "--poll")
    assert "Watching courses/, templates/, static/ and site.yaml by polling." in server.lines
    save(server.site / "courses/dl/schedule.yaml", SCHEDULE.replace("Perceptrons", "Polled perceptrons"))
    server.wait_for(" changed: rebuilt 1 of 1 course")
    assert "Polled perceptrons" in visible_text(server.page("/dl/schedule.html"))


def test_nothing_outside_the_served_folder_is_served(served, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET")
    server = served()
    output = Path(server.lines[0].split(" into ")[1].split(" ")[0])
    (output / "dl/leak.txt").symlink_to(secret)
    (output / "dl/leak-folder").symlink_to(tmp_path, target_is_directory=True)
    depth = "../" * len(output.parts)
    for path in ["/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/dl/%2e%2e/%2e%2e/secret.txt",
                 f"/{depth}{secret}", f"//{secret}", f"/%2f{str(secret)[1:]}", "/dl/leak.txt",
                 "/dl/leak-folder/secret.txt", "/dl/%2e%2e%5c..%5csecret.txt", "/static/..%2f..%2f..%2fsecret.txt"]:
        status, body = server.get(path)
        assert status in (400, 403, 404), (path, status)
        assert "TOP SECRET" not in body, path
    assert server.get("/dl/schedule.html")[0] == 200


def test_requests_for_other_host_names_are_refused(served) -> None:
    """A page elsewhere cannot read the course by pointing its own name at 127.0.0.1."""
    server = served()
    assert server.get("/", host="attacker.example")[0] == 403
    assert server.get("/livereload.js", host="attacker.example:80")[0] == 403
    assert server.get("/", host=f"localhost:{server.port}")[0] == 200


def test_a_port_in_use_is_refused_with_a_free_one_suggested(site) -> None:
    root = site()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_cli("serve", root, "--port", str(port))
    assert result.code == 2
    match = re.fullmatch(rf"coursesite: error: port {port} on 127\.0\.0\.1 is in use \(another server is running "
                         r"there\); try --port (\d+), or --port 0 to take any free port\n", result.err)
    assert match, result.err
    assert int(match[1]) > port
    assert result.out == ""


@pytest.mark.parametrize(("flag", "value", "message"), [
    ("--port", "http", "argument --port: 'http' is not a port number (0 to 65535)"),
    ("--port", "70000", "argument --port: '70000' is not a port number (0 to 65535)"),
])
def test_bad_serve_flags_are_usage_errors(site, flag: str, value: str, message: str) -> None:
    result = run_cli("serve", site(), flag, value)
    assert result.code == 2
    assert result.err.splitlines()[-1] == f"coursesite serve: error: {message}"


# ---- in a real browser ------------------------------------------------------------------------


@pytest.mark.browser
def test_the_browser_shows_an_edit_without_a_manual_refresh(served) -> None:
    from playwright.sync_api import sync_playwright

    server = served()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        try:
            page = browser.new_page()
            page.goto(server.url + "dl/schedule.html")
            # Connected: livereload.js has shaken hands with the server (and then says which page it is on).
            page.wait_for_function("() => window.LiveReload && window.LiveReload.connector.protocol >= 7")
            schedule = server.site / "courses/dl/schedule.yaml"
            save(schedule, SCHEDULE.replace("Backpropagation", "Backpropagation, live"))
            page.get_by_text("Backpropagation, live").wait_for(timeout=TIMEOUT * 1000)

            save(schedule, SCHEDULE.replace("  - topic: Backpropagation", "  - tpoic: Backpropagation"))
            page.get_by_text("The site does not build").wait_for(timeout=TIMEOUT * 1000)
            assert "unknown field 'tpoic'" in page.inner_text("ul.errors")

            save(schedule, SCHEDULE.replace("Perceptrons", "Perceptrons, back"))
            page.get_by_text("Perceptrons, back").wait_for(timeout=TIMEOUT * 1000)
        finally:
            browser.close()


# Before the fix, a few rebuilds under these requests dropped or cut short at least one answer.
REBUILDS = 20


def test_every_request_during_rebuilds_is_answered_from_a_whole_build(served) -> None:
    """Steady requests while the site is rebuilt several times: each is answered in full, 200."""
    pages = {f"courses/dl/pages/page-{n:02}.md": f"# Page {n}\n\n" + "A long paragraph. " * 3000 for n in range(30)}
    server = served(pages)
    paths = ["/", "/dl/", "/dl/schedule.html", "/dl/page-07.html", "/dl/page-29.html", "/dl/calendar.ics"]
    answers: list[tuple[str, int | str, bool]] = []
    done = threading.Event()

    def ask() -> None:
        for count in range(20_000):  # bounded, whatever happens
            if done.is_set():
                return
            path = paths[count % len(paths)]
            try:
                status, body = server.get(path)
            except (OSError, http.client.HTTPException) as exc:  # a dropped connection, a short body
                answers.append((path, type(exc).__name__, False))
                continue
            whole = body.rstrip().endswith("END:VCALENDAR" if path.endswith(".ics") else "</html>")
            answers.append((path, status, whole))

    askers = [threading.Thread(target=ask) for _ in range(4)]
    for asker in askers:
        asker.start()
    try:
        for n in range(REBUILDS):
            before = len(server.lines)
            save(server.site / "courses/dl/schedule.yaml", SCHEDULE + f"  - topic: Rebuild {n}\n")
            server.wait_for(" changed: ", after=before)
    finally:
        done.set()
        for asker in askers:
            asker.join(TIMEOUT)
    assert len(answers) > len(paths)
    assert [answer for answer in answers if answer[1:] != (200, True)] == []


def test_a_swap_between_measuring_a_file_and_reading_it_does_not_cut_the_answer(tmp_path: Path, monkeypatch) -> None:
    """The race above, made certain: the build is swapped just after the file is measured."""
    from types import SimpleNamespace

    from tornado import netutil
    from tornado.httpserver import HTTPServer

    from coursesite.output_folder import swap_into_place
    from coursesite.serve_http import SiteFiles, make_application

    out, staging = tmp_path / "site", tmp_path / ".site.building-1"
    for folder, text in ((out, "old " * 10), (staging, "new " * 1000)):
        folder.mkdir()
        (folder / "page.txt").write_text(text)
    measure = SiteFiles.get_content_size

    def measure_then_swap(handler: SiteFiles) -> int:
        size = measure(handler)
        if staging.exists():
            swap_into_place(staging, out)
        return size

    monkeypatch.setattr(SiteFiles, "get_content_size", measure_then_swap)
    sockets = netutil.bind_sockets(0, address="127.0.0.1")
    port = sockets[0].getsockname()[1]
    loop = asyncio.new_event_loop()
    started = threading.Event()

    def run() -> None:
        asyncio.set_event_loop(loop)
        HTTPServer(make_application(SimpleNamespace(out=out, failure=None, lock=threading.Lock()), port, "127.0.0.1")).add_sockets(sockets)
        loop.call_soon(started.set)
        loop.run_forever()

    threading.Thread(target=run, daemon=True).start()
    assert started.wait(TIMEOUT)
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
        connection.request("GET", "/page.txt")
        response = connection.getresponse()
        assert (response.status, response.read().decode()) == (200, "old " * 10)  # the file as it was asked for
        connection.close()
        assert (out / "page.txt").read_text() == "new " * 1000  # swapped in meanwhile
    finally:
        loop.call_soon_threadsafe(loop.stop)
        for sock in sockets:
            sock.close()
