"""Exact integer arithmetic and the projection kernel."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from remit.collateral.engine import half_up_div, monthly_interest, round_rate
from remit.project.amortize import project, project_loop, project_recurrence


@given(st.lists(st.integers(0, 2**62), min_size=1, max_size=50), st.integers(10**6, 10**13))
def test_half_up_division_is_exact(nums: list[int], den: int) -> None:
    """Against Python's integers: q = floor(num / den + 1/2), for the engine's domain
    (num = cents x rate units below 2**62, den = 12 or 360 x 10**8, so quotients < 2**52)."""
    got = half_up_div(np.array(nums, dtype=np.int64), den)
    assert got.tolist() == [(2 * n + den) // (2 * den) for n in nums]


def test_monthly_interest_rounds_half_up() -> None:
    """100.00 at 6% = 0.50 exactly; 0.01 at 6% = 0.00005 -> 0.00; 1,000.10 at 6% -> 5.0005
    -> 5.00 (0.5 cent rounds up only at exactly half a cent: 0.10 at 6% -> 0.0005 -> 0.00 but
    0.17 x 6% / 12 = 0.00085 -> 0.00, 1.00 at 6% = 0.005 -> 0.01)."""
    bal = np.array([10_000, 1, 100_010, 17, 100], dtype=np.int64)
    rate = np.full(5, 6_000_000, dtype=np.int64)
    assert monthly_interest(bal, rate).tolist() == [50, 0, 500, 0, 1]


def test_rate_rounding_to_an_eighth() -> None:
    """7.12% to the nearest 1/8 is 7.125%; up 7.125%; down 7.000%; 7.0625% nearest -> 7.125%."""
    x = np.array([7_120_000, 7_120_000, 7_120_000, 7_062_500], dtype=np.int64)
    f = np.full(4, 125_000, dtype=np.int64)
    mode = np.array([0, 1, 2, 0], dtype=np.int32)
    assert round_rate(x, f, mode).tolist() == [7_125_000, 7_125_000, 7_000_000, 7_125_000]


def test_projection_kernel_matches_the_recurrence_and_the_loop() -> None:
    """The closed-form vector kernel, the per-loan Python loop and the textbook month-by-month
    recurrence (interest, level-payment principal, prepayment at SMM) agree, including loans
    maturing inside the horizon and a zero rate."""
    rng = np.random.default_rng(5)
    n = 40
    bal = rng.uniform(50_000, 900_000, n)
    rate = rng.uniform(0.02, 0.09, n)
    rate[0] = 0.0
    rem = rng.integers(1, 361, n)
    vec = project(bal, rate, rem, 0.12, 360, chunk=7, threads=2)
    loop = project_loop(bal.tolist(), rate.tolist(), rem.tolist(), 0.12, 360)
    rec = [
        project_recurrence(b, r, int(k), 0.12, 360) for b, r, k in zip(bal, rate, rem, strict=True)
    ]
    for field in ("interest", "scheduled", "prepaid", "balance"):
        want = sum(getattr(x, field) for x in rec)
        scale = float(np.max(np.abs(want)))
        assert np.max(np.abs(getattr(vec, field) - want)) < 1e-7 * scale, field
        assert np.max(np.abs(getattr(loop, field) - want)) < 1e-7 * scale, field
    assert abs(vec.balance[-1]) < 1e-6
    # money is conserved: what leaves is scheduled + prepaid principal
    assert abs(bal.sum() - vec.scheduled.sum() - vec.prepaid.sum()) < 1e-6 * bal.sum()


def test_decimal_reference_for_interest() -> None:
    """One month's interest on 437,512.34 at 4.540624%: 1,655.48 (1655.4796...)."""
    exact = Decimal("437512.34") * Decimal("0.04540624") / 12
    assert exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) == Decimal("1655.48")
    got = monthly_interest(np.array([43_751_234]), np.array([4_540_624]))
    assert int(got[0]) == 165548
