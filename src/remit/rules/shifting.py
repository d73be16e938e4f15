"""Shifting-interest rules of a senior/subordinate deal (market-standard definitions of the
prime jumbo pooling and servicing agreements of the early 2000s). Written over an ``ops`` so
that they run exactly in a close and on vectors in a projection.

Percentages are fractions (0.9625, not 96.25%)."""

from __future__ import annotations

from decimal import Decimal

from remit.rules.interest import pro_rata
from remit.rules.ops import Amount, Flag, Ops
from remit.rules.principal import sequential


def senior_percentage(
    senior_balance: Amount, group_balance: Amount, ops: Ops[Amount, Flag]
) -> Amount:
    """Senior Percentage of a loan group: the group's senior certificate balance divided by
    the group's pool balance, both before the distribution date, never more than 100%."""
    return ops.min(ops.div(senior_balance, group_balance), ops.const(1))


def subordinate_percentage(senior_pct: Amount, ops: Ops[Amount, Flag]) -> Amount:
    """Subordinate Percentage: 100% less the Senior Percentage."""
    return ops.const(1) - senior_pct


def stepdown_conditions(
    delinquent_60_avg: Amount,
    subordinate_balance: Amount,
    cumulative_loss: Amount,
    original_subordinate: Decimal,
    loss_limit: Decimal,
    delinquency_limit: Decimal,
    ops: Ops[Amount, Flag],
) -> Flag:
    """Step-down conditions, both of which must hold for the senior prepayment percentage
    to fall: (a) the balance of loans 60 or more days delinquent (including foreclosure, REO
    and bankruptcy), averaged over the preceding months, is less than ``delinquency_limit``
    (e.g. 50%) of the aggregate subordinate balance; (b) cumulative realized losses do not
    exceed ``loss_limit`` (e.g. 30% in the eighth year, rising) of the original subordinate
    balance."""
    dq_ok = ops.gt(subordinate_balance * ops.const(delinquency_limit), delinquent_60_avg)
    loss_ok = ops.ge(ops.const(original_subordinate) * ops.const(loss_limit), cumulative_loss)
    return ops.and_(dq_ok, loss_ok)


def two_times_test(
    subordinate_pct: Amount,
    original_subordinate_pct: Decimal,
    cumulative_loss: Amount,
    original_subordinate: Decimal,
    loss_limit: Decimal,
    delinquency_ok: Flag,
    ops: Ops[Amount, Flag],
) -> Flag:
    """Two-times test: the subordinate percentage is at least twice its original value, the
    delinquency condition holds, and cumulative realized losses do not exceed ``loss_limit``
    of the original subordinate balance (20% before the third anniversary, 30% after)."""
    doubled = ops.ge(subordinate_pct, ops.const(original_subordinate_pct) * ops.const(2))
    loss_ok = ops.ge(ops.const(original_subordinate) * ops.const(loss_limit), cumulative_loss)
    return ops.and_(ops.and_(doubled, loss_ok), delinquency_ok)


def senior_prepayment_percentage(
    senior_pct: Amount,
    original_senior_pct: Decimal,
    scheduled_share: Amount,
    conditions_met: Flag,
    two_times: Flag,
    before_third_anniversary: Flag,
    prior_share: Amount,
    ops: Ops[Amount, Flag],
) -> tuple[Amount, Amount]:
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
    share = ops.where(conditions_met, ops.min(scheduled_share, prior_share), prior_share)
    two_times_share = ops.where(before_third_anniversary, ops.const(Decimal("0.5")), ops.zero())
    share = ops.where(two_times, ops.min(share, two_times_share), share)
    sub_pct = subordinate_percentage(senior_pct, ops)
    spp = ops.min(senior_pct + share * sub_pct, ops.const(1))
    over = ops.gt(senior_pct, ops.const(original_senior_pct))
    return ops.where(over, ops.const(1), spp), share


