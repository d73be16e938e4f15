"""Loan-level collateral for a projection, from a loan tape (``remit.collateral`` readers).

Each loan keeps its own terms: rate, the servicer's fees (reported loan by loan on the tape,
or computed at the deal's rate; the net rate is the note rate less them; the trust's fees are
left to the deal waterfall), installments left, age, interest-only installments left, and,
for ARMs, index, margin, reset dates, caps, floor, ceiling and rounding. The base index path
of each index is its latest fixing on or before the first projected month, held flat; a
scenario replaces or shocks it."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from remit.collateral.formats import RATE_SCALE
from remit.collateral.tape import (
    LoanTape,
    month_of,
    month_start_day,
    read_fixings,
    read_loans,
)
from remit.errors import RemitError
from remit.project.collateral import Collateral
from remit.spec.models import DealSpec


def _servicer_fees(spec: DealSpec, tape: LoanTape) -> np.ndarray:
    """Each loan's servicer fee rates (reported loan by loan, or computed at their rate): they
    come off the note rate. The trust's fees are the deal waterfall's business."""
    fee = np.zeros(tape.n)
    for f in spec.fees:
        if f.level != "servicer":
            continue
        if f.name in tape.fee_rates:
            fee += tape.fee_rates[f.name] / float(RATE_SCALE)
        elif f.rate is not None:
            fee += float(f.rate)
    return fee


def from_tape(spec: DealSpec, tape_dir: Path) -> Collateral:
    """The tape's loans as of its cut-off, projected from the deal's first distribution date
    (month 1 = the installment due in that month)."""
    tape = read_loans(spec, tape_dir)
    fixings = read_fixings(tape_dir)
    due0 = month_of(spec.dates.first_distribution)
    live = tape.balance > 0
    if not live.any():
        raise RemitError.one(tape.file, "current_principal_balance", 0, "a loan with a balance")
    rows = np.flatnonzero(live)
    scale = float(RATE_SCALE)
    fee = _servicer_fees(spec, tape)
    first_payment = tape.first_payment_m.astype(np.int64)
    base = []
    for name in tape.index_names:
        v = fixings.latest(name, month_start_day(due0 - 1))
        if v is None:
            raise RemitError.one(fixings.file, "index_type", name, "a fixing before the cut-off")
        base.append(v / scale)
    arm = tape.arm.copy()
    # the rate of projected month m is the one for accrual month due0 + m - 2: a reset month
    # of accrual month first_change + k x frequency is projected month first_change - due0 + 2
    first_reset = tape.first_change_m.astype(np.int64) - due0 + 2
    every = tape.reset_frequency.astype(np.int64)
    # a first reset already past: the next one on the schedule, at the periodic cap
    behind = arm & (first_reset < 1)
    ahead = np.where(behind, -((first_reset - 1) // every), 0).astype(np.int64)
    first_reset = (first_reset + ahead * every).astype(np.int64)
    first_cap = np.where(behind, tape.periodic_cap, tape.initial_cap) / scale
    io_end = tape.io_end_m.astype(np.int64)
    return Collateral(
        name=Path(tape.file).parent.name or "tape",
        balance=tape.balance / 100.0,
        rate=tape.rate / scale,
        fee=fee,
        remaining=(tape.maturity_m.astype(np.int64) - due0 + 1).astype(np.float64),
        age=(due0 - first_payment).astype(np.float64),
        io=np.maximum(io_end - due0 + 1, 0).astype(np.float64),
        group=(tape.group if tape.group is not None else np.zeros(tape.n, np.int64)).astype(
            np.int64
        ),
        group_names=tuple(tape.group_names) or ("pool",),
        arm=arm,
        index_code=np.maximum(tape.index_code, 0).astype(np.int64),
        index_names=tuple(tape.index_names),
        index_base=tuple(base),
        margin=tape.margin / scale,
        first_reset=first_reset,
        reset_every=every,
        first_cap=first_cap,
        periodic_cap=tape.periodic_cap / scale,
        ceiling=tape.ceiling / scale,
        floor=tape.floor / scale,
        round_to=tape.round_factor / scale,
        round_mode=tape.round_mode.astype(np.int64),
    ).take(rows)
