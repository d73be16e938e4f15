"""Both modes real: scenarios that diverge -- a trigger in effect in some, losses in others, a
binding Net WAC cap, step-down conditions failing -- run through each family's inputs
(rates, cap, stepdown, triggers, step-down tests) and waterfall in ONE vector call, and every
element agrees with its own exact close to the cent."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
import pytest

from remit.close import DealState, close, initial_state
from remit.close import oc as oc_family
from remit.close import shifting as shifting_family
from remit.close.period import fee_amounts
from remit.remittance import Remittance
from remit.rules.ops import Exact, Vector, exact_context
from remit.spec import OCSpec, ShiftingSpec
from remit.waterfall import oc as oc_waterfall
from remit.waterfall import shifting as shifting_waterfall
from remit.waterfall.flows import WaterfallOut, stack
from tests.close.helpers import D, mini_spec, remittance, with_options
from tests.close.si_helpers import si_remittance, si_spec

FEB, MAR = date(2004, 2, 25), date(2004, 3, 25)


def cents(x: Any) -> np.ndarray[Any, Any]:
    return np.round(np.asarray(x, dtype=np.float64) * 100).astype(np.int64)


def assert_element(vec: WaterfallOut[Any], i: int, exact: WaterfallOut[Decimal]) -> None:
    """Element ``i`` of the vector run is the exact run, flow by flow and class by class."""
    assert len(vec.flows) == len(exact.flows)
    for v, e in zip(vec.flows, exact.flows, strict=True):
        assert (v.step, v.source, v.target) == (e.step, e.source, e.target)
        assert cents(v.amount)[i] == int(e.amount * 100), (i, e.step, e.target, e.amount)
    for name, out in exact.classes.items():
        for field, want in out.as_dict().items():
            got = cents(getattr(vec.classes[name], field))[i]
            assert got == int(want * 100), (i, name, field)
    for k, want in exact.metrics.items():
        if k.endswith(("percentage", "share")):  # fractions, not money
            assert abs(float(vec.metrics[k][i]) - float(want)) < 1e-12, (i, k)
        else:
            assert cents(vec.metrics[k])[i] == int(Decimal(want) * 100), (i, k)


# ---- overcollateralization --------------------------------------------------------------


def oc_spec() -> OCSpec:
    """The mini deal with its stepdown and its loss trigger possible on 2004-03-25."""
    spec = mini_spec()
    ocs = spec.overcollateralization
    loss = ocs.loss_trigger.model_copy(
        update={
            "schedule": [
                s.model_copy(update={"from_date": MAR, "pct": D("0.005")})
                for s in ocs.loss_trigger.schedule
            ]
        }
    )
    ocs = ocs.model_copy(
        update={
            "stepdown_earliest": MAR,
            "senior_enhancement_target": D("0.15"),
            "loss_trigger": loss,
        }
    )
    return spec.model_copy(update={"overcollateralization": ocs})


DQ = [{"status": "delinquent", "bucket": "60", "count": 50, "balance": "10000000.00"}]
LIQ = {
    "liquidations_count": 10,
    "liquidated_balance": "3000000.00",
    "liquidation_proceeds": "500000.00",
    "realized_losses": "2500000.00",
}
OC_SCENARIOS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "stepdown, no trigger": ({}, {"sched_interest": "495000.00", "unscheduled": "0.00"}),
    "delinquency trigger": (
        {"delinquency": DQ},
        {"sched_interest": "495000.00", "unscheduled": "0.00", "delinquency": DQ},
    ),
    "loss and loss trigger": ({}, {"unscheduled": "0.00", "principal": LIQ}),
    "binding cap": ({}, {"libor": "0.06", "sched_interest": "495000.00"}),
    "cap and trigger": ({"delinquency": DQ}, {"libor": "0.07", "delinquency": DQ}),
    "loss then recovery": (
        {"unscheduled": "0.00", "principal": LIQ},
        {"unscheduled": "0.00", "principal": {"subsequent_recoveries": "200000.00"}},
    ),
    "shortfalls": (
        {},
        {
            "interest": {
                "prepayment_interest_shortfall": "10000.00",
                "compensating_interest": "4000.00",
                "relief_act_shortfall": "1000.00",
            }
        },
    ),
}


def oc_parity(
    spec: OCSpec, scenarios: dict[str, tuple[dict[str, Any], dict[str, Any]]]
) -> tuple[Any, Any, WaterfallOut[Any]]:
    """Close each scenario's February exactly, then run every March in one vector call and
    check each element against its own exact close."""
    s0 = initial_state(spec)
    cases: list[tuple[DealState, Remittance]] = []
    for first, second in scenarios.values():
        r1 = close(spec, s0, remittance(FEB, s0, **dict(first)))
        cases.append((r1.state, remittance(MAR, r1.state, **dict(second))))
    exact_in = []
    for prior, rem in cases:
        with exact_context():
            fees = fee_amounts(spec, prior, rem, "test")
            exact_in.append(oc_family.period(spec, prior, rem, fees, "test"))
    n = len(cases)
    w, tests = oc_family.prepare(spec, MAR, stack(exact_in), Vector(n))
    vec = oc_waterfall.run(spec, w, Vector(n))
    for i, ((prior, rem), p) in enumerate(zip(cases, exact_in, strict=True)):
        result = close(spec, prior, rem)
        with exact_context():
            ew, et = oc_family.prepare(spec, MAR, p, Exact())
            exact = oc_waterfall.run(spec, ew, Exact())
        assert bool(w.trigger[i]) == ew.trigger == result.trigger_in_effect
        assert bool(w.after_stepdown[i]) == ew.after_stepdown
        for c in spec.classes:
            assert bool(tests.capped[c.name][i]) == et.capped[c.name]
            assert abs(float(tests.rate[c.name][i]) - float(et.rate[c.name])) < 1e-15
        assert_element(vec, i, exact)
        # the exact close posted what the exact waterfall produced
        assert result.state.classes["A"].balance == exact.classes["A"].balance
    return w, tests, vec


def test_oc_diverging_scenarios_in_one_vector_call() -> None:
    w, tests, vec = oc_parity(oc_spec(), OC_SCENARIOS)
    # the scenarios really diverge
    assert set(w.trigger.tolist()) == {True, False}
    assert set(tests.loss_trigger.tolist()) == {True, False}
    assert set(tests.dq_trigger.tolist()) == {True, False}
    assert set(tests.capped["A"].tolist()) == {True, False}
    assert (
        (vec.metrics["applied_realized_loss"] > 0).any()
        or (vec.classes["M-2"].writedown > 0).any()
        or (cents(vec.metrics["oc_deficiency"]) > 0).any()
    )


# Scenarios where the options of the OC definitions change cash: OC building (a 3%
# target), a release after the stepdown paying carryforwards and unpaid interest, the seniors
# paid off in February, a loss beyond the OC, unpaid subordinate interest.
REIMBURSED = {"p_and_i_advances": "353550.00", "reimbursements": "353550.00"}
OPTION_SCENARIOS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    **OC_SCENARIOS,
    "release pays carryforwards": (
        {"libor": "0.06"},
        {"sched_interest": "495000.00", "unscheduled": "0.00", "advances": REIMBURSED},
    ),
    "seniors paid off": ({"unscheduled": "79900000.00"}, {"unscheduled": "0.00"}),
    "unpaid interest": (
        {"advances": {"p_and_i_advances": "400000.00", "reimbursements": "400000.00"}},
        {"sched_interest": "495000.00", "unscheduled": "0.00"},
    ),
    "boundary delinquency": (
        {"unscheduled": "19900000.00"},
        {
            "unscheduled": "0.00",
            "delinquency": [
                {"status": "bankruptcy", "bucket": "0-29", "count": 5, "balance": "7990000.00"}
            ],
        },
    ),
}
OPTION_SETS: dict[str, dict[str, Any]] = {
    "standard": {},
    "capped target, stepdown after distribution, building": {
        "overcollateralization.cap_at_initial": True,
        "overcollateralization.stepdown_enhancement": "after_distribution",
        "overcollateralization.specified_pct": D("0.03"),
        "overcollateralization.senior_enhancement_target": D("0.205"),
    },
    "prior enhancement, equals, current month, no bankruptcy, monthly losses": {
        "overcollateralization.delinquency_trigger.senior_enhancement": "prior",
        "overcollateralization.delinquency_trigger.comparison": "equals_or_exceeds",
        "overcollateralization.delinquency_trigger.averaging_months": 1,
        "overcollateralization.delinquency_trigger.sixty_plus_includes": ["foreclosure"],
        "overcollateralization.loss_trigger.interpolation": "monthly",
        "overcollateralization.stepdown_pct": D("0.01"),
    },
    "subordinate unpaid interest from excess, interleaved": {
        "interest.unpaid_interest_from": {
            "M-1": "net_monthly_excess_cashflow",
            "M-2": "net_monthly_excess_cashflow",
        },
        "excess_cash": [
            {"step": "extra_principal", "basis": "test"},
            {"step": "unpaid_interest", "classes": ["A", "M-1"], "basis": "test"},
            {"step": "unpaid_realized_loss", "classes": ["M-1"], "basis": "test"},
            {"step": "unpaid_interest", "classes": ["M-2"], "basis": "test"},
            {"step": "unpaid_realized_loss", "classes": ["M-2"], "basis": "test"},
            {"step": "basis_risk_carryforward", "classes": ["A", "M-1", "M-2"], "basis": "t"},
            {"step": "remainder", "classes": ["CE"], "basis": "test"},
        ],
        "overcollateralization.stepdown_pct": D("0.01"),
        "statement.excess_cash_row": "after_extra_principal",
    },
}


@pytest.mark.parametrize("options", list(OPTION_SETS))
def test_oc_options_in_one_vector_call(options: str) -> None:
    spec = with_options(oc_spec(), OPTION_SETS[options])
    _, _, vec = oc_parity(spec, OPTION_SCENARIOS)
    # the release reaches other classes in some scenario, and the OC class in another
    assert (cents(vec.metrics["oc_release"]) > 0).any()


# ---- shifting interest ------------------------------------------------------------------


def stepping_si_spec(**options: Any) -> ShiftingSpec:
    """The mini senior/subordinate deal with its senior prepayment share stepping down (70%)
    and the step-down loss limit in force from the first date, so the tests decide; a fraud
    loss coverage of 150,000; and the deal's ``options``."""
    spec = si_spec()
    coverage = {
        "special_hazard": {"initial": "1000000.00", "basis": "test"},
        "fraud": {"initial": "150000.00", "basis": "test"},
        "bankruptcy": {"initial": "100000.00", "basis": "test"},
    }
    si = spec.shifting_interest.model_validate(
        spec.shifting_interest.model_dump()
        | {
            "senior_prepayment_share": [{"from_date": FEB, "value": D("0.70")}],
            "stepdown_loss_limits": [{"from_date": FEB, "value": D("0.30")}],
            "coverage": coverage,
        }
        | options
    )
    return spec.model_copy(update={"shifting_interest": si})


