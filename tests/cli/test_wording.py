"""The use cases name a refused argument by its parameter and a remedy in their own terms;
the command line words both as a user types them: ``(command line)``, its options, and the
command that would be accepted."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from remit.cli import app
from remit.cli.errors import worded
from remit.errors import REQUEST, Problem
from tests.store.conftest import deal_dir  # noqa: F401  (fixture)
from tests.store.helpers import amend_penalties

runner = CliRunner()


def refused(*args: str) -> str:
    res = runner.invoke(app, list(args))
    assert res.exit_code == 2, (res.exit_code, res.stdout, res.stderr)
    assert res.stderr.startswith("error: ") and res.stdout == ""
    return res.stderr


def ok(*args: str) -> None:
    res = runner.invoke(app, list(args))
    assert res.exit_code == 0, (res.exit_code, res.stdout, res.stderr)


def test_arguments_are_worded_as_options() -> None:
    assert str(worded(Problem(REQUEST, "reason", "x", "y"))) == (
        "(command line): --reason: found 'x'; expected y"
    )
    assert (
        str(worded(Problem("(store)", "url", "u", "v"))) == "(store): --db: found 'u'; expected v"
    )
    assert (
        str(worded(Problem("deal.toml", "reason", 1, "z")))
        == "deal.toml: reason: found 1; expected z"
    )


def test_a_closed_date_and_a_stale_one_are_refused_with_the_command_that_would_do(
    deal_dir: Path,  # noqa: F811
    tmp_path: Path,
) -> None:
    db = f"sqlite:///{tmp_path / 'remit.db'}"
    for _ in range(3):
        ok("close", str(deal_dir), "--next", "--quiet", "--db", db)
    err = refused("close", str(deal_dir), "--date", "2003-04-25", "--db", db)
    assert err.startswith("error: (command line): date: found '2003-04-25'; expected a date of")
    assert err.rstrip().endswith("to restate it give --restate --reason")
    err = refused("close", str(deal_dir), "--date", "2003-04-25", "--reason", "x", "--db", db)
    assert err.startswith("error: (command line): --reason: found 'x'")
    err = refused("close", str(deal_dir), "--date", "2003-04-25", "--restate", "--db", db)
    assert err.startswith("error: (command line): --reason: found '(missing)'")
    amend_penalties(deal_dir, "2003-04-25")
    ok(
        "close",
        str(deal_dir),
        "--date",
        "2003-04-25",
        "--restate",
        "--reason",
        "r",
        "--quiet",
        "--db",
        db,
    )
    err = refused("close", str(deal_dir), "--next", "--db", db)
    assert "2003-05-27 of tmst-2003-2 closed again first: it is stale after a restatement" in err
    assert f"remit close {deal_dir} --date 2003-05-27 --restate --reason ..." in err
    err = refused(
        "close", str(deal_dir), "--date", "2003-06-25", "--restate", "--reason", "r", "--db", db
    )
    assert "2003-05-27 of tmst-2003-2 closed again first" in err
    assert "--date 2003-05-27 --restate" in err


def test_an_unreachable_store_names_the_db_option(deal_dir: Path, tmp_path: Path) -> None:  # noqa: F811
    url = f"sqlite:///{tmp_path / 'no-such-dir' / 'remit.db'}"
    err = refused("history", "tmst-2003-2", "--db", url)
    assert err.startswith(f"error: (store): --db: found '{url}'")
    err = refused("close", str(deal_dir), "--next", "--db", url)
    assert err.startswith(f"error: (store): --db: found '{url}'")
