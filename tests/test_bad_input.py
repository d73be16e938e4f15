"""Bad input ends with a message naming the file, the field path and the value, exit code 2,
and nothing written -- through the command line, as a user meets it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from remit.api import close_date, load_deal
from remit.errors import RemitError
from tests.conftest import EXAMPLE

REM = "remittances/2003-04-25.toml"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from remit.cli import main; main()", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def broken_copy(tmp_path: Path, file: str, old: str, new: str) -> Path:
    deal = tmp_path / "deal"
    shutil.copytree(EXAMPLE, deal)
    path = deal / file
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))
    return deal


CASES = [
    # (file, old text, new text, what the message must name)
    (
        REM,
        "scheduled_interest = 4014259.07\n",
        "",
        ["2003-04-25.toml", "interest.scheduled_interest", "(missing)"],
    ),
    (
        REM,
        "scheduled_interest = 4014259.07",
        'scheduled_interest = "four million"',
        ["2003-04-25.toml", "interest.scheduled_interest", "four million"],
    ),
    (
        REM,
        "scheduled_principal = 267590.95",
        "scheduled_principal = -267590.95",
        ["principal.scheduled_principal", "-267590.95", "a number of at least 0"],
    ),
    (
        REM,
        "unscheduled_principal = 13114080.46",
        "unscheduled_principal = 2000000000.00",
        ["2003-04-25.toml", "principal", "2000267590.95", "no larger than the pool balance"],
    ),
    (
        "deal.toml",
        "closing = 2003-04-03",
        "closing = 2003-02-03",
        ["deal.toml", "dates", "out of order"],
    ),
    (
        "deal.toml",
        'order = [["A"], ["M-1"], ["M-2"]]',
        'order = [["A"], ["M-9"], ["M-2"]]',
        ["deal.toml", "interest.order[1][0]", "M-9", "one of the classes"],
    ),
    (
        "deal.toml",
        "margin = 0.0034",
        'margin = "34bp"',
        ["deal.toml", "classes[0] (A).coupon.margin", "34bp", "a number"],
    ),
    (
        REM,
        "ending_count = 2402",
        "ending_count = 2403",
        ["collateral.ending_count", "2403", "2402 = beginning 2446 - payoffs 44"],
    ),
    (REM, 'deal = "tmst-2003-2"', 'deal = "tmst-2003-3"', ["deal", "tmst-2003-3"]),
    (REM, "[fees]", "[fees]\nbogus_fee = 1.00", ["fees.bogus_fee"]),
    (REM, "one_month_libor = 0.0130", "one_month_libor = [", ["2003-04-25.toml", "valid TOML"]),
]


@pytest.mark.parametrize(("file", "old", "new", "named"), CASES)
def test_bad_input_is_refused_with_a_located_message(
    tmp_path: Path, file: str, old: str, new: str, named: list[str]
) -> None:
    deal = broken_copy(tmp_path, file, old, new)
    out = tmp_path / "out"
    res = run("close", str(deal), "--date", "2003-04-25", "--out", str(out), cwd=tmp_path)
    assert res.returncode == 2, res.stderr
    assert "Traceback" not in res.stderr
    for text in named:
        assert text in res.stderr, (text, res.stderr)
    assert not out.exists()
    check = run("check", str(deal), cwd=tmp_path)
    assert check.returncode == 2 and "Traceback" not in check.stderr


def test_unknown_date_and_missing_deal(tmp_path: Path) -> None:
    res = run(
        "close", str(EXAMPLE), "--date", "2003-04-24", "--out", str(tmp_path / "o"), cwd=tmp_path
    )
    assert res.returncode == 2 and "2003-04-24" in res.stderr
    res = run(
        "close", str(tmp_path / "nowhere"), "--date", "2003-04-25", "--out", "o", cwd=tmp_path
    )
    assert res.returncode == 2 and "nowhere" in res.stderr
    assert not (tmp_path / "o").exists()


FIELDS = [
    "scheduled_interest = 4014259.07",
    "scheduled_principal = 267590.95",
    "unscheduled_principal = 13114080.46",
    "payoffs_count = 44",
    "ending_count = 2402",
    "ending_actual_balance = 1047729532.55",
    "one_month_libor = 0.0130",
    "servicing = 266983.95",
    "master_servicing = 15471.35",
    "prepayment_penalties = 14000.00",
    "distribution_date = 2003-04-25",
    "balance = 8533596.63",
    "count = 24",
    'bucket = "30"',
    'status = "delinquent"',
    "realized_losses = 0.00",
    "compensating_interest = 0.00",
]
VALUES = st.one_of(
    st.integers(-(10**15), 10**15).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=3).map(str),
    st.text(alphabet="abc-_. 0123456789", max_size=8).map(lambda t: f'"{t}"'),
    st.sampled_from(["true", "[]", "{}", "2003-13-01", "1e400", "nan", '"', "0.001"]),
)


@settings(
    max_examples=int(os.environ.get("REMIT_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(field=st.sampled_from(FIELDS), value=VALUES)
def test_fuzzed_remittance_fields_never_escape_as_tracebacks(
    tmp_path: Path, field: str, value: str
) -> None:
    """Any value in any field: either the date closes, or a RemitError names the problem."""
    deal = tmp_path / "fuzz"
    if not deal.exists():
        shutil.copytree(EXAMPLE, deal)
    original = (EXAMPLE / REM).read_text()
    name, _ = field.split(" = ", 1)
    (deal / REM).write_text(original.replace(field, f"{name} = {value}", 1))
    try:
        close_date(load_deal(deal), "2003-04-25")
    except RemitError as exc:
        assert exc.problems and all(str(p) for p in exc.problems)
