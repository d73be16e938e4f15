"""Shifting-interest rules of a senior/subordinate deal (market-standard definitions of the
prime jumbo pooling and servicing agreements of the early 2000s). Written over an ``ops`` so
that they run exactly in a close and on vectors in a projection.

Percentages are fractions (0.9625, not 96.25%)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, TypeVar

from remit.rules.interest import pro_rata
from remit.rules.ops import Ops
from remit.rules.principal import sequential

T = TypeVar("T")


def senior_percentage(senior_balance: T, group_balance: T, ops: Ops[T]) -> T:
    """Senior Percentage of a loan group: the group's senior certificate balance divided by
    the group's pool balance, both before the distribution date, never more than 100%."""
    return ops.min(ops.div(senior_balance, group_balance), ops.const(1))


def subordinate_percentage(senior_pct: T, ops: Ops[T]) -> T:
    """Subordinate Percentage: 100% less the Senior Percentage."""
    return ops.const(1) - senior_pct


def stepdown_conditions(
    delinquent_60_avg: T,
    subordinate_balance: T,
    cumulative_loss: T,
    original_subordinate: Decimal,
    loss_limit: Decimal,
    delinquency_limit: Decimal,
    ops: Ops[T],
) -> Any:
    """Step-down conditions, both of which must hold for the senior prepayment percentage
    to fall: (a) the balance of loans 60 or more days delinquent (including foreclosure, REO
    and bankruptcy), averaged over the preceding months, is less than ``delinquency_limit``
    (e.g. 50%) of the aggregate subordinate balance; (b) cumulative realized losses do not
    exceed ``loss_limit`` (e.g. 30% in the eighth year, rising) of the original subordinate
    balance."""
    dq_ok = ops.gt(subordinate_balance * ops.const(delinquency_limit), delinquent_60_avg)
    loss_ok = ops.ge(ops.const(original_subordinate) * ops.const(loss_limit), cumulative_loss)
    return ops.logical_and(dq_ok, loss_ok)


def two_times_test(
    subordinate_pct: T,
    original_subordinate_pct: Decimal,
    cumulative_loss: T,
    original_subordinate: Decimal,
    loss_limit: Decimal,
    delinquency_ok: Any,
    ops: Ops[T],
) -> Any:
    """Two-times test: the subordinate percentage is at least twice its original value, the
    delinquency condition holds, and cumulative realized losses do not exceed ``loss_limit``
    of the original subordinate balance (20% before the third anniversary, 30% after)."""
    doubled = ops.ge(subordinate_pct, ops.const(original_subordinate_pct) * ops.const(2))
    loss_ok = ops.ge(ops.const(original_subordinate) * ops.const(loss_limit), cumulative_loss)
    return ops.logical_and(ops.logical_and(doubled, loss_ok), delinquency_ok)


def senior_prepayment_percentage(
    senior_pct: T,
    original_senior_pct: Decimal,
    scheduled_share: Decimal,
    conditions_met: Any,
    two_times: Any,
    before_third_anniversary: bool,
    prior_share: T,
    ops: Ops[T],
) -> tuple[T, T]:
    """Senior Prepayment Percentage and the subordinate share it keeps.

    ``scheduled_share`` is the part of the subordinate percentage the seniors still take
    on this date by the deal's schedule: 100% in the first years (lock-out), then e.g. 70%,
    60%, 40%, 20%, 0%. The percentage is
        senior % + share x subordinate %,
    where the share is the scheduled one when the step-down conditions hold, and otherwise
    stays at the share of the prior date (it never steps down while they fail). If the
    two-times test passes, the share is 50% before the third anniversary and 0% on or after
    it (when the schedule is not already lower). If the senior percentage exceeds its
    original value, the senior prepayment percentage is 100%.
    Returns (senior prepayment percentage, share used)."""
    sched = ops.const(scheduled_share)
    share = ops.where(conditions_met, ops.min(sched, prior_share), prior_share)
    two_times_share = ops.const(Decimal("0.5") if before_third_anniversary else Decimal(0))
    share = ops.where(two_times, ops.min(share, two_times_share), share)
    sub_pct = subordinate_percentage(senior_pct, ops)
    spp = ops.min(senior_pct + share * sub_pct, ops.const(1))
    over = ops.gt(senior_pct, ops.const(original_senior_pct))
    return ops.where(over, ops.const(1), spp), share


