"""How a browser reads an HTML fragment, for the check of what raw HTML in a course does (sanitize.py).

Two readings: the elements a WHATWG parser (Lexbor, through selectolax) builds when the fragment
stands inside a published page, and every start tag a plain tokenizer sees wherever it stands.
What the sanitizer publishes does not depend on them: they only say what to report.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from selectolax.lexbor import LexborNode

END = "coursesite-end-of-fragment"  # an element after the fragment: read only if the fragment ends cleanly

Element = tuple[str, list[tuple[str, str]]]


def tree_reading(html: str) -> tuple[list[Element], bool]:
    """The elements a WHATWG parser builds, and whether the fragment ends cleanly."""
    # Imported here, not with this module: the model imports it for its URL checks, and a build
    # that takes every course from its cache, or `serve` before an edit, checks no HTML.
    from selectolax.lexbor import LexborHTMLParser

    # Parsed inside a whole page, as it will be published: a stray <body onload=...> then lends
    # its attributes to the page's <body>, as in a browser. A marker after the fragment shows
    # whether it ends cleanly: an unclosed attribute, comment or <textarea> would swallow the
    # marker, as it would swallow the rest of the page around it. Lexbor is a WHATWG parser, with
    # scripting off by default as in html5lib (the judge in tests/test_tree_reading.py): the
    # content of a <noscript> is read as elements.
    page = f"<!DOCTYPE html><html><head></head><body><main><div>{html}<{END}></{END}>"
    document = LexborHTMLParser(_utf8(page))
    elements: list[Element] = []
    ended = wrapped = False
    for element in _elements(document.root) if document.root else ():  # a page always has <html>
        tag = element.tag or ""
        if tag == END:
            ended = True
        elif tag == "div" and not wrapped:
            wrapped = True  # the page's own wrapper
        else:
            attributes = element.attributes
            if tag not in ("html", "head", "body", "main") or attributes:
                elements.append((tag, [(name, value or "") for name, value in attributes.items()]))
    return elements, ended


def _elements(root: LexborNode) -> Iterator[LexborNode]:
    """The elements under `root` (itself included) in document order, with the content of each
    <template> where the template stands, as a browser's parser builds it."""
    for element in root.traverse():
        if not element.is_element_node:
            continue  # a comment
        yield element
        if element.tag == "template":
            for content in element.template_fragments():
                if content.parent == element:  # not a template nested in it
                    yield from _elements_of_fragment(content)


def _elements_of_fragment(fragment: LexborNode) -> Iterator[LexborNode]:
    for element in fragment.traverse():
        if element.is_element_node:
            yield from _elements(element) if element.tag == "template" else (element,)


def _utf8(text: str) -> bytes:
    """`text` as the UTF-8 a page is published in. A lone surrogate (a YAML escape such as
    "\\ud800" makes one) cannot be written in UTF-8; a browser would read U+FFFD there."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return re.sub("[\ud800-\udfff]", "\ufffd", text).encode("utf-8")


class _Tokens(HTMLParser):
    """Every start tag in the source, wherever it stands; no tree-building rule drops any."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, [(name, value or "") for name, value in attrs]))


def token_reading(html: str) -> list[Element]:
    tokens = _Tokens()
    read_tags(tokens, html)
    return tokens.elements


# A browser reads `<![...>` outside SVG and MathML as a comment that ends at the first '>'; the
# standard library's tokenizer would stop with an AssertionError at an unknown keyword.
_MARKED_SECTION = re.compile(r"<!\[(?!CDATA\[)[^>]*>?")


def read_tags(parser: HTMLParser, text: str) -> None:
    """Feed `text` to `parser`, whatever it holds; what it cannot read, it skips."""
    with contextlib.suppress(AssertionError):
        parser.feed(_MARKED_SECTION.sub("", text))
        parser.close()
