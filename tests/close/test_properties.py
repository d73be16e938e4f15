"""Invariants of the close over random valid remittances (hypothesis), three months in a row:
sources equal uses, the certificate account ends at zero, every account nets (double
entry), no balance goes negative, pool balance minus certificates equals the OC."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from remit.close import close, initial_state
from remit.close.close import expected_date
from remit.close.state import DealState
from remit.remittance import Remittance
from remit.spec import OCSpec
from tests.close.helpers import mini_spec, remittance

SPEC = mini_spec()
Z = Decimal("0.00")


def money(max_cents: int) -> st.SearchStrategy[Decimal]:
    return st.integers(0, max_cents).map(lambda c: Decimal(c) / 100)


@st.composite
def month(draw: st.DrawFn, pool: Decimal, unrecovered: Decimal = Z) -> dict[str, Any]:
    cap = int(pool * 100)
    sched = draw(money(cap // 100))
    unsched = draw(money(cap // 10))
    liq = draw(money(cap // 20))
    proceeds = draw(money(int(liq * 100)))
    if sched + unsched + liq > pool:
        unsched = liq = proceeds = Z
    ppis = draw(money(2_000_000))
    # at least the month's fees (about 21,700) and shortfalls (up to 25,000): a remittance
    # that cannot pay its fees is refused (tested with the bad inputs); advances are part of
    # what is due
    interest = draw(money(100_000_000)) + Decimal("50000")
    adv = draw(money(int((interest + sched) * 100) - 2_500_000))
    return {
        "sched_interest": str(interest),
        "sched_principal": str(sched),
        "unscheduled": str(unsched),
        "libor": str(draw(st.integers(0, 1000)).__truediv__(10000)),
        "principal": {
            "liquidations_count": 1 if liq else 0,
            "liquidated_balance": str(liq),
            "liquidation_proceeds": str(proceeds),
            "realized_losses": str(liq - proceeds),
            # no more than the losses not yet recovered: more is refused (tested apart)
            "subsequent_recoveries": str(draw(money(int(unrecovered * 100)))),
        },
        "interest": {
            "prepayment_interest_shortfall": str(ppis),
            "compensating_interest": str(draw(money(int(ppis * 100)))),
            "relief_act_shortfall": str(draw(money(500_000))),
        },
        "advances": {
            "p_and_i_advances": str(adv),
            "reimbursements": str(draw(money(int(adv * 100)))),
        },
        "prepayment_penalties": str(draw(money(5_000_000))),
        # 60+ days delinquent, up to a fifth of the pool: sets off the delinquency trigger
        "delinquency": [
            {
                "status": "delinquent",
                "bucket": "60",
                "count": 10,
                "balance": str(draw(money(cap // 5))),
            }
        ],
    }


def check_invariants(spec: OCSpec, prior: DealState, rem: Remittance) -> DealState:
    r = close(spec, prior, rem)
    bal = r.ledger.balances()
    assert bal.get("certificate_account", Z) == 0
    assert sum(bal.values(), Z) == 0
    assert all(p.amount > 0 for p in r.ledger.postings)
    certs = Z
    for c in spec.classes:
        s = r.state.classes[c.name]
        if c.balance_is == "certificate":
            assert s.balance >= 0
            certs += s.balance
        for v in (s.unpaid_interest, s.basis_risk_carryforward, s.unpaid_realized_loss):
            assert v >= 0
    assert (
        r.state.pool_balance - certs == r.state.classes[spec.overcollateralization.oc_class].balance
    )
    # cash out of the certificate account to holders never exceeds what came in
    holders = sum((p.amount for p in r.ledger.postings if p.target.startswith("holder:")), Z)
    deposited = sum((p.amount for p in r.ledger.postings if p.target == "certificate_account"), Z)
    assert holders <= deposited + prior.closing_deposit
    return r.state


def stepdown_spec() -> OCSpec:
    """The test deal with its stepdown date on the second distribution date and a low
    senior enhancement target, so that months after the stepdown (class targets, OC
    release, trigger events) are exercised too."""
    ocs = SPEC.overcollateralization.model_copy(
        update={
            "stepdown_earliest": date(2004, 3, 25),
            "senior_enhancement_target": Decimal("0.10"),
            "stepdown_pct": Decimal("0.01"),
        }
    )
    return SPEC.model_copy(update={"overcollateralization": ocs})


@pytest.mark.parametrize("spec", [SPEC, stepdown_spec()], ids=["before stepdown", "stepdown"])
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_invariants_hold_month_after_month(spec: OCSpec, data: st.DataObject) -> None:
    state = initial_state(spec)
    for _ in range(4):
        args = data.draw(month(state.pool_balance, state.cumulative_loss))
        when = expected_date(spec, state)
        rem = remittance(when, state, **args)
        state = check_invariants(spec, state, rem)


@st.composite
def oc_options(draw: st.DrawFn) -> OCSpec:
    """The test deal under a random setting of every option of the OC definitions."""
    from tests.close.helpers import with_options

    subs = ["M-1", "M-2"]
    source = st.sampled_from(["interest_remittance", "net_monthly_excess_cashflow"])
    unpaid_from = {n: draw(source) for n in subs}
    if draw(st.booleans()):
        excess = [("unpaid_interest", ["A", *subs]), ("unpaid_realized_loss", subs)]
    else:
        excess = [("unpaid_interest", ["A"])]
        excess += [(s, [n]) for n in subs for s in ("unpaid_interest", "unpaid_realized_loss")]
    excess.append(("basis_risk_carryforward", ["A", *subs]))
    comparison = st.sampled_from(["exceeds", "equals_or_exceeds"])
    months = [date(2004, m, 25) for m in (2, 3)] + [date(2004, 4, 26)]
    return with_options(
        SPEC,
        {
            "overcollateralization.specified_pct": draw(st.sampled_from(["0.01", "0.02", "0.035"])),
            "overcollateralization.build_start": draw(st.sampled_from(months)),
            "overcollateralization.stepdown_earliest": date(2004, 3, 25),
            "overcollateralization.senior_enhancement_target": Decimal(
                draw(st.sampled_from(["0.10", "0.20", "0.40"]))
            ),
            "overcollateralization.stepdown_pct": Decimal(draw(st.sampled_from(["0.01", "0.04"]))),
            "overcollateralization.cap_at_initial": draw(st.booleans()),
            "overcollateralization.stepdown_enhancement": draw(
                st.sampled_from(["before_distribution", "after_distribution"])
            ),
            "overcollateralization.delinquency_trigger": {
                "threshold_pct_of_senior_enhancement": Decimal("0.40"),
                "averaging_months": draw(st.integers(1, 3)),
                "comparison": draw(comparison),
                "senior_enhancement": draw(st.sampled_from(["current", "prior"])),
                "sixty_plus_includes": draw(
                    st.lists(st.sampled_from(["foreclosure", "reo", "bankruptcy"]), unique=True)
                ),
                "basis": "test",
            },
            "overcollateralization.loss_trigger": {
                "schedule": [
                    {"from_date": date(2004, 3, 25), "pct": Decimal("0.005")},
                    {"from_date": date(2005, 3, 25), "pct": Decimal("0.02")},
                ],
                "interpolation": draw(st.sampled_from(["step", "monthly"])),
                "comparison": draw(comparison),
                "basis": "test",
            },
            "interest.unpaid_interest_from": unpaid_from,
            "excess_cash": [
                {"step": "extra_principal", "basis": "test"},
                *({"step": s, "classes": cs, "basis": "test"} for s, cs in excess),
                {"step": "remainder", "classes": ["CE"], "basis": "test"},
            ],
            "statement.excess_cash_row": draw(
                st.sampled_from(["net_monthly_excess_cashflow", "after_extra_principal"])
            ),
        },
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_invariants_hold_under_random_options(data: st.DataObject) -> None:
    """Conservation, no negative balance and pool - certificates = OC, month after month,
    whatever the deal's reading of the OC definitions."""
    spec = data.draw(oc_options())
    state = initial_state(spec)
    for _ in range(4):
        args = data.draw(month(state.pool_balance))
        when = expected_date(spec, state)
        rem = remittance(when, state, **args)
        check_definitions(spec, close(spec, state, rem).figures, when)
        state = check_invariants(spec, state, rem)


