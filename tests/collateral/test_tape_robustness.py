"""Tapes that are not what a tape should be are refused with a located message and exit code
2 -- never an internal error: bytes that are not UTF-8 in a CSV file, a column named twice in
its header, a loan tape without loans, integers beyond 2^53 (or beyond a 32-bit count) in a
Parquet file; and ``remit tape generate`` refuses absurd --months and --loans."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]
import pytest
from typer.testing import CliRunner

from remit.cli import app
from remit.limits import MAX_LOANS, MAX_MONTHS

from .paths import EXAMPLE

runner = CliRunner()
DATE = "2003-04-25"


def run(*args: str) -> tuple[int, str, str]:
    res = runner.invoke(app, list(args))
    return res.exit_code, res.stdout, res.stderr


@pytest.fixture(scope="module")
def tapes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("tapes")
    out = {}
    for fmt in ("csv", "parquet"):
        code, _, err = run(
            "tape", "generate", str(EXAMPLE), "--out", str(root / fmt), "--loans", "40",
            "--format", fmt,
        )  # fmt: skip
        assert code == 0, err
        out[fmt] = root / fmt
    return out


def collect(tape: Path, tmp_path: Path) -> tuple[int, str]:
    out = tmp_path / "rem.toml"
    code, _, err = run(
        "collect", str(EXAMPLE), "--tape", str(tape), "--date", DATE, "--out", str(out)
    )
    assert "internal error" not in err and "Traceback" not in err, err
    if code != 0:
        assert not out.exists()
    return code, err


def copy(tapes: dict[str, Path], fmt: str, tmp_path: Path) -> Path:
    dest = tmp_path / "tape"
    shutil.copytree(tapes[fmt], dest)
    return dest


@pytest.mark.parametrize("file", ["loans.csv", "activity/2003-04-25.csv", "indices.csv"])
@pytest.mark.parametrize("where", ["header", "body"])
def test_invalid_utf8_in_a_csv_file(
    tapes: dict[str, Path], tmp_path: Path, file: str, where: str
) -> None:
    tape = copy(tapes, "csv", tmp_path)
    path = tape / file
    data = path.read_bytes()
    cut = data.index(b"\n") + 1 if where == "body" else 5
    path.write_bytes(data[:cut] + b"\xff\xfe\x80" + data[cut:])
    code, err = collect(tape, tmp_path)
    assert code == 2, err
    assert file.split("/")[-1] in err and "UTF-8" in err, err


def test_a_column_named_twice(tapes: dict[str, Path], tmp_path: Path) -> None:
    tape = copy(tapes, "csv", tmp_path)
    path = tape / "loans.csv"
    header, rest = path.read_text().split("\n", 1)
    path.write_text(header.replace('"deal_product"', '"product_type"') + "\n" + rest)
    code, err = collect(tape, tmp_path)
    assert code == 2 and "loans.csv: product_type" in err and "once" in err, err


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_loan_tape_without_loans(tapes: dict[str, Path], tmp_path: Path, fmt: str) -> None:
    tape = copy(tapes, fmt, tmp_path)
    path = tape / f"loans.{fmt}"
    if fmt == "csv":
        path.write_text(path.read_text().split("\n", 1)[0] + "\n")
    else:
        pq.write_table(pq.read_table(path).slice(0, 0), path)
    code, err = collect(tape, tmp_path)
    assert code == 2 and f"loans.{fmt}" in err and "at least one loan" in err, err


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("original_loan_term", 2**53 + 1, "original_loan_term"),
        ("current_principal_balance", 2**62, "current_principal_balance"),
        ("original_interest_only_term", 2**40, "original_interest_only_term"),
        ("original_loan_term", -(2**63), "original_loan_term"),
    ],
)
def test_integers_beyond_what_a_column_holds(
    tapes: dict[str, Path], tmp_path: Path, column: str, value: int, expected: str
) -> None:
    tape = copy(tapes, "parquet", tmp_path)
    path = tape / "loans.parquet"
    table = pq.read_table(path)
    i = table.schema.get_field_index(column)
    big = pa.array([value] * table.num_rows, pa.int64())
    pq.write_table(table.set_column(i, column, big), path)
    code, err = collect(tape, tmp_path)
    assert code == 2 and f"loans.parquet, row 1: {expected}" in err, err


def test_an_unsigned_column_beyond_int64(tapes: dict[str, Path], tmp_path: Path) -> None:
    tape = copy(tapes, "parquet", tmp_path)
    path = tape / "loans.parquet"
    table = pq.read_table(path)
    i = table.schema.get_field_index("original_loan_term")
    big = pa.array([2**64 - 1] * table.num_rows, pa.uint64())
    pq.write_table(table.set_column(i, "original_loan_term", big), path)
    code, err = collect(tape, tmp_path)
    assert code == 2 and "original_loan_term" in err, err


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--months", str(MAX_MONTHS + 1)),
        ("--months", "100000"),
        ("--loans", str(MAX_LOANS + 1)),
        ("--loans", "10000000000"),
        ("--loans", "99999999999999999999"),
        ("--months", "-1"),
        ("--loans", "0"),
    ],
)
def test_absurd_months_and_loans(tmp_path: Path, option: str, value: str) -> None:
    out = tmp_path / "tape"
    code, _, err = run("tape", "generate", str(EXAMPLE), "--out", str(out), option, value)
    assert code == 2, err
    assert option in err and "internal error" not in err, err
    assert not out.exists()
