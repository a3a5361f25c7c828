"""The syllabus: every Markdown page of a course as a policy section, and syllabus.pdf.

The PDF is made from the syllabus page by WeasyPrint (the optional extra `pdf`), only when it is
installed. Its stylesheets come from the theme's and site's static files, never from the
network, and its metadata carries no build time, so the same page gives the same bytes.
"""

from __future__ import annotations

import functools
import importlib.util
import logging
import mimetypes
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from markupsafe import Markup

from coursesite.markdown_links import CourseLinks
from coursesite.markup import render_markdown
from coursesite.site import Course


@dataclass(frozen=True)
class Policy:
    name: str
    title: str
    body: Markup


def policies(course: Course, links: CourseLinks, page_path: str) -> list[Policy]:
    """The course's Markdown pages in navigation order, their links made right for `page_path`."""
    return [Policy(page.name, page.meta.title,
                   render_markdown(page.body, allow_html=True,
                                   rewrite_link=links.rewriter(links.pages_folder, page_path)))
            for page in course.pages]


def pdf_available() -> bool:
    """Whether WeasyPrint is installed: only then is syllabus.pdf made."""
    return importlib.util.find_spec("weasyprint") is not None


def syllabus_pdf(html: str, page_path: str, static: dict[str, Path]) -> bytes:
    """syllabus.pdf from the syllabus page `html` (at output path `page_path`).

    `static` maps output paths of the theme's and site's static files to their sources: the
    page's stylesheets are read from there. Any other address (a photo, a web font) is not fetched.
    """
    import weasyprint  # type: ignore[import-untyped]
    from weasyprint.urls import URLFetcherResponse  # type: ignore[import-untyped]

    base = "https://coursesite.invalid/"
    # The theme's screen rules that WeasyPrint does not know are no concern of the paper's.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)

    class StaticFiles(weasyprint.URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
            source = static.get(url.removeprefix(base).split("?")[0]) if url.startswith(base) else None
            if source is None:
                raise ValueError(f"not fetched: {url}")
            return URLFetcherResponse(url, source.read_bytes(),
                                      {"Content-Type": mimetypes.guess_type(url)[0] or "text/plain"})

    document = weasyprint.HTML(string=html, base_url=base + page_path, url_fetcher=StaticFiles(),
                               media_type="print")
    # No creation or modification date: the same page makes the same file on any day.
    pdf: bytes = document.write_pdf(pdf_identifier=b"coursesite-syllabus", pdf_variant=None,
                                    custom_metadata=False, font_config=_fonts(os.getpid()))
    return pdf


@functools.cache
def _fonts(process: int) -> Any:
    """One WeasyPrint FontConfiguration for every PDF this process makes (`process`: a forked
    worker makes its own). WeasyPrint keeps what each one loads: one per PDF grew a worker by
    0.25 MB a course, 250 MB over a 1,000-course build in two processes; a shared one, by 0.08 MB.
    The PDFs are the same bytes (tests/test_syllabus.py)."""
    from weasyprint.text.fonts import FontConfiguration  # type: ignore[import-untyped]

    return FontConfiguration()

