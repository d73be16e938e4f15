"""remit.project.memory: a process that projects batch after batch (a grid's worker, also
one that projected before) keeps the heap it freed instead of handing it back to the kernel
and page-faulting it in again for the next batch. Counted in page faults (the kernel's
count, not a time)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

DEAL = Path(__file__).resolve().parents[2] / "examples" / "thornburg-2003-2"

CODE = """
import ctypes, json, resource, sys
# transparent huge pages (a host that backs all memory with them) would fault 2 MB at a
# time and hide what is counted here: off for this process
ctypes.CDLL(None).prctl(41, 1, 0, 0, 0)  # PR_SET_THP_DISABLE
from pathlib import Path
from remit.project.deal.start import deal_start
from remit.project.grid import run_task
from remit.project.memory import keep_freed_memory
from remit.project.scenario import parse_scenario
from remit.project.subjects import DealSubject

subject = DealSubject(deal_start(Path(sys.argv[1])))
scenarios = [parse_scenario(f"psa={50 + 5 * i},sda={i}") for i in range(250)]
subject.project(scenarios[:2])  # a projection first: the process's own thresholds set
faults = []
for _ in range(3):  # a worker's tasks, one after another
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    result = run_task(subject, scenarios)
    assert not result.failures, result.failures
    del result
    faults.append(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
print(json.dumps({"glibc": keep_freed_memory(), "faults": faults}))
"""


def test_a_workers_next_task_reuses_the_heap_the_last_one_freed() -> None:
    env = {k: v for k, v in os.environ.items() if k != "GLIBC_TUNABLES"}
    res = subprocess.run(
        [sys.executable, "-c", CODE, str(DEAL)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    if not out["glibc"]:
        pytest.skip("not glibc: the thresholds are not set")
    first, second, third = out["faults"]
    # the first task faults its working set in (some 50,000 pages); with the trim
    # threshold at 64 MB each later one faulted 30,000 again, with a grid task's 256 MB a
    # few thousand at most
    assert second < first / 4 and third < first / 4, out["faults"]
