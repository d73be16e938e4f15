"""From loans to closed distribution dates: generate the example deal's tape, collect each
month's remittance and close it with remit.close.close, three months running."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import numpy as np

from remit.api import Deal
from remit.close import close, initial_state
from remit.collateral import collect, generate_tape, remittance_to_toml
from remit.collateral.collect import deal_dates, roll
from remit.collateral.generate import Behaviour
from remit.collateral.tape import read_fixings, read_loans
from remit.remittance import load_remittance


def test_three_months_collected_and_closed(example_deal: Deal, tmp_path: Path) -> None:
    spec = example_deal.spec
    tape_dir = tmp_path / "tape"
    # a stressed month mix so that every kind of activity occurs
    beh = Behaviour(cdr=0.05, repurchase_rate=0.002, to_30=0.03, curtailment_rate=0.05)
    generate_tape(spec, tape_dir, months=3, seed=11, behaviour=beh)
    tape = read_loans(spec, tape_dir)
    fixings = read_fixings(tape_dir)
    state = initial_state(spec)
    when = deal_dates(spec, spec.dates.first_distribution.replace(month=6))
    assert len(when) == 3
    for k, d in enumerate(when):
        rem = collect(spec, tape_dir, d, state)
        month = roll(spec, tape, fixings, tape_dir, when[: k + 1])
        p = rem.principal
        # loan-level sums reconcile with the remittance to the cent
        assert rem.beginning_balance == state.pool_balance
        assert rem.beginning_count == state.loan_count
        ending = Decimal(int(month.ending.sum())) / 100
        assert state.pool_balance - rem.pool_reduction == ending
        assert rem.collateral.ending_count == int((month.ending > 0).sum())
        assert (
            sum(rem.collateral.product_balances.values())
            == ending - Decimal(int(month.ending[tape.deal_product < 0].sum())) / 100
        )
        assert (
            sum(c.balance for c in rem.delinquency)
            == Decimal(int(month.ending[(month.missed > 0) | (month.status > 0)].sum())) / 100
        )
        assert p.liquidations_count > 0 and p.payoffs_count > 0 and p.curtailments
        assert rem.interest.prepayment_interest_shortfall > 0
        # the TOML round-trips
        f = tmp_path / f"{d.isoformat()}.toml"
        f.write_text(remittance_to_toml(rem), encoding="utf-8")
        assert load_remittance(f) == rem
        result = close(spec, state, rem, source=str(f))
        state = result.state
        assert state.pool_balance == ending
        assert state.distribution_date == d
    assert state.cumulative_loss > 0
    assert np.all(month.ending >= 0)
