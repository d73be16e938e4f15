"""The shifting-interest family: senior/subordinate deals with one or more loan groups, each
group's seniors over subordinates shared by every group.

As for the overcollateralization family, the inputs come in two steps: :func:`period` reads
the date's amounts exactly (each loan group's funds kept apart), and :func:`prepare` works
out, over an ``ops``, the groups' net WAC rates, the step-down conditions, the two-times test
and the excess losses (against the coverage amounts left), so that a projection can run it
per scenario. Whether the date is the credit support depletion date is known only from its
write-downs: the waterfall works it out (:func:`remit.waterfall.shifting.run`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Generic, Protocol

from remit import money
from remit.close.family import Inputs
from remit.close.period import accrual_period, expected_date, sixty_plus
from remit.close.result import Accrual, Figure
from remit.close.state import DealState, FamilyState, ShiftingState
from remit.errors import Problem, RemitError
from remit.money import ZERO
from remit.remittance import Remittance
from remit.rules import interest, shifting
from remit.rules.ops import Amount, Exact, Flag, Ops
from remit.spec.models import COVERAGE_KINDS, LossCoverage, ScheduleStep, ShiftingSpec
from remit.waterfall import shifting as waterfall
from remit.waterfall.flows import A_co, Opening, Position, WaterfallOut
from remit.waterfall.shifting import GroupIn, ShiftingIn

NAME = "shifting"


def key(name: str) -> str:
    """The figure key of this family's figure ``name`` ("shifting:<name>")."""
    return f"{NAME}:{name}"


def in_force(steps: list[ScheduleStep], when: date) -> Decimal | None:
    """The value of the last step on or before ``when`` (None before the first)."""
    value = None
    for s in steps:
        if s.from_date <= when:
            value = s.value
    return value


@dataclass(frozen=True)
class ShiftingPeriod(Generic[Amount, Flag]):
    """The date's amounts, per scenario: the classes' opening positions, each loan group's
    funds and its scheduled interest net of fees, the index fixings, the 60+ day delinquent
    balance (with the prior months'), the cumulative realized losses the step-down tests
    count, the step-down share of the prior date, the losses of each kind a coverage amount
    covers (kind -> group -> amount) with each coverage left after the prior date (or each
    group's excess losses as the servicer reports them), the realized losses allocated to no
    class before this date, and whether the credit support depletion date came before this
    date. ``prior_date``: the prior distribution date (None
    before the first), the same in every scenario."""

    classes: dict[str, Opening[Amount]]
    groups: dict[str, GroupIn[Amount]]
    group_net_interest: dict[str, Amount]
    pool_beginning: Amount
    pool_net_interest: Amount
    index: dict[str, Amount]
    interest_shortfall: Amount
    penalties: Amount
    dq60_balance: Amount
    dq60_history: tuple[Amount, ...]
    cumulative_loss: Amount
    prior_share: Amount
    kind_losses: dict[str, dict[str, Amount]]
    coverage: dict[str, Amount]
    reported_excess: dict[str, Amount]
    unallocated_loss: Amount
    depleted: Flag
    prior_date: date | None


@dataclass(frozen=True)
class ShiftingTests(Generic[Amount, Flag]):
    """What :func:`prepare` worked out on the way: each group's net WAC rate, the
    subordinates' rate, each class's rate, the average 60+ delinquent balance, the
    subordinate balance and percentage, the two tests, each group's excess losses and each
    coverage amount left after the date."""

    net_wac: dict[str, Amount]
    subordinate_net_wac: Amount
    rate: dict[str, Amount]
    dq_average: Amount
    subordinate_balance: Amount
    subordinate_pct: Amount
    conditions_met: Flag
    two_times: Flag
    excess: dict[str, Amount]
    coverage: dict[str, Amount]


