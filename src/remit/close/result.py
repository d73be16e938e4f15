"""What a close returns: the ledger, the new state, each class's accrual and waterfall
figures, and the named figures with how each was made. A leaf: the statement, the store and
the projections read these types; nothing here computes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from remit.close.ledger import Ledger
from remit.close.state import DealState
from remit.remittance import Remittance
from remit.spec.models import DealSpec
from remit.waterfall.flows import ClassOut


@dataclass(frozen=True)
class Figure:
    """A computed figure and how it was made: the rule, its basis and the formula filled in."""

    value: Decimal
    rule: str
    basis: str
    formula: str


@dataclass(frozen=True)
class Accrual:
    """A class's accrual on the date: the period [start, end), its days, the rate paid, the
    uncapped formula rate, and whether the Net WAC cap bound."""

    start: date
    end: date
    days: int
    rate: Decimal
    formula_rate: Decimal
    capped: bool


@dataclass(frozen=True)
class ClassPeriod:
    """What the close worked out for one class on the date (beyond the ledger)."""

    accrual_start: date
    accrual_end: date
    days: int
    rate: Decimal
    formula_rate: Decimal
    capped: bool
    out: ClassOut[Decimal]

    @classmethod
    def of(cls, accrual: Accrual, out: ClassOut[Decimal]) -> ClassPeriod:
        a = accrual
        return cls(a.start, a.end, a.days, a.rate, a.formula_rate, a.capped, out)

    @property
    def waterfall(self) -> dict[str, Decimal]:
        """The class's waterfall figures by name (accrued, principal_paid, balance, ...)."""
        return self.out.as_dict()


@dataclass(frozen=True, repr=False)
class PeriodResult:
    """A closed distribution date.

    ``family``: the structure family that closed it ("oc" or "shifting"), which also names
    the statement layout. ``trigger_in_effect``: an OC trigger event, or, for a
    shifting-interest deal, step-down conditions not met."""

    spec: DealSpec
    prior: DealState
    remittance: Remittance
    distribution_date: date
    record_date: date
    ledger: Ledger
    state: DealState
    classes: dict[str, ClassPeriod]
    figures: dict[str, Figure] = field(default_factory=dict)
    trigger_in_effect: bool = False
    family: str = "oc"

    def figure(self, key: str) -> Decimal:
        return self.figures[key].value

    def __repr__(self) -> str:
        # short: the ledger, the state and the figures are a notebook attribute away
        return (
            f"<{type(self).__name__} {self.spec.deal.id} {self.distribution_date.isoformat()}: "
            f"period {self.state.period}, pool {self.state.pool_balance:,.2f} "
            f"({self.state.loan_count:,d} loans), {len(self.ledger.postings)} postings, "
            f"{len(self.figures)} figures>"
        )
