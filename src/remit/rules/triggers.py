"""Trigger events and the stepdown date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from remit.rules.ops import Amount, Flag, Ops


def senior_enhancement_pct(
    senior_balance: Amount, pool_balance: Amount, ops: Ops[Amount, Flag]
) -> Amount:
    """Senior Enhancement Percentage: (pool balance - senior balance) / pool balance, i.e. the
    subordinate classes plus the OC as a share of the pool."""
    return ops.div(pool_balance - senior_balance, pool_balance)


def delinquency_trigger(
    rolling_60plus: Amount, senior_enhancement: Amount, threshold: Decimal, ops: Ops[Amount, Flag]
) -> Flag:
    """Delinquency Trigger Event: the rolling average of the 60+ day delinquency percentage
    (including bankruptcy, foreclosure and REO) exceeds ``threshold`` x the senior
    enhancement percentage."""
    return ops.gt(rolling_60plus, senior_enhancement * ops.const(threshold))


def loss_trigger(
    cumulative_loss: Amount, cut_off_balance: Decimal, limit_pct: Decimal, ops: Ops[Amount, Flag]
) -> Flag:
    """Cumulative Loss Trigger Event: cumulative realized losses exceed ``limit_pct`` of the
    cut-off pool balance (the limit in force for the date, from the deal's schedule)."""
    return ops.gt(cumulative_loss, ops.const(cut_off_balance) * ops.const(limit_pct))


def stepdown_reached(
    distribution: date,
    earliest: date,
    senior_balance: Amount,
    pool_balance: Amount,
    senior_target: Decimal,
    ops: Ops[Amount, Flag],
) -> Flag:
    """Stepdown Date: the later of the earliest stepdown date and the first date on which the
    senior enhancement percentage reaches the target (or the seniors are paid in full)."""
    if distribution < earliest:
        return ops.flag(False)
    enh = senior_enhancement_pct(senior_balance, pool_balance, ops)
    return ops.or_(
        ops.ge(enh, ops.const(senior_target)),
        ops.ge(ops.const(0), senior_balance),
    )


def trigger_event(
    rolling_60plus: Amount,
    senior_enhancement: Amount,
    delinquency_threshold: Decimal,
    cumulative_loss: Amount,
    cut_off_balance: Decimal,
    loss_limit: Decimal,
    ops: Ops[Amount, Flag],
) -> tuple[Flag, Flag]:
    """Trigger Event: the delinquency test or the cumulative-loss test fails. A loss limit of
    zero (none in force yet) never trips. Returns (delinquency trigger, loss trigger)."""
    dq = delinquency_trigger(rolling_60plus, senior_enhancement, delinquency_threshold, ops)
    loss = (
        loss_trigger(cumulative_loss, cut_off_balance, loss_limit, ops)
        if loss_limit > 0
        else ops.flag(False)
    )
    return dq, loss
