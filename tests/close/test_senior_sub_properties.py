"""Invariants of the senior/subordinate close over random remittances (hypothesis): the
certificate account ends at zero, every account nets, no balance goes negative, no senior
is written down while a subordinate class has a balance (except for excess losses), and the
vector mode agrees with the close."""

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
