"""Principal and overcollateralization rules (market-standard definitions for a senior /
mezzanine / overcollateralization structure; the deal spec supplies every parameter)."""

from __future__ import annotations

from decimal import Decimal

from remit.rules.ops import Amount, Flag, Ops


def overcollateralized_amount(
    pool_balance: Amount, certificates: Amount, ops: Ops[Amount, Flag]
) -> Amount:
    """Overcollateralized Amount: the excess, if any, of the pool balance over the
    certificates' balance (never below zero)."""
    return ops.max(pool_balance - certificates, ops.const(0))


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
    cap_at_initial: bool = False,
) -> Amount:
    """Overcollateralization Target Amount (the Specified Overcollateralization Amount).
    Before the Stepdown Date: specified_pct x cut-off balance.
    On and after it, with no Trigger Event: the greater of stepdown_pct x the ending pool
    balance and the floor (floor_pct x cut-off balance); with ``cap_at_initial`` ("the lesser
    of"), never more than the amount before the Stepdown Date.
    On and after it, with a Trigger Event in effect: the prior distribution date's amount."""
    initial = ops.cents(ops.const(cut_off_balance) * ops.const(specified_pct))
    floor = ops.cents(ops.const(cut_off_balance) * ops.const(floor_pct))
    stepped = ops.max(ops.cents(ending_pool * ops.const(stepdown_pct)), floor)
    if cap_at_initial:
        stepped = ops.min(initial, stepped)
    after = ops.where(trigger, prior_specified, stepped)
    return ops.where(after_stepdown, after, initial)


def oc_floor(
    cut_off_balance: Decimal, floor_pct: Decimal, after_stepdown: Flag, ops: Ops[Amount, Flag]
) -> Amount:
    """The overcollateralization floor in force: floor_pct x cut-off balance on and after the
    stepdown date, nothing before it (printed as the 'Base Overcollateralization Amount')."""
    floor = ops.cents(ops.const(cut_off_balance) * ops.const(floor_pct))
    return ops.where(after_stepdown, floor, ops.const(0))


def oc_deficiency(target: Amount, oc_amount: Amount, ops: Ops[Amount, Flag]) -> Amount:
    """Overcollateralization Deficiency Amount: the excess, if any, of the target over the
    Overcollateralized Amount (itself never below zero). The standard measures it after the
    principal remittance is distributed and before the extra principal."""
    return ops.max(target - ops.max(oc_amount, ops.const(0)), ops.const(0))


def oc_release(
    target: Amount,
    oc_amount: Amount,
    principal_remittance: Amount,
    building: Flag,
    ops: Ops[Amount, Flag],
) -> Amount:
    """Overcollateralization Release (Reduction) Amount: the lesser of the principal
    remittance amount and the excess, if any, of the Overcollateralized Amount (all the
    principal remittance applied as principal) over the target; none before the
    overcollateralization starts building."""
    release = ops.max(ops.min(oc_amount - target, principal_remittance), ops.const(0))
    return ops.where(building, release, ops.const(0))


def extra_principal(
    required: Amount, oc_amount: Amount, excess_cash: Amount, ops: Ops[Amount, Flag]
) -> Amount:
    """Extra Principal Distribution Amount: the lesser of the Net Monthly Excess Cashflow and
    the Overcollateralization Deficiency Amount against the required target (which is zero
    before the overcollateralization starts building)."""
    return ops.min(excess_cash, oc_deficiency(required, oc_amount, ops))


def net_monthly_excess_cashflow(
    interest_left: Amount, release: Amount, principal_unpaid: Amount, ops: Ops[Amount, Flag]
) -> Amount:
    """Net Monthly Excess Cashflow: the interest remittance left after the certificates'
    current and unpaid interest, plus the Overcollateralization Release Amount (plus any
    principal no class is owed, once the classes are paid off or at their targets)."""
    return ops.sum([interest_left, release, principal_unpaid])


def principal_distribution_before_stepdown(
    principal_remittance: Amount,
    pool_ending: Amount,
    certificates: Amount,
    interest_left: Amount,
    target: Amount,
    building: Flag,
    ops: Ops[Amount, Flag],
) -> Amount:
    """Principal Distribution Amount as before the Stepdown Date: the principal remittance
    amount less the Overcollateralization Release Amount plus the Extra Principal
    Distribution Amount, against the target before the Stepdown Date (what a Senior
    Enhancement Percentage "after the date's distributions" takes the seniors to be paid)."""
    zero = ops.const(0)
    oc_amount = overcollateralized_amount(
        pool_ending, ops.max(certificates - principal_remittance, zero), ops
    )
    release = oc_release(target, oc_amount, principal_remittance, building, ops)
    unpaid = ops.max(principal_remittance - release - certificates, zero)
    nmec = net_monthly_excess_cashflow(interest_left, release, unpaid, ops)
    extra = extra_principal(ops.where(building, target, zero), oc_amount, nmec, ops)
    return principal_remittance - release + extra


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
