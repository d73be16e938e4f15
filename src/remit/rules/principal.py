"""Principal and overcollateralization rules (market-standard definitions for a senior /
mezzanine / overcollateralization structure; the deal spec supplies every parameter)."""

from __future__ import annotations

from decimal import Decimal

from remit.rules.ops import Amount, Flag, Ops


def specified_oc(
    cut_off_balance: Decimal,
    specified_pct: Decimal,
    stepdown_pct: Decimal,
    floor_pct: Decimal,
    ending_pool: Amount,
    after_stepdown: Flag,
    trigger: Flag,
    prior_specified: Amount,
    ops: Ops[Amount, Flag],
) -> Amount:
    """Specified Overcollateralization Amount.
    Before the stepdown date: specified_pct x cut-off balance.
    On and after it, with no trigger event: the lesser of that and stepdown_pct x current pool
    balance, but not below the floor (floor_pct x cut-off balance).
    On and after it, with a trigger event in effect: the amount of the prior distribution date."""
    initial = ops.cents(ops.const(cut_off_balance) * ops.const(specified_pct))
    floor = ops.cents(ops.const(cut_off_balance) * ops.const(floor_pct))
    stepped = ops.max(ops.min(initial, ops.cents(ending_pool * ops.const(stepdown_pct))), floor)
    after = ops.where(trigger, prior_specified, stepped)
    return ops.where(after_stepdown, after, initial)


def oc_floor(
    cut_off_balance: Decimal, floor_pct: Decimal, after_stepdown: Flag, ops: Ops[Amount, Flag]
) -> Amount:
    """The overcollateralization floor in force: floor_pct x cut-off balance on and after the
    stepdown date, nothing before it (printed as the 'Base Overcollateralization Amount')."""
    floor = ops.cents(ops.const(cut_off_balance) * ops.const(floor_pct))
    return ops.where(after_stepdown, floor, ops.const(0))


def oc_deficiency(specified: Amount, oc_amount: Amount, ops: Ops[Amount, Flag]) -> Amount:
    """Overcollateralization Deficiency Amount: specified OC less the OC amount, if positive."""
    return ops.max(specified - oc_amount, ops.const(0))


def oc_release(
    specified: Amount, oc_amount: Amount, principal_remittance: Amount, ops: Ops[Amount, Flag]
) -> Amount:
    """Overcollateralization Release Amount: the OC amount in excess of the specified amount,
    limited to the principal remittance amount."""
    return ops.max(ops.min(oc_amount - specified, principal_remittance), ops.const(0))


def extra_principal(
    required: Amount, oc_amount: Amount, excess_cash: Amount, ops: Ops[Amount, Flag]
) -> Amount:
    """Extra Principal Distribution Amount: the lesser of the net monthly excess cashflow and
    the amount needed to bring the OC amount up to the required (building) target."""
    return ops.max(ops.min(excess_cash, required - oc_amount), ops.const(0))


def sequential(amount: Amount, balances: list[Amount], ops: Ops[Amount, Flag]) -> list[Amount]:
    """Pay ``amount`` to the classes in order, each until its balance is zero."""
    out: list[Amount] = []
    left = amount
    for bal in balances:
        pay = ops.max(ops.min(left, bal), ops.const(0))
        out.append(pay)
        left = left - pay
    return out


def target_paydown(
    amount: Amount,
    balances: list[Amount],
    targets: list[Decimal],
    ending_pool: Amount,
    floor: Amount,
    ops: Ops[Amount, Flag],
) -> list[Amount]:
    """Class Principal Distribution Amounts after the stepdown date: class k receives the
    excess of (the balances of classes 1..k after the payments to classes 1..k-1) over the
    lesser of target_k x pool balance and pool balance - OC floor; never more than what is
    left of the principal distribution amount."""
    out: list[Amount] = []
    left = amount
    paid_above = ops.const(0)
    balance_through = ops.const(0)
    for bal, target in zip(balances, targets, strict=True):
        balance_through = balance_through + bal
        cap = ops.min(ops.cents(ending_pool * ops.const(target)), ending_pool - floor)
        want = ops.max(balance_through - paid_above - cap, ops.const(0))
        pay = ops.max(ops.min(ops.min(want, bal), left), ops.const(0))
        out.append(pay)
        left = left - pay
        paid_above = paid_above + pay
    return out
