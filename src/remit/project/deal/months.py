"""A distribution date's collections, in either mode (:mod:`remit.rules.ops`): what a
servicer's remittance reports, loan group by loan group -- as Decimals (an actual remittance
fed to the projection, one exact date) or as float arrays (a projected month of the
collateral, one element per scenario).

A projected month is the collateral engine's month (:mod:`remit.project.engine`) rounded to
the cent like a remittance: scheduled interest is the loans' interest at their note rates,
paid or advanced; scheduled principal includes the principal advanced on defaulted loans;
the liquidated balance splits into liquidation proceeds and the realized loss. The pool
balance is kept on the cent: each group's balance after the month is the collateral's,
rounded, and the unscheduled principal (prepayments and the clean-up call's purchase) takes
what the rounding of the other parts leaves, so that the deal's pool and the collateral's
never drift apart."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Generic

import numpy as np

from remit.project.engine import CollateralFlows
from remit.project.scenario import Scenario
from remit.rules.ops import Amount, Flag, FloatArray, Ops, Vector


@dataclass(frozen=True)
class GroupMonth(Generic[Amount]):
    """One loan group's collections on the date (the remittance's names). ``excess_losses``
    is the servicer's own figure where it reports one (None: worked out from the coverage
    amounts)."""

    scheduled_interest: Amount
    scheduled_principal: Amount
    unscheduled_principal: Amount
    repurchases_principal: Amount
    liquidated_balance: Amount
    liquidation_proceeds: Amount
    realized_losses: Amount
    subsequent_recoveries: Amount
    prepayment_interest_shortfall: Amount
    compensating_interest: Amount
    relief_act_shortfall: Amount
    special_hazard_losses: Amount
    fraud_losses: Amount
    bankruptcy_losses: Amount
    excess_loss_liquidated_balance: Amount
    excess_loss_liquidation_principal: Amount
    excess_losses: Amount | None = None

    @property
    def pool_reduction(self) -> Amount:
        """Principal leaving the group: scheduled, unscheduled, repurchased, liquidated."""
        return (
            self.scheduled_principal
            + self.unscheduled_principal
            + self.repurchases_principal
            + self.liquidated_balance
        )

    def kind_losses(self, kind: str) -> Amount:
        """The realized losses of a coverage ``kind`` (special_hazard, fraud, bankruptcy)."""
        value: Amount = getattr(self, f"{kind}_losses")
        return value


@dataclass(frozen=True)
class Month(Generic[Amount]):
    """A date's collections: each loan group's, the index fixings, the prepayment penalties,
    the advances reimbursed, the 60+ day delinquent balance and, where the servicer reports
    them, the fee amounts (None: each fee at the deal's rate on the beginning balance)."""

    groups: dict[str, GroupMonth[Amount]]
    index: dict[str, Amount]
    penalties: Amount
    reimbursements: Amount
    delinquent_60plus: Amount
    fees: dict[str, Amount] | None = None

    def total(self, name: str, ops: Ops[Amount, Flag]) -> Amount:
        """A field summed over the loan groups."""
        if len(self.groups) == 1:
            (only,) = self.groups.values()
            value: Amount = getattr(only, name)
            return value
        return ops.sum(getattr(g, name) for g in self.groups.values())

    def pool_reduction(self, ops: Ops[Amount, Flag]) -> Amount:
        if len(self.groups) == 1:
            (only,) = self.groups.values()
            return only.pool_reduction
        return ops.sum(g.pool_reduction for g in self.groups.values())


GROUP_FIELDS = tuple(
    f
    for f in GroupMonth.__dataclass_fields__
    if f != "excess_losses"  # the servicer's optional figure, taken apart
)


@dataclass(frozen=True)
class Rounded:
    """The collateral's months on the cent, each field shaped (months, scenarios)."""

    groups: dict[str, dict[str, FloatArray]]
    delinquent_60plus: FloatArray
    months: int


def round_collateral(flows: CollateralFlows, ops: Vector) -> Rounded:
    """Every month of every scenario as a remittance would report it, to the cent (see the
    module's docstring); ``flows`` projected from collateral with no fee taken from interest
    (the deal's fees are the deal's)."""
    v = flows.values
    out: dict[str, dict[str, FloatArray]] = {}
    for gi, name in enumerate(flows.group_names):

        def cents(field: str, gi: int = gi) -> FloatArray:
            return ops.cents(np.ascontiguousarray(v[field][:, gi, :].T))

        ending = cents("ending_balance")
        beginning = np.empty_like(ending)
        beginning[0] = ops.cents(v["beginning_balance"][:, gi, 0])
        beginning[1:] = ending[:-1]
        scheduled = ops.cents(
            np.ascontiguousarray((v["scheduled_principal"] + v["advanced_principal"])[:, gi, :].T)
        )
        liquidated = cents("liquidated_balance")
        loss = np.minimum(cents("loss"), liquidated)
        parts = np.stack([scheduled, cents("prepayment"), liquidated - loss])
        # what rounding the parts separately left over (a cent or two) goes to the largest
        residual = ops.cents(beginning - ending - parts.sum(axis=0) - loss)
        largest = parts.argmax(axis=0)
        np.put_along_axis(
            parts, largest[None], np.take_along_axis(parts, largest[None], 0) + residual, 0
        )
        scheduled, unscheduled, proceeds = parts
        liquidated = proceeds + loss
        interest = ops.cents(
            np.ascontiguousarray((v["gross_interest"] + v["advanced_interest"])[:, gi, :].T)
        )
        out[name] = {
            "scheduled_interest": interest,
            "scheduled_principal": scheduled,
            "unscheduled_principal": unscheduled,
            "liquidated_balance": liquidated,
            "liquidation_proceeds": proceeds,
            "realized_losses": loss,
        }
    dq = ops.cents(np.ascontiguousarray(v["pipeline_balance"].sum(axis=1).T))
    return Rounded(out, dq, flows.months)


def index_paths(
    scenarios: Sequence[Scenario], base: Mapping[str, float], months: int
) -> dict[str, FloatArray]:
    """Each index's rate (a fraction) by month and scenario, shaped (months, scenarios): the
    scenario's path for it, else its ``base`` fixing held flat, plus the scenario's shock."""
    return {
        name: np.ascontiguousarray(
            np.stack([sc.index_path(name, b, months) for sc in scenarios], axis=1)
        )
        for name, b in base.items()
    }


def projected_month(
    r: Rounded, index: Mapping[str, FloatArray], m: int, zero: FloatArray
) -> Month[FloatArray]:
    """Month ``m`` (0-based) of the rounded collateral, every scenario at once."""
    groups = {
        name: GroupMonth(
            scheduled_interest=g["scheduled_interest"][m],
            scheduled_principal=g["scheduled_principal"][m],
            unscheduled_principal=g["unscheduled_principal"][m],
            repurchases_principal=zero,
            liquidated_balance=g["liquidated_balance"][m],
            liquidation_proceeds=g["liquidation_proceeds"][m],
            realized_losses=g["realized_losses"][m],
            subsequent_recoveries=zero,
            prepayment_interest_shortfall=zero,
            compensating_interest=zero,
            relief_act_shortfall=zero,
            special_hazard_losses=zero,
            fraud_losses=zero,
            bankruptcy_losses=zero,
            excess_loss_liquidated_balance=zero,
            excess_loss_liquidation_principal=zero,
        )
        for name, g in r.groups.items()
    }
    return Month(
        groups=groups,
        index={k: p[m] for k, p in index.items()},
        penalties=zero,
        reimbursements=zero,
        delinquent_60plus=r.delinquent_60plus[m],
    )


def element(month: Month[FloatArray], i: int) -> Month[Decimal]:
    """Scenario ``i`` of a vector month, exact (each amount is on the cent already)."""

    def d(x: FloatArray) -> Decimal:
        return Decimal(repr(float(x[i])))

    return Month(
        groups={
            name: GroupMonth(
                **{f: d(getattr(g, f)) for f in GROUP_FIELDS},
                excess_losses=None if g.excess_losses is None else d(g.excess_losses),
            )
            for name, g in month.groups.items()
        },
        index={k: d(v) for k, v in month.index.items()},
        penalties=d(month.penalties),
        reimbursements=d(month.reimbursements),
        delinquent_60plus=d(month.delinquent_60plus),
        fees=None if month.fees is None else {k: d(v) for k, v in month.fees.items()},
    )


__all__ = [
    "GroupMonth",
    "Month",
    "Rounded",
    "element",
    "index_paths",
    "projected_month",
    "round_collateral",
]
