"""The overcollateralization definitions of a PSA, by hand, on the mini deal (tests/close/
helpers.py): two- and three-period closes, each with the clause, the arithmetic and the
figures to the cent, for the standard reading and each option of deal.toml.

The mini deal: cut-off 100,000,000; A 80,000,000 (LIBOR + 0.50%), M-1 10,000,000 (+1.00%),
M-2 8,000,000 (+2.00%), CE = the overcollateralization, 2,000,000, its target 2% of the
cut-off balance; fees 0.25% + 0.01% a year on the beginning pool; Actual/360 from the
closing date 2004-01-26: 30 days to 2004-02-25, 29 to 2004-03-25, 32 to 2004-04-26.
LIBOR 1% unless said: A 1.5%, M-1 2%, M-2 3%. The default remittance: scheduled interest
500,000, scheduled principal 100,000, unscheduled principal 900,000.

The first date of the mini deal, worked once (used below): fees 100,000,000 x 0.25% / 12 =
20,833.33 and x 0.01% / 12 = 833.33, 21,666.66 in all; interest remittance 500,000 -
21,666.66 = 478,333.34; current interest A 80,000,000 x 1.5% x 30/360 = 100,000.00, M-1
16,666.67, M-2 20,000.00 = 136,666.67; interest left 478,333.34 - 136,666.67 =
341,666.67."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from remit.api import ClosedPeriod
from remit.close import DealState, PeriodResult, close, initial_state
from remit.spec import OCSpec
from tests.close.helpers import D, dq60, mini_spec, paid, remittance, with_options

FEB, MAR, APR = date(2004, 2, 25), date(2004, 3, 25), date(2004, 4, 26)


def run(spec: OCSpec, months: list[dict[str, Any]]) -> list[PeriodResult]:
    """Close consecutive dates from closing; each dict gives the remittance's arguments."""
    state: DealState = initial_state(spec)
    out = []
    for args in months:
        args = dict(args)
        r = close(spec, state, remittance(args.pop("when"), state, **args))
        out.append(r)
        state = r.state
    return out


def printed(r: PeriodResult, row: str) -> Any:
    """A row of the collateral statement as printed (or, past the layout's rows, in JSON)."""
    return ClosedPeriod.of(r).statement.value("collateral", row)


def stepdown_in_march(spec: OCSpec, **more: Any) -> OCSpec:
    """The deal with its earliest stepdown date on 2004-03-25 and a 15% senior enhancement
    target (the mini deal's senior enhancement is about 20% then)."""
    return with_options(
        spec,
        {
            "overcollateralization.stepdown_earliest": MAR,
            "overcollateralization.senior_enhancement_target": D("0.15"),
            **{k.replace("__", "."): v for k, v in more.items()},
        },
    )


# ---- 1 and 2: Overcollateralized Amount, Deficiency, Net Monthly Excess Cashflow --------


def test_oc_built_from_excess_cash_deficiency_before_extra_principal() -> None:
    """Overcollateralization Deficiency Amount: the target less the Overcollateralized
    Amount after the principal remittance is distributed (before the extra principal).
    Extra Principal Distribution Amount: the lesser of the Net Monthly Excess Cashflow and
    that deficiency. Target 3% (3,000,000) against an initial OC of 2,000,000."""
    spec = with_options(mini_spec(), {"overcollateralization.specified_pct": D("0.03")})
    feb, mar = run(
        spec,
        [{"when": FEB}, {"when": MAR, "sched_interest": "495000.00", "unscheduled": "0.00"}],
    )
    # February: pool 100,000,000 - 1,000,000 = 99,000,000; certificates after the principal
    # remittance 98,000,000 - 1,000,000 = 97,000,000: OC 2,000,000, deficiency 1,000,000
    assert feb.figure("oc:oc_amount_before") == D("2000000.00")
    assert feb.figure("oc:oc_deficiency") == D("1000000.00")
    # net monthly excess cashflow = interest left 341,666.67 + release 0; all of it extra
    # principal (< 1,000,000), to A: 80,000,000 - 1,000,000 - 341,666.67 = 78,658,333.33
    assert feb.figure("oc:net_monthly_excess_cashflow") == D("341666.67")
    assert paid(feb, "A", "excess.extra_principal") == D("341666.67")
    assert feb.state.classes["A"].balance == D("78658333.33")
    # OC after all distributions 99,000,000 - 96,658,333.33 = 2,341,666.67; the deficiency
    # then 658,333.33 (kept as a separate figure)
    assert feb.state.classes["CE"].balance == D("2341666.67")
    assert feb.figure("oc:oc_deficiency_after_distributions") == D("658333.33")
    assert paid(feb, "CE") == D("0.00")
    # the statement prints the deficiency before the extra principal, and the net monthly
    # excess cashflow as the Excess Cash Amount; the other readings are in the JSON rows
    assert printed(feb, "oc_deficiency") == D("1000000.00")
    assert printed(feb, "excess_cash") == D("341666.67")
    assert printed(feb, "oc_amount") == D("2341666.67")
    assert printed(feb, "oc_deficiency_after_distributions") == D("658333.33")
    assert printed(feb, "excess_cash_after_extra_principal") == D("0.00")
    # March, 29 days: fees 99,000,000 x 0.26% / 12 = 20,625.00 + 825.00; interest remittance
    # 495,000 - 21,450.00 = 473,550.00; current interest A 78,658,333.33 x 1.5% x 29/360 =
    # 95,045.49, M-1 16,111.11, M-2 19,333.33 = 130,489.93; left 343,060.07
    assert paid(mar, "A", "interest.current") == D("95045.49")
    # deficiency: 3,000,000 - (98,900,000 - (96,658,333.33 - 100,000)) = 3,000,000 -
    # 2,341,666.67 = 658,333.33; extra principal min(343,060.07, 658,333.33) = 343,060.07
    assert mar.figure("oc:oc_deficiency") == D("658333.33")
    assert paid(mar, "A", "excess.extra_principal") == D("343060.07")
    # A 78,658,333.33 - 100,000 - 343,060.07 = 78,215,273.26; OC 98,900,000 - 96,215,273.26
    assert mar.state.classes["A"].balance == D("78215273.26")
    assert mar.state.classes["CE"].balance == D("2684726.74")
    assert mar.figure("oc:oc_deficiency_after_distributions") == D("315273.26")


