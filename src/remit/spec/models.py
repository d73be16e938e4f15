"""The deal as typed data. Every rule carries its ``basis``: a PSA section, or what it was
inferred from. Nothing here names a particular deal, class or percentage.

Each field's ``description`` says, in plain words, the defined term it implements; the
deal-file reference ``docs/deal-file.md`` is generated from them
(``python -m remit.spec.reference``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from remit.dates import BusinessDayRule, DayCount, RecordDateRule

Money = Annotated[Decimal, Field(ge=0, max_digits=18, decimal_places=2)]
Rate = Annotated[Decimal, Field(ge=0, le=1)]
Basis = Annotated[str, Field(min_length=1)]

BASIS = (
    "Where the rule comes from: the PSA section, or what it was inferred from (a published "
    "statement, or 'assumed' for a market-standard default)."
)
Comparison = Literal["exceeds", "equals_or_exceeds"]


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class DealInfo(Model):
    """The deal's names."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.-]*$")] = Field(
        description="The deal's identifier in the store and on the command line "
        "(lower case letters, digits, '.' and '-')."
    )
    name: str = Field(description="The trust's name.")
    issuer: str = Field(description="The depositor or issuer, printed in the statement's title.")
    series: str = Field(description="The series line printed on the statement.")
    trust: str = Field("", description="The certificates' title, printed on the statement.")


class Dates(Model):
    """The deal's calendar."""

    cut_off: date = Field(
        description="Cut-off Date: the date as of which the pool's balances are measured."
    )
    closing: date = Field(description="Closing Date: the certificates are issued.")
    first_distribution: date = Field(description="The first Distribution Date.")
    distribution_day: Annotated[int, Field(ge=1, le=31)] = Field(
        description="Distribution Date: this day of each month (or the business day the "
        "business day rule gives)."
    )
    business_day_rule: BusinessDayRule = Field(
        "following",
        description="How a distribution day that is not a business day moves: to the "
        "following, the modified following or the preceding business day, or not at all.",
    )
    record_date_rule: RecordDateRule = Field(
        "last_business_day_of_prior_month",
        description="Record Date: the last business day of the month before the distribution "
        "(definitive floaters often use the business day before the distribution instead).",
    )
    optional_termination_pct: Rate = Field(
        Decimal("0.10"),
        description="Optional Termination (clean-up call): allowed once the pool is at or below "
        "this fraction of the cut-off balance; the post-call margins apply from then on.",
    )
    basis: Basis = Field(description=BASIS)

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

    kind: Literal["fixed", "floating", "none", "net_wac"] = Field(
        description="Pass-Through Rate: a fixed rate; a floating rate (index + margin); the "
        "pool's net WAC rate; or none (a class paid no interest of its own)."
    )
    rate: Rate | None = Field(None, description="The fixed rate (a fixed coupon needs it).")
    index: str | None = Field(
        None, description="A floating coupon's index: the name of an [[indices]] entry."
    )
    margin: Rate | None = Field(None, description="A floating coupon's margin over the index.")
    post_call_margin: Rate | None = Field(
        None,
        description="The margin once the optional termination could have been exercised and "
        "was not (the step-up margin).",
    )
    cap: Literal["net_wac"] | None = Field(
        None,
        description="'net_wac': the rate paid is the lesser of the formula rate and the Net WAC "
        "Rate; the excess is the class's basis risk shortfall (Net WAC Rate Carryover Amount).",
    )
    max_rate: Rate | None = Field(None, description="A maximum rate the coupon never exceeds.")
    strip: Rate | None = Field(
        None,
        description="A net-WAC coupon less this strip, paid to an interest-only class on the "
        "same loans (never below zero).",
    )
    day_count: DayCount = Field(
        "30/360", description="Accrual: Actual/360 (floaters) or 30/360 (fixed)."
    )
    accrual_start: Literal["closing", "prior_distribution", "first_of_month"] = Field(
        "prior_distribution",
        description="Accrual Period: from the closing date (first period) or the prior "
        "distribution date to the day before the distribution date; or the calendar month "
        "before the distribution date ('first_of_month').",
    )
    basis: Basis = Field(description=BASIS)

    @model_validator(mode="after")
    def _complete(self) -> Coupon:
        if self.kind == "fixed" and self.rate is None:
            raise ValueError("a fixed coupon needs 'rate'")
        if self.kind == "floating" and (self.index is None or self.margin is None):
            raise ValueError("a floating coupon needs 'index' and 'margin'")
        return self


