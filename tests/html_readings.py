"""Fragments of raw HTML and three readings of them, for the tests of the check's tree reading
(coursesite.sanitize._tree_reading, on Lexbor): html5lib's, Chromium's, and the check's own.

A reading is what `_tree_reading` returns: the elements (tag, attributes) of the fragment parsed
inside a whole page, in document order, <template> contents where the template stands, and
whether the end marker after the fragment is still an element (the fragment ends cleanly).
"""

from __future__ import annotations

import ast
import random
import re
from pathlib import Path

import html5lib

from coursesite import sanitize
from coursesite.markup import converted_html
from hostile_html import HOSTILE_PAGES

TESTS = Path(__file__).parent
# The safety tests: every test module that holds an event handler or a javascript: link.
SAFETY_TESTS = sorted(path for path in TESTS.glob("*.py")
                      if re.search(r"onerror|javascript:", path.read_text(encoding="utf-8")))

# What a parser may read in more than one way: foreign content and its integration points,
# templates, raw-text and escapable raw-text elements, <noscript> (the check, html5lib and
# DOMParser parse with scripting off), attributes lent to <body> and <html>, duplicated
# attributes, comments and bogus comments, NUL bytes, and fragments that do not end cleanly.
TRICKY = [
    "<svg><use xlink:href=javascript:x xmlns:xlink=http://www.w3.org/1999/xlink /></svg>",
    "<svg><a xlink:href=x xml:lang=en xlink:title=t xmlns=http://www.w3.org/2000/svg>a</a></svg>",
    "<svg viewbox='0 0 1 1' definitionurl=x><foreignObject><img src=x onerror=1></foreignObject></svg>",
    "<math definitionurl=x><mi><mglyph onload=1><b onclick=2>x</b></mi><annotation-xml encoding=text/html>"
    "<img onerror=3></annotation-xml></math>",
    "<math><annotation-xml><svg><desc><img onerror=4></desc></svg></annotation-xml></math>",
    "<p title=a TITLE=b onclick=1 ONCLICK=2>x</p>",
    "<template><img onerror=1><template><b onclick=2></b></template></template><i onclick=3></i>",
    "<table><template><tr><td onclick=1>x</td></tr></template></table>",
    "<svg><template><g onload=1></g></template></svg>",
    "<noscript><img src=x onerror=1></noscript>",
    "<noscript><p title='</noscript><img onerror=2>'></noscript>",
    "<body onload=1 class=x><p>x</p><html lang=en onclick=2>",
    "<!-- <img onerror=1> --><!--> <img onerror=2> --><!---><b>",
    "<!x><?php <img onerror=1> ?></a b=c><![CDATA[<img onerror=2>]]>",
    "<p title='x",
    '<p title="x',
    "<!-- x",
    "<textarea>x",
    "<style>x",
    "<title>x",
    "<plaintext><b>x",
    "<xmp>x",
    "<iframe>x",
    "<noembed>x",
    "<script>x",
    "<a href='x'",
    "<img src=\0x on\0error=1>\0<scr\0ipt>",
    "<table><img onerror=1><tr><td>x</td><b onclick=2>y</table>",
    "<select><option><img onerror=1></option></select><select><keygen></select>",
    "<frameset onload=1><frame src=javascript:x></frameset>",
    "<image src=x onerror=1><isindex action=javascript:x>",
    "<a href=x><p><a href=y>z</a></p></a><b><i>x</b>y</i>",
]

# Pieces that random fragments are made of.
PIECES = ["<", ">", "</", "/>", "=", '"', "'", " ", "\n", "x", "a", "p", "b", "i", "div", "svg", "math",
          "template", "select", "option", "img", "onerror", "onload", "src", "href", "javascript:",
          "xlink:href", "xmlns:xlink", "foreignObject", "desc", "mi", "mtext", "mglyph", "annotation-xml",
          "encoding=text/html", "table", "tr", "td", "caption", "body", "html", "head", "textarea", "style",
          "title", "noscript", "xmp", "iframe", "noembed", "plaintext", "script", "<!--", "-->", "<!", "<?",
          "<![CDATA[", "]]>", "\0", "&", "&#0;", "&lt;", "br", "form", "button", "input", "li", "ul",
          "frameset", "object", "image", "A", "SVG", "Image", "onError", "!", "-", "?"]


