"""A close as it is shown (statement, ledger, state) and as the store keeps it (a
:class:`~remit.store.records.NewPeriod`: inputs as text, outputs as rendered, figures)."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from decimal import Decimal

from remit import money
from remit.close import DealState, PeriodResult
from remit.records import StoredPeriod
from remit.spec import DealSpec
from remit.statement import Statement, build_statement
from remit.store.records import ClassPoint, DelinquencyPoint, NewPeriod
from remit.workflows.plan import Plan


@dataclass(frozen=True)
class Outputs:
    """What a close shows: its statement (EDGAR text and JSON), ledger and closing state."""

    statement_text: str
    statement_json: str
    ledger_json: str
    state_json: str

    def files(self) -> dict[str, str]:
        """The files a close writes, by name."""
        return {
            "statement.txt": self.statement_text,
            "statement.json": self.statement_json,
            "ledger.json": self.ledger_json,
            "state.json": self.state_json,
        }

    @classmethod
    def of_stored(cls, p: StoredPeriod) -> Outputs:
        return cls(p.statement_text, p.statement_json, p.ledger_json, state_json(p.state))


def state_json(state: DealState) -> str:
    return json.dumps(state.to_dict(), indent=2) + "\n"


def ledger_json(result: PeriodResult) -> str:
    return json.dumps(result.ledger.to_list(), indent=2) + "\n"


def render(result: PeriodResult, amended: bool) -> tuple[Statement, str, str]:
    """The statement of a close and its EDGAR and JSON renderings."""
    st = build_statement(result)
    if amended:
        st = replace(st, amended=True)
    return st, st.to_edgar(), st.to_json()


def _amount(st: Statement, section: str, row: str, column: str) -> Decimal:
    value = st.value(section, row, column)
    if not isinstance(value, Decimal):
        raise TypeError(f"expected an amount at {section}/{row}/{column}, found {value!r}")
    return value


def _class_points(
    spec: DealSpec, plan: Plan, result: PeriodResult, st: Statement
) -> tuple[ClassPoint, ...]:
    """Each class of the period as the history keeps it, in the spec's order."""
    points = []
    for c in spec.classes:
        cs = result.state.classes[c.name]
        points.append(
            ClassPoint(
                name=c.name,
                original_face=c.original_balance,
                beginning_balance=plan.prior.classes[c.name].balance,
                interest_distribution=_amount(
                    st, "distribution_summary", c.name, "interest_distribution"
                ),
                principal_distribution=_amount(
                    st, "distribution_summary", c.name, "principal_distribution"
                ),
                realized_loss=_amount(
                    st, "distribution_summary_2", c.name, "current_realized_loss"
                ),
                ending_balance=cs.balance,
                factor=money.ratio(cs.balance, c.original_balance),
                unpaid_interest=cs.unpaid_interest,
                basis_risk_carryforward=cs.basis_risk_carryforward,
                unpaid_realized_loss=cs.unpaid_realized_loss,
                cumulative_realized_loss=cs.cumulative_realized_loss,
            )
        )
    return tuple(points)


@dataclass(frozen=True)
class PeriodInputs:
    """A close's inputs as stored: the spec's and the remittance's exact text."""

    spec_text: str
    remittance_source: str
    remittance_text: str
    reason: str | None


def new_period(spec: DealSpec, plan: Plan, inputs: PeriodInputs, result: PeriodResult) -> NewPeriod:
    """The record the store keeps of a close: inputs, outputs as rendered, figures."""
    st, edgar, js = render(result, amended=plan.version > 1)
    state, rem = result.state, result.remittance
    pr = rem.principal
    return NewPeriod(
        deal_id=spec.deal.id,
        deal_name=spec.deal.name,
        distribution_date=plan.target,
        version=plan.version,
        period=state.period,
        prior_id=plan.prior_id,
        reason=inputs.reason,
        spec_text=inputs.spec_text,
        remittance_source=inputs.remittance_source,
        remittance_text=inputs.remittance_text,
        ledger_json=ledger_json(result),
        state_json=state_json(state),
        statement_text=edgar,
        statement_json=js,
        pool_beginning=plan.prior.pool_balance,
        pool_ending=state.pool_balance,
        count_beginning=plan.prior.loan_count,
        count_ending=state.loan_count,
        scheduled_principal=pr.scheduled_principal,
        unscheduled_principal=pr.unscheduled_principal,
        realized_losses=pr.realized_losses,
        cumulative_loss=state.cumulative_loss,
        classes=_class_points(spec, plan, result, st),
        delinquency=tuple(
            DelinquencyPoint(c.status, c.bucket, c.count, c.balance) for c in rem.delinquency
        ),
    )