def prepare(
    spec: ShiftingSpec,
    when: date,
    p: ShiftingPeriod[Amount, Flag],
    ops: Ops[Amount, Flag],
) -> tuple[ShiftingIn[Amount, Flag], ShiftingTests[Amount, Flag]]:
    """The waterfall's input on ``when``, in either mode: rates, the step-down conditions,
    the two-times test, the excess losses."""
    si = spec.shifting_interest
    net_wac = {
        g.name: ops.div(p.group_net_interest[g.name] * ops.const(12), p.groups[g.name].beginning)
        for g in si.groups
    }
    sub_net_wac = _subordinate_net_wac(spec, p, net_wac, ops)
    rate: dict[str, Amount] = {}
    for c in spec.classes:
        group = spec.group_of(c.name)
        net = net_wac[group.name] if group is not None else sub_net_wac
        index = p.index.get(c.coupon.index) if c.coupon.index is not None else None
        rate[c.name] = interest.coupon_rate(c.coupon, index, net, ops.flag(False), ops)
    dq_avg, sub_bal, sub_pct, conditions, two_times = _stepdown_tests(spec, when, p, ops)
    before3 = when < si.two_times.third_anniversary
    excess, coverage = _excess_losses(spec, when, p, ops)
    groups = {
        g: replace(gi, losses=gi.losses - excess[g], excess_losses=excess[g])
        for g, gi in p.groups.items()
    }
    scheduled = in_force(si.senior_prepayment_share, when)
    w = ShiftingIn(
        classes={n: o.paying(rate[n], rate[n]) for n, o in p.classes.items()},
        groups=groups,
        interest_shortfall=p.interest_shortfall,
        penalties=p.penalties,
        scheduled_share=ops.const(scheduled if scheduled is not None else Decimal(1)),
        prior_share=p.prior_share,
        conditions_met=conditions,
        two_times=two_times,
        before_third_anniversary=ops.flag(before3),
        depleted=p.depleted,
        net_wac=net_wac,
    )
    tests = ShiftingTests(
        net_wac,
        sub_net_wac,
        rate,
        dq_avg,
        sub_bal,
        sub_pct,
        conditions,
        two_times,
        excess,
        coverage,
    )
    return w, tests


def _stepdown_tests(
    spec: ShiftingSpec, when: date, p: ShiftingPeriod[Amount, Flag], ops: Ops[Amount, Flag]
) -> tuple[Amount, Amount, Amount, Flag, Flag]:
    """The step-down conditions and the two-times test, on the balances before the date.
    Returns (the average 60+ day delinquent balance, the subordinate balance, the aggregate
    subordinate percentage, the step-down conditions, the two-times test)."""
    si = spec.shifting_interest
    sub_bal = ops.sum(p.classes[n].balance for n in si.subordinates)
    orig_sub = sum((spec.cls(n).original_balance for n in si.subordinates), ZERO)
    history: list[Amount] = list(p.dq60_history)
    history.append(p.dq60_balance)
    history = history[-si.delinquency_averaging_months :]
    dq_avg = ops.div(ops.sum(history), ops.const(len(history)))
    dq_ok = shifting.delinquency_condition(
        dq_avg, sub_bal, si.delinquency_limit, si.delinquency_test == "not_exceeding", ops
    )
    limit = in_force(si.stepdown_loss_limits, when)
    conditions = (
        shifting.stepdown_conditions(dq_ok, p.cumulative_loss, orig_sub, limit, ops)
        if limit is not None
        else ops.flag(False)
    )
    tt = si.two_times
    before3 = when < tt.third_anniversary
    sub_pct = ops.div(sub_bal, p.pool_beginning)
    two_times = shifting.two_times_test(
        sub_pct,
        orig_sub / spec.collateral.cut_off_balance,
        p.cumulative_loss,
        orig_sub,
        tt.loss_limit_before if before3 else tt.loss_limit_after,
        dq_ok,
        ops,
    )
    return dq_avg, sub_bal, sub_pct, conditions, two_times


