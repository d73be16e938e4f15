"""A deal projected forward behaves: money is conserved in every projected period and
scenario, no balance goes negative, faster prepayments shorten the senior average life, a
higher CDR does not raise a subordinate's yield at a fixed price, the clean-up call truncates
the flows at its date; and the first month from the cut-off date is what a hand computation
of the reference deal's rules gives."""

from __future__ import annotations

import itertools
from datetime import date
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from remit.project import analytics as an
from remit.project.deal.measures import (
    breakeven_cdr,
    class_streams,
    first_dollar_loss_cdr,
    timing,
)
from remit.project.deal.outputs import check_conservation
from remit.project.deal.projection import DealProjection, project_deal
from remit.project.deal.start import Start, deal_start
from remit.project.pool import wal_years, with_cdr
from remit.project.scenario import parse_scenario

ROOT = Path(__file__).resolve().parents[2]
OC = ROOT / "examples" / "thornburg-2003-2"
SI = ROOT / "examples" / "prime-senior-sub"

SCENARIOS = [
    "psa=100",
    "psa=300,sda=100,severity=35,lag=12",
    "cpr=6;8;10;12;15,cdr=3,severity=50,lag=6,advancing=no",
    "psa=150,cdr=10,severity=60,lag=3",
    "cpr=25,cdr=1,severity=40,lag=12,call=yes",
    "psa=50,sda=600,severity=100,lag=0",
    "cpr=40,index=7,shock=100",
    "smm=0.5,mdr=0.2,severity=30,lag=24,call=yes,call_pct=20",
]


@cache
def start(deal_dir: Path) -> Start:
    return deal_start(deal_dir)


@cache
def stressed(deal_dir: Path) -> DealProjection:
    return project_deal(start(deal_dir), [parse_scenario(s) for s in SCENARIOS])


@pytest.mark.parametrize("deal_dir", [OC, SI], ids=["overcollateralization", "shifting"])
def test_conservation_in_every_period_and_scenario(deal_dir: Path) -> None:
    """The pool's decline is its principal and losses; the classes are paid exactly the
    funds available; the certificates decline by their principal and write-downs; an OC
    deal's certificates are paid the principal remittance less the release plus the extra
    principal; no balance or carryforward is negative."""
    p = stressed(deal_dir)
    assert p.months > 300
    assert check_conservation(p) == []
    # the collateral's own identity, and the deal's pool on the collateral's to the cent
    v = p.collateral
    decline = v.total("beginning_balance") - v.total("ending_balance")
    parts = sum(
        v.total(k)
        for k in ("scheduled_principal", "advanced_principal", "prepayment", "recovery", "loss")
    )
    assert np.allclose(decline, parts, atol=1e-6)
    coll_end = np.round(v.total("ending_balance")[:, : p.months], 2)
    assert np.allclose(p.deal_field("pool_ending"), coll_end, atol=0.0051 * len(v.group_names))
    # every scenario's pool pays off
    assert np.all(np.abs(p.deal_field("pool_ending")[:, -1]) < 0.005)


def left_at_the_end(p: DealProjection) -> np.ndarray:
    """The certificates' balance left after the last date, by scenario."""
    names = [c.name for c in p.start.spec.principal_classes]
    return sum(p.class_field(n, "ending_balance")[:, -1] for n in names)  # type: ignore[return-value]


def test_an_oc_deal_pays_its_certificates_off() -> None:
    """Nothing is left of the certificates when the pool is gone: what the OC and the
    excess interest could not absorb was written down."""
    assert np.all(np.abs(left_at_the_end(stressed(OC))) < 0.005)


def test_a_shifting_deal_carries_the_loss_no_class_can_take() -> None:
    """A realized loss the subordinates (written off) and the seniors of the group whose
    loans lost it (retired) cannot take is allocated to no class: the projection carries
    it per date and group, and since the start (the running sum of the dates'); the
    stressed scenarios reach it."""
    p = stressed(SI)
    date_loss = p.deal_field("unallocated_loss")
    groups = sum(p.deal_field(f"group:{g.name}:unallocated_loss") for g in p.start.spec.loan_groups)
    assert np.allclose(groups, date_loss, atol=0.005)
    cum = p.deal_field("cumulative_unallocated_loss")
    assert np.allclose(cum, np.cumsum(date_loss, axis=1), atol=0.005)
    assert (cum[:, -1] > 1000).sum() >= 2
    assert np.all(date_loss > -0.005)


