"""Budget: reading the reference statement (TMST 2003-2, 25 April 2003) takes <= 50 ms.

Prints the median of several runs of the reader, and of ``verify`` on the cells read, as
rows of the README's benchmark table:

    .venv/bin/python benchmarks/bench_parse.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from remit.audit.verify import verify_result
from remit.statement.reader import read

REFERENCE = (
    Path(__file__).resolve().parents[1] / "tests" / "golden" / ("tmst-2003-2-2003-04-25.8k.txt")
)
BUDGET_MS = 50.0


def median_ms(fn: object, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=25)
    args = parser.parse_args()
    text = REFERENCE.read_text("utf-8")
    read(text)  # warm: the template is parsed once per process
    parse = median_ms(lambda: read(text), args.runs)
    res = read(text)
    check = median_ms(lambda: verify_result(res), args.runs)
    verdict = "within" if parse <= BUDGET_MS else "OVER"
    print(
        f"| parse the reference statement (8-K, 602 cells) | {parse:.1f} ms median "
        f"({args.runs} runs) | <= {BUDGET_MS:.0f} ms | {verdict} |"
    )
    print(
        f"| verify: every identity over the cells read | {check:.1f} ms median "
        f"({args.runs} runs) | | |"
    )
    return 0 if parse <= BUDGET_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
