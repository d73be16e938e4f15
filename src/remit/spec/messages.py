"""Validation errors in plain words: what pydantic found wrong with an input file (a deal spec,
a remittance), said as a person would say it, at the field path a person reads.

* No library phrasing: "Field required" becomes "a value for this field (it is missing)",
  "Input should be a valid decimal" "a number", "Extra inputs are not permitted" "no field of
  this name here: the fields are ...", with "did you mean ...?" for a near miss.
* Elements of a list are named by their name where they have one: ``classes[2] (M-1).margin``
  rather than ``classes[2].margin``."""

from __future__ import annotations

import re
import types
from collections.abc import Mapping, Sequence
from difflib import get_close_matches
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from remit.errors import Problem

#: pydantic's error type -> what was expected, in plain words (``{name}``: from its context)
PLAIN = {
    "missing": "a value for this field (it is missing)",
    "decimal_parsing": "a number",
    "decimal_type": "a number",
    "float_parsing": "a number",
    "float_type": "a number",
    "int_parsing": "a whole number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "bool_parsing": "true or false",
    "bool_type": "true or false",
    "string_type": "text (in quotes)",
    "date_parsing": "a date YYYY-MM-DD",
    "date_type": "a date YYYY-MM-DD",
    "date_from_datetime_inexact": "a date YYYY-MM-DD (no time of day)",
    "date_from_datetime_parsing": "a date YYYY-MM-DD",
    "datetime_parsing": "a date and time",
    "list_type": "a list [...]",
    "dict_type": "a table",
    "model_type": "a table",
    "model_attributes_type": "a table",
    "literal_error": "one of {expected}",
    "enum": "one of {expected}",
    "greater_than": "a number above {gt}",
    "greater_than_equal": "a number of at least {ge}",
    "less_than": "a number below {lt}",
    "less_than_equal": "a number of at most {le}",
    "decimal_max_digits": "a number of at most {max_digits} digits",
    "decimal_max_places": "a number with at most {decimal_places} decimals",
    "decimal_whole_digits": "a number with at most {whole_digits} digits before the point",
    "finite_number": "a finite number",
    "string_too_short": "text of at least {min_length} characters",
    "string_too_long": "text of at most {max_length} characters",
    "string_pattern_mismatch": "text of the form {pattern}",
    "too_short": "at least {min_length} entries",
    "too_long": "at most {max_length} entries",
}

#: Phrases a library writes, which a message never shows.
LIBRARY_PHRASES = ("Field required", "Input should be", "Value error, ", "Extra inputs are not")


def _unwrap(tp: Any) -> list[Any]:
    """The concrete types an annotation allows (Optional, unions and Annotated unwrapped)."""
    origin = get_origin(tp)
    if origin is Annotated:
        return _unwrap(get_args(tp)[0])
    if origin is Union or origin is types.UnionType:
        return [t for arg in get_args(tp) for t in _unwrap(arg)]
    return [tp]


def _models_at(root: type[BaseModel], loc: Sequence[int | str]) -> list[type[BaseModel]]:
    """The models that may sit at ``loc`` under ``root`` (several when a field is a union)."""
    current: list[Any] = [root]
    for step in loc:
        following: list[Any] = []
        for tp in current:
            origin = get_origin(tp)
            if isinstance(step, int) and origin in (list, tuple):
                following += _unwrap(get_args(tp)[0])
            elif isinstance(step, str) and isinstance(tp, type) and issubclass(tp, BaseModel):
                f = tp.model_fields.get(step)
                if f is not None:
                    following += _unwrap(f.annotation)
            elif isinstance(step, str) and origin is dict:
                following += _unwrap(get_args(tp)[1])
        current = following
    return [t for t in current if isinstance(t, type) and issubclass(t, BaseModel)]


def fields_at(root: type[BaseModel], loc: Sequence[int | str]) -> list[str]:
    """The field names a table at ``loc`` may have, in their declared order."""
    names: list[str] = []
    for m in _models_at(root, loc):
        names += [n for n in m.model_fields if n not in names]
    return names


def _expected(err: ErrorDetails, root: type[BaseModel]) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "extra_forbidden":
        loc = err["loc"]
        known = fields_at(root, loc[:-1])
        near = get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
        hint = f" -- did you mean {near[0]!r}?" if near else ""
        listed = ", ".join(known) if known else "none"
        return f"a field name this table knows{hint} (its fields: {listed})"
    if kind in ("value_error", "assertion_error"):
        return _plain_message(str(err["msg"]))
    template = PLAIN.get(kind)
    if template is None:
        return _plain_message(str(err["msg"]))
    try:
        return template.format(**{k: _ctx(v) for k, v in ctx.items()})
    except (KeyError, IndexError):
        return _plain_message(str(err["msg"]))


def _ctx(value: object) -> str:
    return str(value)


def _plain_message(msg: str) -> str:
    """A library message with its library phrasing taken out."""
    msg = re.sub(r"^(Value error|Assertion failed), ", "", msg)
    msg = re.sub(r"^Input should be (a valid )?", "", msg)
    return msg.replace("Field required", "a value for this field (it is missing)")


def path_with_names(path: str, data: object) -> str:
    """``classes[2].coupon.margin`` -> ``classes[2] (M-1).coupon.margin``: each list element
    that is a table with a ``name`` is named after its position, from the input ``data``."""
    out = ""
    node: object = data
    for m in re.finditer(r"\.?([^.\[\]]+)|\[(\d+)\]", path):
        key, index = m.group(1), m.group(2)
        if key is not None:
            out += ("." if out else "") + key
            node = node.get(key) if isinstance(node, Mapping) else None
            continue
        i = int(index)
        out += f"[{i}]"
        node = node[i] if isinstance(node, list) and 0 <= i < len(node) else None
        name = node.get("name") if isinstance(node, Mapping) else None
        if isinstance(name, str) and name:
            out += f" ({name})"
    return out


def field_path(loc: Sequence[int | str]) -> str:
    """('classes', 2, 'coupon', 'margin') -> 'classes[2].coupon.margin'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


def problems_of(
    errors: Sequence[ErrorDetails], root: type[BaseModel], data: object, file: str
) -> list[Problem]:
    """Each pydantic error as a located problem in plain words."""
    problems = []
    for err in errors:
        value = err.get("input")
        if err["type"] == "missing":
            value = "(missing)"
        elif isinstance(value, dict):
            value = "(a table)"
        elif isinstance(value, list):
            value = "(a list)"
        path = path_with_names(field_path(err["loc"]), data)
        problems.append(Problem(file, path, value, _expected(err, root)))
    return problems


def named(problems: Sequence[Problem], data: object) -> list[Problem]:
    """The problems with their list elements named (see :func:`path_with_names`)."""
    from dataclasses import replace

    return [replace(p, path=path_with_names(p.path, data)) if p.path else p for p in problems]
