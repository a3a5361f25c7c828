"""Markdown to HTML, published through the allowlist sanitizer (sanitize.py).

Markdown fields inside YAML are prose: raw HTML in them is shown as text. Markdown pages
(`pages/*.md`) may embed raw HTML (a video, a styled table), as instructors expect. Both are
published as the sanitizer re-serialized them; `converted_html` is the converter's own output,
which `check` reads to tell the author what the sanitizer removes (`html_problems`).
"""

from __future__ import annotations

import html
import os
import queue
import re
import threading
import xml.etree.ElementTree as etree
from collections.abc import Callable
from functools import lru_cache

import markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE
from markupsafe import Markup

from coursesite.sanitize import forget as forget_sanitized
from coursesite.sanitize import sanitized

EXTENSIONS = ["tables", "attr_list", "fenced_code", "sane_lists", "def_list", "abbr", "footnotes"]

LinkRewriter = Callable[[str], "str | None"]
"""Maps a link (as the browser reads it) to the link to use, or to None: "show it as not yet posted"."""


class _RewriteLinks(Treeprocessor):
    """Applies the converter's `rewrite_link` (if set) to Markdown links and images."""

    rewrite_link: LinkRewriter | None = None

    def run(self, root: etree.Element) -> None:
        rewrite = self.rewrite_link
        if rewrite is None:
            return
        parents = {child: parent for parent in root.iter() for child in parent}
        for element in list(root.iter()):
            attribute = {"a": "href", "img": "src"}.get(element.tag)
            written = element.get(attribute) if attribute else None
            if attribute is None or written is None:
                continue
            url = html.unescape(written.replace(AMP_SUBSTITUTE, "&"))  # as the browser reads it
            new = rewrite(url)
            if new is not None:
                if new != url:
                    element.set(attribute, new)
            elif element.tag == "a":
                _show_not_posted(element)
            else:
                holder = etree.Element("span")
                holder.text = element.get("alt") or url
                holder.tail = element.tail
                parent = parents[element]
                parent[list(parent).index(element)] = holder
                _show_not_posted(holder)


def _show_not_posted(element: etree.Element) -> None:
    """The same markup as a `file:` that does not exist yet: its label and a badge."""
    element.tag = "span"
    element.attrib.clear()
    element.set("class", "not-posted")
    if len(element):
        element[-1].tail = (element[-1].tail or "") + " "
    else:
        element.text = (element.text or "") + " "
    from coursesite.translations import gettext  # the course's language; imported late: no cycle

    badge = etree.SubElement(element, "span", {"class": "badge"})
    badge.text = gettext("not yet posted")


class TooDeeplyNested(ValueError):
    """Markdown nested deeper than the converter can follow (it recurses once a level)."""

    MESSAGE = ("too deeply nested to convert (lists, quotes, emphasis or links inside one another); "
               "nest less")


# Shorter texts cannot nest the hundreds of levels that exhaust the recursion limit, wherever they
# are converted from; they are spared the cost of a thread.
_SHALLOW = 200


def _convert(converter: markdown.Markdown, text: str) -> str:
    """`converter.convert(text)` on a thread of its own, so whether deep nesting fits within the
    recursion limit does not depend on how deep the caller's stack is (`check` calls from a
    shallower one than a template does); TooDeeplyNested when it does not fit."""
    if len(text) < _SHALLOW or threading.current_thread() is _worker[1]:
        return converter.convert(text)
    job = _Job(converter, text)
    _jobs().put(job)
    job.done.acquire()  # released by the converting thread
    if job.failure is not None:
        raise job.failure
    return job.result


class _Job:
    """A text for the converting thread, and what came of it."""

    def __init__(self, converter: markdown.Markdown, text: str) -> None:
        self.converter, self.text = converter, text
        self.result = ""
        self.failure: BaseException | None = None
        self.done = threading.Lock()
        self.done.acquire()


# One converting thread for the process, started when first needed: starting a thread for every
# text cost more than converting most of them. (process id, thread, its queue); a process forked
# from this one (parallel.py) starts its own.
_worker: tuple[int, threading.Thread | None, queue.SimpleQueue[_Job]] = (0, None, queue.SimpleQueue())
_worker_lock = threading.Lock()


def _jobs() -> queue.SimpleQueue[_Job]:
    global _worker
    with _worker_lock:
        if _worker[0] != os.getpid():
            jobs: queue.SimpleQueue[_Job] = queue.SimpleQueue()
            thread = threading.Thread(target=_serve, args=(jobs,), name="coursesite-markdown", daemon=True)
            thread.start()
            _worker = (os.getpid(), thread, jobs)
        return _worker[2]


def _serve(jobs: queue.SimpleQueue[_Job]) -> None:
    # Converts at the stack depth a thread started for one text converted at (the thread's run,
    # this function, convert), so the same texts are too deeply nested as before.
    while True:
        job = jobs.get()
        try:
            job.result = job.converter.convert(job.text)
        except RecursionError:
            job.failure = TooDeeplyNested(TooDeeplyNested.MESSAGE)
        except BaseException as exc:  # noqa: BLE001 - raised again in the caller's thread
            job.failure = exc
        job.done.release()


def deepest_paragraph(text: str, *, allow_html: bool) -> int:
    """The offset of the first paragraph of `text` that is too deeply nested to convert on its
    own (0 if none is: then the nesting spans paragraphs)."""
    for paragraph in re.finditer(r"(?:[^\n]|\n(?![ \t]*\n))+", text):
        try:
            render_markdown(paragraph[0], allow_html=allow_html)
        except TooDeeplyNested:
            return paragraph.start() + len(paragraph[0]) - len(paragraph[0].lstrip("\n"))
    return 0


