"""The shifting-interest waterfall of a senior/subordinate deal, written once over an
``ops`` like the overcollateralization waterfall (:mod:`remit.waterfall.oc`).

Each loan group pays its own seniors first -- interest, then the Senior Principal
Distribution Amount -- from the group's available funds. A group whose seniors are retired
passes its senior principal to the other groups' seniors; a group whose seniors are
undercollateralized is paid from the other groups' funds. What is left is pooled and pays
the subordinate classes in order, interest then principal, each; the residual class takes
the rest. Realized losses write down the subordinates, the most junior first, then (after
the credit support depletion date) each group's seniors pro rata; excess special hazard,
fraud and bankruptcy losses are shared by a group's seniors and the subordinates."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Generic

from remit.rules import interest, losses, principal, shifting
from remit.rules.ops import Amount, Flag, Ops
from remit.spec.models import ShiftingSpec
from remit.waterfall.flows import ClassIn, ClassOut, Flow, WaterfallOut
from remit.waterfall.steps import APPLIED_LOSS, CERT, RECOVERED, Step, balance, holder

#: A group whose seniors hold less than half a cent is retired.
RETIRED_BELOW = Decimal("0.005")


@dataclass(frozen=True)
class GroupIn(Generic[Amount]):
    """A loan group's period: pool balances and the funds it collected.

    ``interest_funds``: the group's interest net of its share of fees and advance
    reimbursements; ``prepayments``: payoffs, curtailments and repurchase principal;
    ``losses``: realized losses other than excess losses; ``excess_losses``: special hazard,
    fraud and bankruptcy losses beyond their coverage."""

    beginning: Amount
    ending: Amount
    interest_funds: Amount
    scheduled_principal: Amount
    prepayments: Amount
    liquidated_balance: Amount
    liquidation_proceeds: Amount
    recoveries: Amount
    losses: Amount
    excess_losses: Amount


@dataclass(frozen=True)
class ShiftingIn(Generic[Amount, Flag]):
    """The waterfall's inputs on a date.

    ``scheduled_share``: the part of the subordinate percentage the seniors take by the
    deal's schedule on the date; ``prior_share``: the share in force on the prior date;
    ``conditions_met``: the step-down conditions; ``two_times``: the two-times test;
    ``depleted``: the credit support depletion date has passed (seniors of a group share
    principal and losses pro rata)."""

    classes: dict[str, ClassIn[Amount]]
    groups: dict[str, GroupIn[Amount]]
    interest_shortfall: Amount
    penalties: Amount
    scheduled_share: Amount
    prior_share: Amount
    conditions_met: Flag
    two_times: Flag
    before_third_anniversary: Flag
    depleted: Flag


@dataclass
class _Work(Generic[Amount, Flag]):
    """The running positions of one run."""

    spec: ShiftingSpec
    w: ShiftingIn[Amount, Flag]
    ops: Ops[Amount, Flag]
    flows: list[Flow[Amount]] = field(default_factory=list)
    balance: dict[str, Amount] = field(default_factory=dict)
    paid: dict[str, dict[str, Amount]] = field(default_factory=dict)
    accrued: dict[str, Amount] = field(default_factory=dict)
    nss: dict[str, Amount] = field(default_factory=dict)

    def cash(self, step: str, target: str, amount: Amount) -> None:
        self.flows.append(
            Flow(step, self.spec.shifting_interest.basis, CERT, holder(target), amount)
        )

    def memo(self, step: str, source: str, target: str, amount: Amount) -> None:
        basis = self.spec.shifting_interest.basis
        self.flows.append(Flow(step, basis, source, target, amount, "memo"))

    def get(self, name: str, what: str) -> Amount:
        return self.paid[name].get(what, self.ops.zero())

    def add(self, name: str, what: str, amount: Amount) -> None:
        self.paid[name][what] = self.get(name, what) + amount

    def seniors(self, group: str) -> list[str]:
        return next(g.seniors for g in self.spec.shifting_interest.groups if g.name == group)

    def pay_interest(self, names: list[str], funds: Amount) -> Amount:
        """Current interest less the shortfall share, plus unpaid interest carried forward
        without interest on it (prime senior/subordinate agreements, unlike an OC deal's
        interest carry forward amount), pro rata among ``names``. Returns what is left."""
        ops = self.ops
        carried = {n: self.w.classes[n].unpaid_interest for n in names}
        due = [self.accrued[n] - self.nss[n] + carried[n] for n in names]
        for n, d, p in zip(names, due, interest.pay_pro_rata(funds, due, ops), strict=True):
            to_carried = ops.min(p, carried[n])
            self.paid[n]["interest_unpaid_paid"] = to_carried
            self.paid[n]["interest_current_paid"] = p - to_carried
            self.paid[n]["current_shortfall"] = self.accrued[n] - self.nss[n] - (p - to_carried)
            self.paid[n]["unpaid_interest"] = d - p
            self.cash(Step.INTEREST_UNPAID, n, to_carried)
            self.cash(Step.INTEREST_CURRENT, n, p - to_carried)
            funds = funds - p
        return funds

    def pay_principal(self, step: str, names: list[str], amount: Amount, pro_rata: Flag) -> Amount:
        """``amount`` to ``names``: sequentially, or pro rata by balance where ``pro_rata``.
        Returns what was paid."""
        ops = self.ops
        bal = [self.balance[n] for n in names]
        seq = principal.sequential(amount, bal, ops)
        prr = interest.pro_rata(ops.min(amount, ops.sum(bal)), bal, ops)
        paid_total = ops.zero()
        for n, a, b in zip(names, seq, prr, strict=True):
            pay = ops.where(pro_rata, b, a)
            self.balance[n] = self.balance[n] - pay
            self.add(n, "principal_paid", pay)
            paid_total = paid_total + pay
            self.cash(step, n, pay)
        return paid_total


def run(
    spec: ShiftingSpec, w: ShiftingIn[Amount, Flag], ops: Ops[Amount, Flag]
) -> WaterfallOut[Amount]:
    """Every movement of money on the date, the classes' closing positions and the
    shifting-interest figures (each group's senior percentage, senior prepayment percentage
    and senior principal distribution amount; the share in force; subordinate principal)."""
    k = _Work(spec, w, ops)
    k.balance = {n: c.balance for n, c in w.classes.items()}
    k.paid = {n: {} for n in w.classes}
    unpaid_loss = _write_up(k)
    _accrual(k)
    metrics: dict[str, Amount] = {}
    funds, senior_left, sub_amount, sub_prepay = _pay_seniors(k, metrics)
    _retired_groups(k, funds, senior_left)
    _cross_collateralize(k, funds)
    metrics["subordinate_principal"] = sub_amount
    _pay_subordinates(k, ops.sum(funds.values()), sub_amount, sub_prepay)
    writedown = _write_down(k)
    out = {
        n: ClassOut(
            accrued=k.accrued[n],
            non_supported_shortfall=k.nss[n],
            interest_current_paid=k.get(n, "interest_current_paid"),
            interest_unpaid_paid=k.get(n, "interest_unpaid_paid"),
            current_shortfall=k.get(n, "current_shortfall"),
            unpaid_interest=k.get(n, "unpaid_interest"),
            basis_risk_paid=ops.zero(),
            basis_risk_carryforward=ops.zero(),
            realized_loss_paid=ops.zero(),
            unpaid_realized_loss=unpaid_loss[n] + writedown[n],
            principal_paid=k.get(n, "principal_paid"),
            writedown=writedown[n],
            writeup=k.get(n, "writeup"),
            balance=k.balance[n],
        )
        for n in w.classes
    }
    return WaterfallOut(k.flows, out, metrics)


def _write_up(k: _Work[Amount, Flag]) -> dict[str, Amount]:
    """Subsequent recoveries write up written-down classes, the most senior first. Returns
    each class's unpaid realized loss after the write-ups."""
    si = k.spec.shifting_interest
    unpaid_loss = {n: c.unpaid_realized_loss for n, c in k.w.classes.items()}
    order = [n for g in si.groups for n in g.seniors] + si.subordinates
    recoveries = k.ops.sum(g.recoveries for g in k.w.groups.values())
    ups = losses.write_up(recoveries, [unpaid_loss[n] for n in order], k.ops)
    for n, up in zip(order, ups, strict=True):
        k.add(n, "writeup", up)
        k.balance[n] = k.balance[n] + up
        unpaid_loss[n] = unpaid_loss[n] - up
        k.memo(Step.WRITEUP, RECOVERED, balance(n), up)
    return unpaid_loss


