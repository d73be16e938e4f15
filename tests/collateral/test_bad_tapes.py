"""Bad tapes are refused with every offending row and field (the first 50), exit code 2."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from remit.api import Deal
from remit.cli.collateral import register
from remit.collateral import collect
from remit.errors import RemitError

from .helpers import loan, write_csv, write_tape
from .paths import EXAMPLE

APR = date(2003, 4, 25)


def problems(exc: pytest.ExceptionInfo[RemitError]) -> set[tuple[str, int | None]]:
    return {(p.path, p.row) for p in exc.value.problems}


def test_missing_columns_wrong_types_duplicates_negative_rates(
    example_deal: Deal, tmp_path: Path
) -> None:
    rows = [
        loan("L1"),
        loan("L2", current_principal_balance="12x.00"),  # wrong type
        loan("L1"),  # duplicate id
        loan("L4", current_interest_rate="-0.01"),  # negative rate
        loan("L5", first_payment_date="2003-13-01", original_loan_term="thirty"),
        loan("L6", current_principal_balance="100.001", product_type="balloon"),
    ]
    for r in rows:
        del r["master_servicing_fee_rate"]  # a missing column
    root = write_tape(tmp_path, rows, {APR: [{"asset_number": "L1"}]})
    with pytest.raises(RemitError) as exc:
        collect(example_deal.spec, root, APR)
    assert problems(exc) == {
        ("master_servicing_fee_rate", None),
        ("current_principal_balance", 2),
        ("asset_number", 3),
        ("current_interest_rate", 4),
        ("first_payment_date", 5),
        ("original_loan_term", 5),
        ("current_principal_balance", 6),
        ("product_type", 6),
    }
    neg = next(p for p in exc.value.problems if p.path == "current_interest_rate")
    assert neg.value == "-0.01" and "0 or more" in neg.expected
    assert all(p.file.endswith("loans.csv") for p in exc.value.problems)


def test_activity_for_unknown_loans_and_payoffs_larger_than_the_balance(
    example_deal: Deal, tmp_path: Path
) -> None:
    act = [
        {"asset_number": "L1", "next_due_date": "2003-04-01"},
        {"asset_number": "ZZ9", "next_due_date": "2003-04-01"},
        {
            "asset_number": "L2",
            "zero_balance_code": 1,
            "zero_balance_effective_date": "2003-03-05",
            "payoff_amount": "100000.01",
        },
        {"asset_number": "L3", "next_due_date": "2003-04-01", "curtailment_amount": "99990.00"},
    ]
    root = write_tape(tmp_path, [loan("L1"), loan("L2"), loan("L3"), loan("L4")], {APR: act})
    with pytest.raises(RemitError) as exc:
        collect(example_deal.spec, root, APR)
    assert problems(exc) == {
        ("asset_number", 2),  # unknown loan
        ("payoff_amount", 3),  # larger than the balance
        ("asset_number", None),  # L4 has no row
    }
    missing = next(p for p in exc.value.problems if p.row is None)
    assert missing.value == "L4"
    # with the activity otherwise right, the curtailment beyond the balance is caught
    act = [
        act[0],
        act[3],
        {"asset_number": "L2", "next_due_date": "2003-04-01"},
        {"asset_number": "L4", "next_due_date": "2003-04-01"},
    ]
    write_csv(root / "activity" / "2003-04-25.csv", act)
    with pytest.raises(RemitError) as exc:
        collect(example_deal.spec, root, APR)
    assert problems(exc) == {("curtailment_amount", 2)}


def test_first_fifty_listed_and_the_rest_counted(example_deal: Deal, tmp_path: Path) -> None:
    rows = [loan(f"L{i}", current_interest_rate="-0.05") for i in range(80)]
    root = write_tape(tmp_path, rows, {})
    with pytest.raises(RemitError) as exc:
        collect(example_deal.spec, root, APR)
    listed = [p for p in exc.value.problems if p.row is not None]
    assert [p.row for p in listed] == list(range(1, 51))
    assert exc.value.problems[-1].value == "30 more"


def test_cli_exit_code_2_and_nothing_written(tmp_path: Path) -> None:
    app = typer.Typer()
    register(app)
    runner = CliRunner()
    tape = tmp_path / "tape"
    ok = runner.invoke(
        app,
        [
            "tape",
            "generate",
            str(EXAMPLE),
            "--out",
            str(tape),
            "--loans",
            "50",
            "--months",
            "1",
            "--seed",
            "5",
        ],
    )
    assert ok.exit_code == 0, ok.output
    (tape / "loans.parquet").unlink()
    write_tape(tape, [{**loan("L1"), "current_interest_rate": "-1"}], {})
    out = tmp_path / "out" / "remittance.toml"
    bad = runner.invoke(
        app,
        ["collect", str(EXAMPLE), "--tape", str(tape), "--date", "2003-04-25", "--out", str(out)],
    )
    assert bad.exit_code == 2
    assert "current_interest_rate" in bad.output
    assert not out.exists()


def test_parquet_columns_of_the_wrong_type(example_deal: Deal, tmp_path: Path) -> None:
    """A Parquet column of the wrong type is one problem naming the column and its type."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from remit.collateral import generate_tape

    generate_tape(example_deal.spec, tmp_path, loans=20, months=1, seed=2)
    t = pq.read_table(tmp_path / "loans.parquet")
    t = t.set_column(
        t.column_names.index("current_principal_balance"),
        "current_principal_balance",
        pa.array([True] * t.num_rows),
    )
    t = t.set_column(
        t.column_names.index("product_type"), "product_type", pa.array([1.5] * t.num_rows)
    )
    pq.write_table(t, tmp_path / "loans.parquet")
    with pytest.raises(RemitError) as exc:
        collect(example_deal.spec, tmp_path, APR)
    assert {(p.path, p.value) for p in exc.value.problems} == {
        ("current_principal_balance", "bool"),
        ("product_type", "double"),
    }
