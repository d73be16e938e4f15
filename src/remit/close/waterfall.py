"""The waterfall, written once over an ``ops``: the close runs it on exact Decimals for one
date, projections on numpy vectors (one element per scenario).

It takes the period's available funds and the classes' opening positions and returns every
movement of money as a :class:`Flow`, the classes' closing positions and the figures the
statement prints (OC amounts, excess cash). Each flow names its waterfall step and basis."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Generic, Literal, TypeVar

import numpy as np

from remit.rules import interest, losses, principal
from remit.rules.ops import FloatArray, Ops
from remit.spec.models import OCSpec

T = TypeVar("T")

CERT = "certificate_account"


@dataclass(frozen=True)
class Flow(Generic[T]):
    """One movement: ``amount`` from ``source`` to ``target`` by waterfall ``step``.
    ``kind`` is 'cash' for money, 'memo' for balances that move without cash (write-downs)."""

    step: str
    basis: str
    source: str
    target: str
    amount: T
    kind: Literal["cash", "memo"] = "cash"


@dataclass
class ClassIn(Generic[T]):
    """A class's opening position. ``accrual_base`` is what interest accrues on: the class
    balance, or the notional amount of a notional (interest-only) class."""

    balance: T
    unpaid_interest: T
    basis_risk_carryforward: T
    unpaid_realized_loss: T
    rate: T
    formula_rate: T
    days: int
    accrual_base: T


@dataclass
class ClassOut(Generic[T]):
    accrued: T
    non_supported_shortfall: T
    interest_current_paid: T
    interest_unpaid_paid: T
    current_shortfall: T
    unpaid_interest: T
    basis_risk_paid: T
    basis_risk_carryforward: T
    realized_loss_paid: T
    unpaid_realized_loss: T
    principal_paid: T
    writedown: T
    writeup: T
    balance: T


@dataclass
class WaterfallIn(Generic[T]):
    classes: dict[str, ClassIn[T]]
    pool_ending: T
    interest_funds: T
    principal_funds: T
    recoveries: T
    penalties: T
    interest_shortfall: T
    after_stepdown: Any
    trigger: Any
    building: Any
    prior_specified_oc: T


@dataclass
class WaterfallOut(Generic[T]):
    flows: list[Flow[T]]
    classes: dict[str, ClassOut[T]]
    metrics: dict[str, T] = field(default_factory=dict)


def run(spec: OCSpec, w: WaterfallIn[T], ops: Ops[T]) -> WaterfallOut[T]:
    zero = ops.const(0)
    flows: list[Flow[T]] = []
    names = list(w.classes)
    cls = w.classes
    out: dict[str, dict[str, T]] = {n: {} for n in names}

    def cash(step: str, basis: str, target: str, amount: T, source: str = CERT) -> None:
        flows.append(Flow(step, basis, source, target, amount))

    def memo(step: str, basis: str, source: str, target: str, amount: T) -> None:
        flows.append(Flow(step, basis, source, target, amount, "memo"))

    loss_basis = spec.losses.basis
    # 1. Subsequent recoveries write up written-down classes, most senior first.
    order_up = spec.losses.recoveries_writeup_order
    ups = losses.write_up(w.recoveries, [cls[n].unpaid_realized_loss for n in order_up], ops)
    balance = {n: cls[n].balance for n in names}
    unpaid_loss = {n: cls[n].unpaid_realized_loss for n in names}
    for n in names:
        out[n]["writeup"] = zero
    for n, up in zip(order_up, ups, strict=True):
        out[n]["writeup"] = up
        balance[n] = balance[n] + up
        unpaid_loss[n] = unpaid_loss[n] - up
        memo("losses.writeup", loss_basis, "loss:recovered", f"balance:{n}", up)

    # 2. Interest: current interest less allocated shortfalls, plus unpaid interest (with
    #    interest on it), paid group by group, pro rata within a group.
    ib = spec.interest.basis
    accrued = {
        n: interest.current_interest(cls[n].accrual_base, cls[n].rate, cls[n].days, 360, ops)
        for n in names
    }
    formula = {
        n: interest.current_interest(
            cls[n].accrual_base, cls[n].formula_rate, cls[n].days, 360, ops
        )
        for n in names
    }
    payers = [n for group in spec.interest.order for n in group]
    shortfall = interest.pro_rata(
        ops.min(w.interest_shortfall, _sum([accrued[n] for n in payers], ops)),
        [accrued[n] for n in payers],
        ops,
    )
    nss = dict.fromkeys(names, zero) | dict(zip(payers, shortfall, strict=True))
    carried = {
        n: cls[n].unpaid_interest
        + interest.current_interest(cls[n].unpaid_interest, cls[n].rate, cls[n].days, 360, ops)
        for n in names
    }
    funds = w.interest_funds
    for group in spec.interest.order:
        due = [accrued[n] - nss[n] + carried[n] for n in group]
        paid = interest.pay_pro_rata(funds, due, ops)
        for n, d, p in zip(group, due, paid, strict=True):
            to_unpaid = ops.min(p, carried[n])
            to_current = p - to_unpaid
            out[n]["interest_unpaid_paid"] = to_unpaid
            out[n]["interest_current_paid"] = to_current
            out[n]["current_shortfall"] = accrued[n] - nss[n] - to_current
            out[n]["unpaid_interest"] = d - p
            funds = funds - p
            cash("interest.unpaid", ib, f"holder:{n}", to_unpaid)
            cash("interest.current", ib, f"holder:{n}", to_current)
    for n in names:
        if n not in payers:
            out[n].update(
                interest_unpaid_paid=zero,
                interest_current_paid=zero,
                current_shortfall=zero,
                unpaid_interest=zero,
            )
    excess_interest = funds

    # 3. Principal: the principal distribution amount, with extra principal from excess
    #    interest to build OC and the release of OC above its specified amount.
    ocs = spec.overcollateralization
    pb = spec.principal.basis
    cert_names = spec.principal.sequential
    cert_total = _sum([balance[n] for n in cert_names], ops)
    oc_amount = w.pool_ending - ops.max(cert_total - w.principal_funds, zero)
    specified = principal.specified_oc(
        spec.collateral.cut_off_balance,
        ocs.specified_pct,
        ocs.stepdown_pct,
        ocs.floor_pct,
        w.pool_ending,
        w.after_stepdown,
        w.trigger,
        w.prior_specified_oc,
        ops,
    )
    floor = principal.oc_floor(
        spec.collateral.cut_off_balance, ocs.floor_pct, w.after_stepdown, ops
    )
    required = ops.where(w.building, specified, zero)
    release = principal.oc_release(specified, oc_amount, w.principal_funds, ops)
    base = ops.min(w.principal_funds - release, cert_total)
    leftover_principal = w.principal_funds - release - base
    extra = ops.min(
        principal.extra_principal(required, oc_amount, excess_interest, ops), cert_total - base
    )
    targeting = ops.logical_and(w.after_stepdown, _not(w.trigger, ops))
    for n in names:
        out[n]["principal_paid"] = zero
    for step_name, amount, basis in (
        ("principal.distribution", base, pb),
        ("excess.extra_principal", extra, ocs.basis),
    ):
        pays = _allocate_principal(spec, amount, balance, w.pool_ending, floor, targeting, ops)
        for n in cert_names:
            pay = pays[n]
            balance[n] = balance[n] - pay
            out[n]["principal_paid"] = out[n]["principal_paid"] + pay
            cash(step_name, basis, f"holder:{n}", pay)
    allocated = _sum([out[n]["principal_paid"] for n in cert_names], ops)
    unallocated = base + extra - allocated

    # 4. Net monthly excess cashflow, in the order the deal sets.
    excess_cash = excess_interest + leftover_principal + unallocated - extra
    left = excess_cash
    brc = {
        n: cls[n].basis_risk_carryforward
        + interest.current_interest(
            cls[n].basis_risk_carryforward, cls[n].formula_rate, cls[n].days, 360, ops
        )
        + ops.max(formula[n] - accrued[n], zero)
        for n in names
    }
    unpaid_interest = {n: out[n]["unpaid_interest"] for n in names}
    unpaid_interest_paid = {n: out[n]["interest_unpaid_paid"] for n in names}
    brc_paid = dict.fromkeys(names, zero)
    loss_paid = dict.fromkeys(names, zero)
    # what each excess-cash step pays down, and where the payment is recorded
    owed_by_step = {
        "unpaid_interest": (unpaid_interest, unpaid_interest_paid),
        "unpaid_realized_loss": (unpaid_loss, loss_paid),
        "basis_risk_carryforward": (brc, brc_paid),
    }
    oc_name = ocs.oc_class
    remainder_paid = zero
    for step in spec.excess_cash:
        if step.step in owed_by_step:
            owed, settled = owed_by_step[step.step]
            for n in step.classes:
                pay = ops.min(left, owed[n])
                owed[n] = owed[n] - pay
                settled[n] = settled[n] + pay
                left = left - pay
                cash(f"excess.{step.step}", step.basis, f"holder:{n}", pay)
        elif step.step == "remainder":
            cash("excess.remainder", step.basis, f"holder:{oc_name}", left)
            remainder_paid = left
            left = zero
    cash("oc.release", ocs.basis, f"holder:{oc_name}", release)
    pen = spec.prepayment_penalties
    cash("prepayment_penalties", pen.basis, f"holder:{pen.payee}", w.penalties)

    # 5. Losses the OC cannot absorb write down classes, most junior first.
    cert_after = _sum([balance[n] for n in cert_names], ops)
    applied = losses.applied_realized_loss(cert_after, w.pool_ending, ops)
    order_down = spec.losses.writedown_order
    cuts = losses.write_down(applied, [balance[n] for n in order_down], ops)
    for n in names:
        out[n]["writedown"] = zero
    for n, cut in zip(order_down, cuts, strict=True):
        out[n]["writedown"] = cut
        balance[n] = balance[n] - cut
        unpaid_loss[n] = unpaid_loss[n] + cut
        memo("losses.writedown", loss_basis, f"balance:{n}", "loss:applied", cut)

    cert_end = _sum([balance[n] for n in cert_names], ops)
    oc_end = w.pool_ending - cert_end
    balance[oc_name] = oc_end
    result: dict[str, ClassOut[T]] = {}
    for n in names:
        o = out[n]
        result[n] = ClassOut(
            accrued=accrued[n],
            non_supported_shortfall=nss[n],
            interest_current_paid=o["interest_current_paid"],
            interest_unpaid_paid=unpaid_interest_paid[n],
            current_shortfall=o["current_shortfall"],
            unpaid_interest=unpaid_interest[n],
            basis_risk_paid=brc_paid[n],
            basis_risk_carryforward=brc[n],
            realized_loss_paid=loss_paid[n],
            unpaid_realized_loss=unpaid_loss[n],
            principal_paid=o["principal_paid"],
            writedown=o["writedown"],
            writeup=o["writeup"],
            balance=balance[n],
        )
    metrics = {
        "specified_oc": specified,
        "required_oc": required,
        "oc_floor": floor,
        "oc_amount_before": oc_amount,
        "oc_amount": oc_end,
        "oc_deficiency": principal.oc_deficiency(specified, oc_end, ops),
        "oc_release": release,
        "extra_principal": extra,
        "excess_cash": excess_cash,
        "excess_remainder": remainder_paid,
        "applied_realized_loss": applied,
        "interest_paid": w.interest_funds - excess_interest,
        "principal_distribution": allocated,
    }
    return WaterfallOut(flows, result, metrics)


def vectorize_class(c: ClassIn[Decimal], n: int) -> ClassIn[FloatArray]:
    """One class's opening position as ``n`` identical float scenarios."""

    def v(x: Decimal) -> FloatArray:
        return np.full(n, float(x))

    return ClassIn(
        balance=v(c.balance),
        unpaid_interest=v(c.unpaid_interest),
        basis_risk_carryforward=v(c.basis_risk_carryforward),
        unpaid_realized_loss=v(c.unpaid_realized_loss),
        rate=v(c.rate),
        formula_rate=v(c.formula_rate),
        days=c.days,
        accrual_base=v(c.accrual_base),
    )


