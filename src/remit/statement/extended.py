"""The extended statement: what Regulation AB Item 1121 asks of a distribution report and the
classic CTSLink layout lacks. Section builders, each taking a closed period and returning a
:class:`Section` (the statement layouts register them; the classic layout stays the default
and the golden reproduction):

* ``dates_section``: record, distribution and index determination dates, and each class's
  accrual period and day count;
* ``rates_section``: per class, the index value and the margins, the pass-through rate, the
  Net WAC cap and the basis risk carryforward;
* ``triggers_section``: each trigger and step-down test, its actual value, its threshold and
  whether it passed;
* ``performance_section``: one-month and life CPR and CDR, the pool factor, the delinquency
  method, advances, modifications and repurchases.

Every figure is read from the close (figures, ledger, state, remittance) or the spec; the
tests are re-evaluated with the same rule functions the close used. Percentages are printed
to 6 decimals of a percent (CPR and CDR are analytics: floats rounded for print). A figure the
close does not know (life speeds without the deal's history, modifications not reported at
pool level) is None: printed "N/A", with a trace that says why."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from remit import dates, money
from remit.close import PeriodResult
from remit.close.period import accrual_period
from remit.publish.analytics import Speeds, life, speeds
from remit.rules import triggers
from remit.rules.ops import Exact
from remit.spec.models import OCSpec, ShiftingSpec
from remit.statement.model import Cell, Row, Section, Trace, Value
from remit.statement.sections.oc import oc_spec
from remit.statement.sections.shifting import shifting_spec

Z = Decimal("0.00")
PCT = 6


@dataclass(frozen=True)
class PriorPerformance:
    """What the life figures need of the periods before this one, in date order: each
    month's speeds and the advances made and reimbursed."""

    speeds: Sequence[Speeds] = ()
    advances: Decimal = Z  # outstanding at the start of this period
    complete: bool = False  # True when every period since closing is given


def _pct(fraction: Decimal) -> Decimal:
    return money.round_places(fraction * 100, PCT)


def _fpct(fraction: float) -> Decimal:
    return money.round_places(Decimal(repr(fraction)) * 100, PCT)


def _row(key: str, label: str, **cells: tuple[Value, Trace | None]) -> Row:
    return Row(key, label, {k: Cell(v, t) for k, (v, t) in cells.items()})


def _one(key: str, label: str, value: Value, rule: str, basis: str, formula: str = "") -> Row:
    return _row(key, label, value=(value, Trace(rule, basis, formula)))


def determination_date(accrual_start: date) -> date:
    """Index determination: the second business day before the accrual period starts."""
    d = accrual_start
    for _ in range(2):
        d -= timedelta(days=1)
        while not dates.is_business_day(d):
            d -= timedelta(days=1)
    return d


def dates_section(r: PeriodResult) -> Section:
    spec = r.spec
    basis = spec.dates.basis
    rows = [
        _one("record_date", "Record Date", r.record_date, "record date", basis),
        _one(
            "distribution_date",
            "Distribution Date",
            r.distribution_date,
            "distribution date",
            basis,
        ),
    ]
    floaters = [c for c in spec.classes if c.coupon.kind == "floating"]
    if floaters:
        start, _, _ = accrual_period(spec, floaters[0], r.prior, r.distribution_date)
        rows.append(
            _one(
                "determination_date",
                "Index Determination Date",
                determination_date(start),
                "index determination date",
                "Assumed (market standard): the second business day before the accrual period",
                f"2 business days before {start.isoformat()} (US federal holidays)",
            )
        )
    for c in spec.classes:
        start, end, days = accrual_period(spec, c, r.prior, r.distribution_date)
        t = Trace("accrual period", c.coupon.basis, f"{c.coupon.day_count}: {start} to {end}")
        rows.append(
            _row(
                c.name,
                c.name,
                accrual_start=(start, t),
                accrual_end=(end - timedelta(days=1), t),
                days=(days, t),
                day_count=(c.coupon.day_count, t),
            )
        )
    return Section(
        "ext_dates",
        "Dates and Accrual Periods",
        {
            "value": "Date",
            "accrual_start": "Accrual Start",
            "accrual_end": "Accrual End",
            "days": "Days",
            "day_count": "Day Count",
        },
        tuple(rows),
    )


