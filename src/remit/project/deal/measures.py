"""A deal class's analytics (floats): its cash flows priced like a pool's
(:mod:`remit.project.analytics`: yield from price and price from yield, average life,
durations, convexity, spread), paid on the deal's projected distribution dates; the
first-dollar-loss and break-even CDR by root finding; the price/yield table.

Each deal projection runs every scenario at once, so the root finding is by multisection:
each round projects the deal once under ``POINTS`` constant CDRs across the bracket left and
keeps the sub-interval where the answer changes, until it is narrower than ``PRECISION``
(four or five projections instead of two dozen one at a time). The effective duration and
convexity re-project the class with every index path shifted up and down, in the same call
as the base scenario."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd

from remit.errors import REQUEST, RemitError
from remit.project import analytics as an
from remit.project.deal.projection import DealProjection, project_deal
from remit.project.deal.start import Start
from remit.project.pool import price_yield_table, with_cdr
from remit.project.scenario import Scenario

POINTS = 64
PRECISION = 1e-7  # CDR, as a fraction
SHIFT = 0.0025  # effective duration and convexity: +-25 bp

Streams = Callable[[Sequence[Scenario]], list[an.Stream]]


def check_class(start: Start, name: str) -> None:
    """``name`` is a class of the deal with something to price (a balance or a notional
    amount at the start)."""
    spec = start.spec
    names = [c.name for c in spec.classes]
    if name not in names:
        raise RemitError.one(
            REQUEST, "class", name, f"a class of {start.deal_id}: {', '.join(names)}"
        )
    c = spec.cls(name)
    if c.notional is None and start.state.classes[name].balance <= 0:
        raise RemitError.one(
            REQUEST, "class", name, f"a class with a balance on {start.description} to price"
        )


def class_streams(start: Start, name: str) -> Streams:
    """``scenarios -> the class's streams``, one deal projection per call."""

    def run(scenarios: Sequence[Scenario]) -> list[an.Stream]:
        p = project_deal(start, scenarios)
        return [p.stream(name, s) for s in range(len(p.scenarios))]

    return run


def timing(p: DealProjection, settle: date | None) -> an.DatedTiming:
    """The class's payment dates from ``settle`` (default: the start's distribution date,
    or the closing date at the cut-off): on or after the start, before the first projected
    distribution date."""
    st = p.start
    begin = st.state.distribution_date or st.spec.dates.closing
    when = settle or begin
    if not p.dates:
        raise RemitError.one(REQUEST, "settle", when.isoformat(), "a projection with dates")
    if not begin <= when < p.dates[0]:
        raise RemitError.one(
            REQUEST,
            "settle",
            when.isoformat(),
            f"a settlement date from {begin} (the projection's start) to before "
            f"{p.dates[0]} (its first distribution date)",
        )
    return an.DatedTiming(when, 0, tuple(p.dates), begin)


def price_class(
    start: Start,
    name: str,
    scenario: Scenario,
    *,
    price: float | None,
    bey_pct: float | None,
    settle: date | None = None,
    curve_pct: float | None = None,
    breakeven: bool = False,
) -> dict[str, float | str]:
    """Every measure of the class at a price (per 100 of its balance, or of its notional
    amount) or a bond-equivalent yield (percent), under ``scenario``; the same keys as a
    pool's (:func:`remit.project.api.price_subject`)."""
    check_class(start, name)
    if bey_pct is not None and not -50 < bey_pct < 1000:
        raise RemitError.one(REQUEST, "yield", bey_pct, "a yield in percent, -50 to 1000")
    shifted = [replace(scenario, shock=scenario.shock + d) for d in (SHIFT, -SHIFT)]
    p = project_deal(start, [scenario, *shifted])
    t = timing(p, settle)
    stream = p.stream(name, 0)
    if price is not None:
        m = an.from_price(stream, price, t)
    else:
        m = an.from_yield(stream, (bey_pct or 0.0) / 100.0, t)
    out = m.as_dict()
    by_shift = {0.0: stream, SHIFT: p.stream(name, 1), -SHIFT: p.stream(name, 2)}
    out["effective_duration"], out["effective_convexity"] = an.effective(
        lambda h: an.full_price(by_shift[h], m.mortgage_yield + h, t), SHIFT
    )
    if curve_pct is not None:
        out["spread_bp"] = an.spread_bp(m.bey, curve_pct)
    if breakeven:
        streams = class_streams(start, name)
        out["first_dollar_loss_cdr_pct"] = 100.0 * first_dollar_loss_cdr(streams, scenario)
        out["breakeven_cdr_pct"] = 100.0 * breakeven_cdr(streams, scenario, m.price, t)
    return out


def _multisection(
    streams: Streams, base: Scenario, crossed: Callable[[an.Stream], bool]
) -> tuple[float, float] | None:
    """The narrowest bracket ``(lo, hi]`` of constant CDRs where ``crossed`` turns from
    False to True (first crossing from 0); None when it never turns in 0..100%."""
    grid = np.linspace(0.0, 1.0, POINTS + 1)
    flags = [crossed(s) for s in streams([with_cdr(base, float(x)) for x in grid])]
    if flags[0]:
        return (0.0, 0.0)
    if not any(flags):
        return None
    k = flags.index(True)
    lo, hi = float(grid[k - 1]), float(grid[k])
    while hi - lo > PRECISION:
        inner = np.linspace(lo, hi, POINTS + 1)[1:-1]
        flags = [crossed(s) for s in streams([with_cdr(base, float(x)) for x in inner])]
        if True in flags:
            k = flags.index(True)
            hi = float(inner[k])
            lo = float(inner[k - 1]) if k > 0 else lo
        else:
            lo = float(inner[-1])
    return lo, hi


def first_dollar_loss_cdr(streams: Streams, base: Scenario, tol: float = 0.005) -> float:
    """The smallest constant CDR (a fraction, to ``PRECISION``) at which the class is
    written down by more than ``tol``."""
    found = _multisection(streams, base, lambda s: float(s.loss.sum()) > tol)
    if found is None:
        raise RemitError.one(REQUEST, "cdr", "0 to 100", "a CDR at which the class loses")
    return found[1]


def breakeven_cdr(
    streams: Streams, base: Scenario, price: float, timing_: an.Timing, target_bey: float = 0.0
) -> float:
    """The smallest constant CDR (a fraction) at which the class bought at ``price`` yields
    no more than ``target_bey`` (bond-equivalent)."""

    def below(s: an.Stream) -> bool:
        full = price + an.accrued(s, timing_)
        if not np.any(s.cash > 0) or an.full_price(s, an.MIN_YIELD, timing_) < full:
            return True  # below any yield solved for
        if an.full_price(s, an.MAX_YIELD, timing_) > full:
            return False
        y = an.yield_from_full_price(s, full, timing_)
        return an.bey_from_mortgage(y) <= target_bey

    found = _multisection(streams, base, below)
    if found is None:
        raise RemitError.one(
            REQUEST, "cdr", "0 to 100", f"a CDR at which the yield falls to {target_bey:.2%}"
        )
    return found[1]


def class_table(
    start: Start,
    name: str,
    scenarios: Sequence[Scenario],
    prices: Sequence[float],
    settle: date | None = None,
) -> pd.DataFrame:
    """The class's price/yield table: prices down, scenarios across, the bond-equivalent
    yield (%) and the average life (years) in each cell (one projection for all)."""
    check_class(start, name)
    p = project_deal(start, scenarios)
    t = timing(p, settle)
    streams = [(sc.name, p.stream(name, s)) for s, sc in enumerate(p.scenarios)]
    return price_yield_table(streams, prices, t)
