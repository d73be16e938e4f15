"""A deal projected under scenarios: the collateral projected (vectorised across scenarios),
each month rounded into a distribution date's collections, and the deal's own rules run on
every scenario at once, to the last month any scenario's collateral pays (maturity, the last
liquidation, or the clean-up call)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from remit.errors import Problem, RemitError
from remit.project.analytics import Stream
from remit.project.deal.engine import Recorded, run_months
from remit.project.deal.months import index_paths, projected_month, round_collateral
from remit.project.deal.start import Start
from remit.project.engine import CollateralFlows, project_collateral
from remit.project.formulas import F64
from remit.project.scenario import Scenario
from remit.rules.ops import Vector


@dataclass
class DealProjection:
    """The deal under each scenario: the collateral's flows and what every date paid, by
    class and for the deal (arrays shaped (dates, scenarios))."""

    start: Start
    scenarios: list[Scenario]
    collateral: CollateralFlows
    recorded: Recorded

    @property
    def dates(self) -> list[date]:
        return self.recorded.dates

    @property
    def months(self) -> int:
        return len(self.recorded.dates)

    def class_field(self, name: str, field: str) -> F64:
        """A class's field, shaped (scenarios, dates)."""
        out: F64 = self.recorded.klass(name, field).T
        return out

    def deal_field(self, field: str) -> F64:
        out: F64 = self.recorded.deal(field).T
        return out

    def face(self, name: str) -> float:
        """What a class's price is per 100 of: its balance at the start, or, for a class
        with a notional amount (interest only), the pool balance."""
        c = self.start.spec.cls(name)
        st = self.start.state
        if c.notional == "pool_balance":
            return float(st.pool_balance)
        return float(st.classes[name].balance)

    def stream(self, name: str, s: int) -> Stream:
        """Class ``name``'s cash flows under scenario ``s``: principal (with reimbursed
        realized losses), the rest of its cash as interest (with carryforwards, excess cash
        and penalties a residual or OC class takes), its write-downs net of write-ups."""
        principal = (
            self.class_field(name, "principal")[s] + self.class_field(name, "realized_loss_paid")[s]
        )
        cash = self.class_field(name, "cash")[s]
        loss = self.class_field(name, "writedown")[s]
        return Stream(
            principal=principal, interest=cash - principal, loss=loss, face=self.face(name)
        )


def deal_scenario(start: Start, sc: Scenario) -> Scenario:
    """``sc`` with its clean-up call at the deal's terms: a percentage of the cut-off balance
    (the scenario's ``call_pct``, else the deal's optional termination percentage), as a
    fraction of the balance the projection starts from."""
    pct = sc.call_pct if sc.call_pct_set else float(start.spec.dates.optional_termination_pct)
    cut_off = float(start.spec.collateral.cut_off_balance)
    begin = float(start.collateral.balance.sum())
    return replace(sc, call_pct=min(pct * cut_off / begin, 1.0) if begin > 0 else 1.0)


def check_indices(start: Start, scenarios: Sequence[Scenario]) -> None:
    """Every index without a known fixing has a path in every scenario."""
    problems = []
    for name, base in start.index_base.items():
        if base is not None:
            continue
        for sc in scenarios:
            if name not in sc.index and "*" not in sc.index:
                problems.append(
                    Problem(
                        f'scenario "{sc.name}"',
                        "index",
                        "(none)",
                        f"a path for {name} (no remittance of {start.deal_id} gives a fixing)",
                    )
                )
    if problems:
        raise RemitError(problems)


def project_deal(start: Start, scenarios: Sequence[Scenario]) -> DealProjection:
    """The deal under every scenario, vectorised."""
    scenarios = list(scenarios)
    check_indices(start, scenarios)
    run = [deal_scenario(start, sc) for sc in scenarios]
    flows = project_collateral(start.collateral, run)
    n = len(scenarios)
    ops = Vector(n)
    rounded = round_collateral(flows, ops)
    base = {k: v if v is not None else 0.0 for k, v in start.index_base.items()}
    index = index_paths(run, base, flows.months)
    zero = np.zeros(n)
    months = (projected_month(rounded, index, m, zero) for m in range(flows.months))
    recorded, _ = run_months(start.spec, start.state, months, start.fee_rates, ops)
    return DealProjection(start, scenarios, flows, recorded)
