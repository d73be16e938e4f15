"""The shifting-interest waterfall of a senior/subordinate deal, written once over an
``ops`` like the overcollateralization waterfall (:mod:`remit.waterfall.oc`).

Each loan group pays its own seniors first -- interest, then the Senior Principal
Distribution Amount -- from the group's available funds. A group whose seniors are retired
passes its senior principal to the other groups' seniors (or, by the deal's option, to the
subordinates while the two-times test is met); a group whose seniors are
undercollateralized is paid from the other groups' funds. What is left is pooled and pays
the subordinate classes in order, interest then principal, each; the residual class takes
the rest. Excess special hazard, fraud and bankruptcy losses are shared pro rata; other
realized losses write down the subordinates, the most junior first, then each group's
seniors pro rata (what a retired group's seniors cannot take is allocated to no class:
the figure ``unallocated_loss``); and the certificates left above the pool (the Subordinate
Certificate Writedown Amount) write down the subordinates, the most junior first.

From the credit support depletion date -- the first date on which the subordinates' balance
has been or will be reduced to zero, counting that date's principal and write-downs -- a
group's seniors share principal pro rata. Whether the date is one is known only once its
write-downs are, so the waterfall runs twice when it might be: once as before depletion,
and again with the date's answer (the subordinates' payments and write-downs are the same
in both runs; only the seniors' split differs)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Generic

from remit.rules import interest, losses, principal, shifting
from remit.rules.ops import Amount, Flag, Ops
from remit.spec.models import ShiftingSpec
from remit.waterfall.flows import ClassIn, ClassOut, Flow, WaterfallOut
from remit.waterfall.steps import APPLIED_LOSS, CERT, RECOVERED, Step, balance, holder

#: A group whose seniors hold less than half a cent is retired; subordinates holding less
#: than half a cent are reduced to zero.
RETIRED_BELOW = Decimal("0.005")


@dataclass(frozen=True)
class GroupIn(Generic[Amount]):
    """A loan group's period: pool balances and the funds it collected.

    ``interest_funds``: the group's interest net of its share of fees and advance
    reimbursements; ``prepayments``: payoffs and curtailments; ``repurchases``: the
    principal of repurchased loans; ``liquidation_proceeds``: the liquidated loans'
    Liquidation Principal, of which ``excess_loss_principal`` (balance
    ``excess_loss_balance``) from loans with an Excess Loss; ``losses``: realized losses
    other than Excess Losses; ``excess_losses``: special hazard, fraud and bankruptcy losses
    beyond their coverage."""

    beginning: Amount
    ending: Amount
    interest_funds: Amount
    scheduled_principal: Amount
    prepayments: Amount
    repurchases: Amount
    liquidated_balance: Amount
    liquidation_proceeds: Amount
    excess_loss_balance: Amount
    excess_loss_principal: Amount
    recoveries: Amount
    losses: Amount
    excess_losses: Amount

    @property
    def collected(self) -> Amount:
        """The group's principal collections: scheduled, prepaid, repurchased, liquidation
        principal and subsequent recoveries."""
        return (
            self.scheduled_principal
            + self.prepayments
            + self.repurchases
            + self.liquidation_proceeds
            + self.recoveries
        )


@dataclass(frozen=True)
class ShiftingIn(Generic[Amount, Flag]):
    """The waterfall's inputs on a date.

    ``scheduled_share``: the part of the subordinate percentage the seniors take by the
    deal's schedule on the date; ``prior_share``: the step-down share in force on the prior
    date; ``conditions_met``: the step-down conditions; ``two_times``: the two-times test;
    ``depleted``: the credit support depletion date came before this date; ``net_wac``:
    each group's net WAC rate (interest on an undercollateralized amount)."""

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
    net_wac: dict[str, Amount]