def test_excess_cash_row_after_extra_principal() -> None:
    """[statement] excess_cash_row = "after_extra_principal": the Excess Cash Amount line
    prints the net monthly excess cashflow less the extra principal; cash is the same."""
    spec = with_options(
        mini_spec(),
        {
            "overcollateralization.specified_pct": D("0.03"),
            "statement.excess_cash_row": "after_extra_principal",
        },
    )
    (feb,) = run(spec, [{"when": FEB}])
    # 341,666.67 - extra principal 341,666.67 = 0
    assert printed(feb, "excess_cash") == D("0.00")
    assert printed(feb, "net_monthly_excess_cashflow") == D("341666.67")
    assert paid(feb, "A", "excess.extra_principal") == D("341666.67")


def test_loss_larger_than_the_oc_deficiency_is_the_target() -> None:
    """Overcollateralized Amount: "the excess, if any" of the pool over the certificates, so
    never below zero: a loss larger than the OC makes the deficiency the whole target, the
    extra principal at most the target, and the certificates the extra principal leaves above
    the pool are written down (Applied Realized Loss Amount), most junior first."""
    loss = {
        "liquidations_count": 10,
        "liquidated_balance": "3000000.00",
        "liquidation_proceeds": "500000.00",
        "realized_losses": "2500000.00",
    }
    # excess cash smaller than the shortfall: 341,666.67
    (small,) = run(mini_spec(), [{"when": FEB, "unscheduled": "0.00", "principal": loss}])
    # pool 100,000,000 - 100,000 - 3,000,000 = 96,900,000; certificates after the principal
    # remittance (100,000 + 500,000) 97,400,000: OC 0 (not -500,000); deficiency 2,000,000
    assert small.figure("oc:oc_amount_before") == D("0")
    assert small.figure("oc:oc_deficiency") == D("2000000.00")
    assert paid(small, "A", "excess.extra_principal") == D("341666.67")
    # certificates 97,058,333.33 - pool 96,900,000 = 158,333.33 written off M-2
    assert small.figure("oc:applied_realized_loss") == D("158333.33")
    assert small.state.classes["M-2"].balance == D("7841666.67")
    assert small.state.classes["CE"].balance == D("0.00")
    assert small.figure("oc:oc_deficiency_after_distributions") == D("2000000.00")
    # excess cash larger: scheduled interest 3,000,000, left 3,000,000 - 21,666.66 -
    # 136,666.67 = 2,841,666.67; extra principal min(2,841,666.67, 2,000,000) = 2,000,000
    (big,) = run(
        mini_spec(),
        [{"when": FEB, "unscheduled": "0.00", "sched_interest": "3000000.00", "principal": loss}],
    )
    assert paid(big, "A", "excess.extra_principal") == D("2000000.00")
    # A 80,000,000 - 600,000 - 2,000,000 = 77,400,000; certificates 95,400,000 below the
    # pool: nothing written down, OC 1,500,000 (500,000 short of the target)
    assert big.state.classes["A"].balance == D("77400000.00")
    assert big.figure("oc:applied_realized_loss") == D("0.00")
    assert big.state.classes["CE"].balance == D("1500000.00")
    assert big.figure("oc:oc_deficiency_after_distributions") == D("500000.00")
    # the rest, 841,666.67, to CE (nothing else is owed)
    assert paid(big, "CE", "excess.remainder") == D("841666.67")