def senior_principal_distribution_amount(
    senior_pct: T,
    senior_prepayment_pct: T,
    scheduled_principal: T,
    prepayments: T,
    liquidated_balance: T,
    net_liquidation_proceeds: T,
    recoveries: T,
    ops: Ops[T],
) -> T:
    """Senior Principal Distribution Amount of a group, to the cent:
    senior % x scheduled principal
    + senior prepayment % x (payoffs, curtailments and repurchase principal)
    + for liquidated loans, the lesser of senior % x their balance and senior prepayment %
      x the net liquidation proceeds
    + senior prepayment % x subsequent recoveries."""
    liquidation = ops.min(
        senior_pct * liquidated_balance, senior_prepayment_pct * net_liquidation_proceeds
    )
    return ops.cents(
        senior_pct * scheduled_principal
        + senior_prepayment_pct * prepayments
        + liquidation
        + senior_prepayment_pct * recoveries
    )


def class_prepayment_trigger(
    class_and_junior_balance: T, pool_balance: T, original_fraction: Decimal, ops: Ops[T]
) -> Any:
    """Class Prepayment Distribution Trigger of a subordinate class: the class and every
    class junior to it, as a share of the pool, are at least their share at closing."""
    return ops.ge(ops.div(class_and_junior_balance, pool_balance), ops.const(original_fraction))


def subordinate_principal(
    amount: T,
    prepayment_part: T,
    balances: list[T],
    triggers: list[Any],
    ops: Ops[T],
) -> list[T]:
    """Subordinate principal among classes B-1 ... B-n (most senior first).

    The non-prepayment part of ``amount`` is shared pro rata by class balance. The
    prepayment part is shared pro rata only among the classes whose class prepayment
    distribution trigger is satisfied (the most senior class always qualifies); what a class
    would have taken otherwise goes to the more senior classes. No class receives more than
    its balance; any excess passes down in order of seniority."""
    zero = ops.const(0)
    regular = pro_rata(amount - prepayment_part, balances, ops)
    eligible = [
        ops.where(t if k else True, b, zero)
        for k, (b, t) in enumerate(zip(balances, triggers, strict=True))
    ]
    prepay = pro_rata(prepayment_part, eligible, ops)
    wanted = [r + p for r, p in zip(regular, prepay, strict=True)]
    paid = [ops.max(ops.min(w, b), zero) for w, b in zip(wanted, balances, strict=True)]
    spill = amount
    for p in paid:
        spill = spill - p
    room = [b - p for b, p in zip(balances, paid, strict=True)]
    extra = sequential(spill, room, ops)
    return [p + e for p, e in zip(paid, extra, strict=True)]


def allocate_losses(
    loss: T,
    excess_loss: T,
    senior_balances: list[T],
    subordinate_balances: list[T],
    ops: Ops[T],
) -> tuple[list[T], list[T]]:
    """Realized losses: ordinary losses write down the subordinate classes, the most junior
    first (``subordinate_balances`` are given most senior first); once the subordinates are
    exhausted (the credit support depletion date), the seniors pro rata by balance. Excess
    special hazard, fraud and bankruptcy losses (beyond their coverage) are shared pro rata
    by balance among every class. Returns (senior write-downs, subordinate write-downs)."""
    zero = ops.const(0)
    everyone = senior_balances + subordinate_balances
    excess_cut = pro_rata(excess_loss, everyone, ops)
    n_sen = len(senior_balances)
    sen_after = [b - c for b, c in zip(senior_balances, excess_cut[:n_sen], strict=True)]
    sub_after = [b - c for b, c in zip(subordinate_balances, excess_cut[n_sen:], strict=True)]
    sub_cut_rev = sequential(loss, list(reversed(sub_after)), ops)
    sub_cut = list(reversed(sub_cut_rev))
    used = zero
    for c in sub_cut:
        used = used + c
    rest = ops.max(loss - used, zero)
    sen_total = zero
    for b in sen_after:
        sen_total = sen_total + b
    sen_cut = pro_rata(ops.min(rest, sen_total), sen_after, ops)
    return (
        [a + b for a, b in zip(excess_cut[:n_sen], sen_cut, strict=True)],
        [a + b for a, b in zip(excess_cut[n_sen:], sub_cut, strict=True)],
    )
