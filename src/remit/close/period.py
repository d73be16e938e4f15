"""The period's common figures, the same for every structure family: its date, each class's
accrual period, the fees, the collateral's rates and the 60+ day delinquency."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from remit import dates, money
from remit.close.ledger import Ledger
from remit.close.result import Figure
from remit.close.state import DealState
from remit.errors import Problem, RemitError
from remit.money import ZERO
from remit.remittance import Remittance
from remit.spec.models import CertificateClass, DealSpec
from remit.waterfall.steps import PRINCIPAL_STEP_PREFIX, holder


def expected_date(spec: DealSpec, prior: DealState) -> date:
    """The distribution date that follows ``prior``."""
    d = spec.dates
    if prior.distribution_date is None:
        return dates.adjust(d.first_distribution, d.business_day_rule)
    nxt = dates.add_months(prior.distribution_date, 1, 1)
    return dates.distribution_date(nxt.year, nxt.month, d.distribution_day, d.business_day_rule)


def accrual_period(
    spec: DealSpec, c: CertificateClass, prior: DealState, distribution: date
) -> tuple[date, date, int]:
    """[start, end) of the class's accrual period and its day count.
    Actual/360 classes accrue from the closing date (first period) or the prior distribution
    date to the day before the distribution date; 'first_of_month' classes accrue for the
    calendar month before the distribution date."""
    coupon = c.coupon
    if coupon.accrual_start == "first_of_month":
        end = distribution.replace(day=1)
        start = dates.add_months(end, -1, 1)
    elif prior.distribution_date is None:
        start = (
            spec.dates.closing
            if coupon.accrual_start == "closing"
            else dates.add_months(distribution, -1)
        )
        end = distribution
    else:
        start, end = prior.distribution_date, distribution
    return start, end, dates.accrual_days(start, end, coupon.day_count)


def fee_amounts(
    spec: DealSpec, prior: DealState, rem: Remittance, source: str
) -> dict[str, Figure]:
    """Each fee for the period: rate x beginning pool balance / 12 to the cent, or the amount
    the servicer reports where the fee is computed loan by loan (checked against the rate
    within the deal's per-loan rounding tolerance)."""
    out: dict[str, Figure] = {}
    problems: list[Problem] = []
    for f in spec.fees:
        rate = f.rate if f.rate is not None else ZERO
        computed = money.cents(prior.pool_balance * rate / 12)
        formula = f"{prior.pool_balance} x {rate} / 12 = {computed}"
        if f.amount == "reported":
            amount = rem.fees[f.name]
            if f.rate is None:
                formula = f"reported by the servicer ({f.applies_to})"
            elif f.tolerance_per_loan is not None:
                limit = f.tolerance_per_loan * prior.loan_count
                if abs(amount - computed) > limit:
                    problems.append(
                        Problem(
                            source,
                            f"fees.{f.name}",
                            str(amount),
                            f"within {limit} of {computed} ({formula}; "
                            f"{f.tolerance_per_loan} per loan for {prior.loan_count} loans)",
                        )
                    )
            if f.rate is not None:
                formula = f"reported by the servicer ({f.applies_to}); at the rate: {formula}"
        else:
            amount = computed
            if f.name in rem.fees and rem.fees[f.name] != computed:
                problems.append(
                    Problem(
                        source, f"fees.{f.name}", str(rem.fees[f.name]), f"{computed} = {formula}"
                    )
                )
        out[f.name] = Figure(amount, f"fee.{f.name}", f.basis, formula)
    if problems:
        raise RemitError(problems)
    return out


def pool_rates(
    spec: DealSpec, prior: DealState, rem: Remittance, fees: dict[str, Figure]
) -> dict[str, Figure]:
    """The collateral's weighted average rates for the period, as percentages to 6 places:
    gross coupon, net of the servicer-level fees, and net of every fee (pass-through)."""
    beginning = prior.pool_balance
    sched = rem.interest.scheduled_interest
    servicer = sum((fees[f.name].value for f in spec.fees if f.level == "servicer"), ZERO)
    every = sum((f.value for f in fees.values()), ZERO)
    out = {}
    for key, num, label in (
        ("pool:wac", sched, "scheduled interest"),
        ("pool:net_wac", sched - servicer, "scheduled interest less servicer fees"),
        ("pool:pass_through", sched - every, "scheduled interest less all fees"),
    ):
        out[key] = Figure(
            money.percent(num * 12, beginning, 6),
            key,
            spec.collateral.basis,
            f"{label} {num} x 12 / beginning pool balance {beginning}",
        )
    return out


def sixty_plus(rem: Remittance) -> tuple[int, Decimal]:
    """Loans 60 or more days delinquent, including every loan in foreclosure or REO and
    bankrupt loans 60 or more days delinquent (count, balance)."""
    count, bal = 0, ZERO
    for cell in rem.delinquency:
        late = cell.bucket not in ("0-29", "30")
        if cell.status in ("foreclosure", "reo") or late:
            count += cell.count
            bal += cell.balance
    return count, bal


def pool_figures(spec: DealSpec, rem: Remittance, fees: dict[str, Figure]) -> dict[str, Figure]:
    """The pool's figures the statement prints beside the servicer's: the shortfall of
    prepayment interest not covered by compensating interest, the realized losses net of
    subsequent recoveries, all fees together, and the interest net of them."""
    it, pr = rem.interest, rem.principal
    total_fees = sum((f.value for f in fees.values()), ZERO)
    basis = spec.collateral.basis
    return {
        "pool:non_supported_ppis": Figure(
            it.prepayment_interest_shortfall - it.compensating_interest,
            "non-supported prepayment interest shortfall",
            "servicer report",
            f"prepayment interest shortfall {it.prepayment_interest_shortfall} - compensating "
            f"interest {it.compensating_interest}",
        ),
        "pool:net_realized_loss": Figure(
            pr.realized_losses - pr.subsequent_recoveries,
            "realized loss net of subsequent recoveries",
            "servicer report",
            f"{pr.realized_losses} - {pr.subsequent_recoveries}",
        ),
        "pool:total_fees": Figure(
            total_fees, "fees", basis, " + ".join(str(f.value) for f in fees.values()) or "0"
        ),
        "pool:net_interest": Figure(
            it.scheduled_interest - total_fees,
            "net interest",
            basis,
            f"scheduled interest {it.scheduled_interest} - fees {total_fees}",
        ),
    }


SPEED_PLACES = 10


def monthly_speeds(beginning: Decimal, rem: Remittance) -> dict[str, Figure]:
    """The month's prepayment and default speeds, exact (fractions: 0.12 is 12%), to 10
    places: SMM (single monthly mortality) = voluntary prepayments (payoffs, curtailments,
    repurchases) / (beginning balance - scheduled principal), CPR = 1 - (1 - SMM)^12; MDR
    (monthly default rate) = balance of the loans liquidated / the same base, CDR = 1 -
    (1 - MDR)^12 (the SIFMA standard formulas), from the rounded SMM and MDR. Each is 0
    when the base is not positive, and at most 1."""
    pr = rem.principal
    base = beginning - pr.scheduled_principal
    prepaid = pr.unscheduled_principal + pr.repurchases_principal
    out: dict[str, Figure] = {}
    for monthly, annual, amount, what in (
        ("smm", "cpr", prepaid, "voluntary prepayments (unscheduled + repurchases)"),
        ("mdr", "cdr", pr.liquidated_balance, "liquidated balance"),
    ):
        quotient = min(money.div(amount, base), Decimal(1)) if base > 0 else ZERO
        rate = money.round_places(quotient, SPEED_PLACES)
        out[f"pool:{monthly}"] = Figure(
            rate,
            monthly.upper(),
            "SIFMA standard formula",
            f"{what} {amount} / (beginning balance {beginning} - scheduled principal "
            f"{pr.scheduled_principal})",
        )
        out[f"pool:{annual}"] = Figure(
            money.round_places(1 - money.CONTEXT.power(1 - rate, 12), SPEED_PLACES),
            annual.upper(),
            "SIFMA standard formula",
            f"1 - (1 - {monthly.upper()} {rate:f})^12",
        )
    return out


def pool_performance(spec: DealSpec, prior: DealState, rem: Remittance) -> dict[str, Figure]:
    """The month's speeds (:func:`monthly_speeds`) and the pool factor: the ending pool
    balance / the cut-off balance, 8 places."""
    ending = prior.pool_balance - rem.pool_reduction
    cut_off = spec.collateral.cut_off_balance
    return monthly_speeds(prior.pool_balance, rem) | {
        "pool:factor": Figure(
            money.ratio(ending, cut_off),
            "pool factor",
            spec.collateral.basis,
            f"ending pool balance {ending} / cut-off balance {cut_off}",
        )
    }


def scheduled_principal_split(spec: DealSpec, rem: Remittance, ledger: Ledger) -> dict[str, Figure]:
    """The scheduled part of the principal each class was paid from the principal remittance
    (the statement's "Scheduled Principal Distribution"; the rest is unscheduled): principal
    paid from the remittance x scheduled principal / principal remittance amount (scheduled +
    unscheduled + liquidation proceeds + repurchases), to the cent; 0 when that is 0."""
    pr = rem.principal
    pra = (
        pr.scheduled_principal
        + pr.unscheduled_principal
        + pr.liquidation_proceeds
        + pr.repurchases_principal
    )
    out = {}
    for c in spec.classes:
        paid = Ledger.total(
            p
            for p in ledger.select(target=holder(c.name))
            if p.step.startswith(PRINCIPAL_STEP_PREFIX)
        )
        value = money.cents(paid * pr.scheduled_principal / pra) if pra else ZERO
        out[f"class:{c.name}:scheduled_principal"] = Figure(
            value,
            "scheduled principal distribution",
            "principal paid in the proportion of scheduled principal to the principal "
            "remittance amount",
            f"{paid} x {pr.scheduled_principal} / {pra}",
        )
    return out
