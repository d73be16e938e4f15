"""The deal projection runs the close's own rules: an actual remittance fed to it as a
projected month gives the close's class amounts to the cent -- the April 2003 reference date
as a one-period projection, the shifting example's first month, and each example's twelve
months chained -- in every element of a vector of scenarios, and exactly in the exact mode.
The projection's vector mode equals its exact mode (the same model as a plain per-scenario
loop) scenario by scenario over projected months with losses, triggers and a binding cap."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import remit
from remit.close import DealState, PeriodResult, close, initial_state
from remit.close.period import fee_amounts
from remit.project.deal.actual import from_remittance
from remit.project.deal.engine import Recorded, run_months
from remit.project.deal.months import (
    Month,
    element,
    index_paths,
    projected_month,
    round_collateral,
)
from remit.project.deal.projection import deal_scenario
from remit.project.deal.start import deal_start
from remit.project.engine import project_collateral
from remit.project.scenario import parse_scenario
from remit.rules.ops import Exact, Vector, exact_context
from remit.spec import DealSpec
from remit.waterfall.flows import stack
from remit.waterfall.steps import holder

ROOT = Path(__file__).resolve().parents[2]
OC = ROOT / "examples" / "thornburg-2003-2"
SI = ROOT / "examples" / "prime-senior-sub"
N = 5  # scenarios in the vector


def cents(x: Any) -> np.ndarray[Any, Any]:
    return np.round(np.asarray(x, dtype=np.float64) * 100).astype(np.int64)


def closed_months(
    deal_dir: Path, count: int
) -> tuple[DealSpec, list[Month[Decimal]], list[PeriodResult]]:
    """The deal's first ``count`` remittances as months, and the close of each in turn."""
    deal = remit.load_deal(deal_dir)
    spec, state = deal.spec, initial_state(deal.spec)
    months, results = [], []
    for when in sorted(deal.remittance_files)[:count]:
        rem = deal.remittance(when)
        with exact_context():
            fees = fee_amounts(spec, state, rem, "test")
        months.append(from_remittance(spec, rem, {k: f.value for k, f in fees.items()}))
        results.append(close(spec, state, rem))
        state = results[-1].state
    return spec, months, results


def ledger_cash(result: PeriodResult, name: str) -> Decimal:
    """Everything the ledger pays the class's holders on the date (with the closing
    deposit's)."""
    return sum((p.amount for p in result.ledger.postings if p.target == holder(name)), Decimal(0))


def assert_date(spec: DealSpec, rec: Recorded, m: int, result: PeriodResult, exact: bool) -> None:
    """Date ``m`` of the projection is the close's ``result`` to the cent in every element
    (``exact``: to the cent as an exact Decimal figure, one element)."""
    for c in spec.classes:
        out = result.classes[c.name].out
        st = result.state.classes[c.name]
        deposit = result.prior.classes[c.name].balance if c.retire is not None else Decimal(0)
        want = {
            "interest": out.interest_current_paid + out.interest_unpaid_paid,
            "basis_risk_paid": out.basis_risk_paid,
            "principal": out.principal_paid + deposit,
            "realized_loss_paid": out.realized_loss_paid,
            "writedown": out.writedown - out.writeup,
            "cash": ledger_cash(result, c.name),
            "ending_balance": st.balance,
            "unpaid_interest": st.unpaid_interest,
            "basis_risk_carryforward": st.basis_risk_carryforward,
            "unpaid_realized_loss": st.unpaid_realized_loss,
        }
        for field, value in want.items():
            got = rec.klass(c.name, field)[m]
            if exact:
                assert got.tolist() == [float(value)], (m, c.name, field)
            assert (cents(got) == int(value * 100)).all(), (m, c.name, field, got, value)
    assert (cents(rec.deal("pool_ending")[m]) == int(result.state.pool_balance * 100)).all()
    assert (cents(rec.deal("cumulative_loss")[m]) == int(result.state.cumulative_loss * 100)).all()


def test_april_2003_as_a_one_period_projection() -> None:
    """The reference date: every class's interest, principal, cash and closing position,
    and the pool after the date, are the close's (the published statement's: A's interest
    1,041,984.29 and principal 13,381,671.41; B-IO's 2,667,685.85; R-1's 50.00)."""
    spec, months, results = closed_months(OC, 1)
    rec, run = run_months(spec, initial_state(spec), [stack(months * N)], {}, Vector(N))
    assert rec.dates == [date(2003, 4, 25)]
    assert_date(spec, rec, 0, results[0], exact=False)
    a = rec.klass("A", "interest")[0]
    assert cents(a).tolist() == [104198429] * N
    assert cents(rec.klass("A", "principal")[0]).tolist() == [1338167141] * N
    assert cents(rec.klass("B-IO", "cash")[0]).tolist() == [266768585] * N
    assert cents(rec.klass("R-1", "cash")[0]).tolist() == [5000] * N
    # the specified OC the state keeps: 0.25% of the cut-off balance
    assert cents(run.memory.specified_oc).tolist() == [265222942] * N


def test_the_shifting_example_first_month_as_a_one_period_projection() -> None:
    spec, months, results = closed_months(SI, 1)
    rec, run = run_months(spec, initial_state(spec), [stack(months * N)], {}, Vector(N))
    assert_date(spec, rec, 0, results[0], exact=False)
    groups = results[0].state.shifting.groups
    for g, bal in groups.items():
        assert (cents(run.memory.groups[g]) == int(bal * 100)).all()


