"""A realized loss no class can take: the subordinates written off and the seniors of the
group whose loans lost it retired, the PSA ("... to the Group I Senior Certificates, pro
rata, until their Class Principal Balances have been reduced to zero") allocates it to no
class. The certificates then stand above the pool by it; the close records it (the date's
and since closing), accepts the certificates above the pool by exactly that much and no
more, and the statement shows it.

On the mini two-group deal (tests/close/si_helpers.py; group 1: 1-A-1 40,000,000, 1-A-2
17,000,000 and X, interest only on the pool balance at 0.25%; group 2: 2-A-1 38,000,000;
subordinates B-1 3,000,000, B-2 1,000,000, B-3 1,000,000; every coupon 5% 30/360, the
servicing fee 0.25%; 100% of prepayments to the seniors in the lock-out years), by hand:

February 2004: group 1 prepays 57,000,000.00: its Senior Principal Distribution Amount
100% x 57,000,000 retires 1-A-1 (40,000,000.00) and 1-A-2 (17,000,000.00), sequentially.
Group 1 is left with 3,000,000.00 of loans, group 2 with 40,000,000.00; 2-A-1
38,000,000.00 and the subordinates 5,000,000.00 are the certificates: 43,000,000.00, the
pool.

March 2004: group 1 liquidates 1,500,000.00 of loans for nothing, group 2 4,500,000.00:
losses 6,000,000.00. Fee 0.25% x 43,000,000 / 12 = 8,958.33, shared by the groups'
balances 3:40 -> 625.00 / 8,333.33. Group 1's interest 9,583.33 - 625.00 = 8,958.33 pays
X's 43,000,000 x 0.25% / 12 = 8,958.33, nothing left to cross-collateralize group 2's
seniors. Group 2's 200,000.00 - 8,333.33 = 191,666.67 pays 2-A-1 158,333.33 and the
subordinates 12,500.00 / 4,166.67 / 4,166.67; no principal collected. The losses write
the subordinates off (B-3 1,000,000, B-2 1,000,000, B-1 3,000,000: the credit support
depletion date); the 1,000,000.00 left is shared by the groups' losses 1.5 : 4.5 ->
250,000.00 (group 1) and 750,000.00 (group 2). 2-A-1 is written down 750,000.00 to
37,250,000.00; group 1's seniors are retired: its 250,000.00 is allocated to no class.
The pool: 43,000,000 - 6,000,000 = 37,000,000.00; the certificates 37,250,000.00: above
it by 250,000.00, exactly the loss allocated to no class.

April 2004: no principal, no loss. Fee 0.25% x 37,000,000 / 12 = 7,708.33 -> 312.50
(group 1, 1.5 of 37) / 7,395.83; group 1's 8,020.83 - 312.50 = 7,708.33 pays X's
7,708.33; group 2's 177,500.00 - 7,395.83 = 170,104.17 pays 2-A-1's 37,250,000 x 5% / 12 =
155,208.33. The certificates stay 250,000.00 above the pool of 37,000,000.00: the close
accepts it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
import pytest

from remit.audit.verify import self_check
from remit.close import DealState, PeriodResult, close, initial_state
from remit.close.checks import assert_covered
from remit.close.period import fee_amounts
from remit.close.state import ShiftingState
from remit.errors import RemitError
from remit.project.deal.actual import from_remittance
from remit.project.deal.engine import run_months
from remit.rules.ops import Exact, Vector, exact_context
from remit.spec import ShiftingSpec
from remit.statement import build_statement
from remit.waterfall.flows import stack
from tests.close.helpers import D, paid
from tests.close.si_helpers import si_remittance, si_spec
from tests.close.test_senior_sub_psa import APR, FEB, MAR, group

LIQUIDATED_1 = {"liquidated_balance": "1500000.00", "liquidation_proceeds": "0.00"}
LIQUIDATED_2 = {"liquidated_balance": "4500000.00", "liquidation_proceeds": "0.00"}
MONTHS: tuple[dict[str, dict[str, str]], ...] = (
    {"1": group("300000.00", "0.00", "57000000.00"), "2": group("200000.00", "0.00", "0.00")},
    {
        "1": group("9583.33", "0.00", "0.00", realized_losses="1500000.00", **LIQUIDATED_1),
        "2": group("200000.00", "0.00", "0.00", realized_losses="4500000.00", **LIQUIDATED_2),
    },
    {"1": group("8020.83", "0.00", "0.00"), "2": group("177500.00", "0.00", "0.00")},
)


def closes(spec: ShiftingSpec | None = None) -> list[PeriodResult]:
    spec = spec or si_spec()
    state: DealState = initial_state(spec)
    out = []
    for when, groups in zip((FEB, MAR, APR), MONTHS, strict=True):
        r = close(spec, state, si_remittance(when, state, groups))
        out.append(r)
        state = r.state
    return out


def certificates(r: PeriodResult) -> Decimal:
    return sum((r.state.classes[c.name].balance for c in r.spec.principal_classes), D("0"))


def test_a_loss_no_class_can_take() -> None:
    feb, mar, apr = closes()
    # February: group 1's seniors retired, nothing lost
    assert paid(feb, "1-A-1", "principal.senior") == D("40000000.00")
    assert paid(feb, "1-A-2", "principal.senior") == D("17000000.00")
    assert feb.state.shifting.groups == {"1": D("3000000.00"), "2": D("40000000.00")}
    assert feb.figure("shifting:unallocated_loss") == 0
    assert certificates(feb) == feb.state.pool_balance == D("43000000.00")
    # March: the subordinates written off, 2-A-1 its group's 750,000.00, no class group 1's
    # 250,000.00
    for name, lost in (("B-1", "3000000.00"), ("B-2", "1000000.00"), ("B-3", "1000000.00")):
        assert mar.classes[name].out.writedown == D(lost)
        assert mar.state.classes[name].balance == 0
    assert mar.classes["2-A-1"].out.writedown == D("750000.00")
    for name in ("1-A-1", "1-A-2", "X"):
        assert mar.classes[name].out.writedown == 0
    assert mar.state.shifting.depletion_date == MAR
    assert mar.figure("shifting:group:1:unallocated_loss") == D("250000.00")
    assert mar.figure("shifting:group:2:unallocated_loss") == 0
    assert mar.figure("shifting:unallocated_loss") == D("250000.00")
    assert mar.figure("shifting:cumulative_unallocated_loss") == D("250000.00")
    assert mar.state.shifting.unallocated_loss == D("250000.00")
    # the classes were written down the losses less what no class took
    written = sum((o.out.writedown for o in mar.classes.values()), D("0"))
    assert written == D("6000000.00") - D("250000.00")
    assert mar.state.classes["2-A-1"].balance == D("37250000.00")
    assert mar.state.pool_balance == D("37000000.00")
    assert certificates(mar) - mar.state.pool_balance == D("250000.00")
    # April closes too: the certificates still 250,000.00 above the pool
    assert paid(apr, "X", "interest.current") == D("7708.33")
    assert paid(apr, "2-A-1", "interest.current") == D("155208.33")
    assert apr.figure("shifting:unallocated_loss") == 0
    assert apr.figure("shifting:cumulative_unallocated_loss") == D("250000.00")
    assert certificates(apr) - apr.state.pool_balance == D("250000.00")


def test_no_more_above_the_pool_than_the_loss_allocated_to_no_class() -> None:
    *_, apr = closes()
    assert_covered(apr.spec, apr.state, "test")  # exactly 250,000.00 above: accepted
    with pytest.raises(RemitError) as e:
        assert_covered(apr.spec, apr.state.with_(pool_balance=D("36999999.99")), "test")
    (problem,) = e.value.problems
    assert problem.path == "(certificates)" and problem.value == "37250000.00"
    assert "plus the realized losses allocated to no class 250000.00" in problem.expected


def test_a_close_leaving_more_above_the_pool_is_refused() -> None:
    # April again, but group 2 collects 7,395.83 of interest (its fee share: nothing left)
    # and 100,000.00 of scheduled principal: 2-A-1's interest 155,208.33 takes the
    # principal, the pool falls to 36,900,000.00 and the certificates stay 37,250,000.00:
    # 350,000.00 above it, more than the 250,000.00 no class took
    _, mar, _ = closes()
    short = {"1": group("8020.83", "0.00", "0.00"), "2": group("7395.83", "100000.00", "0.00")}
    with pytest.raises(RemitError) as e:
        close(mar.spec, mar.state, si_remittance(APR, mar.state, short))
    (problem,) = e.value.problems
    assert problem.value == "37250000.00"
    assert "pool balance 36900000.00 plus the realized losses allocated to no class" in (
        problem.expected
    )


def test_the_state_keeps_it_and_reads_an_older_state_as_none() -> None:
    *_, apr = closes()
    stored = apr.state.to_dict()
    assert stored["shifting"]["unallocated_loss"] == "250000.00"
    assert DealState.from_dict(stored) == apr.state
    del stored["shifting"]["unallocated_loss"]
    assert DealState.from_dict(stored).shifting.unallocated_loss == 0
    assert ShiftingState.from_dict({}).unallocated_loss == 0


def test_the_statement_shows_it_and_reads_back_consistent() -> None:
    for r in closes():
        statement = build_statement(r)
        text = statement.to_edgar()
        self_check(text, "test")
        section = statement.value("si_unallocated", "unallocated_loss", "value")
        assert section == r.figure("shifting:unallocated_loss")
    mar_text = build_statement(closes()[1]).to_edgar()
    lines = [x.split() for x in mar_text.splitlines()]
    assert ["Current", "Period", "250,000.00"] in lines
    assert ["Cumulative", "250,000.00"] in lines
    assert "Realized Losses Allocated to No Class" in mar_text


def test_the_projection_carries_the_same_figure() -> None:
    """The three dates fed to the projection (vector of 3 and exact): the date's loss
    allocated to no class, each group's and since closing, are the close's to the cent,
    and the certificates left above the pool are the cumulative amount."""
    spec = si_spec()
    results = closes(spec)
    months = []
    for r in results:
        with exact_context():
            fees = fee_amounts(spec, r.prior, r.remittance, "test")
        months.append(from_remittance(spec, r.remittance, {k: f.value for k, f in fees.items()}))
    s0 = initial_state(spec)
    vec, run = run_months(spec, s0, [stack([m] * 3) for m in months], {}, Vector(3))
    exact, _ = run_months(spec, s0, months, {}, Exact())

    def cents(x: Any) -> list[int]:
        return [int(v) for v in np.round(np.asarray(x, dtype=np.float64) * 100)]

    names = [c.name for c in spec.principal_classes]
    for m, r in enumerate(results):
        for key in ("unallocated_loss", "cumulative_unallocated_loss", "group:1:unallocated_loss"):
            want = int(r.figure(f"shifting:{key}") * 100)
            assert cents(vec.deal(key)[m]) == [want] * 3, (m, key)
            assert cents(exact.deal(key)[m]) == [want], (m, key)
        above = sum(vec.klass(n, "ending_balance")[m] for n in names) - vec.deal("pool_ending")[m]
        assert cents(above) == [int(r.state.unallocated_loss * 100)] * 3
    assert cents(run.memory.unallocated) == [25000000] * 3
