"""History as data: flat records (CSV, tables), nested JSON, and Parquet time series of the
pool and of each class, with exact decimal columns."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from remit import money
from remit.errors import RemitError
from remit.store.records import DELINQUENCY, HistoryRow

Scalar = str | int | bool | Decimal | None


def _slug(category: str) -> str:
    return {"90+": "90plus", "60+": "60plus"}.get(category, category)


def flat(row: HistoryRow) -> dict[str, Scalar]:
    """One history row as flat columns (CSV, table): the period, the pool, delinquency by
    category (count and balance), losses, then balance, factor, distributions and loss of
    each class."""
    out: dict[str, Scalar] = {
        "deal": row.deal_id,
        "date": row.distribution_date.isoformat(),
        "version": row.version,
        "current": row.current,
        "amended": row.amended,
        "stale": row.stale,
        "period": row.period,
        "pool_beginning": row.pool_beginning,
        "pool_ending": row.pool_ending,
        "loans": row.count_ending,
        "scheduled_principal": row.scheduled_principal,
        "unscheduled_principal": row.unscheduled_principal,
        "realized_losses": row.realized_losses,
        "cumulative_loss": row.cumulative_loss,
    }
    for cat in DELINQUENCY:
        n, bal = row.delinquency[cat]
        out[f"dq_{_slug(cat)}_count"] = n
        out[f"dq_{_slug(cat)}_balance"] = bal
    for c in row.classes:
        out[f"{c.name}_balance"] = c.ending_balance
        out[f"{c.name}_factor"] = c.factor
        out[f"{c.name}_interest"] = c.interest_distribution
        out[f"{c.name}_principal"] = c.principal_distribution
        out[f"{c.name}_realized_loss"] = c.realized_loss
    return out


def nested(row: HistoryRow) -> dict[str, Any]:
    """One history row as JSON-ready data, amounts as exact strings."""

    def s(x: Decimal) -> str:
        return money.text(x)

    return {
        "deal": row.deal_id,
        "distribution_date": row.distribution_date.isoformat(),
        "version": row.version,
        "period": row.period,
        "current": row.current,
        "amended": row.amended,
        "stale": row.stale,
        "closed_at": row.closed_at.isoformat(),
        "pool": {
            "beginning_balance": s(row.pool_beginning),
            "ending_balance": s(row.pool_ending),
            "ending_count": row.count_ending,
            "scheduled_principal": s(row.scheduled_principal),
            "unscheduled_principal": s(row.unscheduled_principal),
            "realized_losses": s(row.realized_losses),
            "cumulative_loss": s(row.cumulative_loss),
        },
        "delinquency": {k: {"count": n, "balance": s(b)} for k, (n, b) in row.delinquency.items()},
        "classes": {
            c.name: {
                "beginning_balance": s(c.beginning_balance),
                "interest_distribution": s(c.interest_distribution),
                "principal_distribution": s(c.principal_distribution),
                "realized_loss": s(c.realized_loss),
                "ending_balance": s(c.ending_balance),
                "factor": s(c.factor),
                "unpaid_interest": s(c.unpaid_interest),
                "basis_risk_carryforward": s(c.basis_risk_carryforward),
                "unpaid_realized_loss": s(c.unpaid_realized_loss),
                "cumulative_realized_loss": s(c.cumulative_realized_loss),
            }
            for c in row.classes
        },
    }


def _pool_table(current: list[HistoryRow]) -> Any:
    """One row per date: the pool, its delinquency and losses."""
    import pyarrow as pa  # type: ignore[import-untyped]

    money = pa.decimal128(20, 2)
    return pa.table(
        {
            "deal": pa.array([r.deal_id for r in current], pa.string()),
            "distribution_date": pa.array([r.distribution_date for r in current], pa.date32()),
            "version": pa.array([r.version for r in current], pa.int32()),
            "period": pa.array([r.period for r in current], pa.int32()),
            "amended": pa.array([r.amended for r in current], pa.bool_()),
            "stale": pa.array([r.stale for r in current], pa.bool_()),
            "beginning_balance": pa.array([r.pool_beginning for r in current], money),
            "ending_balance": pa.array([r.pool_ending for r in current], money),
            "ending_count": pa.array([r.count_ending for r in current], pa.int32()),
            "scheduled_principal": pa.array([r.scheduled_principal for r in current], money),
            "unscheduled_principal": pa.array([r.unscheduled_principal for r in current], money),
            "realized_losses": pa.array([r.realized_losses for r in current], money),
            "cumulative_loss": pa.array([r.cumulative_loss for r in current], money),
            **{
                f"dq_{_slug(k)}_{part}": pa.array(
                    [r.delinquency[k][i] for r in current], pa.int32() if i == 0 else money
                )
                for k in DELINQUENCY
                for i, part in enumerate(("count", "balance"))
            },
        }
    )


def _classes_table(current: list[HistoryRow]) -> Any:
    """One row per date and class: balances, distributions, losses, factor."""
    import pyarrow as pa

    money, factor = pa.decimal128(20, 2), pa.decimal128(20, 8)
    cls = [(r, c) for r in current for c in r.classes]
    money_cols = (
        "original_face",
        "beginning_balance",
        "interest_distribution",
        "principal_distribution",
        "realized_loss",
        "ending_balance",
        "unpaid_interest",
        "basis_risk_carryforward",
        "unpaid_realized_loss",
        "cumulative_realized_loss",
    )
    return pa.table(
        {
            "deal": pa.array([r.deal_id for r, _ in cls], pa.string()),
            "distribution_date": pa.array([r.distribution_date for r, _ in cls], pa.date32()),
            "version": pa.array([r.version for r, _ in cls], pa.int32()),
            "class": pa.array([c.name for _, c in cls], pa.string()),
            **{k: pa.array([getattr(c, k) for _, c in cls], money) for k in money_cols},
            "factor": pa.array([c.factor for _, c in cls], factor),
        }
    )


def write_parquet(rows: list[HistoryRow], out: Path) -> list[Path]:
    """``pool.parquet`` (one row per date) and ``classes.parquet`` (one row per date and
    class) of the current version of each date, amounts as exact decimals."""
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    current = [r for r in rows if r.current]
    pool, classes = _pool_table(current), _classes_table(current)
    try:
        out.mkdir(parents=True, exist_ok=True)
        paths = [out / "pool.parquet", out / "classes.parquet"]
        for table, path in zip((pool, classes), paths, strict=True):
            tmp = path.with_name(f".{path.name}.tmp")
            pq.write_table(table, tmp)
            tmp.replace(path)
    except OSError as exc:
        raise RemitError.one(
            str(out), "", exc.strerror or str(exc), "a writable directory"
        ) from None
    return paths
