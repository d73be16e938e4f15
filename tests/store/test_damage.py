"""Damage is noticed: a close reads the stored period it starts from back whole -- every text
against the sha256 stored beside it, its state, its class rows -- and refuses to build on a
damaged store (exit 2, naming the period and what differs, nothing written). Every command
over a damaged SQLite file (a malformed page, a file that is not a database) ends in a located
message, never an internal error."""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from remit.cli import app
from remit.store.engine import parse_url
from remit.store.integrity import sha256_of
from tests.conftest import GOLDEN
from tests.store.helpers import DEAL_ID, close_n, dump

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    res = runner.invoke(app, list(args))
    return res.exit_code, res.stdout, res.stderr


def execute(url: str, sql: str) -> None:
    engine = create_engine(parse_url(url))
    try:
        with engine.begin() as conn:
            conn.execute(text(sql))
    finally:
        engine.dispose()


DAMAGE: dict[str, tuple[str, str]] = {
    # what is changed in the last stored period -> what the refusal names
    "a balance in its state": (
        "UPDATE periods SET state_json = replace(state_json, '\"1026292228.59\"', "
        "'\"1026292228.60\"') WHERE distribution_date = '2003-04-25'",
        "state_json",
    ),
    "its statement": (
        "UPDATE periods SET statement_text = replace(statement_text, '1,041,984.29', "
        "'1,041,984.28') WHERE distribution_date = '2003-04-25'",
        "statement_text",
    ),
    "its remittance": (
        "UPDATE periods SET remittance_text = remittance_text || ' ' "
        "WHERE distribution_date = '2003-04-25'",
        "remittance_text",
    ),
    "its ledger": (
        "UPDATE periods SET ledger_json = replace(ledger_json, '\"cash\"', '\"memo\"') "
        "WHERE distribution_date = '2003-04-25'",
        "ledger_json",
    ),
    "its spec": ("UPDATE specs SET text = text || '#'", "spec"),
    "a balance in its state, the state's hash erased": (
        "UPDATE periods SET state_json = replace(state_json, '\"1026292228.59\"', "
        "'\"1026292228.60\"'), state_sha256 = NULL WHERE distribution_date = '2003-04-25'",
        "state_json",
    ),
    "its class rows": (
        "DELETE FROM period_classes WHERE class_name = 'M-1' AND period_id = "
        "(SELECT id FROM periods WHERE distribution_date = '2003-04-25')",
        "period_classes",
    ),
}


@pytest.mark.parametrize("what", sorted(DAMAGE))
def test_a_close_refuses_to_build_on_a_damaged_period(
    db_url: str, deal_dir: Path, what: str
) -> None:
    close_n(db_url, deal_dir, 1)
    sql, named = DAMAGE[what]
    execute(db_url, sql)
    before = dump(db_url)
    code, out, err = run("close", str(deal_dir), "--next", "--db", db_url)
    assert code == 2, (code, err)
    assert "tmst-2003-2 2003-04-25 version 1" in err and named in err, err
    assert "the store is damaged" in err and out == ""
    assert dump(db_url) == before


def test_a_state_and_its_rows_changed_alike_is_still_noticed(db_url: str, deal_dir: Path) -> None:
    """Changing the state and the class row together keeps them consistent; the state's hash
    still gives it away."""
    close_n(db_url, deal_dir, 1)
    execute(db_url, DAMAGE["a balance in its state"][0])
    cents = "102629222860" if db_url.startswith("sqlite") else "1026292228.60"
    execute(
        db_url,
        f"UPDATE period_classes SET ending_balance = {cents} WHERE class_name = 'A'",
    )
    code, _, err = run("close", str(deal_dir), "--next", "--db", db_url)
    assert code == 2 and "state_json" in err and "sha256" in err, err


def test_a_restatement_refuses_a_damaged_prior_period(db_url: str, deal_dir: Path) -> None:
    close_n(db_url, deal_dir, 2)
    execute(db_url, DAMAGE["a balance in its state"][0])
    before = dump(db_url)
    code, _, err = run(
        "close", str(deal_dir), "--date", "2003-05-27", "--restate", "--reason", "x", "--db", db_url
    )
    assert code == 2 and "2003-04-25" in err and "damaged" in err, err
    assert dump(db_url) == before


def test_a_state_that_cannot_be_read(db_url: str, deal_dir: Path) -> None:
    close_n(db_url, deal_dir, 1)
    # the hash matches: the text itself is what cannot be read
    bad = "{not json"
    execute(
        db_url,
        f"UPDATE periods SET state_json = '{bad}', state_sha256 = '{sha256_of(bad)}'",
    )
    code, _, err = run("close", str(deal_dir), "--next", "--db", db_url)
    assert code == 2 and "state_json cannot be read" in err, err
    for args in (["show", DEAL_ID, "2003-04-25"], ["history", DEAL_ID], ["deals"]):
        code, _, err = run(*args, "--db", db_url)
        assert code in (0, 2) and "internal error" not in err, (args, err)


COMMANDS: list[Callable[[Path, str], list[str]]] = [
    lambda d, u: ["deals", "--db", u],
    lambda d, u: ["history", DEAL_ID, "--db", u],
    lambda d, u: ["show", DEAL_ID, "2003-04-25", "--db", u],
    lambda d, u: ["close", str(d), "--next", "--db", u, "--quiet"],
    lambda d, u: ["export", DEAL_ID, "--out", str(d.parent / "x"), "--db", u],
    lambda d, u: ["diff", DEAL_ID, "2003-04-25", "--db", u],
    lambda d, u: [
        "import",
        str(GOLDEN / "tmst-2003-2-2003-04-25.8k.txt"),
        "--deal",
        str(d),
        "--db",
        u,
    ],
    lambda d, u: ["filing", DEAL_ID, "2003-04-25", "--db", u],
]


def _store(tmp_path: Path, deal_dir: Path) -> Path:
    path = tmp_path / "remit.db"
    close_n(f"sqlite:///{path}", deal_dir, 2)
    return path


@pytest.mark.parametrize("seed", range(6))
def test_a_malformed_sqlite_page(tmp_path: Path, deal_dir: Path, seed: int) -> None:
    path = _store(tmp_path, deal_dir)
    size = path.stat().st_size
    rng = random.Random(seed)
    page = 4096
    with path.open("r+b") as fh:
        at = rng.randrange(1, size // page) * page
        fh.seek(at)
        fh.write(rng.randbytes(page if seed % 2 else 64))
    for command in COMMANDS:
        code, _, err = run(*command(deal_dir, f"sqlite:///{path}"))
        assert code in (0, 1, 2), (command(deal_dir, ""), code, err)
        assert "internal error" not in err and "Traceback" not in err, err


def test_a_file_that_is_not_a_store(tmp_path: Path, deal_dir: Path) -> None:
    path = tmp_path / "remit.db"
    path.write_bytes(os.urandom(20_000))
    for command in COMMANDS:
        code, _, err = run(*command(deal_dir, f"sqlite:///{path}"))
        assert code == 2, (command(deal_dir, ""), code, err)
        assert "(store): --db: found" in err and "reads back whole" in err, err
