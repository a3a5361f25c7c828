"""What raw HTML may do in a course: the allowlist, the sanitizer that publishes it, and the report.

Markdown pages (`pages/*.md`) may embed raw HTML. What is published is never the author's bytes
but what the nh3 (ammonia) sanitizer re-serialized from them: only the elements, attributes, CSS
properties and links allowed below survive, so no spelling of script can reach a browser however
a parser reads it. `html_problems` tells the author what the sanitizer removes, with the messages
`check` prints: an error for what could run script (as before), a `removed-html` warning for the
rest. It reads the HTML twice, with a WHATWG tree builder and with a plain tokenizer that keeps
every tag wherever it stands (inside <select>, <template>, <svg>, ...), so that a construct the
two readings disagree on is still reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import nh3

from coursesite.html_tree import END as _END  # noqa: F401 - the tests read the marker here
from coursesite.html_tree import Element
from coursesite.html_tree import token_reading as _token_reading
from coursesite.html_tree import tree_reading as _tree_reading

SAFE_SCHEMES = ("http", "https", "mailto")

_TEXT = {"a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "cite", "code", "data", "dd", "del",
         "dfn", "div", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "ins", "kbd",
         "li", "mark", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "small", "span",
         "strong", "sub", "sup", "time", "u", "ul", "var", "wbr", "section", "article", "aside",
         "header", "footer", "nav", "address", "center"}
_TABLES = {"table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td"}
_MEDIA = {"img", "picture", "figure", "figcaption", "iframe", "video", "audio", "source", "track",
          "details", "summary"}
ALLOWED_TAGS = frozenset(_TEXT | _TABLES | _MEDIA)
# Removed with what they contain: their content is script, style, or text that a browser reads
# differently from a sanitizer (the usual ground of mutation XSS).
_REMOVED_WITH_CONTENT = frozenset({"script", "style", "template", "noscript", "noembed", "noframes",
                                   "xmp", "plaintext", "textarea", "title", "select", "svg", "math",
                                   "object", "embed", "applet", "frameset"})
GLOBAL_ATTRIBUTES = frozenset({"class", "id", "title", "lang", "dir", "style"})
ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    "a": frozenset({"href", "hreflang", "download", "target"}),  # target: only _blank (see below)
    "img": frozenset({"src", "alt", "width", "height", "loading", "decoding", "srcset", "sizes"}),
    "iframe": frozenset({"src", "width", "height", "allow", "allowfullscreen", "loading",
                         "referrerpolicy", "frameborder", "sandbox"}),
    "video": frozenset({"src", "poster", "controls", "width", "height", "muted", "loop", "playsinline",
                        "preload", "autoplay"}),
    "audio": frozenset({"src", "controls", "muted", "loop", "preload"}),
    "source": frozenset({"src", "srcset", "type", "media", "sizes", "width", "height"}),
    "track": frozenset({"src", "kind", "srclang", "label", "default"}),
    "details": frozenset({"open"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "li": frozenset({"value"}),
    "table": frozenset({"border", "cellpadding", "cellspacing", "width", "summary"}),
    "tr": frozenset({"align", "valign"}),
    "td": frozenset({"colspan", "rowspan", "headers", "align", "valign", "width", "nowrap"}),
    "th": frozenset({"colspan", "rowspan", "headers", "scope", "abbr", "align", "valign", "width", "nowrap"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "time": frozenset({"datetime"}),
    "data": frozenset({"value"}),
    "blockquote": frozenset({"cite"}),
    "q": frozenset({"cite"}),
    "del": frozenset({"cite", "datetime"}),
    "ins": frozenset({"cite", "datetime"}),
}
# CSS a page may keep in a style attribute: colours, text and box sizes. Nothing that takes an
# element out of the flow (position, float, transform, negative margins) to draw over the page,
# and no property that loads a URL.
STYLE_PROPERTIES = frozenset({
    "color", "background-color", "text-align", "vertical-align", "font-weight", "font-style",
    "font-size", "font-family", "text-decoration", "white-space", "width", "max-width", "min-width",
    "height", "padding", "padding-top", "padding-right", "padding-bottom", "padding-left",
    "border", "border-top", "border-right", "border-bottom", "border-left", "border-color",
    "border-style", "border-width", "border-collapse", "border-spacing", "list-style-type"})
# The theme's classes that take an element out of the flow (static/style.css): with an allowed
# width and height, a page could use one to draw over the whole site.
THEME_POSITIONED_CLASSES = frozenset({"skip-link"})
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
REMOVED = "removed-html"


@dataclass(frozen=True)
class HtmlProblem:
    """Something in rendered Markdown that could run script, or that the sanitizer removes.

    `needle` is the text that shows where it is, as a browser reads the source (entities
    decoded, whitespace dropped, lower case), such as 'onerror=' or 'javascript:'; empty for
    "at the end". `code` is '' for an error, else the warning's code.
    """

    message: str
    needle: str
    code: str = ""
    fix: str = ""  # for a warning whose fix is not its code's usual one (errors.WARNING_FIXES)


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


def protocol_relative(url: str) -> bool:
    """Whether a browser reads `url` as `//host/...`: another host, whatever the page's scheme.

    Browsers read a backslash as a slash in http(s) URLs and drop tabs and newlines, so
    `\\\\evil.example/x`, `/\\evil.example` and `/\\t/evil.example` are all `//evil.example`.
    """
    cleaned = re.sub(r"^[\x00-\x20]+", "", re.sub(r"[\t\n\r]", "", url))
    return len(cleaned) >= 2 and cleaned[0] in "/\\" and cleaned[1] in "/\\"


def url_refused(url: str) -> str | None:
    """Why a link may not be published, or None: an unsafe scheme or another host without one."""
    scheme = unsafe_url(url)
    if scheme:
        return (f"link '{url[:60]}' uses '{scheme}:'; only http, https, mailto and relative links "
                "are allowed")
    if protocol_relative(url):
        return (f"link '{url[:60]}' leads to another host without a scheme (a browser reads '\\' as "
                "'/'); write https://")
    return None


# ---- the sanitizer ---------------------------------------------------------------------------


def _keep_attribute(tag: str, name: str, value: str) -> str | None:
    """nh3's last word on an attribute it allows: links must be safe, frames https, and a link may
    open only a new tab (browsers give `_blank` no handle on this page)."""
    if name == "target" and value != "_blank":
        return None
    if name == "class":
        kept = [word for word in value.split() if word not in THEME_POSITIONED_CLASSES]
        return " ".join(kept) if kept else None
    if name in _URL_ATTRIBUTES:
        candidates = _srcset_urls(value) if name == "srcset" else [value]
        if any(url_refused(url) for url in candidates):
            return None
        if tag == "iframe" and name == "src" and not _is_https(value):
            return None
    return value


def _is_https(url: str) -> bool:
    return re.sub(r"[\x00-\x20]", "", url).lower().startswith("https://")


def _srcset_urls(value: str) -> list[str]:
    return [part.strip().split(" ")[0] for part in value.split(",") if part.strip()]


@lru_cache(maxsize=1)
def _cleaner() -> nh3.Cleaner:
    attributes = {tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()}
    attributes["*"] = set(GLOBAL_ATTRIBUTES)
    return nh3.Cleaner(tags=set(ALLOWED_TAGS), clean_content_tags=set(_REMOVED_WITH_CONTENT),
                       attributes=attributes, attribute_filter=_keep_attribute, link_rel=None,
                       url_schemes=set(SAFE_SCHEMES), filter_style_properties=set(STYLE_PROPERTIES),
                       strip_comments=True)


@lru_cache(maxsize=8192)
def sanitized(html: str) -> str:
    """`html` as published: what the allowlist sanitizer re-serialized from it."""
    return _cleaner().clean(html)


# ---- the report ------------------------------------------------------------------------------


def html_problems(html: str, *, prose: bool = False) -> list[HtmlProblem]:
    """What the sanitizer removes from an HTML fragment (a page body), or what could run script;
    in reading order. With `prose` (Markdown from a YAML field, where raw HTML is text), the
    attributes an attribute list (`{: ...}`) may add are only class and id."""
    return list(_html_problems(html, prose))


def forget() -> None:
    """Drop the memoised reports and sanitized fragments (see forget_conversions in markup.py)."""
    _html_problems.cache_clear()
    sanitized.cache_clear()


@lru_cache(maxsize=1024)
def _html_problems(html: str, prose: bool) -> tuple[HtmlProblem, ...]:
    return _report(_tree_reading(html), html, prose)


def _report(tree: tuple[list[Element], bool], html: str, prose: bool) -> tuple[HtmlProblem, ...]:
    """The problems of `html` from its tree reading (the elements, whether it ends cleanly) and its
    token reading; the tests give it other parsers' tree readings to compare."""
    elements, ended = tree
    elements = elements + _token_reading(html)
    found: dict[HtmlProblem, None] = {}
    for tag, attributes in elements:
        for problem in _element_problems(tag, attributes, prose):
            found.setdefault(problem)
    if not ended:
        found.setdefault(HtmlProblem("the HTML does not end cleanly: an unclosed tag, attribute, "
                                     "comment, <textarea> or <style> would swallow the rest of the "
                                     "page; close it", ""))
    return tuple(found)


