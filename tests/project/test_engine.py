"""The collateral projection: hand computations, numpy-financial, the plain-Python loop,
conservation and sanity."""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from remit.project.amortize import project_recurrence
from remit.project.collateral import parse_pool
from remit.project.engine import project_collateral
from remit.project.pool import pool_stream, wal_years
from remit.project.reference import project_reference
from remit.project.scenario import parse_scenario

from .helpers import arm_pool, conservation_gap

SF_POOL = "balance=100000000,wac=6.0,net=5.5,term=360,remaining=360,age=0"


def test_zero_speeds_are_the_level_payment_schedule() -> None:
    """No prepayment, no default: numpy-financial's level-payment schedule."""
    f = project_collateral(parse_pool(SF_POOL), [parse_scenario("cpr=0")])
    per = np.arange(1, 361)
    sched = -npf.ppmt(0.06 / 12, per, 360, 100_000_000)
    interest = -npf.ipmt(0.06 / 12, per, 360, 100_000_000)
    assert f.months == 360
    assert np.allclose(f.total("scheduled_principal")[0], sched, rtol=1e-9, atol=1e-6)
    assert np.allclose(f.total("gross_interest")[0], interest, rtol=1e-9, atol=1e-6)
    assert np.allclose(f.total("net_interest")[0], interest * 5.5 / 6.0, rtol=1e-9, atol=1e-6)
    assert f.total("ending_balance")[0, -1] == pytest.approx(0.0, abs=1e-6)


def test_constant_cpr_agrees_with_the_collateral_amortizer() -> None:
    """The million-loan amortizer (remit.project.amortize) at a constant CPR."""
    f = project_collateral(parse_pool(SF_POOL), [parse_scenario("cpr=15")])
    ref = project_recurrence(100_000_000.0, 0.06, 360, 0.15, 360)
    assert np.allclose(f.total("scheduled_principal")[0], ref.scheduled, rtol=1e-10, atol=1e-6)
    assert np.allclose(f.total("prepayment")[0], ref.prepaid, rtol=1e-10, atol=1e-6)
    assert np.allclose(f.total("gross_interest")[0], ref.interest, rtol=1e-10, atol=1e-6)
    assert np.allclose(f.total("ending_balance")[0], ref.balance, rtol=1e-10, atol=1e-6)


def test_first_months_by_hand() -> None:
    """SF C.3 for the Standard Formulas' pool at 100% PSA, 100% SDA, 35% severity, lag 2,
    advancing: month 1 and the liquidation of month 1's defaults in month 3."""
    f = project_collateral(
        parse_pool(SF_POOL), [parse_scenario("psa=100,sda=100,severity=35,lag=2")]
    )
    i = 0.005
    mdr1 = 1 - (1 - 0.0002) ** (1 / 12)  # 0.02% CDR in month 1
    smm1 = 1 - (1 - 0.002) ** (1 / 12)  # 0.2% CPR in month 1
    d1 = 100_000_000 * mdr1
    perf = 100_000_000 - d1
    a1 = i / ((1 + i) ** 360 - 1)
    sched1 = perf * a1
    pre1 = (perf - sched1) * smm1
    t = f.total
    assert t("default")[0, 0] == pytest.approx(d1, rel=1e-10)
    assert t("scheduled_principal")[0, 0] == pytest.approx(sched1, rel=1e-10)
    assert t("prepayment")[0, 0] == pytest.approx(pre1, rel=1e-10)
    assert t("advanced_principal")[0, 0] == pytest.approx(d1 * a1, rel=1e-10)
    # net interest: the performing balance's and the defaulted loans' advance, at 5.5%
    assert t("net_interest")[0, 0] == pytest.approx(100_000_000 * 0.055 / 12, rel=1e-10)
    # month 1's defaults, amortized by months 1 and 2's advances, are liquidated in month 3
    a2 = i / ((1 + i) ** 359 - 1)
    liquidated = d1 * (1 - a1) * (1 - a2)
    assert t("liquidated_balance")[0, 2] == pytest.approx(liquidated, rel=1e-10)
    assert t("loss")[0, 2] == pytest.approx(0.35 * liquidated, rel=1e-10)
    assert t("recovery")[0, 2] == pytest.approx(0.65 * liquidated, rel=1e-10)
    assert t("loss")[0, :2].sum() == 0.0