#: The other setting of every option of issue 11.
OTHER_OPTIONS: dict[str, Any] = {
    "delinquency_test": "not_exceeding",
    "class_prepayment_trigger_withholds": "unscheduled",
    "senior_percentage_above_original": "any_group",
    "retired_group_redirect": "unless_two_times",
    "undercollateralized_interest": True,
    "excess_loss_allocation": "by_balance",
}


def group(interest: str, sched: str, prepay: str, **more: str) -> dict[str, str]:
    return {
        "scheduled_interest": interest,
        "scheduled_principal": sched,
        "unscheduled_principal": prepay,
        **more,
    }


MONTH1 = {
    "1": group("300000.00", "60000.00", "940000.00"),
    "2": group("200000.00", "40000.00", "1960000.00"),
}
#: Prepayments that bring the subordinates above 10% of the pool (about 4.0 million of
#: 34.9 million): the two-times test is met on the next date.
HALF = {
    "1": group("300000.00", "60000.00", "39000000.00"),
    "2": group("200000.00", "40000.00", "26000000.00"),
}
SI_DQ = [{"status": "delinquent", "bucket": "60", "count": 5, "balance": "5000000.00"}]
CLEAN2 = {
    "1": group("295000.00", "59000.00", "500000.00"),
    "2": group("190000.00", "38000.00", "300000.00"),
}
SI_SCENARIOS: dict[
    str, tuple[dict[str, dict[str, str]], dict[str, Any], dict[str, dict[str, str]], dict[str, Any]]
] = {
    "conditions met": (MONTH1, {}, CLEAN2, {}),
    "delinquency fails the conditions": (
        MONTH1,
        {"delinquency": SI_DQ},
        CLEAN2,
        {"delinquency": SI_DQ},
    ),
    "losses, a group retired": (
        MONTH1,
        {},
        {
            "1": group(
                "295000.00",
                "59000.00",
                "0.00",
                liquidated_balance="1500000.00",
                liquidation_proceeds="300000.00",
                realized_losses="1200000.00",
            ),
            "2": group("190000.00", "38000.00", "36000000.00"),
        },
        {},
    ),
    "excess fraud loss": (
        MONTH1,
        {},
        {
            "1": group(
                "295000.00",
                "59000.00",
                "100000.00",
                liquidated_balance="500000.00",
                liquidation_proceeds="200000.00",
                realized_losses="300000.00",
                fraud_losses="300000.00",
                excess_losses="150000.00",
                excess_loss_liquidated_balance="500000.00",
                excess_loss_liquidation_principal="200000.00",
            ),
            "2": group("190000.00", "38000.00", "0.00"),
        },
        {},
    ),
    "depleted on the date": (
        MONTH1,
        {},
        {
            "1": group(
                "295000.00",
                "59000.00",
                "100000.00",
                liquidated_balance="4000000.00",
                liquidation_proceeds="0.00",
                realized_losses="4000000.00",
            ),
            "2": group(
                "190000.00",
                "38000.00",
                "0.00",
                liquidated_balance="2000000.00",
                liquidation_proceeds="500000.00",
                realized_losses="1500000.00",
            ),
        },
        {},
    ),
    "two-times test met": (
        HALF,
        {},
        {
            "1": group("104700.00", "20940.00", "2000000.00"),
            "2": group("69800.00", "13960.00", "1000000.00"),
        },
        {},
    ),
    "a group retired while the two-times test is met": (
        HALF,
        {},
        {
            "1": group("104700.00", "20940.00", "2000000.00"),
            "2": group("69800.00", "13960.00", "13900000.00"),
        },
        {},
    ),
    "a loss no class can take": (
        # 2-A-1 retired on the first date (98.5% of 39,000,000 prepaid); the subordinates
        # written off on the second, and group 2's share of what they cannot absorb goes
        # to no class
        {
            "1": group("300000.00", "60000.00", "0.00"),
            "2": group("200000.00", "0.00", "39000000.00"),
        },
        {},
        {
            "1": group(
                "295000.00",
                "0.00",
                "0.00",
                liquidated_balance="5000000.00",
                liquidation_proceeds="0.00",
                realized_losses="5000000.00",
            ),
            "2": group(
                "10000.00",
                "0.00",
                "0.00",
                liquidated_balance="1000000.00",
                liquidation_proceeds="0.00",
                realized_losses="1000000.00",
            ),
        },
        {},
    ),
    "undercollateralized": (
        MONTH1,
        {},
        {
            "1": group("295000.00", "59000.00", "500000.00"),
            "2": group(
                "190000.00",
                "38000.00",
                "300000.00",
                liquidated_balance="3000000.00",
                liquidation_proceeds="1000000.00",
                realized_losses="2000000.00",
            ),
        },
        {},
    ),
}