@dataclass
class _Work(Generic[Amount, Flag]):
    """The running positions of one run; ``depleted``: seniors of a group are paid pro
    rata (on and after the credit support depletion date)."""

    spec: ShiftingSpec
    w: ShiftingIn[Amount, Flag]
    ops: Ops[Amount, Flag]
    depleted: Flag
    flows: list[Flow[Amount]] = field(default_factory=list)
    balance: dict[str, Amount] = field(default_factory=dict)
    paid: dict[str, dict[str, Amount]] = field(default_factory=dict)
    accrued: dict[str, Amount] = field(default_factory=dict)
    nss: dict[str, Amount] = field(default_factory=dict)
    metrics: dict[str, Amount] = field(default_factory=dict)

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

    def pay_unpaid_interest(self, names: list[str], funds: Amount) -> Amount:
        """From ``funds``, the interest ``names`` were not paid on the date (carried from
        before first, then the date's shortfall), pro rata. Returns what was paid."""
        ops = self.ops
        owed = [self.get(n, "unpaid_interest") for n in names]
        total = ops.zero()
        for n, p in zip(names, interest.pay_pro_rata(funds, owed, ops), strict=True):
            carried_left = self.w.classes[n].unpaid_interest - self.get(n, "interest_unpaid_paid")
            to_carried = ops.min(p, ops.max(carried_left, ops.zero()))
            self.add(n, "interest_unpaid_paid", to_carried)
            self.add(n, "interest_current_paid", p - to_carried)
            self.add(n, "current_shortfall", to_carried - p)
            self.add(n, "unpaid_interest", ops.zero() - p)
            self.cash(Step.INTEREST_UNPAID, n, to_carried)
            self.cash(Step.INTEREST_CURRENT, n, p - to_carried)
            total = total + p
        return total

    def pay_principal(self, step: str, names: list[str], amount: Amount) -> Amount:
        """``amount`` to ``names``: sequentially, or pro rata by balance from the credit
        support depletion date. Returns what was paid."""
        ops = self.ops
        bal = [self.balance[n] for n in names]
        seq = principal.sequential(amount, bal, ops)
        prr = interest.pro_rata(ops.min(amount, ops.sum(bal)), bal, ops)
        paid_total = ops.zero()
        for n, a, b in zip(names, seq, prr, strict=True):
            pay = ops.where(self.depleted, b, a)
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
    and senior principal distribution amount; the share in force; subordinate principal;
    whether the date is on or after the credit support depletion date)."""
    before = _run(spec, w, ops, w.depleted)
    subs = spec.shifting_interest.subordinates
    left = ops.sum(before.balance[n] for n in subs)
    depleted = ops.or_(w.depleted, ops.gt(ops.const(RETIRED_BELOW), left))
    # the run again with the seniors paid as on the depletion date, where this date is it
    k = before if ops.same(depleted, w.depleted) else _run(spec, w, ops, depleted)
    k.metrics["credit_support_depleted"] = ops.where(depleted, ops.const(1), ops.zero())
    return _out(k)


def _run(
    spec: ShiftingSpec, w: ShiftingIn[Amount, Flag], ops: Ops[Amount, Flag], depleted: Flag
) -> _Work[Amount, Flag]:
    """One run of the waterfall, the seniors of a group paid pro rata where ``depleted``."""
    k = _Work(spec, w, ops, depleted)
    k.balance = {n: c.balance for n, c in w.classes.items()}
    k.paid = {n: {} for n in w.classes}
    unpaid_loss = _write_up(k)
    _accrual(k)
    senior_pct = _senior_percentages(k)
    funds, senior_left, sub_amount, sub_prepay = _pay_seniors(k, senior_pct)
    sub_amount = sub_amount + _retired_groups(k, funds, senior_left)
    _cross_collateralize(k, funds)
    k.metrics["subordinate_principal"] = sub_amount
    _pay_subordinates(k, ops.sum(funds.values()), sub_amount, sub_prepay)
    writedown = _write_down(k, senior_pct)
    for n in w.classes:
        k.add(n, "writedown", writedown[n])
        k.paid[n]["unpaid_realized_loss"] = unpaid_loss[n] + writedown[n]
    return k


def _out(k: _Work[Amount, Flag]) -> WaterfallOut[Amount]:
    ops = k.ops
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
            unpaid_realized_loss=k.get(n, "unpaid_realized_loss"),
            principal_paid=k.get(n, "principal_paid"),
            writedown=k.get(n, "writedown"),
            writeup=k.get(n, "writeup"),
            balance=k.balance[n],
        )
        for n in k.w.classes
    }
    return WaterfallOut(k.flows, out, k.metrics)


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


def _senior_percentages(k: _Work[Amount, Flag]) -> dict[str, Amount]:
    """Each group's Senior Percentage: its seniors' balance before the date (before the
    date's write-ups) over the group's pool balance before the date."""
    ops = k.ops
    return {
        g.name: shifting.senior_percentage(
            ops.sum(k.balance[n] - k.get(n, "writeup") for n in g.seniors),
            k.w.groups[g.name].beginning,
            ops,
        )
        for g in k.spec.shifting_interest.groups
    }


def _senior_prepayment_percentages(
    k: _Work[Amount, Flag], senior_pct: dict[str, Amount]
) -> dict[str, Amount]:
    """Each group's Senior Prepayment Percentage: the step-down share (remembered), the
    two-times test's relief for the date, and 100% where a senior percentage is above its
    original value (in the group, or in any group by the deal's option)."""
    spec, w, ops = k.spec, k.w, k.ops
    si = spec.shifting_interest
    share = shifting.stepdown_share(w.scheduled_share, w.conditions_met, w.prior_share, ops)
    applied = shifting.two_times_share(share, w.two_times, w.before_third_anniversary, ops)
    above = {
        g.name: shifting.above_original(senior_pct[g.name], original_senior_pct(spec, g.name), ops)
        for g in si.groups
    }
    if si.senior_percentage_above_original == "any_group":
        anywhere = ops.flag(False)
        for flag in above.values():
            anywhere = ops.or_(anywhere, flag)
        above = dict.fromkeys(above, anywhere)
    k.metrics["senior_prepayment_share"] = share
    k.metrics["senior_prepayment_share_applied"] = applied
    return {
        g: shifting.senior_prepayment_percentage(sp, applied, above[g], ops)
        for g, sp in senior_pct.items()
    }


def _pay_seniors(
    k: _Work[Amount, Flag], senior_pct: dict[str, Amount]
) -> tuple[dict[str, Amount], dict[str, Amount], Amount, Amount]:
    """Each group: its seniors' interest and Senior Principal Distribution Amount from the
    group's funds. Returns each group's funds left, each group's senior principal not paid,
    the subordinate principal amount and the part of it a failing class prepayment
    distribution trigger withholds."""
    spec, w, ops = k.spec, k.w, k.ops
    si = spec.shifting_interest
    spp_all = _senior_prepayment_percentages(k, senior_pct)
    funds: dict[str, Amount] = {}
    senior_left: dict[str, Amount] = {}
    sub_amount = sub_prepay = ops.zero()
    for g in si.groups:
        gi, sp, spp = w.groups[g.name], senior_pct[g.name], spp_all[g.name]
        liquidation = shifting.senior_liquidation_amount(
            sp,
            spp,
            gi.liquidated_balance,
            gi.liquidation_proceeds,
            gi.excess_loss_balance,
            gi.excess_loss_principal,
            ops,
        )
        pda = shifting.senior_principal_distribution_amount(
            sp,
            spp,
            gi.scheduled_principal,
            gi.prepayments + gi.repurchases,
            liquidation,
            gi.recoveries,
            ops,
        )
        sub_amount = sub_amount + ops.max(gi.collected - pda, ops.zero())
        sub_prepay = sub_prepay + shifting.subordinate_withheld_part(
            spp,
            gi.prepayments,
            gi.repurchases,
            gi.recoveries,
            gi.liquidation_proceeds,
            liquidation,
            si.class_prepayment_trigger_withholds == "unscheduled",
            ops,
        )
        f = k.pay_interest(g.seniors, gi.interest_funds + gi.collected)
        paid = k.pay_principal(Step.PRINCIPAL_SENIOR, g.seniors, ops.min(pda, f))
        funds[g.name] = f - paid
        senior_left[g.name] = pda - paid
        k.metrics[f"group:{g.name}:senior_percentage"] = sp
        k.metrics[f"group:{g.name}:senior_prepayment_percentage"] = spp
        k.metrics[f"group:{g.name}:senior_principal"] = pda
    return funds, senior_left, sub_amount, sub_prepay


def _retired_groups(
    k: _Work[Amount, Flag], funds: dict[str, Amount], senior_left: dict[str, Amount]
) -> Amount:
    """A group whose seniors are retired passes its senior principal to the other groups'
    seniors -- always, or (by the deal's option) only while the two-times test is not met.
    What no senior takes goes to the subordinates. Returns that amount."""
    ops = k.ops
    si = k.spec.shifting_interest
    groups = [g.name for g in si.groups]
    redirect = ops.flag(True)
    if si.retired_group_redirect == "unless_two_times":
        redirect = ops.not_(k.w.two_times)
    to_subordinates = ops.zero()
    for g in groups:
        others = [n for h in groups if h != g for n in k.seniors(h)]
        left = ops.sum(k.balance[n] for n in k.seniors(g))
        retired = ops.gt(ops.const(RETIRED_BELOW), left)
        spare = ops.where(retired, ops.min(senior_left[g], funds[g]), ops.zero())
        give = ops.where(redirect, spare, ops.zero())
        given = (
            k.pay_principal(Step.PRINCIPAL_RETIRED_GROUP, others, give) if others else ops.zero()
        )
        funds[g] = funds[g] - given
        to_subordinates = to_subordinates + spare - given
    return to_subordinates


def _cross_collateralize(k: _Work[Amount, Flag], funds: dict[str, Amount]) -> None:
    """Undercollateralized seniors (above their group's pool after the distributions) are
    paid from the other groups' funds: the Undercollateralized Amount and, by the deal's
    option, one month's interest on it at the group's net WAC, applied first to the
    seniors' unpaid interest and then as principal. What each group's seniors were paid so,
    as interest and as principal, is a figure of the date."""
    ops = k.ops
    si = k.spec.shifting_interest
    groups = [g.name for g in si.groups]
    for g in groups:
        sen_bal = ops.sum(k.balance[n] for n in k.seniors(g))
        short = ops.max(sen_bal - k.w.groups[g].ending, ops.zero())
        if si.undercollateralized_interest:
            short = short + ops.cents(short * k.w.net_wac[g] / ops.const(12))
        interest_paid, principal_paid = ops.zero(), ops.zero()
        for h in groups:
            if h == g:
                continue
            take = ops.min(short, funds[h])
            paid = ops.zero()
            if si.undercollateralized_interest:
                paid = k.pay_unpaid_interest(k.seniors(g), take)
                interest_paid = interest_paid + paid
            as_principal = k.pay_principal(
                Step.PRINCIPAL_CROSS_COLLATERAL, k.seniors(g), take - paid
            )
            principal_paid = principal_paid + as_principal
            paid = paid + as_principal
            funds[h] = funds[h] - paid
            short = short - paid
        k.metrics[f"group:{g}:cross_collateral_interest"] = interest_paid
        k.metrics[f"group:{g}:cross_collateral_principal"] = principal_paid


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
        pool = pool - k.pay_principal(Step.PRINCIPAL_SUBORDINATE, [n], ops.min(planned, pool))
    k.cash(Step.RESIDUAL_REMAINDER, si.residual, pool)
    pen = spec.prepayment_penalties
    k.flows.append(
        Flow(Step.PREPAYMENT_PENALTIES, pen.basis, CERT, holder(pen.payee), k.w.penalties)
    )


def _write_down(k: _Work[Amount, Flag], senior_pct: dict[str, Amount]) -> dict[str, Amount]:
    """Realized losses (:func:`remit.rules.shifting.allocate_losses`) written down, and
    posted as memo movements; the loss no class can take (each group's and in all) kept
    as a figure. Returns each class's write-down."""
    si, ops, w = k.spec.shifting_interest, k.ops, k.w
    names = [g.name for g in si.groups]
    sen_cuts, sub_cuts, unallocated = shifting.allocate_losses(
        [w.groups[g].losses for g in names],
        [w.groups[g].excess_losses for g in names],
        [senior_pct[g] for g in names],
        [[k.balance[n] for n in k.seniors(g)] for g in names],
        [k.balance[n] for n in si.subordinates],
        si.excess_loss_allocation == "by_balance",
        ops,
    )
    writedown = dict.fromkeys(w.classes, ops.zero())
    for g, cuts in zip(names, sen_cuts, strict=True):
        for n, cut in zip(k.seniors(g), cuts, strict=True):
            writedown[n] = cut
    for n, cut in zip(si.subordinates, sub_cuts, strict=True):
        writedown[n] = cut
    for g, lost in zip(names, unallocated, strict=True):
        k.metrics[f"group:{g}:unallocated_loss"] = lost
    k.metrics["unallocated_loss"] = ops.sum(unallocated)
    ranked = [n for g in names for n in k.seniors(g)] + si.subordinates
    sub_writedown = shifting.subordinate_certificate_writedown(
        ops.sum(k.balance[n] - writedown[n] for n in ranked),
        ops.sum(w.groups[g].ending for g in names),
        [k.balance[n] - writedown[n] for n in si.subordinates],
        ops,
    )
    for n, cut in zip(si.subordinates, sub_writedown, strict=True):
        writedown[n] = writedown[n] + cut
    k.metrics["subordinate_certificate_writedown"] = ops.sum(sub_writedown)
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