def senior_principal_distribution_amount(
    senior_pct: Amount,
    senior_prepayment_pct: Amount,
    scheduled_principal: Amount,
    prepayments: Amount,
    liquidated_balance: Amount,
    net_liquidation_proceeds: Amount,
    recoveries: Amount,
    ops: Ops[Amount, Flag],
) -> Amount:
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
    class_and_junior_balance: Amount,
    pool_balance: Amount,
    original_fraction: Decimal,
    ops: Ops[Amount, Flag],
) -> Flag:
    """Class Prepayment Distribution Trigger of a subordinate class: the class and every
    class junior to it, as a share of the pool, are at least their share at closing."""
    return ops.ge(ops.div(class_and_junior_balance, pool_balance), ops.const(original_fraction))


def subordinate_principal(
    amount: Amount,
    prepayment_part: Amount,
    balances: list[Amount],
    triggers: list[Flag],
    ops: Ops[Amount, Flag],
) -> list[Amount]:
    """Subordinate principal among classes B-1 ... B-n (most senior first).

    The non-prepayment part of ``amount`` is shared pro rata by class balance. The
    prepayment part is shared pro rata only among the classes whose class prepayment
    distribution trigger is satisfied (the most senior class always qualifies); what a class
    would have taken otherwise goes to the more senior classes. No class receives more than
    its balance; any excess passes down in order of seniority."""
    zero = ops.const(0)
    regular = pro_rata(amount - prepayment_part, balances, ops)
    eligible = [
        ops.where(t if k else ops.flag(True), b, zero)
        for k, (b, t) in enumerate(zip(balances, triggers, strict=True))
    ]
    prepay = pro_rata(prepayment_part, eligible, ops)
    wanted = [r + p for r, p in zip(regular, prepay, strict=True)]
    paid = [ops.max(ops.min(w, b), zero) for w, b in zip(wanted, balances, strict=True)]
    spill = amount - ops.sum(paid)
    room = [b - p for b, p in zip(balances, paid, strict=True)]
    extra = sequential(spill, room, ops)
    return [p + e for p, e in zip(paid, extra, strict=True)]


def allocate_losses(
    losses: list[Amount],
    excess_losses: list[Amount],
    senior_balances: list[list[Amount]],
    subordinate_balances: list[Amount],
    group_balances: list[Amount],
    ops: Ops[Amount, Flag],
) -> tuple[list[list[Amount]], list[Amount]]:
    """Realized losses of a date, by loan group, as write-downs of each group's seniors and
    of the subordinates (balances after the date's principal; subordinates most senior
    first).

    Ordinary losses write down the subordinate classes, the most junior first; what the
    subordinates cannot absorb (after the credit support depletion date) is shared by the
    groups in proportion to their losses and, within a group, by its seniors pro rata by
    balance. Excess special hazard, fraud and bankruptcy losses of a group are then shared
    pro rata by the group's seniors' balances and the subordinates' balances weighted by the
    group's share of the pool, none beyond a class's balance.
    Returns (each group's senior write-downs, the subordinate write-downs)."""
    sub_cut = list(reversed(sequential(ops.sum(losses), list(reversed(subordinate_balances)), ops)))
    rest = ops.sum(losses) - ops.sum(sub_cut)
    sen_cut = [
        pro_rata(ops.min(part, ops.sum(bal)), bal, ops)
        for part, bal in zip(pro_rata(rest, losses, ops), senior_balances, strict=True)
    ]
    sen_left = [
        [b - c for b, c in zip(bal, cut, strict=True)]
        for bal, cut in zip(senior_balances, sen_cut, strict=True)
    ]
    sub_left = [b - c for b, c in zip(subordinate_balances, sub_cut, strict=True)]
    sub_after = list(sub_left)
    pool = ops.sum(group_balances)
    for g, (excess, group) in enumerate(zip(excess_losses, group_balances, strict=True)):
        weight = ops.div(group, pool)
        n_sen = len(sen_left[g])
        cuts = pro_rata(excess, sen_left[g] + [b * weight for b in sub_after], ops)
        for i, cut in enumerate(cuts[:n_sen]):
            cut = ops.min(cut, sen_left[g][i])
            sen_cut[g][i] = sen_cut[g][i] + cut
            sen_left[g][i] = sen_left[g][i] - cut
        for i, cut in enumerate(cuts[n_sen:]):
            cut = ops.min(cut, sub_left[i])
            sub_cut[i] = sub_cut[i] + cut
            sub_left[i] = sub_left[i] - cut
    return sen_cut, sub_cut
