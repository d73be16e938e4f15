"""Crash safety: a close killed with SIGKILL at many points -- from opening the store to the
commit -- leaves the store exactly as it was; killed after the commit, the whole period is
there; either way the next close succeeds."""

from __future__ import annotations

import random
import signal
import time
from pathlib import Path

import remit
from remit.store import Store
from remit.workflows import close_period, reproduce
from tests.store.helpers import (
    DEAL_ID,
    FORK,
    _close_child,
    clone,
    close_in_child,
    close_n,
    drop_clone,
    dump,
)

KILL_POINTS = 20
WHEN = "2003-06-25"


def test_sigkill_at_many_points_leaves_the_store_as_before(
    db_url: str, deal_dir: Path, tmp_path: Path
) -> None:
    close_n(db_url, deal_dir, 2)
    # A dry run on a copy of the store counts the Python calls of a close and of its commit.
    probe = clone(db_url, tmp_path)
    try:
        code, msg = close_in_child(probe, deal_dir, WHEN)
    finally:
        drop_clone(probe)
    assert code == 0 and msg is not None and msg[0] == "ok", msg
    commit_at = int(msg[3])
    assert 0 < commit_at < int(msg[2])
    before = dump(db_url)
    rng = random.Random(20030625)
    points = {rng.randint(1, commit_at - 1) for _ in range(KILL_POINTS // 2)}
    points |= {rng.randint(int(commit_at * 0.9), commit_at - 1) for _ in range(KILL_POINTS // 2)}
    points |= {1, commit_at - 1, commit_at * 10}  # the last: at the commit, just before it
    for point in sorted(points):
        code, msg = close_in_child(db_url, deal_dir, WHEN, kill_at=point)
        assert code == -signal.SIGKILL and msg is None, (point, code, msg)
        assert dump(db_url) == before, f"killed at call {point} of {commit_at}"
    # Killed after the commit: the period is stored whole.
    code, msg = close_in_child(db_url, deal_dir, WHEN, kill_at=-1)
    assert code == -signal.SIGKILL and msg is None
    with Store.open(db_url) as store:
        assert [r.distribution_date.isoformat() for r in store.history(DEAL_ID)][-1] == WHEN
        assert reproduce(store, DEAL_ID, WHEN).identical
    # And the next close succeeds.
    assert close_n(db_url, deal_dir, 1)[0].distribution_date.isoformat() == "2003-07-25"


def test_sigkill_at_random_times(db_url: str, deal_dir: Path) -> None:
    close_n(db_url, deal_dir, 1)
    before = dump(db_url)
    rng = random.Random(7)
    for _ in range(5):
        _parent, child = FORK.Pipe(duplex=False)
        p = FORK.Process(target=_close_child, args=(db_url, str(deal_dir), "2003-05-27", 0, child))
        p.start()
        child.close()
        time.sleep(rng.uniform(0.0, 0.1))
        p.kill()
        p.join(30)
        if p.exitcode == 0:  # it finished first: the period is stored whole
            break
        assert p.exitcode == -signal.SIGKILL
        assert dump(db_url) == before
    deal = remit.load_deal(deal_dir)
    with Store.open(db_url) as store:
        if "2003-05-27" not in {r.distribution_date.isoformat() for r in store.history(DEAL_ID)}:
            close_period(store, deal, "2003-05-27")
        assert reproduce(store, DEAL_ID, "2003-05-27").identical
        assert close_period(store, deal, "next").distribution_date.isoformat() == "2003-06-25"
