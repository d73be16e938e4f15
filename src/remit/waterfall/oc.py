"""The overcollateralization waterfall, written once over an ``ops``: the close runs it on
exact Decimals for one date, projections on numpy vectors (one element per scenario).

It takes the period's available funds and the classes' opening positions and returns every
movement of money as a :class:`Flow`, the classes' closing positions and the figures the
statement prints (OC amounts, excess cash). Each flow names its waterfall step and basis.

The order of a date: (1) subsequent recoveries write up written-down classes; (2) interest,
group by group; (3) the principal remittance amount less the overcollateralization release
amount, then the extra principal distribution amount from the net monthly excess cashflow,
sequentially or to the classes' targets; (4) the rest of the net monthly excess cashflow
(the release included) in the order the deal sets; (5) losses the OC cannot absorb write
classes down."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import Generic

from remit.rules import interest, losses, principal
from remit.rules.ops import Amount, Flag, Ops
from remit.spec.models import OCSpec
from remit.waterfall.flows import ClassIn, ClassOut, Flow, WaterfallOut
from remit.waterfall.steps import APPLIED_LOSS, CERT, RECOVERED, Step, balance, holder


@dataclass(frozen=True)
class OCIn(Generic[Amount, Flag]):
    """The waterfall's inputs on a date.

    ``interest_funds``: interest collected net of fees and advance reimbursements (the
    Interest Remittance Amount); ``principal_funds``: the Principal Remittance Amount;
    ``realized_losses``: the date's realized losses (what the OC does not absorb is written
    down); ``interest_shortfall``: prepayment interest shortfalls not covered by compensating
    interest plus Relief Act shortfalls; ``after_stepdown``/``trigger``/``building``: whether
    the stepdown date has come, a trigger event is in effect, and OC building has started."""

    classes: dict[str, ClassIn[Amount]]
    pool_ending: Amount
    interest_funds: Amount
    principal_funds: Amount
    recoveries: Amount
    realized_losses: Amount
    penalties: Amount
    interest_shortfall: Amount
    after_stepdown: Flag
    trigger: Flag
    building: Flag
    prior_specified_oc: Amount
    #: the run up to principal, when the date's tests have already made it (it reads no flag)
    interest_paid: InterestPaid[Amount, Flag] | None = None


@dataclass
class _Work(Generic[Amount, Flag]):
    """The running positions of one run: what each class holds and has been paid so far."""

    spec: OCSpec
    w: OCIn[Amount, Flag]
    ops: Ops[Amount, Flag]
    flows: list[Flow[Amount]] = field(default_factory=list)
    balance: dict[str, Amount] = field(default_factory=dict)
    unpaid_loss: dict[str, Amount] = field(default_factory=dict)
    paid: dict[str, dict[str, Amount]] = field(default_factory=dict)

    def cash(self, step: str, basis: str, target: str, amount: Amount) -> None:
        self.flows.append(Flow(step, basis, CERT, target, amount))

    def memo(self, step: str, basis: str, source: str, target: str, amount: Amount) -> None:
        self.flows.append(Flow(step, basis, source, target, amount, "memo"))

    def get(self, name: str, what: str) -> Amount:
        return self.paid[name].get(what, self.ops.zero())

    def add(self, name: str, what: str, amount: Amount) -> None:
        self.paid[name][what] = self.get(name, what) + amount

    def resumed(self, w: OCIn[Amount, Flag]) -> _Work[Amount, Flag]:
        """A copy to go on from, reading ``w`` (the same amounts, its flags set)."""
        return _Work(
            self.spec,
            w,
            self.ops,
            list(self.flows),
            dict(self.balance),
            dict(self.unpaid_loss),
            {n: dict(p) for n, p in self.paid.items()},
        )


#: the fields of :class:`OCIn` the run up to principal does not read
_FLAGS = frozenset({"after_stepdown", "trigger", "interest_paid"})


@dataclass(frozen=True)
class InterestPaid(Generic[Amount, Flag]):
    """The run up to principal: the write-ups for subsequent recoveries and the interest
    distributions, each class's current interest (at its rate and its formula rate) and
    shortfall share, and the interest remittance left. The stepdown test needs it before the
    waterfall runs; the waterfall goes on from it rather than making it again."""

    source: OCIn[Amount, Flag]
    work: _Work[Amount, Flag]
    accrued: dict[str, Amount]
    formula: dict[str, Amount]
    nss: dict[str, Amount]
    interest_left: Amount

    @property
    def balances(self) -> dict[str, Amount]:
        """Each class's balance after the write-ups."""
        return dict(self.work.balance)

    def made_from(self, w: OCIn[Amount, Flag]) -> bool:
        """Was this made from ``w``'s very amounts (its flags apart)?"""
        return all(
            getattr(self.source, f.name) is getattr(w, f.name)
            for f in fields(w)
            if f.name not in _FLAGS
        )