def rates_section(r: PeriodResult) -> Section:
    """Per class: index, index value, margin, post-call margin, pass-through rate, Net WAC cap
    and whether it bound, basis risk carryforward (paid and unpaid)."""
    rows = []
    for c in r.spec.classes:
        cp = r.classes.get(c.name)
        coupon = c.coupon
        t = Trace("coupon", coupon.basis, coupon.kind)
        cells: dict[str, tuple[Value, Trace | None]] = {"kind": (coupon.kind, t)}
        if coupon.index:
            fixing = r.remittance.index.get(coupon.index)
            cells["index"] = (coupon.index, t)
            cells["index_value"] = (
                _pct(fixing) if fixing is not None else None,
                Trace("index value", "the remittance's index fixing", coupon.index),
            )
        if coupon.margin is not None:
            cells["margin"] = (_pct(coupon.margin), t)
        if coupon.post_call_margin is not None:
            cells["post_call_margin"] = (_pct(coupon.post_call_margin), t)
        if cp is not None:
            cells["rate"] = (_pct(cp.rate), Trace("pass-through rate", coupon.basis, f"{cp.rate}"))
        cap = r.figures.get(f"class:{c.name}:net_wac_cap")
        if cap is not None:
            cells["net_wac_cap"] = (_pct(cap.value), Trace(cap.rule, cap.basis, cap.formula))
            cells["capped"] = ("Yes" if cp is not None and cp.capped else "No", None)
        if cp is not None and cap is not None:
            w = cp.waterfall
            cells["basis_risk_paid"] = (money.cents(Decimal(w.get("basis_risk_paid", Z))), t)
            cells["basis_risk_carryforward"] = (r.state.classes[c.name].basis_risk_carryforward, t)
        rows.append(_row(c.name, c.name, **cells))
    return Section(
        "ext_rates",
        "Index, Margins, Net WAC Cap and Basis Risk Carryforward",
        {
            "kind": "Coupon",
            "index": "Index",
            "index_value": "Index Value (%)",
            "margin": "Margin (%)",
            "post_call_margin": "Post-Call Margin (%)",
            "rate": "Pass-Through Rate (%)",
            "net_wac_cap": "Net WAC Cap (%)",
            "capped": "Capped",
            "basis_risk_paid": "Basis Risk Paid",
            "basis_risk_carryforward": "Basis Risk Carryforward",
        },
        tuple(rows),
    )


def _test(
    key: str,
    label: str,
    actual: Value,
    threshold: Value,
    passed: bool | None,
    trace: Trace,
    words: tuple[str, str] = ("Pass", "Fail"),
) -> Row:
    result = "N/A" if passed is None else (words[0] if passed else words[1])
    return _row(
        key, label, actual=(actual, trace), threshold=(threshold, trace), result=(result, trace)
    )


def triggers_section(r: PeriodResult) -> Section:
    rows = _oc_tests(r, oc_spec(r)) if r.family == "oc" else _shifting_tests(r, shifting_spec(r))
    return Section(
        "ext_triggers",
        "Trigger and Step-down Tests",
        {"actual": "Actual", "threshold": "Threshold", "result": "Result"},
        tuple(rows),
    )


def _oc_tests(r: PeriodResult, spec: OCSpec) -> list[Row]:
    ops = Exact()
    ocs = spec.overcollateralization
    rolling = r.figures["trigger:delinquency_rolling"]
    enh = r.figures["trigger:senior_enhancement"]
    dq_share = ocs.delinquency_trigger.threshold_pct_of_senior_enhancement
    threshold = enh.value * dq_share
    dq_fail = bool(
        triggers.delinquency_trigger(
            rolling.value,
            enh.value,
            ocs.delinquency_trigger.threshold_pct_of_senior_enhancement,
            ops,
        )
    )
    limit = r.figures["trigger:loss_limit"].value
    cum = r.state.cumulative_loss
    cut_off = spec.collateral.cut_off_balance
    loss_fail = limit > 0 and bool(triggers.loss_trigger(cum, cut_off, limit, ops))
    dq_t = Trace(
        rolling.rule,
        rolling.basis,
        f"{rolling.formula}; threshold {dq_share} x senior enhancement {enh.value:.10f}",
    )
    loss_t = Trace(
        "loss_trigger", ocs.loss_trigger.basis, f"cumulative loss {cum} / cut-off {cut_off}"
    )
    step_t = Trace(
        "stepdown",
        ocs.basis,
        f"earliest {ocs.stepdown_earliest}; "
        f"senior enhancement target {ocs.senior_enhancement_target}",
    )
    return [
        _test(
            "delinquency_trigger",
            "Delinquency Trigger (60+ rolling average, %)",
            _pct(rolling.value),
            _pct(threshold),
            not dq_fail,
            dq_t,
        ),
        _test(
            "loss_trigger",
            "Cumulative Loss Trigger (% of cut-off balance)",
            _pct(money.div(cum, cut_off)),
            _pct(limit) if limit > 0 else None,
            (not loss_fail) if limit > 0 else None,
            loss_t,
        ),
        _test(
            "stepdown",
            "Stepdown (senior enhancement, %)",
            _pct(enh.value),
            _pct(ocs.senior_enhancement_target),
            r.state.oc.stepdown_reached,
            step_t,
            ("Reached", "Not reached"),
        ),
        _test(
            "trigger_event",
            "Trigger Event in effect",
            "Yes" if r.trigger_in_effect else "No",
            None,
            not r.trigger_in_effect,
            Trace("trigger event", ocs.basis, "delinquency or loss trigger"),
        ),
    ]