# ---- 3: the OC release flows through the excess order -----------------------------------


def test_release_after_stepdown_pays_unpaid_interest_and_carryforward_before_residual() -> None:
    """Overcollateralization Release Amount: the lesser of the principal remittance and the
    OC over its target; it is part of the Net Monthly Excess Cashflow, which pays unpaid
    interest and the Net WAC Rate Carryover Amounts before the residual class."""
    spec = stepdown_in_march(mini_spec(), overcollateralization__stepdown_pct=D("0.01"))
    feb, mar = run(
        spec,
        [
            # LIBOR 6%: the Net WAC cap binds; carryforwards A 41,099.99, M-1 10,500.00,
            # M-2 15,066.66 are left (tests/close/test_rules_by_hand.py works them out)
            {"when": FEB, "libor": "0.06"},
            # 353,550 of advances reimbursed out of 495,000 of interest: the cap is not
            # touched (it reads scheduled interest), the interest remittance is
            {
                "when": MAR,
                "sched_interest": "495000.00",
                "unscheduled": "0.00",
                "advances": {"p_and_i_advances": "353550.00", "reimbursements": "353550.00"},
            },
        ],
    )
    assert feb.state.classes["A"].basis_risk_carryforward == D("41099.99")
    assert not feb.state.oc.stepdown_reached
    # March: senior enhancement (98,900,000 - 79,000,000) / 98,900,000 = 20.1% >= 15%: the
    # stepdown date. Target max(1% x 98,900,000, 500,000) = 989,000; OC after the principal
    # remittance 98,900,000 - 96,900,000 = 2,000,000: release min(1,011,000, 100,000)
    assert mar.state.oc.stepdown_reached and not mar.trigger_in_effect
    assert mar.figure("oc:specified_oc") == D("989000.00")
    assert mar.figure("oc:oc_release") == D("100000.00")
    # interest remittance 495,000 - 21,450 - 353,550 = 120,000: A 95,458.33 and M-1 16,111.11 in
    # full, M-2 the 8,430.56 left of its 19,333.33 (10,902.77 short); interest left 0
    assert paid(mar, "M-2", "interest.current") == D("8430.56")
    # net monthly excess cashflow = 0 + release 100,000, in the excess order:
    # M-2 unpaid interest 10,902.77 -> 89,097.23 left
    assert paid(mar, "M-2", "excess.unpaid_interest") == D("10902.77")
    # carryforwards with interest at the formula rate for 29 days: A 41,099.99 + 49.66,
    # M-1 10,500.00 + 16.92, M-2 15,066.66 + 36.41 -> 89,097.23 - 66,769.64 = 22,327.59
    assert paid(mar, "A", "excess.basis_risk_carryforward") == D("41149.65")
    assert paid(mar, "M-1", "excess.basis_risk_carryforward") == D("10516.92")
    assert paid(mar, "M-2", "excess.basis_risk_carryforward") == D("15103.07")
    # the residual class gets what is left, 22,327.59, as principal (part of the release)
    assert paid(mar, "CE") == D("22327.59")
    assert paid(mar, "CE", "oc.release") == D("22327.59")
    assert mar.figure("oc:oc_release_to_excess_order") == D("77672.41")
    # OC 98,900,000 - 97,000,000 = 1,900,000: down 100,000 = 22,327.59 paid to CE +
    # 77,672.41 paid to the other classes (the OC class's accretion, net: -77,672.41)
    assert mar.state.classes["CE"].balance == D("1900000.00")
    st = ClosedPeriod.of(mar).statement
    assert st.value("principal_distribution", "CE", "accretion") == D("-77672.41")
    assert st.value("principal_distribution", "CE", "current_realized_loss") == D("0.00")
    assert st.value("principal_distribution_2", "CE", "total_principal_reduction") == D("100000.00")
    assert printed(mar, "excess_cash") == D("100000.00")


