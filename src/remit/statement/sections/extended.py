"""The extended statement's sections: what Regulation AB Item 1121 asks of a distribution
report and the classic CTSLink layout lacks. Each family's extended layout
(:data:`remit.statement.layouts.LAYOUTS`) prints its classic sections, then:

* ``ext_dates``: record, distribution and index determination dates, and each class's
  accrual period and day count;
* ``ext_rates``: per class, the index value and the margins, the pass-through rate, the
  Net WAC cap and the basis risk carryforward;
* ``ext_triggers``: each trigger and step-down test, its actual value, its threshold and
  whether it passed (the family's tests, as its close recorded them);
* ``ext_performance``: one-month and life CPR and CDR, the pool factor, the delinquency
  method, advances, modifications and repurchases.

A view like every section: each figure is read from the close's result (its figures, the
classes' accruals, the ledger, the state, the remittance it closed) or the spec; the life
figures, which need every period since closing, from the :class:`~remit.statement.view.History`
the caller gives (publishing works it out from the store). Percentages are printed to 6
decimals of a percent. A figure nobody gave (life speeds without the deal's history,
modifications not reported at pool level) is None: printed "N/A", with a trace that says
why."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from remit import dates, money
from remit.statement.cells import figure_cell, percent_cell
from remit.statement.model import Cell, Row, Section, Trace, Value
from remit.statement.sections.oc import TEST_COLUMNS
from remit.statement.sections.shifting import si_test_rows
from remit.statement.view import View

PCT = 6
NEEDS_HISTORY = "needs every period since closing (the deal's history)"


def _pct(fraction: Decimal) -> Decimal:
    return money.round_places(fraction * 100, PCT)


def _row(key: str, label: str, **cells: tuple[Value, Trace | None]) -> Row:
    return Row(key, label, {k: Cell(v, t) for k, (v, t) in cells.items()})


def _one(key: str, label: str, value: Value, rule: str, basis: str, formula: str = "") -> Row:
    return _row(key, label, value=(value, Trace(rule, basis, formula)))


def ext_dates(v: View) -> list[Section]:
    """The record, distribution and index determination dates; each class's accrual period
    (its last day included), days and day count."""
    r = v.r
    basis = r.spec.dates.basis
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
    floaters = [c for c in r.spec.classes if c.coupon.kind == "floating"]
    if floaters:
        start = r.classes[floaters[0].name].accrual_start
        rows.append(
            _one(
                "determination_date",
                "Index Determination Date",
                dates.index_determination_date(start),
                "index determination date",
                "Assumed (market standard): the second business day before the accrual period",
                f"2 business days before {start.isoformat()} (US federal holidays)",
            )
        )
    for c in r.spec.classes:
        cp = r.classes[c.name]
        t = Trace(
            "accrual period",
            c.coupon.basis,
            f"{c.coupon.day_count}: {cp.accrual_start} to {cp.accrual_end}, end excluded",
        )
        rows.append(
            _row(
                c.name,
                c.name,
                accrual_start=(cp.accrual_start, t),
                accrual_end=(cp.accrual_end - timedelta(days=1), t),
                days=(cp.days, t),
                day_count=(c.coupon.day_count, t),
            )
        )
    columns = {
        "value": "Date",
        "accrual_start": "Accrual Start",
        "accrual_end": "Accrual End",
        "days": "Days",
        "day_count": "Day Count",
    }
    return [Section("ext_dates", "Dates and Accrual Periods", columns, tuple(rows))]


def ext_rates(v: View) -> list[Section]:
    """Per class: index, index value, margin, post-call margin, pass-through rate, Net WAC cap
    and whether it bound, basis risk carryforward (paid and unpaid)."""
    r = v.r
    rows = []
    for c in r.spec.classes:
        cp = r.classes[c.name]
        coupon = c.coupon
        t = Trace("coupon", coupon.basis, coupon.kind)
        cells: dict[str, Cell] = {"kind": Cell(coupon.kind, t)}
        if coupon.index:
            fixing = r.remittance.index.get(coupon.index)
            cells["index"] = Cell(coupon.index, t)
            cells["index_value"] = Cell(
                _pct(fixing) if fixing is not None else None,
                Trace("index value", "the remittance's index fixing", coupon.index),
            )
        if coupon.margin is not None:
            cells["margin"] = Cell(_pct(coupon.margin), t)
        if coupon.post_call_margin is not None:
            cells["post_call_margin"] = Cell(_pct(coupon.post_call_margin), t)
        cells["rate"] = Cell(_pct(cp.rate), Trace("pass-through rate", coupon.basis, f"{cp.rate}"))
        cap = f"class:{c.name}:net_wac_cap"
        if cap in r.figures:
            cells["net_wac_cap"] = percent_cell(r, cap)
            cells["capped"] = Cell("Yes" if cp.capped else "No", None)
            cells["basis_risk_paid"] = Cell(money.cents(cp.out.basis_risk_paid), t)
            cells["basis_risk_carryforward"] = Cell(
                r.state.classes[c.name].basis_risk_carryforward, t
            )
        rows.append(Row(c.name, c.name, cells))
    columns = {
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
    }
    title = "Index, Margins, Net WAC Cap and Basis Risk Carryforward"
    return [Section("ext_rates", title, columns, tuple(rows))]


def _triggers(rows: tuple[Row, ...]) -> list[Section]:
    return [Section("ext_triggers", "Trigger and Step-down Tests", TEST_COLUMNS, rows)]


def si_ext_triggers(v: View) -> list[Section]:
    """A shifting-interest deal's step-down tests."""
    return _triggers(si_test_rows(v.r))


def _life(v: View, key: str, label: str, monthly: str) -> Row:
    """A life speed: the deal's first period's is its month's; a later one's comes from the
    history the caller gives, or is not known."""
    r = v.r
    rule = f"life {monthly.upper()}"
    if r.prior.distribution_date is None:
        f = r.figures[f"pool:{monthly}"]
        return _one(
            key, label, _pct(f.value), rule, "the deal's first period: its month", f.formula
        )
    h = v.history
    if h is None:
        return _one(key, label, None, rule, NEEDS_HISTORY)
    life = h.life_cpr if monthly == "cpr" else h.life_cdr
    return _one(key, label, _pct(life), rule, h.basis, f"{life}")


def ext_performance(v: View) -> list[Section]:
    """One-month and life speeds, the pool factor, the delinquency method, advances,
    repurchases and modifications."""
    r = v.r
    rem = r.remittance
    pr, adv = rem.principal, rem.advances
    h = v.history
    rows = [
        Row("cpr_1m", "CPR, one month (%)", {"value": percent_cell(r, "pool:cpr")}),
        Row("cdr_1m", "CDR, one month (%)", {"value": percent_cell(r, "pool:cdr")}),
        _life(v, "cpr_life", "CPR, life (%)", "cpr"),
        _life(v, "cdr_life", "CDR, life (%)", "cdr"),
        Row("pool_factor", "Pool Factor", {"value": figure_cell(r, "pool:factor")}),
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
            h.advances_outstanding if h is not None else None,
            "advances outstanding",
            h.basis if h is not None else NEEDS_HISTORY,
            "advances made less reimbursed since closing",
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
    return [Section("ext_performance", "Pool Performance", {"value": "Value"}, tuple(rows))]
