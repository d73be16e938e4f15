"""remit agrees with itself: every statement it closes, read back with the reader, satisfies
every ``verify`` identity (no inconsistency, no rounding note).

A property test closes random valid remittances (``tests/audit/closes.py``) of both
structure families, month after month: the test deals under random deal options and the
example deals, with losses, recoveries, the Net WAC cap, interest shortfalls, advances,
delinquency, triggers and the stepdown, a loan group's seniors retired, excess losses and
losses by kind. ``REMIT_SELF_VERIFY_PERIODS`` sets how many periods it closes (default 2,000,
the CI budget); the number closed is printed."""

from __future__ import annotations

import math
import os
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from remit.audit.verify import verify_text
from remit.close import close, initial_state
from remit.spec import DealSpec
from remit.statement import build_statement
from tests.audit.closes import (
    example_spec,
    group_month,
    pool_month,
    remittance,
)
from tests.audit.conftest import SUMMARY
from tests.close.si_helpers import si_spec
from tests.close.test_properties import SPEC as MINI_OC
from tests.close.test_properties import oc_options, stepdown_spec
from tests.close.test_senior_sub_properties import COVERED

MONTHS = 6
PERIODS = int(os.environ.get("REMIT_SELF_VERIFY_PERIODS", "2000"))
CLOSED: Counter[str] = Counter()


def deals() -> dict[str, DealSpec]:
    return {
        "mini-oc": MINI_OC,
        "mini-oc-stepdown": stepdown_spec(),
        "mini-si": si_spec(),
        "mini-si-coverage": COVERED,
        "thornburg-2003-2": example_spec("thornburg-2003-2"),
        "prime-senior-sub": example_spec("prime-senior-sub"),
    }


DEALS = deals()


def statement_problems(spec: DealSpec, data: st.DataObject, name: str) -> list[str]:
    """Close ``MONTHS`` random months of the deal; each statement's inconsistencies and
    rounding notes (there should be none)."""
    state = initial_state(spec)
    excess = data.draw(st.booleans(), label="excess losses as reported")
    kinds = spec.family == "shifting" and (name != "mini-si" or not excess)
    problems = []
    for _ in range(MONTHS):
        if spec.family == "oc":
            d = data.draw(pool_month(spec, state))
        else:
            d = data.draw(group_month(spec, state, excess and not kinds, kinds))
        r = close(spec, state, remittance(d))
        report = verify_text(build_statement(r).to_edgar(), f"{name} {r.distribution_date}")
        CLOSED[spec.family] += 1
        if report.causes:
            problems.append(report.to_text())
        state = r.state
    return problems


@settings(
    max_examples=math.ceil(PERIODS / MONTHS),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=st.data(), name=st.sampled_from([*DEALS, "mini-oc-options"]))
def test_every_statement_verifies(data: st.DataObject, name: str) -> None:
    spec = data.draw(oc_options()) if name == "mini-oc-options" else DEALS[name]
    assert statement_problems(spec, data, name) == []


@pytest.fixture(scope="module", autouse=True)
def report_periods() -> object:
    yield
    total = sum(CLOSED.values())
    by = ", ".join(f"{k} {v}" for k, v in sorted(CLOSED.items()))
    SUMMARY.append(f"self-verification: {total} periods closed, read back and verified ({by})")
