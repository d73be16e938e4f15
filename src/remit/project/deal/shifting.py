"""The shifting-interest family in the projection: the date's :class:`ShiftingPeriod` built
from a month's collections and the running state -- the amounts
:func:`remit.close.shifting.period` reads from a remittance, worked out over an ``ops`` (the
fees and advance reimbursements shared by the groups in proportion to their balances) --
then the close's own :func:`remit.close.shifting.prepare` and waterfall; the memory rolled
forward as :class:`remit.close.shifting.ShiftingFamily` keeps it (the groups' balances, the
step-down share, the 60+ day delinquent balances, the coverage amounts left, whether the
credit support depletion date has come)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Generic

from remit.close import shifting as family
from remit.close.shifting import ShiftingPeriod, ShiftingTests
from remit.close.state import HISTORY_MONTHS, DealState
from remit.project.deal.months import GroupMonth, Month
from remit.project.deal.running import Running, Step, on_the_cent
from remit.rules import interest
from remit.rules.ops import Amount, Flag, Ops
from remit.spec.models import COVERAGE_KINDS, ShiftingSpec
from remit.waterfall import shifting as waterfall
from remit.waterfall.flows import Opening
from remit.waterfall.shifting import GroupIn, ShiftingIn


@dataclass(frozen=True)
class ShiftingMemory(Generic[Amount, Flag]):
    """Each loan group's balance, the step-down share of the prior date, the 60+ day
    delinquent balances of the latest months, each coverage amount left, and whether the
    credit support depletion date has come."""

    groups: dict[str, Amount]
    share: Amount
    dq60_history: tuple[Amount, ...]
    coverage: dict[str, Amount]
    depleted: Flag


def period(
    spec: ShiftingSpec,
    prior_date: date | None,
    run: Running[Amount, Flag],
    month: Month[Amount],
    fees: dict[str, Amount],
    days: dict[str, int],
    ops: Ops[Amount, Flag],
) -> ShiftingPeriod[Amount, Flag]:
    """The date's amounts (:func:`remit.close.shifting.period`)."""
    names = [g.name for g in spec.shifting_interest.groups]
    mem: ShiftingMemory[Amount, Flag] = run.memory
    weights = [mem.groups[g] for g in names]
    fee_g = {g: ops.zero() for g in names}
    for f in fees.values():
        for g, part in zip(names, interest.pro_rata(f, weights, ops), strict=True):
            fee_g[g] = fee_g[g] + part
    reimb = interest.pro_rata(month.reimbursements, weights, ops)
    zero = ops.zero()
    groups = {
        g: _group(month.groups[g], mem.groups[g], fee_g[g], r, zero)
        for g, r in zip(names, reimb, strict=True)
    }
    t = month.total
    return ShiftingPeriod(
        classes=_openings(spec, run, days, ops),
        groups=groups,
        group_net_interest={g: month.groups[g].scheduled_interest - fee_g[g] for g in names},
        pool_beginning=run.pool,
        pool_net_interest=t("scheduled_interest", ops) - ops.sum(fees.values()),
        index=dict(month.index),
        interest_shortfall=t("prepayment_interest_shortfall", ops)
        - t("compensating_interest", ops)
        + t("relief_act_shortfall", ops),
        penalties=month.penalties,
        dq60_balance=month.delinquent_60plus,
        dq60_history=mem.dq60_history,
        cumulative_loss=run.cumulative_loss + t("realized_losses", ops),
        prior_share=mem.share,
        kind_losses={k: {g: month.groups[g].kind_losses(k) for g in names} for k in COVERAGE_KINDS},
        coverage=dict(mem.coverage),
        reported_excess={
            g: zero if (x := month.groups[g].excess_losses) is None else x for g in names
        },
        depleted=mem.depleted,
        prior_date=prior_date,
    )


def _group(
    gm: GroupMonth[Amount], begin: Amount, fee: Amount, reimb: Amount, zero: Amount
) -> GroupIn[Amount]:
    """A loan group's funds (:func:`remit.close.shifting._group`)."""
    collected = gm.scheduled_interest - gm.prepayment_interest_shortfall - gm.relief_act_shortfall
    return GroupIn(
        beginning=begin,
        ending=begin - gm.pool_reduction,
        interest_funds=collected - (fee - gm.compensating_interest) - reimb,
        scheduled_principal=gm.scheduled_principal,
        prepayments=gm.unscheduled_principal,
        repurchases=gm.repurchases_principal,
        liquidated_balance=gm.liquidated_balance,
        liquidation_proceeds=gm.liquidation_proceeds,
        excess_loss_balance=gm.excess_loss_liquidated_balance,
        excess_loss_principal=gm.excess_loss_liquidation_principal,
        recoveries=gm.subsequent_recoveries,
        losses=gm.realized_losses,
        excess_losses=zero,
    )


