"""Loan-level projection from a tape: every loan's own terms, the engine against the plain
loop, ARM resets from the index path."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import remit
from remit.project.engine import project_collateral
from remit.project.reference import project_reference
from remit.project.scenario import parse_scenario
from remit.project.tape import from_tape

from .conftest import EXAMPLE
from .helpers import conservation_gap


def test_tape_loans_and_terms(small_tape: Path) -> None:
    c = from_tape(remit.load_deal(EXAMPLE).spec, small_tape)
    assert c.n == 60
    assert c.has_arms()
    assert set(c.index_names) == {"one_year_libor", "six_month_libor"}
    assert (c.first_reset[c.arm] >= 1).all()
    assert (c.io > 0).any()
    assert (c.fee > 0).all() and (c.fee < c.rate).all()


def test_tape_engine_agrees_with_the_plain_loop(small_tape: Path) -> None:
    c = from_tape(remit.load_deal(EXAMPLE).spec, small_tape)
    scs = [
        parse_scenario("psa=150,sda=200,severity=40,lag=9"),
        parse_scenario("cpr=12,cdr=1.5,severity=30,lag=4,advancing=no,shock=250"),
        parse_scenario("psa=300,sda=100,index=6,lag=12,call=yes"),
    ]
    f = project_collateral(c, scs)
    for s, sc in enumerate(scs):
        ref = project_reference(c, sc, f.months)
        for k, v in ref.items():
            assert np.allclose(f.total(k)[s], v, rtol=1e-9, atol=1e-6), (sc.name, k)
        assert conservation_gap(f, s) < 1e-5


def test_higher_index_raises_arm_interest(small_tape: Path) -> None:
    c = from_tape(remit.load_deal(EXAMPLE).spec, small_tape)
    f = project_collateral(c, [parse_scenario("cpr=0"), parse_scenario("cpr=0,shock=300")])
    gi = f.total("gross_interest")
    assert gi[1, 120:].sum() > gi[0, 120:].sum()
    assert np.allclose(gi[0, :1], gi[1, :1])  # no reset before the first month's rate


def test_loan_groups_and_servicer_fees(tmp_path: Path) -> None:
    """A senior/subordinate deal: flows by its loan groups; the servicer's computed fee comes
    off the note rate, the trustee's (a trust fee) does not."""
    from remit.collateral import generate_tape

    deal = EXAMPLE.parent / "prime-senior-sub"
    spec = remit.load_deal(deal).spec
    generate_tape(spec, tmp_path, loans=40, months=1, seed=3)
    c = from_tape(spec, tmp_path)
    assert c.group_names == ("1", "2")
    assert np.allclose(c.fee, 0.0025)
    f = project_collateral(c, [parse_scenario("psa=200,sda=100,severity=30,lag=6")])
    by_group = f.values["prepayment"][0].sum(axis=1)
    assert (by_group > 0).all()
    assert np.allclose(f.values["fee_rate"][0, :, :12], 0.0025)
    assert conservation_gap(f, 0) < 1e-5


def test_scenarios_projected_together_are_each_scenario_alone(small_tape: Path) -> None:
    """The engine shares what scenarios share (an assumption's survival, an index path's
    schedule, the sums of both, a lag and advancing): projected together, each scenario gets
    what it gets alone."""
    c = from_tape(remit.load_deal(EXAMPLE).spec, small_tape)
    scs = [
        parse_scenario("psa=150,sda=200,severity=40,lag=9,shock=50"),
        parse_scenario("psa=150,sda=200,severity=40,lag=9,shock=50,advancing=no"),
        parse_scenario("cpr=12,cdr=1.5,lag=4,shock=-100"),
        parse_scenario("psa=150,sda=200,severity=20,lag=3,shock=50"),
        parse_scenario("psa=150,sda=200,severity=40,lag=0,shock=50,advancing=no"),
        parse_scenario("psa=300,sda=100,lag=0,call=yes"),
        parse_scenario("psa=150,sda=200,severity=40,lag=9"),
    ]
    together = project_collateral(c, scs)
    for s, sc in enumerate(scs):
        one = project_collateral(c, [sc])
        for k, v in one.values.items():
            got = together.values[k][s, :, : v.shape[2]]
            assert np.allclose(got, v, rtol=1e-12, atol=1e-7), (sc.name, k)
            assert not together.values[k][s, :, v.shape[2] :].any()
