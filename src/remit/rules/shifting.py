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


def delinquency_condition(
    delinquent_60_avg: Amount,
    subordinate_balance: Amount,
    delinquency_limit: Decimal,
    not_exceeding: bool,
    ops: Ops[Amount, Flag],
) -> Flag:
    """The delinquency condition of the step-down conditions and of the two-times test: the
    balance of loans 60 or more days delinquent (including foreclosure, REO and bankruptcy),
    averaged over the preceding months, is less than ``delinquency_limit`` (e.g. 50%) of the
    aggregate subordinate balance -- or, where the agreement says so (``not_exceeding``),
    does not exceed it (equal passes)."""
    limit = subordinate_balance * ops.const(delinquency_limit)
    if not_exceeding:
        return ops.ge(limit, delinquent_60_avg)
    return ops.gt(limit, delinquent_60_avg)


def stepdown_conditions(
    delinquency_ok: Flag,
    cumulative_loss: Amount,
    original_subordinate: Decimal,
    loss_limit: Decimal,
    ops: Ops[Amount, Flag],
) -> Flag:
    """Step-down conditions, both of which must hold for the senior prepayment percentage
    to fall: (a) the delinquency condition (:func:`delinquency_condition`); (b) cumulative
    realized losses do not exceed ``loss_limit`` (e.g. 30% in the eighth year, rising) of
    the original subordinate balance."""
    loss_ok = ops.ge(ops.const(original_subordinate) * ops.const(loss_limit), cumulative_loss)
    return ops.and_(delinquency_ok, loss_ok)


def two_times_test(
    subordinate_pct: Amount,
    original_subordinate_pct: Decimal,
    cumulative_loss: Amount,
    original_subordinate: Decimal,
    loss_limit: Decimal,
    delinquency_ok: Flag,
    ops: Ops[Amount, Flag],
) -> Flag:
    """Two-times test: the aggregate subordinate percentage is at least twice its original
    value, the delinquency condition holds, and cumulative realized losses do not exceed
    ``loss_limit`` of the original subordinate balance (20% before the third anniversary,
    30% after)."""
    doubled = ops.ge(subordinate_pct, ops.const(original_subordinate_pct) * ops.const(2))
    loss_ok = ops.ge(ops.const(original_subordinate) * ops.const(loss_limit), cumulative_loss)
    return ops.and_(ops.and_(doubled, loss_ok), delinquency_ok)


def stepdown_share(
    scheduled_share: Amount, conditions_met: Flag, prior_share: Amount, ops: Ops[Amount, Flag]
) -> Amount:
    """The part of the subordinate percentage the seniors take by the step-down schedule.

    ``scheduled_share`` is the deal's schedule on the date: 100% in the first years
    (lock-out), then e.g. 70%, 60%, 40%, 20%, 0%. The reduction happens only if the
    step-down conditions hold; while they fail the share stays at the prior date's (it
    never steps down). This is the share remembered from date to date."""
    return ops.where(conditions_met, ops.min(scheduled_share, prior_share), prior_share)


def two_times_share(
    share: Amount, two_times: Flag, before_third_anniversary: Flag, ops: Ops[Amount, Flag]
) -> Amount:
    """The share applied on the date: if the two-times test is met, 50% before the third
    anniversary and 0% on or after it (when the schedule's share is not already lower).
    The relief is for that date only: when the test fails on a later date the schedule's
    share applies again (inside the lock-out, 100%)."""
    relief = ops.where(before_third_anniversary, ops.const(Decimal("0.5")), ops.zero())
    return ops.where(two_times, ops.min(share, relief), share)


def above_original(
    senior_pct: Amount, original_senior_pct: Decimal, ops: Ops[Amount, Flag]
) -> Flag:
    """Whether a group's Senior Percentage exceeds its Senior Percentage at closing."""
    return ops.gt(senior_pct, ops.const(original_senior_pct))


def senior_prepayment_percentage(
    senior_pct: Amount, share: Amount, hundred: Flag, ops: Ops[Amount, Flag]
) -> Amount:
    """Senior Prepayment Percentage of a group: senior % + share x subordinate %, never
    above 100%; 100% where ``hundred`` (the senior percentage above its original value, in
    the group or, where the agreement says so, in any group)."""
    spp = ops.min(senior_pct + share * subordinate_percentage(senior_pct, ops), ops.const(1))
    return ops.where(hundred, ops.const(1), spp)


