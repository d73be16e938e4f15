"""Shifting-interest rules by hand (senior/subordinate deals), in exact and vector mode.

A group of 100,000,000.00 with seniors of 95,000,000.00 at closing (senior percentage 95%,
subordinate 5%; six subordinate classes B-1 ... B-6 totalling 5,000,000.00)."""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from remit.rules import shifting as sh
from remit.rules.ops import Exact, Vector

X = Exact()
D = Decimal


def test_senior_and_subordinate_percentages() -> None:
    # 93,100,000 seniors over a 98,000,000 group: 95.0%
    assert sh.senior_percentage(D("93100000"), D("98000000"), X) == D("0.95")
    # never above 100%
    assert sh.senior_percentage(D("99000000"), D("98000000"), X) == D("1")
    assert sh.subordinate_percentage(D("0.95"), X) == D("0.05")


def test_delinquency_condition_less_than_or_not_exceeding() -> None:
    # "the 60+ day delinquent balance, averaged over six months, is less than 50% of the
    # aggregate subordinate balance": 50% x 4,800,000 = 2,400,000
    assert sh.delinquency_condition(D("2399999.99"), D("4800000"), D("0.50"), False, X)
    # exactly at the limit: "less than" fails ...
    assert not sh.delinquency_condition(D("2400000"), D("4800000"), D("0.50"), False, X)
    # ... "does not exceed" passes
    assert sh.delinquency_condition(D("2400000"), D("4800000"), D("0.50"), True, X)
    # above it both fail
    assert not sh.delinquency_condition(D("2400000.01"), D("4800000"), D("0.50"), True, X)


def test_stepdown_conditions() -> None:
    # losses 1,000,000 <= 30% of the original 5,000,000 = 1,500,000, delinquency fine: hold
    assert sh.stepdown_conditions(True, D("1000000"), D("5000000"), D("0.30"), X)
    # delinquency condition fails: fail
    assert not sh.stepdown_conditions(False, D("1000000"), D("5000000"), D("0.30"), X)
    # losses 1,500,000 = the limit ("do not exceed"): hold; 1,500,000.01: fail
    assert sh.stepdown_conditions(True, D("1500000"), D("5000000"), D("0.30"), X)
    assert not sh.stepdown_conditions(True, D("1500000.01"), D("5000000"), D("0.30"), X)


def spp(
    sp: str, scheduled: str, met: bool, two_times: bool, before3: bool, prior: str
) -> tuple[D, D, D]:
    """(senior prepayment percentage, step-down share remembered, share applied)."""
    share = sh.stepdown_share(D(scheduled), met, D(prior), X)
    applied = sh.two_times_share(share, two_times, before3, X)
    hundred = sh.above_original(D(sp), D("0.95"), X)
    return sh.senior_prepayment_percentage(D(sp), applied, hundred, X), share, applied


def test_senior_prepayment_percentage_schedule() -> None:
    # lock-out: share 100% -> 95% + 100% x 5% = 100%
    assert spp("0.95", "1", True, False, False, "1") == (D("1"), D("1"), D("1"))
    # eighth year, conditions met: 95% + 70% x 5% = 98.5%
    assert spp("0.95", "0.70", True, False, False, "1") == (D("0.985"), D("0.70"), D("0.70"))
    # conditions fail: the share stays where it was (100%)
    assert spp("0.95", "0.70", False, False, False, "1")[:2] == (D("1"), D("1"))
    # ninth year (60%) with conditions failing after 70% in the eighth: stays at 70%
    assert spp("0.95", "0.60", False, False, False, "0.70")[:2] == (D("0.985"), D("0.70"))
    # senior percentage 96% above its original 95%: 100%, the share still remembered
    assert spp("0.96", "0.70", True, False, False, "1")[:2] == (D("1"), D("0.70"))


