"""Amortization against an independent implementation: numpy-financial's pmt/ipmt/ppmt."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import numpy_financial as npf

from remit.api import Deal
from remit.collateral.engine import apply, initial_state, schedule
from remit.collateral.formats import Problems
from remit.collateral.tape import no_activity, read_fixings, read_loans

from .helpers import loan, write_tape

LOANS = [
    # (balance, rate, term)
    ("100000.00", "0.06", 360),
    ("437512.34", "0.04540624", 360),
    ("1250000.00", "0.0725", 360),
    ("85000.55", "0.03125", 180),
    ("650000.00", "0.0", 240),
    ("333333.33", "0.09875", 120),
]


def reference_schedule(balance: str, rate: str, term: int) -> list[tuple[int, int]]:
    """(interest, principal) in cents for every installment, independently: interest by
    Decimal, the payment by numpy-financial's pmt on the balance left, rounded half-up to
    the cent and recomputed each month (the engine's re-amortizing convention)."""
    b = int(Decimal(balance) * 100)
    r = Decimal(rate)
    out = []
    for k in range(1, term + 1):
        left = term - k + 1
        interest = int((b * r / 12).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        if left == 1:
            principal = b
        else:
            p = Decimal(repr(float(npf.pmt(float(r) / 12, left, -b)))) if r else Decimal(b) / left
            principal = min(b, int(p.quantize(Decimal(1), rounding=ROUND_HALF_UP)) - interest)
        out.append((interest, principal))
        b -= principal
    return out


def test_full_schedules_agree_with_numpy_financial_to_the_cent(
    example_deal: Deal, tmp_path: Path
) -> None:
    """Every installment of every schedule equals, to the cent, the schedule built
    independently from numpy-financial's pmt (recomputed on the balance left, as the engine
    does); and stays within two cents of the textbook level-payment schedule's unrounded
    ipmt/ppmt(rate / 12, k, term, -balance) over the whole term; the first payment is pmt
    rounded to the cent, and the balance is paid off exactly at the last installment."""
    rows = [
        loan(
            f"A{i}",
            original_loan_amount=b,
            current_principal_balance=b,
            current_interest_rate=r,
            original_loan_term=t,
        )
        for i, (b, r, t) in enumerate(LOANS)
    ]
    root = write_tape(tmp_path, rows, {})
    spec = example_deal.spec
    tape = read_loans(spec, root)
    fx = read_fixings(root)
    state = initial_state(tape)
    first = int(tape.first_payment_m[0])
    pv = np.array([float(b) for b, _, _ in LOANS])
    rate = np.array([float(r) for _, r, _ in LOANS]) / 12
    term = np.array([t for _, _, t in LOANS])
    pmt = -npf.pmt(rate, term, pv)
    s = schedule(tape, state, first, fx)
    assert np.array_equal(s.payment, np.floor(pmt * 100 + 0.5).astype(np.int64))
    refs = [reference_schedule(*x) for x in LOANS]
    worst = 0.0
    for k in range(1, 361):
        s = schedule(tape, state, first + k - 1, fx)
        m = apply(tape, state, s, no_activity(tape.n, first + k - 1), Problems())
        live = k <= term
        for i in np.flatnonzero(live):
            got = (int(m.sched.interest[i]), int(m.scheduled_principal[i]))
            assert got == refs[i][k - 1], (LOANS[i], k)
        with np.errstate(all="ignore"):
            ip = np.where(rate > 0, -npf.ipmt(rate, k, term, pv), 0.0)
            pp = -npf.ppmt(rate, k, term, pv)
        worst = max(
            worst,
            float(np.max(np.abs(m.sched.interest[live] / 100 - ip[live]))),
            float(np.max(np.abs(m.scheduled_principal[live] / 100 - pp[live]))),
        )
        assert np.all(m.ending[~live] == 0)
        state = m.next_state
    assert np.all(state.balance == 0)
    assert worst <= 0.02
