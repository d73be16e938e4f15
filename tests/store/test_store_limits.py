"""What the store keeps must fit it, on both backends, and the store keeps its secrets:

* an over-long deal id or user name, a class added or renamed in a deal with stored periods:
  a located message, exit 2, nothing written (PostgreSQL once answered with an internal
  error, and a renamed class with a KeyError);
* a store URL is never echoed with its password (messages, --help);
* a writer waits for the deal's lock at most ``$REMIT_LOCK_TIMEOUT`` seconds (default 60),
  then exits 2 with nothing written;
* a sqlite URL's options are honoured (``timeout``) or refused."""

from __future__ import annotations

import re
import socket
import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from remit.cli import COMMANDS, app
from remit.limits import MAX_DEAL_ID, MAX_USER
from remit.store.engine import lock_key, parse_url, sqlite_timeout
from tests.conftest import GOLDEN
from tests.store.helpers import DEAL_ID, close_n, dump

runner = CliRunner()


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    res = runner.invoke(app, list(args), env=env)
    return res.exit_code, res.stdout, res.stderr


def _rename_deal(deal_dir: Path, new_id: str) -> None:
    for p in [deal_dir / "deal.toml", *(deal_dir / "remittances").glob("*.toml")]:
        t = p.read_text()
        p.write_text(t.replace(f'"{DEAL_ID}"', f'"{new_id}"'))


def test_an_over_long_deal_id(db_url: str, deal_dir: Path) -> None:
    close_n(db_url, deal_dir, 1)
    before = dump(db_url)
    long_id = "a" * (MAX_DEAL_ID + 1)
    _rename_deal(deal_dir, long_id)
    code, _, err = run("close", str(deal_dir), "--next", "--db", db_url)
    assert code == 2, err
    assert "deal.toml: deal.id" in err and f"at most {MAX_DEAL_ID} characters" in err, err
    assert dump(db_url) == before


def test_a_deal_id_at_the_limit_is_stored(db_url: str, deal_dir: Path) -> None:
    _rename_deal(deal_dir, "a" * MAX_DEAL_ID)
    code, _, err = run("close", str(deal_dir), "--next", "--db", db_url, "--quiet")
    assert code == 0, err


def test_an_over_long_user_name(db_url: str, deal_dir: Path) -> None:
    close_n(db_url, deal_dir, 1)
    before = dump(db_url)
    name = "u" * (MAX_USER + 1)
    code, _, err = run(
        "close", str(deal_dir), "--next", "--db", db_url, env={"LOGNAME": name, "USER": name}
    )
    assert code == 2, err
    assert "(environment): user" in err and f"at most {MAX_USER} characters" in err, err
    assert dump(db_url) == before
    reference = GOLDEN / "tmst-2003-2-2003-04-25.8k.txt"
    code, _, err = run(
        "import", str(reference), "--deal", str(deal_dir), "--db", db_url,
        env={"LOGNAME": name, "USER": name},
    )  # fmt: skip
    assert code == 2 and "(environment): user" in err, err
    assert dump(db_url) == before


def _class_renamed(deal_dir: Path) -> None:
    spec = deal_dir / "deal.toml"
    spec.write_text(spec.read_text().replace('"M-2"', '"M-3"'))


def _class_added(deal_dir: Path) -> None:
    spec = deal_dir / "deal.toml"
    t = spec.read_text()
    block = t[t.index('[[classes]]\nname = "R-2"') : t.index("[[fees]]")]
    spec.write_text(t.replace("[[fees]]", block.replace('"R-2"', '"R-3"') + "[[fees]]", 1))


@pytest.mark.parametrize("change", [_class_renamed, _class_added])
def test_a_class_changed_in_a_deal_with_stored_periods(
    db_url: str, deal_dir: Path, change: object
) -> None:
    close_n(db_url, deal_dir, 1)
    before = dump(db_url)
    change(deal_dir)  # type: ignore[operator]
    code, _, err = run("check", str(deal_dir))
    if code == 0:  # the spec is valid on its own: the store refuses it
        code, _, err = run("close", str(deal_dir), "--next", "--db", db_url)
        assert code == 2, err
        assert "deal.toml: classes" in err and "A, M-1, M-2, B-IO, R-1, R-2" in err, err
        assert "do not change once a period is stored" in err
    assert code == 2 and "internal error" not in err, err
    assert dump(db_url) == before


SECRET = "s3cr3t-Pa55"


def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = int(s.getsockname()[1])
    s.close()
    return port


