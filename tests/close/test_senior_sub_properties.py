"""Invariants of the senior/subordinate close over random remittances (hypothesis): the
certificate account ends at zero, every account nets, no balance goes negative, no senior
is written down while a subordinate class has a balance (except for excess losses), the
credit support depletion date is the first date the subordinates end at zero, and with
coverage amounts no coverage goes negative and no excess loss exceeds the losses of its
kind."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from remit.close import close, initial_state
from remit.close.close import expected_date
from tests.close.si_helpers import si_remittance, si_spec

SPEC = si_spec()
Z = Decimal("0.00")


def money(max_cents: int) -> st.SearchStrategy[Decimal]:
    return st.integers(0, max(max_cents, 0)).map(lambda c: Decimal(c) / 100)


COVERED = SPEC.model_copy(
    update={
        "shifting_interest": SPEC.shifting_interest.model_validate(
            SPEC.shifting_interest.model_dump()
            | {
                "coverage": {
                    "special_hazard": {"initial": "300000.00", "basis": "test"},
                    "fraud": {"initial": "200000.00", "basis": "test"},
                    "bankruptcy": {"initial": "50000.00", "basis": "test"},
                }
            }
        )
    }
)


@st.composite
def group(draw: st.DrawFn, balance: Decimal, excess: bool) -> dict[str, Any]:
    cap = int(balance * 100)
    sched = draw(money(cap // 200))
    unsched = draw(money(cap // 5))
    liq = draw(money(cap // 20))
    if sched + unsched + liq > balance:
        unsched = liq = Z
    proceeds = draw(money(int(liq * 100)))
    loss = liq - proceeds
    return {
        # at least the fees and the senior interest (about 0.5% a month of the group)
        "scheduled_interest": str(balance * Decimal("0.006") + draw(money(10_000_000))),
        "scheduled_principal": str(sched),
        "unscheduled_principal": str(unsched),
        "liquidated_balance": str(liq),
        "liquidation_proceeds": str(proceeds),
        "realized_losses": str(loss),
        "excess_losses": str(draw(money(int(loss * 100))) if excess else Z),
    }


@st.composite
def covered_group(draw: st.DrawFn, balance: Decimal) -> dict[str, Any]:
    """A group's month with its losses partly special hazard and fraud losses."""
    g = draw(group(balance, False))
    del g["excess_losses"]
    loss = Decimal(g["realized_losses"])
    fraud = draw(money(int(loss * 100)))
    g["fraud_losses"] = str(fraud)
    g["special_hazard_losses"] = str(draw(money(int((loss - fraud) * 100))))
    return g


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), excess=st.booleans())
def test_invariants(data: st.DataObject, excess: bool) -> None:
    state = initial_state(SPEC)
    subs = SPEC.shifting_interest.subordinates
    for _ in range(3):
        groups = {g: data.draw(group(state.shifting.groups[g], excess)) for g in ("1", "2")}
        for g in groups.values():
            g["scheduled_interest"] = str(
                Decimal(g["scheduled_interest"]).quantize(Decimal("0.01"))
            )
        r = close(SPEC, state, si_remittance(expected_date(SPEC, state), state, groups))
        bal = r.ledger.balances()
        assert bal.get("certificate_account", Z) == 0
        assert sum(bal.values(), Z) == 0
        for name, cs in r.state.classes.items():
            assert cs.balance >= 0 and cs.unpaid_interest >= 0, name
        if not excess and any(r.state.classes[n].balance > 0 for n in subs):
            for g in SPEC.shifting_interest.groups:
                for n in g.seniors:
                    assert r.state.classes[n].unpaid_realized_loss == 0, n
        assert r.state.pool_balance == sum(r.state.shifting.groups.values(), Z)
        state = r.state


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_coverage_and_depletion(data: st.DataObject) -> None:
    state = initial_state(COVERED)
    subs = COVERED.shifting_interest.subordinates
    for _ in range(3):
        groups = {g: data.draw(covered_group(state.shifting.groups[g])) for g in ("1", "2")}
        for g in groups.values():
            g["scheduled_interest"] = str(
                Decimal(g["scheduled_interest"]).quantize(Decimal("0.01"))
            )
        r = close(COVERED, state, si_remittance(expected_date(COVERED, state), state, groups))
        assert r.ledger.balances().get("certificate_account", Z) == 0
        for kind, left in r.state.shifting.coverage.items():
            assert 0 <= left <= state.shifting.coverage[kind], kind
        for name, g in groups.items():
            excess = r.figure(f"shifting:group:{name}:excess_losses")
            assert excess <= Decimal(g["fraud_losses"]) + Decimal(g["special_hazard_losses"])
        gone = all(r.state.classes[n].balance == 0 for n in subs)
        if state.shifting.depletion_date is None:
            assert (r.state.shifting.depletion_date == r.distribution_date) == gone
        for cs in r.state.classes.values():
            assert cs.balance >= 0
        state = r.state
