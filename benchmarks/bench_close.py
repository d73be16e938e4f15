"""Budget: closing the example deal's 2003-04-25 date plus both renderings (EDGAR text and
JSON) takes <= 20 ms in process. Prints the median and best of repeated runs."""

from __future__ import annotations

import statistics
import time
from datetime import date
from pathlib import Path

import remit
from remit.close import close, initial_state
from remit.statement import build_statement

ROOT = Path(__file__).resolve().parent.parent
BUDGET_MS = 20.0


def main() -> None:
    deal = remit.load_deal(ROOT / "examples" / "thornburg-2003-2")
    rem = deal.remittance(date(2003, 4, 25))
    state = initial_state(deal.spec)

    def once() -> None:
        result = close(deal.spec, state, rem)
        st = build_statement(result)
        st.to_edgar()
        st.to_json()

    for _ in range(5):
        once()
    times = []
    for _ in range(100):
        t = time.perf_counter()
        once()
        times.append((time.perf_counter() - t) * 1000)
    median = statistics.median(times)
    verdict = "within" if median <= BUDGET_MS else "OVER"
    print(
        f"| close + EDGAR text + JSON, example deal, 2003-04-25 | {median:.1f} ms median, "
        f"{min(times):.1f} ms best (100 runs) | <= {BUDGET_MS:.0f} ms | {verdict} |"
    )


if __name__ == "__main__":
    main()
