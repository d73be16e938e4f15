"""Projections from Python (notebooks), returning DataFrames of floats::

from remit.project import api
flows = api.project_pool("balance=100000000,wac=6.0,net=5.5,term=360,remaining=360,age=0",
                         ["psa=100,sda=100,severity=35,lag=12", "psa=300"])
api.price_pool("balance=...", "psa=100", price="101-16+", settle="2026-12-15", delay=55)
api.price_yield_table("balance=...", ["psa=100", "psa=300"], ["99-00", "101-16+"],
                      settle="2026-12-15")

A deal, through its own waterfall (from its cut-off date; from its latest closed period in a
store: ``remit.workflows.projection.deal_start_from_store``)::

deal = api.deal("examples/thornburg-2003-2")
api.deal_flows(deal, ["psa=100,sda=100,severity=35,lag=12", "psa=300"])   # deal.csv's rows
api.class_flows(deal, ["psa=100"])                                        # classes.csv's rows
api.deal_summaries(deal, ["psa=100", "psa=300"])
api.price_class(deal, "M-1", "psa=100,sda=200,severity=40,lag=12", price="99-16")
api.class_price_yield_table(deal, "A", ["psa=100", "psa=300"], ["99-00", "100-00"])
api.class_cdrs(deal, "M-2", "psa=100,severity=40,lag=12", price="95-00")  # FDL, break-even
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

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
)
from remit.project.pool import price_yield_table as _table
from remit.project.pool import summaries as summary_rows
from remit.project.scenario import Scenario, parse_scenario
from remit.project.subjects import Subject

if TYPE_CHECKING:
    from remit.project.deal.projection import DealProjection
    from remit.project.deal.start import Start

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
    return pd.DataFrame(summary_rows(flows))


def parse_settle(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise RemitError.one("(command line)", "--settle", text, "a date YYYY-MM-DD") from None


def timing(settle: str | date, delay: int) -> an.Timing:
    d = settle if isinstance(settle, date) else parse_settle(settle)
    if not 1 <= delay <= 360:
        raise RemitError.one("(command line)", "--delay", delay, "a stated delay of 1 to 360 days")
    return an.Timing(d, delay)


def price_subject(
    subject: Subject,
    scenario: Scenario,
    price: str | float | None,
    bey_pct: float | None,
    settle: str | date,
    delay: int = an.STATED_DELAY,
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
    delay: int = an.STATED_DELAY,
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
    delay: int = an.STATED_DELAY,
) -> pd.DataFrame:
    """Prices down, scenarios across; bond-equivalent yield (%) and WAL (years) per cell."""
    flows = project(pool, scenarios)
    streams = [(sc.name, pool_stream(flows, s)) for s, sc in enumerate(flows.scenarios)]
    ps = [an.parse_price(p) if isinstance(p, str) else float(p) for p in prices]
    return _table(streams, ps, timing(settle, delay))


# ---- deals -----------------------------------------------------------------------------


def deal(
    deal_dir: str | Path, *, tape: str | Path | None = None, lines: str | Path | None = None
) -> Start:
    """A deal's projection start at its cut-off date (rep lines from its first remittance,
    or a loan ``tape`` directory, or a TOML file of rep ``lines``)."""
    from remit.project.deal.start import deal_start

    return deal_start(
        deal_dir,
        tape=Path(tape) if tape is not None else None,
        lines=Path(lines) if lines is not None else None,
    )


def _start(d: str | Path | Start) -> Start:
    from remit.project.deal.start import Start as StartType

    return d if isinstance(d, StartType) else deal(d)


def project_deal(
    d: str | Path | Start, scenarios: ScenarioLike | Sequence[ScenarioLike]
) -> DealProjection:
    """The deal projected under the scenarios (arrays by scenario and date)."""
    from remit.project.deal.projection import project_deal as run

    return run(_start(d), _scenarios(scenarios))


def deal_flows(
    d: str | Path | Start, scenarios: ScenarioLike | Sequence[ScenarioLike]
) -> pd.DataFrame:
    """The rows of ``deal.csv``: one per (scenario, distribution date)."""
    from remit.project.deal.outputs import deal_frame

    return deal_frame(project_deal(d, scenarios))


def class_flows(
    d: str | Path | Start, scenarios: ScenarioLike | Sequence[ScenarioLike]
) -> pd.DataFrame:
    """The rows of ``classes.csv``: one per (scenario, distribution date, class)."""
    from remit.project.deal.outputs import class_frame

    return class_frame(project_deal(d, scenarios))


def deal_summaries(
    d: str | Path | Start, scenarios: ScenarioLike | Sequence[ScenarioLike]
) -> pd.DataFrame:
    """One row per scenario: the pool's totals and each class's (``CLASS:figure``)."""
    from remit.project.deal.outputs import flat_summary

    p = project_deal(d, scenarios)
    return pd.DataFrame([flat_summary(p, s) for s in range(len(p.scenarios))])


def price_class(
    d: str | Path | Start,
    name: str,
    scenario: ScenarioLike,
    *,
    price: str | float | None = None,
    bey_pct: float | None = None,
    settle: str | date | None = None,
    curve_pct: float | None = None,
    breakeven: bool = False,
) -> dict[str, float | str]:
    """``remit price DEAL_DIR --class NAME`` from Python."""
    from remit.project.deal.measures import price_class as run

    if (price is None) == (bey_pct is None):
        raise RemitError.one("(call)", "price", price, "exactly one of price or bey_pct")
    return run(
        _start(d),
        name,
        _scenarios(scenario)[0],
        price=an.parse_price(price) if isinstance(price, str) else price,
        bey_pct=bey_pct,
        settle=parse_settle(settle) if isinstance(settle, str) else settle,
        curve_pct=curve_pct,
        breakeven=breakeven,
    )


def class_price_yield_table(
    d: str | Path | Start,
    name: str,
    scenarios: ScenarioLike | Sequence[ScenarioLike],
    prices: Sequence[str | float],
    *,
    settle: str | date | None = None,
) -> pd.DataFrame:
    """A class's price/yield table: prices down, scenarios across; BEY (%) and WAL."""
    from remit.project.deal.measures import class_table

    ps = [an.parse_price(p) if isinstance(p, str) else float(p) for p in prices]
    when = parse_settle(settle) if isinstance(settle, str) else settle
    return class_table(_start(d), name, _scenarios(scenarios), ps, when)


def class_cdrs(
    d: str | Path | Start,
    name: str,
    scenario: ScenarioLike,
    *,
    price: str | float,
    settle: str | date | None = None,
) -> dict[str, float]:
    """The class's first-dollar-loss CDR and the CDR at which its yield at ``price`` falls
    to 0 (percent), by root finding over constant CDRs in place of the scenario's."""
    r = price_class(d, name, scenario, price=price, settle=settle, breakeven=True)
    return {
        "first_dollar_loss_cdr_pct": float(r["first_dollar_loss_cdr_pct"]),
        "breakeven_cdr_pct": float(r["breakeven_cdr_pct"]),
    }
