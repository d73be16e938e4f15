"""Trigger events and the stepdown date."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Literal

from remit.rules.ops import Amount, Flag, Ops

Comparison = Literal["exceeds", "equals_or_exceeds"]

#: Percentages are compared at this many decimal places: two computations of one exact
#: ratio (a quotient taken at 50 digits, then multiplied; or the product's quotient) agree
#: there, and a cent on a pool of a trillion is still 1e-14.
_PLACES = 30
_SCALE = Decimal(10) ** (_PLACES - 2)


def _fine(x: Amount, ops: Ops[Amount, Flag]) -> Amount:
    """``x`` rounded half-up to :data:`_PLACES` decimals (float noise is left as it is)."""
    return ops.cents(x * ops.const(_SCALE)) / ops.const(_SCALE)


def compare(a: Amount, b: Amount, comparison: Comparison, ops: Ops[Amount, Flag]) -> Flag:
    """Whether ``a`` exceeds ``b`` ('exceeds') or equals or exceeds it ('equals_or_exceeds'),
    compared at 30 decimal places."""
    a, b = _fine(a, ops), _fine(b, ops)
    return ops.gt(a, b) if comparison == "exceeds" else ops.ge(a, b)


def senior_enhancement_pct(
    senior_balance: Amount, pool_balance: Amount, ops: Ops[Amount, Flag]
) -> Amount:
    """Senior Enhancement Percentage: (pool balance - senior balance) / pool balance, i.e. the
    subordinate classes plus the Overcollateralized Amount as a share of the pool (never below
    zero: the Overcollateralized Amount is never negative)."""
    return ops.max(ops.div(pool_balance - senior_balance, pool_balance), ops.zero())


def rolling_average(percentages: Sequence[Amount], ops: Ops[Amount, Flag]) -> Amount:
    """The average of the months' 60+ day delinquency percentages (the current month's
    alone for one month)."""
    return ops.div(ops.sum(percentages), ops.const(len(percentages)))


def delinquency_trigger(
    rolling_60plus: Amount,
    senior_enhancement: Amount,
    threshold: Decimal,
    ops: Ops[Amount, Flag],
    comparison: Comparison = "exceeds",
) -> Flag:
    """Delinquency Trigger Event: the (rolling average) 60+ day delinquency percentage
    exceeds (or equals or exceeds) ``threshold`` x the Senior Enhancement Percentage."""
    return compare(rolling_60plus, senior_enhancement * ops.const(threshold), comparison, ops)


def loss_trigger(
    cumulative_loss: Amount,
    cut_off_balance: Decimal,
    limit_pct: Decimal,
    ops: Ops[Amount, Flag],
    comparison: Comparison = "exceeds",
) -> Flag:
    """Cumulative Loss Trigger Event: cumulative realized losses exceed (or equal or exceed)
    ``limit_pct`` of the cut-off pool balance (the limit in force for the date)."""
    limit = ops.const(cut_off_balance) * ops.const(limit_pct)
    if comparison == "exceeds":
        return ops.gt(cumulative_loss, limit)
    return ops.ge(cumulative_loss, limit)


def _months(a: date, b: date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month


def cumulative_loss_limit(
    schedule: Sequence[tuple[date, Decimal]], when: date, interpolate: bool
) -> Decimal | None:
    """The cumulative loss limit (a fraction of the cut-off balance) in force on ``when``:
    the percentage of the latest point on or before it ('step'); or, with ``interpolate``,
    between two points the first point's percentage plus (months since it / months between
    the points) of the difference. None before the first point (no test)."""
    limit: Decimal | None = None
    for i, (start, pct) in enumerate(schedule):
        if start > when:
            break
        limit = pct
        if interpolate and i + 1 < len(schedule) and schedule[i + 1][0] > when:
            end, nxt = schedule[i + 1]
            limit = pct + (nxt - pct) * _months(start, when) / _months(start, end)
    return limit


def enhancement_met(
    senior_enhancement: Amount, senior_target: Decimal, ops: Ops[Amount, Flag]
) -> Flag:
    """The stepdown's enhancement test: the Senior Enhancement Percentage is greater than or
    equal to the target (compared at 30 decimal places, so an exact boundary holds)."""
    return ops.ge(_fine(senior_enhancement, ops), _fine(ops.const(senior_target), ops))


def stepdown_reached(
    distribution: date,
    earliest: date,
    senior_enhancement: Amount,
    senior_target: Decimal,
    seniors_paid_off: Flag,
    ops: Ops[Amount, Flag],
    met_before: Flag | None = None,
) -> Flag:
    """Stepdown Date: the earlier of (a) the distribution date after the one on which the
    senior classes are paid to zero (``seniors_paid_off``: their balance before the date is
    zero) and (b) the later of the earliest stepdown date and the first date on which the
    Senior Enhancement Percentage is at least the target. That first date may come before the
    earliest stepdown date: ``met_before`` says whether the enhancement test was met on an
    earlier date (then (b) is the earliest stepdown date itself)."""
    if distribution < earliest:
        return seniors_paid_off
    met = enhancement_met(senior_enhancement, senior_target, ops)
    if met_before is not None:
        met = ops.or_(met, met_before)
    return ops.or_(seniors_paid_off, met)


def trigger_event(
    rolling_60plus: Amount,
    senior_enhancement: Amount,
    delinquency_threshold: Decimal,
    cumulative_loss: Amount,
    cut_off_balance: Decimal,
    loss_limit: Decimal | None,
    ops: Ops[Amount, Flag],
    dq_comparison: Comparison = "exceeds",
    loss_comparison: Comparison = "exceeds",
) -> tuple[Flag, Flag]:
    """Trigger Event: the delinquency test or the cumulative-loss test fails. No loss limit
    in force yet (None) never trips. Returns (delinquency trigger, loss trigger)."""
    dq = delinquency_trigger(
        rolling_60plus, senior_enhancement, delinquency_threshold, ops, dq_comparison
    )
    loss = (
        loss_trigger(cumulative_loss, cut_off_balance, loss_limit, ops, loss_comparison)
        if loss_limit is not None
        else ops.flag(False)
    )
    return dq, loss
