"""The allowlist sanitizer: a page's raw HTML is published as nh3 re-serialized it, so nothing in it
runs script however a parser reads it; the check reports what the sanitizer removes."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from coursesite.markup import converted_html, render_markdown
from coursesite.sanitize import REMOVED, html_problems, protocol_relative, url_refused
from hostile_html import HOSTILE_PAGES, JS, Q


def problems(source: str) -> list[tuple[str, str]]:
    """(warning code or '' for an error, message) the check reports for a page's source."""
    return [(p.code, p.message) for p in html_problems(converted_html(source, allow_html=True))]


def published(source: str) -> BeautifulSoup:
    """The page body as published, read by html5lib, the WHATWG parser."""
    return BeautifulSoup(str(render_markdown(source, allow_html=True)), "html5lib")


# Attributes a browser follows as addresses; in any other (a title, an alt) "javascript:" is text.
URL_ATTRIBUTES = {"href", "src", "srcset", "action", "formaction", "poster", "data", "background", "cite",
                  "ping", "xlink:href", "codebase", "longdesc", "usemap", "manifest", "lowsrc", "dynsrc"}


def script_in(soup: BeautifulSoup) -> list[str]:
    """Everything in parsed HTML that could run script: elements, handlers, script links."""
    found = [f"<{e.name}>" for e in soup.find_all(["script", "iframe", "object", "embed", "svg", "math",
                                                   "style", "template", "noscript", "select", "base"])
             if e.name != "iframe" or e.get("srcdoc") is not None]
    for element in soup.find_all(True):
        for name, value in element.attrs.items():
            text = " ".join(value) if isinstance(value, list) else value
            if name.lower().startswith("on") or name == "srcdoc":
                found.append(f"{element.name}[{name}]")
            elif name.lower() in URL_ATTRIBUTES and ("script:" in "".join(text.split()).lower()
                                                     or url_refused(text.strip())):
                found.append(f"{element.name}[{name}={text}]")
    return found


@pytest.mark.parametrize("source", HOSTILE_PAGES)
def test_every_hostile_page_is_an_error_in_the_check(source: str) -> None:
    assert [message for code, message in problems(source) if not code] != []


@pytest.mark.parametrize("source", HOSTILE_PAGES)
def test_what_is_published_of_a_hostile_page_cannot_run_script(source: str) -> None:
    soup = published(source)
    assert script_in(soup) == []
    assert JS not in soup.get_text() or soup.find(["script", "style"]) is None


def test_the_issues_examples_lose_their_handlers_and_links() -> None:
    assert str(render_markdown(f"<select><img src=x onerror={Q}></select>", allow_html=True)) == "<p></p>"
    mutation = str(render_markdown(f'<svg></p><style><a id="</style><img src=1 onerror={Q}>">',
                                   allow_html=True))
    assert "onerror" not in mutation and "<svg" not in mutation and "<style" not in mutation


ALLOWED = [
    ('<iframe src="https://www.youtube-nocookie.com/embed/abc" width="560" height="315" title="Lecture 1" '
     'allow="autoplay; encrypted-media" allowfullscreen loading="lazy" referrerpolicy="no-referrer" '
     'frameborder="0"></iframe>', "iframe"),
    ('<video controls src="lecture1.mp4" poster="poster.jpg" width="640"><source src="l1.webm" type="video/webm">'
     '<track kind="captions" src="l1.vtt" srclang="en" label="English" default></video>', "video"),
    ('<audio controls src="talk.mp3"></audio>', "audio"),
    ("<details open><summary>Hints</summary>\n\nTry **harder**.\n\n</details>", "details"),
    ('<table class="grid"><caption>Grades</caption><thead><tr><th scope="col" colspan="2">A</th></tr></thead>'
     '<tbody><tr><td rowspan="2" style="text-align: right; color: #333">1</td></tr></tbody></table>', "table"),
    ('<figure><img src="https://example.org/a.png" alt="A graph" width="300" loading="lazy">'
     '<figcaption>A graph</figcaption></figure>', "figure"),
    ('<h2 id="grading">Grading</h2> <a href="#grading">Grading</a> <a href="mailto:ta@example.edu">mail</a>', "h2"),
    ('<pre><code class="language-python">print(1)</code></pre>', "code"),
    ('<ol start="3"><li>three</li></ol><dl><dt>T</dt><dd>D</dd></dl>', "ol"),
    ('<a href="https://example.org/" target="_blank" hreflang="en">new tab</a>', "a"),
    ('<table border="1" cellpadding="4" width="100%"><tr valign="top"><td width="30%" nowrap>x</td></tr></table>',
     "table"),
    ('<p>H<sub>2</sub>O, x<sup>2</sup>, <kbd>Ctrl</kbd>, <mark>note</mark>, <abbr title="Teaching '
     'assistant">TA</abbr></p>', "abbr"),
]


@pytest.mark.parametrize(("source", "tag"), ALLOWED)
def test_html_instructors_use_is_published_whole(source: str, tag: str) -> None:
    assert problems(source) == []
    written = BeautifulSoup(source, "html5lib").find(tag)
    kept = published(source).find(tag)
    assert kept is not None and kept.attrs == written.attrs


