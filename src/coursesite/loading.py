"""Read course files: safe YAML that remembers where every value came from, and Markdown pages.

YAML is composed into nodes (never constructed into objects), so no tag can run code, and
every plain scalar is kept as the text the instructor wrote: the model, not YAML 1.1's
implicit typing, decides whether `0123`, `NO` or `3.10` is a number, a boolean or a string.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from coursesite.errors import Report

try:  # The C composer is several times faster and keeps the same node marks.
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - pyyaml built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

MAX_FILE_BYTES = 2_000_000
# Python-Markdown converts about 0.2 MB a second (far less for text full of entities; the check's
# HTML readings are many times faster): a page this long, some fifty printed pages, still checks
# in seconds (benchmarks/hostile_input.py).
MAX_PAGE_BYTES = 250_000
MAX_DEPTH = 60
MAX_NODES = 200_000

Location = tuple[int, int]
PathKey = tuple[str | int, ...]

_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "tag:yaml.org,2002:merge",
    "tag:yaml.org,2002:value",
}
_NULLS = {"", "~", "null", "Null", "NULL"}
_STR, _NULL = "tag:yaml.org,2002:str", "tag:yaml.org,2002:null"


class _Loader(_SafeLoader):
    """The safe loader, which tells a plain scalar's tag only as far as `_convert` reads it.

    Values are kept as the text written (the models read numbers, dates and booleans from it):
    of the tags YAML 1.1 resolves for a plain scalar, only null matters, and it is what the safe
    resolver gives exactly for the `_NULLS`. Every other plain scalar is a string here, where the
    safe resolver would try the patterns of numbers, booleans and dates on each.
    """

    def resolve(self, kind: type[yaml.Node], value: str, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode and implicit[0]:
            return _NULL if value in _NULLS else _STR
        return super().resolve(kind, value, implicit)  # type: ignore[no-untyped-call,no-any-return]


@dataclass
class SourceMap:
    """Where each value (and each mapping key) of one file stands, by its path in the data."""

    path: Path
    values: dict[PathKey, Location] = field(default_factory=dict)
    keys: dict[PathKey, Location] = field(default_factory=dict)
    line_offset: int = 0

    def locate(self, loc: PathKey, *, key: bool = False) -> Location:
        """The position of `loc`, or of its nearest ancestor that has one."""
        loc = tuple(loc)
        if key and loc in self.keys:
            return self.keys[loc]
        while loc:
            if loc in self.values:
                return self.values[loc]
            loc = loc[:-1]
        return self.values.get((), (1 + self.line_offset, 1))


@dataclass
class YamlDocument:
    """Plain data from one YAML file, with its source map."""

    data: Any
    source: SourceMap


class _Budget(Exception):
    """The document is too large or too deep to be a course file."""


def read_text(path: Path, report: Report, limit: int = MAX_FILE_BYTES) -> str | None:
    """Read a UTF-8 file (a BOM is allowed); report and return None when it cannot be read.

    The size is checked before reading, and only regular files are read: a course file that
    is a 20 MB log, a FIFO or a link to /dev/zero gives an error, not a hang.
    """
    what = "Markdown pages" if limit == MAX_PAGE_BYTES else "course files"
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            report.error(path, 1, 1, "is not a regular file; course files are plain text files")
            return None
        size = info.st_size
        if size <= limit:
            with path.open("rb") as file:
                raw = file.read(limit + 1)
                size = len(raw)  # a file that grew after the check is not read on
    except OSError as exc:
        report.error(path, 1, 1, cannot_read(exc))
        return None
    if size > limit:
        report.error(path, 1, 1, f"file is {size:,} bytes; {what} must be under {limit:,} bytes"
                     + ("; split it into several pages" if limit == MAX_PAGE_BYTES else ""))
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        report.error(path, line, col, f"file is not valid UTF-8 (byte 0x{raw[exc.start]:02x}); "
                     "save it with UTF-8 encoding")
        return None


def cannot_read(exc: OSError) -> str:
    """The message for a file or folder that cannot be read, such as 'cannot read: permission denied'."""
    return f"cannot read: {(exc.strerror or str(exc)).lower()}"


def list_folder(folder: Path, report: Report) -> list[Path] | None:
    """The entries of `folder`, sorted; None, with an error, when it cannot be read.

    Path.iterdir and Path.glob would raise, or (glob) find nothing at all, in a folder that
    cannot be read: its files would vanish from the site without a word.
    """
    try:
        return sorted(folder / name for name in os.listdir(folder))
    except OSError as exc:
        report.error(folder, 1, 1, cannot_read(exc))
        return None


def link_problem(path: Path, root: Path, where: str) -> str | None:
    """Why `path` may not be used: a symbolic link loop, or a link that leads outside `root`.

    Links that stay inside `root` are fine (slides/latest.pdf -> week3.pdf). `where` names
    `root` for the message, such as "the course folder". A missing path is no problem here.
    """
    try:
        resolved = path.resolve(strict=True)
    except FileNotFoundError:
        return None
    except PermissionError as exc:  # a folder on the way cannot be searched
        return f"cannot be read: {(exc.strerror or str(exc)).lower()}"
    except (RuntimeError, OSError):  # RuntimeError: Python 3.11 and 3.12 report loops so
        return "is a symbolic link loop; replace the link with the file itself"
    root = root.resolve()
    if resolved != root and root not in resolved.parents:
        return f"is a symbolic link to {resolved}, outside {where}; copy the file in instead"
    return None


def load_yaml(path: Path, report: Report) -> YamlDocument | None:
    """Load one YAML file; syntax problems go to `report` and give None."""
    text = read_text(path, report)
    if text is None:
        return None
    return parse_yaml(text, path, report)


def parse_yaml(text: str, path: Path, report: Report, line_offset: int = 0) -> YamlDocument | None:
    """Parse YAML text; `line_offset` shifts positions when the text sits inside a larger file."""
    source = SourceMap(path, line_offset=line_offset)
    try:
        node = yaml.compose(text, Loader=_Loader)  # noqa: S506 - compose builds no objects
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.problem == "could not find expected ':'" and exc.context_mark:
            mark = exc.context_mark  # the line that lacks its ':', not the line after it
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        at = text.splitlines()[line - 1][col - 1: col] if mark and line <= len(text.splitlines()) else ""
        report.error(path, line + line_offset, col, _syntax_message(exc, at == "\t"))
        return None
    except yaml.YAMLError as exc:
        report.error(path, 1 + line_offset, 1, f"YAML error: {exc}")
        return None
    except RecursionError:
        report.error(path, 1 + line_offset, 1, "YAML document is nested too deeply")
        return None
    if node is None:
        return YamlDocument(None, source)
    counter = [0]
    errors_before = len(report.errors)
    try:
        data = _convert(node, (), source, report, counter, 0)
    except _Budget as exc:
        report.error(path, 1 + line_offset, 1, str(exc))
        return None
    if len(report.errors) > errors_before:  # a refused tag or key: validating would only add noise
        return None
    return YamlDocument(data, source)


# What an instructor can do about the syntax errors met most often.
_SYNTAX_HINTS = {
    "mapping values are not allowed": "put a value that contains ': ' in quotes, such as "
                                      "title: \"Policies: late work\"",
    "could not find expected ':'": "each line of a mapping is 'key: value'; is a ':' missing?",
    "did not find expected key": "check the indentation: this line must line up with the other keys "
                                 "of its mapping",
    "did not find expected '-' indicator": "check the indentation: this line must line up with the "
                                           "other items of its list",
}


def _syntax_message(exc: yaml.MarkedYAMLError, at_tab: bool) -> str:
    problem, context = exc.problem or "invalid YAML", exc.context
    if problem.startswith("but ") and context:  # "expected a single document ..., but found ..."
        problem, context = f"{context}, {problem}", None
    message = f"YAML syntax error: {problem}"
    if at_tab or "tab" in problem.lower():
        return message + " (indent with spaces, not tabs)"
    if context and context not in problem:
        message += f" ({context})"
    hint = next((hint for start, hint in _SYNTAX_HINTS.items() if problem.startswith(start)), None)
    return f"{message}; {hint}" if hint else message


def _convert(node: yaml.Node, path: PathKey, source: SourceMap, report: Report,
             counter: list[int], depth: int) -> Any:
    """The plain data of `node` at `path`, each value's and key's position put into `source`."""
    counter[0] += 1
    if counter[0] > MAX_NODES:
        raise _Budget(f"YAML document has more than {MAX_NODES:,} values (an alias bomb?); "
                      "course files are far smaller")
    if depth > MAX_DEPTH:
        raise _Budget(f"YAML document is nested more than {MAX_DEPTH} levels deep")
    mark = node.start_mark
    line, col = mark.line + 1 + source.line_offset, mark.column + 1
    source.values[path] = (line, col)
    if node.tag not in _STANDARD_TAGS:
        _refuse_tag(node.tag, source, report, line, col)
        return None
    if isinstance(node, yaml.ScalarNode):
        # A plain scalar's style is None in PyYAML and '' in libyaml's composer.
        if not node.style and node.value in _NULLS and node.tag != _STR:
            return None
        return node.value
    # Most values are scalars of a standard tag: taken here, as the call above would take them,
    # rather than by a call each (a course has thousands).
    values, offset, child_depth = source.values, source.line_offset, depth + 1
    inline = child_depth <= MAX_DEPTH
    if isinstance(node, yaml.SequenceNode):
        items: list[Any] = []
        for i, item in enumerate(node.value):
            if inline and type(item) is yaml.ScalarNode and item.tag in _STANDARD_TAGS and counter[0] < MAX_NODES:
                counter[0] += 1
                mark = item.start_mark
                values[(*path, i)] = (mark.line + 1 + offset, mark.column + 1)
                items.append(None if not item.style and item.value in _NULLS and item.tag != _STR else item.value)
            else:
                items.append(_convert(item, (*path, i), source, report, counter, child_depth))
        return items
    result: dict[str, Any] = {}
    for key_node, value_node in node.value:
        mark = key_node.start_mark
        kline, kcol = mark.line + 1 + offset, mark.column + 1
        if not isinstance(key_node, yaml.ScalarNode):
            report.error(source.path, kline, kcol, "a mapping key must be a plain name")
            continue
        key = key_node.value
        if key == "<<":
            report.error(source.path, kline, kcol, "YAML merge keys ('<<') are not supported; "
                         "write the fields out")
            continue
        if key in result:
            first = source.keys[(*path, key)]
            report.error(source.path, kline, kcol,
                         f"duplicate key '{key}' (first defined at line {first[0]})")
            continue
        where = (*path, key)
        source.keys[where] = (kline, kcol)
        if (inline and type(value_node) is yaml.ScalarNode and value_node.tag in _STANDARD_TAGS
                and counter[0] < MAX_NODES):
            counter[0] += 1
            mark = value_node.start_mark
            values[where] = (mark.line + 1 + offset, mark.column + 1)
            result[key] = (None if not value_node.style and value_node.value in _NULLS and value_node.tag != _STR
                           else value_node.value)
        else:
            result[key] = _convert(value_node, where, source, report, counter, child_depth)
    return result


def _refuse_tag(tag: str, source: SourceMap, report: Report, line: int, col: int) -> None:
    if tag.startswith("tag:yaml.org,2002:"):
        report.error(source.path, line, col,
                     f"YAML tag '!!{tag.removeprefix('tag:yaml.org,2002:')}' is not allowed; write a plain value")
    else:
        report.error(source.path, line, col, f"YAML tag '{tag}' is not allowed; write a plain value")
