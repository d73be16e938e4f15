"""The senior/subordinate example deal's data, checked on its own terms (not the waterfall's):
the certificates make the cut-off balance, the groups add up to the pool every month, the
balances and counts roll forward, the dates follow each other, the months carry the events
the README says they do, and the generator reproduces the files byte for byte. Last, the
close runs every month in sequence and agrees with the data on the pool and the groups."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import remit
from remit import dates
from remit.api import Deal
from remit.close.period import sixty_plus
from remit.remittance import GROUP_TOTALS, Remittance, load_remittance
from remit.spec.models import ShiftingSpec

ROOT = Path(__file__).resolve().parents[2]
DEAL = ROOT / "examples" / "prime-senior-sub"
SCRIPT = ROOT / "scripts" / "make_senior_sub_remittances.py"
Z = Decimal("0.00")


@pytest.fixture(scope="module")
def deal() -> Deal:
    return remit.load_deal(DEAL)


@pytest.fixture(scope="module")
def spec(deal: Deal) -> ShiftingSpec:
    assert isinstance(deal.spec, ShiftingSpec)
    return deal.spec


@pytest.fixture(scope="module")
def months(deal: Deal) -> list[Remittance]:
    return [load_remittance(deal.remittance_files[d]) for d in sorted(deal.remittance_files)]


def reduction(r: Remittance) -> Decimal:
    p = r.principal
    return (
        p.scheduled_principal
        + p.unscheduled_principal
        + p.repurchases_principal
        + p.liquidated_balance
    )


def removed(r: Remittance) -> int:
    p = r.principal
    return p.payoffs_count + p.liquidations_count + p.repurchases_count


def test_certificates_equal_the_cut_off_balance(spec: ShiftingSpec) -> None:
    # 300,000,000.00 + 54,551,718.46 + 35,601,000.00 + 14,150,700.00 = 404,303,418.46
    certificates = sum((c.original_balance for c in spec.classes if c.type in ("SEN", "SUB")), Z)
    assert certificates == spec.collateral.cut_off_balance == Decimal("404303418.46")
    io = spec.cls("A-IO")
    assert io.type == "IO" and io.original_balance == 0 and io.notional == "pool_balance"
    assert spec.cls("R").type == "RES" and spec.cls("R").original_balance == 0


def test_groups_make_the_pool_and_place_every_class(spec: ShiftingSpec) -> None:
    si = spec.shifting_interest
    assert sum((g.cut_off_balance for g in si.groups), Z) == spec.collateral.cut_off_balance
    assert sum(g.cut_off_count for g in si.groups) == spec.collateral.cut_off_count
    placed = [n for g in si.groups for n in g.seniors] + si.subordinates + [si.residual]
    assert sorted(placed) == sorted(c.name for c in spec.classes)
    assert si.subordinates == ["B-1", "B-2", "B-3", "B-4", "B-5", "B-6"]
    subs = sum((spec.cls(n).original_balance for n in si.subordinates), Z)
    # subordination 14,150,700.00 / 404,303,418.46 = 3.50%
    assert round(subs / spec.collateral.cut_off_balance, 4) == Decimal("0.0350")
    assert len({c.cusip for c in spec.classes}) == len(spec.classes)


def test_twelve_months_on_business_day_adjusted_dates(
    spec: ShiftingSpec, deal: Deal, months: list[Remittance]
) -> None:
    assert len(months) >= 12
    d = spec.dates
    want = dates.adjust(d.first_distribution, d.business_day_rule)
    for r in months:
        assert r.distribution_date == want
        assert deal.remittance_files[want].stem == want.isoformat()
        nxt = dates.add_months(want, 1, 1)
        want = dates.distribution_date(nxt.year, nxt.month, d.distribution_day, "following")
    assert months[3].distribution_date == date(2003, 10, 27)  # the 25th is a Saturday


def test_groups_add_up_to_the_pool_every_month(months: list[Remittance]) -> None:
    for r in months:
        assert set(r.groups) == {"1", "2"}
        for table, fields in GROUP_TOTALS.items():
            for f in fields:
                pool = getattr(getattr(r, table), f)
                assert sum((getattr(g, f) for g in r.groups.values()), Z) == pool, (
                    r.distribution_date,
                    f,
                )
        assert sum(g.ending_count for g in r.groups.values()) == r.collateral.ending_count
        assert sum((g.pool_reduction for g in r.groups.values()), Z) == reduction(r)


def test_balances_and_counts_roll_forward(spec: ShiftingSpec, months: list[Remittance]) -> None:
    balance = spec.collateral.cut_off_balance
    count = spec.collateral.cut_off_count
    groups = {g.name: g.cut_off_balance for g in spec.shifting_interest.groups}
    group_counts = {g.name: g.cut_off_count for g in spec.shifting_interest.groups}
    for r in months:
        assert r.beginning_balance == balance, r.distribution_date
        assert r.beginning_count == count, r.distribution_date
        balance -= reduction(r)
        count -= removed(r)
        assert r.collateral.ending_count == count
        for name, g in r.groups.items():
            groups[name] -= g.pool_reduction
            assert groups[name] > 0
            assert g.ending_count <= group_counts[name]
            group_counts[name] = g.ending_count
        assert sum(groups.values(), Z) == balance
        # the statement's product balances are the groups' ending balances
        assert r.collateral.product_balances == {
            "five_year_hybrid": groups["1"],
            "three_year_hybrid": groups["2"],
        }
        assert r.collateral.ending_actual_balance >= balance
        p = r.principal
        assert p.payoffs_amount is not None and p.curtailments is not None
        assert p.payoffs_amount + p.curtailments == p.unscheduled_principal


def test_the_months_carry_the_scenario(spec: ShiftingSpec, months: list[Remittance]) -> None:
    si = spec.shifting_interest
    original_subs = sum((spec.cls(n).original_balance for n in si.subordinates), Z)
    # a realized loss, and one larger than B-6 (808,600.00) with an excess (fraud) loss
    losses = [r.principal.realized_losses for r in months]
    assert losses[4] == Decimal("117412.33")
    assert losses[7] == Decimal("965880.19")
    assert months[7].groups["1"].excess_losses == Decimal("185000.00")
    # the loan with the fraud loss: 685,000.00 liquidated for 400,000.00
    g = months[7].groups["1"]
    assert g.fraud_losses == Decimal("285000.00")
    assert g.excess_loss_liquidated_balance - g.excess_loss_liquidation_principal == Decimal(
        "285000.00"
    )
    ordinary = losses[4] + losses[7] - Decimal("185000.00")
    assert ordinary > spec.cls("B-6").original_balance
    assert months[11].principal.subsequent_recoveries == Decimal("42118.27")
    # the delinquency test: 6-month average of 60+ balances over 50% of the subordinates
    # (even at their original 14,150,700.00: 7,075,350.00) from January 2004
    history: list[Decimal] = []
    failed = []
    for r in months:
        history = [*history, sixty_plus(r)[1]][-si.delinquency_averaging_months :]
        average = sum(history, Z) / len(history)
        failed.append(average > si.delinquency_limit * original_subs)
    assert failed[:6] == [False] * 6 and all(failed[6:])
    # group 2's prepayments and repurchases by April 2004 exceed 2-A-1 (35,601,000.00)
    paid = sum(
        (r.groups["2"].unscheduled_principal + r.groups["2"].repurchases_principal)
        for r in months[:10]
    )
    assert paid > spec.cls("2-A-1").original_balance
    assert months[3].groups["1"].relief_act_shortfall == Decimal("1187.50")
    assert months[2].principal.repurchases_count == 1


def test_the_generator_reproduces_the_files(tmp_path: Path, deal: Deal) -> None:
    subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    written = sorted(p.name for p in tmp_path.glob("*.toml"))
    assert written == sorted(p.name for p in deal.remittance_files.values())
    for name in written:
        assert (tmp_path / name).read_bytes() == (DEAL / "remittances" / name).read_bytes()


def test_the_close_runs_every_month_in_sequence(
    deal: Deal, spec: ShiftingSpec, months: list[Remittance]
) -> None:
    state = None
    groups = {g.name: g.cut_off_balance for g in spec.shifting_interest.groups}
    for r in months:
        result = deal.close(r.distribution_date, state)
        state = result.state
        for name, g in r.groups.items():
            groups[name] -= g.pool_reduction
        assert state.shifting.groups == groups
        assert state.pool_balance == sum(groups.values(), Z)
        assert state.loan_count == r.collateral.ending_count
    assert state is not None
    # the scenario's end points: group 2's senior retired, B-6 written off
    assert state.classes["2-A-1"].balance == 0
    assert state.classes["B-6"].balance == 0
