"""Concurrency with real processes: several processes closing the same deal and date at
once -- on an existing store, on a store with no period yet, and on a database with no schema
yet -- exactly one succeeds and the others get a clear message; the store is consistent."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import remit
from remit.store import Store
from remit.workflows import close_period, reproduce
from tests.conftest import ROOT
from tests.store.helpers import DEAL_ID, close_n, race

N = 4
CLEAR = "not yet closed: it was closed (version 1"


def check_one_winner(results: list[tuple[object, ...]]) -> None:
    winners = [r for r in results if r[0] == "ok"]
    losers = [r for r in results if r[0] != "ok"]
    assert len(winners) == 1, results
    assert winners[0][1] == 1
    for r in losers:
        assert r[0] == "error" and CLEAR in str(r[1]), r


def test_same_date_at_once_one_wins(db_url: str, deal_dir: Path) -> None:
    close_n(db_url, deal_dir, 1)
    check_one_winner(race(db_url, deal_dir, "2003-05-27", N))
    with Store.open(db_url) as store:
        rows = store.history(DEAL_ID)
        assert [(r.distribution_date.isoformat(), r.version) for r in rows] == [
            ("2003-04-25", 1),
            ("2003-05-27", 1),
        ]
        assert reproduce(store, DEAL_ID, "2003-05-27").identical


def test_first_close_of_a_new_store_at_once(db_url: str, deal_dir: Path) -> None:
    # No schema yet: the processes race to create it, then to close the first date.
    check_one_winner(race(db_url, deal_dir, "2003-04-25", N))
    with Store.open(db_url) as store:
        assert len(store.history(DEAL_ID)) == 1
        assert close_period(store, remit.load_deal(deal_dir), "next").version == 1


def test_two_commands_at_once(db_url: str, deal_dir: Path) -> None:
    close_n(db_url, deal_dir, 1)
    cmd = [sys.executable, "-m", "remit.cli", "close", str(deal_dir)]
    cmd += ["--date", "2003-05-27", "--db", db_url, "--quiet"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    procs = [
        subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        for _ in range(2)
    ]
    outs = [(p.wait(120), *p.communicate()) for p in procs]
    assert sorted(rc for rc, _, _ in outs) == [0, 2], outs
    ok = next(o for o in outs if o[0] == 0)
    bad = next(o for o in outs if o[0] == 2)
    assert "stored tmst-2003-2 2003-05-27 version 1" in ok[2]
    assert bad[2].startswith("error: (command line): date: found '2003-05-27'") and CLEAR in bad[2]
    assert bad[1] == ""
