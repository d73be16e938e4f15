"""What a deal projection writes, per scenario and distribution date (floats):

* ``deal.parquet`` / ``deal.csv``: one row per (scenario, date): the pool (balances,
  scheduled interest, fees, principal, liquidations, losses, 60+ day delinquent balance,
  cumulative losses), the certificates' balance and the family's figures (the OC and its
  target, the excess cash, the stepdown and trigger; or each group's senior and senior
  prepayment percentages, the subordinate percentage, the step-down tests);
* ``classes.parquet`` / ``classes.csv``: one row per (scenario, date, class): its balance
  before and after, interest, basis risk carryforward paid, principal, reimbursed realized
  losses, write-downs, all the cash it received, and its carryforwards;
* ``collateral.parquet`` / ``collateral.csv``: the collateral engine's every field by
  scenario, loan group and month (interest at the note rates: no fee is taken there);
* ``summary.json``: per scenario, the pool's totals and each class's totals, average life
  and what it is left with.

Conservation holds in every row and is checked by :func:`check_conservation`."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import numpy as np

from remit.project.columns import Columns, category, frame
from remit.project.deal.engine import CLASS_FIELDS
from remit.project.deal.projection import DealProjection
from remit.project.formulas import F64
from remit.project.pool import wal_years

if TYPE_CHECKING:
    import pandas as pd

#: Deal-level totals in ``summary.json``.
TOTALS = (
    "scheduled_interest",
    "fees",
    "scheduled_principal",
    "unscheduled_principal",
    "liquidated_balance",
    "realized_losses",
)


#: Deal figures that are fractions or flags (0/1), not money; every other is on the cent.
NOT_MONEY = (
    "delinquency_60plus_pct",
    "stepdown",
    "trigger",
    "subordinate_percentage",
    "senior_prepayment_share",
    "stepdown_conditions",
    "two_times_test",
    "credit_support_depleted",
)


def is_money(field: str) -> bool:
    return field not in NOT_MONEY and not field.endswith("percentage")


def _cents(a: np.ndarray) -> np.ndarray:
    """Money on the cent (the projection keeps it there; this drops float noise)."""
    return np.round(a, 2) + 0.0


def _keys(p: DealProjection, per: int = 1) -> Columns:
    """The (scenario, month, date) columns, each row repeated ``per`` times (the scenario
    a categorical column: its names once, a code a row)."""
    s, m = len(p.scenarios), p.months
    return {
        "scenario": category([sc.name for sc in p.scenarios], m * per),
        "month": np.tile(np.repeat(np.arange(1, m + 1), per), s),
        "date": np.tile(np.repeat(np.array(p.dates, dtype="datetime64[D]"), per), s),
    }


def deal_columns(p: DealProjection) -> Columns:
    """``deal.csv``'s columns: one row per (scenario, date)."""
    data = _keys(p)
    for f in p.recorded.deal_fields:
        a = p.deal_field(f).reshape(-1)
        data[f] = _cents(a) if is_money(f) else a
    return data


def deal_frame(p: DealProjection) -> pd.DataFrame:
    """``deal.csv``: one row per (scenario, date)."""
    return frame(deal_columns(p))


def class_columns(p: DealProjection, fields: tuple[str, ...] = CLASS_FIELDS) -> Columns:
    """``classes.csv``'s columns: one row per (scenario, date, class), classes in the deal's
    order."""
    names = [c.name for c in p.start.spec.classes]
    k = len(names)
    data = _keys(p, k)
    data["class"] = category(names, times=len(p.scenarios) * p.months)
    cols = {f: np.stack([p.class_field(n, f) for n in names], axis=2) for f in fields}
    if "beginning_balance" not in cols:
        end = np.stack([p.class_field(n, "ending_balance") for n in names], axis=2)
        first = np.array([float(p.start.state.classes[n].balance) for n in names])
        begin = np.empty_like(end)
        begin[:, 0, :] = first
        begin[:, 1:, :] = end[:, :-1, :]
        data["beginning_balance"] = _cents(begin.reshape(-1))
    for f, a in cols.items():
        data[f] = _cents(a.reshape(-1))
    return data


def class_frame(p: DealProjection, fields: tuple[str, ...] = CLASS_FIELDS) -> pd.DataFrame:
    """``classes.csv``: one row per (scenario, date, class), classes in the deal's order."""
    return frame(class_columns(p, fields))


def summary(p: DealProjection, s: int) -> dict[str, object]:
    """Scenario ``s``'s totals: the pool's and each class's (principal, interest and other
    cash, write-downs, the average life of its principal in years from the start, what it
    has left at the end)."""
    out: dict[str, object] = {
        "deal": p.start.deal_id,
        "scenario": p.scenarios[s].name,
        "start": p.start.description,
        "first_date": p.dates[0].isoformat() if p.dates else None,
        "last_date": p.dates[-1].isoformat() if p.dates else None,
        "months": p.months,
        "pool_balance": float(p.start.state.pool_balance),
    }
    for f in TOTALS:
        out[f] = float(p.deal_field(f)[s].sum())
    out["pool_ending"] = float(p.deal_field("pool_ending")[s][-1]) if p.months else 0.0
    classes: dict[str, dict[str, float]] = {}
    for c in p.start.spec.classes:
        st = p.stream(c.name, s)
        classes[c.name] = {
            "principal": float(st.principal.sum()),
            "interest": float(st.interest.sum()),
            "cash": float(st.cash.sum()),
            "writedown": float(st.loss.sum()),
            "wal_years": wal_years(st.principal),
            "ending_balance": _last(p, c.name, "ending_balance", s),
            "unpaid_interest": _last(p, c.name, "unpaid_interest", s),
            "basis_risk_carryforward": _last(p, c.name, "basis_risk_carryforward", s),
        }
    out["classes"] = classes
    return out


