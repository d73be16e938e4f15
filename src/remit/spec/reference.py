"""The deal-file reference, generated from the spec models: every table and field of
``deal.toml``, its type, its default and, in plain words, the defined term it implements
(each field's ``description``; each table's docstring).

    python -m remit.spec.reference > docs/deal-file.md

A test keeps the committed file equal to what this prints."""

from __future__ import annotations

import re
import sys
import types
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import annotated_types
from pydantic import BaseModel
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from remit.spec.models import DealBase, OCSpec, ShiftingSpec

INTRO = """\
# The deal file (`deal.toml`)

Generated from the spec models (`src/remit/spec/models.py`) by
`python -m remit.spec.reference > docs/deal-file.md`; a test fails when this file and the
models differ. Edit the models' descriptions, not this file.

A deal directory holds `deal.toml` and `remittances/YYYY-MM-DD.toml`. `deal.toml` is TOML;
every number is read as an exact decimal. Amounts are in dollars and cents; rates and
percentages are fractions (`0.0025` is 0.25%). Every rule carries a `basis`: the PSA
section, or what it was inferred from. A field with a default may be left out; the default
is the standard reading of the defined term. Unknown keys are errors.

The structure family is chosen by the tables present: a deal with a `[shifting_interest]`
table is a shifting-interest (senior/subordinate) deal; any other deal is an
overcollateralization deal. The first part below lists what every deal says; the next two,
what each family adds.
"""


def _doc(obj: Any) -> str:
    """A docstring as one paragraph of plain text."""
    text = getattr(obj, "__doc__", None) or ""
    return " ".join(text.split()).replace("``", "`")