class CertificateClass(Model):
    """A class of certificates."""

    name: Annotated[str, Field(min_length=1, max_length=12)] = Field(
        description="The class's name as printed (e.g. a senior, a mezzanine, a residual)."
    )
    cusip: Annotated[str, Field(pattern=r"^[0-9A-Z]{9}$")] = Field(
        description="The class's CUSIP (nine characters)."
    )
    type: Literal["SEN", "SUB", "IO", "RES"] = Field(
        description="Senior, subordinate (mezzanine), interest-only or residual. The senior "
        "classes' balance is the basis of the Senior Enhancement Percentage."
    )
    label: str | None = Field(
        None, description="The class description printed on the statement (else the type)."
    )
    original_balance: Money = Field(
        description="Original Certificate Principal Balance (for the overcollateralization "
        "class: the initial overcollateralization)."
    )
    denomination: Annotated[Decimal, Field(gt=0)] = Field(
        description="The denomination the statement's factors are per."
    )
    coupon: Coupon = Field(description="The class's pass-through rate.")
    notional: Literal["pool_balance"] | None = Field(
        None, description="'pool_balance': an interest-only class accruing on the pool balance."
    )
    balance_is: Literal["certificate", "overcollateralization"] = Field(
        "certificate",
        description="'overcollateralization': the class's balance is the Overcollateralized "
        "Amount (pool balance - certificates), not a certificate balance.",
    )
    retire: Literal["first_distribution_from_closing_deposit"] | None = Field(
        None,
        description="A residual class paid its balance on the first distribution date from a "
        "deposit made at closing, outside the certificate account.",
    )
    basis: Basis = Field(description=BASIS)

    @property
    def description(self) -> str:
        return self.label or self.type


class Fee(Model):
    """A fee taken from interest before certificates are paid."""

    name: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")] = Field(
        description="The fee's key (remittances report it under [fees])."
    )
    label: str = Field(description="The fee's line on the statement.")
    payee: str = Field(description="Who is paid the fee.")
    rate: Rate | None = Field(
        None, description="The annual rate on the beginning pool balance (rate / 12 a month)."
    )
    base: Literal["beginning_pool_balance"] = Field(
        "beginning_pool_balance", description="What the rate applies to."
    )
    applies_to: str = Field("all loans", description="Which loans the fee is charged on (words).")
    amount: Literal["computed", "reported"] = Field(
        "computed",
        description="'computed': rate x beginning pool balance / 12, to the cent; 'reported': "
        "the amount the servicer reports (computed loan by loan).",
    )
    level: Literal["servicer", "trust"] = Field(
        description="'servicer': deducted in the net mortgage rate; 'trust': paid by the trust "
        "after that (both come out of interest before the certificates)."
    )
    statement_row: Literal[
        "gross_servicing", "master_servicing", "trustee", "other", "external_master_servicing"
    ] = Field(description="The statement's servicing-fee line that prints the fee.")
    tolerance_per_loan: Annotated[Decimal, Field(ge=0)] | None = Field(
        None,
        description="A reported fee may differ from rate x balance / 12 by this much per loan "
        "(each loan's amount rounded); more is an error.",
    )
    basis: Basis = Field(description=BASIS)

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

    product_type: Literal[
        "fixed", "arm", "hybrid_3_1", "hybrid_5_1", "hybrid_7_1", "hybrid_10_1"
    ] = Field(description="The rate type: fixed, adjustable, or a hybrid ARM (fixed years/1).")
    product: str | None = Field(
        None,
        description="The statement's product row its balance counts in (a key of "
        "collateral.products).",
    )
    share: Annotated[Decimal, Field(gt=0, le=1)] = Field(
        description="Its share of the pool's balance, a fraction."
    )
    rate: Annotated[Decimal, Field(gt=0, lt=1)] = Field(
        description="Its average note rate, a fraction."
    )
    group: str | None = Field(
        None, description="The loan group its loans belong to (senior/subordinate deals)."
    )
    index: str | None = Field(None, description="The index an adjustable product resets on.")
    margin: Rate | None = Field(None, description="The gross margin over the index.")
    reset_months: Annotated[int, Field(ge=1, le=120)] = Field(
        12, description="Months between rate changes after the first."
    )
    initial_cap: Rate = Field(Decimal("0.02"), description="The first rate change's cap.")
    periodic_cap: Rate = Field(Decimal("0.02"), description="Each later rate change's cap.")
    lifetime_cap: Rate = Field(
        Decimal("0.05"), description="The lifetime cap over the initial rate."
    )
    interest_only_share: Rate = Field(
        Decimal("0"), description="The share of its loans that pay interest only at first."
    )
    interest_only_months: Annotated[int, Field(ge=1, le=480)] = Field(
        120, description="The interest-only period of those loans, in months."
    )

    @model_validator(mode="after")
    def _arm_terms(self) -> PoolProduct:
        if self.product_type != "fixed" and (self.index is None or self.margin is None):
            raise ValueError(
                f"an adjustable product ({self.product_type}) needs 'index' and 'margin'"
            )
        return self


