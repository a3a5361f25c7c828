"""Plain texts skip the Markdown converter: the shortcut must give exactly what the converter gives."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from coursesite.markup import _converter, links_in, plain_paragraphs, render_markdown
from coursesite.sanitize import sanitized

# Mostly prose, with every character that could start Markdown syntax mixed in, so that the
# generated texts fall on both sides of the shortcut's boundary.
PROSE = "abcxyzAZ éß—’“”…0129 .,;:'\"?!()%$@/"
SYNTAX = "\\`*_{}[]<>&|~^#>+=-\t\r\x02\x03\u00a0\u2028"
texts = st.text(alphabet=st.sampled_from(PROSE + "\n" * 6 + SYNTAX), max_size=80)


def converted(text: str, allow_html: bool) -> str:
    converter, _ = _converter(allow_html)
    converter.reset()
    return converter.convert(text)


@settings(max_examples=3000, deadline=None)
@given(text=texts, allow_html=st.booleans())
@example(text="Office hours: Tue 3pm\n\nBring questions.", allow_html=False)
@example(text="\n\nA note.\n", allow_html=True)
@example(text="Line one\nline two", allow_html=False)
def test_plain_shortcut_gives_what_markdown_gives(text: str, allow_html: bool) -> None:
    shortcut = plain_paragraphs(text)
    if shortcut is not None:
        assert shortcut == converted(text, allow_html)
        # What the sanitizer would publish (it writes a no-break space as &nbsp;, the same text).
        assert sanitized(shortcut).replace("&nbsp;", "\xa0") == shortcut


@pytest.mark.parametrize("text", ["- a list", "1. first", "# Heading", "a *b*", "a_b", "[x](y)", "AT&T",
                                  "    code", "line  \nbreak", "Term\n: definition", "a | b", "x^2"])
def test_texts_with_markdown_syntax_go_to_the_converter(text: str) -> None:
    assert plain_paragraphs(text) is None
    assert str(render_markdown(text)) == sanitized(converted(text, False))


def test_plain_prose_takes_the_shortcut() -> None:
    assert plain_paragraphs("Week 3: bring a laptop (charged).\n\nSee you then.") == (
        "<p>Week 3: bring a laptop (charged).</p>\n<p>See you then.</p>")


LINKS = ["[a](b.pdf)", "[a](http://x.org/a b)", "![i](img/p.png)", "<https://x.org>", "[a](#top)",
         "[a](b.md#c)", "[r]\n\n[r]: files/r.pdf", "[a](b&amp;c.pdf)"]
linked_texts = st.lists(st.one_of(texts, st.sampled_from(LINKS)), max_size=6).map(" ".join)


@settings(max_examples=1500, deadline=None)
@given(text=linked_texts, allow_html=st.booleans())
def test_a_rewriter_that_changes_nothing_gives_the_converters_html(text: str, allow_html: bool) -> None:
    """Pages reuse the checker's conversion of a text when rewriting would change none of its links."""
    seen: list[str] = []

    def keep(url: str) -> str:
        seen.append(url)
        return url

    converter, rewriter = _converter(allow_html)
    converter.reset()
    rewriter.rewrite_link = keep
    try:
        expected = sanitized(converter.convert(text))
    finally:
        rewriter.rewrite_link = None
    assert str(render_markdown(text, allow_html=allow_html, rewrite_link=lambda url: url)) == (
        expected if plain_paragraphs(text) is None else plain_paragraphs(text))
    assert links_in(text, allow_html=allow_html) == (seen if plain_paragraphs(text) is None else [])