def run(spec: OCSpec, w: OCIn[Amount, Flag], ops: Ops[Amount, Flag]) -> WaterfallOut[Amount]:
    """Every movement of money on the date, the classes' closing positions and the OC
    figures (specified, floor, amount before and after, deficiency before the extra principal
    and after all distributions, release, extra principal, net monthly excess cashflow and
    what is left of it after the extra principal, applied realized loss)."""
    pre = w.interest_paid
    if pre is None or not pre.made_from(w):
        pre = before_principal(spec, w, ops)
    k = pre.work.resumed(w)
    accrued, formula, nss, interest_left = pre.accrued, pre.formula, pre.nss, pre.interest_left
    oc = _pay_principal(k, interest_left)
    after_extra = oc["nmec"] - oc["extra"]
    remainder, release_paid = _pay_excess(k, after_extra, accrued, formula, oc["release"])
    applied = _write_down(k)
    cert_end = ops.sum(k.balance[n] for n in spec.principal.sequential)
    oc_end = principal.overcollateralized_amount(w.pool_ending, cert_end, ops)
    oc_class = spec.overcollateralization.oc_class
    k.balance[oc_class] = oc_end
    # the OC class's realized loss: the losses the overcollateralization absorbed
    k.add(oc_class, "writedown", ops.max(w.realized_losses - applied, ops.zero()))
    printed = {
        "net_monthly_excess_cashflow": oc["nmec"],
        "after_extra_principal": after_extra,
    }
    metrics = {
        "specified_oc": oc["specified"],
        "required_oc": oc["required"],
        "oc_floor": oc["floor"],
        "oc_amount_before": oc["oc_amount"],
        "oc_amount": oc_end,
        "oc_deficiency": oc["deficiency"],
        "oc_deficiency_after_distributions": principal.oc_deficiency(oc["specified"], oc_end, ops),
        "oc_release": oc["release"],
        "oc_release_to_oc_class": release_paid,
        "oc_release_to_excess_order": oc["release"] - release_paid,
        "extra_principal": oc["extra"],
        "net_monthly_excess_cashflow": oc["nmec"],
        "excess_cash_after_extra_principal": after_extra,
        "excess_cash": printed[spec.statement.excess_cash_row],
        "excess_remainder": remainder,
        "applied_realized_loss": applied,
        "interest_paid": w.interest_funds - interest_left,
        "principal_distribution": oc["allocated"],
    }
    return WaterfallOut(k.flows, _closing(k, accrued, nss), metrics)


def before_principal(
    spec: OCSpec, w: OCIn[Amount, Flag], ops: Ops[Amount, Flag]
) -> InterestPaid[Amount, Flag]:
    """The run up to principal, which the date's tests need before principal is
    distributed: each class's balance after the write-ups for subsequent recoveries, and the
    interest remittance left after the interest distributions (the interest part of the Net
    Monthly Excess Cashflow). The flags of ``w`` (stepdown, trigger) are not read."""
    k = _start(spec, w, ops)
    accrued, formula, nss = _accrual(k)
    left = _pay_interest(k, accrued, nss)
    return InterestPaid(w, k, accrued, formula, nss, left)


