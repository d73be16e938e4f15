"""The shifting-interest family in the projection: the date's :class:`ShiftingPeriod` built
from a month's collections and the running state -- the amounts
:func:`remit.close.shifting.period` reads from a remittance, worked out over an ``ops`` (the
fees and advance reimbursements shared by the groups in proportion to their balances) --
then the close's own :func:`remit.close.shifting.prepare` and waterfall; the memory rolled
forward as :class:`remit.close.shifting.ShiftingFamily` keeps it (the groups' balances, the
step-down share, the 60+ day delinquent balances, the coverage amounts left, whether the
credit support depletion date has come, the realized losses allocated to no class)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Generic

from remit.close import shifting as family
from remit.close.period import sixty_plus
from remit.close.shifting import ShiftingPeriod, ShiftingTests
from remit.close.state import HISTORY_MONTHS, DealState
from remit.project.deal.months import Month
from remit.project.deal.running import Running, Step, on_the_cent
from remit.remittance import Remittance
from remit.rules.ops import Amount, Flag, Ops
from remit.spec.models import COVERAGE_KINDS, ShiftingSpec
from remit.waterfall import shifting as waterfall
from remit.waterfall.shifting import ShiftingIn


@dataclass(frozen=True)
class ShiftingMemory(Generic[Amount, Flag]):
    """Each loan group's balance, the step-down share of the prior date, the 60+ day
    delinquent balances of the latest months, each coverage amount left, whether the
    credit support depletion date has come, and the realized losses allocated to no class
    so far."""

    groups: dict[str, Amount]
    share: Amount
    dq60_history: tuple[Amount, ...]
    coverage: dict[str, Amount]
    depleted: Flag
    unallocated: Amount


def period(
    spec: ShiftingSpec,
    prior_date: date | None,
    run: Running[Amount, Flag],
    month: Month[Amount],
    fees: dict[str, Amount],
    days: dict[str, int],
    ops: Ops[Amount, Flag],
) -> ShiftingPeriod[Amount, Flag]:
    """The date's amounts (:func:`remit.close.shifting.period`): the fees and advance
    reimbursements shared by the groups (:func:`remit.close.shifting.group_shares`), each
    group's funds (:func:`remit.close.shifting.group_in`), the classes' openings."""
    names = [g.name for g in spec.shifting_interest.groups]
    mem: ShiftingMemory[Amount, Flag] = run.memory
    fee_g, reimb_g = family.group_shares(
        list(fees.values()), month.reimbursements, {g: mem.groups[g] for g in names}, ops
    )
    groups = {
        g: family.group_in(month.groups[g], mem.groups[g], fee_g[g], reimb_g[g], ops) for g in names
    }
    zero = ops.zero()
    t = month.total
    return ShiftingPeriod(
        classes=family.openings(spec, run.classes, run.pool, days, ops),
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
        unallocated_loss=mem.unallocated,
        depleted=mem.depleted,
        prior_date=prior_date,
    )


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
            unallocated=ops.const(st.unallocated_loss),
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
            unallocated=p.unallocated_loss + s.out.metrics["unallocated_loss"],
        )

    def figures(
        self, spec: ShiftingSpec, s: Step[Amount, Flag], ops: Ops[Amount, Flag]
    ) -> dict[str, Any]:
        """The senior/subordinate figures of the date (percentages as fractions; flags as
        0/1), each group's under ``group:NAME:``."""
        p: ShiftingPeriod[Amount, Flag] = s.period
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
            "unallocated_loss": m["unallocated_loss"],
            "cumulative_unallocated_loss": p.unallocated_loss + m["unallocated_loss"],
        }
        for g in spec.shifting_interest.groups:
            for k in (
                "senior_percentage",
                "senior_prepayment_percentage",
                "senior_principal",
                "unallocated_loss",
                "cross_collateral_interest",
                "cross_collateral_principal",
            ):
                out[f"group:{g.name}:{k}"] = m[f"group:{g.name}:{k}"]
        return out

    def sixty_plus(self, spec: ShiftingSpec, rem: Remittance) -> Decimal:
        return sixty_plus(rem)[1]


STEPS = ShiftingSteps()
