"""The ledger says only what happened: cash moves as cash; a realized loss, which moves no
money, is a memo."""

from __future__ import annotations

from datetime import date

from remit.close import close, initial_state
from tests.close.helpers import D, mini_spec, remittance


def test_a_liquidation_posts_its_proceeds_as_cash_and_its_loss_as_a_memo() -> None:
    spec = mini_spec()
    s0 = initial_state(spec)
    # a loan of 3,000,000.00 liquidated for 500,000.00: 2,500,000.00 lost
    rem = remittance(
        date(2004, 2, 25),
        s0,
        unscheduled="0.00",
        principal={
            "liquidations_count": 1,
            "liquidated_balance": "3000000.00",
            "liquidation_proceeds": "500000.00",
            "realized_losses": "2500000.00",
        },
    )
    r = close(spec, s0, rem)
    (cash,) = r.ledger.select(step="deposit.liquidations")
    assert (cash.source, cash.target, cash.amount, cash.kind) == (
        "servicer",
        "certificate_account",
        D("500000.00"),
        "cash",
    )
    (loss,) = r.ledger.select(step="deposit.realized_losses")
    assert (loss.source, loss.target, loss.amount, loss.kind) == (
        "collateral",
        "loss:realized",
        D("2500000.00"),
        "memo",
    )
    # no memo touches the certificate account, and the account nets to zero by cash alone
    assert not [
        p
        for p in r.ledger.postings
        if p.kind == "memo" and "certificate_account" in (p.source, p.target)
    ]
    # the statement still prints the liquidation gross and the loss as a negative deposit
    from remit.statement import build_statement

    st = build_statement(r)
    assert st.value("certificate_account", "deposit_liquidations") == D("3000000.00")
    assert st.value("certificate_account", "deposit_realized_losses") == D("-2500000.00")


def test_the_oc_class_accumulates_the_losses_it_absorbed() -> None:
    """The OC class's current realized loss (what the overcollateralization absorbed) adds to
    its cumulative realized losses, as for every other class."""
    from remit.statement import build_statement

    spec = mini_spec()
    s0 = initial_state(spec)
    # a 100,000.00 loss in each of two months: whatever part the overcollateralization
    # absorbed each month (the OC class's current realized loss) adds up to its cumulative
    liq = {
        "liquidations_count": 1,
        "liquidated_balance": "150000.00",
        "liquidation_proceeds": "50000.00",
        "realized_losses": "100000.00",
    }
    r1 = close(spec, s0, remittance(date(2004, 2, 25), s0, principal=liq))
    r2 = close(spec, r1.state, remittance(date(2004, 3, 25), r1.state, principal=liq))
    oc = spec.overcollateralization.oc_class
    total = sum(
        (
            build_statement(r).value("distribution_summary_2", oc, "current_realized_loss")
            for r in (r1, r2)
        ),
        D("0.00"),
    )
    assert total > 0
    st2 = build_statement(r2)
    assert st2.value("distribution_summary_2", oc, "cumulative_realized_losses") == total
