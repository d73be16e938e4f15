"""The overcollateralization family in the projection: the date's :class:`OCPeriod` built
from a month's collections and the running state -- the same amounts
:func:`remit.close.oc.period` reads from a remittance, worked out over an ``ops`` -- then the
close's own :func:`remit.close.oc.prepare` and waterfall; the memory rolled forward as
:class:`remit.close.oc.OCFamily` keeps it (the specified OC, the stepdown, the 60+ day
delinquency percentages)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Generic

from remit.close import oc as family
from remit.close.oc import OCPeriod, OCTests
from remit.close.state import HISTORY_MONTHS, DealState
from remit.project.deal.months import Month
from remit.project.deal.running import Running, Step
from remit.remittance import Remittance
from remit.rules.ops import Amount, Flag, Ops
from remit.spec.models import OCSpec
from remit.waterfall import oc as waterfall


@dataclass(frozen=True)
class OCMemory(Generic[Amount, Flag]):
    """The specified OC amount of the prior date, whether the stepdown date has come,
    whether the Senior Enhancement Percentage has met the stepdown's target on some date,
    and the 60+ day delinquency percentages of the latest months."""

    specified_oc: Amount
    stepdown: Flag
    dq60_history: tuple[Amount, ...]
    enhancement_met: Flag


def period(
    spec: OCSpec,
    run: Running[Amount, Flag],
    month: Month[Amount],
    fees: dict[str, Amount],
    days: dict[str, int],
    ops: Ops[Amount, Flag],
) -> OCPeriod[Amount, Flag]:
    """The date's amounts: the remittance's funds (:func:`remit.close.oc.remittance_funds`:
    fees, then advance reimbursements, out of interest first and, where interest falls
    short, out of principal) and the classes' openings (:func:`remit.close.oc.openings`),
    the amounts :func:`remit.close.oc.period` reads from a remittance."""
    t = month.total
    collected = (
        t("scheduled_interest", ops)
        - t("prepayment_interest_shortfall", ops)
        - t("relief_act_shortfall", ops)
    )
    compensating = t("compensating_interest", ops)
    recoveries = t("subsequent_recoveries", ops)
    interest_funds, principal_funds = family.remittance_funds(
        collected,
        ops.sum(fees.values()),
        compensating,
        month.reimbursements,
        t("scheduled_principal", ops)
        + t("unscheduled_principal", ops)
        + t("repurchases_principal", ops)
        + t("liquidation_proceeds", ops)
        + recoveries,
        ops,
    )
    pool_ending = run.pool - month.pool_reduction(ops)
    losses = t("realized_losses", ops)
    mem: OCMemory[Amount, Flag] = run.memory
    return OCPeriod(
        classes=family.openings(spec, run.classes, run.pool, days, ops),
        index=dict(month.index),
        beginning=run.pool,
        pool_ending=pool_ending,
        scheduled_interest=t("scheduled_interest", ops),
        cap_fees=ops.sum(fees[n] for n in spec.net_wac_cap.net_of),
        interest_funds=interest_funds,
        principal_funds=principal_funds,
        recoveries=recoveries,
        realized_losses=losses,
        penalties=month.penalties,
        interest_shortfall=t("prepayment_interest_shortfall", ops)
        - compensating
        + t("relief_act_shortfall", ops),
        dq60_pct=ops.div(month.delinquent_60plus, pool_ending),
        dq60_history=mem.dq60_history,
        cumulative_loss=run.cumulative_loss + losses - recoveries,
        prior_stepdown=mem.stepdown,
        prior_enhancement_met=mem.enhancement_met,
        prior_specified_oc=mem.specified_oc,
        prior_enhancement=family.senior_enhancement_after(spec, run.classes, run.pool, ops),
    )


class OCSteps:
    """The overcollateralization family's projection steps."""

    def memory(self, spec: OCSpec, state: DealState, ops: Ops[Amount, Flag]) -> OCMemory[Any, Any]:
        st = state.oc
        return OCMemory(
            ops.const(st.specified_oc),
            ops.flag(st.stepdown_reached),
            tuple(ops.const(x) for x in st.dq60_pct_history),
            ops.flag(st.enhancement_met),
        )

    def step(
        self,
        spec: OCSpec,
        when: date,
        prior_date: date | None,
        run: Running[Amount, Flag],
        month: Month[Amount],
        fees: dict[str, Amount],
        days: dict[str, int],
        ops: Ops[Amount, Flag],
    ) -> Step[Amount, Flag]:
        p = period(spec, run, month, fees, days, ops)
        w, tests = family.prepare(spec, when, p, ops)
        return Step(p, w, tests, waterfall.run(spec, w, ops))

    def roll(
        self,
        spec: OCSpec,
        run: Running[Amount, Flag],
        month: Month[Amount],
        s: Step[Amount, Flag],
        ops: Ops[Amount, Flag],
    ) -> OCMemory[Amount, Flag]:
        p: OCPeriod[Amount, Flag] = s.period
        t: OCTests[Amount, Flag] = s.tests
        history: list[Amount] = list(p.dq60_history)
        history.append(p.dq60_pct)
        return OCMemory(
            s.out.metrics["specified_oc"],
            t.after_stepdown,
            tuple(history[-HISTORY_MONTHS:]),
            t.enhancement_met,
        )

    def figures(
        self, spec: OCSpec, s: Step[Amount, Flag], ops: Ops[Amount, Flag]
    ) -> dict[str, Any]:
        """The OC figures of the date (amounts; flags as 0/1)."""
        p: OCPeriod[Amount, Flag] = s.period
        m = s.out.metrics
        one, zero = ops.const(1), ops.zero()
        return {
            "interest_remittance": p.interest_funds,
            "principal_remittance": p.principal_funds,
            "specified_oc": m["specified_oc"],
            "oc_amount": m["oc_amount"],
            "oc_deficiency": m["oc_deficiency"],
            "oc_release": m["oc_release"],
            "extra_principal": m["extra_principal"],
            "excess_cash": m["excess_cash"],
            "applied_realized_loss": m["applied_realized_loss"],
            "delinquency_60plus_pct": p.dq60_pct,
            "stepdown": ops.where(s.w.after_stepdown, one, zero),
            "trigger": ops.where(s.w.trigger, one, zero),
        }

    def sixty_plus(self, spec: OCSpec, rem: Remittance) -> Decimal:
        return family.sixty_plus_balance(rem, spec.overcollateralization.delinquency_trigger)


STEPS = OCSteps()
