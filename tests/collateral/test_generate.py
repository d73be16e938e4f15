"""The synthetic tape reproduces the reference pool."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq

from remit.api import Deal
from remit.collateral import generate_tape
from remit.collateral.generate import exact_dot
from remit.collateral.tape import month_of, read_loans


def test_reference_tape_count_balance_wac_wam_and_mix(example_deal: Deal, tmp_path: Path) -> None:
    """2,446 loans; 1,060,891,769.67 to the cent; WAC = sum(B x r) / sum(B) = 4.540624% to six
    decimals of a percent; WAM = sum(B x installments left at the first due date) / sum(B)
    = 332; product balances within 0.5% of the pool of the reference's shares; servicing
    fee rate averaging 0.302% by balance, master servicing 0.0175% on every loan."""
    spec = example_deal.spec
    generate_tape(spec, tmp_path, months=0, seed=7)
    tape = read_loans(spec, tmp_path)
    assert tape.n == 2446
    total = int(tape.balance.sum())
    assert total == 106_089_176_967
    wac = (Decimal(exact_dot(tape.balance, tape.rate)) / total / 10**6).quantize(
        Decimal("0.000001"), rounding=ROUND_HALF_UP
    )
    assert wac == Decimal("4.540624")
    first_due = month_of(spec.dates.first_distribution)
    left = tape.maturity_m.astype(np.int64) - first_due + 1
    assert (2 * exact_dot(tape.balance, left) + total) // (2 * total) == 332
    shares = {
        "three_year_hybrid": 0.079833,
        "five_year_hybrid": 0.391964,
        "seven_ten_year_hybrid": 0.071229,
    }
    for i, key in enumerate(tape.product_keys):
        got = tape.balance[tape.deal_product == i].sum() / total
        assert abs(got - shares[key]) < 0.005, key
    svc = exact_dot(tape.balance, tape.fee_rates["servicing"]) / total / 10**6
    assert abs(svc - 0.302) < 0.001
    assert set(tape.fee_rates["master_servicing"].tolist()) == {17_500}
    assert 0 < (tape.fee_rates["external_master_servicing"] > 0).sum() < tape.n


def test_same_seed_same_tape_other_seed_other_tape(example_deal: Deal, tmp_path: Path) -> None:
    spec = example_deal.spec
    for name, seed in (("a", 1), ("b", 1), ("c", 2)):
        generate_tape(spec, tmp_path / name, loans=300, months=2, seed=seed)
    for f in ("loans.parquet", "indices.parquet", "activity/2003-05-27.parquet"):
        a, b, c = (pq.read_table(tmp_path / n / f) for n in "abc")
        assert a.equals(b)
        assert not a.equals(c)


def test_scales_to_other_loan_counts(example_deal: Deal, tmp_path: Path) -> None:
    """The balance scales with the count: 5,000 loans carry 5,000 / 2,446 of the reference."""
    spec = example_deal.spec
    generate_tape(spec, tmp_path, loans=5000, months=1, seed=3)
    tape = read_loans(spec, tmp_path)
    assert tape.n == 5000
    assert int(tape.balance.sum()) == round(106_089_176_967 * 5000 / 2446)
