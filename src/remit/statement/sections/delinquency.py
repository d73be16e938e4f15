"""The delinquency tables: counts and balances by status and bucket as the servicer reports
them, and the same as percentages of the ending loan count and actual balance."""

from __future__ import annotations

from decimal import Decimal

from remit import money
from remit.money import ZERO
from remit.remittance import BUCKETS, STATUSES, Remittance
from remit.statement.cells import fig
from remit.statement.model import Cell, Row, Section
from remit.statement.view import View

BUCKET_LABELS = {
    "0-29": "0-29 Days",
    "30": "30 Days",
    "60": "60 Days",
    "90": "90 Days",
    "120": "120 Days",
    "150": "150 Days",
    "180+": "180+ Days",
}
COLUMNS = {
    f"{s}_{k}": f"{s.title()} {k}" for s in (*STATUSES, "total") for k in ("count", "balance")
}

# A row of the table: its key, its label, counts and balances by status, and whether the
# delinquent columns are blank (the current bucket is not delinquent).
_Line = tuple[str, str, dict[str, int], dict[str, Decimal], bool]


def delinquency(v: View) -> list[Section]:
    basis = v.r.spec.delinquency.basis
    rows = []
    for key, label, counts, balances, blank in _lines(v.r.remittance):
        cells: dict[str, Cell] = {}
        for s, cnt, bal in _by_status(counts, balances, blank):
            cells[f"{s}_count"] = fig(cnt, "delinquency stratification", basis)
            cells[f"{s}_balance"] = fig(bal, "delinquency stratification", basis)
        rows.append(Row(key, label, cells))
    return [Section("delinquency", "Delinquency Status", dict(COLUMNS), tuple(rows))]


def delinquency_pct(v: View) -> list[Section]:
    col = v.r.remittance.collateral
    end_count, end_actual = col.ending_count, col.ending_actual_balance
    rows = []
    for key, label, counts, balances, blank in _lines(v.r.remittance):
        cells: dict[str, Cell] = {}
        for s, cnt, bal in _by_status(counts, balances, blank):
            cells[f"{s}_count"] = fig(
                money.percent(Decimal(cnt), Decimal(end_count)),
                "delinquency percentage",
                "by count over the ending loan count",
                f"{cnt} / {end_count}",
            )
            cells[f"{s}_balance"] = fig(
                money.percent(bal, end_actual),
                "delinquency percentage",
                "by balance over the ending actual balance",
                f"{bal} / {end_actual}",
            )
        rows.append(Row(key, label, cells))
    title = "Delinquency Status (percentages)"
    return [Section("delinquency_pct", title, dict(COLUMNS), tuple(rows))]


def _lines(rem: Remittance) -> list[_Line]:
    """A line per bucket, then the Totals line."""
    lines: list[_Line] = []
    tot_c = dict.fromkeys(STATUSES, 0)
    tot_b = dict.fromkeys(STATUSES, ZERO)
    for b in BUCKETS:
        counts = {s: rem.delinquency_cell(s, b)[0] for s in STATUSES}
        balances = {s: rem.delinquency_cell(s, b)[1] for s in STATUSES}
        for s in STATUSES:
            tot_c[s] += counts[s]
            tot_b[s] += balances[s]
        lines.append((b, BUCKET_LABELS[b], counts, balances, b == "0-29"))
    lines.append(("totals", "Totals", tot_c, tot_b, False))
    return lines


def _by_status(
    counts: dict[str, int], balances: dict[str, Decimal], blank_delinquent: bool
) -> list[tuple[str, int, Decimal]]:
    """(status, count, balance) for each status printed on the line, then the line's total."""
    out = []
    for s in (*STATUSES, "total"):
        if s == "delinquent" and blank_delinquent:
            continue
        cnt = sum(counts.values()) if s == "total" else counts[s]
        bal = sum(balances.values(), ZERO) if s == "total" else balances[s]
        out.append((s, cnt, bal))
    return out