def _element_problems(tag: str, attributes: list[tuple[str, str]], prose: bool) -> list[HtmlProblem]:
    tag = tag.lower()
    problems = []
    if tag in _ELEMENTS:
        problems.append(HtmlProblem(_ELEMENTS[tag], f"<{tag}"))
    elif tag not in ALLOWED_TAGS and not prose and tag not in ("html", "head", "body"):
        problems.append(_removed_element(tag))
    for name, value in attributes:
        problems.extend(_attribute_problems(tag, _local(name).lower(), value, prose))
    return problems


def _removed_element(tag: str) -> HtmlProblem:
    if tag == "style":
        return HtmlProblem("<style> is removed: a page may not restyle the whole site", "<style", REMOVED,
                           "use a style attribute (colours, sizes, borders) or the theme's classes")
    how = " with its content" if tag in _REMOVED_WITH_CONTENT else ""
    return HtmlProblem(f"<{tag}> is not allowed in a page: the sanitizer removes it{how}", f"<{tag}", REMOVED)


def _attribute_problems(tag: str, name: str, value: str, prose: bool) -> list[HtmlProblem]:
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
    problems = []
    if name in _URL_ATTRIBUTES or name.endswith(":href"):
        for url in _srcset_urls(value) if name == "srcset" else [value.strip()]:
            refused = url_refused(url)
            if refused:
                scheme = unsafe_url(url)
                problems.append(HtmlProblem(refused, f"{scheme}:" if scheme else "".join(url.split()).lower()))
        if problems:
            return problems
    if prose:
        return _prose_attribute_problems(tag, name, value)
    if tag not in ALLOWED_TAGS:
        return []  # the element goes, and its attributes with it
    if name not in GLOBAL_ATTRIBUTES and name not in ALLOWED_ATTRIBUTES.get(tag, ()):
        return [HtmlProblem(f"attribute '{name}' on <{tag}> is not allowed in a page: the sanitizer "
                            "removes it", attribute, REMOVED)]
    positioned = sorted(set(value.split()) & THEME_POSITIONED_CLASSES) if name == "class" else []
    if positioned:
        return [HtmlProblem(f"class '{positioned[0]}' on <{tag}> is removed: the theme places it over the "
                            "page", attribute, REMOVED, "use another class name")]
    if name == "target" and value != "_blank":
        return [HtmlProblem(f"target='{value[:40]}' on <{tag}> is removed", attribute, REMOVED,
                            'write target="_blank", or leave it out')]
    if tag == "iframe" and name == "src" and not _is_https(value):
        return [HtmlProblem(f"<iframe> shows only https:// pages: the sanitizer removes src='{value[:60]}'",
                            attribute, REMOVED, 'write src="https://..."')]
    if name == "style":
        dropped = [p for p in _style_properties(value) if p not in STYLE_PROPERTIES]
        if dropped:
            return [HtmlProblem(f"CSS {', '.join(repr(p) for p in dropped)} in a style attribute on "
                                f"<{tag}> is removed", attribute, REMOVED, "keep to colours, fonts, text "
                                "alignment, widths, heights, padding and borders")]
    return []