class Collateral(Model):
    """The pool at the cut-off date; ``wac`` to ``index_levels`` describe it for a synthetic
    loan tape (``remit tape generate``; ``index_levels`` also for rep lines by hand) and are
    optional for closing."""

    cut_off_balance: Money = Field(
        description="Cut-off Date Principal Balance of the mortgage loans (the base of the "
        "initial overcollateralization target, the floor and the cumulative loss test)."
    )
    cut_off_count: Annotated[int, Field(ge=1, le=1_000_000_000)] = Field(
        description="The number of loans at the cut-off date."
    )
    description: str = Field(description="The pool's description printed on the statement.")
    products: list[Product] = Field(
        [], description="Product groups whose balances the statement prints."
    )
    wac: Annotated[Decimal, Field(gt=0, lt=1)] | None = Field(
        None,
        description="The pool's weighted average gross coupon at cut-off, a fraction (what a "
        "synthetic loan tape reproduces exactly).",
    )
    wam: Annotated[int, Field(ge=1, le=480)] | None = Field(
        None, description="The pool's weighted average remaining term at cut-off, in months."
    )
    original_term: Annotated[int, Field(ge=1, le=480)] = Field(
        360, description="The loans' original term, in months."
    )
    mix: list[PoolProduct] = Field(
        [], description="The pool's products, each with its share of the balance and its terms."
    )
    index_levels: dict[str, Rate] = Field(
        {},
        description="The level of each index at cut-off (the ARM loans' first rates); also "
        "the level of an index that rep lines by hand (remit project --lines) name without "
        "one, where no remittance fixes it.",
    )
    basis: Basis = Field(description=BASIS)


class Product(Model):
    """A product group of the pool (its balance is reported by the servicer)."""

    key: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")] = Field(
        description="The key the remittance reports the product's balance under."
    )
    label: str = Field(description="The product's line on the statement.")


class IndexSpec(Model):
    """An index a floating coupon refers to; remittances give its fixing."""

    name: Annotated[str, Field(pattern=r"^[a-z0-9_]+$")] = Field(
        description="The index's key in the remittance's [index] table."
    )
    description: str = Field(description="What the index is and when it is set.")
    allow_negative: bool = Field(
        False,
        description="Whether a fixing of the index may be below zero (e.g. EURIBOR in "
        "2015-2022); a remittance reporting a negative fixing of an index that does not "
        "allow it is refused.",
    )
    basis: Basis = Field(description=BASIS)


class NetWacCap(Model):
    """Net WAC Rate: the pool's rate net of the listed fees, x 30 / actual days for Actual/360
    classes so that a 30/360 collateral coupon caps an Actual/360 certificate."""

    net_of: list[str] = Field(
        description="The fees (by name) the Net WAC Rate is net of: scheduled interest less "
        "these fees, x 12 / beginning pool balance."
    )
    actual_360_adjustment: bool = Field(
        True,
        description="For an Actual/360 class the Net WAC Rate is multiplied by 30 / the "
        "accrual period's actual days.",
    )
    basis: Basis = Field(description=BASIS)


