"""The defects the self-verification property test found, each as a hand-made case: remit's
own statement for the date, read back, must satisfy every identity.

Each case failed before its fix: ``verify`` took a valid statement for an inconsistent one.

* the Net WAC cap binds and the excess cash pays the class its basis-risk carryforward: the
  layout prints it in no column of its own, inside the class's interest distribution;
* uncompensated prepayment interest shortfalls and advances reimbursed from interest reduce
  the interest remittance, and so the excess cash;
* a senior class whose loan group is gone prints a zero rate, but is no residual class;
* a date after one that paid no principal, paying interest left unpaid then, is not the
  first distribution, although every class still begins at its original face;
* a pool paid down to nothing: an interest-only class's notional (the pool) is not a copy of
  its zero balance because the ending pool is zero too;
* (known, fixed before) the OC class's cumulative realized losses stayed 0.00 while its
  current realized loss was not."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import remit
from remit.audit.verify import Report, verify_result, verify_text
from remit.close import DealState, PeriodResult, close, initial_state
from remit.close.close import expected_date
from remit.spec import DealSpec
from remit.statement import build_statement
from remit.statement.reader import read
from tests.audit.closes import Collections, Extras, example_spec, remittance, remittance_data
from tests.close.helpers import mini_spec
from tests.close.si_helpers import si_spec

D = Decimal
ROOT = Path(__file__).resolve().parents[2]
NO_EXTRAS = Extras()


def close_next(
    spec: DealSpec,
    state: DealState,
    c: Collections,
    groups: dict[str, Collections] | None = None,
    x: Extras = NO_EXTRAS,
) -> PeriodResult:
    g = {n: {**gc.fields()} for n, gc in (groups or {}).items()}
    data = remittance_data(spec, state, expected_date(spec, state), c, g, x)
    return close(spec, state, remittance(data))


def report(r: PeriodResult) -> Report:
    return verify_text(build_statement(r).to_edgar())


def assert_consistent(r: PeriodResult) -> Report:
    rep = report(r)
    assert rep.causes == [], rep.to_text()
    return rep


def test_basis_risk_carryforward_paid_from_excess_cash() -> None:
    """Mini deal, first date: the loans pay 0.60% a year, the fees take 0.26%, so the Net WAC
    cap is 0.34% and binds class A (LIBOR 1% + 0.50%). Net interest 28,333.34; A, M-1 and M-2
    accrue 22,666.67 + 2,833.33 + 2,266.67 = 27,766.67 at the cap; the OC is at its target,
    so the excess cash 566.67 pays A's carryforward (80,000,000 x (1.50% - 0.34%) / 12 is more)
    and nothing is left for CE."""
    spec = mini_spec()
    r = close_next(spec, initial_state(spec), Collections(D("50000.00"), D("100000.00")))
    assert r.classes["A"].capped
    rep = assert_consistent(r)
    assert rep.inferred.paid_from_excess == {"A": D("566.67")}
    assert rep.figures  # read whole


def test_shortfalls_and_reimbursed_advances_reduce_the_excess_cash() -> None:
    """Mini deal, first date: 600,000.00 of interest, 1,000.00 of prepayment interest
    shortfall not compensated and 200.00 of Relief Act shortfall (borne by the classes), and
    5,000.00 of advances reimbursed from interest: the excess cash is net interest less those,
    less the certificates' interest."""
    spec = mini_spec()
    c = Collections(
        D("600000.00"),
        D("100000.00"),
        prepayment_interest_shortfall=D("1000.00"),
        relief_act_shortfall=D("200.00"),
    )
    x = Extras(advances=D("8000.00"), reimbursements=D("5000.00"))
    assert_consistent(close_next(spec, initial_state(spec), c, x=x))