# What Python-Markdown itself writes in prose (links, images, footnotes, table alignment,
# numbered lists, heading anchors); an attribute list may add only class and id.
_PROSE_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "abbr": {"title"},
                     "ol": {"start"}}
_TABLE_ALIGNMENT = re.compile(r"text-align:\s*(left|right|center);?")


def _prose_attribute_problems(tag: str, name: str, value: str) -> list[HtmlProblem]:
    if name == "class" and set(value.split()) & THEME_POSITIONED_CLASSES:
        return [HtmlProblem(f"class '{value}' on <{tag}> is not allowed in YAML text: the theme places it "
                            "over the page; use another class name", "class=")]
    if name in ("class", "id") or name in _PROSE_ATTRIBUTES.get(tag, ()):
        return []
    if name == "style" and tag in ("th", "td") and _TABLE_ALIGNMENT.fullmatch(value.strip()):
        return []
    if name == "style":
        return [HtmlProblem(f"'style' on <{tag}> is not allowed in YAML text (it could draw over the "
                            "page); an attribute list ({: ...}) may set only class and id", "style=")]
    return [HtmlProblem(f"attribute '{name}' on <{tag}> is not allowed in YAML text; an attribute list "
                        "({: ...}) may set only class and id", f"{name}=")]


def _style_properties(style: str) -> list[str]:
    return [part.split(":", 1)[0].strip().lower() for part in style.split(";") if ":" in part]


def _local(name: str) -> str:
    """`{http://www.w3.org/2000/svg}a` -> `a`: SVG and MathML elements follow the same rules."""
    return name.rsplit("}", 1)[-1]
