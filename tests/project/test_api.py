"""The same from Python: DataFrames of floats."""

from __future__ import annotations

import numpy as np
import pytest

from remit.project import api

POOL = "balance=100000000,wac=6.0,net=5.5,term=360,remaining=360,age=0"


def test_project_pool_frame() -> None:
    frame = api.project_pool(POOL, ["psa=100,sda=100,severity=35,lag=12", "psa=300"])
    assert list(frame.columns[:2]) == ["scenario", "month"]
    assert frame["prepayment"].dtype == np.float64
    assert set(frame["scenario"]) == {"psa=100,sda=100,severity=35,lag=12", "psa=300"}
    one = api.project_pool(POOL, "psa=300")
    assert len(one) == 360 and "scenario" not in one.columns
    every = api.project_pool(POOL, "psa=300", every_field=True)
    assert {"group", "pipeline_balance", "gross_interest", "call_principal"} <= set(every.columns)


def test_summaries_and_price() -> None:
    s = api.summaries(POOL, ["psa=100", "psa=400"])
    assert s["wal_years"].iloc[0] > s["wal_years"].iloc[1]
    out = api.price_pool(POOL, "psa=100", price="101-16+", settle="2026-12-15", delay=55)
    assert out["price"] == 101.515625
    back = api.price_pool(POOL, "psa=100", bey_pct=float(out["bey_pct"]), settle="2026-12-15")
    assert back["price"] == pytest.approx(101.515625, abs=1e-9)


def test_price_yield_table_frame() -> None:
    t = api.price_yield_table(
        POOL, ["psa=100", "psa=300"], ["99-00", "101-16+"], settle="2026-12-15"
    )
    assert t.shape == (2, 4)
    assert list(t.index) == ["99-00", "101-16+"]