def test_a_retired_groups_senior_is_no_residual() -> None:
    """The example senior/subordinate deal: group 1 pays off whole on the first date (its
    seniors retired), group 2 has a loss. On the second date the group 1 seniors' rate (the
    group's net rate) prints as zero: they are not residual classes, and their faces count in
    the cut-off balance of the cumulative loss percentage."""
    spec = example_spec("prime-senior-sub")
    s0 = initial_state(spec)
    g1 = s0.shifting.groups["1"]
    month1 = {
        "1": Collections(D("1500000.00"), D("400000.00"), g1 - D("400000.00")),
        "2": Collections(
            D("160000.00"),
            D("55000.00"),
            liquidated_balance=D("300000.00"),
            liquidation_proceeds=D("200000.00"),
        ),
    }
    r1 = close_next(spec, s0, _total(month1), month1)
    assert r1.state.shifting.groups["1"] == 0
    month2 = {
        "1": Collections(D("0.00"), D("0.00")),
        "2": Collections(D("158000.00"), D("55000.00"), D("100000.00")),
    }
    r2 = close_next(spec, r1.state, _total(month2), month2)
    rep = assert_consistent(r2)
    assert "1-A-1" not in rep.inferred.residual
    assert rep.inferred.residual == ["R"]


def test_unpaid_interest_paid_means_an_earlier_date() -> None:
    """Mini senior/subordinate deal: a first date with no principal and too little interest
    for the seniors (unpaid interest), then a date that pays it: every class still begins at
    its face, but the unpaid interest paid says a date came before."""
    spec = si_spec()
    s0 = initial_state(spec)
    month1 = {"1": Collections(D("60000.00"), D("0")), "2": Collections(D("40000.00"), D("0"))}
    r1 = close_next(spec, s0, _total(month1), month1)
    assert r1.state.classes["1-A-1"].unpaid_interest > 0
    month2 = {
        "1": Collections(D("400000.00"), D("0")),
        "2": Collections(D("300000.00"), D("0")),
    }
    r2 = close_next(spec, r1.state, _total(month2), month2)
    rep = assert_consistent(r2)
    assert not rep.inferred.first_period


def test_a_pool_paid_down_to_nothing() -> None:
    """Mini senior/subordinate deal: both groups pay off all but a few cents; on the next
    date the interest-only class X accrues on a pool of 0.07 and ends at 0.00 with the pool:
    its notional (the pool's beginning balance) is not a copy of its zero balance."""
    spec = si_spec()
    s0 = initial_state(spec)
    g = s0.shifting.groups
    month1 = {
        n: Collections(D("300000.00"), D("10000.00"), g[n] - D("10000.00") - D(left))
        for n, left in (("1", "0.04"), ("2", "0.03"))
    }
    r1 = close_next(spec, s0, _total(month1), month1)
    assert r1.state.pool_balance == D("0.07")
    month2 = {
        "1": Collections(D("0.00"), D("0.00"), D("0.04")),
        "2": Collections(D("0.00"), D("0.00"), D("0.03")),
    }
    assert_consistent(close_next(spec, r1.state, _total(month2), month2))


def test_oc_class_cumulative_realized_losses_accumulate() -> None:
    """The example deal's 2004-02-25 (a loss of 32,345.67, absorbed by the
    overcollateralization): class B-IO's cumulative realized losses are at least its current
    realized loss (they stayed 0.00). The statement verifies, and a statement printing 0.00
    there is refused by verify."""
    deal = remit.load_deal(ROOT / "examples" / "thornburg-2003-2")
    r = deal.close("2004-02-25")
    st = build_statement(r)
    current = st.value("distribution_summary_2", "B-IO", "current_realized_loss")
    cumulative = st.value("distribution_summary_2", "B-IO", "cumulative_realized_losses")
    assert current == D("32345.67")
    assert cumulative == D("32345.67")  # the first loss of the deal
    text = st.to_edgar()
    assert verify_text(text).causes == []
    res = read(text)
    key = ("distribution_summary_2", "B-IO", "cumulative_realized_losses")
    assert res.cells[key].strip() == "32,345.67"
    bad = verify_result(replace(res, cells={**res.cells, key: "0.00"}))
    assert key in {f.key for c in bad.inconsistencies for f in c.findings}


def _total(groups: dict[str, Collections]) -> Collections:
    fields = Collections.__dataclass_fields__
    return Collections(*(sum((getattr(g, f) for g in groups.values()), D(0)) for f in fields))
