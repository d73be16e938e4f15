"""close(spec, prior_state, remittance) -> PeriodResult: one distribution date, exact.

Pure: no files, no database, no clock. The pipeline is the same for every structure family;
the family (:mod:`remit.close.registry`) supplies its inputs, its waterfall and its part of
the next state. The statement is a view over the result, built outside this package
(:func:`remit.statement.build_statement`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from remit import dates, money
from remit.close.checks import assert_conserved, assert_covered, check_remittance
from remit.close.family import Inputs
from remit.close.ledger import Ledger, post_period
from remit.close.period import (
    expected_date,
    fee_amounts,
    pool_figures,
    pool_performance,
    pool_rates,
    scheduled_principal_split,
)
from remit.close.registry import family_of
from remit.close.result import ClassPeriod, Figure, PeriodResult
from remit.close.state import ClassState, DealState, FamilyState
from remit.money import ZERO
from remit.remittance import Remittance
from remit.rules.ops import Exact, exact_context
from remit.spec.models import DealSpec
from remit.waterfall.flows import WaterfallOut

__all__ = ["PeriodResult", "close", "expected_date", "initial_state", "waterfall_input"]


def close(
    spec: DealSpec, prior: DealState, rem: Remittance, *, source: str = "remittance"
) -> PeriodResult:
    """Close one distribution date. Raises :class:`RemitError` naming every bad input."""
    family = family_of(spec)
    with exact_context():
        when = check_remittance(spec, prior, rem, source)
        fees = fee_amounts(spec, prior, rem, source)
        inputs = family.inputs(spec, prior, rem, fees, source)
        wf = family.run(spec, inputs.waterfall, Exact())
        ledger = post_period(spec, prior, rem, {n: f.value for n, f in fees.items()}, wf)
        assert_conserved(ledger, source)
        part, family_figures = family.next_state(spec, prior, rem, inputs, wf)
    state = next_state(spec, prior, rem, wf, part)
    assert_covered(spec, state, source)
    figures = (
        {f"fee:{k}": v for k, v in fees.items()}
        | pool_rates(spec, prior, rem, fees)
        | pool_figures(spec, rem, fees)
        | pool_performance(spec, prior, rem)
        | scheduled_principal_split(spec, rem, ledger)
        | inputs.figures
        | family_figures
    )
    return PeriodResult(
        spec=spec,
        prior=prior,
        remittance=rem,
        distribution_date=when,
        record_date=dates.record_date(when, spec.dates.record_date_rule),
        ledger=ledger,
        state=state,
        classes=_class_periods(inputs, wf),
        figures=figures,
        trigger_in_effect=inputs.trigger_in_effect,
        family=family.name,
    )


def waterfall_input(
    spec: DealSpec, prior: DealState, rem: Remittance, *, source: str = "remittance"
) -> Any:
    """The exact input the close gives the family's waterfall on the date (for parity tests
    of the vector mode)."""
    with exact_context():
        check_remittance(spec, prior, rem, source)
        fees = fee_amounts(spec, prior, rem, source)
        return family_of(spec).inputs(spec, prior, rem, fees, source).waterfall


def next_state(
    spec: DealSpec,
    prior: DealState,
    rem: Remittance,
    wf: WaterfallOut[Decimal],
    part: FamilyState,
) -> DealState:
    """The state after the date: each class's closing position (cumulative realized losses
    add the date's write-downs), the pool after the date's principal and losses, and the
    family's part."""
    classes = {
        c.name: ClassState(
            balance=money.cents(o.balance),
            unpaid_interest=money.cents(o.unpaid_interest),
            basis_risk_carryforward=money.cents(o.basis_risk_carryforward),
            unpaid_realized_loss=money.cents(o.unpaid_realized_loss),
            cumulative_realized_loss=money.cents(
                prior.classes[c.name].cumulative_realized_loss + o.writedown
            ),
        )
        for c in spec.classes
        for o in (wf.classes[c.name],)
    }
    retired = sum(
        (prior.classes[c.name].balance for c in spec.classes if c.retire is not None), ZERO
    )
    pr = rem.principal
    return DealState(
        deal_id=spec.deal.id,
        period=prior.period + 1,
        distribution_date=rem.distribution_date,
        pool_balance=prior.pool_balance - rem.pool_reduction,
        loan_count=rem.collateral.ending_count,
        cumulative_loss=prior.cumulative_loss + pr.realized_losses - pr.subsequent_recoveries,
        closing_deposit=prior.closing_deposit - retired,
        classes=classes,
        part=part,
    )


def _class_periods(inputs: Inputs[object], wf: WaterfallOut[Decimal]) -> dict[str, ClassPeriod]:
    return {n: ClassPeriod.of(a, wf.classes[n]) for n, a in inputs.accruals.items()}


def initial_state(spec: DealSpec) -> DealState:
    """The deal at closing: every class at its original balance, the pool at cut-off."""
    deposit = sum((c.original_balance for c in spec.classes if c.retire is not None), ZERO)
    return DealState(
        deal_id=spec.deal.id,
        period=0,
        distribution_date=None,
        pool_balance=spec.collateral.cut_off_balance,
        loan_count=spec.collateral.cut_off_count,
        cumulative_loss=ZERO,
        closing_deposit=deposit,
        classes={c.name: ClassState(balance=c.original_balance) for c in spec.classes},
        part=family_of(spec).initial(spec),
    )


__all__ += ["ClassPeriod", "Figure", "Ledger"]
