"""Budget: reading a reference statement takes <= 50 ms, in each layout family: CTSLink
(TMST 2003-2, 25 April 2003) and Bankers Trust (Aames 1998-C, 15 December 1998); and the
reader is linear in its input: the reference with 100,000 blank lines inside its first table
is read and checked in under a second.

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

GOLDEN = Path(__file__).resolve().parents[1] / "tests" / "golden"
REFERENCE = GOLDEN / "tmst-2003-2-2003-04-25.8k.txt"
BANKERS_TRUST = GOLDEN / "aames-1998-c-1998-12-15.bankers-trust.8k.txt"
BUDGET_MS = 50.0
BLANK_LINES = 100_000
BLANK_BUDGET_S = 1.0


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
    worst = 0.0
    for path, what in (
        (REFERENCE, "the reference statement (8-K, CTSLink"),
        (BANKERS_TRUST, "the Bankers Trust statement (8-K, Aames 1998-C"),
    ):
        text = path.read_text("utf-8")
        res = read(text)  # warm: the template is parsed once per process
        parse = median_ms(lambda text=text: read(text), args.runs)
        check = median_ms(lambda res=res: verify_result(res), args.runs)
        worst = max(worst, parse)
        verdict = "within" if parse <= BUDGET_MS else "OVER"
        print(
            f"| parse {what}, {len(res.cells)} cells) | {parse:.1f} ms median "
            f"({args.runs} runs) | <= {BUDGET_MS:.0f} ms | {verdict} |"
        )
        print(
            f"| verify: every identity over its cells ({res.family}) | {check:.1f} ms median "
            f"({args.runs} runs) | | |"
        )
    blank = blank_lines_seconds()
    verdict = "within" if blank <= BLANK_BUDGET_S else "OVER"
    print(
        f"| read and verify the reference with {BLANK_LINES:,} blank lines inside its first table "
        f"| {blank:.2f} s median (5 runs) | <= {BLANK_BUDGET_S:.0f} s | {verdict} |"
    )
    return 0 if worst <= BUDGET_MS and blank <= BLANK_BUDGET_S else 1


def blank_lines_seconds() -> float:
    """Seconds to read and check the reference with a run of blank lines in a table (a run
    of blank lines once cost quadratic time: 40,000 took 23 s)."""
    from remit.audit.verify import verify_text

    text = REFERENCE.read_text("utf-8").replace("<TABLE>", "<TABLE>\n" + "\n" * BLANK_LINES, 1)
    return median_ms(lambda: verify_text(text, "blank"), 5) / 1000


if __name__ == "__main__":
    raise SystemExit(main())
