"""The state a period leaves for the next: balances, carryforwards, histories for triggers."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from remit.money import cents
from remit.spec.models import DealSpec, OCSpec

Z = Decimal("0.00")


@dataclass(frozen=True)
class ClassState:
    balance: Decimal
    unpaid_interest: Decimal = Z
    basis_risk_carryforward: Decimal = Z
    unpaid_realized_loss: Decimal = Z
    cumulative_realized_loss: Decimal = Z

    def to_dict(self) -> dict[str, str]:
        return {k: str(v) for k, v in self.__dict__.items()}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ClassState:
        return cls(**{k: Decimal(str(v)) for k, v in d.items()})


@dataclass(frozen=True)
class DealState:
    deal_id: str
    period: int
    distribution_date: date | None
    pool_balance: Decimal
    loan_count: int
    cumulative_loss: Decimal
    specified_oc: Decimal
    stepdown_reached: bool
    delinquency_60plus: tuple[Decimal, ...]
    closing_deposit: Decimal
    classes: dict[str, ClassState] = field(default_factory=dict)
    # senior/subordinate deals: each loan group's balance, the share of the subordinate
    # percentage the seniors took last, and the 60+ day delinquent balances by month
    groups: dict[str, Decimal] = field(default_factory=dict)
    senior_prepayment_share: Decimal = Decimal(1)
    delinquent_60plus_balances: tuple[Decimal, ...] = ()

    def with_(self, **changes: Any) -> DealState:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "deal_id": self.deal_id,
            "period": self.period,
            "distribution_date": self.distribution_date.isoformat()
            if self.distribution_date
            else None,
            "pool_balance": str(self.pool_balance),
            "loan_count": self.loan_count,
            "cumulative_loss": str(self.cumulative_loss),
            "specified_oc": str(self.specified_oc),
            "stepdown_reached": self.stepdown_reached,
            "delinquency_60plus": [str(x) for x in self.delinquency_60plus],
            "closing_deposit": str(self.closing_deposit),
            "classes": {n: c.to_dict() for n, c in self.classes.items()},
            "groups": {n: str(b) for n, b in self.groups.items()},
            "senior_prepayment_share": str(self.senior_prepayment_share),
            "delinquent_60plus_balances": [str(x) for x in self.delinquent_60plus_balances],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DealState:
        dd = d["distribution_date"]
        return cls(
            deal_id=d["deal_id"],
            period=int(d["period"]),
            distribution_date=date.fromisoformat(dd) if dd else None,
            pool_balance=Decimal(d["pool_balance"]),
            loan_count=int(d["loan_count"]),
            cumulative_loss=Decimal(d["cumulative_loss"]),
            specified_oc=Decimal(d["specified_oc"]),
            stepdown_reached=bool(d["stepdown_reached"]),
            delinquency_60plus=tuple(Decimal(x) for x in d["delinquency_60plus"]),
            closing_deposit=Decimal(d["closing_deposit"]),
            classes={n: ClassState.from_dict(c) for n, c in d["classes"].items()},
            groups={n: Decimal(b) for n, b in d.get("groups", {}).items()},
            senior_prepayment_share=Decimal(d.get("senior_prepayment_share", "1")),
            delinquent_60plus_balances=tuple(
                Decimal(x) for x in d.get("delinquent_60plus_balances", [])
            ),
        )


def initial_state(spec: DealSpec) -> DealState:
    """The deal at closing: every class at its original balance, the pool at cut-off."""
    deposit = sum(
        (c.original_balance for c in spec.classes if c.retire is not None), Decimal("0.00")
    )
    if isinstance(spec, OCSpec):
        ocs = spec.overcollateralization
        specified = cents(spec.collateral.cut_off_balance * ocs.specified_pct)
        groups: dict[str, Decimal] = {}
    else:
        specified = Z
        groups = {g.name: g.cut_off_balance for g in spec.shifting_interest.groups}
    return DealState(
        deal_id=spec.deal.id,
        period=0,
        distribution_date=None,
        pool_balance=spec.collateral.cut_off_balance,
        loan_count=spec.collateral.cut_off_count,
        cumulative_loss=Z,
        specified_oc=specified,
        stepdown_reached=False,
        delinquency_60plus=(),
        closing_deposit=deposit,
        classes={c.name: ClassState(balance=c.original_balance) for c in spec.classes},
        groups=groups,
    )
