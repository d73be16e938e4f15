"""close(spec, prior_state, remittance) -> PeriodResult: one distribution date, exact.

Pure: no files, no database, no clock. Funds are derived from the remittance, the waterfall
runs on exact Decimals, and every movement of money lands in the ledger. The statement is a
view over the result (see :mod:`remit.statement.build`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from remit import dates, money
from remit.close.ledger import Ledger, Posting
from remit.close.state import ClassState, DealState
from remit.close.waterfall import CERT, ClassIn, Flow, WaterfallIn, WaterfallOut, run
from remit.errors import Problem, RemitError
from remit.remittance import Remittance
from remit.rules import interest as irules
from remit.rules import triggers
from remit.rules.ops import Exact
from remit.spec.models import CertificateClass, DealSpec, OCSpec, ShiftingSpec

Z = Decimal("0.00")
SERVICER = "servicer"
DEPOSIT = "closing_deposit"


@dataclass(frozen=True)
class Figure:
    """A computed figure and how it was made: the rule, its basis and the formula filled in."""

    value: Decimal
    rule: str
    basis: str
    formula: str


@dataclass(frozen=True)
class ClassPeriod:
    """What the close worked out for one class on the date (beyond the ledger)."""

    accrual_start: date
    accrual_end: date
    days: int
    rate: Decimal
    formula_rate: Decimal
    capped: bool
    waterfall: dict[str, Decimal]


@dataclass(frozen=True)
class PeriodResult:
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
    # the structure family that closed it: "oc" (overcollateralization) or "shifting"
    family: str = "oc"

    def figure(self, key: str) -> Decimal:
        return self.figures[key].value


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


def _check(spec: DealSpec, prior: DealState, rem: Remittance, source: str) -> date:
    problems: list[Problem] = []

    def bad(path: str, value: object, expected: str) -> None:
        problems.append(Problem(source, path, value, expected))

    if rem.deal != spec.deal.id:
        bad("deal", rem.deal, f"the deal id {spec.deal.id!r}")
    want = expected_date(spec, prior)
    if rem.distribution_date != want:
        bad(
            "distribution_date",
            rem.distribution_date.isoformat(),
            f"{want.isoformat()}, the distribution date after the prior state's "
            f"{prior.distribution_date or 'closing'}",
        )
    if rem.beginning_balance is not None and rem.beginning_balance != prior.pool_balance:
        bad(
            "beginning_balance",
            str(rem.beginning_balance),
            f"the prior ending pool balance {prior.pool_balance}",
        )
    if rem.beginning_count is not None and rem.beginning_count != prior.loan_count:
        bad("beginning_count", rem.beginning_count, f"the prior loan count {prior.loan_count}")
    if rem.pool_reduction > prior.pool_balance:
        bad(
            "principal",
            str(rem.pool_reduction),
            f"scheduled + unscheduled + repurchased + liquidated principal no larger than "
            f"the pool balance {prior.pool_balance}",
        )
    p = rem.principal
    it = rem.interest
    due = (
        it.scheduled_interest
        - it.prepayment_interest_shortfall
        - it.relief_act_shortfall
        + p.scheduled_principal
    )
    if rem.advances.p_and_i_advances > due:
        bad(
            "advances.p_and_i_advances",
            str(rem.advances.p_and_i_advances),
            f"no more than the scheduled interest (less shortfalls) and principal due, {due}",
        )
    removed = p.payoffs_count + p.liquidations_count + p.repurchases_count
    if removed > prior.loan_count:
        bad(
            "principal.payoffs_count",
            removed,
            f"payoffs + liquidations + repurchases no more than the {prior.loan_count} loans",
        )
    elif rem.collateral.ending_count != prior.loan_count - removed:
        bad(
            "collateral.ending_count",
            rem.collateral.ending_count,
            f"{prior.loan_count - removed} = beginning {prior.loan_count} - payoffs "
            f"{p.payoffs_count} - liquidations {p.liquidations_count} - repurchases "
            f"{p.repurchases_count}",
        )
    for c in spec.classes:
        idx = c.coupon.index
        if c.coupon.kind == "floating" and idx is not None and idx not in rem.index:
            bad(f"index.{idx}", "(missing)", f"the {idx} fixing for class {c.name}")
    for f in spec.fees:
        if f.amount == "reported" and f.name not in rem.fees:
            bad(f"fees.{f.name}", "(missing)", f"the {f.label} amount the servicer reports")
    known = {f.name for f in spec.fees}
    for name in rem.fees:
        if name not in known:
            bad(f"fees.{name}", name, f"one of the deal's fees {sorted(known)}")
    products = {x.key for x in spec.collateral.products}
    for key in rem.collateral.product_balances:
        if key not in products:
            bad(f"collateral.product_balances.{key}", key, f"one of {sorted(products)}")
    if problems:
        raise RemitError(problems)
    return want


def fee_amounts(
    spec: DealSpec, prior: DealState, rem: Remittance, source: str
) -> dict[str, Figure]:
    """Each fee for the period: rate x beginning pool balance / 12 to the cent, or the amount
    the servicer reports where the fee is computed loan by loan (checked against the rate
    within the deal's per-loan rounding tolerance)."""
    out: dict[str, Figure] = {}
    problems: list[Problem] = []
    for f in spec.fees:
        rate = f.rate if f.rate is not None else Z
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
    servicer = sum((fees[f.name].value for f in spec.fees if f.level == "servicer"), Z)
    every = sum((f.value for f in fees.values()), Z)
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
    count, bal = 0, Z
    for cell in rem.delinquency:
        late = cell.bucket not in ("0-29", "30")
        if cell.status in ("foreclosure", "reo") or late:
            count += cell.count
            bal += cell.balance
    return count, bal


@dataclass(frozen=True)
class _Prepared:
    distribution_date: date
    fees: dict[str, Figure]
    figures: dict[str, Figure]
    waterfall: WaterfallIn[Decimal]
    periods: dict[str, tuple[date, date, int, Decimal, Decimal, bool]]
    delinquency_60plus: Decimal
    cumulative_loss: Decimal
    after_stepdown: bool
    trigger: bool


def _prepare(spec: OCSpec, prior: DealState, rem: Remittance, source: str) -> _Prepared:
    """Everything the waterfall needs for the date: fees, rates, funds, stepdown, triggers."""
    dd = _check(spec, prior, rem, source)
    ops = Exact()
    figs: dict[str, Figure] = {}
    fees = fee_amounts(spec, prior, rem, source)
    figs.update({f"fee:{k}": v for k, v in fees.items()})
    total_fees = sum((f.value for f in fees.values()), Z)
    beginning = prior.pool_balance
    sched_int = rem.interest.scheduled_interest
    cap_fees = sum((fees[n].value for n in spec.net_wac_cap.net_of), Z)

    figs.update(pool_rates(spec, prior, rem, fees))

    # Funds.
    it = rem.interest
    pr = rem.principal
    collected_interest = (
        it.scheduled_interest - it.prepayment_interest_shortfall - it.relief_act_shortfall
    )
    # Fees, then advance reimbursements, come out of interest first and, where interest falls
    # short, out of principal: both rank ahead of every certificate.
    fee_cash = total_fees - it.compensating_interest
    fee_from_interest = min(fee_cash, collected_interest)
    reimb = rem.advances.reimbursements
    reimb_interest = min(reimb, collected_interest - fee_from_interest)
    reimb_principal = reimb - reimb_interest + (fee_cash - fee_from_interest)
    principal_funds = (
        pr.scheduled_principal
        + pr.unscheduled_principal
        + pr.repurchases_principal
        + pr.liquidation_proceeds
        + pr.subsequent_recoveries
        - reimb_principal
    )
    if principal_funds < 0:
        raise RemitError.one(
            source,
            "interest.scheduled_interest",
            str(it.scheduled_interest),
            f"collections that cover the fees {fee_cash} and advance reimbursements {reimb}",
        )
    interest_funds = collected_interest - fee_from_interest - reimb_interest
    pool_ending = beginning - rem.pool_reduction

    # Rates and accrual.
    net_for_cap = sched_int - cap_fees
    post_call = (
        prior.pool_balance <= spec.collateral.cut_off_balance * spec.dates.optional_termination_pct
    )
    classes_in: dict[str, ClassIn[Decimal]] = {}
    periods: dict[str, tuple[date, date, int, Decimal, Decimal, bool]] = {}
    for c in spec.classes:
        st = prior.classes[c.name]
        start, end, days = accrual_period(spec, c, prior, dd)
        cp = c.coupon
        formula = Z
        if cp.kind == "fixed" and cp.rate is not None:
            formula = cp.rate
        elif cp.kind == "floating" and cp.index is not None and cp.margin is not None:
            margin = (
                cp.post_call_margin if post_call and cp.post_call_margin is not None else cp.margin
            )
            formula = irules.floating_rate(rem.index[cp.index], margin)
        elif cp.kind == "net_wac":
            formula = irules.net_wac_rate(net_for_cap, beginning, days, False, ops)
            if cp.strip is not None:
                formula = max(formula - cp.strip, Z)
        if cp.max_rate is not None:
            formula = min(formula, cp.max_rate)
        rate, capped = formula, False
        if cp.cap == "net_wac":
            cap = irules.net_wac_rate(
                net_for_cap,
                beginning,
                days,
                cp.day_count == "actual/360" and spec.net_wac_cap.actual_360_adjustment,
                ops,
            )
            figs[f"class:{c.name}:net_wac_cap"] = Figure(
                cap,
                "net_wac_cap",
                spec.net_wac_cap.basis,
                f"({sched_int} - fees {cap_fees}) x 12 / {beginning}"
                + (f" x 30 / {days}" if cp.day_count == "actual/360" else ""),
            )
            cap = max(cap, Z)
            if cap < formula:
                rate, capped = cap, True
        balance = st.balance if c.balance_is == "certificate" and c.retire is None else Z
        base = prior.pool_balance if c.notional == "pool_balance" else balance
        classes_in[c.name] = ClassIn(
            balance=balance,
            accrual_base=base,
            unpaid_interest=st.unpaid_interest,
            basis_risk_carryforward=st.basis_risk_carryforward,
            unpaid_realized_loss=st.unpaid_realized_loss,
            rate=rate,
            formula_rate=formula,
            days=days,
        )
        periods[c.name] = (start, end, days, rate, formula, capped)

    # Stepdown and triggers.
    ocs = spec.overcollateralization
    # Senior balance after the principal remittance amount is applied (it all goes to the
    # seniors before the stepdown date): the basis of the senior enhancement percentage.
    senior_before = sum(
        (prior.classes[c.name].balance for c in spec.principal_classes if c.type == "SEN"), Z
    )
    senior = max(senior_before - principal_funds, Z)
    after_stepdown = prior.stepdown_reached or bool(
        triggers.stepdown_reached(
            dd, ocs.stepdown_earliest, senior, pool_ending, ocs.senior_enhancement_target, ops
        )
    )
    _, dq_bal = sixty_plus(rem)
    dq_pct = money.ratio(dq_bal, pool_ending, 10)
    history = (*prior.delinquency_60plus, dq_pct)[-ocs.delinquency_trigger.averaging_months :]
    rolling = money.div(sum(history, Decimal(0)), Decimal(len(history)))
    enhancement = triggers.senior_enhancement_pct(senior, pool_ending, ops)
    dq_trigger = bool(
        triggers.delinquency_trigger(
            rolling, enhancement, ocs.delinquency_trigger.threshold_pct_of_senior_enhancement, ops
        )
    )
    cum_loss = prior.cumulative_loss + pr.realized_losses - pr.subsequent_recoveries
    limit = Z
    for step in ocs.loss_trigger.schedule:
        if step.from_date <= dd:
            limit = step.pct
    loss_trigger = bool(
        limit > 0 and triggers.loss_trigger(cum_loss, spec.collateral.cut_off_balance, limit, ops)
    )
    trigger = dq_trigger or loss_trigger
    figs["trigger:delinquency_rolling"] = Figure(
        rolling,
        "delinquency_trigger",
        ocs.delinquency_trigger.basis,
        f"average of 60+ percentages {[str(h) for h in history]}",
    )
    figs["trigger:senior_enhancement"] = Figure(
        enhancement,
        "senior_enhancement",
        ocs.delinquency_trigger.basis,
        f"(pool {pool_ending} - senior {senior}) / pool",
    )
    figs["trigger:loss_limit"] = Figure(
        limit, "loss_trigger", ocs.loss_trigger.basis, f"cumulative loss limit in force on {dd}"
    )

    w = WaterfallIn(
        classes=classes_in,
        pool_ending=pool_ending,
        interest_funds=interest_funds,
        principal_funds=principal_funds,
        recoveries=pr.subsequent_recoveries,
        penalties=rem.prepayment_penalties,
        interest_shortfall=it.prepayment_interest_shortfall
        - it.compensating_interest
        + it.relief_act_shortfall,
        after_stepdown=after_stepdown,
        trigger=trigger,
        building=dd >= ocs.build_start,
        prior_specified_oc=prior.specified_oc,
    )
    return _Prepared(dd, fees, figs, w, periods, dq_pct, cum_loss, after_stepdown, trigger)


def waterfall_input(
    spec: OCSpec, prior: DealState, rem: Remittance, *, source: str = "remittance"
) -> WaterfallIn[Decimal]:
    """The exact inputs the close gives the waterfall on the date (for parity with vectors)."""
    return _prepare(spec, prior, rem, source).waterfall


def close(
    spec: DealSpec, prior: DealState, rem: Remittance, *, source: str = "remittance"
) -> PeriodResult:
    """Close one distribution date. Raises :class:`RemitError` naming every bad input."""
    if isinstance(spec, ShiftingSpec):
        from remit.close.senior_sub_close import close_senior_sub

        return close_senior_sub(spec, prior, rem, source=source)
    prep = _prepare(spec, prior, rem, source)
    dd, fees, figs, w, periods = (
        prep.distribution_date,
        prep.fees,
        prep.figures,
        prep.waterfall,
        prep.periods,
    )
    dq_pct, cum_loss = prep.delinquency_60plus, prep.cumulative_loss
    after_stepdown, trigger = prep.after_stepdown, prep.trigger
    ocs = spec.overcollateralization
    ops = Exact()
    wf = run(spec, w, ops)
    ledger = _ledger(spec, prior, rem, fees, wf)
    _assert_conserved(ledger, source)

    new_classes: dict[str, ClassState] = {}
    for c in spec.classes:
        o = wf.classes[c.name]
        st = prior.classes[c.name]
        new_classes[c.name] = ClassState(
            balance=money.cents(o.balance),
            unpaid_interest=money.cents(o.unpaid_interest),
            basis_risk_carryforward=money.cents(o.basis_risk_carryforward),
            unpaid_realized_loss=money.cents(o.unpaid_realized_loss),
            cumulative_realized_loss=money.cents(st.cumulative_realized_loss + o.writedown),
        )
    retired = sum((prior.classes[c.name].balance for c in spec.classes if c.retire is not None), Z)
    state = DealState(
        deal_id=spec.deal.id,
        period=prior.period + 1,
        distribution_date=dd,
        pool_balance=w.pool_ending,
        loan_count=rem.collateral.ending_count,
        cumulative_loss=cum_loss,
        specified_oc=wf.metrics["specified_oc"],
        stepdown_reached=after_stepdown,
        delinquency_60plus=(*prior.delinquency_60plus, dq_pct)[-12:],
        closing_deposit=prior.closing_deposit - retired,
        classes=new_classes,
    )
    for k, v in wf.metrics.items():
        figs[f"oc:{k}"] = Figure(v, f"oc.{k}", ocs.basis, k.replace("_", " "))
    return period_result(spec, prior, rem, dd, ledger, state, wf, periods, figs, trigger)


def period_result(
    spec: DealSpec,
    prior: DealState,
    rem: Remittance,
    dd: date,
    ledger: Ledger,
    state: DealState,
    wf: WaterfallOut[Decimal],
    periods: dict[str, tuple[date, date, int, Decimal, Decimal, bool]],
    figs: dict[str, Figure],
    trigger: bool,
) -> PeriodResult:
    """The result of a close: the ledger and state with each class's accrual and
    waterfall figures (start, end, days, rate, formula rate, capped)."""
    class_periods = {
        n: ClassPeriod(
            s,
            e,
            d,
            r,
            f,
            cap,
            {k: getattr(wf.classes[n], k) for k in wf.classes[n].__dataclass_fields__},
        )
        for n, (s, e, d, r, f, cap) in periods.items()
    }
    return PeriodResult(
        spec=spec,
        prior=prior,
        remittance=rem,
        distribution_date=dd,
        record_date=dates.record_date(dd, spec.dates.record_date_rule),
        ledger=ledger,
        state=state,
        classes=class_periods,
        figures=figs,
        trigger_in_effect=trigger,
        family="oc" if isinstance(spec, OCSpec) else "shifting",
    )


def _ledger(
    spec: DealSpec,
    prior: DealState,
    rem: Remittance,
    fees: dict[str, Figure],
    wf: WaterfallOut[Decimal],
) -> Ledger:
    """Deposits, withdrawals and the waterfall's flows, in the order they happen."""
    it, pr = rem.interest, rem.principal
    flows: list[Flow[Decimal]] = []
    basis_dep = "Servicer remittance (PSA, Article IV: deposits to the Certificate Account)"

    def dep(step: str, amount: Decimal) -> None:
        flows.append(Flow(step, basis_dep, SERVICER, CERT, amount))

    collected = (
        it.scheduled_interest
        - it.prepayment_interest_shortfall
        - it.relief_act_shortfall
        + pr.scheduled_principal
        + pr.unscheduled_principal
        - rem.advances.p_and_i_advances
    )
    dep("deposit.interest_and_principal", collected)
    dep("deposit.liquidations", pr.liquidated_balance)
    dep("deposit.subsequent_recoveries", pr.subsequent_recoveries)
    dep("deposit.repurchases", pr.repurchases_principal)
    dep("deposit.advances", rem.advances.p_and_i_advances)
    dep("deposit.prepayment_penalties", rem.prepayment_penalties)
    flows.append(
        Flow("deposit.realized_losses", basis_dep, CERT, "loss:realized", pr.realized_losses)
    )
    flows.append(
        Flow(
            "withdrawal.advance_reimbursement",
            basis_dep,
            CERT,
            SERVICER,
            rem.advances.reimbursements,
        )
    )
    for f in spec.fees:
        flows.append(Flow(f"fees.{f.name}", f.basis, CERT, f"fee:{f.name}", fees[f.name].value))
    comp_from = next(
        (f"fee:{f.name}" for f in spec.fees if f.statement_row == "gross_servicing"), SERVICER
    )
    flows.append(
        Flow(
            "fees.compensating_interest",
            "Compensating interest, paid by the servicer out of its servicing fee",
            comp_from,
            CERT,
            it.compensating_interest,
        )
    )
    flows.extend(wf.flows)
    for c in spec.classes:
        bal = prior.classes[c.name].balance
        if c.retire is not None and bal > 0:
            flows.append(Flow("residual.retire", c.basis, DEPOSIT, f"holder:{c.name}", bal))
    postings = tuple(
        Posting(i, f.step, f.basis, f.source, f.target, f.amount, f.kind)
        for i, f in enumerate(fl for fl in flows if fl.amount != 0)
    )
    return Ledger(postings)


def _assert_conserved(ledger: Ledger, source: str) -> None:
    bal = ledger.balances().get(CERT, Z)
    if bal != 0:
        raise RemitError.one(
            source,
            "(certificate account)",
            str(bal),
            "the certificate account to end at zero: sources equal uses",
        )
    if any(p.amount < 0 for p in ledger.postings):
        bad = next(p for p in ledger.postings if p.amount < 0)
        raise RemitError.one(source, bad.step, str(bad.amount), "no negative movement of money")
