"""The statement as a view over a closed period: every figure is read from the ledger, the
state or the close's recorded figures, never recomputed from the remittance's raw numbers
except where the statement prints the remittance itself (delinquency, collateral data)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from remit.close.close import PeriodResult
from remit.dates import due_period_end
from remit.spec.models import OCSpec
from remit.statement.classes import class_sections
from remit.statement.model import Statement
from remit.statement.pool import notional_class_name, pool_sections


def build_statement(r: PeriodResult) -> Statement:
    """The statement to certificateholders for a closed period."""
    classes, per = class_sections(r)
    sections = classes + pool_sections(r, per)
    spec = r.spec
    variables = _variables(r)
    return Statement(
        deal_id=spec.deal.id,
        distribution_date=r.distribution_date,
        record_date=r.record_date,
        variables=variables,
        title_lines=tuple(spec.statement.title),
        contact_lines=tuple(spec.statement.contact),
        sections=tuple(sections),
        layout="ctslink" if isinstance(spec, OCSpec) else "ctslink_senior_sub",
    )


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


def _variables(r: PeriodResult) -> dict[str, str]:
    d, rd = r.distribution_date, r.record_date

    def short(x: date) -> str:
        return f"{x.month}/{x.day}/{x.year % 100:02d}"

    cert = "  ".join(_denominations(r, False))
    full = _denominations(r, True)
    line1 = "  ".join(full)
    line2 = ""
    if len(line1) > 120 and len(full) > 1:
        # wrap the last group, as the published layout does
        head = "  ".join(full[:-1]) + "  " + full[-1].split(" are per ")[0] + " are per"
        line1, line2 = head, full[-1].split(" are per ")[1]
    end = due_period_end(d)
    return {
        "record_date_short": short(rd),
        "distribution_date_short": short(d),
        "series": r.spec.deal.series,
        "denominations_certificates": cert,
        "denominations_all_line1": line1,
        "denominations_all_line2": line2,
        "insufficient_funds_class": r.spec.statement.insufficient_funds_class,
        "oc_class": notional_class_name(r.spec),
        "due_period_end_dmy": end.strftime("%d-%b-%Y"),
    }