@pytest.mark.parametrize(("source", "removed"), [
    ("<style>.note { color: red }</style>\n\n<p class=\"note\">red</p>",
     "<style> is removed: a page may not restyle the whole site"),
    ('<form><input name="q"></form>', "<form> is not allowed in a page: the sanitizer removes it"),
    ('<p data-x="1">x</p>', "attribute 'data-x' on <p> is not allowed in a page: the sanitizer removes it"),
    ('<a href="https://example.org/" target="_top">x</a>', "target='_top' on <a> is removed"),
    ('<a class="skip-link big" style="width: 100vw; height: 100vh" href="https://example.org/">Log in again</a>',
     "class 'skip-link' on <a> is removed: the theme places it over the page"),
    ('<iframe src="http://example.org/v"></iframe>', "<iframe> shows only https:// pages: the sanitizer "
     "removes src='http://example.org/v'"),
    ('<div style="position: fixed; inset: 0; color: red">Log in again</div>', "CSS 'position', 'inset' in a "
     "style attribute on <div> is removed"),
])
def test_what_the_sanitizer_removes_is_a_warning(source: str, removed: str) -> None:
    assert (REMOVED, removed) in problems(source)
    assert [message for code, message in problems(source) if not code] == []


def test_a_theme_class_that_sits_over_the_page_is_removed() -> None:
    link = published('<a class="skip-link big" href="https://example.org/">x</a> <a class="skip-link">y</a>')
    assert [a.get("class") for a in link.find_all("a")] == [["big"], None]


def test_a_style_attribute_keeps_only_the_allowed_properties() -> None:
    div = published('<div style="position: fixed; inset: 0; z-index: 9; color: red; width: 50%">x</div>').div
    assert div["style"].replace(" ", "") == "color:red;width:50%"


@pytest.mark.parametrize("url", [
    "//evil.example/x", "\\\\evil.example/x", "/\\evil.example", "\\/evil.example", "/\t/evil.example",
    " //evil.example", "/\n\\evil.example",
])
def test_backslash_and_protocol_relative_links_lead_to_another_host(url: str) -> None:
    assert protocol_relative(url)
    assert url_refused(url) is not None


@pytest.mark.parametrize("url", ["/x", "\\x", "x//y", "https://example.org//a", "#//x", "?//x"])
def test_links_on_this_host_are_not_protocol_relative(url: str) -> None:
    assert not protocol_relative(url)


@pytest.mark.parametrize("source", [
    '<a href="\\\\evil.example/x">x</a>', '<a href="/\\evil.example">x</a>', '<a href="&#92;&#92;evil.example">x</a>',
    '<a href="/&#x5C;evil.example">x</a>', '<img src="//evil.example/a.png">', "[x](/\\evil.example)",
    "[x](\\/evil.example)",
])
def test_a_page_link_to_another_host_without_a_scheme_is_an_error(source: str) -> None:
    assert any("leads to another host without a scheme" in message for code, message in problems(source)
               if not code)
    assert not [a for a in published(source).find_all(["a", "img"]) if a.get("href") or a.get("src")]


@pytest.mark.parametrize(("source", "message"), [
    ('[x](https://example.org){: style="position:fixed;inset:0" }', "'style' on <a> is not allowed in YAML text "
     "(it could draw over the page); an attribute list ({: ...}) may set only class and id"),
    ("A note.\n{: style=\"color:red\" }", "'style' on <p> is not allowed in YAML text (it could draw over the "
     "page); an attribute list ({: ...}) may set only class and id"),
    ("[x](https://example.org){: data-x=1 }", "attribute 'data-x' on <a> is not allowed in YAML text; an "
     "attribute list ({: ...}) may set only class and id"),
    ("[Log in again](https://example.org){: .skip-link }", "class 'skip-link' on <a> is not allowed in YAML "
     "text: the theme places it over the page; use another class name"),
    ("[x](https://example.org){: target=_blank }", "attribute 'target' on <a> is not allowed in YAML text; an "
     "attribute list ({: ...}) may set only class and id"),
])
def test_yaml_text_attribute_lists_set_only_class_and_id(source: str, message: str) -> None:
    found = html_problems(converted_html(source, allow_html=False), prose=True)
    assert [(p.code, p.message) for p in found] == [("", message)]


@pytest.mark.parametrize("source", [
    "[x](https://example.org){: .button #more }", "| a | b |\n|:-:|--:|\n| 1 | 2 |", "Text[^1].\n\n[^1]: Note.",
    "1. a\n\n3. b", "![i](a.png \"t\")", "*[TA]: Teaching assistant\n\nThe TA.",
])
def test_yaml_text_the_converter_writes_itself_passes(source: str) -> None:
    assert html_problems(converted_html(source, allow_html=False), prose=True) == []


# Pieces of the hostile pages and of the HTML around them, in any order: tags left open or closed
# out of turn, foreign content, raw-text elements and attribute values that look like tags.
PIECES = ["<select>", "</select>", "<svg>", "</svg>", "<math>", "<mtext>", "<mglyph>", "<style>", "</style>",
          "<template>", "</template>", "<noscript>", "</noscript>", "<textarea>", "</textarea>", "<title>",
          "</title>", "<table>", "<td>", "</p>", "<p title=\"", "\">", "<a id=\"", f"<img src=x onerror={Q}>",
          f"<details open ontoggle={Q}>", f'<a href="javascript:{JS}">x</a>', '<a href="/\\evil.example">x</a>',
          f"<iframe srcdoc={Q}>", "<!--", "-->", "<![CDATA[", "]]>", "<foreignObject>", "<desc>", "\n\n",
          "&lt;", "&#106;avascript:", "x", "<![if !supportLists]>", "<![foo[", "<!", "<?x", "</", "<div>", "</div>", "<xmp>", "</xmp>", "<plaintext>"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=14).map("".join))
def test_no_arrangement_of_hostile_pieces_is_published_with_script(source: str) -> None:
    assert script_in(published(source)) == []


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=14).map("".join))
def test_the_check_reads_any_arrangement_of_pieces(source: str) -> None:
    html_problems(converted_html(source, allow_html=True))


def test_word_conditional_comments_do_not_stop_the_check() -> None:
    assert [m for _, m in problems(f"<![if !supportLists]>1.<![endif]> <![foo[ x ]]> <img src=x onerror={Q}>")
            if "onerror" in m]