class TriggerDelinquency(Model):
    """Delinquency Trigger Event: the 60+ day delinquency percentage (of the current month or
    a rolling average) exceeds a share of the Senior Enhancement Percentage."""

    threshold_pct_of_senior_enhancement: Rate = Field(
        description="The delinquency test fails when the 60+ day percentage exceeds this "
        "fraction of the Senior Enhancement Percentage."
    )
    averaging_months: Annotated[int, Field(ge=1, le=12)] = Field(
        3,
        description="The 60+ day percentage tested: 1 = the current month's; N = the rolling "
        "average of the current and the N-1 prior months' percentages (fewer on the first "
        "dates). Each month's percentage: 60+ day delinquent balance / ending pool balance.",
    )
    comparison: Comparison = Field(
        "exceeds",
        description="'exceeds': the test fails when the percentage is greater than the "
        "threshold; 'equals_or_exceeds': when it is greater or equal.",
    )
    senior_enhancement: Literal["current", "prior"] = Field(
        "current",
        description="Which Senior Enhancement Percentage the threshold is a share of: the "
        "date's ('current': after the date's Principal Distribution Amount is paid to the "
        "senior classes first, as before the Stepdown Date) or the prior distribution date's "
        "('prior': the prior date's pool and senior balances after its distributions; at the "
        "first date, the cut-off balance and the original senior balance).",
    )
    sixty_plus_includes: list[Literal["foreclosure", "reo", "bankruptcy"]] = Field(
        ["foreclosure", "reo", "bankruptcy"],
        description="60+ Day Delinquent Mortgage Loan: a loan two or more payments past due, "
        "and every loan in a status listed here whatever its delinquency (in foreclosure, REO "
        "property, in bankruptcy). A loan in a status not listed counts only when it is 60 or "
        "more days delinquent.",
    )
    basis: Basis = Field(description=BASIS)


class LossStep(Model):
    """One point of the cumulative loss schedule."""

    from_date: date = Field(description="The first distribution date the percentage applies to.")
    pct: Rate = Field(
        description="Cumulative realized losses allowed, as a fraction of the cut-off balance."
    )


class TriggerLoss(Model):
    """Cumulative Loss Trigger Event: cumulative realized losses (net of subsequent
    recoveries) since the cut-off date exceed the schedule's share of the cut-off balance."""

    schedule: list[LossStep] = Field(
        description="The limits by date, in date order. Before the first point there is no "
        "cumulative loss test."
    )
    interpolation: Literal["step", "monthly"] = Field(
        "step",
        description="'step': each point's percentage applies until the next point; 'monthly': "
        "between two points the percentage rises by an equal part of the difference each "
        "month (the PSA's 'plus 1/12th of the difference for each month thereafter'); from "
        "the last point on, its percentage.",
    )
    comparison: Comparison = Field(
        "exceeds",
        description="'exceeds' or 'equals_or_exceeds': when cumulative losses against the "
        "limit fail the test.",
    )
    basis: Basis = Field(description=BASIS)


