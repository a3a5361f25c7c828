"""Screenshots of a built site in Debian's Chromium: the README's pictures, or every page for review.

    python scripts/screenshots.py BUILD_DIR --readme docs/        # schedule on desktop and phone
    python scripts/screenshots.py BUILD_DIR --review DIR          # every page, 375/1280 px, light/dark
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, sync_playwright

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1280, "height": 900}
README_PAGE = "columbia-deep-learning/schedule.html"
README_TODAY = "2026-09-10"  # early in the term: the next session is near the top of the page
REVIEW_TODAY = "2026-10-14"  # the reference build's day
MAX_PIECES = 3


@contextmanager
def serving(folder: Path) -> Iterator[str]:
    """Serve `folder` on a free loopback port; yields the base URL."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def shoot(browser: Browser, url: str, path: Path, *, viewport: dict[str, int], dark: bool,
          full_page: bool) -> None:
    context = browser.new_context(viewport=viewport, color_scheme="dark" if dark else "light",
                                  device_scale_factor=1)
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state("networkidle")
    path.parent.mkdir(parents=True, exist_ok=True)
    if not full_page:
        page.evaluate("window.scrollTo(0, 0)")  # the schedule scrolls to the next session by itself
        page.screenshot(path=str(path))
    else:  # pieces of at most two screens each, so that each can be looked at closely
        height = page.evaluate("document.documentElement.scrollHeight")
        piece = viewport["height"] * 2
        for number, top in enumerate(range(0, height, piece)[:MAX_PIECES]):
            clip = {"x": 0, "y": top, "width": viewport["width"], "height": min(piece, height - top)}
            page.screenshot(path=str(path.with_stem(f"{path.stem}-{number}")), full_page=True, clip=clip)
    context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("build", type=Path)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--readme", type=Path, metavar="DIR")
    group.add_argument("--review", type=Path, metavar="DIR")
    parser.add_argument("--only", default="", help="with --review: pages whose path contains this")
    args = parser.parse_args()
    executable = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    with sync_playwright() as playwright, serving(args.build) as base:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        if args.readme:
            url = f"{base}{README_PAGE}?today={README_TODAY}"
            shoot(browser, url, args.readme / "schedule-desktop.png", viewport=DESKTOP, dark=False,
                  full_page=False)
            shoot(browser, url, args.readme / "schedule-phone.png", viewport=PHONE, dark=False,
                  full_page=False)
        else:
            for html in sorted(args.build.rglob("*.html")):
                name = html.relative_to(args.build).as_posix()
                if name.startswith("pagefind/") or args.only not in name:
                    continue
                stem = name.removesuffix(".html").replace("/", "__")
                for label, viewport in (("375", PHONE), ("1280", DESKTOP)):
                    for dark in (False, True):
                        target = args.review / f"{stem}-{label}-{'dark' if dark else 'light'}.png"
                        shoot(browser, f"{base}{name}?today={REVIEW_TODAY}", target, viewport=viewport,
                              dark=dark, full_page=True)
        browser.close()


if __name__ == "__main__":
    main()