def test_without_advancing_the_defaulted_balance_is_liquidated() -> None:
    f = project_collateral(
        parse_pool(SF_POOL), [parse_scenario("cdr=5,severity=40,lag=6,advancing=no")]
    )
    t = f.total
    assert np.allclose(t("liquidated_balance")[0, 6:], t("default")[0, :-6], rtol=1e-12)
    assert t("advanced_principal")[0].sum() == 0.0
    # net interest is the performing balance's only
    perf = t("beginning_balance")[0] - np.r_[0.0, t("pipeline_balance")[0, :-1]]
    perf -= t("default")[0]
    assert np.allclose(t("net_interest")[0], perf * 0.055 / 12, rtol=1e-10)


SCENARIOS = [
    "psa=100,sda=100,severity=35,lag=12",
    "psa=250,sda=300,severity=45,lag=6,advancing=no",
    "cpr=5;10;20;30,cdr=2;1,severity=20,lag=0",
    "smm=1.5,mdr=0.2,severity=100,lag=3",
    "psa=400,sda=50,lag=4,call=yes,call_pct=25,shock=150",
    "cpr=8,index=3.0,shock=-50,cdr=1,severity=30,lag=9",
]


@pytest.mark.parametrize("text", SCENARIOS)
def test_engine_agrees_with_the_plain_loop(text: str) -> None:
    """Fixed, interest-only and ARM loans (resets, caps, floors, rounding) in two groups."""
    c = arm_pool()
    sc = parse_scenario(text)
    f = project_collateral(c, [sc])
    ref = project_reference(c, sc, f.months)
    for k, v in ref.items():
        assert np.allclose(f.total(k)[0], v, rtol=1e-10, atol=1e-7), k


def test_by_group_sums_to_the_pool() -> None:
    c = arm_pool()
    f = project_collateral(c, [parse_scenario(SCENARIOS[0])])
    assert f.group_names == ("g1", "g2")
    g1 = project_collateral(c.take(np.array([0, 2])), [parse_scenario(SCENARIOS[0])])
    assert np.allclose(f.values["prepayment"][0, 0], g1.total("prepayment")[0][: f.months])


def test_index_shock_moves_arm_interest_only() -> None:
    c = arm_pool()
    base, up = parse_scenario("cpr=0"), parse_scenario("cpr=0,shock=200")
    f = project_collateral(c, [base, up])
    arm_group = f.values["gross_interest"][:, 1, 24]  # group g2 holds the six-month ARM
    assert arm_group[1] > arm_group[0]
    fixed_only = project_collateral(c.take(np.array([0, 1])), [base, up])
    assert np.array_equal(
        fixed_only.total("gross_interest")[0], fixed_only.total("gross_interest")[1]
    )


@settings(max_examples=40, deadline=None)
@given(
    psa=st.floats(0, 1500),
    sda=st.floats(0, 3000),
    severity=st.floats(0, 100),
    lag=st.integers(0, 36),
    advancing=st.booleans(),
    call=st.booleans(),
)
def test_conservation_every_month(
    psa: float, sda: float, severity: float, lag: int, advancing: bool, call: bool
) -> None:
    """principal + losses = balance decline, balances carry over and never go negative."""
    sc = parse_scenario(
        f"psa={psa},sda={sda},severity={severity},lag={lag},"
        f"advancing={'yes' if advancing else 'no'},call={'yes' if call else 'no'}"
    )
    f = project_collateral(arm_pool(), [sc])
    assert conservation_gap(f, 0) < 1e-6
    beg, end = f.total("beginning_balance")[0], f.total("ending_balance")[0]
    assert np.allclose(beg[1:], end[:-1], atol=1e-7)
    for k in ("ending_balance", "pipeline_balance", "prepayment", "loss", "recovery"):
        assert f.total(k)[0].min() >= -1e-7, k
    assert end[-1] == pytest.approx(0.0, abs=1e-6)


