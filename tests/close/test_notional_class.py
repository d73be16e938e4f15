"""A notional interest-only class accrues on the pool balance, not on a balance of its own."""

from __future__ import annotations

from datetime import date

from remit.close import close, initial_state
from remit.spec.models import CertificateClass, Coupon
from remit.statement import build_statement
from tests.close.helpers import D, mini_spec, paid, remittance


def test_io_class_on_the_pool_notional() -> None:
    spec = mini_spec()
    io = CertificateClass(
        name="X",
        cusip="000000AE3",
        type="IO",
        original_balance=D("0.00"),
        denomination=D("1000000"),
        notional="pool_balance",
        basis="test",
        coupon=Coupon(
            kind="fixed",
            rate=D("0.005"),
            day_count="30/360",
            accrual_start="first_of_month",
            basis="test",
        ),
    )
    interest = spec.interest.model_copy(update={"order": [["A", "X"], ["M-1"], ["M-2"]]})
    spec = spec.model_copy(update={"classes": [*spec.classes, io], "interest": interest})
    s0 = initial_state(spec)
    r = close(spec, s0, remittance(date(2004, 2, 25), s0))
    # 100,000,000 notional x 0.50% x 30/360 (January, 30/360) = 41,666.67
    assert paid(r, "X", "interest.current") == D("41666.67")
    # the excess to CE falls by as much: 341,666.67 - 41,666.67
    assert paid(r, "CE", "excess.remainder") == D("300000.00")
    assert r.state.classes["X"].balance == D("0.00")
    row = build_statement(r).section("interest_distribution").row("X")
    assert row.cells["beginning_notional"].value == D("100000000.00")