class Overcollateralization(Model):
    """The overcollateralization: its target before and after the Stepdown Date, when
    excess cash starts building it, and the tests (Stepdown Date, Trigger Event) that decide
    which target and which principal allocation apply."""

    oc_class: str = Field(
        description="The class whose balance is the Overcollateralized Amount (it is paid "
        "what is left of the Net Monthly Excess Cashflow)."
    )
    specified_pct: Rate = Field(
        description="Overcollateralization Target Amount before the Stepdown Date: this "
        "fraction of the cut-off balance."
    )
    specified_base: Literal["cut_off_balance"] = Field(
        "cut_off_balance", description="What specified_pct applies to."
    )
    build_start: date = Field(
        description="The first distribution date on which excess cash builds the "
        "overcollateralization: before it there is no Extra Principal Distribution Amount, no "
        "Overcollateralization Release Amount, and the Required Overcollateralization Amount "
        "printed is 0."
    )
    stepdown_earliest: date = Field(
        description="Stepdown Date, (b)(x): the earliest distribution date of the step-down "
        "by senior enhancement. Stepdown Date: the earlier of (a) the distribution date after "
        "the one on which the senior classes are paid to zero and (b) the later of (x) this "
        "date and (y) the first date on which the Senior Enhancement Percentage is at least "
        "senior_enhancement_target. Once reached it stays reached."
    )
    stepdown_pct: Rate = Field(
        description="Overcollateralization Target Amount on and after the Stepdown Date, no "
        "Trigger Event: the greater of this fraction of the ending pool balance and the floor."
    )
    floor_pct: Rate = Field(
        description="The overcollateralization floor: this fraction of the cut-off balance "
        "(printed as the Base Overcollateralization Amount after the Stepdown Date)."
    )
    cap_at_initial: bool = Field(
        False,
        description="true: the target after the Stepdown Date is the lesser of the initial "
        "target (specified_pct x cut-off balance) and the greater of stepdown_pct x pool and "
        "the floor ('the lesser of' wording). While a Trigger Event is in effect after the "
        "Stepdown Date the target is the prior distribution date's, either way.",
    )
    senior_enhancement_target: Rate = Field(
        description="Stepdown Date, (b)(y): the Senior Enhancement Percentage to reach: (pool "
        "balance - senior classes) / pool balance, i.e. the subordinate classes and the "
        "overcollateralization as a share of the pool."
    )
    stepdown_enhancement: Literal["before_distribution", "after_distribution"] = Field(
        "before_distribution",
        description="The Senior Enhancement Percentage of the stepdown test: "
        "'before_distribution' (standard): after the principal remittance leaves the pool "
        "(the ending pool balance) but before principal is distributed to the certificates "
        "(the senior balance before the date's principal); 'after_distribution': after the "
        "date's Principal Distribution Amount is paid to the senior classes first.",
    )
    delinquency_trigger: TriggerDelinquency = Field(
        description="The delinquency test of the Trigger Event."
    )
    loss_trigger: TriggerLoss = Field(description="The cumulative loss test of the Trigger Event.")
    basis: Basis = Field(description=BASIS)


class PrincipalTarget(Model):
    """After the stepdown date, class ``name`` is paid down to (1 - target) x pool balance,
    counting the classes senior to it (the 'Class Principal Distribution Amount')."""

    name: str = Field(description="The class.")
    target_pct: Rate = Field(
        description="The class and every class senior to it may be at most this fraction of "
        "the ending pool balance (and never more than pool balance - floor)."
    )


class Principal(Model):
    """Principal Distribution Amount: how it is allocated to the classes."""

    sequential: list[str] = Field(
        description="Before the Stepdown Date, or while a Trigger Event is in effect, "
        "principal goes to these classes in this order, each until it is paid off."
    )
    after_stepdown: list[PrincipalTarget] = Field(
        description="On and after the Stepdown Date with no Trigger Event, each class's "
        "Class Principal Distribution Amount, most senior first."
    )
    statement_column: Literal["scheduled_split", "unscheduled"] = Field(
        "scheduled_split",
        description="How the statement splits a class's principal: in proportion to "
        "scheduled principal, or all printed as unscheduled.",
    )
    basis: Basis = Field(description=BASIS)


class Interest(Model):
    """Interest Remittance Amount: the order it pays the classes' interest in."""

    order: list[list[str]] = Field(
        description="Groups paid in order, pro rata within a group: each class's current "
        "interest (less its share of the interest shortfalls) and, unless "
        "unpaid_interest_from says otherwise, its unpaid interest with interest on it."
    )
    shortfall_allocation: Literal["pro_rata_current_interest"] = Field(
        "pro_rata_current_interest",
        description="Net prepayment interest and Relief Act shortfalls reduce the classes' "
        "current interest pro rata by current interest.",
    )
    unpaid_interest_from: dict[
        str, Literal["interest_remittance", "net_monthly_excess_cashflow"]
    ] = Field(
        {},
        description="Per class, where its Unpaid Interest Amount (with interest on it) is "
        "paid from: 'interest_remittance' (the default for a class not listed: with its "
        "current interest, in the interest order) or 'net_monthly_excess_cashflow' (only "
        "in the excess cash order's 'unpaid_interest' step; the interest remittance pays "
        "its current interest only).",
    )
    basis: Basis = Field(description=BASIS)