def _openings(
    spec: ShiftingSpec, run: Running[Amount, Flag], days: dict[str, int], ops: Ops[Amount, Flag]
) -> dict[str, Opening[Amount]]:
    """Each class's opening position (:func:`remit.close.shifting._openings`)."""
    out = {}
    for c in spec.classes:
        st = run.classes[c.name]
        out[c.name] = Opening(
            balance=st.balance if c.original_balance > 0 else ops.zero(),
            unpaid_interest=st.unpaid_interest,
            basis_risk_carryforward=ops.zero(),
            unpaid_realized_loss=st.unpaid_realized_loss,
            accrual_base=run.pool if c.notional == "pool_balance" else st.balance,
            days=days[c.name],
        )
    return out


class ShiftingSteps:
    """The shifting-interest family's projection steps."""

    def memory(
        self, spec: ShiftingSpec, state: DealState, ops: Ops[Amount, Flag]
    ) -> ShiftingMemory[Any, Any]:
        st = state.shifting
        cov = spec.shifting_interest.coverage
        return ShiftingMemory(
            groups={g.name: ops.const(st.groups[g.name]) for g in spec.shifting_interest.groups},
            share=ops.const(st.senior_prepayment_share),
            dq60_history=tuple(ops.const(x) for x in st.dq60_balance_history),
            coverage={
                k: ops.const(st.coverage.get(k, getattr(cov, k).initial if cov is not None else 0))
                for k in COVERAGE_KINDS
            },
            depleted=ops.flag(st.depletion_date is not None),
        )

    def step(
        self,
        spec: ShiftingSpec,
        when: date,
        prior_date: date | None,
        run: Running[Amount, Flag],
        month: Month[Amount],
        fees: dict[str, Amount],
        days: dict[str, int],
        ops: Ops[Amount, Flag],
    ) -> Step[Amount, Flag]:
        p = period(spec, prior_date, run, month, fees, days, ops)
        w, tests = family.prepare(spec, when, p, ops)
        return Step(p, w, tests, waterfall.run(spec, w, ops))

    def roll(
        self,
        spec: ShiftingSpec,
        run: Running[Amount, Flag],
        month: Month[Amount],
        s: Step[Amount, Flag],
        ops: Ops[Amount, Flag],
    ) -> ShiftingMemory[Amount, Flag]:
        p: ShiftingPeriod[Amount, Flag] = s.period
        w: ShiftingIn[Amount, Flag] = s.w
        t: ShiftingTests[Amount, Flag] = s.tests
        mem: ShiftingMemory[Amount, Flag] = run.memory
        history: list[Amount] = list(p.dq60_history)
        history.append(p.dq60_balance)
        endings = on_the_cent([gi.ending for gi in w.groups.values()], ops)
        return ShiftingMemory(
            groups=dict(zip(w.groups, endings, strict=True)),
            share=s.out.metrics["senior_prepayment_share"],
            dq60_history=tuple(history[-HISTORY_MONTHS:]),
            coverage=dict(t.coverage) if t.coverage else dict(mem.coverage),
            depleted=ops.or_(
                mem.depleted, ops.gt(s.out.metrics["credit_support_depleted"], ops.zero())
            ),
        )

    def figures(
        self, spec: ShiftingSpec, s: Step[Amount, Flag], ops: Ops[Amount, Flag]
    ) -> dict[str, Any]:
        """The senior/subordinate figures of the date (percentages as fractions; flags as
        0/1), each group's under ``group:NAME:``."""
        w: ShiftingIn[Amount, Flag] = s.w
        t: ShiftingTests[Amount, Flag] = s.tests
        m = s.out.metrics
        one, zero = ops.const(1), ops.zero()
        out: dict[str, Any] = {
            "interest_remittance": ops.sum(g.interest_funds for g in w.groups.values()),
            "principal_remittance": ops.sum(g.collected for g in w.groups.values()),
            "subordinate_percentage": t.subordinate_pct,
            "senior_prepayment_share": m["senior_prepayment_share_applied"],
            "stepdown_conditions": ops.where(t.conditions_met, one, zero),
            "two_times_test": ops.where(t.two_times, one, zero),
            "credit_support_depleted": m["credit_support_depleted"],
            "subordinate_principal": m["subordinate_principal"],
        }
        for g in spec.shifting_interest.groups:
            for k in ("senior_percentage", "senior_prepayment_percentage", "senior_principal"):
                out[f"group:{g.name}:{k}"] = m[f"group:{g.name}:{k}"]
        return out


STEPS = ShiftingSteps()