def test_no_release_and_no_extra_principal_before_building_starts() -> None:
    """Before the OC starts building there is no extra principal and no release: the whole
    principal remittance is distributed, and the Required OC printed is 0."""
    spec = with_options(
        mini_spec(),
        {
            "overcollateralization.specified_pct": D("0.01"),
            "overcollateralization.build_start": APR,
        },
    )
    feb, mar, apr = run(spec, [{"when": FEB}, {"when": MAR}, {"when": APR}])
    # target 1,000,000 against the OC 2,000,000: no release before April
    for r in (feb, mar):
        assert r.figure("oc:oc_release") == D("0")
        assert r.figure("oc:required_oc") == D("0")
        assert paid(r, "A", "principal.distribution") == D("1000000.00")
        assert paid(r, "CE", "oc.release") == D("0.00")
    # April: OC after the principal remittance 2,000,000 - target 1,000,000: release
    # min(1,000,000, 1,000,000) = 1,000,000, the whole principal remittance
    assert apr.figure("oc:oc_release") == D("1000000.00")
    assert paid(apr, "A", "principal.distribution") == D("0.00")
    assert apr.state.classes["CE"].balance == D("1000000.00")


# ---- 4: Stepdown Date ---------------------------------------------------------------


def test_seniors_paid_off_before_the_earliest_stepdown_date() -> None:
    """Stepdown Date (a): the distribution date after the one on which the senior classes
    are paid to zero, however early."""
    feb, mar = run(
        mini_spec(),
        [
            # principal remittance 100,000 + 79,900,000 = 80,000,000 pays A off
            {"when": FEB, "unscheduled": "79900000.00"},
            {"when": MAR, "sched_interest": "100000.00", "unscheduled": "0.00"},
        ],
    )
    assert feb.state.classes["A"].balance == D("0.00")
    assert not feb.state.oc.stepdown_reached  # the date they are paid to zero: not yet
    assert mar.state.oc.stepdown_reached  # the date after, years before 2007-02-25
    # target max(4% x 19,900,000, 500,000) = 796,000; OC after the principal remittance
    # 19,900,000 - 17,900,000 = 2,000,000: release min(1,204,000, 100,000) = 100,000
    assert mar.figure("oc:specified_oc") == D("796000.00")
    assert mar.figure("oc:oc_floor") == D("500000.00")
    assert mar.figure("oc:oc_release") == D("100000.00")
    assert paid(mar, "M-1", "principal.distribution") == D("0.00")
    # fees 20,000,000 x 0.26% / 12 = 4,166.67 + 166.67; interest left 100,000 - 4,333.34
    # - M-1 16,111.11 - M-2 19,333.33 = 60,222.22; with the release 160,222.22 to CE
    assert mar.figure("oc:net_monthly_excess_cashflow") == D("160222.22")
    assert paid(mar, "CE", "oc.release") == D("100000.00")
    assert paid(mar, "CE", "excess.remainder") == D("60222.22")


def test_enhancement_met_before_the_earliest_stepdown_date() -> None:
    """Stepdown Date (b): the later of the earliest stepdown date and the first date on which
    the Senior Enhancement Percentage is at least the target. That first date may come before
    the earliest stepdown date: then (b) is the earliest date itself, whatever the percentage
    on it. Earliest stepdown date 2004-04-26, target 19%."""
    spec = with_options(
        mini_spec(),
        {
            "overcollateralization.stepdown_earliest": APR,
            "overcollateralization.senior_enhancement_target": D("0.19"),
        },
    )
    loss = {
        "liquidations_count": 5,
        "liquidated_balance": "5000000.00",
        "liquidation_proceeds": "0.00",
        "realized_losses": "5000000.00",
    }
    months = [
        {"when": FEB},
        {"when": MAR, "sched_interest": "495000.00", "unscheduled": "0.00"},
        {"when": APR, "sched_interest": "490000.00", "unscheduled": "0.00", "principal": loss},
    ]
    feb, mar, apr = run(spec, months)
    # February: the pool after the principal remittance 100,000,000 - 1,000,000 = 99,000,000,
    # A before principal is distributed 80,000,000: (99,000,000 - 80,000,000) / 99,000,000
    # = 19.192% >= 19%: the test is met, two months before the earliest stepdown date
    assert feb.figure("trigger:stepdown_enhancement").quantize(D("0.00001")) == D("0.19192")
    assert not feb.state.oc.stepdown_reached and not mar.state.oc.stepdown_reached
    # April: 5,000,000 of losses leave the pool 98,900,000 - 100,000 - 5,000,000 = 93,800,000
    # while A is still above 78,000,000: the percentage falls to about 16.7%, short of 19%;
    # the stepdown date is 2004-04-26 all the same
    assert apr.figure("trigger:stepdown_enhancement") < D("0.17")
    assert apr.state.oc.stepdown_reached
    # with a 21% target the test is met on no date (19.192%, then (98,900,000 -
    # 78,658,333.33) / 98,900,000 = 20.467% in March, then 16.7%): no stepdown in April
    never = with_options(spec, {"overcollateralization.senior_enhancement_target": D("0.21")})
    assert not run(never, months)[2].state.oc.stepdown_reached