def _constraints(info: FieldInfo | None, extra: list[Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for m in [*(info.metadata if info else []), *extra]:
        for name in ("ge", "gt", "le", "lt", "pattern", "min_length", "max_length"):
            value = getattr(m, name, None)
            if value is not None:
                out[name] = value
        if isinstance(m, annotated_types.Interval):
            out |= {k: v for k, v in vars(m).items() if v is not None}
    return out


def _number(kind: str, c: dict[str, Any]) -> str:
    """'integer, 1 to 31', 'decimal, > 0', ..."""
    if "ge" in c and "le" in c:
        return f"{kind}, {c['ge']} to {c['le']}"
    bounds = [
        f"{op} {c[k]}" for k, op in (("gt", ">"), ("ge", ">="), ("lt", "<"), ("le", "<=")) if k in c
    ]
    return ", ".join([kind, *bounds])


def type_name(tp: Any, info: FieldInfo | None = None) -> str:
    """A field's type in words."""
    extra: list[Any] = []
    while get_origin(tp) is Annotated:
        tp, *more = get_args(tp)
        for m in more:
            if isinstance(m, FieldInfo):
                extra.extend(m.metadata)
            else:
                extra.append(m)
    c = _constraints(info, extra)
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        inner = " or ".join(type_name(a) for a in args)
        return f"{inner} (optional)" if len(args) < len(get_args(tp)) else inner
    if origin is Literal:
        return "one of " + ", ".join(f'`"{a}"`' for a in get_args(tp))
    if origin is list:
        return f"array of {type_name(get_args(tp)[0])}"
    if origin is dict:
        return f"table of class name = {type_name(get_args(tp)[1])}"
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return f"table ({tp.__name__})"
    if tp is Decimal:
        if c.get("decimal_places") == 2:
            return "amount (decimal, >= 0, in cents)"
        if c.get("ge") == 0 and c.get("le") == 1:
            return "fraction, 0 to 1"
        return _number("decimal", c)
    if tp is int:
        return _number("integer", c)
    if tp is bool:
        return "boolean"
    if tp is date:
        return "date (YYYY-MM-DD)"
    if tp is str:
        if "pattern" in c:
            return f"string matching `{c['pattern']}`"
        return "string" + (" (not empty)" if c.get("min_length") else "")
    return getattr(tp, "__name__", str(tp))


def _decimal_places(info: FieldInfo) -> dict[str, Any]:
    out = {}
    for m in info.metadata:
        places = getattr(m, "decimal_places", None)
        if places is not None:
            out["decimal_places"] = places
    return out


def default_text(info: FieldInfo) -> str:
    """A field's default as written in TOML, or 'required'."""
    if info.is_required():
        return "required"
    value = info.default
    if value is PydanticUndefined and info.default_factory is not None:
        value = info.default_factory()  # type: ignore[call-arg]
    if value is None:
        return "none"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, str):
        return f'`"{value}"`'
    if isinstance(value, list):
        return "`[" + ", ".join(f'"{v}"' if isinstance(v, str) else str(v) for v in value) + "]`"
    if isinstance(value, dict):
        return "`{}`" if not value else f"`{value}`"
    return f"`{value}`"


def _field_type(info: FieldInfo) -> str:
    tp = info.annotation
    places = _decimal_places(info)
    if places and tp is Decimal:
        return "amount (decimal, >= 0, in cents)"
    return type_name(tp, info)


def _models_in(tp: Any) -> tuple[type[BaseModel], bool] | None:
    """The model a field holds, and whether as an array of tables."""
    while get_origin(tp) is Annotated:
        tp = get_args(tp)[0]
    origin = get_origin(tp)
    if origin in (Union, types.UnionType):
        for a in get_args(tp):
            found = _models_in(a)
            if found:
                return found
        return None
    if origin is list:
        inner = _models_in(get_args(tp)[0])
        return (inner[0], True) if inner else None
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return tp, False
    return None


def _table(path: str, model: type[BaseModel], array: bool) -> list[str]:
    head = f"[[{path}]]" if array else f"[{path}]"
    lines = [f"### `{head}`", ""]
    doc = _doc(model)
    if doc:
        lines += [doc, ""]
    lines += ["| key | type | default | meaning |", "|---|---|---|---|"]
    for name, info in model.model_fields.items():
        meaning = (info.description or "").replace("|", "\\|").replace("\n", " ")
        lines.append(
            f"| `{name}` | {_field_type(info)} | {default_text(info)} | {meaning or '-'} |"
        )
    return [*lines, ""]


def _walk(
    path: str, model: type[BaseModel], array: bool, skip: frozenset[str] = frozenset()
) -> Iterator[str]:
    """The model's table, then each table nested in it, depth first."""
    if path:
        yield from _table(path, model, array)
    for name, info in model.model_fields.items():
        if name in skip:
            continue
        found = _models_in(info.annotation)
        if found:
            sub = f"{path}.{name}" if path else name
            yield from _walk(sub, found[0], found[1])


def _top(spec: type[BaseModel], names: list[str]) -> list[str]:
    lines = ["| table | type | meaning |", "|---|---|---|"]
    for name in names:
        info = spec.model_fields[name]
        found = _models_in(info.annotation)
        head = f"[[{name}]]" if found and found[1] else f"[{name}]"
        req = "" if info.is_required() else f" (default {default_text(info)})"
        lines.append(f"| `{head}` | {_field_type(info)}{req} | {info.description or '-'} |")
    return [*lines, ""]


def render() -> str:
    """The whole reference, as Markdown."""
    common = list(DealBase.model_fields)
    out = [INTRO, "## Every deal", "", _doc(DealBase), ""]
    out += _top(DealBase, common)
    out += list(_walk("", DealBase, False))
    for title, spec in (
        ("Overcollateralization deals", OCSpec),
        ("Shifting-interest deals", ShiftingSpec),
    ):
        own = [n for n in spec.model_fields if n not in common]
        out += [f"## {title}", "", _doc(spec), ""]
        out += _top(spec, own)
        out += list(_walk("", spec, False, skip=frozenset(common)))
    text = "\n".join(out)
    return re.sub(r"\n{3,}", "\n\n", text).rstrip() + "\n"


def main() -> None:
    sys.stdout.write(render())


if __name__ == "__main__":
    main()