def test_principal_beyond_the_collections_is_cross_collateralization() -> None:
    """A shifting deal's certificates are paid more principal on a date than the loans
    paid (the principal remittance) only by cross-collateralization, and that pays a group's
    seniors only while they stand above their group's pool, never more than the
    Undercollateralized Amount: after it (and the date's write-downs) they are still at or
    above the pool. The stressed scenarios reach it."""
    p = stressed(SI)
    spec = p.start.spec
    names = [c.name for c in spec.principal_classes]
    paid = sum(p.class_field(n, "principal") for n in names)
    collected = p.deal_field("principal_remittance")
    cross_by_group = {
        g.name: p.deal_field(f"group:{g.name}:cross_collateral_principal")
        for g in spec.shifting_interest.groups
    }
    cross = sum(cross_by_group.values())
    assert np.all(paid <= collected + cross + 0.005)
    beyond = (paid - collected).max(axis=1)
    assert (beyond > 1000).sum() >= 2  # it happens: two scenarios pay $1,000 beyond
    groups = list(p.collateral.group_names)
    checked = 0
    for g in spec.shifting_interest.groups:
        c = cross_by_group[g.name]
        assert np.all(c > -0.005)
        seniors = sum(
            p.class_field(n, "ending_balance") + p.class_field(n, "writedown") for n in g.seniors
        )
        pool = p.collateral.values["ending_balance"][:, groups.index(g.name), : p.months]
        paid_to = c > 0.005
        checked += int(paid_to.sum())
        assert np.all(seniors[paid_to] >= pool[paid_to] - 0.02)
    assert checked >= 10  # dates and scenarios where it paid: the check is not vacuous


def test_a_shifting_deal_pays_off_where_its_seniors_absorb_the_losses() -> None:
    """The stressed scenarios in which no group's seniors retire before the subordinates
    are written off leave nothing of the certificates (the Subordinate Certificate
    Writedown Amount keeps them on the pool, cent by cent)."""
    left = left_at_the_end(stressed(SI))
    assert (np.abs(left) < 0.005).sum() >= len(SCENARIOS) - 3


def test_conservation_catches_a_broken_projection() -> None:
    """The check is not vacuous: a cent moved between classes is found."""
    p = project_deal(start(OC), [parse_scenario("psa=200")])
    assert check_conservation(p) == []
    p.recorded.klass("A", "cash")[5, 0] += 0.01
    assert any(f.startswith("cash") for f in check_conservation(p))
    p.recorded.klass("A", "principal")[7, 0] += 1.0
    assert any(f.startswith("certificates") for f in check_conservation(p))


@pytest.mark.parametrize(
    ("deal_dir", "senior"), [(OC, "A"), (SI, "1-A-1"), (SI, "2-A-1")], ids=["A", "1-A-1", "2-A-1"]
)
def test_faster_prepayments_shorten_the_senior_wal(deal_dir: Path, senior: str) -> None:
    speeds = [25, 50, 100, 200, 300, 500, 800]
    p = project_deal(
        start(deal_dir), [parse_scenario(f"psa={s},sda=100,severity=35,lag=12") for s in speeds]
    )
    wal = [wal_years(p.class_field(senior, "principal")[s]) for s in range(len(speeds))]
    assert all(a > b for a, b in itertools.pairwise(wal)), wal


CDRS = [0, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4, 5, 6, 7, 8, 12, 20]


def bey_at(p: DealProjection, name: str, price: float) -> list[float]:
    """The class's bond-equivalent yield at ``price`` under each scenario (-inf where no
    yield from -50% reaches the price: below every yield)."""
    t = timing(p, None)
    out = []
    for s in range(len(p.scenarios)):
        st = p.stream(name, s)
        full = price + an.accrued(st, t)
        if not np.any(st.cash > 0) or an.full_price(st, an.MIN_YIELD, t) < full:
            out.append(-np.inf)
            continue
        out.append(an.bey_from_mortgage(an.yield_from_full_price(st, full, t)))
    return out


@pytest.mark.parametrize("name", ["B-1", "B-3", "B-6"])
@pytest.mark.parametrize("price", [90.0, 100.0, 104.0])
def test_a_higher_cdr_never_raises_a_subordinates_yield(name: str, price: float) -> None:
    """The shifting deal's subordinates (locked out of prepayments, written down junior
    first): at a discount, par or a premium, the yield falls as the CDR rises."""
    scs = [parse_scenario(f"psa=150,cdr={c},severity=40,lag=12,call=yes") for c in CDRS]
    y = bey_at(project_deal(start(SI), scs), name, price)
    assert all(b <= a for a, b in itertools.pairwise(y)), y
    assert y[-1] < y[0]


@pytest.mark.parametrize("name", ["M-1", "M-2"])
def test_a_higher_cdr_never_raises_a_mezzanine_yield_at_par(name: str) -> None:
    """The OC deal's floating mezzanines at par, the call exercised: the yield stays at the
    coupon's while the OC and the excess interest absorb the losses (moving by less than
    0.2 bp with the timing of the payments, their coupon accruing Actual/360 and the yield
    30/360), then falls once the class is written down. (Away from par the timing is not
    neutral: at a discount the principal that defaults return sooner raises the yield; at a
    premium, a trigger that holds the mezzanines' principal back does.)"""
    scs = [parse_scenario(f"psa=150,cdr={c},severity=40,lag=12,call=yes") for c in CDRS]
    y = bey_at(project_deal(start(OC), scs), name, 100.0)
    assert all(b <= a + 0.2e-4 for a, b in itertools.pairwise(y)), y
    assert y[-1] < y[0] - 0.05