def test_two_times_relief_does_not_ratchet() -> None:
    # PSA: "if on any Distribution Date the Aggregate Subordinate Percentage is at least
    # twice ... the Senior Prepayment Percentage will equal the Senior Percentage plus 50%
    # of the Subordinate Percentage" -- for that date.
    # Lock-out month, two-times test met before the third anniversary:
    # 89.8% + 50% x 10.2% = 94.9%; the share remembered for the next date stays 100%
    got, remembered, applied = spp("0.898", "1", True, True, True, "1")
    assert (got, remembered, applied) == (D("0.949"), D("1"), D("0.5"))
    # the next lock-out month fails the test: back at 100% (not 94.9%)
    got, remembered, _ = spp("0.898", "1", True, False, True, remembered)
    assert (got, remembered) == (D("1"), D("1"))
    # on or after the third anniversary the relief is the senior percentage alone
    got, remembered, applied = spp("0.898", "1", True, True, False, "1")
    assert (got, remembered, applied) == (D("0.898"), D("1"), D("0"))
    assert sh.two_times_test(D("0.102"), D("0.05"), D("500000"), D("5000000"), D("0.20"), True, X)
    assert not sh.two_times_test(D("0.099"), D("0.05"), D("0"), D("5000000"), D("0.20"), True, X)
    # losses 1,000,000.01 > 20% x 5,000,000: fails
    assert not sh.two_times_test(
        D("0.102"), D("0.05"), D("1000000.01"), D("5000000"), D("0.20"), True, X
    )


def test_senior_principal_distribution_amount() -> None:
    # 95% x 100,000 scheduled = 95,000.00; 98.5% x 2,000,000 prepaid = 1,970,000.00;
    # liquidation: min(95% x 300,000 = 285,000, 98.5% x 200,000 = 197,000) = 197,000.00;
    # recoveries 98.5% x 10,000 = 9,850.00; total 2,271,850.00
    liq = sh.senior_liquidation_amount(
        D("0.95"), D("0.985"), D("300000"), D("200000"), D("0"), D("0"), X
    )
    assert liq == D("197000")
    got = sh.senior_principal_distribution_amount(
        D("0.95"), D("0.985"), D("100000"), D("2000000"), liq, D("10000"), X
    )
    assert got == D("2271850.00")


def test_liquidation_with_an_excess_loss_at_the_senior_percentage() -> None:
    # Two liquidated loans, 300,000 and 500,000, proceeds 200,000 and 150,000; the second
    # had an Excess Loss. PSA: the lesser of the Senior Percentage of the Stated Principal
    # Balance and the Senior Prepayment Percentage of the Liquidation Principal -- except
    # for a loan with an Excess Loss: the Senior Percentage of its Liquidation Principal.
    # min(95% x 300,000 = 285,000, 100% x 200,000 = 200,000) + 95% x 150,000 = 142,500
    got = sh.senior_liquidation_amount(
        D("0.95"), D("1"), D("800000"), D("350000"), D("500000"), D("150000"), X
    )
    assert got == D("342500")
    # without the excess loss it would have been min(760,000, 350,000) = 350,000
    assert sh.senior_liquidation_amount(
        D("0.95"), D("1"), D("800000"), D("350000"), D("0"), D("0"), X
    ) == D("350000")


def test_what_a_failing_trigger_withholds() -> None:
    # senior prepayment % 98.5%: the subordinates' 1.5% of prepayments 2,000,000 = 30,000,
    # of repurchases 100,000 = 1,500, of recoveries 10,000 = 150; liquidation principal
    # 200,000 of which the seniors take 197,000: 3,000
    args = (D("0.985"), D("2000000"), D("100000"), D("10000"), D("200000"), D("197000"))
    assert sh.subordinate_withheld_part(*args, False, X) == D("30000.00")
    # all unscheduled principal: 30,000 + 1,500 + 150 + 3,000 = 34,650
    assert sh.subordinate_withheld_part(*args, True, X) == D("34650.00")


def test_subordinate_principal_with_a_failed_class_trigger() -> None:
    balances = [D("2000000"), D("1000000"), D("1000000")]
    # 40,000 to the subordinates, 30,000 of it prepayments; B-3's trigger fails
    got = sh.subordinate_principal(D("40000"), D("30000"), balances, [True, True, False], X)
    # regular 10,000 by balance: 5,000 / 2,500 / 2,500; prepayments 30,000 between B-1 and
    # B-2 only: 20,000 / 10,000 -> 25,000 / 12,500 / 2,500
    assert got == [D("25000.00"), D("12500.00"), D("2500.00")]
    assert sh.class_prepayment_trigger(D("2000000"), D("96000000"), D("0.02"), X)
    assert not sh.class_prepayment_trigger(D("1900000"), D("96000000"), D("0.02"), X)