@pytest.mark.parametrize(
    "url",
    [
        f"postgresql://remit:{SECRET}@127.0.0.1:{_closed_port()}/nodb",
        f"postgresql://remit:{SECRET}@[::1/nodb",
        f"postgresql://remit:{SECRET}@host:notaport/db",
        f"mysql://remit:{SECRET}@localhost/db",
        f"postgresql+nodriver://remit:{SECRET}@localhost/db",
    ],
)
def test_a_store_url_is_never_echoed_with_its_password(url: str, deal_dir: Path) -> None:
    for args in (
        ["deals", "--db", url],
        ["history", DEAL_ID, "--db", url],
        ["close", str(deal_dir), "--next", "--db", url],
        ["export", DEAL_ID, "--out", str(deal_dir.parent / "x"), "--db", url],
        ["deals"],
    ):
        code, out, err = run(*args, env={"REMIT_DB": url})
        assert code == 2, (args, err)
        assert SECRET not in out + err, (args, err)
        assert "***" in err or "remit@" in err, err


def test_help_never_shows_a_password() -> None:
    url = f"postgresql://remit:{SECRET}@db.example/remit"
    env = {"REMIT_DB": url, "REMIT_WEB_TOKEN": SECRET}
    code, out, err = run("--help", env=env)
    assert code == 0 and SECRET not in out + err
    for name in COMMANDS:
        code, out, err = run(*name.split(), "--help", env=env)
        assert code == 0 and SECRET not in out + err, name
    code, out, err = run("tape", "generate", "--help", env=env)
    assert code == 0 and SECRET not in out + err


def _hold_lock(db_url: str, ready: threading.Event, done: threading.Event) -> None:
    """Hold the deal's write lock (SQLite's, or the deal's advisory lock) until ``done``."""
    engine = create_engine(parse_url(db_url))
    try:
        with engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            else:
                conn.execute(text("BEGIN"))
                conn.execute(
                    text("SELECT pg_advisory_xact_lock(:k)"), {"k": lock_key(f"deal:{DEAL_ID}")}
                )
            ready.set()
            done.wait(120)
            conn.rollback()
    finally:
        engine.dispose()


def test_a_writer_waits_for_the_lock_at_most_the_lock_timeout(db_url: str, deal_dir: Path) -> None:
    close_n(db_url, deal_dir, 1)
    before = dump(db_url)
    ready, done = threading.Event(), threading.Event()
    holder = threading.Thread(target=_hold_lock, args=(db_url, ready, done))
    holder.start()
    try:
        assert ready.wait(60)
        code, _, err = run(
            "close", str(deal_dir), "--next", "--db", db_url, env={"REMIT_LOCK_TIMEOUT": "0.5"}
        )
    finally:
        done.set()
        holder.join(60)
    assert code == 2, err
    assert "busy" in err and "within 0.5 s" in err and "REMIT_LOCK_TIMEOUT" in err, err
    assert dump(db_url) == before
    # with the lock free, the same close goes through
    code, _, err = run("close", str(deal_dir), "--next", "--db", db_url, "--quiet")
    assert code == 0, err


@pytest.mark.parametrize("value", ["soon", "-1", "1e9"])
def test_a_bad_lock_timeout_is_refused(db_url: str, deal_dir: Path, value: str) -> None:
    code, _, err = run(
        "close", str(deal_dir), "--next", "--db", db_url, env={"REMIT_LOCK_TIMEOUT": value}
    )
    assert code == 2 and "(environment): REMIT_LOCK_TIMEOUT" in err, err


def test_sqlite_url_options_are_honoured_or_refused(tmp_path: Path, deal_dir: Path) -> None:
    path = tmp_path / "remit.db"
    assert sqlite_timeout(parse_url(f"sqlite:///{path}?timeout=2.5")) == 2.5
    assert sqlite_timeout(parse_url(f"sqlite:///{path}")) == 60
    code, _, err = run(
        "close", str(deal_dir), "--next", "--db", f"sqlite:///{path}?timeout=5", "--quiet"
    )
    assert code == 0, err
    for bad in ("mode=ro", "uri=true", "timeout=5&cache=shared", "foo=bar"):
        code, _, err = run("deals", "--db", f"sqlite:///{path}?{bad}")
        assert code == 2, (bad, err)
        assert "remit honours only ?timeout=SECONDS" in err, err
    code, _, err = run("deals", "--db", f"sqlite:///{path}?timeout=never")
    assert code == 2 and re.search(r"--db: found .*; expected .*timeout.* not 'never'", err), err
