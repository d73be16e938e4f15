"""Bad input through the command line: an unknown deal or date, a database that cannot be
reached, a store written by a newer remit -- a clear message, exit code 2, nothing changed."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from remit.cli import app
from remit.store.engine import parse_url
from tests.store.helpers import close_n, dump

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    res = runner.invoke(app, list(args))
    return res.exit_code, res.stdout, res.stderr


def refused(url: str, args: list[str], *needles: str) -> None:
    before = dump(url)
    code, out, err = run(*args)
    assert code == 2, (code, out, err)
    assert err.startswith("error: ")
    for n in needles:
        assert n in err, err
    assert dump(url) == before


def test_unknown_deal_or_date(db_url: str, deal_dir: Path) -> None:
    close_n(db_url, deal_dir, 2)
    refused(
        db_url, ["history", "no-such-deal", "--db", db_url], "found 'no-such-deal'", "tmst-2003-2"
    )
    refused(db_url, ["show", "no-such-deal", "2003-04-25", "--db", db_url], "no-such-deal")
    refused(db_url, ["show", "tmst-2003-2", "2003-06-25", "--db", db_url], "2003-04-25, 2003-05-27")
    refused(db_url, ["show", "tmst-2003-2", "25/04/2003", "--db", db_url], "YYYY-MM-DD")
    refused(db_url, ["show", "tmst-2003-2", "2003-04-25", "--version", "3", "--db", db_url], "[1]")
    refused(db_url, ["export", "nope", "--out", str(deal_dir / "x"), "--db", db_url], "nope")
    # A date the deal directory has no remittance for, a date out of sequence, no directory.
    (deal_dir / "remittances" / "2003-06-25.toml").unlink()
    refused(
        db_url,
        ["close", str(deal_dir), "--next", "--db", db_url],
        "2003-06-25",
        "the servicer's remittance for 2003-06-25",
    )
    refused(db_url, ["close", str(deal_dir), "--date", "2003-09-25", "--db", db_url], "sequence")
    refused(db_url, ["close", str(deal_dir / "nope"), "--next", "--db", db_url], "deal directory")
    refused(
        db_url,
        ["close", str(deal_dir), "--date", "2003-04-25", "--next", "--db", db_url],
        "not both",
    )
    assert not (deal_dir / "x").exists()


def test_a_bad_remittance_writes_nothing(db_url: str, deal_dir: Path) -> None:
    close_n(db_url, deal_dir, 1)
    rem = deal_dir / "remittances" / "2003-05-27.toml"
    rem.write_text(rem.read_text().replace("beginning_count = 2402", "beginning_count = 2401"))
    refused(db_url, ["close", str(deal_dir), "--next", "--db", db_url], "beginning_count", "2402")


def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = int(s.getsockname()[1])
    s.close()
    return port


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql://nobody@127.0.0.1:{_closed_port()}/nodb",
        "sqlite:////nonexistent-dir/remit.db",
        "mysql://x@localhost/db",
        "sqlite+nodriver:///remit.db",
        "postgresql+psycopg://nobody@[::1/nodb",
    ],
)
def test_unreachable_database(url: str, deal_dir: Path, tmp_path: Path) -> None:
    for args in (["deals"], ["history", "tmst-2003-2"], ["close", str(deal_dir), "--next"]):
        code, out, err = run(*args, "--db", url)
        assert code == 2, (args, code, err)
        assert err.startswith("error: (store): --db: found ") and out == ""


def test_missing_sqlite_store_is_not_created_by_reading(tmp_path: Path) -> None:
    path = tmp_path / "none.db"
    code, _, err = run("history", "tmst-2003-2", "--db", f"sqlite:///{path}")
    assert code == 2 and "an existing store" in err
    assert not path.exists()


def test_store_written_by_a_newer_remit(db_url: str, deal_dir: Path) -> None:
    close_n(db_url, deal_dir, 1)
    engine = create_engine(parse_url(db_url))
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    engine.dispose()
    for args in (
        ["deals"],
        ["history", "tmst-2003-2"],
        ["show", "tmst-2003-2", "2003-04-25"],
        ["close", str(deal_dir), "--next"],
    ):
        refused(db_url, [*args, "--db", db_url], "9999_future", "newer remit")
