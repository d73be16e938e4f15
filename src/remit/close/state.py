"""The state a period leaves for the next: balances and carryforwards of every class, the
pool, and one structure family's part (what its triggers and tests remember)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from datetime import date
from decimal import Decimal
from typing import Any

from remit.money import ZERO

#: Months of 60+ day delinquency history a state keeps (the longest averaging window).
HISTORY_MONTHS = 12


@dataclass(frozen=True)
class ClassState:
    balance: Decimal
    unpaid_interest: Decimal = ZERO
    basis_risk_carryforward: Decimal = ZERO
    unpaid_realized_loss: Decimal = ZERO
    cumulative_realized_loss: Decimal = ZERO

    def to_dict(self) -> dict[str, str]:
        return {f.name: str(getattr(self, f.name)) for f in fields(self)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ClassState:
        return cls(**{k: Decimal(str(v)) for k, v in d.items()})


@dataclass(frozen=True)
class OCState:
    """An overcollateralization deal's memory: the specified OC amount of the date (kept
    while a trigger is in effect), whether the stepdown date has come, whether the Senior
    Enhancement Percentage has met the stepdown's target on some date (the first such date may
    precede the earliest stepdown date), and the 60+ day delinquency percentages of the latest
    months (for the rolling trigger test)."""

    specified_oc: Decimal
    stepdown_reached: bool = False
    dq60_pct_history: tuple[Decimal, ...] = ()
    enhancement_met: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "specified_oc": str(self.specified_oc),
            "stepdown_reached": self.stepdown_reached,
            "delinquency_60plus": [str(x) for x in self.dq60_pct_history],
            "enhancement_met": self.enhancement_met,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> OCState:
        return cls(
            specified_oc=Decimal(d["specified_oc"]),
            stepdown_reached=bool(d["stepdown_reached"]),
            dq60_pct_history=tuple(Decimal(x) for x in d["delinquency_60plus"]),
            enhancement_met=bool(d.get("enhancement_met", d["stepdown_reached"])),
        )


@dataclass(frozen=True)
class ShiftingState:
    """A shifting-interest deal's memory: each loan group's balance, the share of the
    subordinate percentage the seniors take by the step-down schedule (it never steps down
    while the step-down conditions fail; the two-times test's relief is for its date only
    and is not remembered), the 60+ day delinquent balances of the latest months, what is
    left of each loss coverage amount, the credit support depletion date once it came, and
    the realized losses allocated to no class so far (what the subordinates and the seniors
    of the group whose loans lost it could not take: the certificates stand above the pool
    by up to that much)."""

    groups: dict[str, Decimal] = field(default_factory=dict)
    senior_prepayment_share: Decimal = Decimal(1)
    dq60_balance_history: tuple[Decimal, ...] = ()
    coverage: dict[str, Decimal] = field(default_factory=dict)
    depletion_date: date | None = None
    unallocated_loss: Decimal = ZERO

    def to_dict(self) -> dict[str, Any]:
        return {
            "groups": {n: str(b) for n, b in self.groups.items()},
            "senior_prepayment_share": str(self.senior_prepayment_share),
            "delinquent_60plus_balances": [str(x) for x in self.dq60_balance_history],
            "coverage": {k: str(v) for k, v in self.coverage.items()},
            "credit_support_depletion_date": self.depletion_date.isoformat()
            if self.depletion_date
            else None,
            "unallocated_loss": str(self.unallocated_loss),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ShiftingState:
        """Read :meth:`to_dict`'s form (a state stored before ``unallocated_loss`` existed
        reads as none allocated to no class)."""
        depleted = d.get("credit_support_depletion_date")
        return cls(
            groups={n: Decimal(b) for n, b in d.get("groups", {}).items()},
            senior_prepayment_share=Decimal(d.get("senior_prepayment_share", "1")),
            dq60_balance_history=tuple(Decimal(x) for x in d.get("delinquent_60plus_balances", [])),
            coverage={k: Decimal(v) for k, v in d.get("coverage", {}).items()},
            depletion_date=date.fromisoformat(depleted) if depleted else None,
            unallocated_loss=Decimal(d.get("unallocated_loss", "0")),
        )


FamilyState = OCState | ShiftingState
_PARTS: dict[str, type[OCState] | type[ShiftingState]] = {"oc": OCState, "shifting": ShiftingState}


@dataclass(frozen=True)
class DealState:
    """The deal after a distribution date (or at closing, period 0)."""

    deal_id: str
    period: int
    distribution_date: date | None
    pool_balance: Decimal
    loan_count: int
    cumulative_loss: Decimal
    closing_deposit: Decimal
    classes: dict[str, ClassState]
    part: FamilyState

    @property
    def oc(self) -> OCState:
        """The overcollateralization part (an error for another family's state)."""
        if not isinstance(self.part, OCState):
            raise TypeError(f"{self.deal_id}: not an overcollateralization deal's state")
        return self.part

    @property
    def shifting(self) -> ShiftingState:
        """The shifting-interest part (an error for another family's state)."""
        if not isinstance(self.part, ShiftingState):
            raise TypeError(f"{self.deal_id}: not a shifting-interest deal's state")
        return self.part

    @property
    def unallocated_loss(self) -> Decimal:
        """The realized losses allocated to no class since closing (a shifting-interest
        deal's; an overcollateralization deal writes every loss down)."""
        return self.part.unallocated_loss if isinstance(self.part, ShiftingState) else ZERO

    def with_(self, **changes: Any) -> DealState:
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        family = next(k for k, t in _PARTS.items() if isinstance(self.part, t))
        return {
            "deal_id": self.deal_id,
            "period": self.period,
            "distribution_date": self.distribution_date.isoformat()
            if self.distribution_date
            else None,
            "pool_balance": str(self.pool_balance),
            "loan_count": self.loan_count,
            "cumulative_loss": str(self.cumulative_loss),
            "closing_deposit": str(self.closing_deposit),
            "classes": {n: c.to_dict() for n, c in self.classes.items()},
            "family": family,
            family: self.part.to_dict(),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DealState:
        """Read :meth:`to_dict`'s form, or the flat form of states stored before the family
        part existed (both families' fields side by side)."""
        family = d.get("family")
        if family is None:  # the flat form: a deal with loan groups is shifting-interest
            family = "shifting" if d.get("groups") else "oc"
            part_data = d
        else:
            part_data = d[family]
        dd = d["distribution_date"]
        return cls(
            deal_id=d["deal_id"],
            period=int(d["period"]),
            distribution_date=date.fromisoformat(dd) if dd else None,
            pool_balance=Decimal(d["pool_balance"]),
            loan_count=int(d["loan_count"]),
            cumulative_loss=Decimal(d["cumulative_loss"]),
            closing_deposit=Decimal(d["closing_deposit"]),
            classes={n: ClassState.from_dict(c) for n, c in d["classes"].items()},
            part=_PARTS[family].from_dict(part_data),
        )
