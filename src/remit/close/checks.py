"""Checks of the close: the remittance fits the deal and the prior state, and the ledger
conserves money."""

from __future__ import annotations

from datetime import date

from remit.close.ledger import Ledger
from remit.close.period import expected_date
from remit.close.state import DealState
from remit.errors import Problem, RemitError
from remit.money import ZERO
from remit.remittance import Remittance
from remit.spec.models import DealSpec
from remit.waterfall.steps import CERT


def check_remittance(spec: DealSpec, prior: DealState, rem: Remittance, source: str) -> date:
    """Every way the remittance disagrees with the deal or the prior state, as one error;
    returns the distribution date it is for."""
    problems: list[Problem] = []

    def bad(path: str, value: object, expected: str) -> None:
        problems.append(Problem(source, path, value, expected))

    if rem.deal != spec.deal.id:
        bad("deal", rem.deal, f"the deal id {spec.deal.id!r}")
    want = expected_date(spec, prior)
    if rem.distribution_date != want:
        bad(
            "distribution_date",
            rem.distribution_date.isoformat(),
            f"{want.isoformat()}, the distribution date after the prior state's "
            f"{prior.distribution_date or 'closing'}",
        )
    if rem.beginning_balance is not None and rem.beginning_balance != prior.pool_balance:
        bad(
            "beginning_balance",
            str(rem.beginning_balance),
            f"the prior ending pool balance {prior.pool_balance}",
        )
    if rem.beginning_count is not None and rem.beginning_count != prior.loan_count:
        bad("beginning_count", rem.beginning_count, f"the prior loan count {prior.loan_count}")
    if rem.pool_reduction > prior.pool_balance:
        bad(
            "principal",
            str(rem.pool_reduction),
            f"scheduled + unscheduled + repurchased + liquidated principal no larger than "
            f"the pool balance {prior.pool_balance}",
        )
    p = rem.principal
    it = rem.interest
    due = (
        it.scheduled_interest
        - it.prepayment_interest_shortfall
        - it.relief_act_shortfall
        + p.scheduled_principal
    )
    if rem.advances.p_and_i_advances > due:
        bad(
            "advances.p_and_i_advances",
            str(rem.advances.p_and_i_advances),
            f"no more than the scheduled interest (less shortfalls) and principal due, {due}",
        )
    removed = p.payoffs_count + p.liquidations_count + p.repurchases_count
    if removed > prior.loan_count:
        bad(
            "principal.payoffs_count",
            removed,
            f"payoffs + liquidations + repurchases no more than the {prior.loan_count} loans",
        )
    elif rem.collateral.ending_count != prior.loan_count - removed:
        bad(
            "collateral.ending_count",
            rem.collateral.ending_count,
            f"{prior.loan_count - removed} = beginning {prior.loan_count} - payoffs "
            f"{p.payoffs_count} - liquidations {p.liquidations_count} - repurchases "
            f"{p.repurchases_count}",
        )
    for c in spec.classes:
        idx = c.coupon.index
        if c.coupon.kind == "floating" and idx is not None and idx not in rem.index:
            bad(f"index.{idx}", "(missing)", f"the {idx} fixing for class {c.name}")
    for f in spec.fees:
        if f.amount == "reported" and f.name not in rem.fees:
            bad(f"fees.{f.name}", "(missing)", f"the {f.label} amount the servicer reports")
    known = {f.name for f in spec.fees}
    for name in rem.fees:
        if name not in known:
            bad(f"fees.{name}", name, f"one of the deal's fees {sorted(known)}")
    products = {x.key for x in spec.collateral.products}
    for key in rem.collateral.product_balances:
        if key not in products:
            bad(f"collateral.product_balances.{key}", key, f"one of {sorted(products)}")
    if problems:
        raise RemitError(problems)
    return want


def assert_conserved(ledger: Ledger, source: str) -> None:
    """The certificate account ends at zero and no posting moves a negative amount."""
    bal = ledger.balances().get(CERT, ZERO)
    if bal != 0:
        raise RemitError.one(
            source,
            "(certificate account)",
            str(bal),
            "the certificate account to end at zero: sources equal uses",
        )
    if any(p.amount < 0 for p in ledger.postings):
        bad = next(p for p in ledger.postings if p.amount < 0)
        raise RemitError.one(source, bad.step, str(bad.amount), "no negative movement of money")
