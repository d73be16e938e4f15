"""The class tables: distribution summary, principal and interest statements and their factor
tables, one row per class (and a Totals row where the statement prints one)."""

from __future__ import annotations

from collections.abc import Sequence

from remit import money
from remit.money import ZERO
from remit.statement.cells import amount, fig
from remit.statement.model import Cell, Row, Section, Trace
from remit.statement.view import View

SUMMARY = {
    "cusip": "CUSIP",
    "description": "Certificate Class Description",
    "rate": "Certificate Pass-Through Rate",
    "beginning_balance": "Beginning Certificate Balance",
    "interest_distribution": "Interest Distribution",
    "principal_distribution": "Principal Distribution",
}
SUMMARY_2 = {
    "current_realized_loss": "Current Realized Loss",
    "ending_balance": "Ending Certificate Balance",
    "total_distribution": "Total Distribution",
    "cumulative_realized_losses": "Cumulative Realized Losses",
}
PRINCIPAL = {
    "original_face": "Original Face Amount",
    "beginning_balance": "Beginning Certificate Balance",
    "scheduled_principal": "Scheduled Principal Distribution",
    "unscheduled_principal": "Unscheduled Principal Distribution",
    "accretion": "Accretion",
    "current_realized_loss": "Realized Loss",
}
PRINCIPAL_2 = {
    "total_principal_reduction": "Total Principal Reduction",
    "ending_balance": "Ending Certificate Balance",
    "ending_percentage": "Ending Certificate Percentage",
    "total_principal_distribution": "Total Principal Distribution",
}
PRINCIPAL_FACTORS = {k: v for k, v in PRINCIPAL.items() if k != "current_realized_loss"}
PRINCIPAL_FACTORS_2 = {"current_realized_loss": "Realized Loss", **PRINCIPAL_2}
INTEREST = {
    "original_face": "Original Face Amount",
    "rate": "Current Certificate Rate",
    "beginning_notional": "Beginning Certificate/Notional Balance",
    "accrued_interest": "Current Accrued Interest",
    "unpaid_interest_paid": "Payment of Unpaid Interest Shortfall",
    "current_shortfall": "Current Interest Shortfall",
}
INTEREST_2 = {
    "non_supported_shortfall": "Non-Supported Interest Shortfall",
    "realized_losses": "Realized Losses",
    "total_interest": "Total Interest Distribution",
    "remaining_unpaid": "Remaining Unpaid Interest Shortfall",
    "ending_notional": "Ending Certificate/Notional Balance",
}


def distribution_summary(v: View) -> list[Section]:
    totals = ["beginning_balance", "interest_distribution", "principal_distribution"]
    title = "Certificateholder Distribution Summary"
    return [_grid(v, "distribution_summary", title, SUMMARY, totals)]


def distribution_summary_2(v: View) -> list[Section]:
    title = "Certificateholder Distribution Summary (continued)"
    return [_grid(v, "distribution_summary_2", title, SUMMARY_2, list(SUMMARY_2))]


def principal_distribution(v: View) -> list[Section]:
    title = "Principal Distribution Statement"
    return [_grid(v, "principal_distribution", title, PRINCIPAL, list(PRINCIPAL))]


def principal_distribution_2(v: View) -> list[Section]:
    """The second principal table; its Totals row's percentage is of the total original face."""
    sums = ["total_principal_reduction", "ending_balance", "total_principal_distribution"]
    rows = _class_rows(v, PRINCIPAL_2)
    total = _totals(PRINCIPAL_2, sums, rows)
    face = sum((c.original_balance for c in v.r.spec.classes), ZERO)
    total.cells["ending_percentage"] = fig(
        money.ratio(amount(total.cells["ending_balance"]), face),
        "ending certificate percentage",
        "",
        "total ending balance / total original face",
    )
    title = "Principal Distribution Statement (continued)"
    return [Section("principal_distribution_2", title, dict(PRINCIPAL_2), (*rows, total))]


def principal_factors(v: View) -> list[Section]:
    rows = _factor_rows(v, PRINCIPAL_FACTORS, keep=("original_face",))
    title = "Principal Distribution Factors Statement"
    return [Section("principal_factors", title, dict(PRINCIPAL_FACTORS), rows)]


def principal_factors_2(v: View) -> list[Section]:
    rows = _factor_rows(v, PRINCIPAL_FACTORS_2, keep=("ending_percentage",))
    title = "Principal Distribution Factors Statement (continued)"
    return [Section("principal_factors_2", title, dict(PRINCIPAL_FACTORS_2), rows)]


def interest_distribution(v: View) -> list[Section]:
    sums = ["original_face", "accrued_interest", "unpaid_interest_paid", "current_shortfall"]
    title = "Interest Distribution Statement"
    return [_grid(v, "interest_distribution", title, INTEREST, sums)]


def interest_distribution_2(v: View) -> list[Section]:
    sums = ["non_supported_shortfall", "realized_losses", "total_interest", "remaining_unpaid"]
    title = "Interest Distribution Statement (continued)"
    return [_grid(v, "interest_distribution_2", title, INTEREST_2, sums)]


def interest_factors(v: View) -> list[Section]:
    rows = _factor_rows(v, INTEREST, keep=("original_face", "rate"))
    title = "Interest Distribution Factors Statement"
    return [Section("interest_factors", title, dict(INTEREST), rows)]


def interest_factors_2(v: View) -> list[Section]:
    rows = _factor_rows(v, INTEREST_2, keep=())
    title = "Interest Distribution Factors Statement (continued)"
    return [Section("interest_factors_2", title, dict(INTEREST_2), rows)]


def _class_rows(v: View, cols: dict[str, str]) -> list[Row]:
    return [Row(c.name, c.name, {k: v.classes[c.name][k] for k in cols}) for c in v.r.spec.classes]


def _totals(cols: dict[str, str], sums: Sequence[str], rows: list[Row]) -> Row:
    """The Totals row: the sum of the classes in the columns ``sums``, blank elsewhere."""
    cells = {
        k: fig(
            sum((amount(rw.cells[k]) for rw in rows), ZERO), f"total {k}", "", "sum of the classes"
        )
        for k in cols
        if k in sums
    }
    return Row("totals", "Totals", cells)


def _grid(v: View, key: str, title: str, cols: dict[str, str], sums: Sequence[str]) -> Section:
    """A class table with a Totals row."""
    rows = _class_rows(v, cols)
    return Section(key, title, dict(cols), (*rows, _totals(cols, sums, rows)))


def _factor_rows(v: View, cols: dict[str, str], keep: Sequence[str]) -> tuple[Row, ...]:
    """Each class's amounts per unit of original face; the columns in ``keep`` as they are."""
    rows = []
    for c in v.r.spec.classes:
        cells = {}
        for k in cols:
            src = v.classes[c.name][k]
            if k in keep:
                cells[k] = src
                continue
            a = amount(src)
            cells[k] = Cell(
                money.factor(a, c.original_balance, c.denomination),
                Trace(
                    "factor",
                    "amount / original face x denomination, 8 decimals half-up",
                    f"{a} / {c.original_balance} x {c.denomination}",
                    src.trace.postings if src.trace else (),
                ),
            )
        rows.append(Row(c.name, c.name, cells))
    return tuple(rows)
