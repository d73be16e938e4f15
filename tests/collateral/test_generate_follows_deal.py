"""The tape generator follows the deal's collateral description: count, balance, WAC, WAM,
the product mix (rate type, share, ARM terms, interest-only loans, loan group) -- and its
activity follows the command line's CPR, CDR, severity and delinquency, or a projection
scenario."""

from __future__ import annotations

import shutil
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import numpy as np
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import remit
from remit.cli import app
from remit.collateral import collect, generate_tape
from remit.collateral.generate import Behaviour, exact_dot
from remit.collateral.tape import month_of, read_loans
from remit.errors import RemitError
from tests.conftest import EXAMPLE, ROOT

SENIOR_SUB = ROOT / "examples" / "prime-senior-sub"
runner = CliRunner()


def wac_pct(tape: object) -> Decimal:
    """sum(B x r) / sum(B), in percent to six decimals (rates in 1e-8 units)."""
    total = int(tape.balance.sum())  # type: ignore[attr-defined]
    units = Decimal(exact_dot(tape.balance, tape.rate)) / total  # type: ignore[attr-defined]
    return (units / 10**6).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


def wam(tape: object, first_due: int) -> int:
    total = int(tape.balance.sum())  # type: ignore[attr-defined]
    left = tape.maturity_m.astype(np.int64) - first_due + 1  # type: ignore[attr-defined]
    return (2 * exact_dot(tape.balance, left) + total) // (2 * total)  # type: ignore[attr-defined]


def test_a_senior_sub_deal_gets_its_own_pool_by_group(tmp_path: Path) -> None:
    """examples/prime-senior-sub: group 1 all 5/1 hybrids, group 2 all 3/1 hybrids, each with
    its cut-off count and balance; pool WAC 5.093022% and WAM 357 (its [collateral])."""
    spec = remit.load_deal(SENIOR_SUB).spec
    generate_tape(spec, tmp_path, months=0, seed=4)
    tape = read_loans(spec, tmp_path)
    assert tape.n == 874 and int(tape.balance.sum()) == 40_430_341_846
    assert wac_pct(tape) == Decimal("5.093022")
    assert wam(tape, month_of(spec.dates.first_distribution)) == 357
    loans = pq.read_table(tmp_path / "loans.parquet").to_pydict()
    by_group: dict[str, set[str]] = {}
    for g, p in zip(loans["asset_group_number"], loans["product_type"], strict=True):
        by_group.setdefault(g, set()).add(p)
    assert by_group == {"1": {"hybrid_5_1"}, "2": {"hybrid_3_1"}}
    io = np.array(loans["original_interest_only_term"]) > 0
    groups = np.array(loans["asset_group_number"])
    assert not io[groups == "2"].any() and 0.1 < io[groups == "1"].mean() < 0.4


@pytest.fixture()
def fixed_deal(tmp_path: Path) -> Path:
    """The example deal with another pool: 60% fixed (no interest-only loans), 40% 5/1
    hybrids, WAC 6.125%, WAM 300."""
    deal = tmp_path / "deal"
    shutil.copytree(EXAMPLE, deal)
    spec = deal / "deal.toml"
    text = spec.read_text()
    start, end = text.index("[[collateral.mix]]"), text.index("[[indices]]")
    mix = """[[collateral.mix]]
product_type = "fixed"
share = 0.6
rate = 0.0650

[[collateral.mix]]
product_type = "hybrid_5_1"
product = "five_year_hybrid"
share = 0.4
rate = 0.0550
index = "one_year_libor"
margin = 0.0250
interest_only_share = 0.5

"""
    text = text[:start] + mix + text[end:]
    text = text.replace("wac = 0.04540624", "wac = 0.06125").replace("wam = 332", "wam = 300")
    spec.write_text(text)
    return deal


def test_the_mix_rates_and_terms_come_from_the_spec(fixed_deal: Path, tmp_path: Path) -> None:
    spec = remit.load_deal(fixed_deal).spec
    out = tmp_path / "tape"
    generate_tape(spec, out, loans=1000, months=0, seed=8)
    tape = read_loans(spec, out)
    assert wac_pct(tape) == Decimal("6.125000")
    assert wam(tape, month_of(spec.dates.first_distribution)) == 300
    loans = pq.read_table(out / "loans.parquet")
    kinds = loans.column("product_type").to_pylist()
    fixed = np.array([k == "fixed" for k in kinds])
    assert set(kinds) == {"fixed", "hybrid_5_1"}
    share = tape.balance[fixed].sum() / tape.balance.sum()
    assert abs(share - 0.6) < 0.02
    margin = loans.column("gross_margin")
    assert margin.null_count == fixed.sum()  # a fixed loan has no ARM terms
    assert set(pc.drop_null(margin).to_pylist()) == {0.025}
    io = np.array(loans.column("original_interest_only_term").to_pylist()) > 0
    assert not io[fixed].any() and 0.35 < io[~fixed].mean() < 0.65


