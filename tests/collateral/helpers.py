"""Small tapes written out by hand, for the rule tests."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

from remit.collateral.engine import Month, State, apply, initial_state, schedule
from remit.collateral.formats import Problems
from remit.collateral.tape import (
    LoanTape,
    activity_path,
    month_of,
    read_activity,
    read_fixings,
    read_loans,
)
from remit.spec.models import OCSpec

FEES = {
    "servicing_fee_rate": "0.0025",
    "external_master_servicing_fee_rate": "0",
    "master_servicing_fee_rate": "0.000175",
}


def loan(asset_number: str, **fields: Any) -> dict[str, Any]:
    """A fixed-rate 30-year loan; ``fields`` override any column."""
    row: dict[str, Any] = {
        "asset_number": asset_number,
        "product_type": "fixed",
        "original_loan_amount": "100000.00",
        "current_principal_balance": "100000.00",
        "current_interest_rate": "0.06",
        "original_loan_term": 360,
        "first_payment_date": "2003-04-01",
        **FEES,
    }
    row.update(fields)
    return row


def write_csv(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    names: list[str] = []
    for r in rows:
        names.extend(k for k in r if k not in names)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=names)
        w.writeheader()
        for r in rows:
            w.writerow({k: "" if r.get(k) is None else r.get(k) for k in names})
    return path


def write_tape(
    root: Path,
    loans: list[dict[str, Any]],
    activity: dict[date, list[dict[str, Any]]],
    fixings: list[tuple[str, str, str]] | None = None,
) -> Path:
    write_csv(root / "loans.csv", loans)
    fx = fixings or [("one_month_libor", "2003-04-01", "0.013")]
    write_csv(
        root / "indices.csv",
        [{"index_type": n, "fixing_date": d, "value": v} for n, d, v in fx],
    )
    for d, rows in activity.items():
        write_csv(root / "activity" / f"{d.isoformat()}.csv", rows)
    return root


def run(spec: OCSpec, root: Path, dates: list[date]) -> tuple[LoanTape, list[Month]]:
    """Every month's per-loan figures, from the cut-off."""
    tape = read_loans(spec, root)
    fixings = read_fixings(root)
    state: State = initial_state(tape)
    out = []
    for d in dates:
        act = read_activity(tape, state.balance, activity_path(root, d))
        s = schedule(tape, state, month_of(d), fixings)
        problems = Problems()
        m = apply(tape, state, s, act, problems)
        problems.raise_if_any()
        out.append(m)
        state = m.next_state
    return tape, out
