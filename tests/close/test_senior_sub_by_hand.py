"""The shifting-interest close on a small two-group deal, by hand.

Group 1: 60,000,000 (seniors 1-A-1 40,000,000 and 1-A-2 17,000,000, sequential; X an
interest-only class at 0.25% on the pool), group 2: 40,000,000 (senior 2-A-1 38,000,000);
subordinates B-1 3,000,000, B-2 1,000,000, B-3 1,000,000; every class 5% fixed, 30/360 for
the calendar month; servicing fee 0.25%; the loans pay 6%. Senior percentage 95% in each
group; the first seven years are the lock-out (senior prepayment percentage 100%)."""

from __future__ import annotations

from datetime import date

from remit.close import close, initial_state
from remit.statement import build_statement
from tests.close.helpers import D, paid
from tests.close.si_helpers import si_remittance, si_spec

FEB, MAR = date(2004, 2, 25), date(2004, 3, 25)
MONTH1 = {
    "1": {
        "scheduled_interest": "300000.00",
        "scheduled_principal": "60000.00",
        "unscheduled_principal": "940000.00",
    },
    "2": {
        "scheduled_interest": "200000.00",
        "scheduled_principal": "40000.00",
        "unscheduled_principal": "1960000.00",
    },
}
MONTH2 = {
    "1": {
        "scheduled_interest": "295000.00",
        "scheduled_principal": "59000.00",
        "unscheduled_principal": "0.00",
        "liquidated_balance": "1500000.00",
        "liquidation_proceeds": "300000.00",
        "realized_losses": "1200000.00",
    },
    "2": {
        "scheduled_interest": "190000.00",
        "scheduled_principal": "38000.00",
        "unscheduled_principal": "36000000.00",
    },
}


def test_first_month_lock_out() -> None:
    spec = si_spec()
    s0 = initial_state(spec)
    r = close(spec, s0, si_remittance(FEB, s0, MONTH1))
    # fees 100,000,000 x 0.25% / 12 = 20,833.33, shared 60:40 -> 12,500.00 and 8,333.33
    # interest, January 30/360: 1-A-1 166,666.67, 1-A-2 70,833.33, X 20,833.33,
    # 2-A-1 158,333.33, B-1 12,500.00, B-2 and B-3 4,166.67
    assert paid(r, "1-A-1", "interest.current") == D("166666.67")
    assert paid(r, "X", "interest.current") == D("20833.33")
    assert paid(r, "2-A-1", "interest.current") == D("158333.33")
    # senior principal: 95% x 60,000 + 100% x 940,000 = 997,000.00 to 1-A-1 (sequential)
    assert paid(r, "1-A-1", "principal.senior") == D("997000.00")
    assert paid(r, "1-A-2") == D("70833.33")
    # 95% x 40,000 + 100% x 1,960,000 = 1,998,000.00 to 2-A-1
    assert paid(r, "2-A-1", "principal.senior") == D("1998000.00")
    # subordinate principal 3,000 + 2,000 = 5,000 by balance 3:1:1
    assert paid(r, "B-1", "principal.subordinate") == D("3000.00")
    assert paid(r, "B-3", "principal.subordinate") == D("1000.00")
    # the rest: (287,500.00 + 191,666.67 + 3,000,000) - everything above = 41,666.67
    assert paid(r, "R", "residual.remainder") == D("41666.67")
    assert r.figure("shifting:group:1:senior_percentage") == D("0.95")
    assert r.figure("shifting:group:1:senior_prepayment_percentage") == D("1")
    assert r.state.shifting.groups == {"1": D("59000000.00"), "2": D("38000000.00")}


def test_second_month_group_retired_and_a_subordinate_written_off() -> None:
    spec = si_spec()
    s0 = initial_state(spec)
    r1 = close(spec, s0, si_remittance(FEB, s0, MONTH1))
    r = close(spec, r1.state, si_remittance(MAR, r1.state, MONTH2))
    # group 2: senior % 36,002,000 / 38,000,000; its senior principal 36,002.00 +
    # 36,000,000 = 36,036,002.00 is more than 2-A-1's 36,002,000: 2-A-1 is retired and the
    # 34,002.00 left goes to group 1's seniors
    assert paid(r, "2-A-1", "principal.senior") == D("36002000.00")
    assert r.state.classes["2-A-1"].balance == D("0.00")
    assert paid(r, "1-A-1", "principal.senior_retired_group") == D("34002.00")
    # group 1: 56,003,000 / 59,000,000 x 59,000 = 56,003.00, plus the liquidation: the lesser
    # of 94.92% x 1,500,000 and 100% x 300,000 proceeds = 300,000.00
    assert paid(r, "1-A-1", "principal.senior") == D("356003.00")
    assert r.state.classes["1-A-1"].balance == D("38612995.00")
    # subordinates: 2,997.00 + 1,998.00 by balance; then the 1,200,000 loss, junior first:
    # B-3 998,001 written off, B-2 written down 201,999
    assert paid(r, "B-1", "principal.subordinate") == D("2997.00")
    assert r.state.classes["B-3"].balance == D("0.00")
    assert r.state.classes["B-3"].unpaid_realized_loss == D("998001.00")
    assert r.state.classes["B-2"].balance == D("796002.00")
    assert r.state.shifting.groups == {"1": D("57441000.00"), "2": D("1962000.00")}
    # interest (February): 1-A-1 39,003,000 x 5% / 12 = 162,512.50
    assert paid(r, "1-A-1", "interest.current") == D("162512.50")
    assert r.state.cumulative_loss == D("1200000.00")


