"""Arithmetic for the rules, in two modes: ``Exact`` (Decimal scalars, for the close) and
``Vector`` (numpy float arrays, one element per scenario, for projections).

A rule takes an ``ops`` and uses it for every rounding, comparison and choice, so the same
code runs on one exact date or on thousands of scenarios at once."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Generic, Protocol, TypeVar

import numpy as np
from numpy.typing import NDArray

from remit import money

T = TypeVar("T")
FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


class Ops(Protocol, Generic[T]):
    """What a rule may do with amounts."""

    def const(self, value: Decimal | int) -> T: ...
    def cents(self, value: T) -> T: ...
    def min(self, a: T, b: T) -> T: ...
    def max(self, a: T, b: T) -> T: ...
    def where(self, cond: Any, a: T, b: T) -> T: ...
    def gt(self, a: T, b: T) -> Any: ...
    def ge(self, a: T, b: T) -> Any: ...
    def div(self, a: T, b: T) -> T: ...
    def logical_or(self, a: Any, b: Any) -> Any: ...
    def logical_and(self, a: Any, b: Any) -> Any: ...


class Exact:
    """Decimal scalars, rounded half-up to the cent by :mod:`remit.money`."""

    def const(self, value: Decimal | int) -> Decimal:
        return Decimal(value)

    def cents(self, value: Decimal) -> Decimal:
        return money.cents(value)

    def min(self, a: Decimal, b: Decimal) -> Decimal:
        return a if a <= b else b

    def max(self, a: Decimal, b: Decimal) -> Decimal:
        return a if a >= b else b

    def where(self, cond: Any, a: Decimal, b: Decimal) -> Decimal:
        return a if cond else b

    def gt(self, a: Decimal, b: Decimal) -> bool:
        return a > b

    def ge(self, a: Decimal, b: Decimal) -> bool:
        return a >= b

    def div(self, a: Decimal, b: Decimal) -> Decimal:
        return money.div(a, b) if b != 0 else Decimal(0)

    def logical_or(self, a: Any, b: Any) -> bool:
        return bool(a) or bool(b)

    def logical_and(self, a: Any, b: Any) -> bool:
        return bool(a) and bool(b)


class Vector:
    """float64 arrays of ``n`` scenarios. ``cents`` rounds half away from zero like the close,
    after removing float noise below a millionth of a cent."""

    def __init__(self, n: int) -> None:
        self.n = n

    def const(self, value: Decimal | int) -> FloatArray:
        return np.full(self.n, float(value))

    def cents(self, value: FloatArray) -> FloatArray:
        scaled = np.round(np.asarray(value, dtype=np.float64) * 100.0, 6)
        out: FloatArray = np.sign(scaled) * np.floor(np.abs(scaled) + 0.5) / 100.0
        return out

    def min(self, a: FloatArray, b: FloatArray) -> FloatArray:
        return np.minimum(a, b)

    def max(self, a: FloatArray, b: FloatArray) -> FloatArray:
        return np.maximum(a, b)

    def where(self, cond: Any, a: FloatArray, b: FloatArray) -> FloatArray:
        return np.where(cond, a, b)

    def gt(self, a: FloatArray, b: FloatArray) -> BoolArray:
        return np.greater(a, b)

    def ge(self, a: FloatArray, b: FloatArray) -> BoolArray:
        return np.greater_equal(a, b)

    def div(self, a: FloatArray, b: FloatArray) -> FloatArray:
        safe = np.where(b == 0, 1.0, b)
        return np.where(b == 0, 0.0, a / safe)

    def logical_or(self, a: Any, b: Any) -> BoolArray:
        out: BoolArray = np.logical_or(a, b)
        return out

    def logical_and(self, a: Any, b: Any) -> BoolArray:
        out: BoolArray = np.logical_and(a, b)
        return out
