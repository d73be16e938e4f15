"""A deal's closed months read back from the store, for what looks across periods: the
site's charts and the extended statement's history (life CPR and CDR, advances
outstanding)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from remit.close import PeriodResult
from remit.close.period import monthly_speeds
from remit.publish.analytics import Speeds, life_annual, speeds
from remit.remittance import Remittance, parse_remittance
from remit.statement.view import History
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


def history_through(store: Store, r: PeriodResult) -> History | None:
    """The deal's history through the date ``r`` closed: life CPR and CDR from every month's
    SMM and MDR as the close defines them (:func:`remit.close.period.monthly_speeds`; this
    month's from ``r``), and the P&I advances made less reimbursed since closing. None
    unless the stored months before the date run, without a gap, from the deal's first."""
    when = r.distribution_date
    before = [m for m in months(store, r.spec.deal.id) if m.row.distribution_date < when]
    if [m.row.period for m in before] != list(range(1, r.prior.period + 1)):
        return None
    monthly = [monthly_speeds(m.row.pool_beginning, m.remittance) for m in before]
    rems = [*(m.remittance for m in before), r.remittance]
    outstanding = sum(
        (x.advances.p_and_i_advances - x.advances.reimbursements for x in rems),
        Decimal("0.00"),
    )
    return History(
        life_cpr=life_annual([*(f["pool:smm"].value for f in monthly), r.figure("pool:smm")]),
        life_cdr=life_annual([*(f["pool:mdr"].value for f in monthly), r.figure("pool:mdr")]),
        advances_outstanding=outstanding,
        basis=f"the {len(rems)} periods since closing: 1 - (product of (1 - monthly rate))^"
        f"(12 / {len(rems)})",
    )
