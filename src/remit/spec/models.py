"""The deal as typed data. Every rule carries its ``basis``: a PSA section, or what it was
inferred from. Nothing here names a particular deal, class or percentage."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from remit.dates import BusinessDayRule, DayCount, RecordDateRule

Money = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=2)]
Rate = Annotated[Decimal, Field(ge=0, le=1)]
Basis = Annotated[str, Field(min_length=1)]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class DealInfo(Model):
    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.-]*$")]
    name: str
    issuer: str
    series: str
    trust: str = ""


class Dates(Model):
    cut_off: date
    closing: date
    first_distribution: date
    distribution_day: Annotated[int, Field(ge=1, le=31)]
    business_day_rule: BusinessDayRule = "following"
    record_date_rule: RecordDateRule = "last_business_day_of_prior_month"
    optional_termination_pct: Rate = Decimal("0.10")
    basis: Basis

    @model_validator(mode="after")
    def _ordered(self) -> Dates:
        if not self.cut_off <= self.closing < self.first_distribution:
            raise ValueError(
                "dates out of order: expected cut_off <= closing < first_distribution, found "
                f"{self.cut_off} / {self.closing} / {self.first_distribution}"
            )
        return self


class Coupon(Model):
    """The pass-through rate: fixed, or index + margin (post-call margin after the optional
    termination date can first be exercised), capped by the Net WAC cap when ``cap`` is set."""

    kind: Literal["fixed", "floating", "none", "net_wac"]
    rate: Rate | None = None
    index: str | None = None
    margin: Rate | None = None
    post_call_margin: Rate | None = None
    cap: Literal["net_wac"] | None = None
    max_rate: Rate | None = None
    # a net-WAC coupon less a strip paid to an interest-only class on the same loans
    strip: Rate | None = None
    day_count: DayCount = "30/360"
    accrual_start: Literal["closing", "prior_distribution", "first_of_month"] = "prior_distribution"
    basis: Basis

    @model_validator(mode="after")
    def _complete(self) -> Coupon:
        if self.kind == "fixed" and self.rate is None:
            raise ValueError("a fixed coupon needs 'rate'")
        if self.kind == "floating" and (self.index is None or self.margin is None):
            raise ValueError("a floating coupon needs 'index' and 'margin'")
        return self


class CertificateClass(Model):
    name: Annotated[str, Field(min_length=1, max_length=12)]
    cusip: Annotated[str, Field(pattern=r"^[0-9A-Z]{9}$")]
    type: Literal["SEN", "SUB", "IO", "RES"]
    label: str | None = None
    original_balance: Money
    denomination: Annotated[Decimal, Field(gt=0)]
    coupon: Coupon
    notional: Literal["pool_balance"] | None = None
    balance_is: Literal["certificate", "overcollateralization"] = "certificate"
    retire: Literal["first_distribution_from_closing_deposit"] | None = None
    basis: Basis

    @property
    def description(self) -> str:
        return self.label or self.type


class Fee(Model):
    """A fee taken from interest before certificates are paid."""

    name: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    label: str
    payee: str
    rate: Rate | None = None
    base: Literal["beginning_pool_balance"] = "beginning_pool_balance"
    applies_to: str = "all loans"
    amount: Literal["computed", "reported"] = "computed"
    level: Literal["servicer", "trust"]
    statement_row: Literal[
        "gross_servicing", "master_servicing", "trustee", "other", "external_master_servicing"
    ]
    tolerance_per_loan: Annotated[Decimal, Field(ge=0)] | None = None
    basis: Basis

    @model_validator(mode="after")
    def _rate_known(self) -> Fee:
        if self.amount == "computed" and self.rate is None:
            raise ValueError("a computed fee needs 'rate'")
        if self.tolerance_per_loan is not None and self.rate is None:
            raise ValueError("a tolerance needs 'rate' to check the reported amount against")
        return self


class PoolProduct(Model):
    """One product of the pool as a synthetic loan tape draws it (``remit tape generate``):
    its rate type, its share of the balance, its average note rate, its ARM terms and how
    many of its loans pay interest only. Rates and shares are fractions."""

    product_type: Literal["fixed", "arm", "hybrid_3_1", "hybrid_5_1", "hybrid_7_1", "hybrid_10_1"]
    #: the statement's product row its balance counts in (a key of ``collateral.products``)
    product: str | None = None
    share: Annotated[Decimal, Field(gt=0, le=1)]
    rate: Annotated[Decimal, Field(gt=0, lt=1)]
    #: the loan group it belongs to (senior/subordinate deals); its loans are put there
    group: str | None = None
    index: str | None = None
    margin: Rate | None = None
    reset_months: Annotated[int, Field(ge=1, le=120)] = 12
    initial_cap: Rate = Decimal("0.02")
    periodic_cap: Rate = Decimal("0.02")
    lifetime_cap: Rate = Decimal("0.05")
    interest_only_share: Rate = Decimal("0")
    interest_only_months: Annotated[int, Field(ge=1, le=480)] = 120

    @model_validator(mode="after")
    def _arm_terms(self) -> PoolProduct:
        if self.product_type != "fixed" and (self.index is None or self.margin is None):
            raise ValueError(
                f"an adjustable product ({self.product_type}) needs 'index' and 'margin'"
            )
        return self


class Collateral(Model):
    cut_off_balance: Money
    cut_off_count: Annotated[int, Field(ge=1, le=1_000_000_000)]
    description: str
    products: list[Product] = []
    #: the pool's weighted average gross coupon and remaining term at cut-off, its loans'
    #: original term, its products and the level of each index at cut-off: what a synthetic
    #: loan tape reproduces (``remit tape generate``); optional for closing
    wac: Annotated[Decimal, Field(gt=0, lt=1)] | None = None
    wam: Annotated[int, Field(ge=1, le=480)] | None = None
    original_term: Annotated[int, Field(ge=1, le=480)] = 360
    mix: list[PoolProduct] = []
    index_levels: dict[str, Rate] = {}
    basis: Basis


class Product(Model):
    key: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    label: str


class IndexSpec(Model):
    name: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")]
    description: str
    basis: Basis


class NetWacCap(Model):
    """Net WAC Rate: the pool's rate net of the listed fees, x 30 / actual days for Actual/360
    classes so that a 30/360 collateral coupon caps an Actual/360 certificate."""

    net_of: list[str]
    actual_360_adjustment: bool = True
    basis: Basis


class TriggerDelinquency(Model):
    threshold_pct_of_senior_enhancement: Rate
    averaging_months: Annotated[int, Field(ge=1, le=12)] = 3
    basis: Basis


class LossStep(Model):
    from_date: date
    pct: Rate


class TriggerLoss(Model):
    schedule: list[LossStep]
    basis: Basis


class Overcollateralization(Model):
    oc_class: str
    specified_pct: Rate
    specified_base: Literal["cut_off_balance"] = "cut_off_balance"
    build_start: date
    stepdown_earliest: date
    stepdown_pct: Rate
    floor_pct: Rate
    senior_enhancement_target: Rate
    delinquency_trigger: TriggerDelinquency
    loss_trigger: TriggerLoss
    basis: Basis


class PrincipalTarget(Model):
    """After the stepdown date, class ``name`` is paid down to (1 - target) x pool balance,
    counting the classes senior to it (the 'Class Principal Distribution Amount')."""

    name: str
    target_pct: Rate


class Principal(Model):
    sequential: list[str]
    after_stepdown: list[PrincipalTarget]
    statement_column: Literal["scheduled_split", "unscheduled"] = "scheduled_split"
    basis: Basis


class Interest(Model):
    order: list[list[str]]
    shortfall_allocation: Literal["pro_rata_current_interest"] = "pro_rata_current_interest"
    basis: Basis


class ExcessStep(Model):
    step: Literal[
        "extra_principal",
        "unpaid_interest",
        "unpaid_realized_loss",
        "basis_risk_carryforward",
        "remainder",
    ]
    classes: list[str] = []
    basis: Basis


class Losses(Model):
    writedown_order: list[str]
    recoveries_writeup_order: list[str]
    basis: Basis


class PrepaymentPenalties(Model):
    payee: str
    basis: Basis


class Delinquency(Model):
    method: Literal["MBA", "OTS"]
    basis: Basis


class OtherAccount(Model):
    label: str


class StatementSpec(Model):
    title: list[str]
    contact: list[str]
    distribution_summary_note: list[str] = []
    other_accounts: list[OtherAccount] = []
    insufficient_funds_class: str


class Registrant(Model):
    """Who files the deal's reports with the SEC, as the cover page of a Form 8-K or 10-D
    names them. ``name``: the registrant's exact name, one printed line each; ``securities``:
    the certificates the reports are about. The filing date is the distribution date plus
    ``filing_business_days``. Form 10-D also names the depositor and the sponsor."""

    name: Annotated[list[str], Field(min_length=1)]
    securities: str
    state: str
    commission_file_number: str
    irs_ein: str = "Pending"
    address: Annotated[list[str], Field(min_length=1)]
    zip: str
    telephone: str
    securities_administrator: str
    signer: str
    signer_title: str
    filing_business_days: Annotated[int, Field(ge=0, le=60)]
    exhibit: str = "EX-99.1"
    depositor: str | None = None
    depositor_file_number: str | None = None
    sponsor: str | None = None
    basis: Basis


class LoanGroup(Model):
    """A loan group of a senior/subordinate deal: its cut-off balance and its seniors."""

    name: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]+$")]
    cut_off_balance: Money
    cut_off_count: Annotated[int, Field(ge=1, le=1_000_000_000)]
    seniors: list[str]
    basis: Basis


class ScheduleStep(Model):
    """A value in force from ``from_date`` until the next step."""

    from_date: date
    value: Rate


class TwoTimesTest(Model):
    third_anniversary: date
    loss_limit_before: Rate
    loss_limit_after: Rate
    basis: Basis


class CoverageReduction(Model):
    """A scheduled reduction of a loss coverage amount (e.g. the Fraud Loss Coverage Amount
    reduced on each anniversary of the cut-off date). Give ``amount`` or ``pct_of_pool``."""

    from_date: date = Field(
        description="The reduction takes effect on the first distribution date on or after "
        "this date (e.g. an anniversary of the cut-off date)."
    )
    amount: Money | None = Field(
        None,
        description="On that date the coverage becomes the lesser of the coverage then "
        "remaining and this amount (0 ends the coverage).",
    )
    pct_of_pool: Rate | None = Field(
        None,
        description="On that date the coverage becomes the lesser of the coverage then "
        "remaining and this fraction of the aggregate Stated Principal Balance of the "
        "mortgage loans as of that date (the pool balance before the distribution).",
    )

    @model_validator(mode="after")
    def _one(self) -> CoverageReduction:
        if (self.amount is None) == (self.pct_of_pool is None):
            raise ValueError("a coverage reduction needs exactly one of 'amount', 'pct_of_pool'")
        return self


class LossCoverage(Model):
    """One loss coverage amount (Special Hazard, Fraud or Bankruptcy Loss Coverage Amount):
    as of the cut-off date ``initial``, reduced by every loss of its kind it covers and by
    its scheduled ``reductions``. A loss of its kind beyond what is left is an Excess Loss."""

    initial: Money = Field(description="The coverage amount as of the cut-off date.")
    reductions: list[CoverageReduction] = Field(
        default=[],
        description="Scheduled reductions, in date order; each takes effect once, on the "
        "first distribution date on or after its date.",
    )
    basis: Basis

    @model_validator(mode="after")
    def _ordered(self) -> LossCoverage:
        dates = [r.from_date for r in self.reductions]
        if dates != sorted(dates):
            raise ValueError("reductions: in date order")
        return self


class ExcessLossCoverage(Model):
    """The coverage of special hazard, fraud and bankruptcy losses. Losses of each kind (as
    the servicer reports them per group) are covered, and borne like other Realized Losses
    (the subordinates first), until the coverage of that kind is used up; the rest are
    Excess Losses, allocated pro rata (``excess_loss_allocation``)."""

    special_hazard: LossCoverage = Field(
        description="Special Hazard Loss Coverage Amount: covers Special Hazard Losses "
        "(physical damage to a property not covered by standard hazard insurance)."
    )
    fraud: LossCoverage = Field(
        description="Fraud Loss Coverage Amount: covers Fraud Losses (fraud, dishonesty or "
        "misrepresentation in the origination of a loan)."
    )
    bankruptcy: LossCoverage = Field(
        description="Bankruptcy Loss Coverage Amount: covers Bankruptcy Losses (Deficient "
        "Valuations and Debt Service Reductions ordered by a bankruptcy court)."
    )


#: The kinds of loss a coverage amount covers, in the order printed.
COVERAGE_KINDS = ("special_hazard", "fraud", "bankruptcy")


class ShiftingInterest(Model):
    """Shifting-interest credit enhancement: seniors per loan group over common subordinates.

    ``senior_prepayment_share``: the part of the subordinate percentage the seniors take
    (100% in the lock-out years, then e.g. 70%, 60%, 40%, 20%, 0%), by date.
    ``stepdown_loss_limits``: cumulative realized losses allowed, as a fraction of the
    original subordinate balance, for the share to step down, by date. The options below
    choose among the common wordings of prime senior/subordinate agreements."""

    groups: list[LoanGroup]
    subordinates: list[str]
    residual: str
    senior_prepayment_share: list[ScheduleStep]
    stepdown_loss_limits: list[ScheduleStep]
    delinquency_limit: Rate = Decimal("0.50")
    delinquency_averaging_months: Annotated[int, Field(ge=1, le=12)] = 6
    delinquency_test: Literal["less_than", "not_exceeding"] = Field(
        "less_than",
        description="The delinquency condition of the step-down conditions and of the "
        "two-times test: the average balance of loans 60 or more days delinquent is "
        "'less_than' delinquency_limit x the aggregate subordinate balance, or "
        "'not_exceeding' it (does not exceed: equal passes).",
    )
    two_times: TwoTimesTest
    class_prepayment_triggers: bool = True
    class_prepayment_trigger_withholds: Literal["prepayments", "unscheduled"] = Field(
        "prepayments",
        description="What a subordinate class whose Class Prepayment Distribution Trigger "
        "is not satisfied (and every class junior to it) does not receive, the more senior "
        "classes taking it instead: 'prepayments', the subordinates' share of principal "
        "prepayments (payoffs and curtailments) only; or 'unscheduled', of all unscheduled "
        "principal: prepayments, liquidation principal (net liquidation proceeds and "
        "subsequent recoveries) and the principal of repurchased loans.",
    )
    senior_percentage_above_original: Literal["per_group", "any_group"] = Field(
        "per_group",
        description="If on a distribution date the Senior Percentage of a loan group exceeds "
        "its Senior Percentage at closing, the Senior Prepayment Percentage is 100%: "
        "'per_group', for that group only; 'any_group', for every group.",
    )
    retired_group_redirect: Literal["always", "unless_two_times"] = Field(
        "always",
        description="When the senior certificates of a loan group have been retired, the "
        "group's senior principal distribution amount is paid to the senior certificates "
        "of the other groups: 'always'; or 'unless_two_times', unless the two-times test "
        "is met on the date (the aggregate subordinate percentage at least twice its "
        "original value, and the delinquency and loss conditions), in which case it is "
        "paid to the subordinate certificates.",
    )
    undercollateralized_interest: bool = Field(
        False,
        description="Cross-collateralization: when the senior certificates of a group "
        "exceed the group's pool balance after the distributions (an undercollateralized "
        "group), the other groups' funds left after their seniors pay its seniors the "
        "Undercollateralized Amount as principal. With true, also one month's interest on "
        "the Undercollateralized Amount at the group's net WAC rate (x 1/12); the whole "
        "transfer is applied first to the seniors' unpaid interest, then as principal.",
    )
    coverage: ExcessLossCoverage | None = Field(
        None,
        description="The special hazard, fraud and bankruptcy loss coverage amounts and "
        "their reductions over time. With them remit works out which losses are Excess "
        "Losses (a servicer's excess_losses, if reported, must agree); without them the "
        "servicer reports each group's excess_losses.",
    )
    excess_loss_allocation: Literal["senior_percentage", "by_balance"] = Field(
        "senior_percentage",
        description="Excess Losses (special hazard, fraud and bankruptcy losses beyond their "
        "coverage) on a group's loans: 'senior_percentage', the Senior Percentage of the "
        "loss to the group's senior certificates, pro rata by class balance, and the rest "
        "to the subordinate certificates, each its share of the group's subordinate "
        "component (pro rata by class balance); or 'by_balance', pro rata over every "
        "class of certificates (every group's seniors and the subordinates) by class "
        "balance. Balances after the date's principal distributions.",
    )
    basis: Basis

    @model_validator(mode="after")
    def _schedules(self) -> ShiftingInterest:
        for name, steps in (
            ("senior_prepayment_share", self.senior_prepayment_share),
            ("stepdown_loss_limits", self.stepdown_loss_limits),
        ):
            dates = [s.from_date for s in steps]
            if not steps or dates != sorted(dates):
                raise ValueError(f"{name}: at least one step, in date order")
        return self


class DealBase(Model):
    """What every deal says: its dates, collateral, classes, fees and statement.
    ``family`` names the structure family (its close strategy, statement layout and figure
    prefix); ``loan_groups`` are the deal's loan groups (none for a deal without groups)."""

    family: ClassVar[str]

    deal: DealInfo
    dates: Dates
    collateral: Collateral
    indices: list[IndexSpec] = []
    classes: list[CertificateClass]
    fees: list[Fee]
    net_wac_cap: NetWacCap
    prepayment_penalties: PrepaymentPenalties
    delinquency: Delinquency
    statement: StatementSpec
    registrant: Registrant | None = None

    def cls(self, name: str) -> CertificateClass:
        for c in self.classes:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def loan_groups(self) -> list[LoanGroup]:
        return []

    @property
    def principal_classes(self) -> list[CertificateClass]:
        """Classes whose certificate balance is paid down by principal distributions."""
        return [
            c
            for c in self.classes
            if c.balance_is == "certificate" and c.retire is None and c.original_balance > 0
        ]


