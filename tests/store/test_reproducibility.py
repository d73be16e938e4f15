"""Reproducibility: closing a stored period again from its stored inputs alone (spec text,
remittance text, stored prior state) gives a byte-identical statement, in every version."""

from __future__ import annotations

from pathlib import Path

import remit
from remit.store import Store
from remit.store.write import sha256
from remit.workflows import close_period, reproduce
from tests.store.helpers import DEAL_ID, amend_penalties, close_n


def test_every_stored_period_reproduces_byte_for_byte(db_url: str, deal_dir: Path) -> None:
    stored = close_n(db_url, deal_dir, 12)
    # The deal directory may change or vanish afterwards: the store alone must suffice.
    for f in (deal_dir / "remittances").glob("*.toml"):
        f.write_text("garbage")
    (deal_dir / "deal.toml").unlink()
    with Store.open(db_url) as store:
        for p in stored:
            again = reproduce(store, DEAL_ID, p.distribution_date)
            assert again.statement_text.encode() == p.statement_text.encode()
            assert again.statement_json.encode() == p.statement_json.encode()
            assert again.identical
            assert sha256(again.statement_text) == p.statement_sha256


def test_restated_version_reproduces_and_is_amended(db_url: str, deal_dir: Path) -> None:
    stored = close_n(db_url, deal_dir, 3)
    d = stored[2].distribution_date
    amend_penalties(deal_dir, d)
    with Store.open(db_url) as store:
        v2 = close_period(store, remit.load_deal(deal_dir), d, restate=True, reason="penalty")
        assert v2.version == 2 and v2.amended
        assert '"amended": true' in v2.statement_json.replace('":true', '": true')
        assert v2.statement_text != stored[2].statement_text  # the amounts changed
        for version in (1, 2):
            again = reproduce(store, DEAL_ID, d, version)
            assert again.identical
        assert store.period(DEAL_ID, d, 1).statement_text == stored[2].statement_text
