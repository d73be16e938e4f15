"""Mutation tests over the Bankers Trust reference (Aames 1998-C, 1998-12-15), as for the
CTSLink one (``test_mutations.py``): every numeric cell changed once (a digit, a
transposition, a rounding; inside the parentheses of a negative), and ``verify`` must name it.

The cells it cannot name are listed here with the reason:

* UNCHECKABLE: no identity ties them to another printed figure; a change leaves the report
  as it was (and a test proves it).
* AMBIGUOUS: they enter identities only with other figures printed once, so a change is
  found, with the cell among the suspects of the finding."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from remit.audit.verify import Report, verify_result
from remit.statement.reader import NOMINAL_PLACES, Key, ReadResult
from tests.audit.test_mutations import KINDS, digit

UPPER = ("A-1F", "A-2F", "A-3F", "A-4F", "A-5F", "A-6F", "A-1A", "A-2A")
UNCHECKABLE: set[Key] = {
    # the next period's rates of the upper tier: fixed coupons or an index not yet printed
    *(("remic_2_factors", c, "next_rate") for c in (*UPPER, "C", "R-II")),
    # R-II has no balance: nothing accrues at its rate
    ("remic_2_factors", "R-II", "rate"),
    # the weighted average term and the OC targets: deal data printed once
    ("pool", "wam", "fixed"),
    ("pool", "wam", "adj"),
    ("overcollateralization", "oc_target", "fixed"),
    ("overcollateralization", "oc_target", "adj"),
    # last month's accrued interest: last month's balances are not printed
    *(("accrued_interest", c, "prior") for c in (*UPPER, "C")),
    # insurer draws and supplemental interest: printed once, in no identity
    ("insurer", "insured_amounts", "value"),
    ("insurer", "unpaid_insured_amounts", "value"),
    ("supplemental_interest", "paid", "value"),
    ("supplemental_interest", "remaining_unpaid", "value"),
}
AMBIGUOUS: set[Key] = {
    # a residual class's face enters its level's column total only
    ("remic_1", "R-I", "original_face"),
    ("remic_2", "R-II", "original_face"),
    # an upper-tier rate is printed once and enters its class's current interest only
    # (printed as the distribution and as accrued interest: both found, the rate a suspect)
    *(("remic_2_factors", c, "rate") for c in (*UPPER, "C")),
    # the remittance's deposits enter the total remittance due only
    ("remittance", "capitalized_interest_deposit", "value"),
    ("remittance", "prefunding_deposit", "value"),
    # loans purchased from mortgage replacement, by balance: the group total only
    ("pool", "replacement_balance", "fixed"),
    ("pool", "replacement_balance", "adj"),
    # the fixed group's OC figures enter the OC identities, whose target is the adj group's
    # (the OC of the groups is tied to the certificates only in total)
    ("overcollateralization", "extra_principal", "fixed"),
    ("overcollateralization", "oc_amount", "fixed"),
    # last month's carry-forward: this month's carry-forward identity only
    *(("carry_forward", c, "prior") for c in (*UPPER, "C")),
    # the insurer's premium: REMIC II's distribution = REMIC I's less the premium, only
    ("insurer", "premium", "value"),
}


def mutate(text: str, i: int) -> str:
    """One kind of mutation (rotating), made inside the parentheses of a negative."""
    neg = text.startswith("(") and text.endswith(")")
    inner = text[1:-1] if neg else text
    for kind in (KINDS[i % 3], digit):
        out = kind(inner, i)
        if out != inner:
            return f"({out})" if neg else out
    raise AssertionError(text)


def names(report: Report, key: Key, printed: str) -> bool:
    return any(
        f.key == key and f.published == printed for c in report.causes for f in c.findings
    ) or any(c.culprit == key for c in report.causes)


def suspects(report: Report) -> set[Key]:
    return {k for c in report.causes for k in c.suspects}


def test_every_numeric_cell(bt_read: ReadResult) -> None:
    numeric = [k for k, f in bt_read.formats.items() if f in NOMINAL_PLACES]
    assert len(numeric) == 654
    missed = []
    for i, key in enumerate(numeric):
        if key in UNCHECKABLE:
            continue
        changed = mutate(bt_read.cells[key], i)
        res = copy.copy(bt_read)
        res.cells = {**bt_read.cells, key: changed}
        report = verify_result(res)
        if names(report, key, changed):
            continue
        if key in AMBIGUOUS and key in suspects(report):
            continue
        missed.append((key, bt_read.cells[key], changed))
    assert missed == []


def findings(report: Report) -> dict[str, object]:
    """The report but its echo of the printed figures (``figures``)."""
    return {k: v for k, v in report.to_dict().items() if k != "figures"}


def test_uncheckable_cells_really_are(bt_read: ReadResult) -> None:
    base = findings(verify_result(bt_read))
    for key in sorted(UNCHECKABLE):
        res = copy.copy(bt_read)
        res.cells = {**bt_read.cells, key: mutate(bt_read.cells[key], 3)}
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
        named = {
            "/".join((x["section"], x["row"], x["column"]))
            for c in doc["inconsistencies"]
            for x in c["findings"]
        } | {c["culprit"] for c in doc["inconsistencies"]}
        assert cell in named, (cell, result.output[-3000:])
