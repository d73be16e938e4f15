"""Issue 11: the shifting-interest close to the letter of the PSA, by hand, on the mini
two-group deal (tests/close/si_helpers.py; test_senior_sub_by_hand.py describes it).

Group 1: 60,000,000 (seniors 1-A-1 40,000,000 and 1-A-2 17,000,000, sequential; X an
interest-only class), group 2: 40,000,000 (2-A-1 38,000,000); subordinates B-1 3,000,000,
B-2 1,000,000, B-3 1,000,000; senior percentages 95%; original subordinate percentage 5%;
lock-out (senior prepayment percentage 100% by the schedule) until 2011; third anniversary
2007-02-25; two-times loss limit 20% of the original subordinates (1,000,000)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from remit.close import DealState, PeriodResult, close, initial_state
from remit.errors import RemitError
from remit.spec import ShiftingSpec
from remit.spec.models import ScheduleStep
from remit.statement import build_statement
from tests.close.helpers import D, paid
from tests.close.si_helpers import si_remittance, si_spec

FEB, MAR, APR = date(2004, 2, 25), date(2004, 3, 25), date(2004, 4, 26)


def group(interest: str, sched: str, prepay: str, **more: str) -> dict[str, str]:
    return {
        "scheduled_interest": interest,
        "scheduled_principal": sched,
        "unscheduled_principal": prepay,
        **more,
    }


def with_options(spec: ShiftingSpec, **options: Any) -> ShiftingSpec:
    si = spec.shifting_interest.model_validate(spec.shifting_interest.model_dump() | options)
    return spec.model_copy(update={"shifting_interest": si})


def stepping(spec: ShiftingSpec, **options: Any) -> ShiftingSpec:
    """After the lock-out: the seniors take 70% of the subordinate percentage of
    prepayments from the first date, the step-down loss limit 30% (1,500,000)."""
    return with_options(
        spec,
        senior_prepayment_share=[ScheduleStep(from_date=FEB, value=D("0.70"))],
        stepdown_loss_limits=[ScheduleStep(from_date=FEB, value=D("0.30"))],
        **options,
    )


def run(spec: ShiftingSpec, *months: tuple[dict[str, Any], dict[str, Any]]) -> list[PeriodResult]:
    state: DealState = initial_state(spec)
    out = []
    for when, (groups, extra) in zip((FEB, MAR, APR), months, strict=False):
        r = close(spec, state, si_remittance(when, state, groups, **extra))
        out.append(r)
        state = r.state
    return out


# ---- the two-times test: relief for the date only (no ratchet) -------------------------

# February: prepayments bring each group to a 90% senior percentage and the subordinates
# to exactly 10% of the pool. Group 1: 95% x 60,000 + 29,970,000 = 30,027,000 to 1-A-1
# (9,973,000 left); the group 60,000,000 - 60,000 - 29,970,000 = 29,970,000, its seniors
# 57,000,000 - 30,027,000 = 26,973,000: 90%. Group 2: 95% x 40,000 + 19,980,000 =
# 20,018,000 to 2-A-1: 17,982,000 of 19,980,000 = 90%. Subordinates: 3,000 + 2,000 by
# balance 3:1:1 -> 2,997,000 / 999,000 / 999,000 = 4,995,000 = 10% of 49,950,000.
TT_FEB = (
    group("300000.00", "60000.00", "29970000.00"),
    group("200000.00", "40000.00", "19980000.00"),
)
TT_MAR = group("149850.00", "29970.00", "2997000.00"), group("99900.00", "19980.00", "1998000.00")


def two_times_months(
    spec: ShiftingSpec, mar_extra: dict[str, Any] | None = None
) -> list[PeriodResult]:
    feb = {"1": TT_FEB[0], "2": TT_FEB[1]}
    mar = {"1": TT_MAR[0], "2": TT_MAR[1]}
    # April (the 25th a Sunday): 60+ day delinquencies of 7,200,000 make the six-month
    # average (0 + 0 + 7,200,000) / 3 = 2,400,000 no less than 50% of the subordinates
    apr = {
        "1": group("134715.15", "0.00", "1000000.00"),
        "2": group("89810.10", "0.00", "500000.00"),
    }
    dq = [{"status": "delinquent", "bucket": "60", "count": 20, "balance": "7200000.00"}]
    return run(spec, (feb, {}), (mar, mar_extra or {}), (apr, {"delinquency": dq}))


def test_two_times_test_in_the_lock_out_then_failing() -> None:
    feb, mar, apr = two_times_months(si_spec())
    assert feb.figure("shifting:two_times") == 0  # 5% is not twice 5%
    # March, before the third anniversary: the aggregate subordinate percentage 10.0% is at
    # least twice the original 5%, no delinquencies, no losses: the two-times test is met,
    # and the Senior Prepayment Percentage is the Senior Percentage plus 50% of the
    # Subordinate Percentage: 90% + 50% x 10% = 95% in each group
    assert mar.figure("shifting:two_times") == 1
    assert mar.figure("shifting:group:1:senior_percentage") == D("0.9")
    assert mar.figure("shifting:group:1:senior_prepayment_percentage") == D("0.95")
    assert mar.figure("shifting:group:2:senior_prepayment_percentage") == D("0.95")
    # group 1: 90% x 29,970 + 95% x 2,997,000 = 26,973.00 + 2,847,150.00 = 2,874,123.00
    assert paid(mar, "1-A-1", "principal.senior") == D("2874123.00")
    # group 2: 90% x 19,980 + 95% x 1,998,000 = 17,982.00 + 1,898,100.00 = 1,916,082.00
    assert paid(mar, "2-A-1", "principal.senior") == D("1916082.00")
    # the subordinates: (29,970 + 2,997,000 - 2,874,123) + (19,980 + 1,998,000 -
    # 1,916,082) = 152,847 + 101,898 = 254,745.00, every class prepayment distribution
    # trigger met (B-3 999,000 / 49,950,000 = 2% >= 1%): by balance 3:1:1
    assert paid(mar, "B-1", "principal.subordinate") == D("152847.00")
    assert paid(mar, "B-2", "principal.subordinate") == D("50949.00")
    assert paid(mar, "B-3", "principal.subordinate") == D("50949.00")
    # the relief is not the step-down share: the share remembered stays 100%
    assert mar.state.shifting.senior_prepayment_share == 1
    assert mar.figure("shifting:senior_prepayment_share_applied") == D("0.5")
    # April, still in the lock-out: the test fails (delinquencies), and the Senior
    # Prepayment Percentage is back at 100% -- not 95%: the seniors take every prepayment
    assert apr.figure("shifting:two_times") == 0
    assert apr.figure("shifting:group:1:senior_prepayment_percentage") == 1
    assert apr.figure("shifting:group:2:senior_prepayment_percentage") == 1
    assert paid(apr, "1-A-1", "principal.senior") == D("1000000.00")
    assert paid(apr, "2-A-1", "principal.senior") == D("500000.00")
    assert paid(apr, "B-1", "principal.subordinate") == 0


def test_delinquency_test_less_than_or_not_exceeding() -> None:
    # March with 60+ day delinquencies of 4,995,000: the average over February and March
    # (0 + 4,995,000) / 2 = 2,497,500 is exactly 50% of the subordinates' 4,995,000
    dq = [{"status": "delinquent", "bucket": "60", "count": 10, "balance": "4995000.00"}]
    # "less than 50%": not met, so the two-times test fails: 100% in the lock-out;
    # 90% x 29,970 + 100% x 2,997,000 = 3,023,973.00
    mar = two_times_months(si_spec(), {"delinquency": dq})[1]
    assert mar.figure("shifting:two_times") == 0
    assert paid(mar, "1-A-1", "principal.senior") == D("3023973.00")
    # "does not exceed 50%": met, the two-times test passes: 95%; 2,874,123.00
    spec = with_options(si_spec(), delinquency_test="not_exceeding")
    mar = two_times_months(spec, {"delinquency": dq})[1]
    assert mar.figure("shifting:two_times") == 1
    assert paid(mar, "1-A-1", "principal.senior") == D("2874123.00")


def test_retired_group_redirect_always_or_unless_two_times() -> None:
    # March, two-times test met (senior prepayment percentage 95%): group 2 prepays
    # 19,000,000; its senior principal 95% x 19,000,000 = 18,050,000.00 retires 2-A-1
    # (17,982,000.00) and leaves 68,000.00
    mar_groups = {"1": TT_MAR[0], "2": group("99900.00", "0.00", "19000000.00")}
    feb = {"1": TT_FEB[0], "2": TT_FEB[1]}

    def march(**options: Any) -> PeriodResult:
        return run(with_options(si_spec(), **options), (feb, {}), (mar_groups, {}))[1]

    # "always": the 68,000.00 to group 1's seniors (1-A-1, sequential)
    r = march()
    assert paid(r, "2-A-1", "principal.senior") == D("17982000.00")
    assert paid(r, "1-A-1", "principal.senior_retired_group") == D("68000.00")
    # subordinates: 152,847 (group 1) + 950,000 (group 2: 19,000,000 - 18,050,000) =
    # 1,102,847; the prepayment part 149,850 + 950,000 = 1,099,850 by balance 3:1:1 ->
    # 659,910 / 219,970 / 219,970, the rest 2,997 -> 1,798.20 / 599.40 / 599.40
    assert paid(r, "B-1", "principal.subordinate") == D("661708.20")
    assert paid(r, "B-3", "principal.subordinate") == D("220569.40")
    # "unless the two-times test is met": it is, so the 68,000.00 goes to the
    # subordinates: 1,170,847; the non-prepayment part 70,997 -> 42,598.20 / 14,199.40 /
    # 14,199.40
    r = march(retired_group_redirect="unless_two_times")
    assert paid(r, "1-A-1", "principal.senior_retired_group") == 0
    assert paid(r, "B-1", "principal.subordinate") == D("702508.20")
    assert paid(r, "B-2", "principal.subordinate") == D("234169.40")
    assert paid(r, "B-3", "principal.subordinate") == D("234169.40")


# ---- the credit support depletion date --------------------------------------------------


def test_the_date_the_last_subordinate_is_written_off() -> None:
    # February: group 1 liquidates 3,497,000 for 500,000 (loss 2,997,000), group 2
    # 1,998,000 for nothing (loss 1,998,000). Subordinates: (60,000 + 940,000 + 500,000 -
    # 1,497,000) + (40,000 + 1,960,000 - 1,998,000) = 3,000 + 2,000 -> 3,000 / 1,000 /
    # 1,000, leaving 2,997,000 / 999,000 / 999,000 = 4,995,000 = the date's losses: every
    # subordinate is written off on the date. The subordinates "have been or will be
    # reduced to zero": this date is the Credit Support Depletion Date, and group 1's
    # seniors share its senior principal pro rata -- not 1-A-1 first.
    feb = {
        "1": group(
            "300000.00",
            "60000.00",
            "940000.00",
            liquidated_balance="3497000.00",
            liquidation_proceeds="500000.00",
            realized_losses="2997000.00",
        ),
        "2": group(
            "200000.00",
            "40000.00",
            "1960000.00",
            liquidated_balance="1998000.00",
            liquidation_proceeds="0.00",
            realized_losses="1998000.00",
        ),
    }
    mar = {"1": group("277515.00", "55503.00", "0.00"), "2": group("180010.00", "0.00", "0.00")}
    r, r2 = run(si_spec(), (feb, {}), (mar, {}))
    # group 1's senior principal: 95% x 60,000 + 100% x 940,000 + min(95% x 3,497,000,
    # 100% x 500,000) = 57,000 + 940,000 + 500,000 = 1,497,000.00, pro rata 40:17 (X has no
    # balance): 1,497,000 x 40 / 57 = 1,050,526.32 and 1,497,000 x 17 / 57 = 446,473.68
    assert paid(r, "1-A-1", "principal.senior") == D("1050526.32")
    assert paid(r, "1-A-2", "principal.senior") == D("446473.68")
    assert paid(r, "X", "principal.senior") == 0
    for name in ("B-1", "B-2", "B-3"):
        assert r.state.classes[name].balance == 0
    assert r.state.classes["B-1"].unpaid_realized_loss == D("2997000.00")
    assert r.state.shifting.depletion_date == FEB
    assert r.figure("shifting:credit_support_depleted") == 1
    # the seniors were not written down: the groups end at their seniors' balances
    # (55,503,000 and 36,002,000)
    assert r.state.classes["1-A-1"].balance == D("38949473.68")
    assert r.state.classes["1-A-2"].balance == D("16553526.32")
    assert r.state.classes["2-A-1"].balance == D("36002000.00")
    # the statement prints the date
    text = build_statement(r).to_edgar()
    assert "Credit Support Depletion Date" in text and "02/25/2004" in text
    # March: on and after the date, pro rata still: 100% x 55,503 scheduled principal
    # (the senior percentage 55,503,000 / 55,503,000) -> 55,503 x 38,949,473.68 /
    # 55,503,000 = 38,949.47 and 55,503 x 16,553,526.32 / 55,503,000 = 16,553.53
    assert paid(r2, "1-A-1", "principal.senior") == D("38949.47")
    assert paid(r2, "1-A-2", "principal.senior") == D("16553.53")
    assert r2.state.shifting.depletion_date == FEB


def test_before_depletion_the_seniors_are_sequential() -> None:
    # the same February with 1,000 less loss in group 2: B-1 keeps 1,000, no depletion,
    # 1-A-1 takes group 1's 1,497,000.00 alone
    feb = {
        "1": group(
            "300000.00",
            "60000.00",
            "940000.00",
            liquidated_balance="3497000.00",
            liquidation_proceeds="500000.00",
            realized_losses="2997000.00",
        ),
        "2": group(
            "200000.00",
            "40000.00",
            "1960000.00",
            liquidated_balance="1998000.00",
            liquidation_proceeds="1000.00",
            realized_losses="1997000.00",
        ),
    }
    (r,) = run(si_spec(), (feb, {}))
    assert paid(r, "1-A-1", "principal.senior") == D("1497000.00")
    assert r.state.classes["B-1"].balance == D("1000.00")
    assert r.state.shifting.depletion_date is None


# ---- excess losses ----------------------------------------------------------------------


def with_coverage(spec: ShiftingSpec, fraud: str, **options: Any) -> ShiftingSpec:
    coverage = {
        "special_hazard": {"initial": "1000000.00", "basis": "test"},
        "fraud": {"initial": fraud, "basis": "test"},
        "bankruptcy": {"initial": "100000.00", "basis": "test"},
    }
    return with_options(spec, coverage=coverage, **options)


FRAUD_FEB = {
    # two group 1 loans liquidated: 500,000 for 100,000 (a fraud loss of 400,000) and
    # 1,000,000 for 600,000 (an ordinary loss of 400,000)
    "1": group(
        "300000.00",
        "60000.00",
        "940000.00",
        liquidated_balance="1500000.00",
        liquidation_proceeds="700000.00",
        realized_losses="800000.00",
        fraud_losses="400000.00",
        excess_loss_liquidated_balance="500000.00",
        excess_loss_liquidation_principal="100000.00",
    ),
    "2": group("200000.00", "40000.00", "1960000.00"),
}


def test_a_liquidation_with_an_excess_fraud_loss_in_one_group() -> None:
    (r,) = run(with_coverage(si_spec(), "150000.00"), (FRAUD_FEB, {}))
    # the Fraud Loss Coverage Amount, 150,000.00, covers 150,000 of the 400,000 fraud loss;
    # the Excess Fraud Loss is 250,000.00 and the coverage is used up
    assert r.figure("shifting:group:1:excess_losses") == D("250000.00")
    assert r.figure("shifting:coverage:fraud") == 0
    assert r.state.shifting.coverage["fraud"] == 0
    # group 1's senior principal: 95% x 60,000 + 100% x 940,000 + min(95% x (1,500,000 -
    # 500,000), 100% x (700,000 - 100,000)) + 95% x 100,000 (the loan with the excess loss:
    # the Senior Percentage of its Liquidation Principal) = 57,000 + 940,000 + 600,000 +
    # 95,000 = 1,692,000.00
    assert paid(r, "1-A-1", "principal.senior") == D("1692000.00")
    # subordinate principal (60,000 + 940,000 + 700,000 - 1,692,000) + 2,000 = 10,000 by
    # balance 3:1:1: B-1 2,994,000, B-2 998,000, B-3 998,000 left
    assert paid(r, "B-3", "principal.subordinate") == D("2000.00")
    # the excess loss: the Senior Percentage 95% = 237,500 to group 1's seniors pro rata
    # by balance after principal (38,308,000 and 17,000,000): 237,500 x 38,308,000 /
    # 55,308,000 = 164,499.71 and 73,000.29; the 12,500 rest to the subordinates by
    # balance 3:1:1: 7,500 / 2,500 / 2,500
    assert r.state.classes["1-A-1"].balance == D("38308000.00") - D("164499.71")
    assert r.state.classes["1-A-2"].balance == D("17000000.00") - D("73000.29")
    assert r.state.classes["2-A-1"].balance == D("36002000.00")
    assert r.state.classes["B-1"].balance == D("2994000.00") - D("7500.00")
    assert r.state.classes["B-2"].balance == D("998000.00") - D("2500.00")
    # the ordinary losses, 800,000 - 250,000 = 550,000, on B-3 (995,500 left)
    assert r.state.classes["B-3"].balance == D("998000.00") - D("2500.00") - D("550000.00")
    text = build_statement(r).to_edgar()
    assert "Fraud Loss Coverage Amount" in text


def test_excess_loss_pro_rata_over_every_class_by_balance() -> None:
    spec = with_coverage(si_spec(), "150000.00", excess_loss_allocation="by_balance")
    (r,) = run(spec, (FRAUD_FEB, {}))
    # 250,000 pro rata over 1-A-1 38,308,000, 1-A-2 17,000,000, 2-A-1 36,002,000 and the
    # subordinates 2,994,000 / 998,000 / 998,000: 96,300,000 in all. 2-A-1: 250,000 x
    # 36,002,000 / 96,300,000 = 93,463.14; B-1: 250,000 x 2,994,000 / 96,300,000 = 7,772.59
    assert r.state.classes["2-A-1"].balance == D("36002000.00") - D("93463.14")
    assert r.state.classes["B-1"].balance == D("2994000.00") - D("7772.59")


def test_the_servicer_s_excess_loss_must_agree() -> None:
    spec = with_coverage(si_spec(), "150000.00")
    s0 = initial_state(spec)
    groups = {"1": {**FRAUD_FEB["1"], "excess_losses": "250000.00"}, "2": FRAUD_FEB["2"]}
    assert close(spec, s0, si_remittance(FEB, s0, groups)).figure(
        "shifting:group:1:excess_losses"
    ) == D("250000.00")
    groups["1"]["excess_losses"] = "240000.00"
    with pytest.raises(RemitError) as e:
        close(spec, s0, si_remittance(FEB, s0, groups))
    assert e.value.problems[0].path == "groups.1.excess_losses"
    # with coverage of 500,000 the fraud loss is covered: no loan had an excess loss
    spec = with_coverage(si_spec(), "500000.00")
    s0 = initial_state(spec)
    with pytest.raises(RemitError) as e:
        close(spec, s0, si_remittance(FEB, s0, {"1": FRAUD_FEB["1"], "2": FRAUD_FEB["2"]}))
    assert e.value.problems[0].path == "groups.1.excess_loss_liquidated_balance"


def test_coverage_reductions_over_time() -> None:
    # Fraud Loss Coverage Amount 150,000.00, reduced on 2004-03-01 to 1% of the pool
    # balance (97,000,000 before the March date: 970,000 > 150,000, no change) and on
    # 2004-04-01 to 40,000.00
    spec = with_coverage(si_spec(), "150000.00")
    cov = spec.shifting_interest.coverage
    assert cov is not None
    fraud = cov.fraud.model_validate(
        cov.fraud.model_dump()
        | {
            "reductions": [
                {"from_date": date(2004, 3, 1), "pct_of_pool": "0.01"},
                {"from_date": date(2004, 4, 1), "amount": "40000.00"},
            ]
        }
    )
    spec = with_options(spec, coverage=cov.model_dump() | {"fraud": fraud.model_dump()})
    month = {
        "1": group("300000.00", "60000.00", "940000.00"),
        "2": group("200000.00", "40000.00", "1960000.00"),
    }
    # April: a 50,000 fraud loss in group 2 against 40,000 left: 10,000 excess
    apr = {
        "1": group("285000.00", "57000.00", "0.00"),
        "2": group(
            "185000.00",
            "37000.00",
            "0.00",
            liquidated_balance="100000.00",
            liquidation_proceeds="50000.00",
            realized_losses="50000.00",
            fraud_losses="50000.00",
        ),
    }
    feb, mar, r = run(spec, (month, {}), (month, {}), (apr, {}))
    assert feb.figure("shifting:coverage:fraud") == D("150000.00")
    assert mar.figure("shifting:coverage:fraud") == D("150000.00")
    assert r.figure("shifting:group:2:excess_losses") == D("10000.00")
    assert r.figure("shifting:coverage:fraud") == 0


# ---- the other options at both settings -------------------------------------------------


def test_senior_percentage_above_its_original_per_group_or_any_group() -> None:
    # February (share 70%, step-down conditions met): a 1,000,000 loss in group 1, nothing
    # recovered. Senior prepayment percentage 95% + 70% x 5% = 98.5%; group 1: 57,000 +
    # 98.5% x 940,000 = 982,900.00; group 2: 38,000 + 98.5% x 1,960,000 = 1,968,600.00.
    feb = {
        "1": group(
            "300000.00",
            "60000.00",
            "940000.00",
            liquidated_balance="1000000.00",
            liquidation_proceeds="0.00",
            realized_losses="1000000.00",
        ),
        "2": group("200000.00", "40000.00", "1960000.00"),
    }
    # March: group 1's senior percentage 56,017,100 / 58,000,000 = 96.58% is above its
    # original 95%; group 2's 36,031,400 / 38,000,000 = 94.819474% is not. Group 2 prepays
    # 1,000,000.
    mar = {"1": group("290000.00", "0.00", "0.00"), "2": group("190000.00", "0.00", "1000000.00")}
    r = run(stepping(si_spec()), (feb, {}), (mar, {}))[1]
    assert r.figure("shifting:group:1:senior_prepayment_percentage") == 1
    # per group: group 2's 94.819474% + 70% x 5.180526% = 98.445842%: x 1,000,000 = 984,458.42
    assert paid(r, "2-A-1", "principal.senior") == D("984458.42")
    # any group: group 1's senior percentage above its original sends group 2's to 100%
    r = run(
        stepping(si_spec(), senior_percentage_above_original="any_group"), (feb, {}), (mar, {})
    )[1]
    assert r.figure("shifting:group:2:senior_prepayment_percentage") == 1
    assert paid(r, "2-A-1", "principal.senior") == D("1000000.00")


def test_class_prepayment_trigger_withholds_prepayments_or_all_unscheduled() -> None:
    # February (share 70%): a 500,000 loss in group 1. Senior principal 982,900.00 and
    # 1,968,600.00 (as above, 98.5% x 0 proceeds); subordinates 17,100 + 31,400 = 48,500
    # by balance: 2,970,900 / 990,300 / 990,300; the loss on B-3: 490,300.
    feb = {
        "1": group(
            "300000.00",
            "60000.00",
            "940000.00",
            liquidated_balance="500000.00",
            liquidation_proceeds="0.00",
            realized_losses="500000.00",
        ),
        "2": group("200000.00", "40000.00", "1960000.00"),
    }
    # March: the pool 96,500,000; B-3 490,300 / 96,500,000 < 1% and B-2 (990,300 +
    # 490,300) / 96,500,000 < 2%: their class prepayment distribution triggers fail.
    # Group 2 (senior percentage 36,031,400 / 38,000,000 = 94.819474%, senior prepayment
    # percentage 70% + 30% x that = 98.445842%) prepays 1,000,000, repurchases 200,000
    # and liquidates 300,000 for 250,000.
    mar = {
        "1": group("292500.00", "0.00", "0.00"),
        "2": group(
            "190000.00",
            "0.00",
            "1000000.00",
            repurchases_principal="200000.00",
            liquidated_balance="300000.00",
            liquidation_proceeds="250000.00",
            realized_losses="50000.00",
        ),
    }
    # group 2's senior principal: 98.445842% x 1,200,000 = 1,181,350.105 + min(94.819474%
    # x 300,000 = 284,458.42, 98.445842% x 250,000 = 246,114.605) = 1,427,464.71; the
    # subordinates' 1,450,000 - 1,427,464.71 = 22,535.29
    r = run(stepping(si_spec()), (feb, {}), (mar, {}))[1]
    assert paid(r, "2-A-1", "principal.senior") == D("1427464.71")
    # prepayments only: 1.554158% x 1,000,000 = 15,541.58 to B-1 alone; the other
    # 6,993.71 by balance 2,970,900 : 990,300 : 490,300 -> 4,667.55 / 1,555.85 / 770.31
    assert paid(r, "B-1", "principal.subordinate") == D("20209.13")
    assert paid(r, "B-2", "principal.subordinate") == D("1555.85")
    assert paid(r, "B-3", "principal.subordinate") == D("770.31")
    # all unscheduled principal: 1.554158% x (1,000,000 + 200,000) = 18,649.89 + the
    # liquidation principal the seniors do not take 250,000 - 246,114.61 = 3,885.39:
    # 22,535.29, all of it, to B-1
    spec = stepping(si_spec(), class_prepayment_trigger_withholds="unscheduled")
    r = run(spec, (feb, {}), (mar, {}))[1]
    assert paid(r, "B-1", "principal.subordinate") == D("22535.29")
    assert paid(r, "B-2", "principal.subordinate") == 0
    assert paid(r, "B-3", "principal.subordinate") == 0


MONTH1_G1 = group("300000.00", "60000.00", "940000.00")
UNDER = {
    "1": MONTH1_G1,
    "2": group(
        "200000.00",
        "40000.00",
        "1960000.00",
        liquidated_balance="3000000.00",
        liquidation_proceeds="1000000.00",
        realized_losses="2000000.00",
    ),
}


def test_interest_on_the_undercollateralized_amount_or_not() -> None:
    # group 2 ends at 35,000,000, 2-A-1 at 35,002,000 after its 2,998,000.00: an
    # Undercollateralized Amount of 2,000.00 (test_senior_sub_by_hand)
    (r,) = run(si_spec(), (UNDER, {}))
    assert paid(r, "2-A-1", "principal.cross_collateral") == D("2000.00")
    # with interest: group 2's net WAC (200,000 - 8,333.33 fees) x 12 / 40,000,000 =
    # 5.75000001%; 2,000 x 5.75000001% / 12 = 9.58; 2-A-1 has no unpaid interest, so the
    # 2,009.58 is all principal, and the residual gets 9.58 less (39,666.67 - 9.58)
    (r,) = run(with_options(si_spec(), undercollateralized_interest=True), (UNDER, {}))
    assert paid(r, "2-A-1", "principal.cross_collateral") == D("2009.58")
    assert r.state.classes["2-A-1"].balance == D("34999990.42")
    assert paid(r, "R", "residual.remainder") == D("39657.09")


def test_the_transfer_pays_unpaid_interest_first() -> None:
    # Group 2 collects 10,000.00 of interest and liquidates 3,000,000 for nothing: its funds,
    # 10,000 - 8,333.33 fees = 1,666.67, pay 2-A-1 that much of its 158,333.33 interest.
    # Undercollateralized Amount 38,000,000 - 37,000,000 = 1,000,000.00. Group 1's funds
    # left after its seniors: 300,000 - 12,500 fees + 1,000,000 principal - interest
    # (166,666.67 + 70,833.33 + 20,833.33) - principal 997,000 = 32,166.67.
    months = {
        "1": MONTH1_G1,
        "2": group(
            "10000.00",
            "0.00",
            "0.00",
            liquidated_balance="3000000.00",
            liquidation_proceeds="0.00",
            realized_losses="3000000.00",
        ),
    }
    # without the interest: the 32,166.67 as principal
    (r,) = run(si_spec(), (months, {}))
    assert paid(r, "2-A-1", "principal.cross_collateral") == D("32166.67")
    assert r.state.classes["2-A-1"].unpaid_interest == D("156666.66")
    # with it: 1,000,000 + 1,000,000 x 0.05000001% / 12 (net WAC (10,000 - 8,333.33) x 12 /
    # 40,000,000) = 1,000,041.67 wanted, 32,166.67 available, all to the unpaid interest:
    # 158,333.33 - 1,666.67 - 32,166.67 = 124,499.99 left unpaid, no principal
    (r,) = run(with_options(si_spec(), undercollateralized_interest=True), (months, {}))
    assert paid(r, "2-A-1", "principal.cross_collateral") == 0
    assert paid(r, "2-A-1", "interest.current") == D("33833.34")
    assert r.state.classes["2-A-1"].unpaid_interest == D("124499.99")
    assert r.classes["2-A-1"].out.current_shortfall == D("124499.99")