def test_excess_losses_beyond_the_coverage() -> None:
    # Fraud Loss Coverage Amount left 100,000.00; fraud losses 300,000.00 in group 1 and
    # none in group 2: 100,000.00 covered (ordinary losses), 200,000.00 excess, all group 1's;
    # the coverage is used up
    parts, left = sh.excess_losses([D("300000.00"), D("0.00")], D("100000.00"), X)
    assert parts == [D("200000.00"), D("0.00")] and left == D("0.00")
    # 60,000 and 20,000 within 100,000: none excess, 20,000 left
    parts, left = sh.excess_losses([D("60000.00"), D("20000.00")], D("100000.00"), X)
    assert parts == [D("0.00"), D("0.00")] and left == D("20000.00")
    # 90,000 and 30,000 against 100,000: 20,000 excess shared 3:1 -> 15,000 / 5,000
    parts, left = sh.excess_losses([D("90000.00"), D("30000.00")], D("100000.00"), X)
    assert parts == [D("15000.00"), D("5000.00")] and left == D("0.00")


def test_coverage_reductions() -> None:
    # the lesser of the coverage left (3,500,000) and 1% of the pool (300,000,000): 3,000,000
    assert sh.coverage_reduced(D("3500000"), None, D("0.01"), D("300000000"), X) == D("3000000")
    # a fixed amount above what is left changes nothing; 0 ends the coverage
    assert sh.coverage_reduced(D("3500000"), D("4000000"), None, D("0"), X) == D("3500000")
    assert sh.coverage_reduced(D("3500000"), D("0"), None, D("0"), X) == D("0")


SENIORS = [D("60000000"), D("35000000")]
SUBS = [D("3000000"), D("1500000"), D("500000")]


def allocate(loss: str, excess: str, by_balance: bool = False) -> tuple[list[D], list[D]]:
    """One group of 100,000,000: senior percentage 95%."""
    sen, sub, lost = sh.allocate_losses(
        [D(loss)], [D(excess)], [D("0.95")], [SENIORS], SUBS, by_balance, X
    )
    assert lost == [D("0")]
    return sen[0], sub


def test_losses_junior_first_then_seniors() -> None:
    # 800,000 ordinary loss: B-3 500,000 (gone), B-2 300,000
    sen, sub = allocate("800000", "0")
    assert sen == [D("0"), D("0")] and sub == [D("0"), D("300000"), D("500000")]
    # 6,000,000: subordinates exhausted (5,000,000), 1,000,000 to seniors 60:35
    sen, sub = allocate("6000000", "0")
    assert sub == [D("3000000"), D("1500000"), D("500000")]
    assert sen == [D("631578.95"), D("368421.05")]


def test_a_loss_no_class_can_take() -> None:
    # Two groups; the subordinates hold 5,000,000 in all, group 2's seniors are retired
    # (0), group 1's hold 95,000,000. Losses 4,000,000 on group 1's loans and 3,000,000 on
    # group 2's: the subordinates take 5,000,000 (all of it), 2,000,000 is left, shared by
    # the groups' losses 4:3 -> 1,142,857.14 (group 1) and 857,142.86 (group 2). Group 1's
    # seniors take theirs 60:35 -> 721,804.51 / 421,052.63; group 2's have nothing left:
    # its 857,142.86 is allocated to no class.
    sen, sub, lost = sh.allocate_losses(
        [D("4000000"), D("3000000")],
        [D("0"), D("0")],
        [D("0.95"), D("0")],
        [SENIORS, [D("0")]],
        SUBS,
        False,
        X,
    )
    assert sub == SUBS
    assert sen == [[D("721804.51"), D("421052.63")], [D("0")]]
    assert lost == [D("0"), D("857142.86")]
    # a group whose seniors hold less than their share take what they hold
    sen, sub, lost = sh.allocate_losses(
        [D("0"), D("5100000")],
        [D("0"), D("0")],
        [D("0.95"), D("0.5")],
        [SENIORS, [D("30000"), D("10000")]],
        SUBS,
        False,
        X,
    )
    assert sen == [[D("0"), D("0")], [D("30000"), D("10000")]]
    assert lost == [D("0"), D("60000")]