def vectorize(w: WaterfallIn[Decimal], n: int) -> WaterfallIn[FloatArray]:
    """The same inputs as ``n`` identical float scenarios, for the vector mode."""

    def v(x: Decimal) -> FloatArray:
        return np.full(n, float(x))

    return WaterfallIn(
        classes={name: vectorize_class(c, n) for name, c in w.classes.items()},
        pool_ending=v(w.pool_ending),
        interest_funds=v(w.interest_funds),
        principal_funds=v(w.principal_funds),
        recoveries=v(w.recoveries),
        penalties=v(w.penalties),
        interest_shortfall=v(w.interest_shortfall),
        after_stepdown=np.full(n, bool(w.after_stepdown)),
        trigger=np.full(n, bool(w.trigger)),
        building=np.full(n, bool(w.building)),
        prior_specified_oc=v(w.prior_specified_oc),
    )


def _sum(values: list[T], ops: Ops[T]) -> T:
    total = ops.const(0)
    for v in values:
        total = total + v
    return total


def _not(cond: Any, ops: Ops[T]) -> Any:
    return ops.gt(ops.const(1), ops.where(cond, ops.const(1), ops.const(0)))


def _allocate_principal(
    spec: OCSpec,
    amount: T,
    balance: dict[str, T],
    pool_ending: T,
    floor: T,
    targeting: Any,
    ops: Ops[T],
) -> dict[str, T]:
    """Sequential before the stepdown date or while a trigger is in effect; after it, each
    class down to its target."""
    seq_names = spec.principal.sequential
    seq = dict(
        zip(
            seq_names,
            principal.sequential(amount, [balance[n] for n in seq_names], ops),
            strict=True,
        )
    )
    targets = spec.principal.after_stepdown
    tgt_pay = principal.target_paydown(
        amount,
        [balance[t.name] for t in targets],
        [Decimal(t.target_pct) for t in targets],
        pool_ending,
        floor,
        ops,
    )
    tgt = {t.name: p for t, p in zip(targets, tgt_pay, strict=True)}
    zero = ops.const(0)
    return {n: ops.where(targeting, tgt.get(n, zero), seq[n]) for n in seq_names}
