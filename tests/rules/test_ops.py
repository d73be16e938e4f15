"""The vector ops round as the close does: ``Vector.cents`` against ``remit.money.cents``
(half up, away from zero, on the decimal a float stands for), including half cents that
arithmetic left a hair below the half (float noise)."""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from remit.money import cents
from remit.rules.ops import Exact, Vector


def expected(values: np.ndarray) -> list[Decimal]:
    # the decimal each float stands for: its shortest repr
    return [cents(Decimal(repr(float(v)))) for v in values]


def test_every_tenth_of_a_cent_and_half_cents_up_to_a_hundred_million() -> None:
    """Every amount with three decimals from -100.000 to 100.000, and 200,000 half cents
    up to 100 million: the half cents (x.xx5) go away from zero, as the close rounds them,
    although most of them are stored a hair below the half (1.005 is 1.00499999999999989...).
    (Beyond about 130 million a float's resolution, some millionths of a cent, no longer
    tells a half cent from the noise allowance: projections are floats, the close is not.)"""
    rng = np.random.default_rng(1998)
    large = rng.integers(-(10**11), 10**11, 200_000)
    large = large - large % 10 + 5  # half cents, the hard case
    values = np.concatenate([np.arange(-100_000, 100_001), large]) / 1000
    got = Vector(values.size).cents(values)
    want = np.array([float(d) for d in expected(values)])
    assert np.array_equal(got, want)


def test_amounts_made_by_arithmetic() -> None:
    """Balances x rates x days / 360, as the rules make them: the vector and the exact
    rounding agree on every one."""
    rng = np.random.default_rng(2003)
    balance = np.round(rng.uniform(0, 2e9, 20_000), 2)
    rate = np.round(rng.uniform(0, 0.12, 20_000), 6)
    days = rng.integers(28, 32, 20_000)
    v = Vector(balance.size)
    got = v.cents(balance * rate * days / 360)
    e = Exact()
    want = [
        float(e.cents(Decimal(repr(float(b))) * Decimal(repr(float(r))) * d / 360))
        for b, r, d in zip(balance, rate, days, strict=True)
    ]
    assert np.count_nonzero(got != np.array(want)) == 0


def test_same_conditions() -> None:
    """``same``: whether two conditions agree in every scenario (one differing scenario of
    a thousand is enough to differ)."""
    assert Exact().same(True, True) and not Exact().same(True, False)
    v = Vector(1000)
    a = np.zeros(1000, dtype=np.bool_)
    b = a.copy()
    assert v.same(a, b) and v.same(v.flag(False), a)
    b[999] = True
    assert not v.same(a, b) and not v.same(v.flag(True), b)