def _start(spec: OCSpec, w: OCIn[Amount, Flag], ops: Ops[Amount, Flag]) -> _Work[Amount, Flag]:
    """The run's opening positions, after subsequent recoveries wrote classes up."""
    k = _Work(spec, w, ops)
    k.balance = {n: c.balance for n, c in w.classes.items()}
    k.unpaid_loss = {n: c.unpaid_realized_loss for n, c in w.classes.items()}
    k.paid = {n: {} for n in w.classes}
    _write_up(k)
    return k


def _write_up(k: _Work[Amount, Flag]) -> None:
    """Subsequent recoveries write up written-down classes, most senior first."""
    order = k.spec.losses.recoveries_writeup_order
    basis = k.spec.losses.basis
    ups = losses.write_up(k.w.recoveries, [k.unpaid_loss[n] for n in order], k.ops)
    for n, up in zip(order, ups, strict=True):
        k.add(n, "writeup", up)
        k.balance[n] = k.balance[n] + up
        k.unpaid_loss[n] = k.unpaid_loss[n] - up
        k.memo(Step.WRITEUP, basis, RECOVERED, balance(n), up)


def _accrual(
    k: _Work[Amount, Flag],
) -> tuple[dict[str, Amount], dict[str, Amount], dict[str, Amount]]:
    """Each class's current interest at its rate and at its formula rate, and its share of
    the interest shortfalls (pro rata by current interest among the interest-bearing classes,
    never more than their current interest)."""
    ops, cls = k.ops, k.w.classes
    accrued = {
        n: interest.current_interest(c.accrual_base, c.rate, c.days, 360, ops)
        for n, c in cls.items()
    }
    formula = {  # an uncapped class's formula rate is its rate: the same interest
        n: accrued[n]
        if c.formula_rate is c.rate
        else interest.current_interest(c.accrual_base, c.formula_rate, c.days, 360, ops)
        for n, c in cls.items()
    }
    payers = [n for group in k.spec.interest.order for n in group]
    weights = [accrued[n] for n in payers]
    shares = interest.pro_rata(ops.min(k.w.interest_shortfall, ops.sum(weights)), weights, ops)
    nss = dict.fromkeys(cls, ops.zero()) | dict(zip(payers, shares, strict=True))
    return accrued, formula, nss


def _pay_interest(
    k: _Work[Amount, Flag], accrued: dict[str, Amount], nss: dict[str, Amount]
) -> Amount:
    """Current interest less the shortfall share, plus unpaid interest with interest on it
    (for a class whose unpaid interest is paid only from the net monthly excess cashflow:
    current interest only), paid group by group, pro rata within a group. Returns the
    interest left."""
    ops, cls, basis = k.ops, k.w.classes, k.spec.interest.basis
    from_excess = {
        n for n, src in k.spec.interest.unpaid_interest_from.items() if src != "interest_remittance"
    }
    carried = {
        n: c.unpaid_interest
        + interest.current_interest(c.unpaid_interest, c.rate, c.days, 360, ops)
        for n, c in cls.items()
    }
    funds = k.w.interest_funds
    for group in k.spec.interest.order:
        payable = {n: ops.zero() if n in from_excess else carried[n] for n in group}
        due = [accrued[n] - nss[n] + payable[n] for n in group]
        paid = interest.pay_pro_rata(funds, due, ops)
        for n, d, p in zip(group, due, paid, strict=True):
            to_unpaid = ops.min(p, payable[n])
            to_current = p - to_unpaid
            k.paid[n]["interest_unpaid_paid"] = to_unpaid
            k.paid[n]["interest_current_paid"] = to_current
            k.paid[n]["current_shortfall"] = accrued[n] - nss[n] - to_current
            k.paid[n]["unpaid_interest"] = d - p + carried[n] - payable[n]
            funds = funds - p
            k.cash(Step.INTEREST_UNPAID, basis, holder(n), to_unpaid)
            k.cash(Step.INTEREST_CURRENT, basis, holder(n), to_current)
    return funds