class ExcessStep(Model):
    """One step of the Net Monthly Excess Cashflow's order."""

    step: Literal[
        "extra_principal",
        "unpaid_interest",
        "unpaid_realized_loss",
        "basis_risk_carryforward",
        "remainder",
    ] = Field(
        description="'extra_principal': the Extra Principal Distribution Amount (first, if "
        "listed; it is always paid first); 'unpaid_interest': the classes' Unpaid Interest "
        "Amounts; 'unpaid_realized_loss': their Unpaid Realized Loss Amounts; "
        "'basis_risk_carryforward': their Net WAC Rate Carryover Amounts (with interest at the "
        "formula rate); 'remainder': the rest to the overcollateralization class (last). The "
        "classes of a step are paid in the order listed: list one step per class "
        "(M-1 unpaid interest, M-1 unpaid realized loss, M-2 unpaid interest, ...) to "
        "interleave them, or one step with every class to group them."
    )
    classes: list[str] = Field([], description="The classes the step pays, in order.")
    basis: Basis = Field(description=BASIS)


class Losses(Model):
    """Applied Realized Loss Amounts: realized losses the overcollateralization cannot
    absorb write the classes down; subsequent recoveries write them back up."""

    writedown_order: list[str] = Field(
        description="The excess of the certificates over the pool balance after the date's "
        "distributions writes these classes down, in this order (most junior first)."
    )
    recoveries_writeup_order: list[str] = Field(
        description="Subsequent recoveries increase these classes' balances by their unpaid "
        "realized loss amounts, in this order (most senior first)."
    )
    basis: Basis = Field(description=BASIS)


class PrepaymentPenalties(Model):
    """Who receives the prepayment penalties (prepayment charges) collected."""

    payee: str = Field(description="The class paid the prepayment penalties.")
    basis: Basis = Field(description=BASIS)


class Delinquency(Model):
    """How the servicer counts delinquency for the statement."""

    method: Literal["MBA", "OTS"] = Field(
        description="MBA (a loan is 30 days delinquent when a payment is unpaid at the next "
        "due date) or OTS (one month later)."
    )
    basis: Basis = Field(description=BASIS)


class OtherAccount(Model):
    """An account the statement lists (reserve fund, financial guaranty, ...)."""

    label: str = Field(description="The account's line on the statement.")


class StatementSpec(Model):
    """What the statement to certificateholders prints besides the figures."""

    title: list[str] = Field(description="The title lines.")
    contact: list[str] = Field(description="The contact block's lines.")
    distribution_summary_note: list[str] = Field(
        [], description="Lines printed under the distribution summary."
    )
    other_accounts: list[OtherAccount] = Field(
        [], description="The accounts of the Other Accounts section."
    )
    insufficient_funds_class: str = Field(
        description="The class whose current interest shortfall Other Information prints."
    )
    excess_cash_row: Literal["net_monthly_excess_cashflow", "after_extra_principal"] = Field(
        "net_monthly_excess_cashflow",
        description="Overcollateralization deals: what the 'Excess Cash Amount' row prints: the "
        "Net Monthly Excess Cashflow (interest left after the certificates' current and unpaid "
        "interest, plus the Overcollateralization Release Amount), or what is left of it after "
        "the Extra Principal Distribution Amount.",
    )