@lru_cache(maxsize=2)
def _converter(allow_html: bool) -> tuple[markdown.Markdown, _RewriteLinks]:
    converter = markdown.Markdown(extensions=[*EXTENSIONS, "toc"],
                                  extension_configs={"toc": {"permalink": False}})
    if not allow_html:
        converter.preprocessors.deregister("html_block")
        converter.inlinePatterns.deregister("html")
    rewriter = _RewriteLinks(converter)
    converter.treeprocessors.register(rewriter, "coursesite-links", -10)  # after 'unescape'
    return converter, rewriter


def render_markdown(text: str | None, *, allow_html: bool = False,
                    rewrite_link: LinkRewriter | None = None) -> Markup:
    """HTML for Markdown `text`, sanitized; raw HTML is kept (what the allowlist allows of it)
    only with `allow_html`, and shown as text otherwise.

    `rewrite_link` sees the target of every Markdown link and image (not those of raw HTML).
    """
    if not text:
        return Markup("")
    plain = plain_paragraphs(text)
    if plain is not None:
        return Markup(plain)  # noqa: S704 - paragraphs of text without '<' or '&'
    html, targets = _converted(text, allow_html)
    if rewrite_link is not None:
        links = tuple(rewrite_link(url) for url in targets)
        if links != targets:
            # What the page shows for a link not posted yet is in the course's language.
            badge = _not_posted_badge() if None in links else ""
            html = _rewritten(text, allow_html, links, badge)
    return Markup(sanitized(html))  # noqa: S704 - what the allowlist sanitizer re-serialized


# A text is converted again for its links when a link in it leads to another page or a file;
# the same text comes back with the same links on another page of the same folder (a page,
# and the syllabus that holds every page).
@lru_cache(maxsize=1024)
def _rewritten(text: str, allow_html: bool, links: tuple[str | None, ...], badge: str) -> str:
    """The HTML of `text` with its links (in the order `_converted` found them) made `links`;
    `badge` is the words of the "not yet posted" badge the None links get."""
    given = iter(links)
    converter, rewriter = _converter(allow_html)
    converter.reset()
    rewriter.rewrite_link = lambda url: next(given)
    try:
        return _convert(converter, text)
    finally:
        rewriter.rewrite_link = None


def _not_posted_badge() -> str:
    from coursesite.translations import gettext  # the course's language; imported late: no cycle

    return gettext("not yet posted")


def converted_html(text: str, *, allow_html: bool) -> str:
    """The converter's HTML for `text` before sanitizing: what the author wrote, for the checks."""
    return _converted(text, allow_html)[0]


def links_in(text: str, *, allow_html: bool) -> list[str]:
    """The targets of the Markdown links and images in `text`, as the browser reads them."""
    if "[" not in text and "<" not in text:  # no Markdown link or autolink can be there
        return []
    return list(_converted(text, allow_html)[1])


# Converting is the slowest step of rendering a course, and the same texts come back: the
# checker converts every text with a link to find its links, the pages convert it again (and
# most links need no rewriting), and the dev server rebuilds a course after every save while
# most of its texts are unchanged.
@lru_cache(maxsize=8192)
def _converted(text: str, allow_html: bool) -> tuple[str, tuple[str, ...]]:
    """The HTML of Markdown `text`, and the targets of its links and images."""
    converter, rewriter = _converter(allow_html)
    found: list[str] = []

    def record(url: str) -> str:
        found.append(url)
        return url

    converter.reset()
    rewriter.rewrite_link = record
    try:
        return _convert(converter, text), tuple(found)
    finally:
        rewriter.rewrite_link = None


def forget_conversions() -> None:
    """Drop the memoised conversions and script checks. A worker that builds course after course
    (parallel.py) would otherwise hold thousands of texts that no later course has."""
    _converted.cache_clear()
    _rewritten.cache_clear()
    forget_sanitized()


# Most texts in a course are plain sentences: a character or line start that Markdown (with our
# extensions) could read as syntax sends the text to the converter; what is left can only be
# paragraphs. tests/test_markup_shortcut.py checks the shortcut against Python-Markdown itself.
_MARKDOWN_SYNTAX = re.compile(
    r"[\\`*_{}\[\]<>&|~^\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]"  # inline syntax, entities, controls
    r"|^[^\S\n]|^[\d#>+=:\-]"  # indented code and continuations; headings, quotes, lists, rules
    r"|[^\S\n]$",  # trailing spaces: line breaks
    re.MULTILINE)
_BLANK_LINES = re.compile(r"\n{2,}")


def plain_paragraphs(text: str) -> str | None:
    """What Markdown makes of `text` when it holds no Markdown syntax at all; else None."""
    if _MARKDOWN_SYNTAX.search(text):
        return None
    text = text.strip("\n")
    if not text:
        return ""
    return "\n".join(f"<p>{paragraph}</p>" for paragraph in _BLANK_LINES.split(text))


def render_inline(text: str | None, *, rewrite_link: LinkRewriter | None = None) -> Markup:
    """Markdown for a one-line value: like render_markdown without the wrapping paragraph."""
    html = str(render_markdown(text, rewrite_link=rewrite_link))
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return Markup(html)  # noqa: S704 - built from render_markdown output


