"""Inputs beyond what remit reads are refused with a located message and exit code 2 -- never an
internal error (exit 70): deeply nested TOML, numbers too large or too long, over-long strings,
over-large files, numbers in a statement with more digits than any real one (the limits are
listed in :mod:`remit.limits` and the README)."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from remit.cli import app
from remit.limits import MAX_INPUT_BYTES, MAX_STRING
from tests.conftest import EXAMPLE, GOLDEN

REM = "remittances/2003-04-25.toml"
REFERENCE = GOLDEN / "tmst-2003-2-2003-04-25.8k.txt"
runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    res = runner.invoke(app, list(args))
    return res.exit_code, res.stdout, res.stderr


def refused(args: list[str], *needles: str) -> str:
    code, out, err = run(*args)
    assert code == 2, (code, out[-500:], err[-2000:])
    assert "internal error" not in err and "Traceback" not in err
    for n in needles:
        assert n in err, (n, err[-2000:])
    return err


def copy(tmp_path: Path) -> Path:
    deal = tmp_path / "deal"
    shutil.copytree(EXAMPLE, deal)
    return deal


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def test_deeply_nested_toml_in_a_spec_or_a_remittance(tmp_path: Path) -> None:
    deal = copy(tmp_path)
    # deeper than Python's recursion limit: the TOML parser itself gives up
    with (deal / "deal.toml").open("a") as fh:
        fh.write("\n[zzz]\ndeep = " + "[" * 50_000 + "]" * 50_000 + "\n")
    refused(["check", str(deal)], "deal.toml", "nested at most")
    # deep, but within what the parser takes: the limit names the field
    deal2 = copy(tmp_path / "b")
    with (deal2 / REM).open("a") as fh:
        fh.write("\n[zzz]\ndeep = " + "[" * 100 + "]" * 100 + "\n")
    refused(
        ["close", str(deal2), "--date", "2003-04-25", "--no-store"],
        "2003-04-25.toml",
        "zzz.deep",
        "nested at most 32 deep",
    )


def test_a_denomination_of_1e308(tmp_path: Path) -> None:
    deal = copy(tmp_path)
    spec = deal / "deal.toml"
    spec.write_text(re.sub(r"(?m)^denomination = .*$", "denomination = 1e308", spec.read_text()))
    refused(["check", str(deal)], "deal.toml", "classes[0].denomination", "below 10^15")
    refused(
        ["close", str(deal), "--next", "--db", f"sqlite:///{tmp_path / 'r.db'}"],
        "classes[0].denomination",
    )
    assert not (tmp_path / "r.db").exists()


@pytest.mark.parametrize(
    ("old", "new", "path"),
    [
        (
            "scheduled_interest = 4014259.07",
            "scheduled_interest = 1234567890123456789012.07",
            "interest.scheduled_interest",
        ),
        ("ending_count = 2402", "ending_count = 123456789012345678901234567", "ending_count"),
        (
            "scheduled_interest = 4014259.07",
            "scheduled_interest = 4014259.0700000000000000000000000001",
            "interest.scheduled_interest",
        ),
    ],
)
def test_numbers_beyond_what_money_needs(tmp_path: Path, old: str, new: str, path: str) -> None:
    deal = copy(tmp_path)
    edit(deal / REM, old, new)
    refused(["close", str(deal), "--date", "2003-04-25", "--no-store"], "2003-04-25.toml", path)


def test_an_over_long_basis_is_refused_by_its_documented_limit(tmp_path: Path) -> None:
    deal = copy(tmp_path)
    spec = deal / "deal.toml"
    text = spec.read_text()
    first = re.search(r'(?m)^basis = "[^"]*"$', text)
    assert first is not None
    long = "x" * (MAX_STRING + 1)
    spec.write_text(text[: first.start()] + f'basis = "{long}"' + text[first.end() :])
    refused(["check", str(deal)], "deal.toml", "basis", f"at most {MAX_STRING:,d} characters")


def test_a_100_mb_basis_is_refused_by_the_file_size_limit(tmp_path: Path) -> None:
    deal = copy(tmp_path)
    spec = deal / "deal.toml"
    text = spec.read_text()
    first = re.search(r'(?m)^basis = "[^"]*"$', text)
    assert first is not None
    with spec.open("w") as fh:
        fh.write(text[: first.start()] + 'basis = "')
        chunk = "x" * 2**20
        for _ in range(100):
            fh.write(chunk)
        fh.write('"' + text[first.end() :])
    assert spec.stat().st_size > 100 * 2**20
    refused(["check", str(deal)], "deal.toml", f"at most {MAX_INPUT_BYTES // 2**20} MiB")


def _statement_with(tmp_path: Path, old: str, new: str) -> Path:
    text = REFERENCE.read_text()
    assert old in text
    out = tmp_path / "statement.txt"
    out.write_text(text.replace(old, new, 1))
    return out


@pytest.mark.parametrize("digits", [22, 30, 60])
def test_numbers_with_22_or_more_digits_in_a_statement(tmp_path: Path, digits: int) -> None:
    big = f"{int('9' * (digits - 2)):,d}.00"
    path = _statement_with(tmp_path, "1,039,673,900.00", big)
    err = refused(["verify", str(path)], "statement.txt", "digits")
    assert re.search(r"line \d+", err), err
    db = tmp_path / "s.db"
    refused(["import", str(path), "--deal", str(EXAMPLE), "--db", f"sqlite:///{db}"], "digits")
    assert not db.exists()


def test_a_statement_number_just_within_the_limit_reads(tmp_path: Path) -> None:
    """15 digits before the point: still a number remit reads (an inconsistent one here)."""
    path = _statement_with(tmp_path, "1,039,673,900.00", "999,999,999,999,999.00")
    code, _, err = run("verify", str(path))
    assert code == 1, err


def test_a_trillion_dollar_deal_closes_into_sqlite(tmp_path: Path) -> None:
    """Every amount of the example deal and its first remittance times 1,000: the pool is
    about $1.06 trillion. It closes, is stored exactly and exports."""
    deal = copy(tmp_path)
    # amounts (1.00 and up; fractions such as rates, caps and shares are left alone)
    money = re.compile(r"(?m)^((?![a-z_]*pct)[a-z_]+ *= *)([1-9]\d*\.\d\d)$")
    for p in (deal / "deal.toml", deal / REM):
        p.write_text(
            money.sub(lambda m: m.group(1) + f"{Decimal(m.group(2)) * 1000:f}", p.read_text())
        )
    db = f"sqlite:///{tmp_path / 'big.db'}"
    code, out, err = run("close", str(deal), "--next", "--db", db, "--quiet")
    assert code == 0, err
    code, out, err = run("history", "tmst-2003-2", "--db", db, "--format", "csv")
    assert code == 0 and "1047510098260.00" in out, (err, out[:400])
    code, _, err = run("export", "tmst-2003-2", "--db", db, "--out", str(tmp_path / "x"))
    assert code == 0, err
