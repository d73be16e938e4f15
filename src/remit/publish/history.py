"""A deal's closed months read back from the store, for what looks across periods: the
site's charts and the extended statement's life figures (life CPR and CDR, advances
outstanding)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from remit.publish.analytics import Speeds, speeds
from remit.remittance import Remittance, parse_remittance
from remit.statement.extended import PriorPerformance
from remit.store import HistoryRow, Store


@dataclass(frozen=True)
class Month:
    """One closed date (its current version): the history row, the stored statement as
    JSON data, the remittance and the month's speeds."""

    row: HistoryRow
    statement: dict[str, Any]
    remittance: Remittance
    speeds: Speeds


def months(store: Store, deal_id: str) -> list[Month]:
    out = []
    for r in store.history(deal_id):
        if not r.current:
            continue
        p = store.period(deal_id, r.distribution_date)
        _, rem_text, source, _ = store.inputs(p.id)
        rem = parse_remittance(rem_text, source)
        pr = rem.principal
        sp = speeds(
            r.pool_beginning,
            pr.scheduled_principal,
            pr.unscheduled_principal + pr.repurchases_principal,
            pr.liquidated_balance,
        )
        out.append(Month(r, json.loads(p.statement_json), rem, sp))
    return out


def prior_performance(store: Store, deal_id: str, when: date) -> PriorPerformance:
    """The months before ``when``: their speeds and the advances outstanding after them.
    Complete when they run, without a gap, from the deal's first period."""
    before = [m for m in months(store, deal_id) if m.row.distribution_date < when]
    outstanding = sum(
        (
            m.remittance.advances.p_and_i_advances - m.remittance.advances.reimbursements
            for m in before
        ),
        Decimal("0.00"),
    )
    complete = [m.row.period for m in before] == list(range(1, len(before) + 1))
    return PriorPerformance(tuple(m.speeds for m in before), outstanding, complete)
