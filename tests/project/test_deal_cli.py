"""``remit project DEAL_DIR``, ``remit price DEAL_DIR --class``, ``remit grid DEAL_DIRS...``
and the same from Python: the files, the keys, the deal's start from a store, and bad
input (a bad scenario, an unknown class, a price no yield reaches) ending with exit code 2
and nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from remit.cli import app
from remit.project import api
from remit.project.deal.start import deal_start
from remit.project.grid import local_executor, run_grid
from remit.project.scenario import parse_scenario
from remit.project.subjects import DealSubject

ROOT = Path(__file__).resolve().parents[2]
OC = ROOT / "examples" / "thornburg-2003-2"
SI = ROOT / "examples" / "prime-senior-sub"
STRESS = "psa=200,sda=150,severity=40,lag=12"
KEYS = (
    "full_price",
    "accrued_interest",
    "mortgage_yield_pct",
    "bey_pct",
    "average_life_years",
    "macaulay_duration_years",
    "modified_duration",
    "convexity",
)


def invoke(*args: str) -> object:
    return CliRunner().invoke(app, list(args))


def test_project_a_deal_writes_its_files(tmp_path: Path) -> None:
    out = tmp_path / "p"
    res = CliRunner().invoke(
        app,
        [
            "project",
            str(OC),
            "--scenario",
            STRESS,
            "--scenario",
            "psa=100,call=yes",
            "--out",
            str(out),
        ],
    )
    assert res.exit_code == 0, res.output
    names = {p.name for p in out.iterdir()}
    assert names == {
        "deal.csv",
        "deal.parquet",
        "classes.csv",
        "classes.parquet",
        "collateral.csv",
        "collateral.parquet",
        "summary.json",
    }
    deal = pd.read_parquet(out / "deal.parquet")
    assert pd.read_csv(out / "deal.csv").shape == deal.shape
    for col in (
        "pool_beginning",
        "pool_ending",
        "specified_oc",
        "oc_amount",
        "excess_cash",
        "trigger",
    ):
        assert col in deal.columns
    classes = pd.read_parquet(out / "classes.parquet")
    assert set(classes["class"]) == {"A", "M-1", "M-2", "B-IO", "R-1", "R-2"}
    for col in (
        "interest",
        "principal",
        "writedown",
        "cash",
        "ending_balance",
        "unpaid_interest",
        "basis_risk_carryforward",
    ):
        assert col in classes.columns
    first = classes[(classes["month"] == 1) & (classes["class"] == "A")]
    assert first["beginning_balance"].tolist() == [1039673900.0, 1039673900.0]
    summary = json.loads((out / "summary.json").read_text())
    assert [s["scenario"] for s in summary] == [STRESS, "psa=100,call=yes"]
    assert summary[0]["classes"]["A"]["principal"] == pytest.approx(1039673900.0, abs=0.01)
    assert summary[0]["first_date"] == "2003-04-25"
    assert 2 < summary[0]["classes"]["A"]["wal_years"] < 10


def test_project_a_shifting_deal_with_pictures(tmp_path: Path) -> None:
    out = tmp_path / "si"
    res = CliRunner().invoke(
        app, ["project", str(SI), "--scenario", STRESS, "--out", str(out), "--pictures"]
    )
    assert res.exit_code == 0, res.output
    for png in ("class_balances.png", "class_cash_flows.png"):
        assert (out / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    html = (out / "deal_projection.html").read_text()
    assert '<script src="http' not in html and "plotly.js" in html
    deal = pd.read_parquet(out / "deal.parquet")
    for col in (
        "group:1:senior_percentage",
        "group:2:senior_prepayment_percentage",
        "subordinate_percentage",
        "stepdown_conditions",
        "two_times_test",
    ):
        assert col in deal.columns


def test_project_a_deal_from_its_latest_stored_period(tmp_path: Path) -> None:
    """With --db: the projection starts after the latest closed date in the store, from
    its stored state (the balances the store holds)."""
    db = f"sqlite:///{tmp_path / 'remit.db'}"
    for _ in range(3):
        res = CliRunner().invoke(app, ["close", str(OC), "--next", "--db", db, "--quiet"])
        assert res.exit_code == 0, res.output
    out = tmp_path / "p"
    res = CliRunner().invoke(
        app, ["project", str(OC), "--db", db, "--scenario", "psa=150", "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    assert "after 2003-06-25 (stored, version 1)" in res.stderr
    classes = pd.read_parquet(out / "classes.parquet")
    first = classes[(classes["month"] == 1) & (classes["class"] == "A")].iloc[0]
    # class A's balance after 2003-06-25 (the third statement's ending balance)
    assert first["beginning_balance"] == 996679785.47
    assert str(first["date"])[:10] == "2003-07-25"
    deal = pd.read_parquet(out / "deal.parquet")
    assert deal["pool_beginning"].iloc[0] == 1017897655.14
    # a tape holds the loans at the cut-off date: not with a store
    res = CliRunner().invoke(
        app,
        [
            "project",
            str(OC),
            "--db",
            db,
            "--tape",
            str(tmp_path),
            "--scenario",
            "psa=1",
            "--out",
            str(tmp_path / "x"),
        ],
    )
    assert res.exit_code == 2 and "--tape" in res.stderr
    assert not (tmp_path / "x").exists()


def test_project_a_deal_from_the_store_remit_db_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without --db, the store $REMIT_DB names (as every other command), when it holds a
    closed period of the deal; a store without one: the cut-off date."""
    db = f"sqlite:///{tmp_path / 'remit.db'}"
    res = CliRunner().invoke(app, ["close", str(OC), "--next", "--db", db, "--quiet"])
    assert res.exit_code == 0, res.output
    monkeypatch.setenv("REMIT_DB", db)
    out = tmp_path / "p"
    res = CliRunner().invoke(app, ["project", str(OC), "--scenario", "psa=150", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "after 2003-04-25 (stored, version 1)" in res.stderr
    # class A's balance after 2003-04-25 (the reference statement's ending balance)
    classes = pd.read_parquet(out / "classes.parquet")
    first = classes[(classes["month"] == 1) & (classes["class"] == "A")].iloc[0]
    assert first["beginning_balance"] == 1026292228.59
    monkeypatch.setenv("REMIT_DB", f"sqlite:///{tmp_path / 'other.db'}")
    res = CliRunner().invoke(app, ["project", str(OC), "--scenario", "psa=150", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "at the cut-off date" in res.stderr


def test_project_a_deal_from_a_tape(tmp_path: Path, small_tape: Path) -> None:
    """The tape's loans (at their own rates, ARM resets, IO periods), scaled to the deal's
    pool at the cut-off date."""
    out = tmp_path / "t"
    res = CliRunner().invoke(
        app,
        ["project", str(OC), "--tape", str(small_tape), "--scenario", STRESS, "--out", str(out)],
    )
    assert res.exit_code == 0, res.output
    assert "scaled by" in res.stderr
    summary = json.loads((out / "summary.json").read_text())
    assert summary["months"] > 300
    assert summary["pool_balance"] == 1060891769.67
    coll = pd.read_parquet(out / "collateral.parquet")
    assert coll[coll["month"] == 1]["beginning_balance"].sum() == pytest.approx(1060891769.67)


def test_price_a_class_json_keys() -> None:
    res = CliRunner().invoke(
        app,
        [
            "price",
            str(OC),
            "--class",
            "M-1",
            "--scenario",
            STRESS,
            "--price",
            "99-16",
            "--format",
            "json",
        ],
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    for key in KEYS:
        assert isinstance(out[key], float), key
    assert out["price"] == 99.5
    # a floater: the effective duration (index paths shifted) is far below the modified
    assert abs(out["effective_duration"]) < 1 < out["modified_duration"]


def test_price_a_class_from_a_yield_and_its_table() -> None:
    res = CliRunner().invoke(
        app,
        [
            "price",
            str(SI),
            "--class",
            "1-A-1",
            "--scenario",
            "psa=200",
            "--yield",
            "4.5",
            "--settle",
            "2003-06-27",
        ],
    )
    assert res.exit_code == 0, res.output
    assert "bey_pct" in res.stdout and "4.5" in res.stdout
    res = CliRunner().invoke(
        app,
        [
            "price",
            str(SI),
            "--class",
            "B-2",
            "--scenario",
            "psa=100",
            "--scenario",
            STRESS,
            "--table",
            "90-00,95-00,100-00",
            "--format",
            "csv",
        ],
    )
    assert res.exit_code == 0, res.output
    lines = res.stdout.strip().splitlines()
    assert lines[0].startswith("scenario,psa=100,psa=100,") and len(lines) == 6


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--class", "Z", "--price", "100"], ["--class", "Z", "A, M-1"]),
        (["--price", "100"], ["--class"]),
        (["--class", "A", "--price", "100", "--scenario", "cpr=-5"], ["cpr", "-5"]),
        (["--class", "A", "--price", "100", "--scenario", "psa=100,severity=150"], ["severity"]),
        (["--class", "A", "--price", "0.0001"], ["--price"]),
        (["--class", "A", "--price", "100", "--settle", "2010-01-01"], ["--settle"]),
        (["--class", "R-1", "--price", "100", "--db", "sqlite:////nonexistent/x.db"], ["x.db"]),
        (["--class", "A", "--price", "100", "--delay", "30"], ["--delay", "30", "deal's dates"]),
    ],
)
def test_bad_input_exits_2(args: list[str], words: list[str]) -> None:
    argv = ["price", str(OC), *args]
    if "--scenario" not in args:
        argv += ["--scenario", "psa=100"]
    res = CliRunner().invoke(app, argv)
    assert res.exit_code == 2, res.output
    for w in words:
        assert w in res.stderr, (w, res.stderr)


def test_bad_scenario_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "none"
    res = CliRunner().invoke(
        app, ["project", str(SI), "--scenario", "psa=100,lag=-1", "--out", str(out)]
    )
    assert res.exit_code == 2 and "lag" in res.stderr
    assert not out.exists()


def test_grid_with_deals_as_subjects(tmp_path: Path) -> None:
    """Both example deals under six scenarios on two local processes: each deal's rows
    stream to its own files, one summary row per pair, the numbers one projection gives."""
    scs = [
        parse_scenario(f"psa={p},sda={d},severity=40,lag=6")
        for p in (100, 300)
        for d in (0, 200, 600)
    ]
    subjects = [DealSubject(deal_start(OC)), DealSubject(deal_start(SI))]
    with local_executor(2) as ex:
        res = run_grid(subjects, scs, tmp_path / "g", ex, batch=4)
    assert res.completed == 12 and not res.failures
    names = {p.name for p in (tmp_path / "g").iterdir()}
    assert {
        "tmst-2003-2.deal.parquet",
        "tmst-2003-2.classes.parquet",
        "psmt-2003-s1.deal.parquet",
        "psmt-2003-s1.classes.parquet",
        "summary.parquet",
        "summary.csv",
    } <= names
    summary = pd.read_parquet(tmp_path / "g" / "summary.parquet")
    assert len(summary) == 12
    assert {"A:wal_years", "B-6:writedown"} <= set(summary.columns)
    classes = pd.read_parquet(tmp_path / "g" / "psmt-2003-s1.classes.parquet")
    direct = subjects[1].project(scs)
    for s, sc in enumerate(scs):
        got = classes[(classes["scenario"] == sc.name) & (classes["class"] == "B-6")]
        want = np.round(direct.class_field("B-6", "writedown")[s], 2)
        assert got["writedown"].tolist() == want.tolist()


def test_grid_command_with_deal_directories(tmp_path: Path) -> None:
    f = tmp_path / "grid.toml"
    f.write_text("[grid]\npsa = [100, 400]\nsda = [0, 300]\nseverity = 35\nlag = 12\n")
    out = tmp_path / "cli"
    res = CliRunner().invoke(
        app, ["grid", str(OC), str(SI), "--scenarios", str(f), "--out", str(out), "--workers", "1"]
    )
    assert res.exit_code == 0, res.output
    assert "8 of 8 pairs" in res.stderr
    assert len(pd.read_csv(out / "summary.csv")) == 8


def test_the_same_from_python() -> None:
    deal = api.deal(OC)
    flows = api.deal_flows(deal, ["psa=100", STRESS])
    assert set(flows["scenario"]) == {"psa=100", STRESS}
    assert flows.dtypes["pool_ending"] == np.float64
    classes = api.class_flows(deal, "psa=100")
    assert classes.dtypes["principal"] == np.float64
    sums = api.deal_summaries(deal, ["psa=100", STRESS])
    assert sums.loc[0, "M-2:writedown"] == 0.0
    m = api.price_class(deal, "A", "psa=100", price="100-00")
    assert set(KEYS) <= set(m)
    table = api.class_price_yield_table(deal, "A", ["psa=100", "psa=300"], ["99-00", "100-00"])
    assert table.shape == (2, 4)
    cdrs = api.class_cdrs(api.deal(SI), "B-4", "psa=150,severity=40,lag=12", price="90-00")
    assert 0 < cdrs["first_dollar_loss_cdr_pct"] < cdrs["breakeven_cdr_pct"] < 100


def test_a_deal_subject_travels_to_a_remote_worker() -> None:
    """A deal subject (its start: the spec, the state, the collateral) pickles, as a Dask
    cluster's workers need, and projects the same after."""
    import pickle

    from remit.project.grid import run_task

    subject = DealSubject(deal_start(SI))
    again = pickle.loads(pickle.dumps(subject))
    scs = [parse_scenario(STRESS)]
    a, b = run_task(subject, scs), run_task(again, scs)
    assert not a.failures and a.summaries == b.summaries


def test_rep_lines_by_hand_for_a_deal(tmp_path: Path) -> None:
    """``--lines`` with DEAL_DIR: the deal's collateral by hand, each loan group's lines
    scaled to its balance; a line of a group the deal does not have is refused."""
    lines = tmp_path / "lines.toml"
    lines.write_text(
        "[[line]]\nbalance = 300000000\nwac = 5.2\nnet = 4.9\nterm = 360\nremaining = 357\n"
        'group = "1"\n'
        "[[line]]\nbalance = 60000000\nwac = 5.0\nnet = 4.7\nterm = 360\nremaining = 300\n"
        'io = 60\ngroup = "1"\n'
        "[[line]]\nbalance = 40000000\nwac = 4.6\nnet = 4.3\nterm = 360\nremaining = 356\n"
        'group = "2"\n'
    )
    out = tmp_path / "p"
    res = CliRunner().invoke(
        app,
        ["project", str(SI), "--lines", str(lines), "--scenario", "psa=150", "--out", str(out)],
    )
    assert res.exit_code == 0, res.output
    coll = pd.read_parquet(out / "collateral.parquet")
    first = coll[coll["month"] == 1].groupby("group")["beginning_balance"].sum()
    assert first["1"] == pytest.approx(362418906.37) and first["2"] == pytest.approx(41884512.09)
    lines.write_text(lines.read_text().replace('group = "2"', 'group = "3"'))
    res = CliRunner().invoke(
        app,
        ["project", str(SI), "--lines", str(lines), "--scenario", "psa=150", "--out", str(out)],
    )
    assert res.exit_code == 2 and "loan groups" in res.stderr


def test_arm_rep_lines_of_the_example_deal(tmp_path: Path) -> None:
    """The example deal's ARM rep lines (examples/thornburg-2003-2/arm-lines.toml): the
    collateral's interest follows the index once the lines reset (the six-month ARMs from
    month 4; nothing resets before), and a bad ARM term is refused with nothing written."""
    lines = OC / "arm-lines.toml"
    out = tmp_path / "p"
    res = CliRunner().invoke(
        app,
        ["project", str(OC), "--lines", str(lines), "--scenario", "psa=100",
         "--scenario", "psa=100,shock=200", "--out", str(out)],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    coll = pd.read_parquet(out / "collateral.parquet")
    by = coll.groupby(["scenario", "month"])["gross_interest"].sum().unstack(0)
    base, up = by["psa=100"], by["psa=100,shock=200"]
    assert (base.loc[1:3] == up.loc[1:3]).all()  # the first reset is in month 4
    assert (up.loc[4:40] > base.loc[4:40]).all()
    bad = tmp_path / "bad.toml"
    bad.write_text(lines.read_text().replace("round_to = 0.125\n", 'round = "half"\n', 1))
    res = CliRunner().invoke(
        app, ["project", str(OC), "--lines", str(bad), "--scenario", "psa=100", "--out",
              str(tmp_path / "q")],
    )  # fmt: skip
    assert res.exit_code == 2 and "line[0].round" in res.stderr
    assert not (tmp_path / "q").exists()