def _shifting_tests(r: PeriodResult, spec: ShiftingSpec) -> list[Row]:
    ops = Exact()
    si = spec.shifting_interest
    sub_bal = sum((r.prior.classes[n].balance for n in si.subordinates), Z)
    dq = r.figures["shifting:delinquency_60plus_average"]
    limit = sub_bal * si.delinquency_limit
    dq_t = Trace(dq.rule, dq.basis, dq.formula)
    cond = r.figures["shifting:stepdown_conditions"]
    two = r.figures["shifting:two_times"]
    sub_pct = money.div(sub_bal, r.prior.pool_balance) if r.prior.pool_balance else Z
    orig_sub = sum((spec.cls(n).original_balance for n in si.subordinates), Z)
    original_pct = orig_sub / spec.collateral.cut_off_balance
    return [
        _test(
            "delinquency_test",
            "Step-down Delinquency Test (60+ average balance)",
            money.cents(dq.value),
            money.cents(limit),
            bool(ops.gt(limit, dq.value)),
            dq_t,
        ),
        _test(
            "stepdown_conditions",
            "Step-down Conditions (delinquency and cumulative loss)",
            "Met" if cond.value else "Not met",
            None,
            bool(cond.value),
            Trace(cond.rule, cond.basis, cond.formula),
            ("Met", "Not met"),
        ),
        _test(
            "two_times",
            "Two-Times Test (subordinate percentage, %)",
            _pct(sub_pct),
            _pct(2 * original_pct),
            bool(two.value),
            Trace(two.rule, two.basis, two.formula),
            ("Met", "Not met"),
        ),
        _test(
            "depletion",
            "Credit Support Depletion",
            "Yes" if sub_bal == 0 else "No",
            None,
            sub_bal > 0,
            Trace("credit support depletion date", si.basis, f"subordinates {sub_bal}"),
        ),
    ]


def performance_section(r: PeriodResult, prior: PriorPerformance | None = None) -> Section:
    rem = r.remittance
    pr = rem.principal
    month = speeds(
        r.prior.pool_balance,
        pr.scheduled_principal,
        pr.unscheduled_principal + pr.repurchases_principal,
        pr.liquidated_balance,
    )
    basis = "remit.publish.analytics (SMM/MDR annualized); floats, rounded for print"
    have_life = prior is not None and (prior.complete or r.prior.distribution_date is None)
    months = [*(prior.speeds if prior else ()), month]
    lf = life(months) if have_life else None
    why_not = "life speeds need every period since closing (the deal's history)"
    cut_off = r.spec.collateral.cut_off_balance
    adv = rem.advances
    outstanding = (prior.advances if prior else Z) + adv.p_and_i_advances - adv.reimbursements
    rows = [
        _one(
            "cpr_1m", "CPR, one month (%)", _fpct(month.cpr), "CPR", basis, f"SMM {month.smm:.8f}"
        ),
        _one(
            "cdr_1m", "CDR, one month (%)", _fpct(month.cdr), "CDR", basis, f"MDR {month.mdr:.8f}"
        ),
        _one(
            "cpr_life",
            "CPR, life (%)",
            _fpct(lf.cpr) if lf else None,
            "life CPR",
            basis if lf else why_not,
        ),
        _one(
            "cdr_life",
            "CDR, life (%)",
            _fpct(lf.cdr) if lf else None,
            "life CDR",
            basis if lf else why_not,
        ),
        _one(
            "pool_factor",
            "Pool Factor",
            money.ratio(r.state.pool_balance, cut_off),
            "pool factor",
            "ending pool balance / cut-off balance",
            f"{r.state.pool_balance} / {cut_off}",
        ),
        _one(
            "delinquency_method",
            "Delinquency Method",
            r.spec.delinquency.method,
            "delinquency method",
            r.spec.delinquency.basis,
        ),
        _one(
            "advances_made", "P&I Advances Made", adv.p_and_i_advances, "advances", "the remittance"
        ),
        _one(
            "advances_reimbursed",
            "P&I Advances Reimbursed",
            adv.reimbursements,
            "advances",
            "the remittance",
        ),
        _one(
            "advances_outstanding",
            "P&I Advances Outstanding",
            outstanding
            if (prior is not None and prior.complete) or r.prior.distribution_date is None
            else None,
            "advances outstanding",
            "advances made less reimbursed since closing"
            if prior is not None
            else "needs every period since closing (the deal's history)",
        ),
        _one(
            "repurchases_count",
            "Loans Repurchased",
            pr.repurchases_count,
            "repurchases",
            "the remittance",
        ),
        _one(
            "repurchases_principal",
            "Repurchased Principal",
            pr.repurchases_principal,
            "repurchases",
            "the remittance",
        ),
        _one(
            "modifications",
            "Loans Modified",
            None,
            "modifications",
            "not reported in the pool-level remittance (the loan tape's activity has them)",
        ),
    ]
    return Section("ext_performance", "Pool Performance", {"value": "Value"}, tuple(rows))


def extended_sections(r: PeriodResult, prior: PriorPerformance | None = None) -> list[Section]:
    """Every extended section of a period, in statement order."""
    return [dates_section(r), rates_section(r), triggers_section(r), performance_section(r, prior)]