def test_stepdown_enhancement_before_or_after_distribution() -> None:
    """Senior Enhancement Percentage of the stepdown test: after the principal remittance
    leaves the pool but before principal is distributed (standard), or after the date's
    Principal Distribution Amount (the principal remittance and the extra principal) is paid
    to the seniors. Target 3% (extra principal builds the OC), threshold 20.7%."""
    base = with_options(mini_spec(), {"overcollateralization.specified_pct": D("0.03")})
    months = [{"when": FEB}, {"when": MAR, "sched_interest": "495000.00", "unscheduled": "0.00"}]
    before = stepdown_in_march(base, overcollateralization__senior_enhancement_target=D("0.207"))
    after = with_options(
        before, {"overcollateralization.stepdown_enhancement": "after_distribution"}
    )
    _, mar_b = run(before, months)
    _, mar_a = run(after, months)
    # A after February 78,658,333.33 (see the building test); pool 98,900,000:
    # before: (98,900,000 - 78,658,333.33) / 98,900,000 = 20.467% < 20.7%: no stepdown
    assert not mar_b.state.oc.stepdown_reached
    assert mar_b.figure("trigger:stepdown_enhancement").quantize(D("0.00001")) == D("0.20467")
    # after: the seniors less the principal remittance 100,000 and the extra principal
    # 343,060.07: (98,900,000 - 78,215,273.26) / 98,900,000 = 20.915% >= 20.7% (the
    # principal remittance alone gives 20.568%, short of it)
    assert mar_a.state.oc.stepdown_reached
    assert mar_a.figure("trigger:stepdown_enhancement").quantize(D("0.00001")) == D("0.20915")
    # on the stepdown date the target is max(4% x 98,900,000, 500,000) = 3,956,000
    assert mar_b.figure("oc:specified_oc") == D("3000000.00")
    assert mar_a.figure("oc:specified_oc") == D("3956000.00")
    # deficiency 3,956,000 - 2,341,666.67 = 1,614,333.33 > the excess cash: the same
    # extra principal 343,060.07 either way
    assert paid(mar_a, "A", "excess.extra_principal") == D("343060.07")
    assert paid(mar_b, "A", "excess.extra_principal") == D("343060.07")


# ---- 5: Trigger Event -----------------------------------------------------------------


def boundary_spec(comparison: str, enhancement: str = "prior") -> OCSpec:
    """Stepdown possible in March, target after it 2% of the pool; delinquency test on the
    current month's 60+ percentage against 40% of the senior enhancement percentage."""
    return stepdown_in_march(
        mini_spec(),
        overcollateralization__stepdown_pct=D("0.02"),
        overcollateralization__delinquency_trigger=dict(
            threshold_pct_of_senior_enhancement=D("0.40"),
            averaging_months=1,
            comparison=comparison,
            senior_enhancement=enhancement,
            basis="test",
        ),
    )


# February: principal remittance 100,000 + 19,900,000 = 20,000,000 to A: A 60,000,000,
# pool 80,000,000: senior enhancement (80,000,000 - 60,000,000) / 80,000,000 = 25%.
# March: pool 79,900,000.
BOUNDARY_FEB = {"when": FEB, "unscheduled": "19900000.00"}


def test_trigger_at_the_boundary_exceeds_or_equals() -> None:
    """Delinquency Trigger Event against the prior date's Senior Enhancement Percentage:
    40% x 25% = 10%; 60+ delinquent 7,990,000 / 79,900,000 = exactly 10%. "Exceeds": no
    trigger; "equals or exceeds": a trigger."""
    march = {"when": MAR, "unscheduled": "0.00", "delinquency": dq60("7990000.00")}
    _, calm = run(boundary_spec("exceeds"), [BOUNDARY_FEB, march])
    _, hit = run(boundary_spec("equals_or_exceeds"), [BOUNDARY_FEB, march])
    assert calm.figure("trigger:delinquency_rolling") == D("0.1")
    assert calm.figure("trigger:delinquency_limit") == D("0.1")
    assert not calm.trigger_in_effect and hit.trigger_in_effect
    assert calm.state.oc.stepdown_reached and hit.state.oc.stepdown_reached
    # no trigger: target max(2% x 79,900,000, 500,000) = 1,598,000; OC after the principal
    # remittance 79,900,000 - 77,900,000 = 2,000,000: release 100,000 to CE, nothing to A
    assert calm.figure("oc:specified_oc") == D("1598000.00")
    assert paid(calm, "CE", "oc.release") == D("100000.00")
    assert paid(calm, "A", "principal.distribution") == D("0.00")
    # trigger: the prior date's target 2,000,000, no release, principal sequential to A
    assert hit.figure("oc:specified_oc") == D("2000000.00")
    assert paid(hit, "CE", "oc.release") == D("0.00")
    assert paid(hit, "A", "principal.distribution") == D("100000.00")