def _pay_principal(k: _Work[Amount, Flag], interest_left: Amount) -> dict[str, Amount]:
    """The principal distribution amount: the principal remittance amount less the
    overcollateralization release amount, then the extra principal distribution amount from
    the net monthly excess cashflow, up to the deficiency measured after the principal
    remittance (standard), each allocated sequentially or to the classes' targets."""
    spec, w, ops = k.spec, k.w, k.ops
    ocs = spec.overcollateralization
    zero = ops.zero()
    cert_total = ops.sum(k.balance[n] for n in spec.principal.sequential)
    oc_amount = principal.overcollateralized_amount(
        w.pool_ending, ops.max(cert_total - w.principal_funds, zero), ops
    )
    cut_off = spec.collateral.cut_off_balance
    specified = principal.specified_oc(
        cut_off,
        ocs.specified_pct,
        ocs.stepdown_pct,
        ocs.floor_pct,
        w.pool_ending,
        w.after_stepdown,
        w.trigger,
        w.prior_specified_oc,
        ops,
        ocs.cap_at_initial,
    )
    floor = principal.oc_floor(cut_off, ocs.floor_pct, w.after_stepdown, ops)
    required = ops.where(w.building, specified, zero)
    release = principal.oc_release(specified, oc_amount, w.principal_funds, w.building, ops)
    targeting = ops.and_(w.after_stepdown, ops.not_(w.trigger))
    base = w.principal_funds - release
    base_paid = _pay_classes(
        k, Step.PRINCIPAL_DISTRIBUTION, spec.principal.basis, base, floor, targeting
    )
    # principal no class is owed (the classes paid off, or at their targets) joins the excess
    nmec = principal.net_monthly_excess_cashflow(interest_left, release, base - base_paid, ops)
    extra = principal.extra_principal(required, oc_amount, nmec, ops)
    extra_paid = _pay_classes(k, Step.EXTRA_PRINCIPAL, ocs.basis, extra, floor, targeting)
    return {
        "specified": specified,
        "required": required,
        "floor": floor,
        "oc_amount": oc_amount,
        "deficiency": principal.oc_deficiency(specified, oc_amount, ops),
        "release": release,
        "nmec": nmec,
        "extra": extra_paid,
        "allocated": base_paid + extra_paid,
    }


def _pay_classes(
    k: _Work[Amount, Flag], step: str, basis: str, amount: Amount, floor: Amount, targeting: Flag
) -> Amount:
    """Pay ``amount`` of principal to the classes (sequentially, or to their targets);
    returns what they were paid."""
    pays = _allocate_principal(k.spec, amount, k.balance, k.w.pool_ending, floor, targeting, k.ops)
    for n in k.spec.principal.sequential:
        k.balance[n] = k.balance[n] - pays[n]
        k.add(n, "principal_paid", pays[n])
        k.cash(step, basis, holder(n), pays[n])
    return k.ops.sum(pays[n] for n in k.spec.principal.sequential)


def _pay_excess(
    k: _Work[Amount, Flag],
    excess_cash: Amount,
    accrued: dict[str, Amount],
    formula: dict[str, Amount],
    release: Amount,
) -> tuple[Amount, Amount]:
    """What is left of the net monthly excess cashflow after the extra principal (the OC
    release included), in the deal's order: unpaid interest, unpaid realized losses,
    basis-risk carryforward, the remainder to the OC class (as principal up to the part of
    the release left, the rest as excess); then the prepayment penalties. Returns the
    remainder and the part of the release paid to the OC class."""
    spec, ops, cls = k.spec, k.ops, k.w.classes
    zero = ops.zero()
    brc = {
        n: c.basis_risk_carryforward
        + interest.current_interest(c.basis_risk_carryforward, c.formula_rate, c.days, 360, ops)
        + ops.max(formula[n] - accrued[n], zero)
        for n, c in cls.items()
    }
    unpaid = {n: k.get(n, "unpaid_interest") for n in cls}
    owed_by_step = {
        "unpaid_interest": (unpaid, "interest_unpaid_paid"),
        "unpaid_realized_loss": (k.unpaid_loss, "realized_loss_paid"),
        "basis_risk_carryforward": (brc, "basis_risk_paid"),
    }
    left, remainder = excess_cash, zero
    oc_class = spec.overcollateralization.oc_class
    release_paid = zero
    for step in spec.excess_cash:
        if step.step in owed_by_step:
            owed, settled = owed_by_step[step.step]
            for n in step.classes:
                pay = ops.min(left, owed[n])
                owed[n] = owed[n] - pay
                k.add(n, settled, pay)
                left = left - pay
                k.cash(f"excess.{step.step}", step.basis, holder(n), pay)
        elif step.step == "remainder":
            release_paid = ops.min(release, left)
            k.cash(Step.EXCESS_REMAINDER, step.basis, holder(oc_class), left - release_paid)
            remainder, left = left, zero
    for n in cls:
        k.paid[n]["unpaid_interest"] = unpaid[n]
        k.paid[n]["basis_risk_carryforward"] = brc[n]
    k.cash(Step.OC_RELEASE, spec.overcollateralization.basis, holder(oc_class), release_paid)
    pen = spec.prepayment_penalties
    k.cash(Step.PREPAYMENT_PENALTIES, pen.basis, holder(pen.payee), k.w.penalties)
    return remainder, release_paid


