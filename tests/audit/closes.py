"""Random VALID remittances for the self-verification property test (hypothesis): month after
month of the test deals (overcollateralization and senior/subordinate, under random deal
options) and of the example deals, with losses, recoveries, caps, interest shortfalls,
advances, delinquency, triggers, a loan group's seniors retired and excess losses.

Valid means what a servicer could report: principal within the pool, recoveries within the
losses not yet recovered, delinquent balances and counts within the pool, compensating
interest within the shortfall, collections that cover the fees, shortfalls within the
interest due."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from remit.close import DealState, initial_state
from remit.close.close import expected_date
from remit.remittance import Remittance
from remit.spec import DealSpec, load_spec

ROOT = Path(__file__).resolve().parents[2]
CENT = Decimal("0.01")
Z = Decimal("0.00")
STATUSES = (
    ("delinquent", "30"),
    ("delinquent", "60"),
    ("delinquent", "90"),
    ("delinquent", "180+"),
    ("foreclosure", "90"),
    ("foreclosure", "0-29"),
    ("reo", "120"),
    ("bankruptcy", "60"),
    ("bankruptcy", "0-29"),
)


def cents(v: Decimal) -> Decimal:
    return v.quantize(CENT)


def share(draw: st.DrawFn, whole: Decimal, most: float, zero_often: bool = True) -> Decimal:
    """A random amount between 0 and ``most`` of ``whole`` (0 about a third of the time)."""
    if whole <= 0 or (zero_often and draw(st.integers(0, 2)) == 0):
        return Z
    top = int(whole * Decimal(str(most)) * 100)
    return Decimal(draw(st.integers(0, max(top, 0)))) / 100


@dataclass(frozen=True)
class Collections:
    """One pool's (or loan group's) collections for a month."""

    scheduled_interest: Decimal
    scheduled_principal: Decimal
    unscheduled_principal: Decimal = Z
    liquidated_balance: Decimal = Z
    liquidation_proceeds: Decimal = Z
    subsequent_recoveries: Decimal = Z
    prepayment_interest_shortfall: Decimal = Z
    compensating_interest: Decimal = Z
    relief_act_shortfall: Decimal = Z

    @property
    def realized_losses(self) -> Decimal:
        return self.liquidated_balance - self.liquidation_proceeds

    @property
    def reduction(self) -> Decimal:
        return self.scheduled_principal + self.unscheduled_principal + self.liquidated_balance

    def fields(self) -> dict[str, str]:
        return {
            "scheduled_interest": str(self.scheduled_interest),
            "scheduled_principal": str(self.scheduled_principal),
            "unscheduled_principal": str(self.unscheduled_principal),
            "liquidated_balance": str(self.liquidated_balance),
            "liquidation_proceeds": str(self.liquidation_proceeds),
            "realized_losses": str(self.realized_losses),
            "subsequent_recoveries": str(self.subsequent_recoveries),
            "prepayment_interest_shortfall": str(self.prepayment_interest_shortfall),
            "compensating_interest": str(self.compensating_interest),
            "relief_act_shortfall": str(self.relief_act_shortfall),
        }


@st.composite
def collections(
    draw: st.DrawFn,
    balance: Decimal,
    unrecovered: Decimal,
    fee_rate: Decimal,
    payoff: Decimal = Z,
) -> Collections:
    """A month of ``balance``: interest at a gross rate between the fees and 9% a year
    (sometimes below the classes' coupons, so that the Net WAC cap binds), principal within
    the pool, a liquidation with its loss, recoveries within ``unrecovered``, prepayment
    interest shortfalls partly compensated, Relief Act shortfalls. ``payoff``: at least this
    much unscheduled principal (a group's seniors retired)."""
    rate = fee_rate + Decimal(draw(st.integers(20, 900))) / 10000
    interest = cents(balance * rate / 12)
    # an amortizing pool: some scheduled principal every month
    sched = max(share(draw, balance, 0.004, zero_often=False), cents(balance / 10000))
    unsched = max(share(draw, balance, 0.08), min(payoff, balance - sched))
    liq = share(draw, balance - sched - unsched, 0.03)
    proceeds = share(draw, liq, 1.0, zero_often=False) if liq else Z
    ppis = share(draw, interest, 0.05)
    # shortfalls within what the classes accrue (the certificates' interest, about the
    # net rate): a shortfall beyond the interest due is not a month a servicer reports
    return Collections(
        scheduled_interest=interest,
        scheduled_principal=sched,
        unscheduled_principal=unsched,
        liquidated_balance=liq,
        liquidation_proceeds=proceeds,
        subsequent_recoveries=share(draw, unrecovered, 0.6),
        prepayment_interest_shortfall=ppis,
        compensating_interest=share(draw, ppis, 1.0),
        relief_act_shortfall=share(draw, interest, 0.01),
    )


@st.composite
def delinquency(draw: st.DrawFn, balance: Decimal, count: int) -> list[dict[str, Any]]:
    """Some delinquency, bankruptcy, foreclosure and REO cells within the pool."""
    cells = []
    left_bal, left_count = balance * Decimal("0.3"), count // 3
    for status, bucket in draw(st.lists(st.sampled_from(STATUSES), unique=True, max_size=5)):
        n = draw(st.integers(0, min(left_count, 40)))
        bal = share(draw, left_bal, 0.5, zero_often=False) if n else Z
        left_bal, left_count = left_bal - bal, left_count - n
        cells.append({"status": status, "bucket": bucket, "count": n, "balance": str(bal)})
    return cells


def fee_rate(spec: DealSpec) -> Decimal:
    return sum((f.rate or Z for f in spec.fees), Z)


def reported_fees(spec: DealSpec, balance: Decimal) -> dict[str, str]:
    """The fees the servicer reports, at their rates (within any per-loan tolerance)."""
    return {
        f.name: str(cents(balance * (f.rate or Z) / 12))
        for f in spec.fees
        if f.amount == "reported"
    }


@st.composite
def pool_month(draw: st.DrawFn, spec: DealSpec, state: DealState) -> dict[str, Any]:
    """A whole-pool remittance (an overcollateralization deal) for the next date."""
    when = expected_date(spec, state)
    pool = state.pool_balance
    c = draw(collections(pool, state.cumulative_loss, fee_rate(spec)))
    return _remittance_data(draw, spec, state, when, c, {})


@st.composite
def group_month(
    draw: st.DrawFn, spec: DealSpec, state: DealState, excess: bool, kinds: bool
) -> dict[str, Any]:
    """A senior/subordinate remittance: each loan group's collections (sometimes enough
    principal to retire a group's seniors), with excess losses (``excess``) or losses by kind
    (``kinds``, for the deal's coverage amounts)."""
    when = expected_date(spec, state)
    groups = state.shifting.groups
    unrecovered = state.cumulative_loss / max(len(groups), 1)
    rate = fee_rate(spec)
    out: dict[str, dict[str, Any]] = {}
    parts: list[Collections] = []
    for name, balance in groups.items():
        payoff = balance if draw(st.integers(0, 15)) == 0 else Z  # retire the group
        c = draw(collections(balance, max(unrecovered, Z), rate, cents(payoff * Decimal("0.97"))))
        g: dict[str, Any] = dict(c.fields())
        loss = c.realized_losses
        if excess:
            g["excess_losses"] = str(share(draw, loss, 1.0))
        if kinds:
            fraud = share(draw, loss, 1.0)
            g["fraud_losses"] = str(fraud)
            g["special_hazard_losses"] = str(share(draw, loss - fraud, 1.0))
        out[name] = g
        parts.append(c)
    total = Collections(
        *(sum((getattr(p, f) for p in parts), Z) for f in Collections.__dataclass_fields__)
    )
    # each group's interest pays its fees and its share of the advances reimbursed
    spare = min(
        c.scheduled_interest
        - c.prepayment_interest_shortfall
        + c.compensating_interest
        - c.relief_act_shortfall
        - cents(b * rate / 12)
        for c, b in zip(parts, groups.values(), strict=True)
    )
    return _remittance_data(draw, spec, state, when, total, out, max(spare, Z))


def _remittance_data(
    draw: st.DrawFn,
    spec: DealSpec,
    state: DealState,
    when: date,
    c: Collections,
    groups: dict[str, dict[str, Any]],
    reimbursable: Decimal | None = None,
) -> dict[str, Any]:
    adv = share(draw, c.scheduled_interest, 0.3)
    reimbursed = share(draw, adv, 1.0)
    if reimbursable is not None:
        reimbursed = min(reimbursed, reimbursable)
    pool_end = state.pool_balance - c.reduction
    payoffs = draw(st.integers(0, min(20, state.loan_count // 4))) if c.unscheduled_principal else 0
    extras = Extras(
        payoffs=payoffs,
        advances=adv,
        reimbursements=reimbursed,
        penalties=share(draw, c.scheduled_interest, 0.02),
        index=Decimal(draw(st.integers(0, 1000))) / 10000,
        delinquency=draw(delinquency(pool_end, state.loan_count - payoffs - 1)),
    )
    return remittance_data(spec, state, when, c, groups, extras)


@dataclass(frozen=True)
class Extras:
    """What a remittance reports besides the collections."""

    payoffs: int = 0
    advances: Decimal = Z
    reimbursements: Decimal = Z
    penalties: Decimal = Z
    index: Decimal = Decimal("0.01")
    delinquency: list[dict[str, Any]] | None = None


def remittance_data(
    spec: DealSpec,
    state: DealState,
    when: date,
    c: Collections,
    groups: dict[str, dict[str, Any]] | None = None,
    x: Extras | None = None,
) -> dict[str, Any]:
    """The remittance (as TOML data) of the collections ``c`` (and each group's, a
    senior/subordinate deal's), for the date ``when`` after ``state``."""
    x = x or Extras()
    pool_end = state.pool_balance - c.reduction
    liquidations = 1 if c.liquidated_balance else 0
    count_end = state.loan_count - x.payoffs - liquidations
    fields = c.fields()
    data: dict[str, Any] = {
        "deal": spec.deal.id,
        "distribution_date": when,
        "beginning_balance": str(state.pool_balance),
        "beginning_count": state.loan_count,
        "interest": {k: fields[k] for k in INTEREST_FIELDS},
        "principal": {
            **{k: fields[k] for k in PRINCIPAL_FIELDS},
            "payoffs_count": x.payoffs,
            "liquidations_count": liquidations,
        },
        "prepayment_penalties": str(x.penalties),
        "advances": {"p_and_i_advances": str(x.advances), "reimbursements": str(x.reimbursements)},
        "fees": reported_fees(spec, state.pool_balance),
        "index": {i.name: str(x.index) for i in spec.indices},
        "collateral": {
            "ending_count": count_end,
            "ending_actual_balance": str(pool_end),
            "wam": 300,
            "p_and_i_constant": str(c.scheduled_interest + c.scheduled_principal),
        },
        "delinquency": x.delinquency or [],
    }
    if groups:
        _split_counts(groups, state, count_end)
        data["groups"] = groups
    return data


INTEREST_FIELDS = (
    "scheduled_interest",
    "prepayment_interest_shortfall",
    "compensating_interest",
    "relief_act_shortfall",
)
PRINCIPAL_FIELDS = (
    "scheduled_principal",
    "unscheduled_principal",
    "liquidated_balance",
    "liquidation_proceeds",
    "realized_losses",
    "subsequent_recoveries",
)


def _split_counts(groups: dict[str, dict[str, Any]], state: DealState, count_end: int) -> None:
    """Each group's ending loan count, in proportion to its balance, adding up to the pool's."""
    names = list(groups)
    total = sum(state.shifting.groups.values(), Z)
    left = count_end
    for n in names[1:]:
        k = int(count_end * state.shifting.groups[n] / total) if total else 0
        groups[n]["ending_count"] = k
        left -= k
    groups[names[0]]["ending_count"] = left


@dataclass(frozen=True)
class Deal:
    """A deal the property test closes: its spec and how to draw its next remittance."""

    name: str
    spec: DealSpec
    month: Callable[[DealSpec, DealState], st.SearchStrategy[dict[str, Any]]]

    def start(self) -> DealState:
        return initial_state(self.spec)


def remittance(data: dict[str, Any]) -> Remittance:
    return Remittance.model_validate(data)


def example_spec(name: str) -> DealSpec:
    return load_spec(ROOT / "examples" / name / "deal.toml")


def example_remittance(name: str, when: str) -> dict[str, Any]:
    path = ROOT / "examples" / name / "remittances" / f"{when}.toml"
    return tomllib.loads(path.read_text("utf-8"), parse_float=Decimal)
