"""Figures the statement still works out itself, each isolated here until the close records it.

The statement should only read a close's result (DESIGN: "nothing on it is computed twice").
Each function below computes one figure the close does not yet record; its docstring names the
close figure that will replace it and gives the formula. When the close records a figure, its
function here is deleted and the section reads ``r.figures[...]`` instead."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from remit import money
from remit.close import PeriodResult
from remit.close.ledger import Ledger, Posting
from remit.remittance import Remittance


def non_supported_ppis(rem: Remittance) -> Decimal:
    """Non-supported prepayment/curtailment interest shortfall (the PPIS table's last line).

    To be replaced by a close figure ``pool:non_supported_ppis``.
    Formula: prepayment interest shortfall reported - compensating interest reported."""
    it = rem.interest
    return it.prepayment_interest_shortfall - it.compensating_interest


def net_realized_loss(rem: Remittance) -> Decimal:
    """The period's realized losses net of subsequent recoveries (the collateral statements'
    "realized loss amount"; the cumulative figure is net of recoveries too).

    To be replaced by a close figure ``pool:net_realized_loss``.
    Formula: realized losses - subsequent recoveries, both as the servicer reports them."""
    pr = rem.principal
    return pr.realized_losses - pr.subsequent_recoveries


def total_fees(r: PeriodResult) -> Decimal:
    """Every fee of the deal for the period (the sum of the close's ``fee:NAME`` figures).

    Part of :func:`net_interest`; to be replaced by a close figure ``pool:total_fees``.
    Formula: sum over the deal's fees of ``fee:NAME``."""
    return sum((r.figure(f"fee:{fee.name}") for fee in r.spec.fees), money.ZERO)


def net_interest(r: PeriodResult) -> Decimal:
    """Net interest of the servicer summary (the second collateral statement).

    To be replaced by a close figure ``pool:net_interest``.
    Formula: scheduled interest reported - :func:`total_fees`."""
    return r.remittance.interest.scheduled_interest - total_fees(r)


def oc_absorbed_loss(r: PeriodResult) -> Decimal:
    """The realized loss the overcollateralization absorbed (the OC class's "Current Realized
    Loss" column): the part of the period's losses not applied to a certificate.

    To be replaced by a close figure ``oc:absorbed_loss``.
    Formula: realized losses reported - ``oc:applied_realized_loss``."""
    applied = r.figures["oc:applied_realized_loss"].value
    return r.remittance.principal.realized_losses - applied


def oc_accretion(r: PeriodResult) -> Decimal:
    """The increase of the overcollateralization (the OC class's "Accretion" column).

    To be replaced by a close figure ``oc:accretion``.
    Formula: ``oc:extra_principal`` + subsequent recoveries reported - the recoveries used to
    write certificates back up (the ledger's ``losses.writeup`` postings)."""
    extra = r.figures["oc:extra_principal"].value
    writeups = Ledger.total(r.ledger.select(step="losses.writeup"))
    return extra + r.remittance.principal.subsequent_recoveries - writeups


def scheduled_principal(r: PeriodResult, paid: Iterable[Posting]) -> Decimal:
    """The scheduled part of the principal a class was paid (the "Scheduled Principal
    Distribution" column; the rest is printed as unscheduled).

    To be replaced by per-class close figures ``class:NAME:scheduled_principal`` (or by the
    waterfall posting scheduled and unscheduled principal separately).
    Formula: principal paid from the principal remittance (``principal.*`` postings) x
    scheduled principal / principal remittance amount (scheduled + unscheduled + liquidation
    proceeds + repurchases), rounded to the cent half-up; 0 when that amount is 0."""
    rem = r.remittance.principal
    pra = (
        rem.scheduled_principal
        + rem.unscheduled_principal
        + rem.liquidation_proceeds
        + rem.repurchases_principal
    )
    from_remittance = Ledger.total(p for p in paid if p.step.startswith("principal."))
    return money.cents(from_remittance * rem.scheduled_principal / pra) if pra else money.ZERO