def _excess_losses(
    spec: ShiftingSpec, when: date, p: ShiftingPeriod[Amount, Flag], ops: Ops[Amount, Flag]
) -> tuple[dict[str, Amount], dict[str, Amount]]:
    """Each group's Excess Losses on ``when`` and each coverage amount left after it. With
    the deal's coverage amounts: each coverage takes its scheduled reductions falling on the
    date, then covers the date's losses of its kind; the rest are excess. Without them: as
    the servicer reports them."""
    cov = spec.shifting_interest.coverage
    names = [g.name for g in spec.shifting_interest.groups]
    if cov is None:
        return dict(p.reported_excess), {}
    excess = {g: ops.zero() for g in names}
    left: dict[str, Amount] = {}
    for kind in COVERAGE_KINDS:
        coverage: LossCoverage = getattr(cov, kind)
        amount = p.coverage[kind]
        for step in coverage.reductions:
            if step.from_date <= when and (p.prior_date is None or p.prior_date < step.from_date):
                amount = shifting.coverage_reduced(
                    amount, step.amount, step.pct_of_pool, p.pool_beginning, ops
                )
        losses = [p.kind_losses[kind][g] for g in names]
        parts, left[kind] = shifting.excess_losses(losses, amount, ops)
        for g, part in zip(names, parts, strict=True):
            excess[g] = excess[g] + part
    return excess, left


def _subordinate_net_wac(
    spec: ShiftingSpec,
    p: ShiftingPeriod[Amount, Flag],
    net_wac: dict[str, Amount],
    ops: Ops[Amount, Flag],
) -> Amount:
    """The subordinates' rate: the groups' net WACs weighted by each group's subordinate
    component (its balance less its seniors'), the convention of crossed multi-group deals;
    the pool's net WAC when no group has a subordinate component."""
    groups = spec.shifting_interest.groups
    component = {
        g.name: ops.max(
            p.groups[g.name].beginning - ops.sum(p.classes[n].balance for n in g.seniors),
            ops.zero(),
        )
        for g in groups
    }
    weight = ops.sum(component.values())
    pool_net_wac = ops.div(p.pool_net_interest * ops.const(12), p.pool_beginning)
    weighted = ops.div(ops.sum(net_wac[g.name] * component[g.name] for g in groups), weight)
    return ops.where(ops.gt(weight, ops.zero()), weighted, pool_net_wac)


def period(
    spec: ShiftingSpec, prior: DealState, rem: Remittance, fees: dict[str, Figure], source: str
) -> ShiftingPeriod[Decimal, bool]:
    """The date's exact amounts. Fees and advance reimbursements, reported for the pool, are
    shared by the groups in proportion to their beginning balances."""
    si = spec.shifting_interest
    names = [g.name for g in si.groups]
    if set(rem.groups) != set(names):
        raise RemitError.one(
            source, "groups", sorted(rem.groups), f"the collections of each loan group {names}"
        )
    begin = {g: prior.shifting.groups[g] for g in names}
    fee_g, reimb_g = group_shares(
        [f.value for f in fees.values()], rem.advances.reimbursements, begin, Exact()
    )
    groups = {g: _group(rem, g, begin[g], fee_g[g], reimb_g[g], source) for g in names}
    it = rem.interest
    _, dq_bal = sixty_plus(rem)
    ps = prior.shifting
    return ShiftingPeriod(
        classes=_openings(spec, prior, rem),
        groups=groups,
        group_net_interest={g: rem.groups[g].scheduled_interest - fee_g[g] for g in names},
        pool_beginning=prior.pool_balance,
        pool_net_interest=it.scheduled_interest - sum((f.value for f in fees.values()), ZERO),
        index=dict(rem.index),
        interest_shortfall=it.prepayment_interest_shortfall
        - it.compensating_interest
        + it.relief_act_shortfall,
        penalties=rem.prepayment_penalties,
        dq60_balance=dq_bal,
        dq60_history=ps.dq60_balance_history,
        cumulative_loss=prior.cumulative_loss + rem.principal.realized_losses,
        prior_share=ps.senior_prepayment_share,
        kind_losses={
            k: {g: getattr(rem.groups[g], f"{k}_losses") for g in names} for k in COVERAGE_KINDS
        },
        coverage={k: ps.coverage.get(k, _initial_coverage(spec, k)) for k in COVERAGE_KINDS},
        reported_excess={g: rem.groups[g].excess_losses or ZERO for g in names},
        unallocated_loss=ps.unallocated_loss,
        depleted=ps.depletion_date is not None,
        prior_date=prior.distribution_date,
    )


