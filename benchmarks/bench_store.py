"""Budget: closing the 12 example months into a fresh SQLite store, with persistence, in at
most 3 seconds all told (opening and migrating the store included; imports excluded) --
from the example's remittances, and from loans: a generated 2,446-loan tape of the example
pool, each month collected from the loans, closed and stored.

    .venv/bin/python benchmarks/bench_store.py [--db URL] [--repeat N]

Prints the README's table rows: both totals against the budget, and the store's size per
period (the file size for SQLite; PostgreSQL's pg_total_relation_size for a server URL).
Exits 1 if a budget is exceeded."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import text

import remit
from remit.collateral import generate_tape
from remit.store import Store
from remit.workflows import close_period, remittance_from_tape

ROOT = Path(__file__).resolve().parent.parent
DEAL = ROOT / "examples" / "thornburg-2003-2"
BUDGET_S = 3.0
TABLES = ("deals", "specs", "periods", "period_classes", "period_delinquency")


def size_bytes(store: Store) -> int:
    """The store's size on disk."""
    if store.url.get_backend_name() == "sqlite":
        assert store.url.database is not None
        return Path(store.url.database).stat().st_size
    with store.engine.connect() as conn:
        return sum(
            int(conn.execute(text(f"SELECT pg_total_relation_size('{t}')")).scalar_one())
            for t in TABLES
        )


def run_once(url: str, tape: Path | None = None) -> tuple[float, list[float], int, int]:
    """Close every month of the example into the store at ``url`` (from ``tape`` if given);
    total seconds, seconds per close, periods, bytes."""
    deal = remit.load_deal(DEAL)
    months = len(deal.remittance_files)
    source = None if tape is None else remittance_from_tape(deal.spec, tape)
    start = time.perf_counter()
    laps = []
    with Store.open(url) as store:
        for _ in range(months):
            t = time.perf_counter()
            close_period(store, deal, "next", remittance_from=source)
            laps.append(time.perf_counter() - t)
        total = time.perf_counter() - start
        size = size_bytes(store)
    return total, laps, months, size


def best_of(repeat: int, db: str | None, tape: Path | None) -> tuple[float, list[float], int, int]:
    best: tuple[float, list[float], int, int] | None = None
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            url = db or f"sqlite:///{Path(tmp) / 'bench.db'}"
            result = run_once(url, tape)
        if best is None or result[0] < best[0]:
            best = result
        if db:
            break  # a server store is not fresh on a second run
    assert best is not None
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a store URL (default: a fresh SQLite file)")
    parser.add_argument("--repeat", type=int, default=3, help="runs; the best is reported")
    args = parser.parse_args()
    deal = remit.load_deal(DEAL)
    ok = True
    where = "SQLite" if not args.db else "PostgreSQL" if "postgres" in args.db else args.db
    with tempfile.TemporaryDirectory() as tmp:
        tape = Path(tmp) / "tape"
        generate_tape(deal.spec, tape, loans=2446, months=len(deal.remittance_files), seed=1)
        for label, source in (("remittances", None), ("a 2,446-loan tape", tape)):
            total, _, months, size = best_of(args.repeat, args.db, source)
            ok = ok and total <= BUDGET_S
            verdict = "within" if total <= BUDGET_S else "OVER"
            print(
                f"| close the {months} example months from {label}, stored ({where}) | "
                f"{total:.2f} s ({total / months * 1000:.0f} ms a period) | <= {BUDGET_S:.0f} s "
                f"| {verdict} |"
            )
    print(f"| store size per period ({where}) | {size / months / 1024:.0f} KiB | | |")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
