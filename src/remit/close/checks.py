"""Checks of the close: the remittance fits the deal and the prior state, the ledger
conserves money, and the certificates end no higher than the pool.

A remittance that cannot be true is refused, each problem located:

* the date, the deal and the beginning balance and count are the prior state's;
* principal leaving the pool no more than the pool; loans paid off, liquidated and
  repurchased no more than the loans, and the ending count what they leave;
* subsequent recoveries no more than the realized losses not yet recovered (the prior
  state's cumulative realized losses less the subsequent recoveries to date);
* the delinquent, bankrupt, foreclosure and REO loans (each cell, and together) no more than
  the pool after the date, in balance and in number; each product's balance, and the
  products' together, no more than the pool;
* advances no more than what was due; the fees and index fixings the deal names, and only
  those; no negative fixing unless the deal's index allows one (``allow_negative``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from remit.close.ledger import Ledger
from remit.close.period import expected_date
from remit.close.state import DealState
from remit.errors import Problem, RemitError
from remit.money import ZERO
from remit.remittance import Remittance
from remit.spec.models import DealSpec
from remit.waterfall.steps import CERT


@dataclass
class _Found:
    source: str
    problems: list[Problem] = field(default_factory=list)

    def bad(self, path: str, value: object, expected: str) -> None:
        self.problems.append(Problem(self.source, path, value, expected))


def check_remittance(spec: DealSpec, prior: DealState, rem: Remittance, source: str) -> date:
    """Every way the remittance disagrees with the deal or the prior state, or cannot be
    true, as one error; returns the distribution date it is for."""
    found = _Found(source)
    want = expected_date(spec, prior)
    _continues(found, spec, prior, rem, want)
    _principal(found, prior, rem)
    _within_pool(found, prior, rem)
    _named(found, spec, rem)
    if found.problems:
        raise RemitError(found.problems)
    return want


def _continues(
    found: _Found, spec: DealSpec, prior: DealState, rem: Remittance, want: date
) -> None:
    """The deal, the date and the beginning of the period are the prior state's."""
    if rem.deal != spec.deal.id:
        found.bad("deal", rem.deal, f"the deal id {spec.deal.id!r}")
    if rem.distribution_date != want:
        found.bad(
            "distribution_date",
            rem.distribution_date.isoformat(),
            f"{want.isoformat()}, the distribution date after the prior state's "
            f"{prior.distribution_date or 'closing'}",
        )
    if rem.beginning_balance is not None and rem.beginning_balance != prior.pool_balance:
        found.bad(
            "beginning_balance",
            str(rem.beginning_balance),
            f"the prior ending pool balance {prior.pool_balance}",
        )
    if rem.beginning_count is not None and rem.beginning_count != prior.loan_count:
        found.bad(
            "beginning_count", rem.beginning_count, f"the prior loan count {prior.loan_count}"
        )


def _principal(found: _Found, prior: DealState, rem: Remittance) -> None:
    """Principal, loans and recoveries no more than there are; advances no more than due."""
    p, it = rem.principal, rem.interest
    if rem.pool_reduction > prior.pool_balance:
        found.bad(
            "principal",
            str(rem.pool_reduction),
            f"scheduled + unscheduled + repurchased + liquidated principal no larger than "
            f"the pool balance {prior.pool_balance}",
        )
    if p.subsequent_recoveries > prior.cumulative_loss:
        found.bad(
            "principal.subsequent_recoveries",
            str(p.subsequent_recoveries),
            f"no more than the realized losses not yet recovered, {prior.cumulative_loss} "
            "(the cumulative realized losses less the subsequent recoveries before this date)",
        )
    due = it.scheduled_interest - it.prepayment_interest_shortfall - it.relief_act_shortfall
    due += p.scheduled_principal
    if rem.advances.p_and_i_advances > due:
        found.bad(
            "advances.p_and_i_advances",
            str(rem.advances.p_and_i_advances),
            f"no more than the scheduled interest (less shortfalls) and principal due, {due}",
        )
    removed = p.payoffs_count + p.liquidations_count + p.repurchases_count
    if removed > prior.loan_count:
        found.bad(
            "principal.payoffs_count",
            removed,
            f"payoffs + liquidations + repurchases no more than the {prior.loan_count} loans",
        )
    elif rem.collateral.ending_count != prior.loan_count - removed:
        found.bad(
            "collateral.ending_count",
            rem.collateral.ending_count,
            f"{prior.loan_count - removed} = beginning {prior.loan_count} - payoffs "
            f"{p.payoffs_count} - liquidations {p.liquidations_count} - repurchases "
            f"{p.repurchases_count}",
        )