def _initial_coverage(spec: ShiftingSpec, kind: str) -> Decimal:
    """A coverage amount at the cut-off date (0 for a deal without coverage amounts)."""
    cov = spec.shifting_interest.coverage
    return getattr(cov, kind).initial if cov is not None else ZERO


def group_shares(
    fees: list[Amount], reimbursements: Amount, begin: dict[str, Amount], ops: Ops[Amount, Flag]
) -> tuple[dict[str, Amount], dict[str, Amount]]:
    """Each loan group's share of the fees and of the advance reimbursements (reported for
    the pool), in proportion to the groups' beginning balances, to the cent."""
    names = list(begin)
    weights = [begin[g] for g in names]
    fee_g = {g: ops.zero() for g in names}
    for f in fees:
        for g, part in zip(names, interest.pro_rata(f, weights, ops), strict=True):
            fee_g[g] = fee_g[g] + part
    reimb = interest.pro_rata(reimbursements, weights, ops)
    return fee_g, dict(zip(names, reimb, strict=True))


class GroupCollected(Protocol[A_co]):
    """A loan group's collections on a date (a remittance's, or a projected month's)."""

    @property
    def scheduled_interest(self) -> A_co: ...
    @property
    def prepayment_interest_shortfall(self) -> A_co: ...
    @property
    def relief_act_shortfall(self) -> A_co: ...
    @property
    def compensating_interest(self) -> A_co: ...
    @property
    def pool_reduction(self) -> A_co: ...
    @property
    def scheduled_principal(self) -> A_co: ...
    @property
    def unscheduled_principal(self) -> A_co: ...
    @property
    def repurchases_principal(self) -> A_co: ...
    @property
    def liquidated_balance(self) -> A_co: ...
    @property
    def liquidation_proceeds(self) -> A_co: ...
    @property
    def excess_loss_liquidated_balance(self) -> A_co: ...
    @property
    def excess_loss_liquidation_principal(self) -> A_co: ...
    @property
    def subsequent_recoveries(self) -> A_co: ...
    @property
    def realized_losses(self) -> A_co: ...


def group_in(
    gc: GroupCollected[Amount], begin: Amount, fee: Amount, reimb: Amount, ops: Ops[Amount, Flag]
) -> GroupIn[Amount]:
    """A loan group's funds: its interest net of its share of the fees (less compensating
    interest) and of the advance reimbursements, and its principal collections. ``losses``
    are all its realized losses here (:func:`prepare` takes the excess losses out)."""
    collected = gc.scheduled_interest - gc.prepayment_interest_shortfall - gc.relief_act_shortfall
    return GroupIn(
        beginning=begin,
        ending=begin - gc.pool_reduction,
        interest_funds=collected - (fee - gc.compensating_interest) - reimb,
        scheduled_principal=gc.scheduled_principal,
        prepayments=gc.unscheduled_principal,
        repurchases=gc.repurchases_principal,
        liquidated_balance=gc.liquidated_balance,
        liquidation_proceeds=gc.liquidation_proceeds,
        excess_loss_balance=gc.excess_loss_liquidated_balance,
        excess_loss_principal=gc.excess_loss_liquidation_principal,
        recoveries=gc.subsequent_recoveries,
        losses=gc.realized_losses,
        excess_losses=ops.zero(),
    )


