"""The servicer's remittance for one distribution date, at pool level.

Amounts are as the servicer reports them for the due period (interest, scheduled principal)
and the prepayment period (payoffs, curtailments, liquidations, repurchases)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from remit.errors import Problem, RemitError
from remit.spec.load import parse_toml, read_text, validate

Money = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=2)]
Count = Annotated[int, Field(ge=0, le=1_000_000_000)]

BUCKETS = ("0-29", "30", "60", "90", "120", "150", "180+")
STATUSES = ("delinquent", "bankruptcy", "foreclosure", "reo")


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class InterestCollections(Model):
    scheduled_interest: Money
    prepayment_interest_shortfall: Money = Decimal("0.00")
    compensating_interest: Money = Decimal("0.00")
    relief_act_shortfall: Money = Decimal("0.00")

    @model_validator(mode="after")
    def _support(self) -> InterestCollections:
        lost = self.prepayment_interest_shortfall + self.relief_act_shortfall
        if lost > self.scheduled_interest:
            raise ValueError(
                f"prepayment interest shortfall + Relief Act shortfall = {lost} exceeds "
                f"scheduled_interest {self.scheduled_interest}"
            )
        if self.compensating_interest > self.prepayment_interest_shortfall:
            raise ValueError(
                f"compensating_interest {self.compensating_interest} exceeds "
                f"prepayment_interest_shortfall {self.prepayment_interest_shortfall}"
            )
        return self


class PrincipalCollections(Model):
    scheduled_principal: Money
    unscheduled_principal: Money
    payoffs_count: Count = 0
    payoffs_amount: Money | None = None
    curtailments: Money | None = None
    repurchases_count: Count = 0
    repurchases_principal: Money = Decimal("0.00")
    liquidations_count: Count = 0
    liquidated_balance: Money = Decimal("0.00")
    liquidation_proceeds: Money = Decimal("0.00")
    realized_losses: Money = Decimal("0.00")
    subsequent_recoveries: Money = Decimal("0.00")

    @model_validator(mode="after")
    def _consistent(self) -> PrincipalCollections:
        if (self.payoffs_amount is None) != (self.curtailments is None):
            raise ValueError("give both payoffs_amount and curtailments, or neither")
        if self.payoffs_amount is not None and self.curtailments is not None:
            total = self.payoffs_amount + self.curtailments
            if total != self.unscheduled_principal:
                raise ValueError(
                    f"payoffs_amount + curtailments = {total}, expected unscheduled_principal "
                    f"{self.unscheduled_principal}"
                )
        if self.liquidation_proceeds + self.realized_losses != self.liquidated_balance:
            raise ValueError(
                f"liquidation_proceeds {self.liquidation_proceeds} + realized_losses "
                f"{self.realized_losses} must equal liquidated_balance {self.liquidated_balance}"
            )
        return self


class Advances(Model):
    p_and_i_advances: Money = Decimal("0.00")
    reimbursements: Money = Decimal("0.00")


class DelinquencyCell(Model):
    status: Literal["delinquent", "bankruptcy", "foreclosure", "reo"]
    bucket: Literal["0-29", "30", "60", "90", "120", "150", "180+"]
    count: Count
    balance: Money

    @model_validator(mode="after")
    def _not_current(self) -> DelinquencyCell:
        if self.status == "delinquent" and self.bucket == "0-29":
            raise ValueError(
                "a loan 0-29 days delinquent is current: only bankruptcy, "
                "foreclosure and REO have a 0-29 bucket"
            )
        if self.count == 0 and self.balance > 0:
            raise ValueError(f"a balance {self.balance} with no loan: count 0")
        return self


class CollateralReport(Model):
    ending_count: Count
    ending_actual_balance: Money
    wam: Count
    p_and_i_constant: Money
    special_servicing_fee: Money = Decimal("0.00")
    premium_loans_balance: Money | None = None
    product_balances: dict[str, Money] = {}
    contaminated_properties_balance: Money = Decimal("0.00")


class GroupCollections(Model):
    """One loan group's collections (senior/subordinate deals with several groups). The
    remittance's pool-level figures are these added up.

    ``special_hazard_losses``, ``fraud_losses``, ``bankruptcy_losses``: the parts of the
    realized losses of each kind (the deal's coverage amounts decide which are Excess
    Losses). ``excess_losses``: the Excess Losses as the servicer reports them (None: not
    reported); with no coverage amounts in the deal they are taken as reported.
    ``excess_loss_liquidated_balance`` / ``excess_loss_liquidation_principal``: the Stated
    Principal Balance and the Liquidation Principal (net liquidation proceeds) of the
    liquidated loans that had an Excess Loss (part of ``liquidated_balance`` and
    ``liquidation_proceeds``)."""

    scheduled_interest: Money
    scheduled_principal: Money
    unscheduled_principal: Money
    repurchases_principal: Money = Decimal("0.00")
    liquidated_balance: Money = Decimal("0.00")
    liquidation_proceeds: Money = Decimal("0.00")
    realized_losses: Money = Decimal("0.00")
    special_hazard_losses: Money = Decimal("0.00")
    fraud_losses: Money = Decimal("0.00")
    bankruptcy_losses: Money = Decimal("0.00")
    excess_losses: Money | None = None
    excess_loss_liquidated_balance: Money = Decimal("0.00")
    excess_loss_liquidation_principal: Money = Decimal("0.00")
    subsequent_recoveries: Money = Decimal("0.00")
    prepayment_interest_shortfall: Money = Decimal("0.00")
    compensating_interest: Money = Decimal("0.00")
    relief_act_shortfall: Money = Decimal("0.00")
    ending_count: Count

    @model_validator(mode="after")
    def _consistent(self) -> GroupCollections:
        if self.liquidation_proceeds + self.realized_losses != self.liquidated_balance:
            raise ValueError(
                f"liquidation_proceeds {self.liquidation_proceeds} + realized_losses "
                f"{self.realized_losses} must equal liquidated_balance {self.liquidated_balance}"
            )
        if self.excess_losses is not None and self.excess_losses > self.realized_losses:
            raise ValueError(
                f"excess_losses {self.excess_losses} exceed realized_losses "
                f"{self.realized_losses} (excess losses are part of the realized losses)"
            )
        kinds = self.special_hazard_losses + self.fraud_losses + self.bankruptcy_losses
        if kinds > self.realized_losses:
            raise ValueError(
                f"special_hazard_losses + fraud_losses + bankruptcy_losses = {kinds} exceed "
                f"realized_losses {self.realized_losses} (they are part of the realized losses)"
            )
        self._excess_liquidations()
        if self.compensating_interest > self.prepayment_interest_shortfall:
            raise ValueError("compensating_interest exceeds prepayment_interest_shortfall")
        return self

    def _excess_liquidations(self) -> None:
        """The liquidated loans with an Excess Loss are some of the group's liquidated
        loans: their balance, liquidation principal and loss within the group's."""
        bal = self.excess_loss_liquidated_balance
        prin = self.excess_loss_liquidation_principal
        if bal > self.liquidated_balance:
            raise ValueError(
                f"excess_loss_liquidated_balance {bal} exceeds liquidated_balance "
                f"{self.liquidated_balance}"
            )
        if prin > self.liquidation_proceeds:
            raise ValueError(
                f"excess_loss_liquidation_principal {prin} exceeds liquidation_proceeds "
                f"{self.liquidation_proceeds}"
            )
        if prin > bal or bal - prin > self.realized_losses:
            raise ValueError(
                f"excess_loss_liquidated_balance {bal} - excess_loss_liquidation_principal "
                f"{prin}: a loss between 0 and realized_losses {self.realized_losses}"
            )

    @property
    def pool_reduction(self) -> Decimal:
        return (
            self.scheduled_principal
            + self.unscheduled_principal
            + self.repurchases_principal
            + self.liquidated_balance
        )


