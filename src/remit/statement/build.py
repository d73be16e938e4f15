"""The statement as a view over a closed period: every figure is read from the ledger, the
state or the close's recorded figures, never recomputed, except where the statement prints
the remittance itself (delinquency, collateral data)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from remit.close import PeriodResult
from remit.dates import due_period_end
from remit.statement.layouts import LAYOUTS
from remit.statement.model import Section, Statement
from remit.statement.view import History, View


def build_statement(
    r: PeriodResult, *, extended: bool = False, history: History | None = None
) -> Statement:
    """The statement to certificateholders for a closed period, in its family's layout;
    ``extended``: with the sections Regulation AB Item 1121 adds (the life figures from
    ``history`` where given)."""
    layout = LAYOUTS[r.family]
    v = View.of(r, layout.terms(r), history)
    builders = (*layout.sections, *layout.extended) if extended else layout.sections
    sections = [s for make in builders for s in make(v)]
    spec = r.spec
    return Statement(
        deal_id=spec.deal.id,
        distribution_date=r.distribution_date,
        record_date=r.record_date,
        variables=_variables(v),
        title_lines=tuple(spec.statement.title),
        contact_lines=tuple(spec.statement.contact),
        sections=tuple(sections),
        layout=layout.template,
    )


def extended_sections(r: PeriodResult, history: History | None = None) -> list[Section]:
    """The sections the extended statement adds to the period's classic ones, in order."""
    layout = LAYOUTS[r.family]
    v = View.of(r, layout.terms(r), history)
    return [s for make in layout.extended for s in make(v)]


def _denominations(r: PeriodResult, include_residual: bool) -> list[str]:
    groups: dict[Decimal, list[str]] = {}
    for c in r.spec.classes:
        if c.type == "RES" and not include_residual:
            continue
        groups.setdefault(c.denomination, []).append(c.name)
    parts = []
    for denom, names in groups.items():
        amount = (
            f"${denom:,.2f}"
            if denom != denom.to_integral_value() or denom < 1000
            else f"${denom:,.0f}"
        )
        head = "Classes" if len(names) > 1 else "Class"
        parts.append(f"{head} {', '.join(names)} are per {amount} Denomination.")
    return parts


def _short(x: date) -> str:
    return f"{x.month}/{x.day}/{x.year % 100:02d}"


def _variables(v: View) -> dict[str, str]:
    r = v.r
    cert = "  ".join(_denominations(r, False))
    full = _denominations(r, True)
    line1 = "  ".join(full)
    line2 = ""
    if len(line1) > 120 and len(full) > 1:
        # wrap the last group, as the published layout does
        head = "  ".join(full[:-1]) + "  " + full[-1].split(" are per ")[0] + " are per"
        line1, line2 = head, full[-1].split(" are per ")[1]
    return {
        "record_date_short": _short(r.record_date),
        "distribution_date_short": _short(r.distribution_date),
        "series": r.spec.deal.series,
        "denominations_certificates": cert,
        "denominations_all_line1": line1,
        "denominations_all_line2": line2,
        "insufficient_funds_class": r.spec.statement.insufficient_funds_class,
        "oc_class": v.family.notional_class,
        "due_period_end_dmy": due_period_end(r.distribution_date).strftime("%d-%b-%Y"),
    }