def _group(
    rem: Remittance, g: str, begin: Decimal, fee: Decimal, reimb: Decimal, source: str
) -> GroupIn[Decimal]:
    """A loan group's funds (:func:`group_in`); its interest must cover its share of the
    fees, its principal no more than its balance."""
    gi = group_in(rem.groups[g], begin, fee, reimb, Exact())
    problems = []
    if gi.interest_funds < 0:
        problems.append(
            Problem(
                source,
                f"groups.{g}.scheduled_interest",
                str(rem.groups[g].scheduled_interest),
                f"interest covering the group's fees {fee}",
            )
        )
    if gi.ending < 0:
        problems.append(
            Problem(
                source,
                f"groups.{g}",
                str(rem.groups[g].pool_reduction),
                f"principal no larger than the group's balance {begin}",
            )
        )
    if problems:
        raise RemitError(problems)
    return gi


def check_excess(
    spec: ShiftingSpec, rem: Remittance, excess: dict[str, Decimal], source: str
) -> None:
    """The servicer's report agrees with the excess losses worked out: a reported
    ``excess_losses`` equals them (where the deal has coverage amounts), and loans with an
    Excess Loss are reported only in a group that has one."""
    problems = []
    for g, amount in excess.items():
        gc = rem.groups[g]
        reported = gc.excess_losses
        if spec.shifting_interest.coverage is not None and reported not in (None, amount):
            problems.append(
                Problem(
                    source,
                    f"groups.{g}.excess_losses",
                    str(reported),
                    f"{amount}, the group's special hazard, fraud and bankruptcy losses "
                    "beyond the coverage amounts left",
                )
            )
        if gc.excess_loss_liquidated_balance > 0 and amount == 0:
            problems.append(
                Problem(
                    source,
                    f"groups.{g}.excess_loss_liquidated_balance",
                    str(gc.excess_loss_liquidated_balance),
                    "0: the group has no excess loss on the date",
                )
            )
    if problems:
        raise RemitError(problems)


def openings(
    spec: ShiftingSpec,
    classes: Mapping[str, Position[Amount]],
    pool: Amount,
    days: Mapping[str, int],
    ops: Ops[Amount, Flag],
) -> dict[str, Opening[Amount]]:
    """Each class's opening position from its position after the prior date; a class with
    no original balance (an interest-only class) has none, a notional class accrues on the
    pool balance (``pool``, before the date)."""
    out = {}
    for c in spec.classes:
        st = classes[c.name]
        out[c.name] = Opening(
            balance=st.balance if c.original_balance > 0 else ops.zero(),
            unpaid_interest=st.unpaid_interest,
            basis_risk_carryforward=ops.zero(),
            unpaid_realized_loss=st.unpaid_realized_loss,
            accrual_base=pool if c.notional == "pool_balance" else st.balance,
            days=days[c.name],
        )
    return out


def _openings(spec: ShiftingSpec, prior: DealState, rem: Remittance) -> dict[str, Opening[Decimal]]:
    when = rem.distribution_date
    days = {c.name: accrual_period(spec, c, prior, when)[2] for c in spec.classes}
    return openings(spec, prior.classes, prior.pool_balance, days, Exact())


