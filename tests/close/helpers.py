"""A small overcollateralized test deal and remittances for it, with round numbers."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from remit.close import DealState, PeriodResult, close, initial_state
from remit.remittance import Remittance
from remit.spec import OCSpec, load_spec

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "mini" / "deal.toml"


def mini_spec() -> OCSpec:
    return load_spec(MINI)


def c(x: Decimal) -> Decimal:
    """Hand arithmetic: half-up to the cent."""
    return x.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def D(s: str) -> Decimal:
    return Decimal(s)


def remittance(
    when: date,
    prior: DealState,
    *,
    sched_interest: str = "500000.00",
    sched_principal: str = "100000.00",
    unscheduled: str = "900000.00",
    libor: str = "0.01",
    payoffs: int = 0,
    **extra: Any,
) -> Remittance:
    """A remittance for the mini deal; ``extra`` overrides nested tables (interest=..., ...)."""
    principal: dict[str, Any] = {
        "scheduled_principal": sched_principal,
        "unscheduled_principal": unscheduled,
        "payoffs_count": payoffs,
    }
    principal.update(extra.pop("principal", {}))
    removed = payoffs + int(principal.get("liquidations_count", 0))
    data: dict[str, Any] = {
        "deal": "mini-oc-2004",
        "distribution_date": when,
        "interest": {"scheduled_interest": sched_interest, **extra.pop("interest", {})},
        "principal": principal,
        "index": {"libor": libor},
        "collateral": {
            "ending_count": prior.loan_count - removed,
            "ending_actual_balance": "1.00",
            "wam": 300,
            "p_and_i_constant": "1.00",
        },
    }
    data.update(extra)
    return Remittance.model_validate(data)


def close_months(spec: OCSpec, months: list[dict[str, Any]]) -> list[PeriodResult]:
    """Close consecutive dates from the closing state; each dict gives remittance arguments."""
    state = initial_state(spec)
    out = []
    for args in months:
        when = args.pop("when")
        r = close(spec, state, remittance(when, state, **args))
        out.append(r)
        state = r.state
    return out


def paid(r: PeriodResult, target: str, step: str | None = None) -> Decimal:
    """Cash paid to ``holder:target`` (by ``step`` if given) in a period's ledger."""
    ps = r.ledger.select(target=f"holder:{target}", step=step)
    return sum((p.amount for p in ps), Decimal("0.00"))


def with_options(spec: OCSpec, changes: dict[str, Any]) -> OCSpec:
    """The deal with some fields set, by dotted path ("overcollateralization.stepdown_pct",
    "statement.excess_cash_row"), validated and cross-checked like a deal file."""
    from remit.errors import RemitError
    from remit.spec.load import cross_check

    data = spec.model_dump()
    for path, value in changes.items():
        *parents, leaf = path.split(".")
        table = data
        for p in parents:
            table = table[p]
        table[leaf] = value
    out = OCSpec.model_validate(data)
    problems = cross_check(out, "test")
    if problems:
        raise RemitError(problems)
    return out


def dq60(balance: str, status: str = "delinquent", bucket: str = "60") -> list[dict[str, Any]]:
    """A remittance's delinquency table with one cell."""
    return [{"status": status, "bucket": bucket, "count": 10, "balance": balance}]
