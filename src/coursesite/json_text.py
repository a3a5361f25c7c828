"""JSON text exactly as `json.dumps(data, sort_keys=True, ensure_ascii=False, indent=1)` writes
it, in half the time: with an indent, the standard library encodes in Python, through
a generator per container (issue 16: half a millisecond a course's schedule.json).

Only the plain data schedule.json holds is written here (dicts with string keys, lists, strings,
integers, booleans, None, finite floats); anything else goes to `json.dumps` whole.
"""

from __future__ import annotations

import json
import math
from json.encoder import encode_basestring
from typing import Any


class _Unusual(Exception):
    """A value this writer leaves to json.dumps."""


def dumps_sorted(data: Any) -> str:
    """`json.dumps(data, sort_keys=True, ensure_ascii=False, indent=1)`."""
    out: list[str] = []
    try:
        _write(data, 0, out)
    except _Unusual:
        return json.dumps(data, sort_keys=True, ensure_ascii=False, indent=1)
    return "".join(out)


def _write(value: Any, level: int, out: list[str]) -> None:
    if isinstance(value, str):
        out.append(encode_basestring(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise _Unusual
        out.append(float.__repr__(value))
    elif isinstance(value, dict):
        if not value:
            out.append("{}")
            return
        inner = "\n" + " " * (level + 1)
        separator = "{" + inner
        for key, item in sorted(value.items()):
            if type(key) is not str:
                raise _Unusual  # json.dumps writes other keys as strings, after sorting them
            out.append(separator)
            out.append(encode_basestring(key))
            out.append(": ")
            if type(item) is str:
                out.append(encode_basestring(item))
            else:
                _write(item, level + 1, out)
            separator = "," + inner
        out.append("\n" + " " * level + "}")
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        inner = "\n" + " " * (level + 1)
        separator = "[" + inner
        for item in value:
            out.append(separator)
            if type(item) is str:
                out.append(encode_basestring(item))
            else:
                _write(item, level + 1, out)
            separator = "," + inner
        out.append("\n" + " " * level + "]")
    else:
        raise _Unusual
