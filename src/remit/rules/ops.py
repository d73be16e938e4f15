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
from typing import Any, Protocol, TypeVar

import numpy as np
from numpy.typing import NDArray

from remit import money

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

Amount = TypeVar("Amount", Decimal, FloatArray)
Flag = TypeVar("Flag", bool, BoolArray)
_A = TypeVar("_A", bound=NDArray[Any])


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
    def same(self, a: Flag, b: Flag) -> bool:
        """Do the two conditions agree (in every scenario)? For skipping work whose result
        would be the same, never for choosing an amount."""
        ...


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

    def same(self, a: bool, b: bool) -> bool:
        return a == b


#: added to a magnitude in cents before truncating: half a cent, and the noise allowance
HALF_CENT_UP = 0.5000005


class Vector:
    """float64 arrays of ``n`` scenarios. ``cents`` rounds half away from zero like the close,
    a fraction within half a millionth of a cent below the half taken as the half (float
    noise).

    A projection calls the rules once per date over thousands of dates, so the constant
    arrays (``const``, ``zero``, ``flag``) are made once per value and shared, read-only (an
    in-place change to one raises rather than changing every rule's constant)."""

    CONSTANTS = 1024  # distinct constant values kept

    def __init__(self, n: int) -> None:
        self.n = n
        self._const: dict[Decimal | int, FloatArray] = {}
        self._zero = _frozen(np.zeros(n))
        self._flags = (_frozen(np.zeros(n, dtype=np.bool_)), _frozen(np.ones(n, dtype=np.bool_)))

    def const(self, value: Decimal | int) -> FloatArray:
        arr = self._const.get(value)
        if arr is None:
            arr = _frozen(np.full(self.n, float(value)))
            if len(self._const) < self.CONSTANTS:
                self._const[value] = arr
        return arr

    def zero(self) -> FloatArray:
        return self._zero

    def flag(self, value: bool) -> BoolArray:
        return self._flags[1 if value else 0]

    def cents(self, value: FloatArray) -> FloatArray:
        x = np.asarray(value, dtype=np.float64)
        if x.ndim == 0:
            rounded = np.round(x * 100.0, 6)
            out: FloatArray = np.sign(rounded) * np.floor(np.abs(rounded) + 0.5) / 100.0
            return out
        # half away from zero, a fraction of a cent within half a millionth of a cent below
        # the half taken as the half (float noise): what np.round(x * 100, 6) and then half up
        # on the magnitude gives, in four array operations rather than nine (a projection
        # rounds some fifty amounts a date)
        a = np.multiply(x, 100.0)
        a += np.copysign(HALF_CENT_UP, x)
        np.trunc(a, out=a)
        a /= 100.0
        return a

    def min(self, a: FloatArray, b: FloatArray) -> FloatArray:
        return np.minimum(a, b)

    def max(self, a: FloatArray, b: FloatArray) -> FloatArray:
        return np.maximum(a, b)

    def sum(self, values: Iterable[FloatArray]) -> FloatArray:
        it = iter(values)
        first = next(it, None)
        if first is None:
            return np.zeros(self.n)
        total: FloatArray = np.add(first, 0.0)  # 0 + the first, as the exact sum starts
        if total.shape != (self.n,):
            total = np.zeros(self.n) + total
        for v in it:
            np.add(total, v, out=total)
        return total

    def where(self, cond: BoolArray, a: FloatArray, b: FloatArray) -> FloatArray:
        out: FloatArray = np.where(cond, a, b)
        return out

    def gt(self, a: FloatArray, b: FloatArray) -> BoolArray:
        return np.greater(a, b)

    def ge(self, a: FloatArray, b: FloatArray) -> BoolArray:
        return np.greater_equal(a, b)

    def div(self, a: FloatArray, b: FloatArray) -> FloatArray:
        out: FloatArray = np.zeros(np.broadcast(a, b).shape)
        np.divide(a, b, out=out, where=np.not_equal(b, 0))
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

    def same(self, a: BoolArray, b: BoolArray) -> bool:
        return a is b or bool(np.array_equal(a, b))


@contextmanager
def exact_context() -> Iterator[None]:
    """Decimal arithmetic under :data:`remit.money.CONTEXT` (50 digits, half-up), so that a
    rule's ``balance * rate * days / 360`` does not depend on the caller's decimal context."""
    with decimal.localcontext(money.CONTEXT):
        yield


def _frozen(a: _A) -> _A:
    a.flags.writeable = False
    return a
