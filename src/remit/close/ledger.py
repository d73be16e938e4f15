"""The double-entry ledger of a period: every movement of money, from one account to another,
with the waterfall step that made it and the rule's basis."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from remit.close.state import DealState
from remit.money import ZERO
from remit.remittance import Remittance
from remit.spec.models import DealSpec
from remit.waterfall.flows import Flow, WaterfallOut
from remit.waterfall.steps import (
    CERT,
    DEPOSIT,
    POOL,
    REALIZED_LOSS,
    SERVICER,
    Step,
    fee_account,
    fee_step,
    holder,
)

#: Where the servicer's deposits are documented.
DEPOSIT_BASIS = "Servicer remittance (PSA, Article IV: deposits to the Certificate Account)"


@dataclass(frozen=True)
class Posting:
    """One movement of ``amount`` from ``source`` to ``target``."""

    index: int
    step: str
    basis: str
    source: str
    target: str
    amount: Decimal
    kind: Literal["cash", "memo"] = "cash"

    def to_dict(self) -> dict[str, object]:
        return {
            "index": self.index,
            "step": self.step,
            "basis": self.basis,
            "source": self.source,
            "target": self.target,
            "amount": str(self.amount),
            "kind": self.kind,
        }


@dataclass(frozen=True)
class Ledger:
    postings: tuple[Posting, ...]

    def balances(self) -> dict[str, Decimal]:
        """Net balance of each account: received minus paid out."""
        out: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for p in self.postings:
            out[p.source] -= p.amount
            out[p.target] += p.amount
        return dict(out)

    def select(
        self,
        *,
        step: str | Iterable[str] | None = None,
        step_prefix: str | None = None,
        source: str | None = None,
        target: str | None = None,
    ) -> tuple[Posting, ...]:
        steps = {step} if isinstance(step, str) else set(step) if step is not None else None
        return tuple(
            p
            for p in self.postings
            if (steps is None or p.step in steps)
            and (step_prefix is None or p.step.startswith(step_prefix))
            and (source is None or p.source == source)
            and (target is None or p.target == target)
        )

    @staticmethod
    def total(postings: Iterable[Posting]) -> Decimal:
        return sum((p.amount for p in postings), ZERO)

    def to_list(self) -> list[dict[str, object]]:
        return [p.to_dict() for p in self.postings]


def post_period(
    spec: DealSpec,
    prior: DealState,
    rem: Remittance,
    fees: Mapping[str, Decimal],
    wf: WaterfallOut[Decimal],
) -> Ledger:
    """The period's ledger: the servicer's deposits and withdrawals, the fees, the
    waterfall's flows and the residual classes retired from the closing deposit, in the order
    they happen. Movements of zero are left out."""
    flows = [*_deposits(rem), *_fees(spec, rem, fees), *wf.flows]
    for c in spec.classes:
        bal = prior.classes[c.name].balance
        if c.retire is not None and bal > 0:
            flows.append(Flow(Step.RESIDUAL_RETIRE, c.basis, DEPOSIT, holder(c.name), bal))
    return Ledger(
        tuple(
            Posting(i, f.step, f.basis, f.source, f.target, f.amount, f.kind)
            for i, f in enumerate(fl for fl in flows if fl.amount != 0)
        )
    )


def _deposits(rem: Remittance) -> list[Flow[Decimal]]:
    """What the servicer deposits into the certificate account (a liquidated loan's proceeds
    are cash; its realized loss is a memo: it leaves the pool without moving money), and the
    reimbursement of its advances."""
    it, pr = rem.interest, rem.principal
    collected = (
        it.scheduled_interest
        - it.prepayment_interest_shortfall
        - it.relief_act_shortfall
        + pr.scheduled_principal
        + pr.unscheduled_principal
        - rem.advances.p_and_i_advances
    )
    deposits = (
        (Step.DEPOSIT_INTEREST_AND_PRINCIPAL, collected),
        (Step.DEPOSIT_LIQUIDATIONS, pr.liquidation_proceeds),
        (Step.DEPOSIT_SUBSEQUENT_RECOVERIES, pr.subsequent_recoveries),
        (Step.DEPOSIT_REPURCHASES, pr.repurchases_principal),
        (Step.DEPOSIT_ADVANCES, rem.advances.p_and_i_advances),
        (Step.DEPOSIT_PREPAYMENT_PENALTIES, rem.prepayment_penalties),
    )
    flows = [Flow(step, DEPOSIT_BASIS, SERVICER, CERT, amount) for step, amount in deposits]
    # a liquidated loan's realized loss leaves the pool without moving cash: a memo
    flows.append(
        Flow(Step.REALIZED_LOSSES, DEPOSIT_BASIS, POOL, REALIZED_LOSS, pr.realized_losses, "memo")
    )
    flows.append(
        Flow(Step.ADVANCE_REIMBURSEMENT, DEPOSIT_BASIS, CERT, SERVICER, rem.advances.reimbursements)
    )
    return flows


def _fees(spec: DealSpec, rem: Remittance, fees: Mapping[str, Decimal]) -> list[Flow[Decimal]]:
    """Each fee to its payee, and the compensating interest the servicer pays back out of its
    servicing fee."""
    flows = [
        Flow(fee_step(f.name), f.basis, CERT, fee_account(f.name), fees[f.name]) for f in spec.fees
    ]
    comp_from = next(
        (fee_account(f.name) for f in spec.fees if f.statement_row == "gross_servicing"), SERVICER
    )
    flows.append(
        Flow(
            Step.COMPENSATING_INTEREST,
            "Compensating interest, paid by the servicer out of its servicing fee",
            comp_from,
            CERT,
            rem.interest.compensating_interest,
        )
    )
    return flows
