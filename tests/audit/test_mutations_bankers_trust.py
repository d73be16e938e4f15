"""``verify`` blames the right cell on the Bankers Trust reference (Aames 1998-C, 1998-12-15),
as on the CTSLink one (``test_mutations.py``): every numeric cell changed once (inside the
parentheses of a negative), at least 90% named exactly, the others listed with the reason."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from remit.audit.verify import Report, verify_result
from remit.statement.reader import ReadResult
from tests.audit.mutation_helpers import mutate, run_all
from tests.audit.test_mutations import Exceptions, K, check, listed

UPPER = ("A-1F", "A-2F", "A-3F", "A-4F", "A-5F", "A-6F", "A-1A", "A-2A")
UNCHECKABLE: Exceptions = {
    **listed(
        "unnoticed",
        "the next period's rates of the upper tier: fixed coupons or an index not printed yet",
        [K("remic_2_factors", c, "next_rate") for c in (*UPPER, "C", "R-II")],
    ),
    **listed(
        "unnoticed",
        "the weighted average term and the OC targets: deal data printed once",
        [K("pool", "wam", g) for g in ("fixed", "adj")]
        + [K("overcollateralization", "oc_target", g) for g in ("fixed", "adj")],
    ),
    **listed(
        "unnoticed",
        "last month's accrued interest: last month's balances are not printed",
        [K("accrued_interest", c, "prior") for c in (*UPPER, "C")],
    ),
    **listed(
        "unnoticed",
        "insurer draws and supplemental interest: printed once, in no identity",
        [
            K("insurer", "insured_amounts"),
            K("insurer", "unpaid_insured_amounts"),
            K("supplemental_interest", "paid"),
            K("supplemental_interest", "remaining_unpaid"),
        ],
    ),
}
EXCEPTIONS: Exceptions = {
    **UNCHECKABLE,
    **listed(
        "elsewhere",
        "R-II has no balance: nothing accrues at its rate; the report changes only in the day "
        "count it infers for the class",
        [K("remic_2_factors", "R-II", "rate")],
    ),
    **listed(
        "together",
        "this month's carry-forward = last month's + accrued - paid is the only identity of "
        "either carry-forward (each printed once)",
        [K("carry_forward", c, w) for c in (*UPPER, "C") for w in ("prior", "current")],
    ),
    **listed(
        "together",
        "the residual class R-I has no balance and no face: its figures enter its row and "
        "column totals only, with figures printed once",
        [K("remic_1", "R-I", c) for c in ("ending_balance", "original_face", "total_distribution")],
    ),
    **listed(
        "together",
        "original faces enter the column total only (the factors, at 6 decimals per 1,000, do "
        "not show a change of cents; C and R-II have none): any face may be the wrong one",
        [K("remic_2", c, "original_face") for c in ("A-4F", "C", "R-II")],
    ),
    **listed(
        "together",
        "an upper-tier rate is printed once and enters the class's current interest only: the "
        "interest (printed as the distribution and as accrued interest) or the rate",
        [K("remic_2", "A-6F", "interest_distribution")],
    ),
    **listed(
        "together",
        "a group column and the total column of a line printed once: the row total cannot say "
        "which",
        [
            K("interest_sources", "insurance_proceeds", "adj"),
            K("pool", "replacement_balance", "adj"),
            K("pool", "replacement_balance", "fixed"),
        ],
    ),
    **listed(
        "together",
        "the groups' OC figures are tied to the certificates only in total: the two groups' "
        "columns cannot be told apart",
        [
            K("overcollateralization", r, g)
            for r in ("extra_principal", "oc_amount")
            for g in ("fixed", "adj")
        ],
    ),
    **listed(
        "together",
        "the next weighted average rate is the classes' next rate plus the servicing fee rate, "
        "each printed once per group: either may be the wrong one",
        [K("pool", "next_wac", g) for g in ("fixed", "adj")],
    ),
    **listed(
        "together",
        "a cent less of prepayments is within the rounding of the group's pool roll-forward and "
        "factor: the cells of the roll-forward are named with it",
        [K("principal_sources", "prepayments", "adj")],
    ),
    **listed(
        "together",
        "scheduled interest sets the group's net rate, which every REMIC I class of the group "
        "prints: 2,000,000 more moves the rate so far that the classes' rates are named too",
        [K("interest_sources", "scheduled_interest", "fixed")],
    ),
}


def test_every_numeric_cell(bt_read: ReadResult) -> None:
    outcomes = run_all(bt_read)
    assert len(outcomes) == 654
    check(outcomes, EXCEPTIONS, "the Bankers Trust reference")


def findings(report: Report) -> dict[str, object]:
    """The report but its echo of the printed figures (``figures``)."""
    return {k: v for k, v in report.to_dict().items() if k != "figures"}


def test_uncheckable_cells_really_are(bt_read: ReadResult) -> None:
    base = findings(verify_result(bt_read))
    for key in sorted(UNCHECKABLE):
        cells = {**bt_read.cells, key: mutate(bt_read.cells[key], 3)}
        res = ReadResult(**{**bt_read.__dict__, "cells": cells})
        assert findings(verify_result(res)) == base, key


def test_mutations_through_the_file(app: typer.Typer, tmp_path: Path, bt_text: str) -> None:
    """End to end: a figure changed in the filing's text, verify run on the file."""
    cases = [
        # (line fragment, replacement, the cell that must be named)
        (
            "(497,568.25)   (340,438.75)",
            "(497,586.25)   (340,438.75)",
            "interest_sources/delinquent_interest/fixed",
        ),
        ("5.795470%", "5.795470%", ""),  # untouched: the control
        (
            "      A-1A    00253CFK8        980.705472",
            "      A-1A    00253CFK8        980.705427",
            "remic_2_factors/A-1A/beginning_balance",
        ),
        (
            "3,532,291.89           0.00",
            "3,532,291.98           0.00",
            "remic_2/C/beginning_balance",
        ),
        ("158            28", "158            82", "dq_delinquent/fixed/count_2"),
    ]
    for i, (old, new, cell) in enumerate(cases):
        assert bt_text.count(old) == 1, old
        f = tmp_path / f"m{i}.txt"
        f.write_text(bt_text.replace(old, new))
        result = CliRunner().invoke(app, ["verify", str(f), "--format", "json"])
        doc = json.loads(result.output)
        if not cell:
            assert result.exit_code == 0 and doc["inconsistencies"] == []
            continue
        assert result.exit_code == 1, result.output[-2000:]
        likely = {k for c in doc["inconsistencies"] for k in c["likely_wrong"]}
        assert cell in likely, (cell, result.output[-3000:])
