"""Budgets of the loan-level collateral engine, measured on a 1,000,000-loan synthetic tape:

* collecting one month's remittance (read the tape and the activity, check them, compute and
  sum every loan): <= 1.5 s and <= 1.5 GB peak memory (resident set of a fresh process);
* projecting scheduled amortization with prepayments for 1,000,000 loans x 360 months:
  >= 150 million loan-months per second, streamed in chunks, <= 1 GB peak memory;
* the same kernel as a plain per-loan Python loop on a sample, for the speed ratio.

Each figure is measured in its own subprocess (peak memory from ``resource.getrusage``).
The tape is generated once into the temporary directory and reused. Prints table rows."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOANS = 1_000_000
MONTHS = 360
SAMPLE = 1_000
TAPE = Path(tempfile.gettempdir()) / f"remit-bench-tape-{LOANS}-seed1"

# Each child imports its libraries first (pyarrow loads some of its modules on first use):
# the figure is the collect call itself, in a process that has not collected anything yet.
WARM_IMPORTS = "import pyarrow.parquet, pyarrow.dataset, pyarrow.compute, pyarrow.csv\n"

COLLECT = (
    WARM_IMPORTS
    + """
import json, resource, sys, time
import remit
from remit.collateral import collect
spec = remit.load_deal(sys.argv[1]).spec
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
t, c = time.perf_counter(), cpu()
rem = collect(spec, sys.argv[2], "2003-04-25")
wall, used = time.perf_counter() - t, cpu() - c
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"wall": wall, "cpu": used, "rss_mb": rss, "loans": rem.beginning_count}))
"""
)

PROJECT = (
    WARM_IMPORTS
    + """
import json, resource, sys, time
import numpy as np
import pyarrow as pa, pyarrow.compute as pc, pyarrow.parquet as pq
import remit
from remit.project.amortize import project, project_loop
from remit.collateral.tape import month_of
spec = remit.load_deal(sys.argv[1]).spec
cols = ["current_principal_balance", "current_interest_rate", "first_payment_date",
        "original_loan_term"]
t = pq.read_table(sys.argv[2] + "/loans.parquet", columns=cols)
balance = pc.cast(t["current_principal_balance"], pa.float64()).to_numpy()
rate = t["current_interest_rate"].to_numpy()
first = t["first_payment_date"].to_numpy().astype("datetime64[M]").astype(np.int64)
remaining = first + t["original_loan_term"].to_numpy() - month_of(spec.dates.first_distribution)
del t
months, sample = int(sys.argv[3]), int(sys.argv[4])
t = time.perf_counter()
flows = project(balance, rate, remaining, 0.15, months)
wall = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
t = time.perf_counter()
ref = project_loop(balance[:sample].tolist(), rate[:sample].tolist(),
                   remaining[:sample].tolist(), 0.15, months)
loop = time.perf_counter() - t
vec = project(balance[:sample], rate[:sample], remaining[:sample], 0.15, months)
agree = max(float(np.max(np.abs(a - b)) / np.max(np.abs(a)))
            for a, b in zip((ref.interest, ref.scheduled, ref.prepaid, ref.balance),
                            (vec.interest, vec.scheduled, vec.prepaid, vec.balance)))
print(json.dumps({"wall": wall, "rss_mb": rss, "loans": int(balance.size), "loop": loop,
                  "agree": agree, "ending": float(flows.balance[-1])}))
"""
)


GENERATE = """
import json, sys
import remit
from remit.collateral import generate_tape
spec = remit.load_deal(sys.argv[1]).spec
generate_tape(spec, sys.argv[2], loans=int(sys.argv[3]), months=1, seed=1)
print(json.dumps({}))
"""


def child(code: str, *args: str) -> dict[str, float]:
    res = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False
    )
    if res.returncode != 0:
        sys.stderr.write(res.stderr)
        raise SystemExit(1)
    out: dict[str, float] = json.loads(res.stdout.strip().splitlines()[-1])
    return out


def row(what: str, measured: str, budget: str, ok: bool) -> None:
    print(f"| {what} | {measured} | {budget} | {'within' if ok else 'OVER'} |")


def main() -> None:
    load = os.getloadavg()[0]
    sys.stderr.write(f"load average {load:.2f} on {os.cpu_count()} cores before the runs\n")
    deal_dir = ROOT / "examples" / "thornburg-2003-2"
    if not (TAPE / "activity" / "2003-04-25.parquet").is_file():
        # in a child too: Linux carries a process's peak RSS across exec into its children
        t = time.perf_counter()
        child(GENERATE, str(deal_dir), str(TAPE), str(LOANS))
        sys.stderr.write(f"generated {TAPE} in {time.perf_counter() - t:.1f} s\n")
    runs = [child(COLLECT, str(deal_dir), str(TAPE)) for _ in range(3)]
    walls = [r["wall"] for r in runs]
    cpus = [r["cpu"] for r in runs]
    rss = max(r["rss_mb"] for r in runs)
    best, median = min(walls), statistics.median(walls)
    row(
        f"collect one month, {LOANS:,} loans (Parquet tape + activity)",
        f"{median:.2f} s median, {best:.2f} s best (3 fresh processes; CPU "
        f"{statistics.median(cpus):.2f} s median); peak {rss:,.0f} MB",
        "<= 1.5 s, <= 1,536 MB",
        median <= 1.5 and rss <= 1536,
    )
    p = child(PROJECT, str(deal_dir), str(TAPE), str(MONTHS), str(SAMPLE))
    rate = p["loans"] * MONTHS / p["wall"]
    loop_rate = SAMPLE * MONTHS / p["loop"]
    row(
        f"project {LOANS:,} loans x {MONTHS} months, amortization + prepayments",
        f"{p['wall']:.2f} s = {rate / 1e6:,.0f} M loan-months/s; peak {p['rss_mb']:,.0f} MB "
        "(whole process)",
        ">= 150 M loan-months/s, <= 1,024 MB",
        rate >= 150e6 and p["rss_mb"] <= 1024,
    )
    row(
        f"same kernel, plain Python loop, {SAMPLE:,} loans x {MONTHS} months",
        f"{loop_rate / 1e6:.2f} M loan-months/s; vectorised is {rate / loop_rate:,.0f}x faster "
        f"(results agree to {p['agree']:.0e})",
        "(ratio reported)",
        p["agree"] < 1e-9,
    )


if __name__ == "__main__":
    main()
