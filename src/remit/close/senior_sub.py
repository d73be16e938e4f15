"""The shifting-interest waterfall of a senior/subordinate deal, written once over an
``ops`` like the overcollateralization waterfall (:mod:`remit.close.waterfall`).

Each loan group pays its own seniors first -- interest, then the Senior Principal
Distribution Amount -- from the group's available funds. A group whose seniors are retired
passes its senior principal to the other groups' seniors; a group whose seniors are
undercollateralized is paid from the other groups' funds. What is left is pooled and pays
the subordinate classes in order, interest then principal, each; the residual class takes
the rest. Realized losses write down the subordinates, the most junior first, then (after
the credit support depletion date) each group's seniors pro rata; excess special hazard,
fraud and bankruptcy losses are shared by a group's seniors and the subordinates."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, TypeVar

import numpy as np

from remit.close.waterfall import CERT, ClassIn, ClassOut, Flow, WaterfallOut
from remit.rules import interest, losses, principal, shifting
from remit.rules.ops import FloatArray, Ops
from remit.spec.models import ShiftingSpec

T = TypeVar("T")


@dataclass
class GroupIn(Generic[T]):
    """A loan group's period: pool balances and the funds it collected."""

    beginning: T
    ending: T
    interest_funds: T
    scheduled_principal: T
    prepayments: T
    liquidated_balance: T
    liquidation_proceeds: T
    recoveries: T
    losses: T
    excess_losses: T


@dataclass
class SeniorSubIn(Generic[T]):
    classes: dict[str, ClassIn[T]]
    groups: dict[str, GroupIn[T]]
    interest_shortfall: T
    penalties: T
    scheduled_share: Decimal
    prior_share: T
    conditions_met: Any
    two_times: Any
    before_third_anniversary: bool
    depleted: Any


def original_senior_pct(spec: ShiftingSpec, group: str) -> Decimal:
    g = next(x for x in spec.shifting_interest.groups if x.name == group)
    seniors = sum((spec.cls(n).original_balance for n in g.seniors), Decimal(0))
    return seniors / g.cut_off_balance


def original_fractions(spec: ShiftingSpec) -> list[Decimal]:
    """For each subordinate class, it and every class junior to it as a share of the pool
    at closing (the class prepayment distribution triggers' thresholds)."""
    subs = spec.shifting_interest.subordinates
    pool = spec.collateral.cut_off_balance
    return [
        sum((spec.cls(n).original_balance for n in subs[k:]), Decimal(0)) / pool
        for k in range(len(subs))
    ]


