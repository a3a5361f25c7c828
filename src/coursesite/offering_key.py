"""Whether a course.yaml names `offering_of`, told from its text without loading the YAML.

The build cache (stored_builds.py) and the offerings scan (offerings.py) both ask before loading
every course: the course.yaml of `coursesite new` mentions offering_of in a comment, and loading
every course's YAML to find none took a second at 1,000 courses.
"""

from __future__ import annotations

import re

_COMMENT_LINE = re.compile(r"(?m)^[ \t]*#.*$")


def without_comment_lines(text: str) -> str:
    """`text` without the lines that start with '#': comments (or text inside a block), never a key."""
    return _COMMENT_LINE.sub("", text)


def mentions_offering_of(text: str) -> bool:
    """Whether `text` names offering_of outside lines that start with '#'."""
    return "offering_of" in text and "offering_of" in without_comment_lines(text)
