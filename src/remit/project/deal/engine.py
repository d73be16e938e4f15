"""The deal projection's loop: from a closed state, one distribution date after another, the
deal's own rules in either mode -- on float arrays, every scenario at once (the projection),
or on Decimals, one path (the same model as a plain loop; an actual remittance fed to it
gives the close's amounts).

Each date: the fees (the servicer's amounts where the month reports them, else each fee at
the deal's rate on the beginning pool balance, to the cent, as the close computes a fee);
the family's period from the month's collections and the running state; the close's
``prepare`` and waterfall; the state rolled forward (:mod:`.running`). What each date paid is
recorded by class and for the deal (:class:`Recorded`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextlib import nullcontext
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np

from remit.close.period import accrual_period, expected_date
from remit.close.state import DealState
from remit.project.deal import oc, shifting
from remit.project.deal.months import Month
from remit.project.deal.running import FamilySteps, Running, Step, roll, start
from remit.project.formulas import F64
from remit.rules.ops import Amount, Exact, Flag, Ops, exact_context
from remit.spec.models import DealSpec
from remit.waterfall.steps import holder

FAMILY_STEPS: dict[str, FamilySteps] = {"oc": oc.STEPS, "shifting": shifting.STEPS}

#: What is recorded for each class and date (``writedown``: net of write-ups; ``cash``:
#: everything the class is paid, with excess cash, penalties, the closing deposit).
CLASS_FIELDS = (
    "interest",
    "basis_risk_paid",
    "principal",
    "realized_loss_paid",
    "writedown",
    "cash",
    "ending_balance",
    "unpaid_interest",
    "basis_risk_carryforward",
    "unpaid_realized_loss",
)
#: What is recorded for the deal on each date, before the family's own figures.
DEAL_FIELDS = (
    "pool_beginning",
    "scheduled_interest",
    "fees",
    "scheduled_principal",
    "unscheduled_principal",
    "liquidated_balance",
    "realized_losses",
    "recoveries",
    "penalties",
    "pool_ending",
    "delinquent_60plus",
    "cumulative_loss",
    "certificate_balance",
)


class Recorded:
    """Every date's figures: ``klass(name, field)`` and ``deal(field)``, each an array shaped
    (dates, scenarios); ``dates`` the distribution dates. The loop keeps each date's arrays
    as they come (no copy); an array of all dates is made when it is first asked for."""

    def __init__(self) -> None:
        self.dates: list[date] = []
        self._rows: dict[tuple[str, str], list[Any]] = {}
        self._arrays: dict[tuple[str, str], F64] = {}

    def add(self, who: str, field: str, value: Any) -> None:
        rows = self._rows.get((who, field))
        if rows is None:
            rows = self._rows[(who, field)] = []
        rows.append(value)

    def _array(self, key: tuple[str, str]) -> F64:
        out = self._arrays.get(key)
        if out is None:
            rows = self._rows[key]
            if rows and isinstance(rows[0], np.ndarray):
                out = np.stack(rows).astype(np.float64, copy=False)
            else:
                out = np.array([[float(x)] for x in rows], dtype=np.float64)
            self._arrays[key] = out
        return out

    def klass(self, name: str, field: str) -> F64:
        return self._array(("class:" + name, field))

    def deal(self, field: str) -> F64:
        return self._array(("deal", field))

    @property
    def deal_fields(self) -> list[str]:
        return [f for who, f in self._rows if who == "deal"]


def run_months(
    spec: DealSpec,
    state: DealState,
    months: Iterable[Month[Amount]],
    fee_rates: Mapping[str, Decimal],
    ops: Ops[Amount, Flag],
    count: int | None = None,
) -> tuple[Recorded, Running[Amount, Flag]]:
    """Run the deal over ``months`` (at most ``count``) from ``state``; returns what was
    recorded and the state after the last date."""
    steps = FAMILY_STEPS[spec.family]
    rec = Recorded()
    with exact_context() if isinstance(ops, Exact) else nullcontext():
        run = start(spec, state, steps.memory(spec, state, ops), ops)
        dated = state
        for m, month in enumerate(months):
            if count is not None and m >= count:
                break
            when = expected_date(spec, dated)
            days = {c.name: accrual_period(spec, c, dated, when)[2] for c in spec.classes}
            fees = month.fees
            if fees is None:
                fees = {
                    f: ops.cents(run.pool * ops.const(r) / ops.const(12))
                    for f, r in fee_rates.items()
                }
            s = steps.step(spec, when, dated.distribution_date, run, month, fees, days, ops)
            after = roll(
                run,
                s.out,
                run.pool - month.pool_reduction(ops),
                run.cumulative_loss
                + month.total("realized_losses", ops)
                - month.total("subsequent_recoveries", ops),
                steps.roll(spec, run, month, s, ops),
                ops,
            )
            _record(rec, spec, run, after, month, fees, s, steps.figures(spec, s, ops), ops)
            rec.dates.append(when)
            run = after
            dated = dated.with_(distribution_date=when)
    return rec, run


def _record(
    rec: Recorded,
    spec: DealSpec,
    run: Running[Amount, Flag],
    after: Running[Amount, Flag],
    month: Month[Amount],
    fees: dict[str, Amount],
    s: Step[Amount, Flag],
    figures: dict[str, Any],
    ops: Ops[Amount, Flag],
) -> None:
    cash: dict[str, Amount] = {}
    for f in s.out.flows:
        if f.kind == "cash":
            cash[f.target] = cash[f.target] + f.amount if f.target in cash else f.amount
    zero = ops.zero()
    add = rec.add
    for c in spec.classes:
        o = s.out.classes[c.name]
        who = "class:" + c.name
        paid = cash.get(holder(c.name), zero)
        principal = o.principal_paid
        if c.retire is not None:
            # retired from the closing deposit: paid its balance from it, outside the waterfall
            deposit = run.classes[c.name].balance
            paid, principal = paid + deposit, principal + deposit
        add(who, "interest", o.interest_current_paid + o.interest_unpaid_paid)
        add(who, "basis_risk_paid", o.basis_risk_paid)
        add(who, "principal", principal)
        add(who, "realized_loss_paid", o.realized_loss_paid)
        add(who, "writedown", o.writedown - o.writeup)
        add(who, "cash", paid)
        after_c = after.classes[c.name]
        add(who, "ending_balance", after_c.balance)
        add(who, "unpaid_interest", after_c.unpaid_interest)
        add(who, "basis_risk_carryforward", after_c.basis_risk_carryforward)
        add(who, "unpaid_realized_loss", after_c.unpaid_realized_loss)
    t = month.total
    for k, v in (
        ("pool_beginning", run.pool),
        ("scheduled_interest", t("scheduled_interest", ops)),
        ("fees", ops.sum(fees.values())),
        ("scheduled_principal", t("scheduled_principal", ops)),
        (
            "unscheduled_principal",
            t("unscheduled_principal", ops) + t("repurchases_principal", ops),
        ),
        ("liquidated_balance", t("liquidated_balance", ops)),
        ("realized_losses", t("realized_losses", ops)),
        ("recoveries", t("subsequent_recoveries", ops)),
        ("penalties", month.penalties),
        ("pool_ending", after.pool),
        ("delinquent_60plus", month.delinquent_60plus),
        ("cumulative_loss", after.cumulative_loss),
        (
            "certificate_balance",
            ops.sum(after.classes[c.name].balance for c in spec.principal_classes),
        ),
        *figures.items(),
    ):
        add("deal", k, v)