def test_trigger_against_the_current_senior_enhancement() -> None:
    """senior_enhancement = "current": the date's percentage after its Principal
    Distribution Amount (100,000, to A first): (79,900,000 - 59,900,000) / 79,900,000;
    40% of it is 8,000,000 / 79,900,000 (not a terminating decimal), the 60+ percentage
    with 8,000,000 delinquent exactly."""
    march = {"when": MAR, "unscheduled": "0.00", "delinquency": dq60("8000000.00")}
    _, calm = run(boundary_spec("exceeds", "current"), [BOUNDARY_FEB, march])
    _, hit = run(boundary_spec("equals_or_exceeds", "current"), [BOUNDARY_FEB, march])
    assert not calm.trigger_in_effect and hit.trigger_in_effect
    # one cent more is over the limit either way
    over = {"when": MAR, "unscheduled": "0.00", "delinquency": dq60("8000000.01")}
    _, over_r = run(boundary_spec("exceeds", "current"), [BOUNDARY_FEB, over])
    assert over_r.trigger_in_effect


def test_target_stays_at_the_prior_date_while_a_trigger_is_in_effect() -> None:
    """On and after the Stepdown Date, while a Trigger Event is in effect, the target is the
    prior distribution date's (not 2% of the current pool)."""
    spec = boundary_spec("exceeds")
    _, mar, apr = run(
        spec,
        [
            BOUNDARY_FEB,
            {"when": MAR, "unscheduled": "0.00"},
            {"when": APR, "unscheduled": "0.00", "delinquency": dq60("10000000.00")},
        ],
    )
    assert mar.figure("oc:specified_oc") == D("1598000.00")
    # April: 10,000,000 / 79,800,000 = 12.5% > 40% x March's (79,900,000 - 60,000,000) /
    # 79,900,000 = 9.96%: a trigger; the target stays 1,598,000 (2% x 79,800,000 would be
    # 1,596,000); OC 1,900,000 after the principal remittance: release min(302,000, 100,000)
    assert apr.trigger_in_effect
    assert apr.figure("oc:specified_oc") == D("1598000.00")
    assert apr.figure("oc:oc_release") == D("100000.00")


def test_delinquency_percentage_current_month_or_rolling_average() -> None:
    """The 60+ day percentage tested: the current month's, or the average of the current
    and prior months'. Pools 99,000,000, 98,000,000, 97,000,000; 60+ delinquent 990,000,
    1,960,000, 3,880,000: 1%, 2%, 4%."""
    months = [
        {"when": FEB, "delinquency": dq60("990000.00")},
        {"when": MAR, "delinquency": dq60("1960000.00")},
        {"when": APR, "delinquency": dq60("3880000.00")},
    ]

    def rolling(n: int) -> list[Decimal]:
        spec = with_options(
            mini_spec(), {"overcollateralization.delinquency_trigger.averaging_months": n}
        )
        return [r.figure("trigger:delinquency_rolling") for r in run(spec, months)]

    assert rolling(1) == [D("0.01"), D("0.02"), D("0.04")]
    # two months: 1%; (1% + 2%) / 2 = 1.5%; (2% + 4%) / 2 = 3%
    assert rolling(2) == [D("0.01"), D("0.015"), D("0.03")]
    # three months: (1% + 2% + 4%) / 3 = 2.3333...% in April
    assert [x.quantize(D("1e-12")) for x in rolling(3)] == [
        D("0.010000000000"),
        D("0.015000000000"),
        D("0.023333333333"),
    ]


def test_sixty_plus_statuses() -> None:
    """60+ Day Delinquent Mortgage Loan: two or more payments past due, and every loan in a
    status the deal lists (foreclosure, REO, bankruptcy), whatever its delinquency."""
    cells = [
        {"status": "delinquent", "bucket": "30", "count": 5, "balance": "1000000.00"},
        {"status": "delinquent", "bucket": "60", "count": 5, "balance": "2000000.00"},
        {"status": "bankruptcy", "bucket": "0-29", "count": 5, "balance": "3000000.00"},
        {"status": "bankruptcy", "bucket": "90", "count": 5, "balance": "500000.00"},
        {"status": "foreclosure", "bucket": "30", "count": 5, "balance": "4000000.00"},
    ]

    def pct(includes: list[str]) -> Decimal:
        spec = with_options(
            mini_spec(),
            {
                "overcollateralization.delinquency_trigger.sixty_plus_includes": includes,
                "overcollateralization.delinquency_trigger.averaging_months": 1,
            },
        )
        (r,) = run(spec, [{"when": FEB, "unscheduled": "0.00", "delinquency": cells}])
        return r.figure("trigger:delinquency_rolling")

    def balance(includes: list[str]) -> Decimal:
        """The 60+ balance the percentage stands for, on the pool of 99,900,000."""
        return (pct(includes) * D("99900000")).quantize(D("0.01"))

    # all three listed: 2,000,000 + 3,000,000 + 500,000 + 4,000,000 = 9,500,000
    assert balance(["foreclosure", "reo", "bankruptcy"]) == D("9500000.00")
    # bankruptcy not listed: only the 90-day bankrupt loans count: 6,500,000
    assert balance(["foreclosure", "reo"]) == D("6500000.00")
    # none listed: the loans 60+ days delinquent, bankrupt or not: 2,500,000
    assert balance([]) == D("2500000.00")


