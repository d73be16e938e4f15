"""The store commands: close into the store (``remit close``), list, history in three
formats, show a stored statement as filed, export exact Parquet time series."""

from __future__ import annotations

import csv
import io
import itertools
import json
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from remit.cli import app
from remit.store import Store
from tests.store.helpers import DEAL_ID

runner = CliRunner()


def ok(*args: str) -> tuple[str, str]:
    res = runner.invoke(app, list(args))
    assert res.exit_code == 0, (res.exit_code, res.stdout, res.stderr)
    return res.stdout, res.stderr


def test_commands_over_a_year(db_url: str, deal_dir: Path, tmp_path: Path) -> None:
    for _ in range(12):
        _, err = ok("close", str(deal_dir), "--next", "--quiet", "--db", db_url)
        assert err.startswith("stored tmst-2003-2 ")
    _, err = ok(
        "close",
        str(deal_dir),
        "--quiet",
        "--date",
        "2004-03-25",
        "--restate",
        "--reason",
        "typo",
        "--force",
        "--db",
        db_url,
    )
    assert "version 2 (amended)" in err
    out, _ = ok("deals", "--db", db_url)
    assert "tmst-2003-2" in out and " 12 " in out and " 13 " in out

    out, _ = ok("history", DEAL_ID, "--db", db_url)
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["Date", "V", "Pool"] and len(lines) == 2 + 13
    assert lines[-1].startswith("2004-03-25  2") and " A " in f" {lines[-1]} "

    data = json.loads(ok("history", DEAL_ID, "--format", "json", "--db", db_url)[0])
    assert len(data) == 13
    for a, b in itertools.pairwise(data[:12]):
        assert a["pool"]["ending_balance"] == b["pool"]["beginning_balance"]
    feb = next(r for r in data if r["distribution_date"] == "2004-02-25")
    assert feb["pool"]["realized_losses"] == "32345.67"

    rows = list(
        csv.DictReader(io.StringIO(ok("history", DEAL_ID, "--format", "csv", "--db", db_url)[0]))
    )
    assert len(rows) == 13 and rows[0]["A_factor"] == "0.98712897"
    assert rows[-1]["amended"] == "True" and rows[-2]["current"] == "False"

    with Store.open(db_url) as store:
        stored = store.period(DEAL_ID, "2003-04-25")
        v1 = store.period(DEAL_ID, "2004-03-25", version=1)
    out, err = ok("show", DEAL_ID, "2003-04-25", "--db", db_url)
    assert out == stored.statement_text and "version 1" in err
    out, err = ok(
        "show", DEAL_ID, "2004-03-25", "--version", "1", "--format", "json", "--db", db_url
    )
    assert out == v1.statement_json and "superseded" in err

    _, err = ok("export", DEAL_ID, "--out", str(tmp_path / "ex"), "--db", db_url)
    pool = pq.read_table(tmp_path / "ex" / "pool.parquet").to_pylist()
    classes = pq.read_table(tmp_path / "ex" / "classes.parquet").to_pylist()
    assert len(pool) == 12 and pool[-1]["version"] == 2
    assert pool[0]["ending_balance"] == Decimal("1047510098.26")
    a = [r for r in classes if r["class"] == "A"]
    assert len(a) == 12 and a[0]["factor"] == Decimal("0.98712897")
    assert sum(
        r["ending_balance"] for r in classes if str(r["distribution_date"]) == "2003-04-25"
    ) == Decimal("1047510098.26")


def test_default_store_is_remit_db_here_or_remit_db_env(
    deal_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("REMIT_DB", raising=False)
    ok("close", str(deal_dir), "--next")
    assert (tmp_path / "remit.db").is_file()
    other = tmp_path / "other.db"
    monkeypatch.setenv("REMIT_DB", str(other))  # a plain path is a SQLite file
    _, err = ok("close", str(deal_dir), "--next")
    assert "2003-04-25 version 1" in err and other.is_file()
    out, _ = ok("deals", "--db", f"sqlite:///{tmp_path / 'remit.db'}")
    assert " 1 " in out