GROUP_TOTALS = {
    "interest": (
        "scheduled_interest",
        "prepayment_interest_shortfall",
        "compensating_interest",
        "relief_act_shortfall",
    ),
    "principal": (
        "scheduled_principal",
        "unscheduled_principal",
        "repurchases_principal",
        "liquidated_balance",
        "liquidation_proceeds",
        "realized_losses",
        "subsequent_recoveries",
    ),
}


class Remittance(Model):
    deal: str
    distribution_date: date
    beginning_balance: Money | None = None
    beginning_count: Count | None = None
    interest: InterestCollections
    principal: PrincipalCollections
    prepayment_penalties: Money = Decimal("0.00")
    advances: Advances = Advances()
    fees: dict[str, Money] = {}
    index: dict[str, Annotated[Decimal, Field(ge=-1, le=1)]] = {}
    collateral: CollateralReport
    delinquency: list[DelinquencyCell] = []
    groups: dict[str, GroupCollections] = {}

    @model_validator(mode="after")
    def _groups_add_up(self) -> Remittance:
        if not self.groups:
            return self
        for table, fields in GROUP_TOTALS.items():
            for f in fields:
                total = sum((getattr(g, f) for g in self.groups.values()), Decimal("0.00"))
                pool = getattr(getattr(self, table), f)
                if total != pool:
                    raise ValueError(
                        f"groups' {f} add up to {total}, expected {table}.{f} = {pool}"
                    )
        count = sum(g.ending_count for g in self.groups.values())
        if count != self.collateral.ending_count:
            raise ValueError(
                f"groups' ending_count add up to {count}, expected collateral.ending_count "
                f"{self.collateral.ending_count}"
            )
        return self

    @property
    def pool_reduction(self) -> Decimal:
        """Principal leaving the pool: scheduled, unscheduled, repurchased and liquidated."""
        p = self.principal
        return (
            p.scheduled_principal
            + p.unscheduled_principal
            + p.repurchases_principal
            + p.liquidated_balance
        )

    def delinquency_cell(self, status: str, bucket: str) -> tuple[int, Decimal]:
        for c in self.delinquency:
            if c.status == status and c.bucket == bucket:
                return c.count, c.balance
        return 0, Decimal("0.00")


def parse_remittance(text: str, source: str) -> Remittance:
    """A remittance from its TOML text, validated; one delinquency cell per status/bucket."""
    rem = validate(Remittance, parse_toml(text, source), source)
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for i, c in enumerate(rem.delinquency):
        if (c.status, c.bucket) in seen:
            problems.append(
                Problem(
                    source,
                    f"delinquency[{i}]",
                    f"{c.status}/{c.bucket}",
                    "one entry per status and bucket",
                )
            )
        seen.add((c.status, c.bucket))
    if problems:
        raise RemitError(problems)
    return rem


def load_remittance(path: Path) -> Remittance:
    return parse_remittance(read_text(path), str(path))
