"""Markdown to HTML, and the link safety rule shared by the renderer and the checker.

Markdown fields inside YAML are prose: raw HTML in them is shown as text. Markdown pages
(`pages/*.md`) may embed raw HTML (a video, a styled table), as instructors expect; in both,
a link or source with a scheme other than http, https or mailto is an error.
"""

from __future__ import annotations

import re
from functools import lru_cache
from html.parser import HTMLParser

import markdown
from markupsafe import Markup

EXTENSIONS = ["tables", "attr_list", "fenced_code", "sane_lists", "def_list", "abbr", "footnotes"]
SAFE_SCHEMES = ("http", "https", "mailto")
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "data", "srcset", "xlink:href"}


@lru_cache(maxsize=2)
def _converter(allow_html: bool) -> markdown.Markdown:
    converter = markdown.Markdown(extensions=[*EXTENSIONS, "toc"],
                                  extension_configs={"toc": {"permalink": False}})
    if not allow_html:
        converter.preprocessors.deregister("html_block")
        converter.inlinePatterns.deregister("html")
    return converter


def render_markdown(text: str | None, *, allow_html: bool = False) -> Markup:
    """HTML for Markdown `text`; raw HTML passes through only with `allow_html`."""
    if not text:
        return Markup("")
    # Markdown output is HTML by design; raw HTML in prose was disabled in _converter.
    return Markup(_convert(text, allow_html))  # noqa: S704


# Converting is the slowest step of rendering a course, and the same texts come back: the
# checker and the pages convert the same fields, and the dev server rebuilds a course after
# every save while most of its texts are unchanged.
@lru_cache(maxsize=8192)
def _convert(text: str, allow_html: bool) -> str:
    converter = _converter(allow_html)
    converter.reset()
    return converter.convert(text)


def render_inline(text: str | None) -> Markup:
    """Markdown for a one-line value: like render_markdown without the wrapping paragraph."""
    html = str(render_markdown(text))
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)  # noqa: S704 - built from render_markdown output


def unsafe_url(url: str) -> str | None:
    """The offending scheme if `url` is not http(s), mailto, relative or a fragment."""
    cleaned = re.sub(r"[\x00-\x20]", "", url)
    match = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", cleaned)
    if match and match[1].lower() not in SAFE_SCHEMES:
        return match[1].lower()
    return None


class _UrlCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in _URL_ATTRIBUTES and value:
                self.urls.extend(value.split(",") if name == "srcset" else [value])


@lru_cache(maxsize=8192)  # the checker asks again about the same texts after every save
def unsafe_links(html: str) -> tuple[tuple[str, str], ...]:
    """(url, scheme) for every link or source in `html` whose scheme is not allowed."""
    collector = _UrlCollector()
    collector.feed(html)
    found = []
    for url in collector.urls:
        scheme = unsafe_url(url.strip())
        if scheme:
            found.append((url.strip(), scheme))
    return tuple(found)
