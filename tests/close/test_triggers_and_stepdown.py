"""Stepdown, trigger events, OC release and class targets, by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from remit.close import PeriodResult, close, initial_state
from remit.rules import principal, triggers
from remit.rules.ops import Exact
from remit.spec import OCSpec
from tests.close.helpers import D, mini_spec, paid, remittance

X = Exact()


def test_specified_oc_before_and_after_stepdown() -> None:
    args = (D("100000000.00"), D("0.02"), D("0.04"), D("0.005"))
    # before the stepdown date: 2% of the cut-off balance
    assert principal.specified_oc(*args, D("60000000"), False, False, D("0"), X) == D("2000000.00")
    # after: the greater of 4% x pool and the 0.5% floor (500,000)
    assert principal.specified_oc(*args, D("60000000"), True, False, D("0"), X) == D("2400000.00")
    assert principal.specified_oc(*args, D("40000000"), True, False, D("0"), X) == D("1600000.00")
    assert principal.specified_oc(*args, D("10000000"), True, False, D("0"), X) == D("500000.00")
    # "the lesser of" the initial target and that: 2,000,000
    capped = principal.specified_oc(*args, D("60000000"), True, False, D("0"), X, True)
    assert capped == D("2000000.00")
    # after, with a trigger event in effect: the prior date's amount
    assert principal.specified_oc(*args, D("40000000"), True, True, D("1900000.00"), X) == D(
        "1900000.00"
    )


def test_oc_release_is_limited_by_principal_remittance() -> None:
    assert principal.oc_release(D("1600000"), D("2000000"), D("1000000"), True, X) == D("400000")
    assert principal.oc_release(D("1600000"), D("2000000"), D("300000"), True, X) == D("300000")
    assert principal.oc_release(D("2000000"), D("1600000"), D("300000"), True, X) == D("0")
    # none before the overcollateralization starts building
    assert principal.oc_release(D("1600000"), D("2000000"), D("1000000"), False, X) == D("0")


def test_overcollateralized_amount_and_deficiency_never_negative() -> None:
    # the excess, if any, of the pool over the certificates
    assert principal.overcollateralized_amount(D("96900000"), D("97400000"), X) == D("0")
    assert principal.overcollateralized_amount(D("99000000"), D("97000000"), X) == D("2000000")
    # the deficiency against a negative OC is the whole target
    assert principal.oc_deficiency(D("2000000"), D("-500000"), X) == D("2000000")
    assert principal.oc_deficiency(D("2000000"), D("2500000"), X) == D("0")
    # extra principal: the lesser of the excess cash and the deficiency
    assert principal.extra_principal(D("2000000"), D("-500000"), D("2841666.67"), X) == D("2000000")


def test_class_targets_after_stepdown() -> None:
    balances = [D("30000000"), D("10000000"), D("8000000")]
    targets = [D("0.60"), D("0.80"), D("0.92")]
    floor = D("500000")
    # pool 50,000,000: A may be 60% = 30,000,000 (owed nothing), A+M-1 80% = 40,000,000
    # (nothing), A+M-1+M-2 92% = 46,000,000 -> M-2 owed 2,000,000, paid the 1,000,000 there is
    got = principal.target_paydown(D("1000000"), balances, targets, D("50000000"), floor, X)
    assert got == [D("0"), D("0"), D("1000000")]
    # pool 45,000,000: A may be 27,000,000 -> owed 3,000,000, takes all 1,000,000
    got = principal.target_paydown(D("1000000"), balances, targets, D("45000000"), floor, X)
    assert got == [D("1000000"), D("0"), D("0")]


def test_delinquency_trigger_and_stepdown_date() -> None:
    # 60+ rolling average 10% against 40% x senior enhancement 20% = 8%: in effect
    assert triggers.delinquency_trigger(D("0.10"), D("0.20"), D("0.40"), X)
    assert not triggers.delinquency_trigger(D("0.07"), D("0.20"), D("0.40"), X)
    # at the boundary: 8% against 8%
    assert not triggers.delinquency_trigger(D("0.08"), D("0.20"), D("0.40"), X, "exceeds")
    assert triggers.delinquency_trigger(D("0.08"), D("0.20"), D("0.40"), X, "equals_or_exceeds")
    early, late = date(2006, 3, 25), date(2006, 4, 25)
    # senior enhancement 40% against a 40% target: not before the earliest date
    assert not triggers.stepdown_reached(early, late, D("0.40"), D("0.40"), False, X)
    assert triggers.stepdown_reached(late, late, D("0.40"), D("0.40"), False, X)
    assert not triggers.stepdown_reached(late, late, D("0.39"), D("0.40"), False, X)
    # the seniors paid off on an earlier date: the stepdown date, however early
    assert triggers.stepdown_reached(early, late, D("0.10"), D("0.40"), True, X)
    # cumulative losses 3,100,000 over 3% of 100,000,000; 3,000,000 only when "equals"
    assert triggers.loss_trigger(D("3100000"), D("100000000"), D("0.03"), X)
    assert not triggers.loss_trigger(D("3000000"), D("100000000"), D("0.03"), X)
    assert triggers.loss_trigger(D("3000000"), D("100000000"), D("0.03"), X, "equals_or_exceeds")


def test_cumulative_loss_limit_step_or_monthly() -> None:
    points = [
        (date(2006, 4, 25), D("0.0150")),
        (date(2007, 4, 25), D("0.0325")),
        (date(2008, 4, 25), D("0.0500")),
    ]
    limit = triggers.cumulative_loss_limit
    assert limit(points, date(2006, 3, 27), False) is None  # before the first point
    assert limit(points, date(2006, 10, 25), False) == D("0.0150")
    # 1.50% plus 1/12th of 1.75% for each month after April 2006: October 1.50% + 6/12 x
    # 1.75% = 2.375%
    assert limit(points, date(2006, 10, 25), True) == D("0.02375")
    assert limit(points, date(2007, 4, 25), True) == D("0.0325")
    assert limit(points, date(2009, 4, 27), True) == D("0.0500")  # after the last point


def _stepdown_spec() -> OCSpec:
    """Stepdown possible from March (senior enhancement 15%), the target after it capped at
    the initial 2,000,000 ("the lesser of"), class targets 80%, 90%, 98%."""
    spec = mini_spec()
    ocs = spec.overcollateralization.model_copy(
        update={
            "stepdown_earliest": date(2004, 3, 25),
            "senior_enhancement_target": D("0.15"),
            "cap_at_initial": True,
        }
    )
    prin = spec.principal.model_copy(
        update={
            "after_stepdown": [
                t.model_copy(update={"target_pct": p})
                for t, p in zip(
                    spec.principal.after_stepdown, [D("0.80"), D("0.90"), D("0.98")], strict=True
                )
            ]
        }
    )
    return spec.model_copy(update={"overcollateralization": ocs, "principal": prin})


def _two_months(delinquent: str) -> list[PeriodResult]:
    spec = _stepdown_spec()
    dq = [{"status": "delinquent", "bucket": "60", "count": 50, "balance": delinquent}]
    s0 = initial_state(spec)
    r1 = close(spec, s0, remittance(date(2004, 2, 25), s0, delinquency=dq))
    rem2 = remittance(
        date(2004, 3, 25), r1.state, sched_interest="495000.00", unscheduled="0.00", delinquency=dq
    )
    return [r1, close(spec, r1.state, rem2)]


def test_after_stepdown_classes_are_paid_to_their_targets() -> None:
    r1, r2 = _two_months("100000.00")
    assert not r1.state.oc.stepdown_reached  # before the earliest stepdown date
    # March: seniors before principal 79,000,000 of pool 98,900,000: enhancement 20.1% >= 15%
    assert r2.state.oc.stepdown_reached and not r2.trigger_in_effect
    # targets: A <= 80% x 98,900,000 = 79,120,000 (owes nothing); A+M-1 <= 89,010,000
    # (nothing); A+M-1+M-2 <= 98% = 96,922,000 -> M-2 owed 97,000,000 - 96,922,000 = 78,000
    assert paid(r2, "A", "principal.distribution") == D("0.00")
    assert paid(r2, "M-2", "principal.distribution") == D("78000.00")
    # the 22,000 of principal no class is owed joins the net monthly excess cashflow:
    # interest left 495,000 - 21,450.00 - 130,902.77, + 22,000; the target (capped at
    # 2,000,000) is met: no extra principal
    assert r2.figure("oc:excess_cash") == D("473550.00") - D("130902.77") + D("22000.00")


def test_a_trigger_event_keeps_principal_sequential() -> None:
    _, r2 = _two_months("10000000.00")
    # 60+ delinquency 10,000,000 / 99,000,000 and / 98,900,000: average about 10.1%, over
    # 40% x senior enhancement 20.2% (after the date's principal) = 8.1%: a trigger event;
    # principal goes to A
    assert r2.state.oc.stepdown_reached and r2.trigger_in_effect
    assert paid(r2, "A", "principal.distribution") == D("100000.00")
    assert paid(r2, "M-2") == paid(r2, "M-2", "interest.current")
    assert Decimal(r2.figure("trigger:delinquency_rolling")) > D("0.08")


def test_oc_above_its_target_after_stepdown_is_released_to_the_oc_class() -> None:
    spec = _stepdown_spec()
    spec = spec.model_copy(
        update={
            "overcollateralization": spec.overcollateralization.model_copy(
                update={"stepdown_pct": D("0.01")}
            )
        }
    )
    s0 = initial_state(spec)
    r1 = close(spec, s0, remittance(date(2004, 2, 25), s0))
    r2 = close(
        spec,
        r1.state,
        remittance(date(2004, 3, 25), r1.state, sched_interest="495000.00", unscheduled="0.00"),
    )
    # specified after the stepdown: max(min(2,000,000, 1% x 98,900,000), 500,000) = 989,000;
    # OC 98,900,000 - (97,000,000 - 100,000) = 2,000,000: release min(1,011,000, 100,000)
    assert r2.figure("oc:specified_oc") == D("989000.00")
    assert r2.figure("oc:oc_release") == D("100000.00")
    assert paid(r2, "CE", "oc.release") == D("100000.00")
    assert paid(r2, "A", "principal.distribution") == D("0.00")
    assert r2.state.classes["CE"].balance == D("1900000.00")