def run(spec: ShiftingSpec, w: SeniorSubIn[T], ops: Ops[T]) -> WaterfallOut[T]:
    si = spec.shifting_interest
    zero = ops.const(0)
    flows: list[Flow[T]] = []
    names = list(w.classes)
    cls = w.classes
    basis = si.basis

    def cash(step: str, target: str, amount: T) -> None:
        flows.append(Flow(step, basis, CERT, f"holder:{target}", amount))

    def memo(step: str, source: str, target: str, amount: T) -> None:
        flows.append(Flow(step, basis, source, target, amount, "memo"))

    balance = {n: cls[n].balance for n in names}
    unpaid_loss = {n: cls[n].unpaid_realized_loss for n in names}
    writeup = dict.fromkeys(names, zero)
    writedown = dict.fromkeys(names, zero)
    principal_paid = dict.fromkeys(names, zero)
    current_paid = dict.fromkeys(names, zero)
    carried_paid = dict.fromkeys(names, zero)
    unpaid_interest = dict.fromkeys(names, zero)
    current_shortfall = dict.fromkeys(names, zero)
    group_names = [g.name for g in si.groups]
    seniors = {g.name: g.seniors for g in si.groups}
    subs = si.subordinates

    # 1. Subsequent recoveries write up written-down classes, the most senior first.
    order_up = [n for g in group_names for n in seniors[g]] + subs
    total_recoveries = zero
    for g in group_names:
        total_recoveries = total_recoveries + w.groups[g].recoveries
    ups = losses.write_up(total_recoveries, [unpaid_loss[n] for n in order_up], ops)
    for n, up in zip(order_up, ups, strict=True):
        writeup[n] = up
        balance[n] = balance[n] + up
        unpaid_loss[n] = unpaid_loss[n] - up
        memo("losses.writeup", "loss:recovered", f"balance:{n}", up)

    # 2. Current interest, net shortfalls pro rata by it, unpaid interest with interest.
    accrued = {
        n: interest.current_interest(cls[n].accrual_base, cls[n].rate, cls[n].days, 360, ops)
        for n in names
    }
    bearing = [n for n in names if n in order_up]
    total_accrued = zero
    for n in bearing:
        total_accrued = total_accrued + accrued[n]
    nss = dict.fromkeys(names, zero) | dict(
        zip(
            bearing,
            interest.pro_rata(
                ops.min(w.interest_shortfall, total_accrued), [accrued[n] for n in bearing], ops
            ),
            strict=True,
        )
    )
    # unpaid interest is carried forward without interest on it (prime senior/subordinate
    # agreements), unlike an overcollateralization deal's interest carry forward amount
    carried = {n: cls[n].unpaid_interest for n in names}

    def pay_interest(group: list[str], funds: T) -> T:
        due = [accrued[n] - nss[n] + carried[n] for n in group]
        paid = interest.pay_pro_rata(funds, due, ops)
        for n, d, p in zip(group, due, paid, strict=True):
            to_carried = ops.min(p, carried[n])
            carried_paid[n] = to_carried
            current_paid[n] = p - to_carried
            current_shortfall[n] = accrued[n] - nss[n] - (p - to_carried)
            unpaid_interest[n] = d - p
            cash("interest.unpaid", n, to_carried)
            cash("interest.current", n, p - to_carried)
            funds = funds - p
        return funds

    def pay_principal(step: str, group: list[str], amount: T, pro_rata: Any) -> T:
        bal = [balance[n] for n in group]
        seq = principal.sequential(amount, bal, ops)
        total = zero
        for b in bal:
            total = total + b
        prr = interest.pro_rata(ops.min(amount, total), bal, ops)
        paid_total = zero
        for n, a, b in zip(group, seq, prr, strict=True):
            pay = ops.where(pro_rata, b, a)
            balance[n] = balance[n] - pay
            principal_paid[n] = principal_paid[n] + pay
            paid_total = paid_total + pay
            cash(step, n, pay)
        return paid_total

    # 3. Each group: senior percentage, senior prepayment percentage, seniors paid.
    funds: dict[str, T] = {}
    senior_pda: dict[str, T] = {}
    senior_left: dict[str, T] = {}
    metrics: dict[str, T] = {}
    share = w.prior_share
    sub_prepay_part = zero
    sub_amount = zero
    for g in group_names:
        gi = w.groups[g]
        sen_bal = zero
        for n in seniors[g]:
            sen_bal = sen_bal + balance[n] - writeup[n]
        sp = shifting.senior_percentage(sen_bal, gi.beginning, ops)
        spp, share = shifting.senior_prepayment_percentage(
            sp,
            original_senior_pct(spec, g),
            w.scheduled_share,
            w.conditions_met,
            w.two_times,
            w.before_third_anniversary,
            w.prior_share,
            ops,
        )
        pda = shifting.senior_principal_distribution_amount(
            sp,
            spp,
            gi.scheduled_principal,
            gi.prepayments,
            gi.liquidated_balance,
            gi.liquidation_proceeds,
            gi.recoveries,
            ops,
        )
        collected = (
            gi.scheduled_principal + gi.prepayments + gi.liquidation_proceeds + gi.recoveries
        )
        sub_amount = sub_amount + ops.max(collected - pda, zero)
        sub_prepay_part = sub_prepay_part + ops.cents(
            (ops.const(1) - spp) * (gi.prepayments + gi.recoveries)
        )
        f = pay_interest(seniors[g], gi.interest_funds + collected)
        paid = pay_principal("principal.senior", seniors[g], ops.min(pda, f), w.depleted)
        funds[g] = f - paid
        senior_pda[g] = pda
        senior_left[g] = pda - paid
        metrics[f"group:{g}:senior_percentage"] = sp
        metrics[f"group:{g}:senior_prepayment_percentage"] = spp
        metrics[f"group:{g}:senior_principal"] = pda
    metrics["senior_prepayment_share"] = share

    # 4. A group whose seniors are retired passes its senior principal to the others'.
    for g in group_names:
        left = zero
        for n in seniors[g]:
            left = left + balance[n]
        retired = ops.gt(ops.const(Decimal("0.005")), left)
        others = [n for h in group_names if h != g for n in seniors[h]]
        if not others:
            continue
        give = ops.where(retired, ops.min(senior_left[g], funds[g]), zero)
        paid = pay_principal("principal.senior_retired_group", others, give, w.depleted)
        funds[g] = funds[g] - paid

    # 5. Cross-collateralization: undercollateralized seniors are paid from other groups.
    for g in group_names:
        sen_bal = zero
        for n in seniors[g]:
            sen_bal = sen_bal + balance[n]
        short = ops.max(sen_bal - w.groups[g].ending, zero)
        for h in group_names:
            if h == g:
                continue
            take = ops.min(short, funds[h])
            paid = pay_principal("principal.cross_collateral", seniors[g], take, w.depleted)
            funds[h] = funds[h] - paid
            short = short - paid

    # 6. The subordinates, in order: interest, then principal.
    pool = zero
    pool_begin = zero
    for g in group_names:
        pool = pool + funds[g]
        pool_begin = pool_begin + w.groups[g].beginning
    sub_bal = [balance[n] for n in subs]
    junior = zero
    fractions = original_fractions(spec)
    triggers: list[Any] = [True] * len(subs)
    if si.class_prepayment_triggers:
        for k in range(len(subs) - 1, -1, -1):
            junior = junior + sub_bal[k]
            triggers[k] = shifting.class_prepayment_trigger(junior, pool_begin, fractions[k], ops)
    plan = shifting.subordinate_principal(
        sub_amount, ops.min(sub_prepay_part, sub_amount), sub_bal, triggers, ops
    )
    metrics["subordinate_principal"] = sub_amount
    for n, planned in zip(subs, plan, strict=True):
        pool = pay_interest([n], pool)
        pool = pool - pay_principal("principal.subordinate", [n], ops.min(planned, pool), False)
    cash("residual.remainder", si.residual, pool)
    pen = spec.prepayment_penalties
    flows.append(Flow("prepayment_penalties", pen.basis, CERT, f"holder:{pen.payee}", w.penalties))

    # 7. Losses: ordinary ones junior first, then the group's seniors; excess ones shared.
    ordinary = zero
    for g in group_names:
        ordinary = ordinary + w.groups[g].losses
    sub_cuts = list(
        reversed(principal.sequential(ordinary, list(reversed([balance[n] for n in subs])), ops))
    )
    absorbed = zero
    for n, cut in zip(subs, sub_cuts, strict=True):
        writedown[n] = writedown[n] + cut
        absorbed = absorbed + cut
    rest = ordinary - absorbed
    loss_shares = interest.pro_rata(rest, [w.groups[g].losses for g in group_names], ops)
    for g, part in zip(group_names, loss_shares, strict=True):
        bal = [balance[n] for n in seniors[g]]
        total = zero
        for b in bal:
            total = total + b
        for n, cut in zip(
            seniors[g], interest.pro_rata(ops.min(part, total), bal, ops), strict=True
        ):
            writedown[n] = writedown[n] + cut
    for n in names:
        balance[n] = balance[n] - writedown[n]
    sub_after = [balance[n] for n in subs]
    for g in group_names:
        gi = w.groups[g]
        weight = ops.div(gi.beginning, pool_begin)
        sen = [balance[n] for n in seniors[g]]
        sub_w = [b * weight for b in sub_after]
        cuts = interest.pro_rata(gi.excess_losses, sen + sub_w, ops)
        for n, cut in zip(seniors[g] + subs, cuts, strict=True):
            cut = ops.min(cut, balance[n])
            writedown[n] = writedown[n] + cut
            balance[n] = balance[n] - cut
    for n in names:
        unpaid_loss[n] = unpaid_loss[n] + writedown[n]
        memo("losses.writedown", f"balance:{n}", "loss:applied", writedown[n])

    out: dict[str, ClassOut[T]] = {}
    for n in names:
        out[n] = ClassOut(
            accrued=accrued[n],
            non_supported_shortfall=nss[n],
            interest_current_paid=current_paid[n],
            interest_unpaid_paid=carried_paid[n],
            current_shortfall=current_shortfall[n],
            unpaid_interest=unpaid_interest[n],
            basis_risk_paid=zero,
            basis_risk_carryforward=zero,
            realized_loss_paid=zero,
            unpaid_realized_loss=unpaid_loss[n],
            principal_paid=principal_paid[n],
            writedown=writedown[n],
            writeup=writeup[n],
            balance=balance[n],
        )
    return WaterfallOut(flows, out, metrics)


def vectorize(w: SeniorSubIn[Decimal], n: int) -> SeniorSubIn[FloatArray]:
    """The same inputs as ``n`` identical float scenarios, for the vector mode."""
    from remit.close.waterfall import vectorize_class

    def v(x: Decimal) -> FloatArray:
        return np.full(n, float(x))

    return SeniorSubIn(
        classes={k: vectorize_class(c, n) for k, c in w.classes.items()},
        groups={
            k: GroupIn(*(v(getattr(g, f)) for f in GroupIn.__dataclass_fields__))
            for k, g in w.groups.items()
        },
        interest_shortfall=v(w.interest_shortfall),
        penalties=v(w.penalties),
        scheduled_share=w.scheduled_share,
        prior_share=v(w.prior_share),
        conditions_met=np.full(n, bool(w.conditions_met)),
        two_times=np.full(n, bool(w.two_times)),
        before_third_anniversary=w.before_third_anniversary,
        depleted=np.full(n, bool(w.depleted)),
    )