def _accrual(k: _Work[Amount, Flag]) -> None:
    """Current interest of each class, and the net interest shortfalls shared pro rata by it
    among the seniors and subordinates."""
    ops, si = k.ops, k.spec.shifting_interest
    k.accrued = {
        n: interest.current_interest(c.accrual_base, c.rate, c.days, 360, ops)
        for n, c in k.w.classes.items()
    }
    ranked = {n for g in si.groups for n in g.seniors} | set(si.subordinates)
    bearing = [n for n in k.w.classes if n in ranked]
    weights = [k.accrued[n] for n in bearing]
    shares = interest.pro_rata(ops.min(k.w.interest_shortfall, ops.sum(weights)), weights, ops)
    k.nss = dict.fromkeys(k.w.classes, ops.zero()) | dict(zip(bearing, shares, strict=True))


def _pay_seniors(
    k: _Work[Amount, Flag], metrics: dict[str, Amount]
) -> tuple[dict[str, Amount], dict[str, Amount], Amount, Amount]:
    """Each group: its senior percentage and senior prepayment percentage, its seniors'
    interest and Senior Principal Distribution Amount from the group's funds. Returns each
    group's funds left, each group's senior principal not paid, the subordinate principal
    amount and its prepayment part."""
    spec, w, ops = k.spec, k.w, k.ops
    funds: dict[str, Amount] = {}
    senior_left: dict[str, Amount] = {}
    sub_amount = sub_prepay = ops.zero()
    share = w.prior_share
    for g in spec.shifting_interest.groups:
        gi = w.groups[g.name]
        sen_bal = ops.sum(k.balance[n] - k.get(n, "writeup") for n in g.seniors)
        sp = shifting.senior_percentage(sen_bal, gi.beginning, ops)
        spp, share = shifting.senior_prepayment_percentage(
            sp,
            original_senior_pct(spec, g.name),
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
        sub_amount = sub_amount + ops.max(collected - pda, ops.zero())
        sub_prepay = sub_prepay + ops.cents((ops.const(1) - spp) * (gi.prepayments + gi.recoveries))
        f = k.pay_interest(g.seniors, gi.interest_funds + collected)
        paid = k.pay_principal(Step.PRINCIPAL_SENIOR, g.seniors, ops.min(pda, f), w.depleted)
        funds[g.name] = f - paid
        senior_left[g.name] = pda - paid
        metrics[f"group:{g.name}:senior_percentage"] = sp
        metrics[f"group:{g.name}:senior_prepayment_percentage"] = spp
        metrics[f"group:{g.name}:senior_principal"] = pda
    metrics["senior_prepayment_share"] = share
    return funds, senior_left, sub_amount, sub_prepay


def _retired_groups(
    k: _Work[Amount, Flag], funds: dict[str, Amount], senior_left: dict[str, Amount]
) -> None:
    """A group whose seniors are retired passes its senior principal to the others'."""
    ops = k.ops
    groups = [g.name for g in k.spec.shifting_interest.groups]
    for g in groups:
        others = [n for h in groups if h != g for n in k.seniors(h)]
        if not others:
            continue
        left = ops.sum(k.balance[n] for n in k.seniors(g))
        retired = ops.gt(ops.const(RETIRED_BELOW), left)
        give = ops.where(retired, ops.min(senior_left[g], funds[g]), ops.zero())
        funds[g] = funds[g] - k.pay_principal(
            Step.PRINCIPAL_RETIRED_GROUP, others, give, k.w.depleted
        )


def _cross_collateralize(k: _Work[Amount, Flag], funds: dict[str, Amount]) -> None:
    """Undercollateralized seniors (above their group's pool) are paid from other groups."""
    ops = k.ops
    groups = [g.name for g in k.spec.shifting_interest.groups]
    for g in groups:
        sen_bal = ops.sum(k.balance[n] for n in k.seniors(g))
        short = ops.max(sen_bal - k.w.groups[g].ending, ops.zero())
        for h in groups:
            if h == g:
                continue
            take = ops.min(short, funds[h])
            paid = k.pay_principal(
                Step.PRINCIPAL_CROSS_COLLATERAL, k.seniors(g), take, k.w.depleted
            )
            funds[h] = funds[h] - paid
            short = short - paid


def _pay_subordinates(
    k: _Work[Amount, Flag], pool: Amount, sub_amount: Amount, sub_prepay: Amount
) -> None:
    """The subordinate classes in order, interest then principal each (the subordinate
    principal shared under the class prepayment distribution triggers); the residual class
    takes what is left; then the prepayment penalties."""
    spec, ops = k.spec, k.ops
    si = spec.shifting_interest
    subs = si.subordinates
    sub_bal = [k.balance[n] for n in subs]
    pool_begin = ops.sum(g.beginning for g in k.w.groups.values())
    triggers = [ops.flag(True)] * len(subs)
    if si.class_prepayment_triggers:
        junior = ops.zero()
        for i in range(len(subs) - 1, -1, -1):
            junior = junior + sub_bal[i]
            fraction = original_fractions(spec)[i]
            triggers[i] = shifting.class_prepayment_trigger(junior, pool_begin, fraction, ops)
    plan = shifting.subordinate_principal(
        sub_amount, ops.min(sub_prepay, sub_amount), sub_bal, triggers, ops
    )
    for n, planned in zip(subs, plan, strict=True):
        pool = k.pay_interest([n], pool)
        pool = pool - k.pay_principal(
            Step.PRINCIPAL_SUBORDINATE, [n], ops.min(planned, pool), ops.flag(False)
        )
    k.cash(Step.RESIDUAL_REMAINDER, si.residual, pool)
    pen = spec.prepayment_penalties
    k.flows.append(
        Flow(Step.PREPAYMENT_PENALTIES, pen.basis, CERT, holder(pen.payee), k.w.penalties)
    )


def _write_down(k: _Work[Amount, Flag]) -> dict[str, Amount]:
    """Realized losses (:func:`remit.rules.shifting.allocate_losses`) written down, and
    posted as memo movements. Returns each class's write-down."""
    si, ops, w = k.spec.shifting_interest, k.ops, k.w
    names = [g.name for g in si.groups]
    sen_cuts, sub_cuts = shifting.allocate_losses(
        [w.groups[g].losses for g in names],
        [w.groups[g].excess_losses for g in names],
        [[k.balance[n] for n in k.seniors(g)] for g in names],
        [k.balance[n] for n in si.subordinates],
        [w.groups[g].beginning for g in names],
        ops,
    )
    writedown = dict.fromkeys(w.classes, ops.zero())
    for g, cuts in zip(names, sen_cuts, strict=True):
        for n, cut in zip(k.seniors(g), cuts, strict=True):
            writedown[n] = cut
    for n, cut in zip(si.subordinates, sub_cuts, strict=True):
        writedown[n] = cut
    for n in w.classes:
        k.balance[n] = k.balance[n] - writedown[n]
        k.memo(Step.WRITEDOWN, balance(n), APPLIED_LOSS, writedown[n])
    return writedown


def original_senior_pct(spec: ShiftingSpec, group: str) -> Decimal:
    """The group's seniors as a share of the group's pool at closing."""
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