class Registrant(Model):
    """Who files the deal's reports with the SEC, as the cover page of a Form 8-K or 10-D
    names them. ``name``: the registrant's exact name, one printed line each; ``securities``:
    the certificates the reports are about. The filing date is the distribution date plus
    ``filing_business_days``. Form 10-D also names the depositor and the sponsor."""

    name: Annotated[list[str], Field(min_length=1)] = Field(
        description="The registrant's exact name, one printed line each."
    )
    securities: str = Field(description="The certificates the reports are about.")
    state: str = Field(description="The state of incorporation or organization.")
    commission_file_number: str = Field(description="The registrant's Commission File Number.")
    irs_ein: str = Field("Pending", description="The IRS Employer Identification Number.")
    address: Annotated[list[str], Field(min_length=1)] = Field(
        description="The address of the principal executive offices, one line each."
    )
    zip: str = Field(description="Its ZIP code.")
    telephone: str = Field(description="The registrant's telephone number.")
    securities_administrator: str = Field(
        description="Who signs for the trust as securities administrator."
    )
    signer: str = Field(description="The person who signs the report.")
    signer_title: str = Field(description="The signer's title.")
    filing_business_days: Annotated[int, Field(ge=0, le=60)] = Field(
        description="The report is filed this many business days after the distribution date."
    )
    exhibit: str = Field("EX-99.1", description="The exhibit number of the statement.")
    depositor: str | None = Field(None, description="Form 10-D: the depositor.")
    depositor_file_number: str | None = Field(
        None, description="Form 10-D: the depositor's Commission File Number."
    )
    sponsor: str | None = Field(None, description="Form 10-D: the sponsor.")
    basis: Basis = Field(description=BASIS)


class LoanGroup(Model):
    """A loan group of a senior/subordinate deal: its cut-off balance and its seniors."""

    name: Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]+$")] = Field(
        description="The group's name as the remittance's [groups.NAME] tables and the loan "
        "tape's asset_group_number give it."
    )
    cut_off_balance: Money = Field(
        description="The aggregate principal balance of the group's loans at the cut-off date."
    )
    cut_off_count: Annotated[int, Field(ge=1, le=1_000_000_000)] = Field(
        description="The number of the group's loans at the cut-off date."
    )
    seniors: list[str] = Field(
        description="The group's senior certificates (not an interest-only class), paid "
        "sequentially in this order before the Credit Support Depletion Date, pro rata after."
    )
    basis: Basis = Field(description=BASIS)


class ScheduleStep(Model):
    """A value in force from ``from_date`` until the next step."""

    from_date: date = Field(description="The first distribution date the value is in force.")
    value: Rate = Field(description="The value, a fraction (0.70 for 70%).")


class TwoTimesTest(Model):
    """The two-times test: if the aggregate subordinate percentage is at least twice its
    original value, the delinquency condition holds and cumulative realized losses are within
    the limit, the seniors take only 50% of the subordinate percentage of prepayments before
    the third anniversary (for that date only), and none on or after it."""

    third_anniversary: date = Field(
        description="The distribution date in the month of the third anniversary of the "
        "cut-off date: before it the test's relief is 50%, on and after it 100%."
    )
    loss_limit_before: Rate = Field(
        description="Cumulative realized losses allowed before the third anniversary, as a "
        "fraction of the original subordinate balance (20% in the standard wording)."
    )
    loss_limit_after: Rate = Field(
        description="Cumulative realized losses allowed on and after the third anniversary, "
        "as a fraction of the original subordinate balance (30% in the standard wording)."
    )
    basis: Basis = Field(description=BASIS)


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
    basis: Basis = Field(description=BASIS)


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

    groups: list[LoanGroup] = Field(
        description="The loan groups, each with its own senior certificates."
    )
    subordinates: list[str] = Field(
        description="The subordinate certificates, shared by every group, most senior first: "
        "paid interest then principal in this order, written down in reverse order."
    )
    residual: str = Field(description="The residual class: it takes what is left.")
    senior_prepayment_share: list[ScheduleStep] = Field(
        description="The part of the Subordinate Percentage the seniors take of prepayments "
        "(the Senior Prepayment Percentage is the Senior Percentage plus this share of the "
        "Subordinate Percentage), by date: 1.0 in the lock-out years, then e.g. 0.70, 0.60, "
        "0.40, 0.20, 0; it steps down only while the step-down conditions hold."
    )
    stepdown_loss_limits: list[ScheduleStep] = Field(
        description="The step-down conditions' loss test, by date: cumulative realized "
        "losses must not exceed this fraction of the original subordinate balance (e.g. 30% "
        "in the eighth year, rising to 50%)."
    )
    delinquency_limit: Rate = Field(
        Decimal("0.50"),
        description="The step-down conditions' delinquency test: the average balance of loans "
        "60 or more days delinquent (foreclosure, REO and bankruptcy included) against this "
        "fraction of the aggregate subordinate balance.",
    )
    delinquency_averaging_months: Annotated[int, Field(ge=1, le=12)] = Field(
        6, description="The months the delinquency test's 60+ balance is averaged over."
    )
    delinquency_test: Literal["less_than", "not_exceeding"] = Field(
        "less_than",
        description="The delinquency condition of the step-down conditions and of the "
        "two-times test: the average balance of loans 60 or more days delinquent is "
        "'less_than' delinquency_limit x the aggregate subordinate balance, or "
        "'not_exceeding' it (does not exceed: equal passes).",
    )
    two_times: TwoTimesTest = Field(description="The two-times test's terms.")
    class_prepayment_triggers: bool = Field(
        True,
        description="Whether the subordinate classes have Class Prepayment Distribution "
        "Triggers: a class (other than the most senior subordinate) shares in prepayments only "
        "while it and the classes junior to it are at least their share of the pool at closing.",
    )
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
    basis: Basis = Field(description=BASIS)

    @model_validator(mode="after")
    def _schedules(self) -> ShiftingInterest:
        for name, steps in (
            ("senior_prepayment_share", self.senior_prepayment_share),
            ("stepdown_loss_limits", self.stepdown_loss_limits),
        ):
            if not steps:  # their date order: remit.spec.validate, with each step's path
                raise ValueError(f"{name}: at least one step")
        return self