def test_faster_prepayments_shorten_the_wal() -> None:
    speeds = [0, 50, 100, 200, 400, 800]
    f = project_collateral(parse_pool(SF_POOL), [parse_scenario(f"psa={p}") for p in speeds])
    wals = [wal_years(f.total("principal")[s]) for s in range(len(speeds))]
    assert all(a > b for a, b in itertools.pairwise(wals))


def test_clean_up_call_truncates_the_flows() -> None:
    no, yes = parse_scenario("psa=200"), parse_scenario("psa=200,call=yes")
    f = project_collateral(parse_pool(SF_POOL), [no, yes])
    end = f.total("ending_balance")
    m = int(np.flatnonzero(end[0] <= 10_000_000)[0])  # first month at or under 10%
    assert end[1, m] == 0.0
    assert f.total("call_principal")[1, m] == pytest.approx(end[0, m], rel=1e-10)
    assert np.all(f.total("beginning_balance")[1, m + 1 :] == 0.0)
    assert np.all(f.total("net_interest")[1, m + 1 :] == 0.0)
    assert np.allclose(f.total("principal")[1, :m], f.total("principal")[0, :m])
    assert conservation_gap(f, 1) < 1e-6
    s_no, s_yes = pool_stream(f, 0), pool_stream(f, 1)
    assert s_yes.principal.sum() == pytest.approx(s_no.principal.sum(), rel=1e-9)


def test_scenarios_sharing_paths_equal_separate_runs() -> None:
    c = arm_pool()
    scs = [parse_scenario(t) for t in SCENARIOS]
    together = project_collateral(c, scs)
    for s, sc in enumerate(scs):
        alone = project_collateral(c, [sc])
        m = alone.months
        assert np.allclose(
            together.total("ending_balance")[s, :m], alone.total("ending_balance")[0]
        )


def test_fee_rate_is_reported() -> None:
    f = project_collateral(parse_pool(SF_POOL), [parse_scenario("psa=100,sda=100,lag=3")])
    assert np.allclose(f.total("fee_rate")[0, :300], 0.005)


def test_vector_rates_hold_their_last_value() -> None:
    sc = parse_scenario("cpr=10;20")
    sc2 = replace(sc, prepay=(0.10, 0.20, 0.20, 0.20))
    a, b = (project_collateral(parse_pool(SF_POOL), [x]) for x in (sc, sc2))
    assert np.array_equal(a.total("prepayment"), b.total("prepayment"))


def test_month_view_for_a_waterfall() -> None:
    f = project_collateral(arm_pool(), [parse_scenario(t) for t in SCENARIOS])
    m = f.month(7)
    assert m["prepayment"].shape == (len(SCENARIOS), 2)
    assert np.array_equal(m["pipeline_balance"].sum(axis=1), f.total("pipeline_balance")[:, 6])


def test_fixed_loans_of_several_ages_and_a_zero_rate() -> None:
    """The closed form (amortizing fixed-rate loans, by age group) against the plain loop."""
    from remit.project.collateral import fixed

    c = fixed(
        "fixed",
        [1e6, 2e6, 5e5, 3e5, 7e5],
        [0.06, 0.07, 0.05, 0.0, 0.065],
        [0.005, 0.0025, 0.0, 0.0, 0.004],
        [360, 300, 120, 60, 1],
        [0, 24, 100, 0, 359],
    )
    for text in SCENARIOS[:4]:
        sc = parse_scenario(text)
        f = project_collateral(c, [sc])
        ref = project_reference(c, sc, f.months)
        for k, v in ref.items():
            assert np.allclose(f.total(k)[0], v, rtol=1e-10, atol=1e-7), (text, k)