def _figures(
    spec: ShiftingSpec,
    when: date,
    p: ShiftingPeriod[Decimal, bool],
    t: ShiftingTests[Decimal, bool],
) -> dict[str, Figure]:
    """The figures of the step-down tests, the groups' rates, the excess losses and the
    coverage amounts left, with their formulas."""
    si = spec.shifting_interest
    orig_sub = sum((spec.cls(n).original_balance for n in si.subordinates), ZERO)
    word = "does not exceed" if si.delinquency_test == "not_exceeding" else "is less than"
    figs = {
        key("delinquency_60plus_average"): Figure(
            t.dq_average,
            "step-down delinquency test",
            si.basis,
            f"average 60+ balance {t.dq_average} {word} {si.delinquency_limit} x "
            f"subordinates {t.subordinate_balance}",
        ),
        key("stepdown_conditions"): Figure(
            Decimal(t.conditions_met),
            "step-down conditions",
            si.basis,
            f"loss limit {in_force(si.stepdown_loss_limits, when)} x original subordinates "
            f"{orig_sub}; cumulative loss {p.cumulative_loss}",
        ),
        key("two_times"): Figure(
            Decimal(t.two_times),
            "two-times test",
            si.two_times.basis,
            f"subordinate percentage {t.subordinate_pct}",
        ),
    }
    figs |= _test_figures(spec, t)
    for g in si.groups:
        figs[key(f"group:{g.name}:net_wac")] = Figure(
            t.net_wac[g.name],
            "group net WAC",
            si.basis,
            f"(scheduled interest - fees) x 12 / {p.groups[g.name].beginning}",
        )
        figs[key(f"group:{g.name}:excess_losses")] = Figure(
            t.excess[g.name],
            "excess losses",
            si.basis,
            "special hazard, fraud and bankruptcy losses beyond the coverage left"
            if si.coverage is not None
            else "as reported by the servicer",
        )
    cov = si.coverage
    if cov is not None:
        for kind in COVERAGE_KINDS:
            c: LossCoverage = getattr(cov, kind)
            losses = sum(p.kind_losses[kind].values(), ZERO)
            figs[key(f"coverage:{kind}")] = Figure(
                t.coverage[kind],
                f"{kind.replace('_', ' ')} loss coverage amount",
                c.basis,
                f"{p.coverage[kind]} after the prior date, its reductions on the date, "
                f"less the {kind.replace('_', ' ')} losses it covers (of {losses})",
            )
    return figs


def _test_figures(spec: ShiftingSpec, t: ShiftingTests[Decimal, bool]) -> dict[str, Figure]:
    """What the statement discloses of the step-down tests beside their results: the
    delinquency test's limit and result, the subordinate balance and percentage before the
    date, and the two-times test's threshold (twice the original subordinate percentage)."""
    si = spec.shifting_interest
    orig_sub = sum((spec.cls(n).original_balance for n in si.subordinates), ZERO)
    cut_off = spec.collateral.cut_off_balance
    limit = si.delinquency_limit * t.subordinate_balance
    ok = shifting.delinquency_condition(
        t.dq_average,
        t.subordinate_balance,
        si.delinquency_limit,
        si.delinquency_test == "not_exceeding",
        Exact(),
    )
    return {
        key("delinquency_limit"): Figure(
            limit,
            "step-down delinquency test",
            si.basis,
            f"{si.delinquency_limit} x subordinates {t.subordinate_balance}",
        ),
        key("delinquency_test"): Figure(
            Decimal(1) if ok else Decimal(0),
            "step-down delinquency test",
            si.basis,
            f"average 60+ balance {t.dq_average} "
            f"{'does not exceed' if si.delinquency_test == 'not_exceeding' else 'is less than'}"
            f" {limit}",
        ),
        key("subordinate_balance"): Figure(
            t.subordinate_balance,
            "subordinate balance",
            si.basis,
            f"the subordinate classes {', '.join(si.subordinates)} before the date",
        ),
        key("subordinate_pct"): Figure(
            t.subordinate_pct,
            "aggregate subordinate percentage",
            si.two_times.basis,
            f"subordinates {t.subordinate_balance} / pool balance before the date",
        ),
        key("two_times_threshold"): Figure(
            2 * money.div(orig_sub, cut_off),
            "two-times test",
            si.two_times.basis,
            f"2 x original subordinates {orig_sub} / cut-off balance {cut_off}",
        ),
    }


