"""What a projection writes: ``pool.csv`` and ``summary.json`` (the pool's columns and
totals), ``flows.parquet`` and ``flows.csv`` (every field, by scenario, loan group and month),
and, when asked, pictures. Everything is rendered in memory first; the command writes it
with :func:`remit.files.write_all` (all or nothing)."""

from __future__ import annotations

import io
import json

import numpy as np
import pandas as pd

from remit.project.engine import FIELDS, RATES, CollateralFlows
from remit.project.pool import POOL_COLUMNS, pool_frames, summaries


def long_frame(flows: CollateralFlows) -> pd.DataFrame:
    """Every field, one row per (scenario, loan group, month), floats."""
    s, g, m = flows.values["ending_balance"].shape
    data: dict[str, object] = {
        "scenario": np.repeat([sc.name for sc in flows.scenarios], g * m),
        "group": np.tile(np.repeat(list(flows.group_names), m), s),
        "month": np.tile(np.arange(1, m + 1), s * g),
    }
    for f in (*FIELDS, *RATES):
        data[f] = flows.values[f].reshape(-1)
    return pd.DataFrame(data)


def pool_table(flows: CollateralFlows) -> pd.DataFrame:
    """``pool.csv``: the pool's columns; with more than one scenario, a first column
    ``scenario`` and each scenario's months in turn."""
    frame = pool_frames(flows)
    return frame.drop(columns="scenario") if len(flows.scenarios) == 1 else frame


def csv_text(frame: pd.DataFrame) -> str:
    """CSV with every float at full double precision (shortest round-trip repr)."""
    buf = io.StringIO()
    frame.to_csv(buf, index=False, float_format=None, lineterminator="\n")
    return buf.getvalue()


def parquet_bytes(frame: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    frame.to_parquet(buf, index=False)
    return buf.getvalue()


def projection_files(flows: CollateralFlows, pictures: bool = False) -> dict[str, str | bytes]:
    """Every file of ``remit project --out DIR``, in memory."""
    sums = summaries(flows)
    long = long_frame(flows)
    files: dict[str, str | bytes] = {
        "pool.csv": csv_text(pool_table(flows)),
        "summary.json": json.dumps(sums[0] if len(sums) == 1 else sums, indent=2) + "\n",
        "flows.csv": csv_text(long),
        "flows.parquet": parquet_bytes(long),
    }
    if pictures:
        from remit.project.plots import balances_png, cash_flows_png, interactive_html

        files["balances.png"] = balances_png(flows)
        files["cash_flows.png"] = cash_flows_png(flows)
        files["projection.html"] = interactive_html(flows)
    return files


__all__ = ["POOL_COLUMNS", "long_frame", "pool_table", "projection_files"]
