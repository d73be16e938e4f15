"""What a waterfall takes and gives, in either mode (:mod:`remit.rules.ops`): the classes'
opening positions, every movement of money as a :class:`Flow`, and the classes' closing
positions. ``stack`` turns the exact inputs of several scenarios into one vector input."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Generic, Literal, Protocol, TypeVar

import numpy as np

from remit.rules.ops import Amount, FloatArray
from remit.waterfall.steps import CERT, Step

__all__ = [
    "CERT",
    "ClassIn",
    "ClassOut",
    "Flow",
    "Opening",
    "Position",
    "Step",
    "WaterfallOut",
    "stack",
    "vectorize",
]

D = TypeVar("D")
A_co = TypeVar("A_co", Decimal, FloatArray, covariant=True)


class Position(Protocol[A_co]):
    """A class's position after a date, as a state keeps it (a closed state's
    :class:`~remit.close.state.ClassState`, or a projection's running state)."""

    @property
    def balance(self) -> A_co: ...

    @property
    def unpaid_interest(self) -> A_co: ...

    @property
    def basis_risk_carryforward(self) -> A_co: ...

    @property
    def unpaid_realized_loss(self) -> A_co: ...


@dataclass(frozen=True)
class Flow(Generic[Amount]):
    """One movement: ``amount`` from ``source`` to ``target`` by waterfall ``step``.
    ``kind`` is 'cash' for money, 'memo' for balances that move without cash (write-downs)."""

    step: str
    basis: str
    source: str
    target: str
    amount: Amount
    kind: Literal["cash", "memo"] = "cash"


@dataclass(frozen=True)
class Opening(Generic[Amount]):
    """A class's position before the date, and what its interest accrues on: the class
    balance, or the notional amount of an interest-only class. ``days``: the accrual days of
    the class's day count (the same in every scenario)."""

    balance: Amount
    unpaid_interest: Amount
    basis_risk_carryforward: Amount
    unpaid_realized_loss: Amount
    accrual_base: Amount
    days: int

    def paying(self, rate: Amount, formula_rate: Amount) -> ClassIn[Amount]:
        """The waterfall's view of the class at ``rate`` (uncapped: ``formula_rate``)."""
        return ClassIn(
            balance=self.balance,
            unpaid_interest=self.unpaid_interest,
            basis_risk_carryforward=self.basis_risk_carryforward,
            unpaid_realized_loss=self.unpaid_realized_loss,
            rate=rate,
            formula_rate=formula_rate,
            days=self.days,
            accrual_base=self.accrual_base,
        )


@dataclass(frozen=True)
class ClassIn(Generic[Amount]):
    """A class's opening position on the date.

    ``accrual_base``: what interest accrues on (the class balance, or the notional amount of
    an interest-only class). ``rate``: the pass-through rate paid (after any cap);
    ``formula_rate``: the uncapped rate, whose excess is the basis-risk shortfall.
    ``days``: the accrual days of the class's day count."""

    balance: Amount
    unpaid_interest: Amount
    basis_risk_carryforward: Amount
    unpaid_realized_loss: Amount
    rate: Amount
    formula_rate: Amount
    days: int
    accrual_base: Amount


@dataclass(frozen=True)
class ClassOut(Generic[Amount]):
    """A class's period: what it accrued and was paid, and its closing position.

    ``non_supported_shortfall``: its share of the interest shortfalls (prepayment interest
    shortfall not covered by compensating interest, Relief Act) that reduce current interest.
    ``current_shortfall``: current interest (net of that share) left unpaid this date."""

    accrued: Amount
    non_supported_shortfall: Amount
    interest_current_paid: Amount
    interest_unpaid_paid: Amount
    current_shortfall: Amount
    unpaid_interest: Amount
    basis_risk_paid: Amount
    basis_risk_carryforward: Amount
    realized_loss_paid: Amount
    unpaid_realized_loss: Amount
    principal_paid: Amount
    writedown: Amount
    writeup: Amount
    balance: Amount

    def as_dict(self) -> dict[str, Amount]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}


@dataclass(frozen=True)
class WaterfallOut(Generic[Amount]):
    """Every flow in order, each class's period, and the family's named figures."""

    flows: list[Flow[Amount]]
    classes: dict[str, ClassOut[Amount]]
    metrics: dict[str, Amount] = field(default_factory=dict)


def stack(items: list[D]) -> Any:
    """The inputs of ``len(items)`` exact scenarios as one vector input: every Decimal field
    becomes a float array and every bool a bool array (one element per scenario); ints,
    dates and strings, which do not vary by scenario, must be equal and stay scalars.
    Dataclasses, dicts, lists and tuples are stacked field by field."""
    first = items[0]
    if isinstance(first, Decimal):
        return np.array([float(x) for x in items], dtype=np.float64)  # type: ignore[arg-type]
    if isinstance(first, bool):
        return np.array(items, dtype=np.bool_)
    if dataclasses.is_dataclass(first) and not isinstance(first, type):
        return type(first)(
            **{
                f.name: stack([getattr(x, f.name) for x in items])
                for f in dataclasses.fields(first)
            }
        )
    if isinstance(first, dict):
        return {k: stack([x[k] for x in items]) for k in first}  # type: ignore[index]
    if isinstance(first, list | tuple):
        out = [stack([x[i] for x in items]) for i in range(len(first))]  # type: ignore[index]
        return out if isinstance(first, list) else tuple(out)
    if any(x != first for x in items):
        raise ValueError(f"a scalar that differs between scenarios: {items[:3]!r}")
    return first


def vectorize(item: D, n: int) -> Any:
    """The same exact inputs as ``n`` identical float scenarios."""
    return stack([item] * n)
