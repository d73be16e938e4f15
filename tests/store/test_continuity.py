"""Continuity: each stored period starts where the stored period before it ended -- the pool,
every class and every carryforward -- including across a restatement, and the store's exact
aggregates agree with the Decimal arithmetic."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from sqlalchemy import create_engine, func, select, text

import remit
from remit.store import Store
from remit.store.engine import parse_url
from remit.store.models import PeriodClassRow, PeriodRow
from remit.workflows import close_period
from tests.store.helpers import DEAL_ID, amend_penalties, close_n

MONTHS = 12


def assert_continuous(store: Store) -> int:
    """Every current period's stored prior is the current state of the date before it; the
    history's beginning balances are the previous period's ending balances."""
    rows = [r for r in store.history(DEAL_ID) if r.current]
    periods = [store.period(DEAL_ID, r.distribution_date) for r in rows]
    for before, after, hb, ha in zip(periods, periods[1:], rows, rows[1:], strict=False):
        assert after.prior_id == before.id
        _, _, _, prior = store.inputs(after.id)
        assert prior == before.state  # pool, count, every class and carryforward
        assert after.period == before.period + 1
        assert ha.pool_beginning == hb.pool_ending
        for cb, ca in zip(hb.classes, ha.classes, strict=True):
            assert ca.name == cb.name
            assert ca.beginning_balance == cb.ending_balance
        assert after.state.deal_id == DEAL_ID
    first = periods[0]
    assert first.prior_id is None and first.period == 1
    return len(periods)


def test_twelve_months_continuous(db_url: str, deal_dir: Path) -> None:
    stored = close_n(db_url, deal_dir, MONTHS)
    assert [p.version for p in stored] == [1] * MONTHS
    with Store.open(db_url) as store:
        assert assert_continuous(store) == MONTHS
        # The chain also matches closing the deal directory in one go, without the store.
        direct = remit.close_date(remit.load_deal(deal_dir), stored[-1].distribution_date)
        assert store.period(DEAL_ID, stored[-1].distribution_date).state == direct.state


def test_continuity_survives_restatement(db_url: str, deal_dir: Path) -> None:
    stored = close_n(db_url, deal_dir, 4)
    d2 = stored[1].distribution_date
    amend_penalties(deal_dir, d2)
    deal = remit.load_deal(deal_dir)
    with Store.open(db_url) as store:
        close_period(store, deal, d2, restate=True, reason="penalties corrected")
        for p in stored[2:]:
            close_period(store, deal, p.distribution_date, restate=True, reason="re-close")
        assert assert_continuous(store) == 4
        assert store.history(DEAL_ID)[-1].stale is False


def test_sql_aggregates_are_exact(db_url: str, deal_dir: Path) -> None:
    stored = close_n(db_url, deal_dir, MONTHS)
    engine = create_engine(parse_url(db_url))
    try:
        with engine.connect() as conn:
            # The classes' ending balances (the OC class holds pool - certificates) sum, in
            # SQL, to the pool balance, to the cent, for every period.
            q = (
                select(PeriodRow.pool_ending, func.sum(PeriodClassRow.ending_balance))
                .join(PeriodClassRow, PeriodClassRow.period_id == PeriodRow.id)
                .group_by(PeriodRow.id, PeriodRow.pool_ending)
            )
            rows = conn.execute(q).all()
            assert len(rows) == MONTHS
            for pool, total in rows:
                assert isinstance(total, Decimal)
                assert total == pool
            # Total principal over the year, in SQL and in Decimal from the remittances.
            sql_total = conn.execute(
                select(func.sum(PeriodRow.scheduled_principal + PeriodRow.unscheduled_principal))
            ).scalar_one()
            deal = remit.load_deal(deal_dir)
            rems = [deal.remittance(p.distribution_date) for p in stored]
            py_total = sum(
                (r.principal.scheduled_principal + r.principal.unscheduled_principal for r in rems),
                Decimal("0.00"),
            )
            assert isinstance(sql_total, Decimal)
            assert sql_total == py_total
            if conn.dialect.name == "sqlite":
                kinds = conn.execute(
                    text(
                        "SELECT DISTINCT typeof(pool_ending), typeof(factor) FROM periods "
                        "JOIN period_classes ON period_id = id"
                    )
                ).all()
                assert kinds == [("integer", "integer")]
            else:
                kind = conn.execute(
                    text(
                        "SELECT data_type FROM information_schema.columns "
                        "WHERE table_name = 'periods' AND column_name = 'pool_ending'"
                    )
                ).scalar_one()
                assert kind == "numeric"
    finally:
        engine.dispose()
