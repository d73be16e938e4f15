"""Run every benchmark (benchmarks/bench_*.py) and print their rows of the README's table."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    print("| what | measured | budget | |")
    print("|---|---|---|---|")
    failed = 0
    for script in sorted(HERE.glob("bench_*.py")):
        res = subprocess.run([sys.executable, str(script)], capture_output=True, text=True)
        sys.stdout.write(res.stdout)
        if res.returncode != 0:
            failed += 1
            sys.stderr.write(f"{script.name} failed:\n{res.stderr}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
