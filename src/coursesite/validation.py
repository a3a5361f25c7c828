"""Validate plain data against a model and turn pydantic's errors into positioned diagnostics."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from coursesite.errors import Report
from coursesite.loading import PathKey, YamlDocument
from coursesite.suggestions import closest

M = TypeVar("M", bound=BaseModel)

_KIND_NAMES = {
    "string_type": "text",
    "float_parsing": "a number",
    "float_type": "a number",
    "int_parsing": "a whole number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "bool_parsing": "true or false",
    "bool_type": "true or false",
    "list_type": "a list (lines starting with '- ')",
    "dict_type": "a mapping of 'key: value' lines",
    "model_type": "a mapping of 'key: value' lines",
    "model_attributes_type": "a mapping of 'key: value' lines",
}


def validate(model: type[M], document: YamlDocument, report: Report, *, what: str) -> M | None:
    """Validate `document` as `model`; every error is reported at its line and column."""
    data = document.data
    path = document.source.path
    if data is None:
        data = {}
    if not isinstance(data, dict):
        line, col = document.source.locate(())
        kind = "a list" if isinstance(data, list) else "a single value"
        report.error(path, line, col, f"{what} must be a mapping of 'key: value' lines, not {kind}")
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        misspelled = _misspelled_fields(model, errors)
        for error in errors:
            loc: PathKey = tuple(error["loc"])
            if error["type"] == "missing" and loc in misspelled:
                continue  # the "unknown field ... did you mean" error already says it
            line, col = document.source.locate(loc, key=error["type"] == "extra_forbidden")
            cut = _cut_by_comma(data, loc, error)
            if cut and document.source.locate(cut[0])[0] != line:
                cut = None  # a key of its own line: a block mapping, where a comma cuts nothing
            report.error(path, line, col, cut[1] if cut else describe(model, loc, error))
        return None


def _misspelled_fields(model: type[BaseModel], errors: list[Any]) -> set[PathKey]:
    """Missing fields that an unknown key beside them was probably meant to be."""
    found = set()
    for error in errors:
        if error["type"] == "extra_forbidden":
            loc = tuple(error["loc"])
            hint = closest(str(loc[-1]), _fields_at(model, loc[:-1]))
            if hint:
                found.add((*loc[:-1], hint))
    return found


def describe(model: type[BaseModel], loc: PathKey, error: Any) -> str:
    """One sentence for one pydantic error: the field path, what was wrong, what to write."""
    kind = error["type"]
    field = field_path(loc)
    if kind == "extra_forbidden":
        name = str(loc[-1])
        allowed = _fields_at(model, loc[:-1])
        hint = closest(name, allowed)
        where = f" in {field_path(loc[:-1])}" if len(loc) > 1 else ""
        if hint:
            return f"unknown field '{name}'{where} (did you mean '{hint}'?)"
        return f"unknown field '{name}'{where}; expected one of: {', '.join(sorted(allowed))}"
    if kind == "missing":
        return f"missing required field '{field}'"
    if kind in ("value_error", "assertion_error"):
        message = str(error.get("ctx", {}).get("error", error["msg"]))
        return f"{field}: {message}" if field else message
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return f"{field}: '{shorten(error['input'])}' is not allowed; expected one of {expected}"
    if kind == "string_too_short":
        return f"{field}: must not be empty"
    if kind == "string_pattern_mismatch":
        return f"{field}: '{shorten(error['input'])}' may contain only letters, digits, '-' and '_'"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        return f"{field}: {error['msg'].lower()}, got {error['input']}"
    if kind in _KIND_NAMES:
        shown = error.get("input")
        got = "a list" if isinstance(shown, list) else "a mapping" if isinstance(shown, dict) \
            else f"'{shorten(shown)}'"
        return f"{field}: expected {_KIND_NAMES[kind]}, got {got}"
    return f"{field}: {error['msg']}"


def _cut_by_comma(data: Any, loc: PathKey, error: Any) -> tuple[PathKey, str] | None:
    """For `{location: 75 Shannon, Room 202}`: YAML reads 'Room 202' as a key of its own.

    An unknown key without a value, right after a key with a text value, is most likely the
    rest of that text, cut at an unquoted comma: (the key before it, the message) then.
    """
    if error["type"] != "extra_forbidden" or error.get("input") is not None:
        return None
    mapping = data
    for part in loc[:-1]:
        try:
            mapping = mapping[part]
        except (KeyError, IndexError, TypeError):
            return None
    if not isinstance(mapping, dict):
        return None
    keys = list(mapping)
    at = keys.index(loc[-1]) if loc[-1] in keys else 0
    if at == 0 or isinstance(mapping[keys[at - 1]], dict | list) or mapping[keys[at - 1]] is None:
        return None
    before, value = keys[at - 1], f"{mapping[keys[at - 1]]}, {loc[-1]}"
    where = f" in {field_path(loc[:-1])}" if len(loc) > 1 else ""
    return (*loc[:-1], before), (
        f"unknown field '{loc[-1]}'{where}: an unquoted comma inside {{...}} ends a value; if "
        f"'{loc[-1]}' belongs to {before}, put the value in quotes: {before}: \"{shorten(value)}\"")


def shorten(value: object, limit: int = 60) -> str:
    """A value as a message quotes it: a pasted page of text is cut, not repeated whole."""
    text = str(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def field_path(loc: PathKey) -> str:
    """`('sessions', 0, 'due')` -> `sessions[0].due`, as messages name fields."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


def _fields_at(model: type[BaseModel], loc: PathKey) -> list[str]:
    """The field names allowed at `loc`, following the model's nested types."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", {})
        if part not in fields:
            return []
        current = _inner_model(fields[part].annotation)
    return list(getattr(current, "model_fields", {}))


def _inner_model(annotation: Any) -> Any:
    """The model inside `list[X]`, `X | None` and the like."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None