def check_definitions(spec: OCSpec, figures: dict[str, Any], when: date) -> None:
    """The defined terms hold together: the deficiency is the target less the OC after the
    principal remittance (never negative), the extra principal is at most the deficiency and
    the net monthly excess cashflow, which includes the release; nothing of either before the
    overcollateralization builds; the release goes to the OC class or the excess order."""
    f = {k: v.value for k, v in figures.items()}
    assert f["oc:oc_amount_before"] >= 0 and f["oc:oc_amount"] >= 0
    assert f["oc:oc_deficiency"] == max(f["oc:specified_oc"] - f["oc:oc_amount_before"], Z)
    assert f["oc:oc_deficiency_after_distributions"] == max(
        f["oc:specified_oc"] - f["oc:oc_amount"], Z
    )
    assert 0 <= f["oc:extra_principal"] <= f["oc:oc_deficiency"]
    assert f["oc:extra_principal"] <= f["oc:net_monthly_excess_cashflow"]
    assert f["oc:net_monthly_excess_cashflow"] >= f["oc:oc_release"] >= 0
    assert (
        f["oc:excess_cash_after_extra_principal"]
        == f["oc:net_monthly_excess_cashflow"] - f["oc:extra_principal"]
    )
    assert f["oc:oc_release_to_oc_class"] + f["oc:oc_release_to_excess_order"] == f["oc:oc_release"]
    assert not (f["oc:oc_release"] > 0 and f["oc:extra_principal"] > 0)
    if when < spec.overcollateralization.build_start:
        assert f["oc:extra_principal"] == 0 and f["oc:oc_release"] == 0
    printed = (
        "oc:net_monthly_excess_cashflow"
        if spec.statement.excess_cash_row == "net_monthly_excess_cashflow"
        else "oc:excess_cash_after_extra_principal"
    )
    assert f["oc:excess_cash"] == f[printed]
