"""Shared fixtures: tiny courses written into tmp_path, and the reference courses built once."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from coursesite.cli import main
from unprivileged import open_site  # noqa: F401 - a fixture for the tests of faults

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, Route

REPO = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 10, 14)

MINIMAL_COURSE = """\
code: DL 101
title: Deep Learning
term:
  name: Fall 2026
  start: 2026-09-08
  end: 2026-12-18
  timezone: America/New_York
people:
  - name: Ada Lovelace
    role: Instructor
    email: ada@example.edu
meetings:
  - name: Lecture
    days: [Tue, Thu]
    start: "10:00"
    end: "11:15"
    location: Room 101
"""


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return [line for line in self.err.splitlines() if line]


def run_cli(*args: str | Path) -> Run:
    """Run the command line in-process and capture what it prints."""
    out, err = io.StringIO(), io.StringIO()
    try:  # argparse prints --help and --version itself, to sys.stdout
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main([str(a) for a in args], stdout=out, stderr=err)
    except SystemExit as exc:  # argparse exits for --help, --version and bad usage
        code = int(exc.code or 0)
    return Run(code, out.getvalue(), err.getvalue())


@pytest.fixture
def site(tmp_path: Path) -> Callable[..., Path]:
    """Write a site: `site({"courses/dl/course.yaml": "..."})`; returns the site folder."""

    def write(files: dict[str, str | bytes] | None = None, *, minimal: bool = True) -> Path:
        root = tmp_path / "site"
        all_files: dict[str, str | bytes] = {}
        if minimal:
            all_files["courses/dl/course.yaml"] = MINIMAL_COURSE
        all_files.update(files or {})
        for name, content in all_files.items():
            path = root / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(textwrap.dedent(content) if content.startswith("\n") else content)
        root.mkdir(exist_ok=True)
        return root

    return write


@pytest.fixture(scope="session", autouse=True)
def build_cache_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Builds keep their cache under $XDG_CACHE_HOME: the tests', not the user's."""
    home = tmp_path_factory.mktemp("cache-home")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(home))
        yield home


@pytest.fixture(autouse=True)
def no_pdf_unless_tested(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint takes about a second per course to make syllabus.pdf: in-process builds make it
    only in tests marked `pdf` (tests/test_syllabus.py), as if it were not installed elsewhere."""
    if request.node.get_closest_marker("pdf") is None:
        monkeypatch.setattr("coursesite.render.pdf_available", lambda: False)


def build(site_dir: Path, out: Path | None = None, *extra: str) -> Run:
    out = out or site_dir / "build"
    return run_cli("build", site_dir, "--out", out, "--today", TODAY.isoformat(), *extra)


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (relative path -> bytes), to compare whole builds."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def parse(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def visible_text(soup: BeautifulSoup) -> str:
    """The page's text as a reader sees it, whitespace collapsed."""
    for hidden in soup.select("script, style, template, [hidden]"):
        hidden.decompose()
    return re.sub(r"\s+", " ", soup.get_text(" ")).strip()


@pytest.fixture(scope="session")
def reference_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The five reference courses, built once for the whole session."""
    out = tmp_path_factory.mktemp("reference") / "build"
    result = run_cli("build", REPO, "--out", out, "--today", TODAY.isoformat(), "--no-pdf")
    assert result.code == 0, result.err
    return out


# ---- browser tests: the reference build served on loopback, one Chromium per test module ----


@pytest.fixture(scope="session")
def served_reference(reference_build: Path) -> Iterator[str]:
    """The reference build served on a free port of 127.0.0.1; the base URL ends in '/'."""
    from browsing import serving

    with serving(reference_build) as base:
        yield base


# Per module, not per session: while Playwright's sync API is open it holds an event loop on this
# thread, which would break later modules that use asyncio or start Playwright themselves.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium (never a downloaded browser), headless, shared by a test module."""
    from playwright.sync_api import sync_playwright

    from browsing import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Tab:
    """A page in its own browser context, with what went wrong while it was open."""

    page: Page
    outside_requests: list[str]
    errors: list[str]


@pytest.fixture
def open_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """Open a URL in a fresh context: `open_page(url, viewport=..., color_scheme="dark")`.

    Every test that uses it also checks that the page made no request off this machine and
    raised no JavaScript error.
    """
    from browsing import DESKTOP

    tabs: list[Tab] = []

    def open_url(url: str, *, viewport: dict[str, int] | None = None, color_scheme: str = "light",
                 **options: object) -> Page:
        context = browser.new_context(viewport=viewport or DESKTOP, color_scheme=color_scheme,
                                      **options)  # type: ignore[arg-type]
        tab = Tab(context.new_page(), [], [])

        def guard(route: Route) -> None:
            host = urlsplit(route.request.url)
            if host.scheme in ("file", "data", "blob") or host.hostname == "127.0.0.1":
                route.continue_()
            else:
                tab.outside_requests.append(route.request.url)
                route.abort()

        context.route("**/*", guard)
        tab.page.on("pageerror", lambda error: tab.errors.append(str(error)))
        tabs.append(tab)
        tab.page.goto(url)
        return tab.page

    yield open_url
    for tab in tabs:
        tab.page.context.close()
    assert [url for tab in tabs for url in tab.outside_requests] == []
    assert [error for tab in tabs for error in tab.errors] == []


def generated_site(folder: Path, courses: int, seed: int) -> None:
    """A synthetic site of `courses` courses in `folder`, as the benchmarks generate it."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("generate_courses", REPO / "benchmarks" / "generate_courses.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.generate_site(folder, courses, seed=seed)
