"""Restatement and sequence: a closed date is refused unless restated with a reason; a
restatement is a new version beside the old one, its statement amended, and every later
period stale until closed again, in order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import remit
from remit.errors import RemitError
from remit.store import Store
from remit.workflows import close_period
from tests.store.helpers import DEAL_ID, amend_penalties, close_n, current_rows, dump


def test_closing_a_closed_date_is_refused(db_url: str, deal_dir: Path) -> None:
    stored = close_n(db_url, deal_dir, 2)
    before = dump(db_url)
    deal = remit.load_deal(deal_dir)
    with Store.open(db_url) as store:
        with pytest.raises(RemitError, match="to restate it, restate it with a reason"):
            close_period(store, deal, stored[0].distribution_date)
        with pytest.raises(RemitError, match="reason"):
            close_period(store, deal, stored[0].distribution_date, restate=True)
        with pytest.raises(RemitError, match="reason"):
            close_period(store, deal, stored[0].distribution_date, restate=True, reason="  ")
        with pytest.raises(RemitError, match="nothing to restate"):
            close_period(store, deal, "2003-06-25", restate=True, reason="x")
        with pytest.raises(RemitError, match="dates close in sequence"):
            close_period(store, deal, "2003-07-25")
    assert dump(db_url) == before


def test_restatement_versions_amends_and_flags_later_periods(db_url: str, deal_dir: Path) -> None:
    stored = close_n(db_url, deal_dir, 4)
    d1, d2, d3 = (p.distribution_date for p in stored[1:])
    amend_penalties(deal_dir, d1)
    deal = remit.load_deal(deal_dir)
    with Store.open(db_url) as store:
        v2 = close_period(store, deal, d1, restate=True, reason="servicer corrected penalties")
        assert (v2.version, v2.amended, v2.reason) == (2, True, "servicer corrected penalties")
        assert json.loads(v2.statement_json)["amended"] is True
        old = store.period(DEAL_ID, d1, version=1)
        assert old.statement_text == stored[1].statement_text and not old.current
        assert json.loads(old.statement_json)["amended"] is False
        assert [(r.distribution_date, r.version, r.stale) for r in current_rows(db_url)] == [
            (stored[0].distribution_date, 1, False),
            (d1, 1, False),
            (d1, 2, False),
            (d2, 1, True),
            (d3, 1, True),
        ]
        assert store.deals()[0].stale == 2
        # Nothing new may close while later periods are stale, nor out of order.
        with pytest.raises(RemitError, match="stale"):
            close_period(store, deal, "next")
        with pytest.raises(RemitError, match="stale"):
            close_period(store, deal, d3, restate=True, reason="re-close")
        r2 = close_period(store, deal, d2, restate=True, reason="re-close after restatement")
        assert (r2.version, r2.amended, r2.stale) == (2, True, False)
        assert r2.state.classes["B-IO"] == stored[2].state.classes["B-IO"]
        r3 = close_period(store, deal, d3, restate=True, reason="re-close after restatement")
        assert not r3.stale and store.deals()[0].stale == 0
        nxt = close_period(store, deal, "next")
        assert nxt.version == 1 and nxt.period == 5
        history = store.history(DEAL_ID)
        assert [(h.version, h.current, h.stale) for h in history if h.distribution_date == d2] == [
            (1, False, True),
            (2, True, False),
        ]


def test_restating_the_first_period_starts_from_closing(db_url: str, deal_dir: Path) -> None:
    stored = close_n(db_url, deal_dir, 1)
    with Store.open(db_url) as store:
        v2 = close_period(
            store,
            remit.load_deal(deal_dir),
            stored[0].distribution_date,
            restate=True,
            reason="r",
            force=True,  # nothing changed: a restatement is stored only when forced
        )
        assert v2.prior_id is None and v2.state == stored[0].state
