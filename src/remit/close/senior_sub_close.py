"""Closing a distribution date of a senior/subordinate (shifting-interest) deal, exact.

The same pure close as an overcollateralization deal's -- remittance checked, fees, rates,
the waterfall on Decimals, every movement in the ledger, the new state -- with each loan
group's funds kept apart until the seniors are paid (:mod:`remit.close.senior_sub`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from remit import money
from remit.close.close import (
    Figure,
    PeriodResult,
    _assert_conserved,
    _check,
    _ledger,
    accrual_period,
    fee_amounts,
    period_result,
    pool_rates,
    sixty_plus,
)
from remit.close.senior_sub import GroupIn, SeniorSubIn, run
from remit.close.state import ClassState, DealState
from remit.close.waterfall import ClassIn
from remit.errors import Problem, RemitError
from remit.remittance import Remittance
from remit.rules import interest as irules
from remit.rules import shifting
from remit.rules.ops import Exact
from remit.spec.models import ScheduleStep, ShiftingSpec

Z = Decimal("0.00")


def in_force(steps: list[ScheduleStep], when: date) -> Decimal | None:
    """The value of the last step on or before ``when`` (None before the first)."""
    value = None
    for s in steps:
        if s.from_date <= when:
            value = s.value
    return value


def split(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """A pool-level amount shared by the groups in proportion to ``weights``, to the cent."""
    return irules.pro_rata(total, weights, Exact())


@dataclass(frozen=True)
class Prepared:
    distribution_date: date
    fees: dict[str, Figure]
    waterfall: SeniorSubIn[Decimal]
    periods: dict[str, tuple[date, date, int, Decimal]]
    figures: dict[str, Figure]
    delinquent_60plus: Decimal


def prepare(spec: ShiftingSpec, prior: DealState, rem: Remittance, source: str) -> Prepared:
    """Everything the waterfall needs for the date: the groups' funds, the classes' rates,
    the step-down conditions and the two-times test."""
    si = spec.shifting_interest
    dd = _check(spec, prior, rem, source)
    names = [g.name for g in si.groups]
    if set(rem.groups) != set(names):
        raise RemitError.one(
            source, "groups", sorted(rem.groups), f"the collections of each loan group {names}"
        )
    fees = fee_amounts(spec, prior, rem, source)
    begin = {g: prior.groups[g] for g in names}
    weights = [begin[g] for g in names]
    fee_g = dict.fromkeys(names, Z)
    for f in fees.values():
        for g, part in zip(names, split(f.value, weights), strict=True):
            fee_g[g] += part
    reimb_g = dict(zip(names, split(rem.advances.reimbursements, weights), strict=True))
    problems: list[Problem] = []
    groups: dict[str, GroupIn[Decimal]] = {}
    net_wac: dict[str, Decimal] = {}
    for g in names:
        gc = rem.groups[g]
        collected = (
            gc.scheduled_interest - gc.prepayment_interest_shortfall - gc.relief_act_shortfall
        )
        funds = collected - (fee_g[g] - gc.compensating_interest) - reimb_g[g]
        ending = begin[g] - gc.pool_reduction
        if funds < 0:
            problems.append(
                Problem(
                    source,
                    f"groups.{g}.scheduled_interest",
                    str(gc.scheduled_interest),
                    f"interest covering the group's fees {fee_g[g]}",
                )
            )
        if ending < 0:
            problems.append(
                Problem(
                    source,
                    f"groups.{g}",
                    str(gc.pool_reduction),
                    f"principal no larger than the group's balance {begin[g]}",
                )
            )
        groups[g] = GroupIn(
            beginning=begin[g],
            ending=ending,
            interest_funds=funds,
            scheduled_principal=gc.scheduled_principal,
            prepayments=gc.unscheduled_principal + gc.repurchases_principal,
            liquidated_balance=gc.liquidated_balance,
            liquidation_proceeds=gc.liquidation_proceeds,
            recoveries=gc.subsequent_recoveries,
            losses=gc.realized_losses - gc.excess_losses,
            excess_losses=gc.excess_losses,
        )
        net_wac[g] = money.div((gc.scheduled_interest - fee_g[g]) * 12, begin[g])
    if problems:
        raise RemitError(problems)
    # The subordinates' rate: the groups' net WACs weighted by each group's subordinate
    # component (its balance less its seniors'), the convention of crossed multi-group deals.
    component = {
        g.name: max(begin[g.name] - sum((prior.classes[n].balance for n in g.seniors), Z), Z)
        for g in si.groups
    }
    weight = sum(component.values(), Z)
    pool_net_wac = money.div(
        (rem.interest.scheduled_interest - sum((f.value for f in fees.values()), Z)) * 12,
        prior.pool_balance,
    )
    sub_net_wac = (
        money.div(sum((net_wac[g] * component[g] for g in names), Z), weight)
        if weight > 0
        else pool_net_wac
    )
    classes: dict[str, ClassIn[Decimal]] = {}
    periods: dict[str, tuple[date, date, int, Decimal]] = {}
    for c in spec.classes:
        st = prior.classes[c.name]
        start, end, days = accrual_period(spec, c, prior, dd)
        cp = c.coupon
        rate = Z
        if cp.kind == "fixed" and cp.rate is not None:
            rate = cp.rate
        elif cp.kind == "floating" and cp.index is not None and cp.margin is not None:
            rate = irules.floating_rate(rem.index[cp.index], cp.margin)
        elif cp.kind == "net_wac":
            group = spec.group_of(c.name)
            rate = net_wac[group.name] if group is not None else sub_net_wac
            if cp.strip is not None:
                rate = max(rate - cp.strip, Z)
        if cp.max_rate is not None:
            rate = min(rate, cp.max_rate)
        base = prior.pool_balance if c.notional == "pool_balance" else st.balance
        classes[c.name] = ClassIn(
            balance=st.balance if c.original_balance > 0 else Z,
            unpaid_interest=st.unpaid_interest,
            basis_risk_carryforward=Z,
            unpaid_realized_loss=st.unpaid_realized_loss,
            rate=rate,
            formula_rate=rate,
            days=days,
            accrual_base=base,
        )
        periods[c.name] = (start, end, days, rate)

    # The step-down conditions and the two-times test, on the state before the date.
    sub_bal = sum((prior.classes[n].balance for n in si.subordinates), Z)
    orig_sub = sum((spec.cls(n).original_balance for n in si.subordinates), Z)
    _, dq_bal = sixty_plus(rem)
    history = (*prior.delinquent_60plus_balances, dq_bal)[-si.delinquency_averaging_months :]
    dq_avg = money.div(sum(history, Z), Decimal(len(history)))
    cum_loss = prior.cumulative_loss + rem.principal.realized_losses
    ops = Exact()
    limit = in_force(si.stepdown_loss_limits, dd)
    conditions = limit is not None and bool(
        shifting.stepdown_conditions(
            dq_avg, sub_bal, cum_loss, orig_sub, limit, si.delinquency_limit, ops
        )
    )
    dq_ok = bool(ops.gt(sub_bal * si.delinquency_limit, dq_avg))
    before3 = dd < si.two_times.third_anniversary
    tt = si.two_times
    two_times = bool(
        shifting.two_times_test(
            money.div(sub_bal, prior.pool_balance),
            orig_sub / spec.collateral.cut_off_balance,
            cum_loss,
            orig_sub,
            tt.loss_limit_before if before3 else tt.loss_limit_after,
            dq_ok,
            ops,
        )
    )
    scheduled = in_force(si.senior_prepayment_share, dd)
    w = SeniorSubIn(
        classes=classes,
        groups=groups,
        interest_shortfall=rem.interest.prepayment_interest_shortfall
        - rem.interest.compensating_interest
        + rem.interest.relief_act_shortfall,
        penalties=rem.prepayment_penalties,
        scheduled_share=scheduled if scheduled is not None else Decimal(1),
        prior_share=prior.senior_prepayment_share,
        conditions_met=conditions,
        two_times=two_times,
        before_third_anniversary=before3,
        depleted=prior.period > 0 and sub_bal == 0,
    )
    figs = {f"fee:{k}": v for k, v in fees.items()} | pool_rates(spec, prior, rem, fees)
    figs["si:delinquency_60plus_average"] = Figure(
        dq_avg,
        "step-down delinquency test",
        si.basis,
        f"average 60+ balance {dq_avg} against {si.delinquency_limit} x subordinates {sub_bal}",
    )
    figs["si:stepdown_conditions"] = Figure(
        Decimal(conditions),
        "step-down conditions",
        si.basis,
        f"loss limit {limit} x original subordinates {orig_sub}; cumulative loss {cum_loss}",
    )
    figs["si:two_times"] = Figure(
        Decimal(two_times),
        "two-times test",
        tt.basis,
        f"subordinate percentage {money.div(sub_bal, prior.pool_balance)}",
    )
    for g in names:
        figs[f"si:group:{g}:net_wac"] = Figure(
            net_wac[g], "group net WAC", si.basis, f"(scheduled interest - fees) x 12 / {begin[g]}"
        )
    return Prepared(dd, fees, w, periods, figs, dq_bal)


def close_senior_sub(
    spec: ShiftingSpec, prior: DealState, rem: Remittance, *, source: str = "remittance"
) -> PeriodResult:
    """Close one distribution date of a senior/subordinate deal."""
    p = prepare(spec, prior, rem, source)
    dd, fees, w, periods, figs = p.distribution_date, p.fees, p.waterfall, p.periods, p.figures
    dq_bal = p.delinquent_60plus
    wf = run(spec, w, Exact())
    ledger = _ledger(spec, prior, rem, fees, wf)
    _assert_conserved(ledger, source)
    classes = {
        c.name: ClassState(
            balance=money.cents(wf.classes[c.name].balance),
            unpaid_interest=money.cents(wf.classes[c.name].unpaid_interest),
            unpaid_realized_loss=money.cents(wf.classes[c.name].unpaid_realized_loss),
            cumulative_realized_loss=prior.classes[c.name].cumulative_realized_loss
            + wf.classes[c.name].writedown,
        )
        for c in spec.classes
    }
    groups = {g: w.groups[g].ending for g in w.groups}
    si = spec.shifting_interest
    for k, v in wf.metrics.items():
        figs[f"si:{k}"] = Figure(v, k, si.basis, k.replace("_", " "))
    state = DealState(
        deal_id=spec.deal.id,
        period=prior.period + 1,
        distribution_date=dd,
        pool_balance=sum(groups.values(), Z),
        loan_count=rem.collateral.ending_count,
        cumulative_loss=prior.cumulative_loss
        + rem.principal.realized_losses
        - rem.principal.subsequent_recoveries,
        specified_oc=Z,
        stepdown_reached=False,
        delinquency_60plus=(),
        closing_deposit=prior.closing_deposit,
        classes=classes,
        groups=groups,
        senior_prepayment_share=money.round_places(wf.metrics["senior_prepayment_share"], 10),
        delinquent_60plus_balances=(*prior.delinquent_60plus_balances, dq_bal)[-12:],
    )
    full = {n: (st, en, d, r, r, False) for n, (st, en, d, r) in periods.items()}
    return period_result(spec, prior, rem, dd, ledger, state, wf, full, figs, not w.conditions_met)
