"""remit project and remit price as a person runs them; bad input exits 2, writes nothing."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from remit.cli import app
from remit.project.collateral import parse_pool
from remit.project.engine import project_collateral
from remit.project.scenario import parse_scenario

from .conftest import EXAMPLE

POOL = "balance=100000000,wac=6.0,net=5.5,term=360,remaining=360,age=0"
SCENARIO = "psa=100,sda=100,severity=35,lag=12,advancing=yes"
COLUMNS = [
    "month",
    "beginning_balance",
    "scheduled_principal",
    "prepayment",
    "default",
    "loss",
    "recovery",
    "advanced_principal",
    "net_interest",
    "ending_balance",
]
runner = CliRunner()


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def test_project_pool_writes_pool_csv_and_summary(tmp_path: Path) -> None:
    out = tmp_path / "out"
    res = invoke("project", "--pool", POOL, "--scenario", SCENARIO, "--out", str(out))
    assert res.exit_code == 0, res.output
    with (out / "pool.csv").open() as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == COLUMNS
    assert len(rows) == 361
    # full double precision: the CSV text reads back to the engine's floats exactly
    f = project_collateral(parse_pool(POOL), [parse_scenario(SCENARIO)])
    for j, col in enumerate(COLUMNS[1:], start=1):
        got = np.array([float(r[j]) for r in rows[1:]])
        assert np.array_equal(got, f.total(col)[0]), col
    summary = json.loads((out / "summary.json").read_text())
    for col in COLUMNS[2:-1]:
        total = sum(float(r[COLUMNS.index(col)]) for r in rows[1:])
        assert summary[col] == pytest.approx(total, rel=1e-12), col
    assert 5 < summary["wal_years"] < 15
    assert {"flows.parquet", "flows.csv"} <= {p.name for p in out.iterdir()}


def test_project_pictures(tmp_path: Path) -> None:
    out = tmp_path / "pics"
    res = invoke(
        "project",
        "--pool",
        POOL,
        "--scenario",
        "psa=100",
        "--scenario",
        "psa=300,sda=200",
        "--out",
        str(out),
        "--pictures",
    )
    assert res.exit_code == 0, res.output
    for png in ("balances.png", "cash_flows.png"):
        assert (out / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    html = (out / "projection.html").read_text()
    assert '<script src="http' not in html  # no CDN: plotly's JavaScript is in the file
    assert "plotly.js" in html and len(html) > 1_000_000
    rows = list(csv.reader((out / "pool.csv").open()))
    assert rows[0] == ["scenario", *COLUMNS]


def test_project_from_a_tape(tmp_path: Path, small_tape: Path) -> None:
    out = tmp_path / "tape-out"
    res = invoke(
        "project",
        str(EXAMPLE),
        "--tape",
        str(small_tape),
        "--scenario",
        SCENARIO,
        "--out",
        str(out),
    )
    assert res.exit_code == 0, res.output
    assert json.loads((out / "summary.json").read_text())["months"] > 300


def test_price_json_keys() -> None:
    res = invoke(
        "price",
        "--pool",
        POOL,
        "--scenario",
        SCENARIO,
        "--price",
        "101-16+",
        "--settle",
        "2026-12-15",
        "--delay",
        "55",
        "--format",
        "json",
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    for key in (
        "full_price",
        "accrued_interest",
        "mortgage_yield_pct",
        "bey_pct",
        "average_life_years",
        "macaulay_duration_years",
        "modified_duration",
        "convexity",
    ):
        assert isinstance(out[key], float), key
    assert out["price"] == 101.515625
    assert out["full_price"] == pytest.approx(101.515625 + 5.5 * 14 / 360, abs=1e-9)


def test_price_from_yield_text() -> None:
    res = invoke(
        "price",
        "--pool",
        POOL,
        "--scenario",
        "psa=100",
        "--yield",
        "5.2",
        "--settle",
        "2026-12-15",
        "--curve",
        "4.5",
    )
    assert res.exit_code == 0, res.output
    assert "bey_pct" in res.stdout and "spread_bp" in res.stdout


@pytest.mark.parametrize(
    "scenario,fragment",
    [
        ("cpr=-1", "cpr: found '-1'"),
        ("psa=100,severity=120", "severity: found '120'"),
        ("psa=100,speed=3", "speed: found '3'; expected one of the keys"),
        ("psa=100,lag=2.5", "lag: found '2.5'"),
        ("psa=100,advancing=maybe", "advancing: found 'maybe'; expected yes or no"),
        ("psa=100,cpr=5", "only one of psa, cpr, smm"),
    ],
)
def test_bad_scenarios_exit_2_and_write_nothing(
    tmp_path: Path, scenario: str, fragment: str
) -> None:
    out = tmp_path / "never"
    res = invoke("project", "--pool", POOL, "--scenario", scenario, "--out", str(out))
    assert res.exit_code == 2
    assert f'--scenario "{scenario}"' in res.stderr and fragment in res.stderr
    assert not out.exists()


def test_bad_scenario_file_is_located(tmp_path: Path) -> None:
    f = tmp_path / "s.toml"
    f.write_text("[[scenario]]\npsa = 100\n\n[[scenario]]\ncdr = -2\nseverity = 35\n")
    res = invoke("project", "--pool", POOL, "--scenarios", str(f), "--out", str(tmp_path / "o"))
    assert res.exit_code == 2
    assert f"{f}: scenario[1].cdr: found -2" in res.stderr


def test_price_no_yield_reaches_exits_2() -> None:
    res = invoke(
        "price",
        "--pool",
        POOL,
        "--scenario",
        "psa=100",
        "--price",
        "0-01",
        "--settle",
        "2026-12-15",
    )
    assert res.exit_code == 2
    assert "--price" in res.stderr and "reaches" in res.stderr


def test_bad_pool_and_price_options() -> None:
    res = invoke(
        "price",
        "--pool",
        "balance=1,wac=x",
        "--scenario",
        "psa=1",
        "--price",
        "100",
        "--settle",
        "2026-01-02",
    )
    assert res.exit_code == 2
    assert "wac: found 'x'" in res.stderr
    res = invoke("price", "--pool", POOL, "--scenario", "psa=1", "--price", "100", "--settle", "x")
    assert res.exit_code == 2
    assert "--settle: found 'x'" in res.stderr


def test_import_stays_light() -> None:
    code = (
        "import sys, remit, remit.cli; "
        "print(sorted(m for m in ('matplotlib', 'plotly', 'dask', 'distributed', "
        "'remit.project.engine') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_price_table_and_breakeven() -> None:
    res = invoke(
        "price",
        "--pool",
        POOL,
        "--scenario",
        "psa=100",
        "--scenario",
        "psa=300",
        "--table",
        "99-00,100-00,101-16+",
        "--settle",
        "2026-12-15",
        "--format",
        "csv",
    )
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    assert lines[0].startswith("scenario,psa=100,psa=100,psa=300,psa=300")
    assert [x.split(",")[0] for x in lines[3:]] == ["99-00", "100-00", "101-16+"]
    res = invoke(
        "price",
        "--pool",
        POOL,
        "--scenario",
        "psa=100,severity=40,lag=6",
        "--price",
        "100",
        "--settle",
        "2026-12-15",
        "--breakeven",
        "--format",
        "json",
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["first_dollar_loss_cdr_pct"] < 1e-4
    assert 0 < out["breakeven_cdr_pct"] < 100