class OCSpec(DealBase):
    """An overcollateralization deal: seniors and mezzanines over OC built from excess
    interest, stepdown and triggers, an excess cash order."""

    family: ClassVar[str] = "oc"

    overcollateralization: Overcollateralization
    interest: Interest
    principal: Principal
    excess_cash: list[ExcessStep]
    losses: Losses

    @property
    def oc_class(self) -> CertificateClass:
        return self.cls(self.overcollateralization.oc_class)


class ShiftingSpec(DealBase):
    """A shifting-interest senior/subordinate deal with one or more loan groups."""

    family: ClassVar[str] = "shifting"
    shifting_interest: ShiftingInterest

    @property
    def loan_groups(self) -> list[LoanGroup]:
        return list(self.shifting_interest.groups)

    def group_of(self, name: str) -> LoanGroup | None:
        for g in self.shifting_interest.groups:
            if name in g.seniors:
                return g
        return None


DealSpec = OCSpec | ShiftingSpec

#: Each family's spec type, and the table of ``deal.toml`` that marks a deal of that family
#: (the overcollateralization family has none: it is the default).
SPEC_TYPES: dict[str, tuple[type[OCSpec] | type[ShiftingSpec], str | None]] = {
    "shifting": (ShiftingSpec, "shifting_interest"),
    "oc": (OCSpec, None),
}


Collateral.model_rebuild()
