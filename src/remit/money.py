"""Exact money. Every rounding the close does happens here, half-up, at one of three scales.

* money: cents (``0.01``), half-up -- the PSA's "rounded to the nearest cent";
* factors: 8 decimals per denomination, half-up (the statement's factor columns);
* percentages: 6 decimals of a percent, half-up (the delinquency table), or 5 for rates.
"""

from __future__ import annotations

import decimal
import re
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
FACTOR_PLACES = Decimal("0.00000001")

# Generous precision: a 1e12 balance times a rate with 10 decimals times a day fraction
# still has 20 significant digits to spare before any rounding we did not ask for.
CONTEXT = decimal.Context(prec=50, rounding=ROUND_HALF_UP)


def D(value: object) -> Decimal:
    """A Decimal from an int, a str or a Decimal; floats are refused (they are not exact)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (bool, float)):
        raise TypeError(f"refusing to make money from {type(value).__name__} {value!r}")
    if isinstance(value, int | str):
        return Decimal(value)
    raise TypeError(f"cannot make a Decimal from {type(value).__name__}")


def cents(value: Decimal) -> Decimal:
    """Round to the cent, half-up (0.005 -> 0.01, -0.005 -> -0.01)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP, context=CONTEXT)


def mul(*values: Decimal) -> Decimal:
    """Exact product (within 50 significant digits)."""
    out = Decimal(1)
    for v in values:
        out = CONTEXT.multiply(out, v)
    return out


def div(numerator: Decimal, denominator: Decimal) -> Decimal:
    """Quotient at 50 significant digits; callers round it with one of the functions here."""
    return CONTEXT.divide(numerator, denominator)


def factor(amount: Decimal, original: Decimal, denomination: Decimal) -> Decimal:
    """Amount per denomination of original face, 8 decimals half-up; 0 when the face is 0."""
    if original == 0:
        return Decimal("0.00000000")
    return div(mul(amount, denomination), original).quantize(
        FACTOR_PLACES, rounding=ROUND_HALF_UP, context=CONTEXT
    )


def ratio(numerator: Decimal, denominator: Decimal, places: int = 8) -> Decimal:
    """numerator / denominator, half-up to ``places`` decimals; 0 when the denominator is 0."""
    q = Decimal(1).scaleb(-places)
    if denominator == 0:
        return Decimal(0).quantize(q)
    return div(numerator, denominator).quantize(q, rounding=ROUND_HALF_UP, context=CONTEXT)


def percent(numerator: Decimal, denominator: Decimal, places: int = 6) -> Decimal:
    """numerator / denominator as a percentage, half-up to ``places`` decimals of a percent."""
    q = Decimal(1).scaleb(-places)
    if denominator == 0:
        return Decimal(0).quantize(q)
    return (div(numerator, denominator) * 100).quantize(q, rounding=ROUND_HALF_UP, context=CONTEXT)


def round_places(value: Decimal, places: int) -> Decimal:
    """Half-up to ``places`` decimals (for rates shown as percentages)."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=CONTEXT)


def text(value: Decimal) -> str:
    """An exact amount as machine-readable text, always in fixed notation with its own
    decimals: ``0.00000000``, never ``0E-8`` (what ``str`` gives a zero factor)."""
    return f"{value:f}" if value.is_finite() else str(value)


_AMOUNT = re.compile(r"(?<![\d,.])(\d{4,})\.(\d\d)(?![\d.])")
_ANY_AMOUNT = re.compile(r"\d{4,}\.\d\d")
_ZERO_EXP = re.compile(r"(?<![\w.])0E-(\d+)\b")


def readable(text: str) -> str:
    """Amounts in a formula written as the statement prints them: ``3962032.36`` becomes
    ``3,962,032.36`` and ``0E-8`` ``0.00000000``; rates and short numbers stay as written.
    (Cheap when there is nothing to rewrite: it runs on every traced figure.)"""
    if text and _ANY_AMOUNT.search(text):
        text = _AMOUNT.sub(lambda m: f"{int(m.group(1)):,d}.{m.group(2)}", text)
    if "E-" in text:
        text = _ZERO_EXP.sub(lambda m: "0." + "0" * int(m.group(1)), text)
    return text
