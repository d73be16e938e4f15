"""Trigger events and the stepdown date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from remit.rules.ops import Ops

T = TypeVar("T")


def senior_enhancement_pct(senior_balance: T, pool_balance: T, ops: Ops[T]) -> T:
    """Senior Enhancement Percentage: (pool balance - senior balance) / pool balance, i.e. the
    subordinate classes plus the OC as a share of the pool."""
    return ops.div(pool_balance - senior_balance, pool_balance)


def delinquency_trigger(
    rolling_60plus: T, senior_enhancement: T, threshold: Decimal, ops: Ops[T]
) -> Any:
    """Delinquency Trigger Event: the rolling average of the 60+ day delinquency percentage
    (including bankruptcy, foreclosure and REO) exceeds ``threshold`` x the senior
    enhancement percentage."""
    return ops.gt(rolling_60plus, senior_enhancement * ops.const(threshold))


def loss_trigger(
    cumulative_loss: T, cut_off_balance: Decimal, limit_pct: Decimal, ops: Ops[T]
) -> Any:
    """Cumulative Loss Trigger Event: cumulative realized losses exceed ``limit_pct`` of the
    cut-off pool balance (the limit in force for the date, from the deal's schedule)."""
    return ops.gt(cumulative_loss, ops.const(cut_off_balance) * ops.const(limit_pct))


def stepdown_reached(
    distribution: date,
    earliest: date,
    senior_balance: T,
    pool_balance: T,
    senior_target: Decimal,
    ops: Ops[T],
) -> Any:
    """Stepdown Date: the later of the earliest stepdown date and the first date on which the
    senior enhancement percentage reaches the target (or the seniors are paid in full)."""
    if distribution < earliest:
        return ops.gt(ops.const(0), ops.const(1))
    enh = senior_enhancement_pct(senior_balance, pool_balance, ops)
    return ops.logical_or(
        ops.ge(enh, ops.const(senior_target)),
        ops.ge(ops.const(0), senior_balance),
    )
