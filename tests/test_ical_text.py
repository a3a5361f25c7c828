"""Text for calendar feeds: cleaning, RFC 5545 escaping and folding, one function at a time.

tests/test_ical_injection.py drives the same through a real build and three readers.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from coursesite.ical_text import FeedText, feed_line, feed_text, feed_uri, fold_line


@pytest.mark.parametrize(("text", "expected"), [
    ("Plain text, as written; kept", "Plain text, as written; kept"),
    ("a\r\nb\rc\nd\ve\ff\x85g\u2028h\u2029i", "a\nb\nc\nd\ne\nf\ng\nh\ni"),
    ("a\x00b\x1bc\x1cd\x1de\x1ef\x1fg\x7fh\x80i\x9bj", "abcdefghij"),
    ("tab\tand non-breaking\u00a0space, zero\u200bwidth", "tab\tand non-breaking\u00a0space, zero\u200bwidth"),
    ("lone \ud800 surrogate", "lone  surrogate"),
])
def test_feed_text_keeps_line_breaks_as_newlines_and_drops_other_controls(text: str, expected: str) -> None:
    assert feed_text(text) == expected


def test_feed_line_joins_lines_with_single_spaces() -> None:
    assert feed_line("Deep\n  Learning\r\n\r\nII\u2028") == "Deep Learning II"
    assert feed_line("  kept  as is  ") == "  kept  as is  "


def test_feed_uri_has_no_control_characters_or_line_breaks() -> None:
    assert feed_uri("https://example.org/a\r\nb\x85c\x00#d") == "https://example.org/abc#d"


@pytest.mark.parametrize(("text", "escaped"), [
    ("a, b; c", r"a\, b\; c"),
    ("C:\\New\\notes", r"C:\\New\\notes"),  # icalendar's vText writes C:\new: a line break
    ("one\ntwo", r"one\ntwo"),
    ("\\N and \\n", r"\\N and \\n"),
])
def test_feed_text_is_escaped_as_rfc_5545_says(text: str, escaped: str) -> None:
    assert FeedText(text).to_ical() == escaped.encode()


@settings(max_examples=500, deadline=None)
@given(line=st.text(alphabet=st.sampled_from("aZ9 :;\\^é中😀"), max_size=300) | st.text(max_size=200))
@example(line="X" * 74 + "é")
@example(line="X" * 73 + "😀" * 3)
@example(line="X" * 73 + "\\n" + "Y" * 100)
def test_folded_lines_are_at_most_75_octets_whole_characters_and_unfold_to_the_line(line: str) -> None:
    line = line.replace("\r", "").replace("\n", "")
    folded = fold_line(line).encode()
    physical = folded.split(b"\r\n")
    assert all(len(part) <= 75 for part in physical)
    assert all(part.startswith(b" ") for part in physical[1:])
    assert [part.decode() for part in physical]  # no UTF-8 sequence cut in two
    assert b"".join([physical[0], *(part[1:] for part in physical[1:])]).decode() == line
