"""Arithmetic for the rules, in two modes: ``Exact`` (Decimal scalars, for the close) and
``Vector`` (numpy float arrays, one element per scenario, for projections).

A rule takes an ``ops`` and uses it for every rounding, comparison and choice, so the same
code runs on one exact date or on thousands of scenarios at once. Rules are generic over two
constrained type variables, so that mypy checks each rule once per mode:

* ``Amount``: a ``Decimal`` (exact) or a float array (one element per scenario);
* ``Flag``: a ``bool`` (exact) or a bool array (a condition per scenario).

Exact arithmetic inside the rules (``balance * rate * days / 360``) runs under
:data:`remit.money.CONTEXT`: the close enters :func:`exact_context` around the rules."""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Protocol, TypeVar

import numpy as np
from numpy.typing import NDArray

from remit import money

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

Amount = TypeVar("Amount", Decimal, FloatArray)
Flag = TypeVar("Flag", bool, BoolArray)


class Ops(Protocol[Amount, Flag]):
    """What a rule may do with amounts and conditions."""

    def const(self, value: Decimal | int) -> Amount: ...
    def zero(self) -> Amount: ...
    def flag(self, value: bool) -> Flag: ...
    def cents(self, value: Amount) -> Amount: ...
    def min(self, a: Amount, b: Amount) -> Amount: ...
    def max(self, a: Amount, b: Amount) -> Amount: ...
    def sum(self, values: Iterable[Amount]) -> Amount: ...
    def where(self, cond: Flag, a: Amount, b: Amount) -> Amount: ...
    def gt(self, a: Amount, b: Amount) -> Flag: ...
    def ge(self, a: Amount, b: Amount) -> Flag: ...
    def div(self, a: Amount, b: Amount) -> Amount: ...
    def or_(self, a: Flag, b: Flag) -> Flag: ...
    def and_(self, a: Flag, b: Flag) -> Flag: ...
    def not_(self, a: Flag) -> Flag: ...
    def choose(self, cond: Flag, a: Flag, b: Flag) -> Flag: ...


class Exact:
    """Decimal scalars, rounded half-up to the cent by :mod:`remit.money`."""

    def const(self, value: Decimal | int) -> Decimal:
        return Decimal(value)

    def zero(self) -> Decimal:
        return money.ZERO

    def flag(self, value: bool) -> bool:
        return value

    def cents(self, value: Decimal) -> Decimal:
        return money.cents(value)

    def min(self, a: Decimal, b: Decimal) -> Decimal:
        return a if a <= b else b

    def max(self, a: Decimal, b: Decimal) -> Decimal:
        return a if a >= b else b

    def sum(self, values: Iterable[Decimal]) -> Decimal:
        total = money.ZERO
        for v in values:
            total = total + v
        return total

    def where(self, cond: bool, a: Decimal, b: Decimal) -> Decimal:
        return a if cond else b

    def gt(self, a: Decimal, b: Decimal) -> bool:
        return a > b

    def ge(self, a: Decimal, b: Decimal) -> bool:
        return a >= b

    def div(self, a: Decimal, b: Decimal) -> Decimal:
        return money.div(a, b) if b != 0 else Decimal(0)

    def or_(self, a: bool, b: bool) -> bool:
        return a or b

    def and_(self, a: bool, b: bool) -> bool:
        return a and b

    def not_(self, a: bool) -> bool:
        return not a

    def choose(self, cond: bool, a: bool, b: bool) -> bool:
        return a if cond else b


class Vector:
    """float64 arrays of ``n`` scenarios. ``cents`` rounds half away from zero like the close,
    after removing float noise below a millionth of a cent."""

    def __init__(self, n: int) -> None:
        self.n = n

    def const(self, value: Decimal | int) -> FloatArray:
        return np.full(self.n, float(value))

    def zero(self) -> FloatArray:
        return np.zeros(self.n)

    def flag(self, value: bool) -> BoolArray:
        return np.full(self.n, value, dtype=np.bool_)

    def cents(self, value: FloatArray) -> FloatArray:
        scaled = np.round(np.asarray(value, dtype=np.float64) * 100.0, 6)
        out: FloatArray = np.sign(scaled) * np.floor(np.abs(scaled) + 0.5) / 100.0
        return out

    def min(self, a: FloatArray, b: FloatArray) -> FloatArray:
        return np.minimum(a, b)

    def max(self, a: FloatArray, b: FloatArray) -> FloatArray:
        return np.maximum(a, b)

    def sum(self, values: Iterable[FloatArray]) -> FloatArray:
        total = np.zeros(self.n)
        for v in values:
            total = total + v
        return total

    def where(self, cond: BoolArray, a: FloatArray, b: FloatArray) -> FloatArray:
        out: FloatArray = np.where(cond, a, b)
        return out

    def gt(self, a: FloatArray, b: FloatArray) -> BoolArray:
        return np.greater(a, b)

    def ge(self, a: FloatArray, b: FloatArray) -> BoolArray:
        return np.greater_equal(a, b)

    def div(self, a: FloatArray, b: FloatArray) -> FloatArray:
        safe = np.where(b == 0, 1.0, b)
        out: FloatArray = np.where(b == 0, 0.0, a / safe)
        return out

    def or_(self, a: BoolArray, b: BoolArray) -> BoolArray:
        return np.logical_or(a, b)

    def and_(self, a: BoolArray, b: BoolArray) -> BoolArray:
        return np.logical_and(a, b)

    def not_(self, a: BoolArray) -> BoolArray:
        return np.logical_not(a)

    def choose(self, cond: BoolArray, a: BoolArray, b: BoolArray) -> BoolArray:
        out: BoolArray = np.where(cond, a, b)
        return out


@contextmanager
def exact_context() -> Iterator[None]:
    """Decimal arithmetic under :data:`remit.money.CONTEXT` (50 digits, half-up), so that a
    rule's ``balance * rate * days / 360`` does not depend on the caller's decimal context."""
    with decimal.localcontext(money.CONTEXT):
        yield