def fragments() -> list[str]:
    """The hostile fragments of the safety tests and the tricky ones above, each also as
    Python-Markdown converts it (what the check reads)."""
    found: list[str] = [*HOSTILE_PAGES, *TRICKY]
    for path in SAFETY_TESTS:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and "<" in node.value:
                found.append(node.value)
    # Not a lone surrogate (a test's YAML escape): no page can hold one.
    return list(dict.fromkeys(text for fragment in found if not re.search("[\ud800-\udfff]", fragment)
                              for text in (fragment, converted_html(fragment, allow_html=True))))


def random_fragments(count: int, seed: int) -> list[str]:
    pick = random.Random(seed)
    return ["".join(pick.choice(PIECES) for _ in range(pick.randint(1, 40))) for _ in range(count)]


# Where html5lib 1.1 reads by an older standard than Chromium and Lexbor: the content of a <select>
# (now kept as elements), the end tags </p> and </br> in SVG or MathML (now they leave the foreign
# content), and <isindex> (once a whole form, now an unknown element).
# tests/test_browser_tree_reading.py shows Chromium's reading there.
_BEFORE_THE_STANDARD = re.compile(r"select|isindex|(svg|math).*</\s*(p|br)", re.IGNORECASE | re.DOTALL)


def html5lib_reads_it_as_chromium(fragment: str) -> bool:
    return not _BEFORE_THE_STANDARD.search(fragment)


_PREFIXES = {"http://www.w3.org/1999/xlink": "xlink:", "http://www.w3.org/XML/1998/namespace": "xml:",
             "http://www.w3.org/2000/xmlns/": "xmlns:"}


def _qualified(name: str) -> str:
    """html5lib's `{namespace}local` as the DOM's Attr.name: `xlink:href`, `xmlns`."""
    if not name.startswith("{"):
        return name
    namespace, local = name[1:].split("}", 1)
    return "xmlns" if local == "xmlns" else _PREFIXES[namespace] + local


def html5lib_reading(html: str) -> tuple[list[sanitize.Element], bool]:
    """The reading the check made before Lexbor, with html5lib, attributes named as in the DOM."""
    parser = html5lib.HTMLParser(namespaceHTMLElements=False)
    end = sanitize._END
    document = parser.parse(f"<!DOCTYPE html><html><head></head><body><main><div>{html}<{end}></{end}>")
    elements: list[sanitize.Element] = []
    ended = wrapped = False
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue  # a comment
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == end:
            ended = True
        elif tag == "div" and not wrapped:
            wrapped = True
        elif tag not in ("html", "head", "body", "main") or element.attrib:
            elements.append((tag, [(_qualified(name), value) for name, value in element.attrib.items()]))
    return elements, ended


# The reading in Chromium: DOMParser parses with scripting off, as the check does.
CHROMIUM_READING = """(pages) => pages.map((page) => {
  const elements = [];
  const walk = (node) => {
    for (let child = node.firstElementChild; child; child = child.nextElementSibling) {
      elements.push([child.localName, Array.from(child.attributes, (a) => [a.name, a.value])]);
      if (child instanceof HTMLTemplateElement) walk(child.content);
      walk(child);
    }
  };
  walk(new DOMParser().parseFromString(page, 'text/html'));
  return elements;
})"""


def page(fragment: str) -> str:
    """`fragment` inside the page the check parses it in."""
    end = sanitize._END
    return f"<!DOCTYPE html><html><head></head><body><main><div>{fragment}<{end}></{end}>"


def reading_of(elements: list[tuple[str, list[list[str]]]]) -> tuple[list[sanitize.Element], bool]:
    """A reading from the page's elements as Chromium lists them."""
    found: list[sanitize.Element] = []
    ended = wrapped = False
    for tag, attributes in elements:
        if tag == sanitize._END:
            ended = True
        elif tag == "div" and not wrapped:
            wrapped = True
        elif tag not in ("html", "head", "body", "main") or attributes:
            found.append((tag, [(name, value) for name, value in attributes]))
    return found, ended