def test_excess_losses_by_the_senior_percentage() -> None:
    # PSA: Excess Losses on a group's loans are allocated pro rata between its senior
    # certificates (the Senior Percentage, 95%) and the subordinates (5%), each class of
    # subordinates its share of the group's subordinate component.
    # 100,000 excess: seniors 95,000 pro rata 60:35 -> 60,000.00 / 35,000.00; subordinates
    # 5,000 pro rata 3,000,000 : 1,500,000 : 500,000 -> 3,000.00 / 1,500.00 / 500.00
    sen, sub = allocate("0", "100000")
    assert sen == [D("60000.00"), D("35000.00")]
    assert sub == [D("3000.00"), D("1500.00"), D("500.00")]
    # the same on a 97% senior percentage (not the seniors' share of the balances):
    # seniors 97,000 -> 97,000 x 60/95 = 61,263.16 and 35,736.84; subordinates 3,000 ->
    # 1,800.00 / 900.00 / 300.00
    got_sen, got_sub, _ = sh.allocate_losses(
        [D("0")], [D("100000")], [D("0.97")], [SENIORS], SUBS, False, X
    )
    assert got_sen[0] == [D("61263.16"), D("35736.84")]
    assert got_sub == [D("1800.00"), D("900.00"), D("300.00")]


def test_excess_losses_by_balance_over_every_class() -> None:
    # the option: pro rata over every class by balance -- seniors of both groups and the
    # subordinates. Group 1 seniors 60,000,000 and 35,000,000, group 2 senior 20,000,000,
    # subordinates 5,000,000: 120,000,000 in all. 120,000 excess on group 1's loans:
    # 60,000 / 35,000 / 20,000 / 3,000 / 1,500 / 500
    sen, sub, lost = sh.allocate_losses(
        [D("0"), D("0")],
        [D("120000"), D("0")],
        [D("0.95"), D("0.95")],
        [SENIORS, [D("20000000")]],
        SUBS,
        True,
        X,
    )
    assert sen == [[D("60000.00"), D("35000.00")], [D("20000.00")]]
    assert sub == [D("3000.00"), D("1500.00"), D("500.00")]
    assert lost == [D("0"), D("0")]


def test_ordinary_and_excess_losses_on_one_date() -> None:
    # 300,000 fraud loss, 100,000 of it covered (an ordinary loss) and 200,000 excess:
    # excess seniors 190,000 -> 120,000.00 / 70,000.00, subordinates 10,000 -> 6,000.00 /
    # 3,000.00 / 1,000.00 (on the balances after principal); the 100,000 ordinary loss then
    # on B-3 (499,000 left): 100,000 -> B-3 101,000.00 in all
    sen, sub = allocate("100000", "200000")
    assert sen == [D("120000.00"), D("70000.00")]
    assert sub == [D("6000.00"), D("3000.00"), D("101000.00")]


def test_vector_mode_agrees() -> None:
    v = Vector(4)
    a = lambda x: np.full(4, float(x))  # noqa: E731
    liq = sh.senior_liquidation_amount(
        a("0.95"), a("1"), a("800000"), a("350000"), a("500000"), a("150000"), v
    )
    assert (np.round(liq) == 342500).all()
    got = sh.senior_principal_distribution_amount(
        a("0.95"), a("0.985"), a("100000"), a("2000000"), a("197000"), a("10000"), v
    )
    assert (np.round(got * 100) == 227185000).all()
    pays = sh.subordinate_principal(
        a("40000"),
        a("30000"),
        [a("2000000"), a("1000000"), a("1000000")],
        [np.full(4, True), np.full(4, True), np.full(4, False)],
        v,
    )
    assert [float(p[0]) for p in pays] == [25000.0, 12500.0, 2500.0]
    sen, sub, lost = sh.allocate_losses(
        [a("100000")],
        [a("200000")],
        [a("0.95")],
        [[a("60000000"), a("35000000")]],
        [a("3000000"), a("1500000"), a("500000")],
        False,
        v,
    )
    assert [round(float(s[0]), 2) for s in sen[0]] == [120000.0, 70000.0]
    assert [round(float(s[0]), 2) for s in sub] == [6000.0, 3000.0, 101000.0]
    assert float(lost[0][0]) == 0.0
    parts, left = sh.excess_losses([a("90000"), a("30000")], a("100000"), v)
    assert [float(p[0]) for p in parts] == [15000.0, 5000.0] and float(left[0]) == 0.0
    share = sh.stepdown_share(a("1"), np.full(4, True), a("1"), v)
    applied = sh.two_times_share(share, np.array([True, False, True, False]), np.full(4, True), v)
    assert applied.tolist() == [0.5, 1.0, 0.5, 1.0] and share.tolist() == [1.0] * 4
    dq = sh.delinquency_condition(a("2400000"), a("4800000"), D("0.50"), True, v)
    assert (
        dq.all()
        and not sh.delinquency_condition(a("2400000"), a("4800000"), D("0.50"), False, v).any()
    )