def _write_down(k: _Work[Amount, Flag]) -> Amount:
    """Losses the OC cannot absorb (the certificates above the pool) write down classes, most
    junior first. Returns the applied realized loss amount."""
    spec, ops = k.spec, k.ops
    cert_after = ops.sum(k.balance[n] for n in spec.principal.sequential)
    applied = losses.applied_realized_loss(cert_after, k.w.pool_ending, ops)
    order = spec.losses.writedown_order
    cuts = losses.write_down(applied, [k.balance[n] for n in order], ops)
    for n, cut in zip(order, cuts, strict=True):
        k.add(n, "writedown", cut)
        k.balance[n] = k.balance[n] - cut
        k.unpaid_loss[n] = k.unpaid_loss[n] + cut
        k.memo(Step.WRITEDOWN, spec.losses.basis, balance(n), APPLIED_LOSS, cut)
    return applied


def _closing(
    k: _Work[Amount, Flag], accrued: dict[str, Amount], nss: dict[str, Amount]
) -> dict[str, ClassOut[Amount]]:
    return {
        n: ClassOut(
            accrued=accrued[n],
            non_supported_shortfall=nss[n],
            interest_current_paid=k.get(n, "interest_current_paid"),
            interest_unpaid_paid=k.get(n, "interest_unpaid_paid"),
            current_shortfall=k.get(n, "current_shortfall"),
            unpaid_interest=k.get(n, "unpaid_interest"),
            basis_risk_paid=k.get(n, "basis_risk_paid"),
            basis_risk_carryforward=k.get(n, "basis_risk_carryforward"),
            realized_loss_paid=k.get(n, "realized_loss_paid"),
            unpaid_realized_loss=k.unpaid_loss[n],
            principal_paid=k.get(n, "principal_paid"),
            writedown=k.get(n, "writedown"),
            writeup=k.get(n, "writeup"),
            balance=k.balance[n],
        )
        for n in k.w.classes
    }


def _allocate_principal(
    spec: OCSpec,
    amount: Amount,
    balances: dict[str, Amount],
    pool_ending: Amount,
    floor: Amount,
    targeting: Flag,
    ops: Ops[Amount, Flag],
) -> dict[str, Amount]:
    """Sequential before the stepdown date or while a trigger is in effect; after it, each
    class down to its target."""
    seq_names = spec.principal.sequential
    seq = principal.sequential(amount, [balances[n] for n in seq_names], ops)
    targets = spec.principal.after_stepdown
    tgt_pay = principal.target_paydown(
        amount,
        [balances[t.name] for t in targets],
        [Decimal(t.target_pct) for t in targets],
        pool_ending,
        floor,
        ops,
    )
    tgt = {t.name: p for t, p in zip(targets, tgt_pay, strict=True)}
    return {
        n: ops.where(targeting, tgt.get(n, ops.zero()), s)
        for n, s in zip(seq_names, seq, strict=True)
    }
