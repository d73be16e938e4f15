"""The pool as a cash-flow stream, its table (``pool.csv``), its summary, and the measures
that take a function from a scenario to cash flows (first-dollar loss and break-even CDR,
the price/yield table), written so that a deal's classes plug in later: each takes a
``Flows`` function ``Scenario -> Stream``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from remit.errors import RemitError
from remit.project.analytics import (
    Stream,
    Timing,
    accrued,
    format_32nds,
    full_price,
    measures,
    yield_from_full_price,
)
from remit.project.collateral import Collateral
from remit.project.columns import Columns, category, frame
from remit.project.engine import CollateralFlows, project_collateral
from remit.project.scenario import Scenario

if TYPE_CHECKING:
    import pandas as pd

Flows = Callable[[Scenario], Stream]

POOL_COLUMNS = (
    "month",
    "beginning_balance",
    "scheduled_principal",
    "prepayment",
    "default",
    "loss",
    "recovery",
    "advanced_principal",
    "net_interest",
    "ending_balance",
)
FLOW_COLUMNS = POOL_COLUMNS[2:-1]


def pool_stream(flows: CollateralFlows, s: int) -> Stream:
    """Scenario ``s``'s collateral as one stream: all principal received (scheduled,
    advanced, prepaid, called, recovered) and net interest (with advances)."""
    return Stream(
        principal=flows.total("principal")[s],
        interest=flows.total("net_interest")[s],
        loss=flows.total("loss")[s],
        face=flows.starting_balance,
    )


def pool_flows(c: Collateral) -> Flows:
    """``Scenario -> Stream`` for a pool (one projection per call)."""

    def run(sc: Scenario) -> Stream:
        return pool_stream(project_collateral(c, [sc]), 0)

    return run


def pool_frames(flows: CollateralFlows) -> pd.DataFrame:
    """Every scenario's rows of ``pool.csv`` in turn, after a first column ``scenario``."""
    return frame(pool_columns(flows))


def pool_columns(flows: CollateralFlows) -> Columns:
    """:func:`pool_frames`' columns: each summed over the loan groups once for all the
    scenarios."""
    k, months = len(flows.scenarios), flows.months
    data: Columns = {
        "scenario": category([sc.name for sc in flows.scenarios], months, dictionary=False),
        "month": np.tile(np.arange(1, months + 1), k),
    }
    for col in POOL_COLUMNS[1:]:
        data[col] = flows.total(col).reshape(-1)
    return data


def wal_years(principal: np.ndarray) -> float:
    """Weighted average life in years from the start, each month's principal received at
    its end: ``sum m x principal_m / (12 sum principal_m)``."""
    total = float(principal.sum())
    if total <= 0:
        return 0.0
    return float(np.dot(np.arange(1, principal.size + 1), principal)) / (12.0 * total)


def summaries(
    flows: CollateralFlows, which: Sequence[int] | None = None
) -> list[dict[str, object]]:
    """Each scenario's column totals of ``pool.csv`` and its WAL, for ``summary.json`` (of
    the scenarios ``which``; every one by default), each column summed over the loan groups
    once for all of them."""
    rows = range(len(flows.scenarios)) if which is None else which
    totals = {col: flows.total(col) for col in (*FLOW_COLUMNS, "call_principal", "ending_balance")}
    principal = flows.total("principal")
    out: list[dict[str, object]] = []
    for s in rows:
        row: dict[str, object] = {
            "scenario": flows.scenarios[s].name,
            "months": flows.months,
            "starting_balance": flows.starting_balance,
        }
        for col in (*FLOW_COLUMNS, "call_principal"):
            row[col] = float(totals[col][s].sum())
        row["ending_balance"] = float(totals["ending_balance"][s][-1])
        row["wal_years"] = wal_years(principal[s])
        out.append(row)
    return out


def with_cdr(base: Scenario, cdr: float) -> Scenario:
    """``base`` with a constant CDR (fraction) in place of its defaults."""
    return replace(base, name=f"{base.name} cdr={100 * cdr:g}", default_kind="cdr", default=(cdr,))


def first_dollar_loss_cdr(flows: Flows, base: Scenario, tol: float = 0.005) -> float:
    """The smallest constant CDR (fraction, to 1e-7) at which the stream loses more than
    ``tol`` of principal: bisection on a loss that never falls as the CDR rises. For a pool
    any CDR above 0 with a severity above 0 loses, so the answer is a hair above 0 (where the
    loss passes ``tol``); a class behind credit support loses only past a threshold."""
    if float(flows(with_cdr(base, 1.0)).loss.sum()) <= tol:
        raise RemitError.one("(scenario)", "cdr", "100", "a stream that loses at some CDR")
    if float(flows(with_cdr(base, 0.0)).loss.sum()) > tol:
        return 0.0
    lo, hi = 0.0, 1.0
    while hi - lo > 1e-7:
        mid = 0.5 * (lo + hi)
        if float(flows(with_cdr(base, mid)).loss.sum()) > tol:
            hi = mid
        else:
            lo = mid
    return hi


def breakeven_cdr(
    flows: Flows, base: Scenario, price: float, timing: Timing, target_bey: float = 0.0
) -> float:
    """The constant CDR (fraction) at which the stream bought at ``price`` yields
    ``target_bey`` (bond-equivalent): root finding over the CDR."""
    from remit.project.analytics import MAX_YIELD, MIN_YIELD, bey_from_mortgage, find_root

    def excess(cdr: float) -> float:
        s = flows(with_cdr(base, cdr))
        full = price + accrued(s, timing)
        if not np.any(s.cash > 0) or full_price(s, MIN_YIELD, timing) < full:
            return bey_from_mortgage(MIN_YIELD) - target_bey  # below any yield we solve for
        if full_price(s, MAX_YIELD, timing) > full:
            return bey_from_mortgage(MAX_YIELD) - target_bey
        y = yield_from_full_price(s, full, timing)
        return bey_from_mortgage(y) - target_bey

    x = find_root(excess, 0.0, 1.0, tol=1e-10)
    if x is None:
        raise RemitError.one(
            "(scenario)", "cdr", "0 to 100", f"a CDR at which the yield reaches {target_bey:.2%}"
        )
    return x


def price_yield_table(
    streams: Sequence[tuple[str, Stream]], prices: Sequence[float], timing: Timing
) -> pd.DataFrame:
    """The price/yield table: prices down (in 32nds), scenarios across, the bond-equivalent
    yield (%) and the average life (years) in each cell."""
    import pandas as pd

    rows = []
    for price in prices:
        row: list[float] = []
        for _, s in streams:
            y = yield_from_full_price(s, price + accrued(s, timing), timing)
            m = measures(s, y, timing)
            row += [100.0 * m.bey, m.average_life_years]
        rows.append(row)
    columns = pd.MultiIndex.from_tuples(
        [(name, k) for name, _ in streams for k in ("yield", "wal")], names=["scenario", "measure"]
    )
    index = pd.Index([format_32nds(p) for p in prices], name="price")
    return pd.DataFrame(rows, index=index, columns=columns)