def senior_liquidation_amount(
    senior_pct: Amount,
    senior_prepayment_pct: Amount,
    liquidated_balance: Amount,
    liquidation_principal: Amount,
    excess_loss_balance: Amount,
    excess_loss_principal: Amount,
    ops: Ops[Amount, Flag],
) -> Amount:
    """The seniors' part of the liquidated loans' principal (not rounded): for liquidated
    loans without an Excess Loss, the lesser of the Senior Percentage of their Stated
    Principal Balance and the Senior Prepayment Percentage of their Liquidation Principal;
    for liquidated loans with an Excess Loss, the Senior Percentage of their Liquidation
    Principal (their losses are shared pro rata, and so is what they recover)."""
    ordinary = ops.min(
        senior_pct * (liquidated_balance - excess_loss_balance),
        senior_prepayment_pct * (liquidation_principal - excess_loss_principal),
    )
    return ordinary + senior_pct * excess_loss_principal


def senior_principal_distribution_amount(
    senior_pct: Amount,
    senior_prepayment_pct: Amount,
    scheduled_principal: Amount,
    prepayments: Amount,
    liquidation: Amount,
    recoveries: Amount,
    ops: Ops[Amount, Flag],
) -> Amount:
    """Senior Principal Distribution Amount of a group, to the cent:
    senior % x scheduled principal
    + senior prepayment % x (payoffs, curtailments and repurchase principal)
    + the seniors' part of the liquidated loans (:func:`senior_liquidation_amount`)
    + senior prepayment % x subsequent recoveries."""
    return ops.cents(
        senior_pct * scheduled_principal
        + senior_prepayment_pct * prepayments
        + liquidation
        + senior_prepayment_pct * recoveries
    )


