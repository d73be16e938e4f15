"""One waterfall, two modes: the vector mode on a batch of identical scenarios gives the
close's figures, to the cent, in every element -- on the reference date and on the test
deal's dates that exercise the cap, losses, recoveries, shortfalls and unpaid interest."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
import pytest

from remit.api import Deal
from remit.close import close, initial_state
from remit.close.close import expected_date, waterfall_input
from remit.close.state import DealState
from remit.remittance import Remittance
from remit.rules.ops import Exact, Vector
from remit.spec import OCSpec
from remit.waterfall.flows import vectorize
from remit.waterfall.oc import run
from tests.close.helpers import mini_spec, remittance

N = 1000


def assert_parity(spec: OCSpec, prior: DealState, rem: Remittance) -> None:
    exact_in = waterfall_input(spec, prior, rem)
    exact = run(spec, exact_in, Exact())
    vec = run(spec, vectorize(exact_in, N), Vector(N))
    assert len(exact.flows) == len(vec.flows)
    for e, v in zip(exact.flows, vec.flows, strict=True):
        assert (e.step, e.source, e.target) == (v.step, v.source, v.target)
        cents = np.round(np.asarray(v.amount) * 100).astype(np.int64)
        assert (cents == int(e.amount * 100)).all(), (e.step, e.target, e.amount, v.amount[:3])
    for name, out in exact.classes.items():
        for field in (
            "balance",
            "unpaid_interest",
            "basis_risk_carryforward",
            "unpaid_realized_loss",
            "accrued",
        ):
            want = int(getattr(out, field) * 100)
            got = np.round(np.asarray(getattr(vec.classes[name], field)) * 100).astype(np.int64)
            assert (got == want).all(), (name, field)
    for key, value in exact.metrics.items():
        got = np.round(np.asarray(vec.metrics[key]) * 100).astype(np.int64)
        assert (got == int(Decimal(value) * 100)).all(), key


def test_reference_date_in_vector_mode(example_deal: Deal) -> None:
    spec = example_deal.spec
    assert_parity(spec, initial_state(spec), example_deal.remittance(date(2003, 4, 25)))


LIQ = {
    "liquidations_count": 10,
    "liquidated_balance": "3000000.00",
    "liquidation_proceeds": "500000.00",
    "realized_losses": "2500000.00",
}
SCENARIOS: dict[str, list[dict[str, Any]]] = {
    "cap and carryforward": [
        {"libor": "0.06"},
        {"sched_interest": "495000.00", "unscheduled": "0.00"},
    ],
    "loss, write-down, recovery": [
        {"unscheduled": "0.00", "principal": LIQ},
        {
            "sched_interest": "484500.00",
            "unscheduled": "0.00",
            "principal": {"subsequent_recoveries": "200000.00"},
        },
    ],
    "shortfalls": [
        {
            "interest": {
                "prepayment_interest_shortfall": "10000.00",
                "compensating_interest": "4000.00",
                "relief_act_shortfall": "1000.00",
            }
        }
    ],
    "unpaid interest": [
        {"advances": {"p_and_i_advances": "400000.00", "reimbursements": "400000.00"}},
        {"sched_interest": "495000.00", "unscheduled": "0.00"},
    ],
}


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_test_deal_in_vector_mode(name: str) -> None:
    spec = mini_spec()
    state = initial_state(spec)
    for args in SCENARIOS[name]:
        when = expected_date(spec, state)
        rem = remittance(when, state, **dict(args))
        assert_parity(spec, state, rem)
        state = close(spec, state, rem).state