def test_cumulative_loss_schedule_step_or_monthly() -> None:
    """Cumulative Loss Trigger Event: realized losses of 600,000 in February. Schedule
    0.50% from 2004-03-25, 1.70% from 2005-03-25. In April, a step
    schedule allows 0.50% (500,000): a trigger; interpolated, 0.50% + 1/12 of 1.20% = 0.60%
    (600,000): a trigger only under "equals or exceeds"."""
    loss = {
        "liquidations_count": 1,
        "liquidated_balance": "1000000.00",
        "liquidation_proceeds": "400000.00",
        "realized_losses": "600000.00",
    }
    months = [
        {"when": FEB, "unscheduled": "0.00", "principal": loss},
        {"when": MAR, "unscheduled": "0.00"},
        {"when": APR, "unscheduled": "0.00"},
    ]

    def spec(interpolation: str, comparison: str) -> OCSpec:
        return with_options(
            mini_spec(),
            {
                "overcollateralization.loss_trigger": dict(
                    schedule=[
                        {"from_date": MAR, "pct": D("0.005")},
                        {"from_date": date(2005, 3, 25), "pct": D("0.017")},
                    ],
                    interpolation=interpolation,
                    comparison=comparison,
                    basis="test",
                )
            },
        )

    feb, mar, apr = run(spec("step", "exceeds"), months)
    assert not feb.trigger_in_effect  # no test before the first point
    assert mar.trigger_in_effect and apr.trigger_in_effect  # 600,000 > 500,000
    _, mar_m, apr_m = run(spec("monthly", "exceeds"), months)
    assert mar_m.trigger_in_effect  # March: 0.50%
    assert apr_m.figure("trigger:loss_limit") == D("0.006")
    assert not apr_m.trigger_in_effect  # 600,000 does not exceed 600,000
    _, _, apr_e = run(spec("monthly", "equals_or_exceeds"), months)
    assert apr_e.trigger_in_effect


# ---- 6: target after the stepdown -----------------------------------------------------


def test_target_after_stepdown_greater_of_or_capped_at_initial() -> None:
    """OC Target Amount on and after the Stepdown Date: the greater of 4% of the pool and the
    floor (3,956,000 on a 98,900,000 pool, above the initial 2,000,000); "the lesser of" the
    initial target and that (cap_at_initial) keeps 2,000,000."""
    months = [{"when": FEB}, {"when": MAR, "sched_interest": "495000.00", "unscheduled": "0.00"}]
    _, greater = run(stepdown_in_march(mini_spec()), months)
    _, capped = run(
        stepdown_in_march(mini_spec(), overcollateralization__cap_at_initial=True), months
    )
    assert greater.state.oc.stepdown_reached and capped.state.oc.stepdown_reached
    assert greater.figure("oc:specified_oc") == D("3956000.00")
    assert capped.figure("oc:specified_oc") == D("2000000.00")
    # interest left 473,550.00 - 130,902.77 = 342,647.23: all extra principal under the
    # greater target (deficiency 1,956,000), to A (over its 60% target); none when capped
    assert paid(greater, "A", "excess.extra_principal") == D("342647.23")
    assert paid(greater, "CE") == D("0.00")
    assert paid(capped, "A", "excess.extra_principal") == D("0.00")
    assert paid(capped, "CE", "excess.remainder") == D("342647.23")


# ---- 7: unpaid interest of the subordinate classes; the excess order ---------------------


