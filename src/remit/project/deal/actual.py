"""An actual remittance as a projected month: the parity between the deal projection and
the close. Fed to :func:`remit.project.deal.engine.run_months`, the remittances of a deal's
closed dates give the close's amounts (to the cent in vector mode, exactly on Decimals)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from remit.project.deal.engine import FAMILY_STEPS
from remit.project.deal.months import GROUP_FIELDS, GroupMonth, Month
from remit.remittance import Remittance
from remit.spec.models import DealSpec


def from_remittance(spec: DealSpec, rem: Remittance, fees: Mapping[str, Decimal]) -> Month[Decimal]:
    """``rem`` as a month (exact): its loan groups' collections, or the pool's as one group
    ``pool``; its 60+ day delinquent balance as the deal's family counts it; ``fees`` the
    date's fee amounts (as the close takes them)."""
    zero = Decimal("0.00")
    groups: dict[str, GroupMonth[Decimal]] = {}
    if rem.groups:
        for name, g in rem.groups.items():
            groups[name] = GroupMonth(
                **{f: getattr(g, f) for f in GROUP_FIELDS}, excess_losses=g.excess_losses
            )
    else:
        it, pr = rem.interest, rem.principal
        pool = {f: getattr(it, f, None) for f in GROUP_FIELDS}
        pool |= {f: getattr(pr, f) for f in GROUP_FIELDS if hasattr(pr, f)}
        groups["pool"] = GroupMonth(**{f: zero if v is None else v for f, v in pool.items()})
    return Month(
        groups=groups,
        index=dict(rem.index),
        penalties=rem.prepayment_penalties,
        reimbursements=rem.advances.reimbursements,
        delinquent_60plus=FAMILY_STEPS[spec.family].sixty_plus(spec, rem),
        fees=dict(fees),
    )
