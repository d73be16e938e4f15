"""The senior/subordinate example through everything that exists: the close month after
month, the vector mode (every month, to the cent), the statement, remit verify and the
store -- with no deal-specific code."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

import remit
from remit.audit.verify import verify_text
from remit.close import close, initial_state
from remit.close.close import waterfall_input
from remit.rules.ops import Exact, Vector
from remit.statement import build_statement
from remit.waterfall.flows import vectorize
from remit.waterfall.shifting import run

ROOT = Path(__file__).resolve().parent.parent.parent
DEAL = ROOT / "examples" / "prime-senior-sub"


@pytest.fixture(scope="module")
def months() -> list[remit.close.PeriodResult]:
    deal = remit.load_deal(DEAL)
    state = initial_state(deal.spec)
    out = []
    for d in sorted(deal.remittance_files):
        r = close(deal.spec, state, deal.remittance(d))
        out.append(r)
        state = r.state
    return out


def test_vector_mode_every_month(months: list[remit.close.PeriodResult]) -> None:
    for r in months:
        spec = r.spec
        assert isinstance(spec, remit.spec.models.ShiftingSpec)
        w = waterfall_input(spec, r.prior, r.remittance)
        exact = run(spec, w, Exact())
        vec = run(spec, vectorize(w, 200), Vector(200))
        for e, v in zip(exact.flows, vec.flows, strict=True):
            got = np.round(np.asarray(v.amount) * 100).astype(np.int64)
            assert (got == int(e.amount * 100)).all(), (r.distribution_date, e.step, e.target)


def test_the_scenario_happens(months: list[remit.close.PeriodResult]) -> None:
    by_date = {r.distribution_date.isoformat(): r for r in months}
    # lock-out: the seniors take every prepayment in both groups, every month
    for r in months:
        for g in ("1", "2"):
            assert r.figure(f"shifting:group:{g}:senior_prepayment_percentage") == 1
    # the delinquency test fails from 2004-01-26 on
    assert by_date["2003-12-26"].figure("shifting:stepdown_conditions") == 1
    assert by_date["2004-01-26"].figure("shifting:stepdown_conditions") == 0
    # February's fraud loss 285,000.00 against the fraud coverage 100,000.00: an excess
    # fraud loss of 185,000.00 and the coverage used up; the other coverages untouched
    feb = by_date["2004-02-25"]
    assert feb.figure("shifting:group:1:excess_losses") == Decimal("185000.00")
    assert feb.figure("shifting:coverage:fraud") == 0
    assert feb.figure("shifting:coverage:bankruptcy") == Decimal("100000.00")
    # June 2004, the first anniversary of the cut-off date: special hazard coverage to 1%
    # of the pool balance before the date, 277,612,247.97 -> 2,776,122.48
    jun = by_date["2004-06-25"]
    assert jun.figure("shifting:coverage:special_hazard") == Decimal("2776122.48")
    # no credit support depletion: B-1 ... B-5 keep their balances
    assert all(r.state.shifting.depletion_date is None for r in months)
    # B-6 written off, group 2's senior retired
    assert by_date["2004-02-25"].state.classes["B-6"].balance == 0
    assert by_date["2004-04-26"].state.classes["2-A-1"].balance == 0
    assert by_date["2004-04-26"].ledger.select(step="principal.senior_retired_group")
    # no money created or lost: certificates follow the pool within a few cents of
    # rounding in the net-WAC coupons
    for r in months:
        certs = sum((c.balance for c in r.state.classes.values()), start=r.state.pool_balance * 0)
        assert abs(certs - r.state.pool_balance) < 1


def test_statements_verify(months: list[remit.close.PeriodResult]) -> None:
    for r in months:
        report = verify_text(build_statement(r).to_edgar(), r.distribution_date.isoformat())
        assert report.causes == [], (r.distribution_date, report.causes[:1])


def test_store_closes_the_year(tmp_path: Path) -> None:
    db = tmp_path / "si.db"
    for _ in range(12):
        res = subprocess.run(
            [
                sys.executable,
                "-c",
                "from remit.cli import main; main()",
                "close",
                str(DEAL),
                "--next",
                "--db",
                str(db),
                "--quiet",
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert res.returncode == 0, res.stderr
    res = subprocess.run(
        [
            sys.executable,
            "-c",
            "from remit.cli import main; main()",
            "history",
            "psmt-2003-s1",
            "--db",
            str(db),
            "--format",
            "csv",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert res.returncode == 0 and res.stdout.count("\n") == 13


def _money(text: str) -> Decimal:
    return Decimal(text.strip().strip("*").replace(",", ""))


def test_the_readme_table_is_what_the_close_gives(months: list[remit.close.PeriodResult]) -> None:
    """The example README's month table: pool balances (the data) and the 2-A-1 and B-6
    balances after each date (the close's), so that the README stays true."""
    readme = (DEAL / "README.md").read_text("utf-8")
    rows = [
        [c.strip() for c in line.strip("|").split("|")]
        for line in readme.splitlines()
        if line.startswith("| 200")
    ]
    table = {r[0]: r for r in rows if len(r) == 9}
    by_date = {m.distribution_date.isoformat(): m for m in months}
    assert set(table) == set(by_date)
    for d, r in table.items():
        m = by_date[d]
        begin, end = (_money(x) for x in r[1].split("→"))
        assert (begin, end) == (m.prior.pool_balance, m.state.pool_balance), d
        assert _money(r[7]) == m.state.classes["2-A-1"].balance, d
        assert _money(r[8]) == m.state.classes["B-6"].balance, d
