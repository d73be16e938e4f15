"""Rules of the collateral engine, each with a hand-computed example."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from remit.api import Deal
from remit.collateral import collect
from remit.collateral.engine import State, buckets, reset_rates, schedule
from remit.collateral.formats import RATE_SCALE
from remit.collateral.tape import month_of, read_fixings, read_loans
from remit.spec.models import Delinquency

from .helpers import loan, run, write_tape

APR, MAY, JUN = date(2003, 4, 25), date(2003, 5, 27), date(2003, 6, 25)


def pct(units: int) -> Decimal:
    return Decimal(int(units)) / RATE_SCALE * 100


def test_five_one_hybrid_resets_with_initial_cap_periodic_cap_and_floor(
    example_deal: Deal, tmp_path: Path
) -> None:
    """5/1 hybrid, 4.00% initial, margin 2.25%, caps 2/2, floor 3.00%, ceiling 9.00%,
    rounded to the nearest 1/8%, index looked up 45 days before the change date.

    2008-03 (first reset): fixing of 2008-01-01 = 4.87% (the 2008-02-01 fixing is inside the
      look-back): 4.87 + 2.25 = 7.12 -> 7.125; initial cap 4.00 + 2 -> 6.00%.
    2009-03: fixing 0.50% -> 2.75; periodic cap 6.00 - 2 -> 4.00%.
    2010-03: fixing 0.10% -> 2.35 -> 2.375; within 4.00 -/+ 2; floor -> 3.00%.
    """
    arm = {
        "product_type": "hybrid_5_1",
        "current_interest_rate": "0.04",
        "first_payment_date": "2003-04-01",
        "index_type": "one_year_libor",
        "gross_margin": "0.0225",
        "first_rate_change_date": "2008-03-01",
        "rate_reset_frequency": 12,
        "initial_rate_cap": "0.02",
        "periodic_rate_cap": "0.02",
        "lifetime_rate_ceiling": "0.09",
        "lifetime_rate_floor": "0.03",
        "arm_round_flag": "N",
        "arm_round_factor": "0.00125",
        "index_lookback_days": 45,
    }
    fixings = [
        ("one_month_libor", "2003-04-01", "0.013"),
        ("one_year_libor", "2008-01-01", "0.0487"),
        ("one_year_libor", "2008-02-01", "0.0100"),
        ("one_year_libor", "2009-01-01", "0.0050"),
        ("one_year_libor", "2010-01-01", "0.0010"),
    ]
    root = write_tape(tmp_path, [loan("H1", **arm)], {}, fixings)
    spec = example_deal.spec
    tape = read_loans(spec, root)
    fx = read_fixings(root)

    def state(rate_pct: str) -> State:
        units = np.array([int(Decimal(rate_pct) * RATE_SCALE / 100)], dtype=np.int64)
        return State(tape.balance, units, tape.maturity_m, tape.arm)

    m = month_of
    assert pct(reset_rates(tape, state("4.00"), m(date(2008, 2, 1)), fx)[0]) == Decimal("4")
    assert pct(reset_rates(tape, state("4.00"), m(date(2008, 3, 1)), fx)[0]) == Decimal("6")
    assert pct(reset_rates(tape, state("6.00"), m(date(2008, 9, 1)), fx)[0]) == Decimal("6")
    assert pct(reset_rates(tape, state("6.00"), m(date(2009, 3, 1)), fx)[0]) == Decimal("4")
    assert pct(reset_rates(tape, state("4.00"), m(date(2010, 3, 1)), fx)[0]) == Decimal("3")
    # Without the caps the first reset would be 7.125% (rounded to 1/8).
    uncapped = State(tape.balance, np.array([7_000_000]), tape.maturity_m, tape.arm)
    assert pct(reset_rates(tape, uncapped, m(date(2008, 3, 1)), fx)[0]) == Decimal("7.125")
    # The payment due 2008-04-01 pays March's interest at the reset rate:
    # 100,000.00 x 6% / 12 = 500.00.
    s = schedule(tape, state("4.00"), m(date(2008, 4, 1)), fx)
    assert int(s.interest[0]) == 50000


def test_interest_only_loan_turns_amortizing(example_deal: Deal, tmp_path: Path) -> None:
    """300,000.00 at 6%, 360 months from 1993-05-01 with 120 months interest only (the last
    due 2003-04-01). April 2003: payment = interest = 300,000 x 0.5% = 1,500.00, principal 0.
    May 2003: 240 installments left; P = 300,000 x 0.005 / (1 - 1.005^-240) = 2,149.29,
    interest 1,500.00, principal 649.29."""
    io = loan(
        "IO1",
        original_loan_amount="300000.00",
        current_principal_balance="300000.00",
        first_payment_date="1993-05-01",
        original_interest_only_term=120,
    )
    act = {
        APR: [{"asset_number": "IO1", "next_due_date": "2003-04-01"}],
        MAY: [{"asset_number": "IO1", "next_due_date": "2003-05-01"}],
    }
    _, (apr, may) = run(example_deal.spec, write_tape(tmp_path, [io], act), [APR, MAY])
    assert (int(apr.sched.payment[0]), int(apr.scheduled_principal[0])) == (150000, 0)
    assert int(apr.ending[0]) == 30000000
    assert int(may.sched.remaining[0]) == 240
    assert int(may.sched.payment[0]) == 214929
    assert int(may.sched.interest[0]) == 150000
    assert int(may.scheduled_principal[0]) == 64929


def test_curtailment_then_reamortization(example_deal: Deal, tmp_path: Path) -> None:
    """100,000.00 at 6%, 360 months. April: P = 599.55, interest 500.00, principal 99.55, and
    a curtailment of 10,000.00 -> 89,900.45. May: re-amortized over the 359 installments
    left, P = 89,900.45 x 0.005 / (1 - 1.005^-359) = 539.54; interest 449.50 (449.50225),
    principal 90.04 -> 89,810.41. The maturity is unchanged; the payment falls."""
    act = {
        APR: [
            {"asset_number": "C1", "next_due_date": "2003-04-01", "curtailment_amount": "10000.00"}
        ],
        MAY: [{"asset_number": "C1", "next_due_date": "2003-05-01"}],
    }
    _, (apr, may) = run(example_deal.spec, write_tape(tmp_path, [loan("C1")], act), [APR, MAY])
    assert int(apr.sched.payment[0]) == 59955
    assert int(apr.scheduled_principal[0]) == 9955
    assert int(apr.curtailment[0]) == 1000000
    assert int(apr.ending[0]) == 8990045
    assert int(may.sched.payment[0]) == 53954
    assert int(may.sched.interest[0]) == 44950
    assert int(may.scheduled_principal[0]) == 9004
    assert int(may.ending[0]) == 8981041


def test_mid_month_payoff_interest_shortfall(example_deal: Deal, tmp_path: Path) -> None:
    """250,000.00 at 5.5% paid off on 2003-03-17 (prepayment period March, distribution
    2003-04-25). Month's interest 250,000 x 5.5% / 12 = 1,145.83; the borrower pays 16 days
    (1st to 16th): 250,000 x 5.5% x 16 / 360 = 611.11; shortfall 534.72. Compensating interest
    = min(534.72, the month's gross servicing fee 52.08 + 20.83 = 72.91) = 72.91 (the second
    loan, 100,000.00 at 6%, pays as scheduled). Scheduled principal of
    the April installment 1,419.47 - 1,145.83 = 273.64; the payoff is the rest, 249,726.36."""
    big = loan(
        "P1",
        original_loan_amount="250000.00",
        current_principal_balance="250000.00",
        current_interest_rate="0.055",
    )
    act = {
        APR: [
            {
                "asset_number": "P1",
                "zero_balance_code": 1,
                "zero_balance_effective_date": "2003-03-17",
                "payoff_amount": "250000.00",
                "prepayment_penalty_paid_amount": "1000.00",
            },
            {"asset_number": "K1", "next_due_date": "2003-04-01"},
        ]
    }
    root = write_tape(tmp_path, [big, loan("K1")], act)
    rem = collect(example_deal.spec, root, APR, None)
    assert rem.interest.prepayment_interest_shortfall == Decimal("534.72")
    assert rem.interest.compensating_interest == Decimal("72.91")
    assert rem.interest.scheduled_interest == Decimal("1645.83")  # 1,145.83 + 500.00
    assert rem.principal.payoffs_count == 1
    assert rem.principal.payoffs_amount == Decimal("249726.36")
    assert rem.principal.scheduled_principal == Decimal("373.19")  # 273.64 + 99.55
    assert rem.prepayment_penalties == Decimal("1000.00")
    assert rem.collateral.ending_count == 1
    assert rem.collateral.p_and_i_constant == Decimal("2019.02")  # 1,645.83 + 373.19
    # servicing 52.08 + 20.83; master servicing 250,000 x 0.0175% / 12 = 3.65 (3.6458) + 1.46
    assert rem.fees["servicing"] == Decimal("72.91")
    assert rem.fees["master_servicing"] == Decimal("5.11")


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("MBA", [("delinquent", "30"), ("delinquent", "60"), None]),
        ("OTS", [None, ("delinquent", "30"), None]),
    ],
)
def test_thirty_sixty_current_under_mba_and_ots(
    example_deal: Deal, tmp_path: Path, method: str, expected: list[tuple[str, str] | None]
) -> None:
    """A seasoned loan misses the 2003-03-01 installment (unpaid at 31 March), misses April's
    too (still due from March at 30 April), then pays everything in May (next due June 1).
    Installments unpaid: 1, 2, 0. MBA: 30, 60, current. OTS counts a loan delinquent only once
    an installment is unpaid past the next due date: current, 30, current."""
    d = loan("D1", first_payment_date="2000-01-01")
    act = {
        APR: [{"asset_number": "D1", "next_due_date": "2003-03-01"}],
        MAY: [{"asset_number": "D1", "next_due_date": "2003-03-01"}],
        JUN: [{"asset_number": "D1", "next_due_date": "2003-06-01"}],
    }
    root = write_tape(tmp_path, [d], act)
    _, months = run(example_deal.spec, root, [APR, MAY, JUN])
    assert [int(m.missed[0]) for m in months] == [1, 2, 0]
    assert [int(buckets(m.missed, method)[0]) for m in months] == [
        0 if e is None else {"30": 1, "60": 2}[e[1]] for e in expected
    ]
    spec = example_deal.spec.model_copy(
        update={"delinquency": Delinquency(method=method, basis="test")}  # type: ignore[arg-type]
    )
    for when, want in zip((APR, MAY, JUN), expected, strict=True):
        rem = collect(spec, root, when, None)
        cells = [(c.status, c.bucket, c.count) for c in rem.delinquency]
        assert cells == ([] if want is None else [(*want, 1)])
