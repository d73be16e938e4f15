"""Crash safety, exactly: a close, a restatement or an import killed with SIGKILL leaves the
store either exactly as it was or with the operation stored whole -- never anything else --
on every backend, and the next operation succeeds.

* Killed at chosen points from the store's opening to the commit (the n-th Python call, or
  just before the database commits): the store is exactly as before. Deterministic.
* Killed just after the commit (the store's hook ``REMIT_TEST_KILL_AFTER_COMMIT``), in the
  library and in the ``remit`` command: the operation is stored whole.
* Killed at random times: one of the two. The times come from a fixed seed, printed with any
  failure (``REMIT_CRASH_SEED`` replays another)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from remit.store import Store
from remit.store.engine import KILL_AFTER_COMMIT, parse_url
from tests.store.crash import (
    KINDS,
    SEED,
    Op,
    Saved,
    finish,
    normal,
    outcome,
    prepare,
    probe,
    run_child,
    snapshot,
    start,
)

#: a call the child never reaches: it is killed at the commit, just before the database commits
AT_COMMIT = 10**12
ATTEMPTS = 6


@pytest.fixture(params=KINDS)
def op(request: pytest.FixtureRequest, db_url: str, deal_dir: Path) -> Op:
    """The store filled for the operation, and the operation."""
    return prepare(request.param, db_url, deal_dir)


@pytest.fixture
def saved(db_url: str, op: Op, tmp_path: Path) -> Iterator[Saved]:
    """A copy of the store before the operation."""
    s = Saved.of(db_url, tmp_path)
    yield s
    s.drop()


def kill_points(commit_at: int) -> list[int]:
    """The calls to kill at: the first and the last before the commit, every quarter of the
    way, and closely over the last tenth, where the rows are written."""
    n = commit_at
    points = (
        {1, n - 1} | {n * i // 4 for i in range(1, 4)} | {n - n * i // 50 for i in (1, 2, 3, 5)}
    )
    return sorted(p for p in points if 0 < p < n)


def test_killed_before_the_commit_the_store_is_as_before(db_url: str, op: Op, saved: Saved) -> None:
    pr = probe(saved, op)
    assert 0 < pr.commit_at < pr.calls
    before = snapshot(db_url)
    assert normal(pr.whole) != normal(before)
    for point in [*kill_points(pr.commit_at), AT_COMMIT]:
        code, msg = run_child(db_url, op, kill_at=point)
        assert code == -signal.SIGKILL and msg is None, (point, code, msg)
        result = outcome(db_url, before, pr.whole)
        assert result == "before", f"{op.kind} killed at call {point} of {pr.commit_at}: {result}"
    # The operation again, to the end: stored whole, and the next one succeeds.
    with Store.open(db_url) as store:
        op.apply(store)
    assert outcome(db_url, before, pr.whole) == "whole"
    op.check_whole(db_url)
    op.next_succeeds(db_url)


def test_killed_just_after_the_commit_it_is_stored_whole(db_url: str, op: Op, saved: Saved) -> None:
    """Killed by the store's hook the moment the transaction has committed: in a process
    running the library, then (from the store as before) in the ``remit`` command itself."""
    pr = probe(saved, op)
    before = snapshot(db_url)
    code, msg = run_child(db_url, op, after_commit=True)
    assert code == -signal.SIGKILL and msg is None, (code, msg)
    assert outcome(db_url, before, pr.whole) == "whole"
    op.check_whole(db_url)

    saved.restore()
    assert snapshot(db_url) == before
    res = subprocess.run(
        [sys.executable, "-c", "from remit.cli import main; main()", *op.argv(db_url)],
        env={**os.environ, KILL_AFTER_COMMIT: "1"},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert res.returncode == -signal.SIGKILL, (res.returncode, res.stdout, res.stderr)
    assert res.stdout == ""  # killed before it could say anything
    assert outcome(db_url, before, pr.whole) == "whole"
    op.check_whole(db_url)
    op.next_succeeds(db_url)


def test_killed_at_random_times_it_is_as_before_or_whole(db_url: str, op: Op, saved: Saved) -> None:
    pr = probe(saved, op)
    before = snapshot(db_url)
    rng = random.Random(f"{SEED}-{op.kind}")
    for attempt in range(ATTEMPTS):
        delay = rng.uniform(0.0, pr.seconds * 1.2)
        where = f"REMIT_CRASH_SEED={SEED}: {op.kind}, attempt {attempt}, killed after {delay:.3f}s"
        p, pipe = start(db_url, op)
        time.sleep(delay)
        p.kill()
        code, msg = finish(p, pipe)
        result = outcome(db_url, before, pr.whole)
        assert code in (0, -signal.SIGKILL), (where, code, msg)
        if code == 0 or msg is not None:  # it finished (and reported) before the kill
            assert msg is not None and msg[0] == "ok" and result == "whole", (where, msg, result)
        else:
            assert result in ("before", "whole"), (where, result)
        if result == "whole":
            op.check_whole(db_url)
        saved.restore()
    assert snapshot(db_url) == before


def test_a_store_neither_as_before_nor_whole_is_torn(db_url: str, op: Op, saved: Saved) -> None:
    """The judge itself: a store missing one row of the operation, or with one value changed,
    is neither outcome."""
    pr = probe(saved, op)
    before = snapshot(db_url)
    with Store.open(db_url) as store:
        op.apply(store)
    assert outcome(db_url, before, pr.whole) == "whole"
    table = "published_cells" if op.kind == "import" else "period_classes"
    key = "import_id" if op.kind == "import" else "period_id"
    engine = create_engine(parse_url(db_url), poolclass=NullPool)  # no session left open
    try:
        with engine.begin() as conn:
            newest = conn.execute(text(f"SELECT max({key}) FROM {table}")).scalar_one()
            conn.execute(
                text(f"UPDATE {table} SET position = position + 1000 WHERE {key} = :k"),
                {"k": newest},
            )
        assert outcome(db_url, before, pr.whole).startswith(
            f"torn: differs from the store before in ['{table}'"
        )
        with engine.begin() as conn:
            conn.execute(text(f"DELETE FROM {table} WHERE {key} = :k"), {"k": newest})
        result = outcome(db_url, before, pr.whole)
        assert result.startswith("torn") and result.endswith(f"['{table}']"), result
    finally:
        engine.dispose()