def test_vector_mode_gives_the_close_s_figures() -> None:
    import numpy as np

    from remit.close.close import waterfall_input
    from remit.rules.ops import Exact, Vector
    from remit.waterfall.flows import vectorize
    from remit.waterfall.shifting import run

    spec = si_spec()
    state = initial_state(spec)
    for when, groups in ((FEB, MONTH1), (MAR, MONTH2)):
        rem = si_remittance(when, state, groups)
        w = waterfall_input(spec, state, rem)
        exact = run(spec, w, Exact())
        vec = run(spec, vectorize(w, 500), Vector(500))
        assert len(exact.flows) == len(vec.flows)
        for e, v in zip(exact.flows, vec.flows, strict=True):
            assert (e.step, e.target) == (v.step, v.target)
            got = np.round(np.asarray(v.amount) * 100).astype(np.int64)
            assert (got == int(e.amount * 100)).all(), (e.step, e.target, e.amount)
        for name, out in exact.classes.items():
            got = np.round(np.asarray(vec.classes[name].balance) * 100).astype(np.int64)
            assert (got == int(out.balance * 100)).all(), name
        state = close(spec, state, rem).state


def test_statement_shows_the_percentages_and_tests() -> None:
    spec = si_spec()
    s0 = initial_state(spec)
    r = close(spec, s0, si_remittance(FEB, s0, MONTH1))
    text = build_statement(r).to_edgar()
    assert "Group 1 Senior Percentage" in text and "95.000000%" in text
    assert "Group 2 Senior Prepayment Percentage" in text and "100.000000%" in text
    assert "Step-down Conditions Met" in text and "Overcollateraliz" not in text
    assert build_statement(r).value("si_percentages", "1:subordinate") == D("5.000000")


def test_verify_finds_our_senior_sub_statements_consistent() -> None:
    from remit.audit.verify import verify_text
    from remit.statement.reader import read

    spec = si_spec()
    state = initial_state(spec)
    for when, groups in ((FEB, MONTH1), (MAR, MONTH2)):
        r = close(spec, state, si_remittance(when, state, groups))
        text = build_statement(r).to_edgar()
        assert read(text).layout == "ctslink_senior_sub"
        report = verify_text(text, "ours")
        assert report.causes == [] and report.checked > 400
        state = r.state


def test_undercollateralized_seniors_are_paid_from_the_other_group() -> None:
    spec = si_spec()
    s0 = initial_state(spec)
    groups = {
        "1": MONTH1["1"],
        "2": {
            "scheduled_interest": "200000.00",
            "scheduled_principal": "40000.00",
            "unscheduled_principal": "1960000.00",
            "liquidated_balance": "3000000.00",
            "liquidation_proceeds": "1000000.00",
            "realized_losses": "2000000.00",
        },
    }
    r = close(spec, s0, si_remittance(FEB, s0, groups))
    # group 2: 95% x 40,000 + 1,960,000 + min(95% x 3,000,000, 1,000,000) = 2,998,000.00
    assert paid(r, "2-A-1", "principal.senior") == D("2998000.00")
    # group 2 ends at 40,000,000 - 40,000 - 1,960,000 - 3,000,000 = 35,000,000, its senior
    # at 35,002,000: the 2,000 short comes from group 1's funds
    assert paid(r, "2-A-1", "principal.cross_collateral") == D("2000.00")
    assert r.state.classes["2-A-1"].balance == D("35000000.00")
    # the 2,000,000 loss: B-3 and B-2 (999,000 each after principal) written off, B-1 2,000
    assert r.state.classes["B-3"].balance == D("0.00")
    assert r.state.classes["B-2"].balance == D("0.00")
    assert r.state.classes["B-1"].balance == D("2995000.00")
    # the residual: 41,666.67 as in a clean month, less the 2,000 paid across
    assert paid(r, "R", "residual.remainder") == D("39666.67")