def test_kept_schedules_give_the_same_flows(monkeypatch: pytest.MonkeyPatch) -> None:
    """A grid worker keeps each index path's schedule between batches: the flows are the
    same as scheduled afresh, a path already kept is not scheduled again, a path given twice
    (two keys, one path) once, and past its bytes the least recently used is dropped."""
    from remit.project import engine

    c = arm_pool()
    calls: list[int] = []
    real = engine.scheduled

    def counting(c, groups, paths, months):  # type: ignore[no-untyped-def]
        calls.append(len(paths))
        return real(c, groups, paths, months)

    monkeypatch.setattr(engine, "scheduled", counting)
    first = [parse_scenario(x) for x in ("psa=100,shock=50", "cpr=5,shock=-50", "sda=300")]
    again = [parse_scenario(x) for x in ("psa=200,shock=-50", "cdr=2,shock=50,lag=3")]
    kept = engine.Schedules()
    for batch in (first, again):
        got = project_collateral(c, batch, kept)
        fresh = project_collateral(c, batch)
        for k, v in fresh.values.items():
            assert np.array_equal(got.values[k], v), k
    # first: 3 paths, scheduled; again: both kept, also to a longer horizon (lag 3)
    assert calls == [3, 3, 2]
    calls.clear()
    # two keys, one path: the indices at their base levels, given or not
    base = parse_scenario("psa=200")
    same = [base, replace(base, index={"one_year": (0.0135,), "six_month": (0.0125,)})]
    assert same[0].index_key() != same[1].index_key()
    small = engine.Schedules(max_bytes=1)
    project_collateral(c, first, small)
    project_collateral(c, same, small)
    # the base path was kept from the first batch ("sda=300"): nothing scheduled; the two
    # other paths of the first batch are dropped (past the bytes), the one in use kept
    assert calls == [3] and len(small.kept) == 1


def test_no_loans_project_to_nothing() -> None:
    c = arm_pool().take(np.array([], dtype=np.int64))
    f = project_collateral(c, [parse_scenario("psa=100,sda=100,lag=3")])
    assert not any(v.any() for v in f.values.values())


def test_kept_schedules_belong_to_one_collateral_and_threads_share_them() -> None:
    """Another collateral (another pool priced in the same process) empties the kept
    schedules; threads (a Dask worker's) share them, evicting, without a lost entry or a
    miscounted byte; what is kept is counted whole (copies, not views of a batch)."""
    import threading

    from remit.project import engine
    from remit.project.collateral import parse_pool

    kept = engine.Schedules()
    a = parse_pool("balance=100000000,wac=6.0,net=5.5,term=360,remaining=360,age=0")
    b = parse_pool("balance=50000000,wac=8.0,net=7.5,term=360,remaining=120,age=0")
    sc = [parse_scenario("psa=150")]
    project_collateral(a, sc, kept)
    got = project_collateral(b, sc, kept)
    fresh = project_collateral(b, sc)
    assert all(np.array_equal(got.values[k], v) for k, v in fresh.values.items())

    c = arm_pool()
    small = engine.Schedules(max_bytes=1)
    batches = [[parse_scenario(f"psa=100,shock={10 * (i % 7) + t}")] for i in range(40)
               for t in range(3)]  # fmt: skip
    errors: list[BaseException] = []

    def run(part: list[list[object]]) -> None:
        try:
            for batch in part:
                project_collateral(c, batch, small)  # type: ignore[arg-type]
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(batches[i::4],)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert small.bytes == sum(a.nbytes for arrays in small.kept.values() for a in arrays)
    assert all(a.base is None for arrays in small.kept.values() for a in arrays)