def writedown_months() -> list[dict[str, Any]]:
    """February: 368,333.34 of advances reimbursed leave 110,000.00 of interest: A 100,000,
    M-1 10,000 of 16,666.67 (6,666.67 unpaid), M-2 nothing (20,000 unpaid), no excess cash;
    a loss of 12,000,000 (pool 100,000,000 - 100,000 - 12,500,000 = 87,400,000 against
    certificates 97,400,000) writes M-2 off (8,000,000) and M-1 down 2,000,000. March:
    fees 87,400,000 x 0.26% / 12 = 18,208.33 + 728.33; interest remittance 260,000 -
    18,936.66 = 241,063.34; current interest A 79,400,000 x 1.5% x 29/360 = 95,941.67, M-1
    8,000,000 x 2% x 29/360 = 12,888.89, M-2 0. Unpaid interest with interest on it: M-1
    6,666.67 + 10.74 = 6,677.41, M-2 20,000 + 48.33 = 20,048.33. (Net WAC cap 241,063.34 x
    12 / 87,400,000 x 30/29 = 3.42%: not binding.)"""
    return [
        {
            "when": FEB,
            "unscheduled": "0.00",
            "advances": {"p_and_i_advances": "368333.34", "reimbursements": "368333.34"},
            "principal": {
                "liquidations_count": 40,
                "liquidated_balance": "12500000.00",
                "liquidation_proceeds": "500000.00",
                "realized_losses": "12000000.00",
            },
        },
        {"when": MAR, "sched_interest": "260000.00", "unscheduled": "0.00"},
    ]


def subordinate_spec(excess: list[tuple[str, list[str]]], source: str) -> OCSpec:
    """The mini deal building from June (no extra principal in these months), with the
    subordinates' unpaid interest paid from ``source`` and the excess order ``excess``."""
    return with_options(
        mini_spec(),
        {
            "overcollateralization.build_start": date(2004, 6, 25),
            "interest.unpaid_interest_from": {"M-1": source, "M-2": source},
            "excess_cash": [
                *({"step": s, "classes": cs, "basis": "test"} for s, cs in excess),
                {"step": "remainder", "classes": ["CE"], "basis": "test"},
            ],
        },
    )


GROUPED = [
    ("unpaid_interest", ["A", "M-1", "M-2"]),
    ("unpaid_realized_loss", ["M-1", "M-2"]),
]
INTERLEAVED = [
    ("unpaid_interest", ["A", "M-1"]),
    ("unpaid_realized_loss", ["M-1"]),
    ("unpaid_interest", ["M-2"]),
    ("unpaid_realized_loss", ["M-2"]),
]


def test_subordinate_unpaid_interest_from_the_interest_remittance() -> None:
    feb, mar = run(subordinate_spec(GROUPED, "interest_remittance"), writedown_months())
    assert feb.state.classes["M-1"].balance == D("8000000.00")
    assert feb.state.classes["M-1"].unpaid_realized_loss == D("2000000.00")
    assert feb.state.classes["M-2"].unpaid_interest == D("20000.00")
    # the interest remittance pays M-1 12,888.89 + 6,677.41 and M-2 20,048.33; left
    # 241,063.34 - 95,941.67 - 19,566.30 - 20,048.33 = 105,507.04 to M-1's realized loss
    assert paid(mar, "M-1", "interest.unpaid") == D("6677.41")
    assert paid(mar, "M-2", "interest.unpaid") == D("20048.33")
    assert mar.figure("oc:net_monthly_excess_cashflow") == D("105507.04")
    assert paid(mar, "M-1", "excess.unpaid_realized_loss") == D("105507.04")


def test_subordinate_unpaid_interest_only_from_excess_cash_grouped() -> None:
    _, mar = run(subordinate_spec(GROUPED, "net_monthly_excess_cashflow"), writedown_months())
    # the interest remittance pays current interest only: left 241,063.34 - 95,941.67 -
    # 12,888.89 = 132,232.78 of excess cash; unpaid interest M-1 6,677.41, M-2 20,048.33,
    # then M-1's realized loss 105,507.04
    assert paid(mar, "M-1", "interest.unpaid") == D("0.00")
    assert mar.figure("oc:net_monthly_excess_cashflow") == D("132232.78")
    assert paid(mar, "M-1", "excess.unpaid_interest") == D("6677.41")
    assert paid(mar, "M-2", "excess.unpaid_interest") == D("20048.33")
    assert paid(mar, "M-1", "excess.unpaid_realized_loss") == D("105507.04")
    assert mar.state.classes["M-1"].unpaid_realized_loss == D("1894492.96")


def test_subordinate_unpaid_interest_only_from_excess_cash_interleaved() -> None:
    _, mar = run(subordinate_spec(INTERLEAVED, "net_monthly_excess_cashflow"), writedown_months())
    # M-1 unpaid interest 6,677.41, then M-1's realized loss the 125,555.37 left; M-2's
    # unpaid interest gets nothing and is carried
    assert paid(mar, "M-1", "excess.unpaid_interest") == D("6677.41")
    assert paid(mar, "M-1", "excess.unpaid_realized_loss") == D("125555.37")
    assert paid(mar, "M-2", "excess.unpaid_interest") == D("0.00")
    assert mar.state.classes["M-2"].unpaid_interest == D("20048.33")
