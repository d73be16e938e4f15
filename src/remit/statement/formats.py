"""How each kind of figure is printed on the statement, and read back."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from remit.statement.model import Value


def fmt(value: Value, kind: str) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%m/%d/%Y")
    if kind == "text" or isinstance(value, str):
        return str(value)
    v = Decimal(value)
    if kind == "money":
        return f"{v:,.2f}"
    if kind == "pct5":
        return f"{v:.5f}%"
    if kind == "pct6":
        return f"{v:.6f}%"
    if kind in ("factor", "ratio8"):
        return f"{v:.8f}"
    if kind == "factor6":
        return f"{v:,.6f}"
    if kind == "factor_c":
        return f"{v:,.8f}"
    if kind == "int":
        return f"{int(v):,d}"
    if kind == "int0":
        return f"{int(v):d}"
    if kind == "num2":
        return f"{v:.2f}"
    if kind == "date4":
        return str(value)
    raise ValueError(f"unknown format {kind!r}")


NUMBER = re.compile(r"^\(?-?\$?[0-9][0-9,]*(\.[0-9]*)?%?\)?$")


def parse_number(text: str) -> Decimal | None:
    """'1,039,673,900.00' -> Decimal; '1.64000%' -> Decimal('1.64000'); None if not a number."""
    t = text.strip()
    if not NUMBER.match(t):
        return None
    neg = t.startswith("(") and t.endswith(")")
    t = t.strip("()").replace(",", "").replace("$", "").rstrip("%")
    try:
        v = Decimal(t)
    except InvalidOperation:
        return None
    return -v if neg else v
