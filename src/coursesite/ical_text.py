"""Text on its way into a calendar feed: control characters out, RFC 5545 escapes, folding.

Course files may hold any Unicode. In a feed, a raw CR would start a new content line (a title
could inject an event), and characters such as NEL, U+2028 or a form feed make strict parsers
reject the calendar and `str.splitlines()` readers split a line. So every text value goes
through `feed_text` (or `feed_line` for names that must stay on one line), and is written with
`escape_text`, whose escaping is RFC 5545's and nothing more.
"""

from __future__ import annotations

import re

# Unicode's mandatory line breaks (UAX #14: BK, CR, LF, NL) mean "new line" to the author.
_LINE_BREAK = re.compile("\r\n|[\r\v\f\x85\u2028\u2029]")
# Every other control character (C0 but tab and LF, DEL, C1), and lone surrogates, which have no
# UTF-8 form.
_UNWRITABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_TEXT_ESCAPES = {"\\": "\\\\", ";": "\\;", ",": "\\,", "\n": "\\n"}
_TEXT_SPECIAL = re.compile(r"[\\;,\n]")


def feed_text(value: str) -> str:
    """`value` with its line breaks as "\\n" and no other control characters."""
    if value.isprintable():  # the usual case, and nothing to do
        return value
    return _UNWRITABLE.sub("", _LINE_BREAK.sub("\n", value))


def feed_line(value: str) -> str:
    """`feed_text(value)` on one line: its lines joined by single spaces (for names)."""
    text = feed_text(value)
    if "\n" not in text:
        return text
    return " ".join(line.strip() for line in text.split("\n") if line.strip())


def feed_uri(value: str) -> str:
    """`value` without control characters or line breaks, which no URI may hold."""
    return _UNWRITABLE.sub("", _LINE_BREAK.sub("", value)).replace("\n", "")


def escape_text(value: str) -> str:
    """A TEXT value escaped as RFC 5545 says: backslash, semicolon, comma and newline.

    (icalendar's own vText also reads a literal backslash-N as a line break, so a title such as
    `C:\\New` would come back as two lines.)
    """
    return _TEXT_SPECIAL.sub(lambda match: _TEXT_ESCAPES[match.group()], value)


class FeedText(str):
    """A text whose `to_ical()` is its escaped form, as bytes (icalendar's name for it)."""

    def to_ical(self) -> bytes:
        return escape_text(self).encode()


_FOLD_OCTETS = 74  # icalendar folds before the character that would make a line 75 octets


def fold_line(line: str) -> str:
    """One content line folded as icalendar folds it (RFC 5545: lines under 75 octets).

    Each physical line holds at most 74 octets after its leading space, cut between characters,
    never inside a UTF-8 sequence. Like icalendar, it does not cut just after a backslash or caret,
    which would split an escape. tests/test_ical_golden.py compares the two.
    """
    data = line.encode()
    if len(data) <= _FOLD_OCTETS:
        return line
    parts, start = [], 0
    while len(data) - start > _FOLD_OCTETS:
        end = start + _FOLD_OCTETS
        while data[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: back to its lead byte
            end -= 1
        if data[end - 1] in b"\\^" and end - start > 1:
            end -= 1
        parts.append(data[start:end])
        start = end
    parts.append(data[start:])
    return "\r\n ".join(part.decode() for part in parts)