@pytest.mark.parametrize("deal_dir", [OC, SI], ids=["overcollateralization", "shifting"])
def test_the_clean_up_call_truncates_the_flows(deal_dir: Path) -> None:
    """Exercised on the first date the pool has fallen to the deal's optional termination
    percentage (10%) of the cut-off balance: every class is paid off then, nothing is paid
    after it; without the call the flows run on."""
    st = start(deal_dir)
    p = project_deal(st, [parse_scenario("psa=200,call=yes"), parse_scenario("psa=200")])
    cut_off = float(st.spec.collateral.cut_off_balance)
    pool = p.deal_field("pool_beginning")
    called = int(np.flatnonzero(p.deal_field("pool_ending")[0] == 0)[0])
    # the call's date: the first whose balance (before the call) falls to 10% of cut-off
    uncalled_end = p.deal_field("pool_ending")[1]
    assert uncalled_end[called] <= 0.10 * cut_off < uncalled_end[called - 1]
    assert pool[0, called] == pool[1, called]  # the same pool up to the call
    for c in st.spec.classes:
        cash = p.class_field(c.name, "cash")
        assert np.all(cash[0, called + 1 :] == 0), c.name
        left = p.class_field(c.name, "ending_balance")[0, called:]
        assert np.all(np.abs(left) < 0.005), c.name
    assert p.deal_field("unscheduled_principal")[0, called] > 0.09 * cut_off
    assert np.any(p.deal_field("pool_ending")[1, called + 1 :] > 0)


def test_first_month_from_the_cut_off_date_by_hand() -> None:
    """The reference deal's first date from its cut-off, no prepayment and no default: the
    rep line (the pool's cut-off balance at the first remittance's WAC, 333 months left)
    pays one level installment; the fees at the deal's rates (the external master servicing
    fee at the rate its April 2003 amount implies); classes A, M-1, M-2 their April 2003
    interest (22 days at LIBOR 1.30% + margin); A all the principal (before the stepdown
    date); B-IO the rest of the interest; R-1 and R-2 their $50 from the closing deposit."""
    p = project_deal(start(OC), [parse_scenario("cpr=0,cdr=0")])
    assert p.dates[0] == date(2003, 4, 25)
    balance = 1060891769.67
    i = 4014259.07 * 12 / balance / 12
    installment = balance * i / (1 - (1 + i) ** -333)
    scheduled = round(installment - balance * i, 2)
    fees = (
        round(balance * 0.00302 / 12, 2)  # servicing: 266,991.11
        + 4115.38  # external master servicing
        + round(balance * 0.000175 / 12, 2)  # master servicing: 15,471.34
        + 574.65  # trustee
    )
    assert p.deal_field("scheduled_interest")[0, 0] == pytest.approx(4014259.07, abs=0.006)
    assert p.deal_field("fees")[0, 0] == pytest.approx(fees, abs=0.006)
    assert p.deal_field("scheduled_principal")[0, 0] == pytest.approx(scheduled, abs=0.011)
    interest = {"A": 1041984.29, "M-1": 13290.59, "M-2": 18153.01}
    for name, amount in interest.items():
        assert p.class_field(name, "interest")[0, 0] == pytest.approx(amount, abs=0.001)
    assert p.class_field("A", "principal")[0, 0] == pytest.approx(scheduled, abs=0.011)
    assert p.class_field("M-1", "principal")[0, 0] == 0
    excess = 4014259.07 - fees - sum(interest.values())
    assert p.class_field("B-IO", "cash")[0, 0] == pytest.approx(excess, abs=0.006)
    assert p.class_field("R-1", "cash")[0, 0] == 50.0


def test_first_dollar_loss_and_breakeven_cdr() -> None:
    """Root finding over constant CDRs: just below the first-dollar-loss CDR the class is
    not written down, at it it is; at the break-even CDR the yield at the price is 0."""
    st = start(SI)
    base = parse_scenario("psa=150,severity=40,lag=12")
    streams = class_streams(st, "B-2")
    fdl = first_dollar_loss_cdr(streams, base)
    below, at = streams([with_cdr(base, fdl - 2e-7), with_cdr(base, fdl)])
    assert below.loss.sum() <= 0.005 < at.loss.sum()
    p = project_deal(st, [base])
    t = timing(p, None)
    x = breakeven_cdr(streams, base, 95.0, t)
    assert fdl < x < 1
    [s] = streams([with_cdr(base, x)])
    y = an.yield_from_full_price(s, 95.0 + an.accrued(s, t), t)
    assert abs(an.bey_from_mortgage(y)) < 2e-4
