"""Projections from Python (notebooks), returning DataFrames of floats::

from remit.project import api
flows = api.project_pool("balance=100000000,wac=6.0,net=5.5,term=360,remaining=360,age=0",
                         ["psa=100,sda=100,severity=35,lag=12", "psa=300"])
api.price_pool("balance=...", "psa=100", price="101-16+", settle="2026-12-15", delay=55)
api.price_yield_table("balance=...", ["psa=100", "psa=300"], ["99-00", "101-16+"],
                      settle="2026-12-15")
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

import pandas as pd

from remit.errors import RemitError
from remit.project import analytics as an
from remit.project.collateral import Collateral, parse_pool
from remit.project.engine import CollateralFlows, project_collateral
from remit.project.outputs import long_frame, pool_table
from remit.project.pool import (
    Flows,
    breakeven_cdr,
    first_dollar_loss_cdr,
    pool_stream,
    summary,
)
from remit.project.pool import price_yield_table as _table
from remit.project.scenario import Scenario, parse_scenario
from remit.project.subjects import Subject

PoolLike = str | Collateral
ScenarioLike = str | Scenario


def _pool(p: PoolLike) -> Collateral:
    return parse_pool(p) if isinstance(p, str) else p


def _scenarios(s: ScenarioLike | Sequence[ScenarioLike]) -> list[Scenario]:
    items = [s] if isinstance(s, str | Scenario) else list(s)
    return [parse_scenario(x) if isinstance(x, str) else x for x in items]


def project(pool: PoolLike, scenarios: ScenarioLike | Sequence[ScenarioLike]) -> CollateralFlows:
    """The projection itself (arrays by scenario, loan group and month)."""
    return project_collateral(_pool(pool), _scenarios(scenarios))


def project_pool(
    pool: PoolLike, scenarios: ScenarioLike | Sequence[ScenarioLike], *, every_field: bool = False
) -> pd.DataFrame:
    """The rows of ``pool.csv`` (with ``every_field``: of ``flows.csv``)."""
    flows = project(pool, scenarios)
    return long_frame(flows) if every_field else pool_table(flows)


def summaries(pool: PoolLike, scenarios: ScenarioLike | Sequence[ScenarioLike]) -> pd.DataFrame:
    flows = project(pool, scenarios)
    return pd.DataFrame([summary(flows, s) for s in range(len(flows.scenarios))])


def _settle(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise RemitError.one("(command line)", "--settle", text, "a date YYYY-MM-DD") from None


def timing(settle: str | date, delay: int) -> an.Timing:
    d = settle if isinstance(settle, date) else _settle(settle)
    if not 1 <= delay <= 360:
        raise RemitError.one("(command line)", "--delay", delay, "a stated delay of 1 to 360 days")
    return an.Timing(d, delay)


def price_subject(
    subject: Subject,
    scenario: Scenario,
    price: str | float | None,
    bey_pct: float | None,
    settle: str | date,
    delay: int = 55,
    curve_pct: float | None = None,
    breakeven: bool = False,
) -> dict[str, float | str]:
    """Every measure of the subject's cash flows (pool total) at a price or a yield; with
    ``breakeven``, the first-dollar-loss CDR and the CDR at which the yield at that price
    falls to 0 (percent)."""
    timing_ = timing(settle, delay)
    p = an.parse_price(price) if isinstance(price, str) else price
    if bey_pct is not None and not -50 < bey_pct < 1000:
        raise RemitError.one(
            "(command line)", "--yield", bey_pct, "a yield in percent, -50 to 1000"
        )
    stream = pool_stream(subject.project([scenario]), 0)
    if p is not None:
        m = an.from_price(stream, p, timing_)
    else:
        m = an.from_yield(stream, (bey_pct or 0.0) / 100.0, timing_)
    out = m.as_dict()

    def full_at(shift: float) -> float:
        shocked = replace(scenario, shock=scenario.shock + shift)
        s = pool_stream(subject.project([shocked]), 0)
        return an.full_price(s, m.mortgage_yield + shift, timing_)

    out["effective_duration"], out["effective_convexity"] = an.effective(full_at)
    if curve_pct is not None:
        out["spread_bp"] = an.spread_bp(m.bey, curve_pct)
    if breakeven:
        flows = subject_flows(subject)
        out["first_dollar_loss_cdr_pct"] = 100.0 * first_dollar_loss_cdr(flows, scenario)
        out["breakeven_cdr_pct"] = 100.0 * breakeven_cdr(flows, scenario, m.price, timing_)
    return out


def subject_flows(subject: Subject) -> Flows:
    """``Scenario -> Stream`` for a subject (the pool total)."""

    def run(sc: Scenario) -> an.Stream:
        return pool_stream(subject.project([sc]), 0)

    return run


def subject_table(
    subject: Subject, scenarios: Sequence[Scenario], prices: Sequence[float], t: an.Timing
) -> pd.DataFrame:
    """The price/yield table of a subject's pool cash flows."""
    flows = subject.project(scenarios)
    streams = [(sc.name, pool_stream(flows, s)) for s, sc in enumerate(flows.scenarios)]
    return _table(streams, prices, t)


def price_pool(
    pool: PoolLike,
    scenario: ScenarioLike,
    *,
    price: str | float | None = None,
    bey_pct: float | None = None,
    settle: str | date,
    delay: int = 55,
    curve_pct: float | None = None,
) -> dict[str, float | str]:
    """``remit price --pool`` from Python."""
    from remit.project.subjects import PoolSubject

    c = _pool(pool)

    class _Given(PoolSubject):
        def load(self) -> Collateral:
            return c

    if (price is None) == (bey_pct is None):
        raise RemitError.one("(call)", "price", price, "exactly one of price or bey_pct")
    return price_subject(
        _Given("given", c.name), _scenarios(scenario)[0], price, bey_pct, settle, delay, curve_pct
    )


def price_yield_table(
    pool: PoolLike,
    scenarios: ScenarioLike | Sequence[ScenarioLike],
    prices: Sequence[str | float],
    *,
    settle: str | date,
    delay: int = 55,
) -> pd.DataFrame:
    """Prices down, scenarios across; bond-equivalent yield (%) and WAL (years) per cell."""
    flows = project(pool, scenarios)
    streams = [(sc.name, pool_stream(flows, s)) for s, sc in enumerate(flows.scenarios)]
    ps = [an.parse_price(p) if isinstance(p, str) else float(p) for p in prices]
    return _table(streams, ps, timing(settle, delay))
