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


def test_stepdown_conditions() -> None:
    # 60+ average 2,000,000 < 50% of subordinate 4,800,000 = 2,400,000; losses 1,000,000 <=
    # 30% of the original 5,000,000 = 1,500,000: both hold
    assert sh.stepdown_conditions(
        D("2000000"), D("4800000"), D("1000000"), D("5000000"), D("0.30"), D("0.50"), X
    )
    # delinquency 2,500,000 >= 2,400,000: fails
    assert not sh.stepdown_conditions(
        D("2500000"), D("4800000"), D("1000000"), D("5000000"), D("0.30"), D("0.50"), X
    )
    # losses 1,600,000 > 1,500,000: fails
    assert not sh.stepdown_conditions(
        D("2000000"), D("4800000"), D("1600000"), D("5000000"), D("0.30"), D("0.50"), X
    )


def test_senior_prepayment_percentage_schedule() -> None:
    sp = D("0.95")
    # lock-out: share 100% -> 95% + 100% x 5% = 100%
    spp, share = sh.senior_prepayment_percentage(
        sp, D("0.95"), D("1"), True, False, True, D("1"), X
    )
    assert spp == D("1.00") and share == D("1")
    # eighth year, conditions met: 95% + 70% x 5% = 98.5%
    spp, share = sh.senior_prepayment_percentage(
        sp, D("0.95"), D("0.70"), True, False, False, D("1"), X
    )
    assert spp == D("0.985") and share == D("0.70")
    # conditions fail: the share stays where it was (100%)
    spp, share = sh.senior_prepayment_percentage(
        sp, D("0.95"), D("0.70"), False, False, False, D("1"), X
    )
    assert spp == D("1.00") and share == D("1")
    # senior percentage above its original 95%: 100%
    spp, _ = sh.senior_prepayment_percentage(
        D("0.96"), D("0.95"), D("0.70"), True, False, False, D("1"), X
    )
    assert spp == D("1")


def test_two_times_test() -> None:
    # subordinate 10.2% >= 2 x 5%, losses 500,000 <= 20% x 5,000,000, delinquency fine
    assert sh.two_times_test(D("0.102"), D("0.05"), D("500000"), D("5000000"), D("0.20"), True, X)
    assert not sh.two_times_test(D("0.099"), D("0.05"), D("0"), D("5000000"), D("0.20"), True, X)
    # passing it before the third anniversary: share 50% -> 89.8% + 50% x 10.2% = 94.9%
    spp, share = sh.senior_prepayment_percentage(
        D("0.898"), D("0.95"), D("1"), True, True, True, D("1"), X
    )
    assert share == D("0.5") and spp == D("0.949")
    # on or after it: the senior percentage alone
    spp, share = sh.senior_prepayment_percentage(
        D("0.898"), D("0.95"), D("1"), True, True, False, D("1"), X
    )
    assert share == D("0") and spp == D("0.898")


def test_senior_principal_distribution_amount() -> None:
    # 95% x 100,000 scheduled = 95,000.00; 98.5% x 2,000,000 prepaid = 1,970,000.00;
    # liquidation: min(95% x 300,000 = 285,000, 98.5% x 200,000 = 197,000) = 197,000.00;
    # recoveries 98.5% x 10,000 = 9,850.00; total 2,271,850.00
    got = sh.senior_principal_distribution_amount(
        D("0.95"), D("0.985"), D("100000"), D("2000000"), D("300000"), D("200000"), D("10000"), X
    )
    assert got == D("2271850.00")


def test_subordinate_principal_with_a_failed_class_trigger() -> None:
    balances = [D("2000000"), D("1000000"), D("1000000")]
    # 40,000 to the subordinates, 30,000 of it prepayments; B-3's trigger fails
    got = sh.subordinate_principal(D("40000"), D("30000"), balances, [True, True, False], X)
    # regular 10,000 by balance: 5,000 / 2,500 / 2,500; prepayments 30,000 between B-1 and
    # B-2 only: 20,000 / 10,000 -> 25,000 / 12,500 / 2,500
    assert got == [D("25000.00"), D("12500.00"), D("2500.00")]
    assert sh.class_prepayment_trigger(D("2000000"), D("96000000"), D("0.02"), X)
    assert not sh.class_prepayment_trigger(D("1900000"), D("96000000"), D("0.02"), X)


def test_losses_junior_first_then_seniors_and_excess_losses_pro_rata() -> None:
    seniors = [D("60000000"), D("35000000")]
    subs = [D("3000000"), D("1500000"), D("500000")]
    # 800,000 ordinary loss: B-3 500,000 (gone), B-2 300,000
    pool = [D("100000000")]

    def allocate(loss: str, excess: str) -> tuple[list[D], list[D]]:
        sen, sub = sh.allocate_losses([D(loss)], [D(excess)], [seniors], subs, pool, X)
        return sen[0], sub

    sen, sub = allocate("800000", "0")
    assert sen == [D("0"), D("0")] and sub == [D("0"), D("300000"), D("500000")]
    # 6,000,000: subordinates exhausted (5,000,000), 1,000,000 to seniors 60:35
    sen, sub = allocate("6000000", "0")
    assert sub == [D("3000000"), D("1500000"), D("500000")]
    assert sen == [D("631578.95"), D("368421.05")]
    # 100,000 excess (fraud) loss: pro rata over all 100,000,000: 60,000 / 35,000 / 3,000 /
    # 1,500 / 500
    sen, sub = allocate("0", "100000")
    assert sen == [D("60000.00"), D("35000.00")]
    assert sub == [D("3000.00"), D("1500.00"), D("500.00")]


def test_vector_mode_agrees() -> None:
    v = Vector(4)
    a = lambda x: np.full(4, float(x))  # noqa: E731
    got = sh.senior_principal_distribution_amount(
        a("0.95"), a("0.985"), a("100000"), a("2000000"), a("300000"), a("200000"), a("10000"), v
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
    sen, _ = sh.allocate_losses(
        [a("6000000")],
        [a("0")],
        [[a("60000000"), a("35000000")]],
        [a("3000000"), a("1500000"), a("500000")],
        [a("100000000")],
        v,
    )
    assert [round(float(s[0]), 2) for s in sen[0]] == [631578.95, 368421.05]