def subordinate_withheld_part(
    senior_prepayment_pct: Amount,
    prepayments: Amount,
    repurchases: Amount,
    recoveries: Amount,
    liquidation_principal: Amount,
    senior_liquidation: Amount,
    unscheduled: bool,
    ops: Ops[Amount, Flag],
) -> Amount:
    """The part of a group's subordinate principal that a failing Class Prepayment
    Distribution Trigger withholds from a junior class, to the cent: the subordinate
    prepayment percentage (100% - senior prepayment %) of the principal prepayments; where
    the agreement says all unscheduled principal (``unscheduled``), also of the
    repurchases and subsequent recoveries, and the liquidation principal the seniors do
    not take."""
    sub_pct = ops.const(1) - senior_prepayment_pct
    if not unscheduled:
        return ops.cents(sub_pct * prepayments)
    return ops.cents(
        sub_pct * (prepayments + repurchases + recoveries)
        + liquidation_principal
        - senior_liquidation
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


def excess_losses(
    losses: list[Amount], coverage: Amount, ops: Ops[Amount, Flag]
) -> tuple[list[Amount], Amount]:
    """Excess Losses of one kind (special hazard, fraud or bankruptcy) on the date: the
    losses of that kind (by loan group) beyond the coverage amount left; the coverage is
    reduced by the losses it covers. The excess is shared by the groups in proportion to
    their losses of that kind. Returns (each group's excess loss, the coverage left)."""
    total = ops.sum(losses)
    covered = ops.min(total, ops.max(coverage, ops.zero()))
    return pro_rata(total - covered, losses, ops), coverage - covered


def coverage_reduced(
    coverage: Amount,
    amount: Decimal | None,
    pct: Decimal | None,
    pool: Amount,
    ops: Ops[Amount, Flag],
) -> Amount:
    """A scheduled reduction of a coverage amount: the lesser of the coverage left and
    ``amount``, or ``pct`` x the pool balance (to the cent)."""
    cap = ops.const(amount) if amount is not None else ops.cents(pool * ops.const(pct or 0))
    return ops.min(coverage, cap)


def _capped(
    wanted: list[Amount], left: list[Amount], ops: Ops[Amount, Flag]
) -> tuple[list[Amount], Amount]:
    """Each write-down no larger than the balance left; returns them and what did not fit."""
    cut = [ops.max(ops.min(w, b), ops.zero()) for w, b in zip(wanted, left, strict=True)]
    return cut, ops.sum(wanted) - ops.sum(cut)


def allocate_excess_losses(
    excess: list[Amount],
    senior_pcts: list[Amount],
    senior_balances: list[list[Amount]],
    subordinate_balances: list[Amount],
    by_balance: bool,
    ops: Ops[Amount, Flag],
) -> tuple[list[list[Amount]], list[Amount], list[Amount]]:
    """Excess Losses of each loan group as write-downs (balances after the date's principal).

    By the Senior Percentage (the usual crossed multi-group wording): the group's senior
    certificates bear the Senior Percentage of the group's excess loss, pro rata by class
    balance, and the subordinates the rest (the Subordinate Percentage), each class its
    share of the group's subordinate component -- pro rata by class balance. Or
    (``by_balance``) pro rata over every class of certificates by class balance. No class
    is written down below zero. Returns (each group's senior write-downs, the subordinate
    write-downs, each group's excess loss that found no balance)."""
    groups = range(len(excess))
    if by_balance:
        flat = [b for bal in senior_balances for b in bal] + subordinate_balances
        wanted = pro_rata(ops.sum(excess), flat, ops)
        cut, lost = _capped(wanted, flat, ops)
        sen: list[list[Amount]] = []
        for bal in senior_balances:
            sen.append(cut[: len(bal)])
            cut = cut[len(bal) :]
        return sen, cut, pro_rata(lost, excess, ops)
    sen = []
    sub = [ops.zero() for _ in subordinate_balances]
    sub_left = list(subordinate_balances)
    spill = []
    for g in groups:
        sp = senior_pcts[g]
        sen_part, sub_part = pro_rata(excess[g], [sp, ops.const(1) - sp], ops)
        cut, lost = _capped(pro_rata(sen_part, senior_balances[g], ops), senior_balances[g], ops)
        sen.append(cut)
        sub_cut, sub_lost = _capped(pro_rata(sub_part, subordinate_balances, ops), sub_left, ops)
        sub = [a + b for a, b in zip(sub, sub_cut, strict=True)]
        sub_left = [b - c for b, c in zip(sub_left, sub_cut, strict=True)]
        spill.append(lost + sub_lost)
    return sen, sub, spill


def allocate_losses(
    losses: list[Amount],
    excess: list[Amount],
    senior_pcts: list[Amount],
    senior_balances: list[list[Amount]],
    subordinate_balances: list[Amount],
    excess_by_balance: bool,
    ops: Ops[Amount, Flag],
) -> tuple[list[list[Amount]], list[Amount], list[Amount]]:
    """Realized losses of a date, by loan group, as write-downs of each group's seniors and
    of the subordinates (balances after the date's principal; subordinates most senior
    first).

    Excess Losses are allocated pro rata (:func:`allocate_excess_losses`); the other
    realized losses (with any excess loss that found no balance) write down the
    subordinate classes, the most junior first, and what the subordinates cannot absorb
    (from the credit support depletion date) goes to the group whose loans lost it, its
    seniors pro rata by balance, until their balances are reduced to zero. Both on the
    balances after the date's principal. What the group's seniors cannot take either (they
    are retired) the PSA allocates to no class: the certificates then stand above the pool
    by it, and the holders bear it at the end.
    Returns (each group's senior write-downs, the subordinate write-downs, each group's
    loss allocated to no class)."""
    sen_x, sub_x, spill = allocate_excess_losses(
        excess, senior_pcts, senior_balances, subordinate_balances, excess_by_balance, ops
    )
    ordinary = [a + b for a, b in zip(losses, spill, strict=True)]
    sub_left = [b - c for b, c in zip(subordinate_balances, sub_x, strict=True)]
    sub_cut = list(reversed(sequential(ops.sum(ordinary), list(reversed(sub_left)), ops)))
    rest = ops.sum(ordinary) - ops.sum(sub_cut)
    sen_cut, unallocated = [], []
    for part, bal, cut_x in zip(pro_rata(rest, ordinary, ops), senior_balances, sen_x, strict=True):
        left = [b - c for b, c in zip(bal, cut_x, strict=True)]
        taken = ops.min(part, ops.sum(left))
        cut = pro_rata(taken, left, ops)
        sen_cut.append([a + b for a, b in zip(cut_x, cut, strict=True)])
        unallocated.append(part - taken)
    return sen_cut, [a + b for a, b in zip(sub_x, sub_cut, strict=True)], unallocated


def subordinate_certificate_writedown(
    certificates: Amount, pool: Amount, subordinate_balances: list[Amount], ops: Ops[Amount, Flag]
) -> list[Amount]:
    """Subordinate Certificate Writedown Amount: the excess of the certificates' balance
    (after the date's principal distributions and realized losses) over the pool balance,
    written down from the subordinate classes, the most junior first (balances most senior
    first; returns each one's write-down). The certificates of a senior/subordinate deal
    never exceed its loans: whatever leaves them above the pool -- a cent of principal that
    paid interest rounded up, principal short of what was due -- reduces the most junior
    class. What the subordinates cannot absorb stays (the close refuses it)."""
    excess = ops.max(certificates - pool, ops.zero())
    return list(reversed(sequential(excess, list(reversed(subordinate_balances)), ops)))
