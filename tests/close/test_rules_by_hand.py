"""The waterfall's rules on hand-computed examples (a small OC deal, round numbers).

Each test writes out the arithmetic from the PSA-style definitions: inputs, the formula,
the expected cents. Dates: closing 2004-01-26, first distribution 2004-02-25 (30 days of
Actual/360 accrual), then 2004-03-25 (29 days). Classes A 80,000,000 (LIBOR + 0.50%),
M-1 10,000,000 (+1.00%), M-2 8,000,000 (+2.00%), CE = the overcollateralization, initially
2,000,000 = the specified 2% of the 100,000,000 cut-off balance. Fees 0.25% + 0.01% a year
on the beginning pool balance."""

from __future__ import annotations

from datetime import date

from tests.close.helpers import D, c, close_months, mini_spec, paid

FEB, MAR = date(2004, 2, 25), date(2004, 3, 25)


def test_first_period_fees_interest_and_excess() -> None:
    (r,) = close_months(mini_spec(), [{"when": FEB}])
    # fees: 100,000,000 x 0.25% / 12 = 20,833.33; x 0.01% / 12 = 833.33
    assert r.figure("fee:servicing") == D("20833.33")
    assert r.figure("fee:trustee") == D("833.33")
    # current interest, 30 days: A 80,000,000 x 1.50% x 30/360 = 100,000.00,
    # M-1 10,000,000 x 2.00% x 30/360 = 16,666.67, M-2 8,000,000 x 3.00% x 30/360 = 20,000.00
    assert paid(r, "A", "interest.current") == D("100000.00")
    assert paid(r, "M-1", "interest.current") == D("16666.67")
    assert paid(r, "M-2", "interest.current") == D("20000.00")
    # principal remittance 1,000,000.00 to A; OC stays at 99,000,000 - 97,000,000 = 2,000,000
    assert paid(r, "A", "principal.distribution") == D("1000000.00")
    assert r.state.classes["CE"].balance == D("2000000.00")
    # excess: 500,000 - 21,666.66 - 136,666.67 = 341,666.67 to CE
    assert paid(r, "CE", "excess.remainder") == D("341666.67")


def test_net_wac_cap_binds_and_carryforward_is_paid_later_with_interest() -> None:
    r1, r2 = close_months(
        mini_spec(),
        [
            {"when": FEB, "libor": "0.06"},
            {"when": MAR, "sched_interest": "495000.00", "unscheduled": "0.00"},
        ],
    )
    # Net WAC rate: (500,000 - 21,666.66) x 12 / 100,000,000 x 30/30 = 5.74000008%
    cap = (D("500000") - D("21666.66")) * 12 / D("100000000")
    assert r1.classes["A"].capped and r1.classes["A"].rate == cap
    # capped interest: A 80,000,000 x cap / 12 = 382,666.67; M-1 47,833.33; M-2 38,266.67
    assert paid(r1, "A", "interest.current") == c(D("80000000") * cap * 30 / 360) == D("382666.67")
    assert paid(r1, "M-1", "interest.current") == D("47833.33")
    assert paid(r1, "M-2", "interest.current") == D("38266.67")
    # uncapped (6.5%, 7%, 8%): 433,333.33, 58,333.33, 53,333.33 -> shortfalls 50,666.66,
    # 10,500.00, 15,066.66; excess 478,333.34 - 468,766.67 = 9,566.67 pays A's first
    assert paid(r1, "A", "excess.basis_risk_carryforward") == D("9566.67")
    assert r1.state.classes["A"].basis_risk_carryforward == D("41099.99")
    assert r1.state.classes["M-1"].basis_risk_carryforward == D("10500.00")
    assert r1.state.classes["M-2"].basis_risk_carryforward == D("15066.66")
    assert paid(r1, "CE") == D("0.00")
    # March, 29 days, LIBOR 1%: the cap no longer binds; the carryforwards are paid with
    # interest at the formula rate: A 41,099.99 + 41,099.99 x 1.5% x 29/360 (49.66) = 41,149.65
    assert not r2.classes["A"].capped
    assert paid(r2, "A", "excess.basis_risk_carryforward") == D("41149.65")
    assert paid(r2, "M-1", "excess.basis_risk_carryforward") == D("10516.92")  # + 16.92
    assert paid(r2, "M-2", "excess.basis_risk_carryforward") == D("15103.07")  # + 36.41
    # interest funds 495,000 - 21,450.00 = 473,550.00; current interest 95,458.33 + 16,111.11
    # + 19,333.33 = 130,902.77; excess 342,647.23 - carryforwards 66,769.64 = 275,877.59 to CE
    assert paid(r2, "A", "interest.current") == D("95458.33")
    assert paid(r2, "CE", "excess.remainder") == D("275877.59")
    assert r2.state.classes["A"].basis_risk_carryforward == D("0.00")


