"""A text converted again for its links is kept by the links it got (markup._rewritten): the same
HTML as converting it with the page's own rewriter, and never another page's links or words."""

from __future__ import annotations

from pathlib import Path

from conftest import REPO
from coursesite.errors import Report
from coursesite.formatting import formats_for
from coursesite.markdown_links import CourseLinks
from coursesite.markup import LinkRewriter, _convert, _converter, forget_conversions, render_markdown
from coursesite.sanitize import sanitized
from coursesite.site import load_course


def _converted_with(text: str, rewrite: LinkRewriter, allow_html: bool) -> str:
    """What render_markdown did before: convert the text with the rewriter itself."""
    converter, rewriter = _converter(allow_html)
    converter.reset()
    rewriter.rewrite_link = rewrite
    try:
        return sanitized(_convert(converter, text))
    finally:
        rewriter.rewrite_link = None


def test_the_reference_pages_come_out_as_converting_them_with_their_rewriter() -> None:
    compared = 0
    for folder in sorted((REPO / "courses").iterdir()):
        course = load_course(folder, Report())
        assert course is not None
        links = CourseLinks(course)
        for page in course.pages:
            for path in (f"{course.slug}/{page.name}.html", f"{course.slug}/syllabus.html", "elsewhere/a/b.html"):
                rewrite = links.rewriter(links.pages_folder, path)
                assert str(render_markdown(page.body, allow_html=True, rewrite_link=rewrite)) == \
                    _converted_with(page.body, rewrite, allow_html=True)
                compared += 1
    assert compared >= 9  # three pages, each on three pages


def test_other_links_or_another_language_are_not_taken_from_what_was_kept() -> None:
    text = "See [the slides](slides.pdf), [the policies](policies.md) and ![a plot](plot.png)."
    ways: list[LinkRewriter] = [
        lambda url: None,  # nothing posted yet
        lambda url: f"files/{url}",
        lambda url: None if url.endswith(".png") else f"../{url}",
        lambda url: url,
    ]
    forget_conversions()
    for language in ("en", "de", "fr", "en"):
        with formats_for(language):
            for rewrite in ways + ways:
                assert str(render_markdown(text, rewrite_link=rewrite)) == _converted_with(text, rewrite, False)
    with formats_for("de"):
        assert "noch nicht" in str(render_markdown(text, rewrite_link=ways[0]))


def test_a_page_is_the_same_whatever_was_converted_before(tmp_path: Path) -> None:
    text = "[one](a.md) [two](b.md)"
    first = str(render_markdown(text, rewrite_link=lambda url: url.replace(".md", ".html")))
    render_markdown(text, rewrite_link=lambda url: None)
    forget_conversions()
    assert str(render_markdown(text, rewrite_link=lambda url: url.replace(".md", ".html"))) == first
