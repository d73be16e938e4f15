"""ARM rep lines: a pool or a ``[[line]]`` that names an index resets its rate from the
index path (margin, rounding, first and periodic caps, floor and ceiling), by hand; the
file's and the deal's index levels; every bad term reported."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from remit.errors import RemitError
from remit.project.collateral import load_lines, parse_pool
from remit.project.deal.start import deal_start
from remit.project.engine import project_collateral
from remit.project.scenario import parse_scenario

DEAL = Path(__file__).resolve().parents[2] / "examples" / "thornburg-2003-2"

ARM = (
    "balance=1000000,wac=5,net=5,term=360,remaining=360,age=0,index=one_year_libor,"
    "index_level=1.35,margin=2.25,first_reset=3,reset_every=12,first_cap=2,periodic_cap=1,"
    "ceiling=7.5,floor=2.25,round_to=0.125"
)


def payment(balance: float, annual: float, n: int) -> float:
    r = annual / 12
    return balance * r / (1 - (1 + r) ** -n)


def schedule_by_hand(rates: dict[int, float], months: int) -> tuple[list[float], list[float]]:
    """Interest and scheduled principal of $1,000,000 over 360 months, no prepayment: the
    payment recomputed on the balance and the installments left whenever the rate changes."""
    bal, rate, pay = 1_000_000.0, 0.0, 0.0
    interest, principal = [], []
    for m in range(1, months + 1):
        if m in rates:
            rate = rates[m]
            pay = payment(bal, rate, 360 - m + 1)
        i = bal * rate / 12
        interest.append(i)
        principal.append(pay - i)
        bal -= pay - i
    return interest, principal


def test_resets_by_hand() -> None:
    """Index 1.35% + margin 2.25% = 3.60%, rounded to the nearest 1/8: 3.625% from month 3
    (within the first cap of 2 points from 5%). Shocked +5 points: 8.625%, held to 7% by the
    first cap in month 3, then to 8% by the periodic cap in month 15 and to the 7.5%
    ceiling."""
    c = parse_pool(ARM)
    assert c.has_arms() and c.index_names == ("one_year_libor",)
    assert c.index_base == pytest.approx((0.0135,))
    f = project_collateral(c, [parse_scenario("cpr=0"), parse_scenario("cpr=0,shock=500")])
    base, _ = schedule_by_hand({1: 0.05, 3: 0.03625}, 30)
    shocked, shocked_principal = schedule_by_hand({1: 0.05, 3: 0.07, 15: 0.075}, 30)
    got = f.total("gross_interest")[:, :30]
    assert np.allclose(got[0], base, rtol=1e-12, atol=1e-7)
    assert np.allclose(got[1], shocked, rtol=1e-12, atol=1e-7)
    assert np.allclose(
        f.total("scheduled_principal")[1, :30], shocked_principal, rtol=1e-12, atol=1e-7
    )
    # month 3's interest at 3.625% on the balance after two payments at 5%
    b2 = 1_000_000.0
    for _ in range(2):
        b2 -= payment(1_000_000.0, 0.05, 360) - b2 * 0.05 / 12
    assert got[0, 2] == pytest.approx(b2 * 0.03625 / 12, rel=1e-12)


def test_rounding_up_down_and_the_floor() -> None:
    """3.60% rounded up to 3.625%, down to 3.5%; an index of -1% gives 1.25%, held at the
    2.25% floor (the first cap of 2 points would allow 3%: the cap binds first)."""
    up = parse_pool(ARM + ",round=up")
    down = parse_pool(ARM + ",round=down")
    scs = [parse_scenario("cpr=0")]
    for c, rate in ((up, 0.03625), (down, 0.035)):
        f = project_collateral(c, scs)
        interest, _ = schedule_by_hand({1: 0.05, 3: rate}, 3)
        assert f.total("gross_interest")[0, 2] == pytest.approx(interest[2], rel=1e-12)
    low = parse_pool(ARM.replace("first_cap=2", "first_cap=5"))
    f = project_collateral(low, [parse_scenario("cpr=0,shock=-235")])
    interest, _ = schedule_by_hand({1: 0.05, 3: 0.0225}, 3)
    assert f.total("gross_interest")[0, 2] == pytest.approx(interest[2], rel=1e-12)


def test_a_fixed_line_beside_an_arm_line_is_not_reset(tmp_path: Path) -> None:
    f = tmp_path / "lines.toml"
    f.write_text(
        "[indices]\nsix_month_libor = 1.25\n\n"
        "[[line]]\nbalance = 1000000\nwac = 5\nnet = 5\nterm = 360\n\n"
        '[[line]]\nbalance = 1000000\nwac = 5\nnet = 5\nterm = 360\nindex = "six_month_libor"\n'
        "margin = 2.25\nfirst_reset = 3\nreset_every = 6\n"
    )
    c = load_lines(f)
    assert c.arm.tolist() == [False, True] and c.index_base == pytest.approx((0.0125,))
    flows = project_collateral(c, [parse_scenario("cpr=0")])
    fixed_part, _ = schedule_by_hand({1: 0.05}, 10)
    arm_part, _ = schedule_by_hand({1: 0.05, 3: 0.035}, 10)  # 1.25 + 2.25, no cap, no rounding
    both = np.add(fixed_part, arm_part)
    assert np.allclose(flows.total("gross_interest")[0, :10], both, rtol=1e-12)


def test_a_deal_supplies_the_level_of_an_index_the_lines_do_not(tmp_path: Path) -> None:
    """The example deal's rep lines name one-year LIBOR without a level: the deal's
    collateral.index_levels gives 1.35% (its remittances fix one-month LIBOR only)."""
    f = tmp_path / "lines.toml"
    f.write_text(
        "[[line]]\nbalance = 500000000\nwac = 4.75\nnet = 4.4\nterm = 360\nremaining = 334\n"
        'index = "one_year_libor"\nmargin = 2.25\nfirst_reset = 32\nreset_every = 12\n'
        "first_cap = 5\nperiodic_cap = 2\nceiling = 9.75\n"
    )
    start = deal_start(DEAL, lines=f)
    assert start.collateral.index_names == ("one_year_libor",)
    assert start.collateral.index_base == pytest.approx((0.0135,))
    with pytest.raises(RemitError) as err:
        load_lines(f)  # alone, no deal: nothing gives the level
    assert [(p.path, p.value) for p in err.value.problems] == [("line[0].index", "one_year_libor")]


TERMS = ",index=x,index_level=1,margin=2,first_reset=1,reset_every=6"


@pytest.mark.parametrize(
    ("extra", "where"),
    [
        (",margin=2", "margin"),  # ARM terms without an index
        (TERMS.replace(",margin=2", ""), "margin"),
        (TERMS.replace(",first_reset=1", ""), "first_reset"),
        (TERMS.replace(",reset_every=6", ""), "reset_every"),
        (TERMS + ",round=half", "round"),
        (TERMS.replace("first_reset=1", "first_reset=400"), "first_reset"),
        (TERMS + ",ceiling=2,floor=3", "ceiling"),
        (TERMS + ",periodic_cap=-1", "periodic_cap"),
        (TERMS.replace(",index_level=1", ""), "index"),
        (TERMS + ",ceiling=4", "ceiling"),  # the line's rate, 5%, above its ceiling
        (TERMS + ",floor=6", "floor"),  # and below its floor
        (TERMS + ",round=up", "round"),  # rounding with no step to round to
        (TERMS.replace("index_level=1", "index_level=101"), "index_level"),
    ],
)
def test_bad_arm_terms_are_named(extra: str, where: str) -> None:
    with pytest.raises(RemitError) as err:
        parse_pool("balance=1000,wac=5,net=5,term=360" + extra)
    assert where in {p.path for p in err.value.problems}


def test_two_levels_for_one_index_are_refused(tmp_path: Path) -> None:
    f = tmp_path / "lines.toml"
    line = (
        '[[line]]\nbalance = 1000\nwac = 5\nnet = 5\nterm = 360\nindex = "x"\nmargin = 2\n'
        "first_reset = 1\nreset_every = 6\nindex_level = {}\n\n"
    )
    f.write_text(line.format(1) + line.format(2))
    with pytest.raises(RemitError) as err:
        load_lines(f)
    assert [p.path for p in err.value.problems] == ["line[1].index"]
    f.write_text('[indices]\nx = "high"\n\n' + line.format(1))
    with pytest.raises(RemitError) as err:
        load_lines(f)
    assert [p.path for p in err.value.problems] == ["indices.x"]


def test_every_problem_of_a_line_at_once_and_round_in_any_case() -> None:
    """A line missing its reset terms and its index's level is told both at once; ``UP``
    is ``up``."""
    with pytest.raises(RemitError) as err:
        parse_pool("balance=1000,wac=5,net=5,term=360,index=libor,margin=2")
    assert {p.path for p in err.value.problems} == {"first_reset", "reset_every", "index"}
    c = parse_pool(ARM + ",round=UP")
    assert c.round_mode.tolist() == [1]


def test_a_line_may_not_contradict_the_deals_own_fixing(tmp_path: Path) -> None:
    """The example deal's classes accrue on one-month LIBOR as its remittance fixes it
    (1.3%): rep lines on that index take that level, and a file or a line giving another is
    refused (a scenario moves the bonds' index and the loans' alike)."""
    f = tmp_path / "lines.toml"
    line = (
        "[[line]]\nbalance = 500000000\nwac = 4.75\nnet = 4.4\nterm = 360\nremaining = 334\n"
        'index = "one_month_libor"\nmargin = 2.25\nfirst_reset = 1\nreset_every = 1\n'
    )
    f.write_text(line)
    start = deal_start(DEAL, lines=f)
    assert start.collateral.index_base == pytest.approx((start.index_base["one_month_libor"],))
    f.write_text("[indices]\none_month_libor = 5\n\n" + line)
    with pytest.raises(RemitError) as err:
        deal_start(DEAL, lines=f)
    assert [p.path for p in err.value.problems] == ["indices.one_month_libor"]
    f.write_text(line + "index_level = 5\n")
    with pytest.raises(RemitError) as err:
        deal_start(DEAL, lines=f)
    assert [p.path for p in err.value.problems] == ["line[0].index"]