def test_loss_beyond_oc_builds_oc_writes_down_m2_and_recovery_writes_it_up() -> None:
    liquidation = {
        "liquidations_count": 10,
        "liquidated_balance": "3000000.00",
        "liquidation_proceeds": "500000.00",
        "realized_losses": "2500000.00",
    }
    r1, r2 = close_months(
        mini_spec(),
        [
            {"when": FEB, "unscheduled": "0.00", "principal": liquidation},
            {
                "when": MAR,
                "sched_interest": "484500.00",
                "unscheduled": "0.00",
                "principal": {"subsequent_recoveries": "200000.00"},
            },
        ],
    )
    # pool 100,000,000 - 100,000 - 3,000,000 = 96,900,000; principal remittance 100,000 +
    # 500,000 = 600,000; certificates after it 97,400,000 exceed the pool: the
    # Overcollateralized Amount ("the excess, if any") is 0 and the deficiency is the whole
    # target 2,000,000
    assert r1.state.pool_balance == D("96900000.00")
    assert r1.figure("oc:oc_amount_before") == D("0")
    assert r1.figure("oc:oc_deficiency") == D("2000000.00")
    # extra principal = all the excess interest 341,666.67 (< deficiency 2,000,000)
    assert paid(r1, "A", "excess.extra_principal") == D("341666.67")
    assert r1.state.classes["A"].balance == D("79058333.33")  # 80,000,000 - 941,666.67
    # certificates 97,058,333.33 > pool 96,900,000: M-2 written down 158,333.33
    assert r1.state.classes["M-2"].balance == D("7841666.67")
    assert r1.state.classes["M-2"].unpaid_realized_loss == D("158333.33")
    assert r1.state.classes["CE"].balance == D("0.00")
    assert r1.state.cumulative_loss == D("2500000.00")
    # March: the 200,000 recovery writes M-2 up by its 158,333.33 first
    assert r2.state.classes["M-2"].unpaid_realized_loss == D("0.00")
    # interest: A 79,058,333.33 x 1.5% x 29/360 = 95,528.82; M-1 16,111.11;
    # M-2 7,841,666.67 x 3% x 29/360 = 18,950.69; funds 484,500 - 20,995.00 = 463,505.00
    assert paid(r2, "A", "interest.current") == D("95528.82")
    assert paid(r2, "M-2", "interest.current") == D("18950.69")
    # excess 463,505.00 - 130,590.62 = 332,914.38, all extra principal (OC 41,666.67 < 2,000,000)
    assert paid(r2, "A", "excess.extra_principal") == D("332914.38")
    assert paid(r2, "A", "principal.distribution") == D("300000.00")  # 100,000 + 200,000
    assert r2.state.classes["A"].balance == D("78425418.95")
    assert r2.state.classes["M-2"].balance == D("8000000.00")
    # OC = 96,800,000 - 96,425,418.95 = 374,581.05 = extra principal + unused recovery 41,666.67
    assert r2.state.classes["CE"].balance == D("374581.05")
    assert r2.state.cumulative_loss == D("2300000.00")


def test_prepayment_and_relief_act_shortfalls_allocated_pro_rata() -> None:
    (r,) = close_months(
        mini_spec(),
        [
            {
                "when": FEB,
                "interest": {
                    "prepayment_interest_shortfall": "10000.00",
                    "compensating_interest": "4000.00",
                    "relief_act_shortfall": "1000.00",
                },
            }
        ],
    )
    # net shortfall 10,000 - 4,000 + 1,000 = 7,000 pro rata by current interest
    # (100,000.00 : 16,666.67 : 20,000.00 of 136,666.67): 5,121.95, 853.66, the rest 1,024.39
    assert r.classes["A"].waterfall["non_supported_shortfall"] == D("5121.95")
    assert r.classes["M-1"].waterfall["non_supported_shortfall"] == D("853.66")
    assert r.classes["M-2"].waterfall["non_supported_shortfall"] == D("1024.39")
    assert paid(r, "A", "interest.current") == D("94878.05")
    # not carried forward: lost to the holders
    assert r.state.classes["A"].unpaid_interest == D("0.00")
    # the servicer pays 4,000 compensating interest out of its fee
    comp = r.ledger.select(step="fees.compensating_interest")
    assert [(p.source, p.amount) for p in comp] == [("fee:servicing", D("4000.00"))]


def test_insufficient_interest_is_carried_forward_with_interest() -> None:
    r1, r2 = close_months(
        mini_spec(),
        [
            {
                "when": FEB,
                "advances": {"p_and_i_advances": "400000.00", "reimbursements": "400000.00"},
            },
            {"when": MAR, "sched_interest": "495000.00", "unscheduled": "0.00"},
        ],
    )
    # funds 500,000 - 21,666.66 - 400,000 reimbursed = 78,333.34: A short 21,666.66
    assert paid(r1, "A", "interest.current") == D("78333.34")
    assert r1.state.classes["A"].unpaid_interest == D("21666.66")
    assert r1.state.classes["M-1"].unpaid_interest == D("16666.67")
    assert r1.state.classes["M-2"].unpaid_interest == D("20000.00")
    # March: carried + interest on it at the pass-through rate for 29 days
    assert paid(r2, "A", "interest.unpaid") == D("21692.84")  # + 26.18
    assert paid(r2, "M-1", "interest.unpaid") == D("16693.52")  # + 26.85
    assert paid(r2, "M-2", "interest.unpaid") == D("20048.33")  # + 48.33
    assert paid(r2, "CE", "excess.remainder") == D("284212.54")
