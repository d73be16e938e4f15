"""A deal spec's data (as ``tomllib`` reads it, floats as Decimal) written back as TOML text:
one line per top-level key, tables and arrays inline. Enough for tests that change a spec's
data and give it to the command line."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any


def dumps(data: dict[str, Any]) -> str:
    return "".join(f"{_key(k)} = {_value(v)}\n" for k, v in data.items())


def _key(k: str) -> str:
    bare = k.replace("_", "").replace("-", "").isalnum() and k.isascii()
    return k if bare else _string(k)


def _string(s: str) -> str:
    out = s.replace("\\", "\\\\").replace('"', '\\"')
    for ch in sorted({c for c in out if ord(c) < 32 or ord(c) == 127}):
        out = out.replace(ch, f"\\u{ord(ch):04x}")
    return f'"{out}"'


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, Decimal):
        text = format(v, "f")
        return text if "." in text else text + ".0"
    if isinstance(v, date):
        return v.isoformat()
    if isinstance(v, str):
        return _string(v)
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items()) + "}"
    raise TypeError(type(v).__name__)