class DealBase(Model):
    """What every deal says: its dates, collateral, classes, fees and statement.
    ``family`` names the structure family (its close strategy, statement layout and figure
    prefix); ``loan_groups`` are the deal's loan groups (none for a deal without groups)."""

    family: ClassVar[str]

    deal: DealInfo = Field(description="The deal's names.")
    dates: Dates = Field(description="The deal's calendar.")
    collateral: Collateral = Field(description="The pool at the cut-off date.")
    indices: list[IndexSpec] = Field([], description="The indices floating coupons refer to.")
    classes: list[CertificateClass] = Field(
        description="The certificate classes, in the order the statement prints them."
    )
    fees: list[Fee] = Field(description="The fees taken from interest before the certificates.")
    net_wac_cap: NetWacCap = Field(description="The Net WAC Rate that caps capped coupons.")
    prepayment_penalties: PrepaymentPenalties = Field(
        description="Who receives the prepayment penalties."
    )
    delinquency: Delinquency = Field(description="The delinquency method of the statement.")
    statement: StatementSpec = Field(description="What the statement prints besides figures.")
    registrant: Registrant | None = Field(
        None,
        description="Who files the deal's reports with the SEC (the Form 8-K / 10-D cover page); "
        "none: the reports are not filed from remit.",
    )

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

    @property
    def residual_classes(self) -> list[str]:
        """The names of the residual classes (type RES), as the statement prints them."""
        return [c.name for c in self.classes if c.type == "RES"]


class OCSpec(DealBase):
    """An overcollateralization deal: seniors and mezzanines over OC built from excess
    interest, stepdown and triggers, an excess cash order."""

    family: ClassVar[str] = "oc"

    overcollateralization: Overcollateralization = Field(
        description="The overcollateralization target, the Stepdown Date and the Trigger Event."
    )
    interest: Interest = Field(description="How the Interest Remittance Amount is paid.")
    principal: Principal = Field(description="How the Principal Distribution Amount is paid.")
    excess_cash: list[ExcessStep] = Field(
        description="Net Monthly Excess Cashflow: interest left after the certificates' "
        "current and unpaid interest, plus the Overcollateralization Release Amount (and "
        "principal no class is owed), paid in this order."
    )
    losses: Losses = Field(description="Write-downs and write-ups.")

    @property
    def oc_class(self) -> CertificateClass:
        return self.cls(self.overcollateralization.oc_class)


class ShiftingSpec(DealBase):
    """A shifting-interest senior/subordinate deal with one or more loan groups."""

    family: ClassVar[str] = "shifting"
    shifting_interest: ShiftingInterest = Field(
        description="The loan groups, the subordinates and the shifting-interest terms: "
        "the senior prepayment share, the step-down conditions, the two-times test, the loss "
        "coverage and the wordings the agreement chose."
    )

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
