"""What would make Markdown too slow, or too deeply nested, to convert: found before converting.

Python-Markdown's work grows with the square of some counts (each unclosed mark scans on to the
end of its paragraph; each heading, rule or list item splits off the rest of its block and
parses it again; each reference to a footnote looks at all the others), and its recursion with
nesting. Each bound below keeps a page under the size limit to a fraction of a second
(`benchmarks/hostile_input.py` times them); each is far beyond what a course page writes.
Every check scans the text once, and most return at once for a short text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

MAX_OPEN_BRACKETS = 1_000  # '[' and '](' left open in one paragraph
MAX_OPEN_BRACKETS_SQUARED = 4_000_000  # summed over a text's paragraphs
MAX_SPACE_RUN = 1_000
MAX_NESTING = 32  # levels of lists, quotes and indentation (four columns a level) on one line
# Lines squared times characters, summed over the blocks between blank lines: a rule or a heading
# inside a block splits it, and the rest is searched again by every kind of block.
MAX_BLOCK_WORK = 20_000_000_000
MAX_HEADINGS = 1_000
MAX_CODE_FENCES = 500
MAX_ANGLE_BRACKETS_SQUARED = 500_000  # '<' in one paragraph, squared, summed over paragraphs
MAX_EMPHASIS_SQUARED = 100_000_000  # '*' and '_' in one paragraph, squared, summed
MAX_HTML_DEPTH = 100  # raw HTML elements open at once
MAX_BACKTICKS_SQUARED = 1_000_000  # '`' in one paragraph, squared, summed
MAX_ABBREVIATIONS = 100
MAX_FOOTNOTE_REFERENCES = 500
MAX_DEFINITIONS = 2_000  # ': ' lines of definition lists
MAX_TABLE_CELLS = 10_000  # '|' in the whole text: the tags they make cost the script scan 30 µs each
MAX_AMPERSANDS = 20_000  # each starts a character reference the HTML parser reads slowly

_SLOW = "(so many make the Markdown converter very slow)"
_PARAGRAPH = re.compile(r"(?:[^\n]|\n(?![ \t]*\n))+")
# Container marks at a line's start: a list item, a definition, a quote. After a list mark the
# pattern needs a space, after '>' none, so a run of spaces is read one way only (no backtracking).
_CONTAINERS = re.compile(r"[ \t]*(?:(?:[-*+:]|\d{1,9}[.)])[ \t]+|>[ \t]*)")
_DEEP = re.compile(rf"^(?:[ \t]{{{4 * MAX_NESTING},}}|(?:{_CONTAINERS.pattern}){{{MAX_NESTING // 2},}})",
                   re.MULTILINE)
_FENCE = re.compile(r"(`{3,}|~{3,})")  # at the line's start, as the fenced_code extension reads it
_TABLE_RULE = re.compile(r"[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_HEADING = re.compile(r" {0,3}(?:#{1,6}(?:[ \t]|$)|=+[ \t]*$)")
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")
# Elements that need no end tag, or whose end tag the parser implies (a new <li> ends the last).
_NOT_NESTING = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                "track", "wbr", "param", "keygen", "p", "li", "dt", "dd", "tr", "td", "th", "thead",
                "tbody", "tfoot", "option", "optgroup", "rb", "rt", "rp", "colgroup", "caption",
                "html", "head", "body"}
_BLOCK_HTML = re.compile(r"[ \t]{0,3}<(?:address|article|aside|blockquote|details|div|dl|fieldset|"
                         r"figure|footer|form|h[1-6]|header|hr|iframe|math|nav|ol|p|pre|section|"
                         r"table|ul|video|audio|!--)", re.IGNORECASE)


def markdown_cost_problems(text: str) -> list[tuple[int, str]]:
    """(offset in `text`, message) for what would make Markdown `text` slow or too deep to convert."""
    if len(text) <= MAX_NESTING:
        # Every bound takes more characters to pass than this, nesting the fewest: a level takes a
        # character at least (a container mark, or a tab of indentation). Most texts of a course's
        # YAML files (titles, dates, labels) are this short.
        return []
    return _problems(text)


def _problems(text: str) -> list[tuple[int, str]]:
    problems = list(_space_runs(text))
    problems += _open_brackets(text)
    problems += _nesting(text)
    problems += _blocks(text)
    problems += _paragraph_marks(text, "<", MAX_ANGLE_BRACKETS_SQUARED, skip_html_blocks=True)
    problems += _paragraph_marks(text, "*_", MAX_EMPHASIS_SQUARED)
    problems += _paragraph_marks(text, "`", MAX_BACKTICKS_SQUARED)
    problems += _html_depth(text)
    problems += _too_many(text, "*[", _ABBREVIATION, MAX_ABBREVIATIONS, "abbreviation definitions ('*[...]:')")
    problems += _too_many(text, "[^", None, MAX_FOOTNOTE_REFERENCES, "footnote marks ('[^')")
    problems += _too_many(text, ":", _DEFINITION, MAX_DEFINITIONS, "definitions (': ' lines)")
    problems += _too_many(text, "|", None, MAX_TABLE_CELLS, "table cells ('|')")
    problems += _too_many(text, "&", None, MAX_AMPERSANDS, "'&'")
    return sorted(problems)


def _space_runs(text: str) -> Iterator[tuple[int, str]]:
    if len(text) <= MAX_SPACE_RUN:
        return
    for run in re.finditer(rf"[ \t]{{{MAX_SPACE_RUN + 1},}}", text):
        yield run.start(), (f"a run of {len(run[0]):,} spaces; shorten it (such runs make the Markdown "
                            "converter very slow)")


def _open_brackets(text: str) -> list[tuple[int, str]]:
    """'[' and a link's '](' still open at the end of a paragraph, or nested too deep in it."""
    if "[" not in text and "](" not in text:
        return []
    budget = 0
    for paragraph in _PARAGRAPH.finditer(text):
        brackets = parens = peak = 0
        for mark in re.findall(r"\]\(|[\[\])]", paragraph[0]):
            if mark == "[":
                brackets += 1
            elif mark == ")":
                parens = max(parens - 1, 0)
            else:
                brackets = max(brackets - 1, 0)
                parens += mark == "]("
            peak = max(peak, brackets + parens)
        open_brackets = brackets + parens
        budget += peak * peak
        if peak > MAX_OPEN_BRACKETS or budget > MAX_OPEN_BRACKETS_SQUARED:
            if 2 * open_brackets >= peak:  # most of them stay open
                return [(_start(paragraph), f"{open_brackets:,} '[' or '](' are never closed in this "
                         "paragraph; close them, or write \\[ for a bracket " + _SLOW)]
            return [(_start(paragraph), f"'[' nested {peak:,} deep in this paragraph; write \\[ for a "
                     "bracket " + _SLOW)]
    return []


def _nesting(text: str) -> list[tuple[int, str]]:
    """A line nested deeper than MAX_NESTING: the converter recurses once a level."""
    if _DEEP.search(text) is None:  # the common case, without a loop over the lines
        return []
    for offset, line in _lines_outside_code(text):
        indent = len(line) - len(line.lstrip(" \t"))
        columns = len(line[:indent].expandtabs(4))
        depth = columns // 4 + sum(1 for _ in _container_marks(line))
        if depth > MAX_NESTING:
            return [(offset, f"this line is nested {depth:,} levels deep (lists, quotes, definitions or "
                     f"indentation); the most is {MAX_NESTING}")]
    return []


def _container_marks(line: str) -> Iterator[int]:
    position = 0
    while match := _CONTAINERS.match(line, position):
        if match.end() == position:
            return
        position = match.end()
        yield position


def _blocks(text: str) -> list[tuple[int, str]]:
    """Blocks too long to split line by line, too many headings or code fences."""
    if len(text) < 4_000:  # too short for any of these to reach its bound
        return []
    work = headings = fences = 0
    block_start, block_lines, block_chars, table = 0, 0, 0, False
    problems: list[tuple[int, str]] = []
    fences_seen = [0]
    for offset, line in _lines_outside_code(text, fences_seen):
        if not line.strip():
            work += 0 if table else block_lines * block_lines * block_chars
            block_lines = block_chars = 0
            continue
        if block_lines == 0:
            block_start = offset
        block_lines += 1
        block_chars += len(line) + 1
        if block_lines == 2:
            table = _TABLE_RULE.match(line) is not None  # a table is read whole, row after row
        if not table and work + block_lines * block_lines * block_chars > MAX_BLOCK_WORK:
            return [(block_start, f"this block is too long ({block_lines:,} lines or more without a blank "
                     "line); put blank lines between its parts, or split the page " + _SLOW)]
        if _HEADING.match(line):
            headings += 1
            if headings > MAX_HEADINGS:
                return [(offset, f"more than {MAX_HEADINGS:,} headings; split the page " + _SLOW)]
    fences = fences_seen[0]
    if fences > MAX_CODE_FENCES:
        problems.append((0, f"{fences:,} fenced code blocks; the most is {MAX_CODE_FENCES:,}: split the "
                         "page " + _SLOW))
    return problems


def _lines_outside_code(text: str, fences_seen: list[int] | None = None) -> Iterator[tuple[int, str]]:
    """(offset, line) of each line not inside a fenced code block (whose lines are not parsed).

    A fence never closed opens no code block: its lines are parsed as any other, and yielded.
    """
    fence = ""
    inside: list[tuple[int, str]] = []  # the lines of an open fence, until it closes
    offset = 0
    for line in text.split("\n"):
        match = _FENCE.match(line)
        if fence:
            inside.append((offset, line))
            if match and match[1] == fence and not line[match.end():].strip():
                fence, inside = "", []
                if fences_seen is not None:
                    fences_seen[0] += 1
        elif match and not (match[1][0] == "`" and "`" in line[match.end():]):
            fence = match[1]
            inside = [(offset, line)]
        else:
            yield offset, line
        offset += len(line) + 1
    yield from inside


def _paragraph_marks(text: str, marks: str, budget: int, skip_html_blocks: bool = False,
                     ) -> list[tuple[int, str]]:
    """Marks that each make the converter scan on to the end of their paragraph."""
    if sum(text.count(mark) for mark in marks) ** 2 <= budget:
        return []
    spent = 0
    for paragraph in _PARAGRAPH.finditer(text):
        if skip_html_blocks and _BLOCK_HTML.match(paragraph[0].lstrip("\n")):
            continue  # raw HTML blocks are passed through whole, not scanned mark by mark
        count = sum(paragraph[0].count(mark) for mark in marks)
        spent += count * count
        if spent > budget:
            shown = " or ".join(f"'{mark}'" for mark in marks)
            return [(_start(paragraph), f"{count:,} {shown} in this paragraph; write fewer, or split "
                     "the paragraph with blank lines " + _SLOW)]
    return []


def _html_depth(text: str) -> list[tuple[int, str]]:
    """Raw HTML elements left open: each new one makes the HTML parser look through all of them."""
    if text.count("<") <= MAX_HTML_DEPTH:
        return []
    open_tags: list[str] = []
    for tag in _TAG.finditer(text):
        closing, name = tag[1], tag[2].lower()
        if name in _NOT_NESTING:
            continue
        if not closing:
            open_tags.append(name)
            if len(open_tags) > MAX_HTML_DEPTH:
                return [(tag.start(), f"more than {MAX_HTML_DEPTH} HTML elements are open at once here "
                         f"(<{name}> among them); close them, such as <{name}>...</{name}> " + _SLOW)]
        elif name in open_tags:
            del open_tags[len(open_tags) - 1 - open_tags[::-1].index(name):]
    return []


_ABBREVIATION = re.compile(r"^[ ]{0,3}\*\[[^\]\n]*\][ ]*:", re.MULTILINE)
_DEFINITION = re.compile(r"^[ ]{0,3}:[ \t]", re.MULTILINE)


def _too_many(text: str, mark: str, pattern: re.Pattern[str] | None, most: int, what: str,
              ) -> list[tuple[int, str]]:
    if text.count(mark) <= most:
        return []
    found = [m.start() for m in pattern.finditer(text)] if pattern else \
        [m.start() for m in re.finditer(re.escape(mark), text)]
    if len(found) <= most:
        return []
    return [(found[most], f"more than {most:,} {what}; the most is {most:,}: split the page " + _SLOW)]


def _start(paragraph: re.Match[str]) -> int:
    return paragraph.start() + len(paragraph[0]) - len(paragraph[0].lstrip("\n"))
