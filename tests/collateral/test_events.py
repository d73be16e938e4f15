"""Liquidations, repurchases, the Relief Act and modifications, each by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from remit.api import Deal
from remit.collateral import collect

from .helpers import loan, run, write_tape

APR, MAY = date(2003, 4, 25), date(2003, 5, 27)


def test_liquidation_repurchase_relief_act_and_modification(
    example_deal: Deal, tmp_path: Path
) -> None:
    """Four loans of 100,000.00, April 2003:

    * L1 liquidated: proceeds 70,000.00 less expenses 5,000.00 = 65,000.00 net; realized loss
      100,000.00 - 65,000.00 = 35,000.00; no scheduled principal.
    * L2 repurchased at its balance, 100,000.00.
    * L3 at 8% under the Relief Act: interest 666.67, at 6% 500.00, shortfall 166.67.
    * L4 at 6%: April interest 500.00, principal 99.55 -> 99,900.45; modified to 4% and 240
      installments from May: May interest 99,900.45 x 4% / 12 = 333.00 (333.0015), payment
      99,900.45 x (0.04/12) / (1 - (1 + 0.04/12)^-240) = 605.38, principal 272.38.
    """
    loans = [loan("L1"), loan("L2"), loan("L3", current_interest_rate="0.08"), loan("L4")]
    act = {
        APR: [
            {
                "asset_number": "L1",
                "zero_balance_code": 3,
                "liquidation_proceeds": "70000.00",
                "liquidation_expenses": "5000.00",
                "foreclosure_flag": "true",
            },
            {"asset_number": "L2", "zero_balance_code": 6},
            {"asset_number": "L3", "next_due_date": "2003-04-01", "relief_act_flag": "1"},
            {
                "asset_number": "L4",
                "next_due_date": "2003-04-01",
                "modified_interest_rate": "0.04",
                "modified_remaining_term": 240,
            },
        ],
        MAY: [
            {"asset_number": "L3", "next_due_date": "2003-05-01"},
            {"asset_number": "L4", "next_due_date": "2003-05-01"},
        ],
    }
    root = write_tape(tmp_path, loans, act)
    rem = collect(example_deal.spec, root, APR)
    p = rem.principal
    assert (p.liquidations_count, p.liquidated_balance) == (1, Decimal("100000.00"))
    assert (p.liquidation_proceeds, p.realized_losses) == (Decimal("65000.00"), Decimal("35000.00"))
    assert (p.repurchases_count, p.repurchases_principal) == (1, Decimal("100000.00"))
    assert rem.interest.relief_act_shortfall == Decimal("166.67")
    assert rem.collateral.ending_count == 2
    # scheduled principal of L3 (8%: 733.76 - 666.67 = 67.09) and L4 (99.55) only
    assert p.scheduled_principal == Decimal("166.64")
    _, (_, may) = run(example_deal.spec, root, [APR, MAY])
    assert int(may.sched.interest[3]) == 33300
    assert int(may.sched.remaining[3]) == 240
    assert int(may.sched.payment[3]) == 60538
    assert int(may.scheduled_principal[3]) == 27238