def test_a_deal_without_a_description_is_told_what_to_add(tmp_path: Path) -> None:
    spec = remit.load_deal(ROOT / "tests" / "fixtures" / "mini").spec
    with pytest.raises(RemitError) as err:
        generate_tape(spec, tmp_path / "t", source="mini/deal.toml")
    paths = {(p.file, p.path) for p in err.value.problems}
    assert {"collateral.wac", "collateral.wam", "collateral.mix"} == {p for _, p in paths}
    assert {f for f, _ in paths} == {"mini/deal.toml"}
    assert not (tmp_path / "t").exists()


def _generate(deal: Path, out: Path, *options: str) -> None:
    res = runner.invoke(
        app,
        [
            "tape",
            "generate",
            str(deal),
            "--out",
            str(out),
            "--months",
            "1",
            "--seed",
            "5",
            *options,
        ],
    )
    assert res.exit_code == 0, (res.stdout, res.stderr)


def _payoffs(tape: Path) -> int:
    act = pq.read_table(tape / "activity" / "2003-04-25.parquet")
    return int(pc.sum(pc.equal(act.column("zero_balance_code"), 1)).as_py() or 0)


def test_the_command_line_sets_prepayments_defaults_severity_delinquency(tmp_path: Path) -> None:
    _generate(EXAMPLE, tmp_path / "slow", "--cpr", "0", "--cdr", "0", "--delinquency", "0")
    _generate(EXAMPLE, tmp_path / "fast", "--cpr", "60", "--cdr", "12", "--severity", "45")
    assert _payoffs(tmp_path / "slow") == 0
    assert _payoffs(tmp_path / "fast") > 100  # 2,446 loans at a 7.4% SMM
    spec = remit.load_deal(EXAMPLE).spec
    slow = collect(spec, tmp_path / "slow", "2003-04-25", None)
    assert slow.principal.liquidations_count == 0
    fast = collect(spec, tmp_path / "fast", "2003-04-25", None)
    p = fast.principal
    assert p.liquidations_count > 5
    assert abs(p.realized_losses / p.liquidated_balance - Decimal("0.45")) < Decimal("0.0001")
    # no new delinquency: only the loans delinquent at the start can be
    dq = sum(c.count for c in slow.delinquency if c.status == "delinquent")
    dq_fast = sum(c.count for c in fast.delinquency if c.status == "delinquent")
    assert dq < dq_fast


def test_a_scenario_drives_the_activity(tmp_path: Path) -> None:
    (tmp_path / "s.toml").write_text('name = "fast"\ncpr = 60\ncdr = 0\nseverity = 20\n')
    _generate(EXAMPLE, tmp_path / "file", "--scenarios", str(tmp_path / "s.toml"))
    _generate(EXAMPLE, tmp_path / "inline", "--scenario", "cpr=60,cdr=0,severity=20")
    _generate(EXAMPLE, tmp_path / "none", "--scenario", "cpr=0,cdr=0")
    assert _payoffs(tmp_path / "file") == _payoffs(tmp_path / "inline") > 100
    assert _payoffs(tmp_path / "none") == 0
    res = runner.invoke(
        app,
        [
            "tape",
            "generate",
            str(EXAMPLE),
            "--out",
            str(tmp_path / "x"),
            "--cpr",
            "5",
            "--scenario",
            "psa=100",
        ],
    )
    assert res.exit_code == 2 and "not both" in res.stderr
    res = runner.invoke(
        app, ["tape", "generate", str(EXAMPLE), "--out", str(tmp_path / "x"), "--cdr", "101"]
    )
    assert res.exit_code == 2 and "--cdr" in res.stderr and not (tmp_path / "x").exists()


def test_psa_by_loan_age(tmp_path: Path) -> None:
    """A PSA ramp prepays young loans slower than seasoned ones: by loan age, not month."""
    from remit.project.scenario import parse_scenario

    beh = Behaviour.of(parse_scenario("psa=100"))
    smm, mdr = beh.rates(np.array([1, 30, 100]), month=0)
    assert smm[0] < smm[1] == smm[2] and (mdr == 0).all()
    cpr = 1 - (1 - smm) ** 12
    assert cpr[0] == pytest.approx(0.002) and cpr[2] == pytest.approx(0.06)