def _last(p: DealProjection, name: str, field: str, s: int) -> float:
    return float(p.class_field(name, field)[s][-1]) if p.months else 0.0


def flat_summary(p: DealProjection, s: int) -> dict[str, object]:
    """:func:`summary` as one flat row (class figures under ``CLASS:figure``)."""
    row = summary(p, s)
    classes = row.pop("classes")
    assert isinstance(classes, dict)
    for name, figs in classes.items():
        for k, v in figs.items():
            row[f"{name}:{k}"] = v
    return row


def projection_files(p: DealProjection, pictures: bool = False) -> dict[str, str | bytes]:
    """Every file of ``remit project DEAL_DIR --out DIR``, in memory."""
    from remit.project.outputs import csv_text, long_frame, parquet_bytes

    deal, classes, coll = deal_frame(p), class_frame(p), long_frame(p.collateral)
    sums = [summary(p, s) for s in range(len(p.scenarios))]
    files: dict[str, str | bytes] = {
        "deal.csv": csv_text(deal),
        "deal.parquet": parquet_bytes(deal),
        "classes.csv": csv_text(classes),
        "classes.parquet": parquet_bytes(classes),
        "collateral.csv": csv_text(coll),
        "collateral.parquet": parquet_bytes(coll),
        "summary.json": json.dumps(sums[0] if len(sums) == 1 else sums, indent=2) + "\n",
    }
    if pictures:
        from remit.project.deal.plots import balances_png, cash_flows_png, interactive_html

        files["class_balances.png"] = balances_png(p)
        files["class_cash_flows.png"] = cash_flows_png(p)
        files["deal_projection.html"] = interactive_html(p)
    return files


def check_conservation(p: DealProjection, tol: float = 0.005) -> list[str]:
    """Every scenario and date, to ``tol``:

    * the pool's decline is its scheduled and unscheduled principal and the balance
      liquidated (principal recovered plus losses);
    * every dollar available is paid out: the classes' cash is the interest and principal
      remittance and the penalties (no money made or lost);
    * the certificates' decline is the principal and the write-downs they were paid;
    * overcollateralization deals: the certificates' principal is the principal remittance
      less the OC release plus the extra principal (what the OC retains or releases), unless
      the certificates are paid off (after the stepdown date a cent per class may go to the
      excess cash instead: the classes' targets are each on the cent);
    * no balance or carryforward is negative.

    Returns what fails (nothing, when the projection is sound)."""
    spec = p.start.spec
    fails: list[str] = []

    def check(name: str, diff: F64) -> None:
        bad = np.abs(diff) > tol
        if bad.any():
            s, m = np.argwhere(bad)[0]
            fails.append(f"{name}: scenario {s}, month {m + 1}, off by {diff[s, m]:.2f}")

    d = p.deal_field
    begin, end = d("pool_beginning"), d("pool_ending")
    check(
        "pool decline",
        begin
        - end
        - d("scheduled_principal")
        - d("unscheduled_principal")
        - d("liquidated_balance"),
    )

    def total(names: list[str], field: str) -> F64:
        return np.zeros_like(begin) + sum((p.class_field(n, field) for n in names), 0.0)

    every = [c.name for c in spec.classes]
    deposit = total([c.name for c in spec.classes if c.retire is not None], "principal")
    cash = total(every, "cash") - deposit
    check("cash", cash - d("interest_remittance") - d("principal_remittance") - d("penalties"))
    names = [c.name for c in spec.principal_classes]
    cert_end = total(names, "ending_balance")
    first = sum(float(p.start.state.classes[n].balance) for n in names)
    cert_begin = np.concatenate([np.full((len(p.scenarios), 1), first), cert_end[:, :-1]], 1)
    principal = total(names, "principal")
    writedown = total(names, "writedown")
    check("certificates", cert_begin - cert_end - principal - writedown)
    if "oc_release" in p.recorded.deal_fields:
        # the classes' targets after the stepdown date, each on the cent, may leave a cent
        # per class of the principal distribution amount to the excess cash
        expected = d("principal_remittance") - d("oc_release") + d("extra_principal")
        short = np.where(cert_end > tol, expected - principal, 0)
        check("principal to the certificates", np.clip(short, 0, 0.01 * len(names)) - short)
    for c in spec.classes:
        for f in ("ending_balance", "unpaid_interest", "basis_risk_carryforward"):
            if (p.class_field(c.name, f) < -tol).any():
                fails.append(f"negative {f} of {c.name}")
    if (end < -tol).any():
        fails.append("negative pool balance")
    return fails
