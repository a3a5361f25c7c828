"""Markdown to HTML, and the rule that nothing in Markdown may run script.

Markdown fields inside YAML are prose: raw HTML in them is shown as text. Markdown pages
(`pages/*.md`) may embed raw HTML (a video, a styled table), as instructors expect. In both,
`html_problems` refuses what could run script in a student's browser: a link or source whose
scheme is not http, https or mailto, an event-handler attribute (also one added through an
attribute list such as `{: onclick=... }`), and elements such as <script>. It reads the HTML
with a WHATWG parser, so it sees the elements and attributes a browser will see.
"""

from __future__ import annotations

import html
import re
import threading
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import html5lib
import markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE
from markupsafe import Markup

EXTENSIONS = ["tables", "attr_list", "fenced_code", "sane_lists", "def_list", "abbr", "footnotes"]
SAFE_SCHEMES = ("http", "https", "mailto")

LinkRewriter = Callable[[str], "str | None"]
"""Maps a link (as the browser reads it) to the link to use, or to None: "show it as not yet posted"."""

_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "data", "srcset", "background",
                   "cite", "codebase", "longdesc", "lowsrc", "dynsrc", "manifest", "ping", "icon",
                   "archive", "classid", "profile", "usemap"}
_ELEMENTS = {
    "script": "<script> is not allowed: nothing in a course may run script in students' browsers",
    "noscript": "<noscript> is not allowed (browsers read its content differently from the checker)",
    "base": "<base> is not allowed: it would change where every link of the page goes",
    "meta": "<meta> is not allowed in a page body",
    "object": "<object> is not allowed; embed a video with <iframe src=\"https://...\"> or <video>",
    "embed": "<embed> is not allowed; embed a video with <iframe src=\"https://...\"> or <video>",
    "applet": "<applet> is not allowed",
}
_END = "coursesite-end-of-fragment"


@dataclass(frozen=True)
class HtmlProblem:
    """Something in rendered Markdown that could run script.

    `needle` is the text that shows where it is, as a browser reads the source (entities
    decoded, whitespace dropped, lower case), such as 'onerror=' or 'javascript:'; empty for
    "at the end".
    """

    message: str
    needle: str


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
    badge = etree.SubElement(element, "span", {"class": "badge"})
    badge.text = "not yet posted"


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
    if len(text) < _SHALLOW:
        return converter.convert(text)
    result: list[str] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            result.append(converter.convert(text))
        except RecursionError:
            failure.append(TooDeeplyNested(TooDeeplyNested.MESSAGE))
        except BaseException as exc:  # noqa: BLE001 - raised again in the caller's thread
            failure.append(exc)

    thread = threading.Thread(target=run, name="coursesite-markdown")
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    return result[0]


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
    """HTML for Markdown `text`; raw HTML passes through only with `allow_html`.

    `rewrite_link` sees the target of every Markdown link and image (not those of raw HTML).
    """
    if not text:
        return Markup("")
    plain = plain_paragraphs(text)
    if plain is not None:
        return Markup(plain)  # noqa: S704 - paragraphs of text without '<' or '&'
    html, targets = _converted(text, allow_html)
    if rewrite_link is None or all(rewrite_link(url) == url for url in targets):
        # Markdown output is HTML by design; raw HTML in prose was disabled in _converter.
        return Markup(html)  # noqa: S704 - and the rewriter would change nothing in it
    converter, rewriter = _converter(allow_html)
    converter.reset()
    rewriter.rewrite_link = rewrite_link
    try:
        return Markup(_convert(converter, text))  # noqa: S704
    finally:
        rewriter.rewrite_link = None


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
    _html_problems.cache_clear()


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


def unsafe_url(url: str) -> str | None:
    """The offending scheme if `url` is not http(s), mailto, relative or a fragment.

    Browsers drop tabs, newlines and leading control characters before reading the scheme
    (`java\\tscript:` is `javascript:`), so those are dropped here too.
    """
    cleaned = re.sub(r"[\x00-\x20]", "", url)
    match = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", cleaned)
    if match and match[1].lower() not in SAFE_SCHEMES:
        return match[1].lower()
    return None


def html_problems(html: str) -> list[HtmlProblem]:
    """Everything in an HTML fragment (a page body) that could run script, in document order."""
    return list(_html_problems(html))


# Parsing is the checker's slowest step, and the dev server checks the same page bodies again
# after every save.
@lru_cache(maxsize=1024)
def _html_problems(html: str) -> tuple[HtmlProblem, ...]:
    parser = html5lib.HTMLParser(namespaceHTMLElements=False)
    # Parsed inside a whole page, as it will be published: a stray <body onload=...> then lends
    # its attributes to the page's <body>, as in a browser. A marker after the fragment shows
    # whether it ends cleanly: an unclosed attribute, comment or <textarea> would swallow the
    # marker, as it would swallow the rest of the page around it.
    document = parser.parse(f"<!DOCTYPE html><html><head></head><body><main><div>{html}<{_END}></{_END}>")
    problems: list[HtmlProblem] = []
    ended = False
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue  # a comment
        tag = _local(element.tag)
        if tag == _END:
            ended = True
            continue
        if tag in _ELEMENTS:
            problems.append(HtmlProblem(_ELEMENTS[tag], f"<{tag}"))
        for name, value in element.attrib.items():
            problems.extend(_attribute_problems(tag, _local(name), value))
    if not ended:
        problems.append(HtmlProblem("the HTML does not end cleanly: an unclosed tag, attribute, "
                                    "comment, <textarea> or <style> would swallow the rest of the "
                                    "page; close it", ""))
    return tuple(problems)


def _attribute_problems(tag: str, name: str, value: str) -> list[HtmlProblem]:
    name = name.lower()
    attribute = f"{name}="
    if name.startswith("on"):
        return [HtmlProblem(f"event-handler attribute '{name}' on <{tag}> is not allowed: nothing "
                            "in a course may run script in students' browsers", attribute)]
    if name == "srcdoc":
        return [HtmlProblem(f"attribute 'srcdoc' on <{tag}> is not allowed; point the frame at a "
                            "page with src=\"https://...\"", attribute)]
    if tag in ("animate", "set") and name == "attributename" and value.lower().endswith("href"):
        return [HtmlProblem(f"<{tag}> may not change '{value}' (it can turn a link into script)",
                            f"<{tag}")]
    if name not in _URL_ATTRIBUTES and not (name == "href" or name.endswith(":href")):
        return []
    candidates = [part.strip().split(" ")[0] for part in value.split(",")] if name == "srcset" \
        else [value.strip()]
    problems = []
    for url in candidates:
        scheme = unsafe_url(url)
        if scheme:
            problems.append(HtmlProblem(f"link '{url[:60]}' uses '{scheme}:'; only http, https, "
                                        "mailto and relative links are allowed", f"{scheme}:"))
    return problems


def _local(name: str) -> str:
    """`{http://www.w3.org/2000/svg}a` -> `a`: SVG and MathML elements follow the same rules."""
    return name.rsplit("}", 1)[-1]
