"""A small two-group senior/subordinate test deal and remittances for it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from remit.close import DealState
from remit.remittance import Remittance
from remit.spec import load_spec
from remit.spec.models import ShiftingSpec

MINI_SI = Path(__file__).resolve().parent.parent / "fixtures" / "mini-si" / "deal.toml"
FIELDS = (
    "scheduled_interest",
    "scheduled_principal",
    "unscheduled_principal",
    "repurchases_principal",
    "liquidated_balance",
    "liquidation_proceeds",
    "realized_losses",
    "subsequent_recoveries",
    "prepayment_interest_shortfall",
    "compensating_interest",
    "relief_act_shortfall",
)


def si_spec() -> ShiftingSpec:
    spec = load_spec(MINI_SI)
    assert isinstance(spec, ShiftingSpec)
    return spec


def si_remittance(
    when: date, prior: DealState, groups: dict[str, dict[str, Any]], **extra: Any
) -> Remittance:
    """A remittance whose pool-level figures are the groups' added up."""
    g = {name: {"ending_count": prior.loan_count // 2, **fields} for name, fields in groups.items()}
    names = list(g)
    g[names[0]]["ending_count"] = prior.loan_count - sum(
        int(g[n]["ending_count"]) for n in names[1:]
    )

    def total(f: str) -> str:
        return str(sum((Decimal(str(x.get(f, "0"))) for x in g.values()), Decimal("0.00")))

    data: dict[str, Any] = {
        "deal": "mini-si-2004",
        "distribution_date": when,
        "interest": {f: total(f) for f in FIELDS[:1] + FIELDS[8:]},
        "principal": {f: total(f) for f in FIELDS[1:8]},
        "collateral": {
            "ending_count": prior.loan_count,
            "ending_actual_balance": "1.00",
            "wam": 300,
            "p_and_i_constant": "1.00",
        },
        "groups": g,
    }
    if any(Decimal(str(x.get("liquidated_balance", "0"))) for x in g.values()):
        data["principal"]["liquidations_count"] = 1
        data["collateral"]["ending_count"] = prior.loan_count - 1
        g[names[0]]["ending_count"] = int(g[names[0]]["ending_count"]) - 1
    data.update(extra)
    return Remittance.model_validate(data)
