"""Yields, prices and measures: pyxirr on the same dated cash flows, hand arithmetic, and
numerical derivatives."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest
import pyxirr

from remit.errors import RemitError
from remit.project import analytics as an
from remit.project.collateral import parse_pool
from remit.project.engine import project_collateral
from remit.project.pool import (
    breakeven_cdr,
    first_dollar_loss_cdr,
    pool_flows,
    pool_stream,
    price_yield_table,
)
from remit.project.scenario import parse_scenario

SF_POOL = "balance=100000000,wac=6.0,net=5.5,term=360,remaining=360,age=0"
TIMING = an.Timing(date(2026, 12, 15), 55)


def stream(text: str = "psa=150,sda=100,severity=35,lag=12") -> an.Stream:
    return pool_stream(project_collateral(parse_pool(SF_POOL), [parse_scenario(text)]), 0)


def test_payment_dates_and_times() -> None:
    # 55-day stated delay: the 25th of the next month; settlement on the 15th
    assert TIMING.payment_date(1) == date(2027, 1, 25)
    assert TIMING.payment_date(13) == date(2028, 1, 25)
    assert an.Timing(date(2026, 12, 15), 45).payment_date(1) == date(2027, 1, 15)
    assert an.Timing(date(2026, 12, 1), 75).payment_date(1) == date(2027, 2, 15)
    assert TIMING.times(2).tolist() == [40 / 30, 70 / 30]


@pytest.mark.parametrize("price", ["98-00", "100-00", "101-16+", "104-24"])
def test_mortgage_yield_against_pyxirr(price: str) -> None:
    s = stream()
    full = an.parse_price(price) + an.accrued(s, TIMING)
    y = an.yield_from_full_price(s, full, TIMING)
    dates = [TIMING.settle] + [TIMING.payment_date(k) for k in range(1, s.cash.size + 1)]
    amounts = [-full * s.face / 100.0, *s.cash.tolist()]
    r = pyxirr.xirr(dates, amounts, day_count=pyxirr.DayCount.THIRTY_U_360)
    # xirr compounds yearly over 30/360 years; the mortgage yield monthly over 30/360 months
    assert y == pytest.approx(12.0 * ((1.0 + r) ** (1.0 / 12.0) - 1.0), abs=1e-8)


def test_accrued_interest_by_hand() -> None:
    # 5.5% net coupon, settlement on the 15th: 14 days of 30/360 accrual
    assert an.accrued(stream(), TIMING) == pytest.approx(5.5 * 14 / 360, abs=1e-12)


def test_bond_equivalent_yield_by_hand() -> None:
    # a 12% mortgage yield is 2 x (1.01^6 - 1) = 12.304040...% bond-equivalent
    assert an.bey_from_mortgage(0.12) == pytest.approx(2 * (1.01**6 - 1), abs=1e-15)
    assert an.bey_from_mortgage(0.12) == pytest.approx(0.1230404, abs=1e-7)
    assert an.mortgage_from_bey(an.bey_from_mortgage(0.0731)) == pytest.approx(0.0731, abs=1e-14)


def test_price_and_yield_round_trip() -> None:
    s = stream()
    m = an.from_price(s, 101.515625, TIMING)
    back = an.from_yield(s, m.bey, TIMING)
    assert back.price == pytest.approx(101.515625, abs=1e-9)
    assert m.full_price == pytest.approx(m.price + m.accrued_interest, abs=1e-12)


def test_durations_and_convexity_are_derivatives() -> None:
    s = stream()
    y = 0.055
    m = an.measures(s, y, TIMING)
    h = 1e-5
    p0, up, down = (an.full_price(s, y + d, TIMING) for d in (0.0, h, -h))
    assert m.modified_duration == pytest.approx((down - up) / (2 * h * p0), rel=1e-7)
    assert m.convexity == pytest.approx((down + up - 2 * p0) / (h * h * p0), rel=1e-4)
    # for flows that do not depend on rates, effective duration is the modified duration
    eff, _conv = an.effective(lambda d: an.full_price(s, y + d, TIMING), 1e-4)
    assert eff == pytest.approx(m.modified_duration, rel=1e-6)


def test_average_life_from_settlement() -> None:
    s = an.Stream(np.array([50.0, 50.0]), np.array([0.5, 0.25]), np.zeros(2), 100.0)
    m = an.measures(s, 0.05, TIMING)
    # paid 40 and 70 days (30/360) after settlement
    assert m.average_life_years == pytest.approx((40 / 360 + 70 / 360) / 2, abs=1e-15)


@pytest.mark.parametrize(
    "text,value",
    [
        ("101-16+", 101 + 16.5 / 32),
        ("101-16", 101.5),
        ("101-163", 101 + (16 + 3 / 8) / 32),
        ("99-00", 99.0),
        ("99-4", 99.125),
        ("100.25", 100.25),
    ],
)
def test_prices_in_32nds(text: str, value: float) -> None:
    assert an.parse_price(text) == value


@pytest.mark.parametrize("text", ["101-32", "101-16x", "abc", "-5", "0", "101-168"])
def test_bad_prices(text: str) -> None:
    with pytest.raises(RemitError) as err:
        an.parse_price(text)
    assert err.value.problems[0].path == "--price"


def test_format_32nds() -> None:
    assert an.format_32nds(101.515625) == "101-16+"
    assert an.format_32nds(99.0) == "99-00"
    assert an.format_32nds(101 + (16 + 3 / 8) / 32) == "101-163"


def test_a_price_no_yield_reaches() -> None:
    with pytest.raises(RemitError) as err:
        an.from_price(stream(), 0.1, TIMING)
    assert "reaches" in err.value.problems[0].expected


def test_spread_to_flat_curve() -> None:
    assert an.spread_bp(0.0525, 4.5) == pytest.approx(75.0, abs=1e-9)


def test_first_dollar_loss_and_breakeven_cdr() -> None:
    c = parse_pool(SF_POOL)
    base = parse_scenario("psa=100,severity=40,lag=6")
    flows = pool_flows(c)
    assert first_dollar_loss_cdr(flows, base) < 1e-6  # a pool loses from the first default
    cdr = breakeven_cdr(flows, base, 100.0, TIMING, target_bey=0.0)
    s = flows(replace_cdr(base, cdr))
    m = an.from_price(s, 100.0, TIMING)
    assert m.bey == pytest.approx(0.0, abs=1e-9)
    # a higher CDR never raises the yield at a fixed price (severity above 0)
    ys = [an.from_price(flows(replace_cdr(base, x)), 100.0, TIMING).bey for x in (0, 0.02, 0.1)]
    assert ys[0] > ys[1] > ys[2]


def replace_cdr(base, cdr):  # type: ignore[no-untyped-def]
    from remit.project.pool import with_cdr

    return with_cdr(base, cdr)


def test_price_yield_table() -> None:
    f = project_collateral(
        parse_pool(SF_POOL), [parse_scenario("psa=100"), parse_scenario("psa=300")]
    )
    streams = [(sc.name, pool_stream(f, s)) for s, sc in enumerate(f.scenarios)]
    t = price_yield_table(streams, [99.0, 100.0, 101.515625], TIMING)
    assert list(t.index) == ["99-00", "100-00", "101-16+"]
    assert list(t.columns.get_level_values(0).unique()) == ["psa=100", "psa=300"]
    assert t[("psa=100", "yield")].is_monotonic_decreasing
    # faster prepayments: shorter life; above par, a lower yield
    assert t[("psa=300", "wal")].iloc[0] < t[("psa=100", "wal")].iloc[0]
    assert t[("psa=300", "yield")].iloc[2] < t[("psa=100", "yield")].iloc[2]
