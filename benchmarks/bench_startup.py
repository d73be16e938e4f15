"""Budget: the command line starts fast as a whole process -- ``remit --help`` in <= 0.25 s and
``remit verify`` on the reference statement (TMST 2003-2, 25 April 2003) in <= 0.4 s,
start to exit, interpreter start included.

    .venv/bin/python benchmarks/bench_startup.py [--runs N]

Each command runs N times as a fresh process (the installed ``remit`` script beside this
interpreter, else ``python -m remit.cli``); prints the median and the fastest wall time, and
the median CPU time (user + system, which other work on the machine disturbs less), as rows
of the README's benchmark table. Exits 1 if a median wall time is over its budget."""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "tests" / "golden" / "tmst-2003-2-2003-04-25.8k.txt"
CASES = (
    ("remit --help", ["--help"], 0.25, (0,)),
    ("remit verify on the reference statement", ["verify", str(REFERENCE)], 0.4, (0, 1)),
)


def remit_command() -> list[str]:
    """The ``remit`` entry point of this interpreter's environment."""
    script = Path(sys.executable).with_name("remit")
    if script.is_file():
        return [str(script)]
    found = shutil.which("remit")
    return [found] if found else [sys.executable, "-m", "remit.cli"]


def cpu_of_children() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def seconds(cmd: list[str], codes: tuple[int, ...]) -> tuple[float, float]:
    """One whole process, start to exit: (wall seconds, CPU seconds)."""
    cpu = cpu_of_children()
    start = time.perf_counter()
    res = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    took = time.perf_counter() - start
    if res.returncode not in codes:
        raise SystemExit(f"{' '.join(cmd)} exited {res.returncode}: {res.stderr.decode()}")
    return took, cpu_of_children() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    remit = remit_command()
    ok = True
    for label, argv, budget, codes in CASES:
        seconds(remit + argv, codes)  # warm: the byte-code caches are written once
        runs = [seconds(remit + argv, codes) for _ in range(args.runs)]
        times = [wall for wall, _ in runs]
        median = statistics.median(times)
        cpu = statistics.median(c for _, c in runs)
        ok = ok and median <= budget
        verdict = "within" if median <= budget else "OVER"
        print(
            f"| {label}, whole process | {median:.2f} s median, {min(times):.2f} s fastest, "
            f"{cpu:.2f} s CPU ({args.runs} runs) | <= {budget} s | {verdict} |"
        )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