class ShiftingFamily:
    """The shifting-interest family's strategy."""

    name = NAME

    def initial(self, spec: ShiftingSpec) -> FamilyState:
        cov = spec.shifting_interest.coverage
        return ShiftingState(
            groups={g.name: g.cut_off_balance for g in spec.shifting_interest.groups},
            coverage={k: getattr(cov, k).initial for k in COVERAGE_KINDS} if cov else {},
        )

    def inputs(
        self,
        spec: ShiftingSpec,
        prior: DealState,
        rem: Remittance,
        fees: dict[str, Figure],
        source: str,
    ) -> Inputs[ShiftingIn[Decimal, bool]]:
        when = expected_date(spec, prior)
        p = period(spec, prior, rem, fees, source)
        w, t = prepare(spec, when, p, Exact())
        check_excess(spec, rem, t.excess, source)
        accruals = {}
        for c in spec.classes:
            start, end, days = accrual_period(spec, c, prior, when)
            accruals[c.name] = Accrual(start, end, days, t.rate[c.name], t.rate[c.name], False)
        carry = ShiftingState(
            groups={g: gi.ending for g, gi in w.groups.items()},
            dq60_balance_history=(*p.dq60_history, p.dq60_balance),
            coverage=t.coverage,
            depletion_date=prior.shifting.depletion_date,
        )
        return Inputs(w, accruals, _figures(spec, when, p, t), not t.conditions_met, carry)

    def run(
        self, spec: ShiftingSpec, w: ShiftingIn[Decimal, bool], ops: Exact
    ) -> WaterfallOut[Decimal]:
        return waterfall.run(spec, w, ops)

    def next_state(
        self,
        spec: ShiftingSpec,
        prior: DealState,
        rem: Remittance,
        inputs: Inputs[ShiftingIn[Decimal, bool]],
        wf: WaterfallOut[Decimal],
    ) -> tuple[FamilyState, dict[str, Figure]]:
        carry: ShiftingState = inputs.carry
        basis = spec.shifting_interest.basis
        figs = {key(k): Figure(v, k, basis, k.replace("_", " ")) for k, v in wf.metrics.items()}
        depleted = carry.depletion_date
        if depleted is None and wf.metrics["credit_support_depleted"]:
            depleted = rem.distribution_date
        unallocated = prior.shifting.unallocated_loss + money.cents(wf.metrics["unallocated_loss"])
        figs |= _unallocated_figures(spec, prior, wf, unallocated)
        state = ShiftingState(
            groups=carry.groups,
            senior_prepayment_share=money.round_places(wf.metrics["senior_prepayment_share"], 10),
            dq60_balance_history=carry.dq60_balance_history[-12:],
            coverage=carry.coverage,
            depletion_date=depleted,
            unallocated_loss=unallocated,
        )
        return state, figs


def _unallocated_figures(
    spec: ShiftingSpec, prior: DealState, wf: WaterfallOut[Decimal], cumulative: Decimal
) -> dict[str, Figure]:
    """The realized losses of the date allocated to no class (each group's and in all), and
    since closing: what the subordinates could not absorb and the seniors of the group whose
    loans lost it could not take (retired)."""
    si = spec.shifting_interest
    rule = "realized loss allocated to no class"
    why = "beyond the subordinates and the group's seniors (retired)"
    figs = {
        key(f"group:{g.name}:unallocated_loss"): Figure(
            money.cents(wf.metrics[f"group:{g.name}:unallocated_loss"]),
            rule,
            si.basis,
            f"the group's realized loss {why}",
        )
        for g in si.groups
    }
    figs[key("unallocated_loss")] = Figure(
        money.cents(wf.metrics["unallocated_loss"]),
        rule,
        si.basis,
        f"the date's realized loss {why}, every group",
    )
    figs[key("cumulative_unallocated_loss")] = Figure(
        cumulative,
        rule,
        si.basis,
        f"{prior.shifting.unallocated_loss} before the date + the date's "
        f"{money.cents(wf.metrics['unallocated_loss'])}",
    )
    return figs


FAMILY = ShiftingFamily()