def _within_pool(found: _Found, prior: DealState, rem: Remittance) -> None:
    """The loans delinquent, in bankruptcy, foreclosure or REO, and those of each product,
    are some of the pool's loans after the date: no more of them, nor more balance."""
    pool = prior.pool_balance - rem.pool_reduction
    if pool < 0:
        return  # refused above: more principal than the pool
    after = f"the pool balance after the date, {pool}"
    for i, cell in enumerate(rem.delinquency):
        if cell.balance > pool:
            found.bad(f"delinquency[{i}].balance", str(cell.balance), f"no more than {after}")
    balance = sum((c.balance for c in rem.delinquency), ZERO)
    if balance > pool:
        found.bad(
            "delinquency",
            str(balance),
            f"delinquent, bankrupt, foreclosure and REO loans together no more than {after}",
        )
    count = sum(c.count for c in rem.delinquency)
    if count > rem.collateral.ending_count:
        found.bad(
            "delinquency",
            count,
            f"delinquent, bankrupt, foreclosure and REO loans together no more than the "
            f"{rem.collateral.ending_count} loans of the pool (collateral.ending_count)",
        )
    products = rem.collateral.product_balances
    for key, value in products.items():
        if value > pool:
            found.bad(f"collateral.product_balances.{key}", str(value), f"no more than {after}")
    total = sum(products.values(), ZERO)
    if total > pool:
        found.bad(
            "collateral.product_balances",
            str(total),
            f"the products' balances together no more than {after} (a loan is of one product)",
        )


def _named(found: _Found, spec: DealSpec, rem: Remittance) -> None:
    """The fees, fixings and products the deal names: each it needs given, none other."""
    for c in spec.classes:
        idx = c.coupon.index
        if c.coupon.kind == "floating" and idx is not None and idx not in rem.index:
            found.bad(f"index.{idx}", "(missing)", f"the {idx} fixing for class {c.name}")
    indices = {x.name: x for x in spec.indices}
    for name, value in rem.index.items():
        if name not in indices:
            found.bad(f"index.{name}", name, f"one of the deal's indices {sorted(indices)}")
        elif value < 0 and not indices[name].allow_negative:
            found.bad(
                f"index.{name}",
                str(value),
                f"a fixing of 0 or more ([[indices]] {name} does not set allow_negative = true)",
            )
    for f in spec.fees:
        if f.amount == "reported" and f.name not in rem.fees:
            found.bad(f"fees.{f.name}", "(missing)", f"the {f.label} amount the servicer reports")
    known = {f.name for f in spec.fees}
    for name in rem.fees:
        if name not in known:
            found.bad(f"fees.{name}", name, f"one of the deal's fees {sorted(known)}")
    products = {x.key for x in spec.collateral.products}
    for key in rem.collateral.product_balances:
        if key not in products:
            found.bad(f"collateral.product_balances.{key}", key, f"one of {sorted(products)}")


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


def assert_covered(spec: DealSpec, state: DealState, source: str) -> None:
    """The certificates end no higher than the pool, exactly: the loans back every dollar of
    them (an overcollateralization deal writes the excess down; a senior/subordinate deal
    has no overcollateralization, so a remittance leaving its certificates above the pool
    -- collections short of the certificates' interest, paid from principal -- cannot be
    true). The one exception: the realized losses a senior/subordinate deal's PSA allocates
    to no class (the subordinates written off, the seniors of the group whose loans lost
    them retired) leave the certificates above the pool by at most that much, since
    closing."""
    names = [c.name for c in spec.principal_classes]
    certificates = sum((state.classes[n].balance for n in names), Decimal(0))
    allowed = state.unallocated_loss
    if certificates > state.pool_balance + allowed:
        beyond = f" plus the realized losses allocated to no class {allowed}" if allowed else ""
        raise RemitError.one(
            source,
            "(certificates)",
            str(certificates),
            f"the certificates {' + '.join(names)} no more than the pool balance "
            f"{state.pool_balance}{beyond} after the distribution: the remittance's "
            "collections cannot pay the certificates' interest and principal as reported "
            "(interest short of the certificates' interest takes principal)",
        )