@pytest.mark.parametrize("deal_dir", [OC, SI], ids=["overcollateralization", "shifting"])
def test_twelve_months_chained(deal_dir: Path) -> None:
    """Every month of each example (the shifting example: a failed delinquency test,
    losses, B-6 written off, a fraud loss beyond its coverage, group 2's senior retired),
    fed in turn from the closing state: the close's amounts every month, in vector mode to
    the cent and in exact mode exactly."""
    spec, months, results = closed_months(deal_dir, 12)
    assert len(months) == 12
    s0 = initial_state(spec)
    vec, _ = run_months(spec, s0, [stack([m] * N) for m in months], {}, Vector(N))
    exact, state = run_months(spec, s0, months, {}, Exact())
    for m, result in enumerate(results):
        assert_date(spec, vec, m, result, exact=False)
        assert_date(spec, exact, m, result, exact=True)
    assert exact.dates == [r.distribution_date for r in results]
    assert state.pool == results[-1].state.pool_balance


def projected(deal_dir: Path, texts: list[str], months: int) -> tuple[Any, list[Month[Any]]]:
    """The deal's first ``months`` projected months under each scenario (vector)."""
    start = deal_start(deal_dir)
    scs = [deal_scenario(start, parse_scenario(t)) for t in texts]
    flows = project_collateral(start.collateral, scs)
    ops = Vector(len(scs))
    r = round_collateral(flows, ops)
    base = {k: v or 0.0 for k, v in start.index_base.items()}
    index = index_paths(scs, base, flows.months)
    zero = np.zeros(len(scs))
    return start, [projected_month(r, index, m, zero) for m in range(min(months, flows.months))]


STRESS = {
    OC: [
        "psa=150,cdr=10,severity=60,lag=3",  # losses beyond the OC, triggers
        "cpr=40,cdr=1,severity=30,lag=3,index=6.5",  # a binding Net WAC cap, carryforwards
        "psa=50,sda=0",
    ],
    SI: [
        "psa=300,sda=600,severity=50,lag=4",  # subordinates written off, depletion
        "cpr=45,cdr=0.5,severity=30,lag=2",  # fast prepayments: a group retired
        "psa=100,sda=150,severity=40,lag=6,advancing=no",
    ],
}


@pytest.mark.parametrize("deal_dir", [OC, SI], ids=["overcollateralization", "shifting"])
def test_vector_equals_exact_scenario_by_scenario(deal_dir: Path) -> None:
    """Projected months that diverge by scenario: each element of the vector run is the
    exact run of its scenario alone, to the cent, for 72 months."""
    texts = STRESS[deal_dir]
    start, months = projected(deal_dir, texts, 72)
    spec = start.spec
    vec, _ = run_months(spec, start.state, months, start.fee_rates, Vector(len(texts)))
    losses = vec.deal("realized_losses").sum(axis=0)
    assert (losses[:2] > 0).all()
    for i in range(len(texts)):
        exact, _ = run_months(
            spec, start.state, [element(m, i) for m in months], start.fee_rates, Exact()
        )
        for c in spec.classes:
            for f in ("interest", "principal", "writedown", "cash", "ending_balance"):
                got, want = vec.klass(c.name, f)[:, i], exact.klass(c.name, f)[:, 0]
                assert cents(got).tolist() == cents(want).tolist(), (texts[i], c.name, f)
        for f in vec.deal_fields:
            got, want = vec.deal(f)[:, i], exact.deal(f)[:, 0]
            assert np.allclose(got, want, rtol=0, atol=0.005), (texts[i], f)


def test_the_stress_scenarios_diverge() -> None:
    """What the vector/exact test exercises: losses written down past the OC, a trigger
    in effect, a capped class with a carryforward (overcollateralization); a written-off
    subordinate, the step-down conditions failing (shifting)."""
    start, months = projected(OC, STRESS[OC], 72)
    vec, _ = run_months(start.spec, start.state, months, start.fee_rates, Vector(3))
    assert vec.deal("trigger").max(axis=0).tolist()[0] == 1.0
    assert vec.klass("M-2", "writedown").sum(axis=0)[0] > 0
    assert vec.klass("A", "basis_risk_carryforward").max(axis=0)[1] > 0
    start, months = projected(SI, STRESS[SI], 72)
    vec, _ = run_months(start.spec, start.state, months, start.fee_rates, Vector(3))
    assert vec.klass("B-6", "writedown").sum(axis=0)[0] > 0
    assert vec.deal("stepdown_conditions").min(axis=0)[0] == 0.0
    assert vec.deal("group:2:senior_principal").sum(axis=0)[1] > 0


def test_a_projected_state_is_a_closed_state_rolled(tmp_path: Path) -> None:
    """Starting after a stored period: the running state is the stored state's."""
    from remit.project.deal.running import start as running_start
    from remit.project.deal.shifting import STEPS

    spec, _, results = closed_months(SI, 3)
    state: DealState = results[-1].state
    run = running_start(spec, state, STEPS.memory(spec, state, Exact()), Exact())
    assert run.pool == state.pool_balance
    assert run.classes["B-1"].balance == state.classes["B-1"].balance
    assert run.memory.groups == state.shifting.groups
