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
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from remit.audit.verify import verify_text
from remit.close import PeriodResult, close, initial_state
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
Z = Decimal(0)
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
        SEEN.update(features(r))
        if report.causes:
            problems.append(report.to_text())
        state = r.state
    return problems


def features(r: PeriodResult) -> set[str]:
    """What the period exercised (the test requires each to happen in a full run)."""
    rem, f = r.remittance, r.figures
    it, pr = rem.interest, rem.principal
    wf = [c.waterfall for c in r.classes.values()]
    seen = {
        "realized loss": pr.realized_losses > 0,
        "subsequent recovery": pr.subsequent_recoveries > 0,
        "Net WAC cap binding": any(c.capped for c in r.classes.values()),
        "carryforward paid": any(w.get("basis_risk_paid", Z) > 0 for w in wf),
        "unpaid interest": any(w.get("unpaid_interest", Z) > 0 for w in wf),
        "interest shortfall": it.prepayment_interest_shortfall
        - it.compensating_interest
        + it.relief_act_shortfall
        > 0,
        "advances": rem.advances.p_and_i_advances > 0,
        "delinquency": any(c.balance > 0 for c in rem.delinquency),
        "trigger in effect": any(
            f[k].value for k in ("trigger:delinquency", "trigger:loss") if k in f
        ),
        "stepdown": bool(f["oc:stepdown_reached"].value) if "oc:stepdown_reached" in f else False,
        "OC release": f["oc:oc_release"].value > 0 if "oc:oc_release" in f else False,
        "extra principal": f["oc:extra_principal"].value > 0
        if "oc:extra_principal" in f
        else False,
        "class written down": any(w.get("writedown", Z) > 0 for w in wf),
        "excess losses": any(v.value > 0 for k, v in f.items() if k.endswith(":excess_losses")),
        "group's seniors retired": _retired(r),
    }
    return {k for k, v in seen.items() if v}


def _fig(r: PeriodResult, key: str) -> Decimal:
    """A figure of the close (0 where the family has none)."""
    f = r.figures.get(key)
    return Decimal(f.value) if f is not None else Z


def _retired(r: PeriodResult) -> bool:
    si = getattr(r.spec, "shifting_interest", None)
    if si is None:
        return False
    return any(
        all(r.state.classes[n].balance == 0 for n in g.seniors if n in r.state.classes)
        and r.state.shifting.groups[g.name] > 0
        for g in si.groups
    )


FEATURES = (
    "realized loss",
    "subsequent recovery",
    "Net WAC cap binding",
    "carryforward paid",
    "unpaid interest",
    "interest shortfall",
    "advances",
    "delinquency",
    "trigger in effect",
    "stepdown",
    "OC release",
    "extra principal",
    "class written down",
    "excess losses",
    "group's seniors retired",
)
SEEN: Counter[str] = Counter()


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
    SUMMARY.append("  exercising: " + ", ".join(f"{k} {SEEN[k]}" for k in FEATURES))


def test_the_periods_exercise_every_feature() -> None:
    """Run after the property test (same module, in order): in a full run (the CI budget),
    every feature the statements must survive happened."""
    if sum(CLOSED.values()) < PERIODS or PERIODS < 2000:
        pytest.skip("a reduced run (REMIT_SELF_VERIFY_PERIODS below 2,000)")
    assert [k for k in FEATURES if not SEEN[k]] == []