@pytest.mark.parametrize("options", [{}, OTHER_OPTIONS], ids=["usual", "other options"])
def test_shifting_diverging_scenarios_in_one_vector_call(options: dict[str, Any]) -> None:
    spec = stepping_si_spec(**options)
    s0 = initial_state(spec)
    cases: list[tuple[DealState, Remittance]] = []
    for month1, first, groups, extra in SI_SCENARIOS.values():
        r1 = close(spec, s0, si_remittance(FEB, s0, month1, **dict(first)))
        cases.append((r1.state, si_remittance(MAR, r1.state, groups, **dict(extra))))
    exact_in = []
    for prior, rem in cases:
        with exact_context():
            fees = fee_amounts(spec, prior, rem, "test")
            exact_in.append(shifting_family.period(spec, prior, rem, fees, "test"))
    n = len(cases)
    w, tests = shifting_family.prepare(spec, MAR, stack(exact_in), Vector(n))
    vec = shifting_waterfall.run(spec, w, Vector(n))
    for i, ((prior, rem), p) in enumerate(zip(cases, exact_in, strict=True)):
        result = close(spec, prior, rem)
        with exact_context():
            ew, et = shifting_family.prepare(spec, MAR, p, Exact())
            exact = shifting_waterfall.run(spec, ew, Exact())
        assert bool(tests.conditions_met[i]) == et.conditions_met == (not result.trigger_in_effect)
        assert bool(tests.two_times[i]) == et.two_times
        for g, x in et.excess.items():
            assert cents(tests.excess[g])[i] == int(x * 100)
        for kind, left in et.coverage.items():
            assert cents(tests.coverage[kind])[i] == int(left * 100)
        assert_element(vec, i, exact)
        share = result.state.shifting.senior_prepayment_share
        assert abs(float(vec.metrics["senior_prepayment_share"][i]) - float(share)) < 1e-12
        depleted = result.state.shifting.depletion_date is not None
        assert bool(vec.metrics["credit_support_depleted"][i]) == depleted
    # the scenarios really diverge
    assert set(tests.conditions_met.tolist()) == {True, False}
    assert set(tests.two_times.tolist()) == {True, False}
    assert set(np.round(vec.metrics["senior_prepayment_share"], 6).tolist()) == {0.7, 1.0}
    assert 0.5 in set(np.round(vec.metrics["senior_prepayment_share_applied"], 6).tolist())
    assert set(vec.metrics["credit_support_depleted"].tolist()) == {0.0, 1.0}
    assert set(cents(tests.excess["1"]).tolist()) == {0, 15000000}
    assert (cents(vec.classes["B-3"].writedown) > 0).any()
    assert (cents(vec.classes["1-A-1"].writedown) > 0).any()  # excess loss, depletion
    assert not (cents(vec.classes["1-A-1"].writedown) > 0).all()
    assert (cents(vec.classes["1-A-2"].principal_paid) > 0).any()  # pro rata when depleted
    paying = cents(vec.classes["2-A-1"].principal_paid) > 0  # but where retired before
    assert paying.tolist() == [k != "a loss no class can take" for k in SI_SCENARIOS]
    lost = cents(vec.metrics["unallocated_loss"])
    assert (lost > 0).any() and (lost == 0).any()
    assert (lost == cents(vec.metrics["group:2:unallocated_loss"])).all()
    retired = cents(vec.classes["2-A-1"].balance) == 0
    assert (retired & tests.two_times).any()
