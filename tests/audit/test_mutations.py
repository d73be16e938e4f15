"""Mutation tests: change one printed figure of the reference (a digit, a transposition, a
rounding) and ``verify`` must name that cell.

Every numeric cell is mutated once, the kind of mutation rotating over the cells. The
mutation is made on the cells read (the parse of the reference is done once); a sample is
also made on the text and run through the command line.

Two kinds of cells are told apart, each listed here with the reason:

* UNCHECKABLE: no identity ties them to any other printed figure (they are reported by the
  servicer and printed once), so no change to them can be detected.
* AMBIGUOUS: they enter identities only together with other figures printed once, so a
  change shows as a finding on the identity's target with the cell among its suspects
  (and, for the certificate account's zero lines, may be absorbed by the reference's own
  one-cent deposit discrepancy: the report must then change)."""

from __future__ import annotations

import copy
import itertools
import json
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import typer
from typer.testing import CliRunner

import remit
from remit.audit.verify import Report, verify_result
from remit.statement import build_statement
from remit.statement.reader import NOMINAL_PLACES, Key, ReadResult, printed_places, read

PRODUCTS = (
    "Three Year Hybrid Mortgage Loans",
    "Five Year Hybrid Mortgage Loans",
    "7-10 Year Hybrid Mortgage Loans",
)
UNCHECKABLE: set[Key] = {
    ("other_information", "contaminated_properties", "value"),
    ("collateral", "premium_loans_balance", "value"),
    *(("products", p, "value") for p in PRODUCTS),
}
OTHER_ACCOUNTS = ("Reserve Fund", "Financial Guaranty", "Yield Maintence Reserve Fund")
AMBIGUOUS: set[Key] = {
    # beginning + deposits - withdrawals = ending is the account's only identity
    ("certificate_account", "beginning_balance", "value"),
    ("certificate_account", "deposit_liquidations", "value"),
    ("certificate_account", "deposit_repurchases", "value"),
    ("certificate_account", "deposit_realized_losses", "value"),
    ("certificate_account", "withdrawal_advance_reimbursement", "value"),
    # non-supported = total - supported: the total is printed once
    ("ppis", "total", "value"),
    # beginning - withdrawals + deposits = ending, each printed once
    *(
        ("other_accounts", a, c)
        for a in OTHER_ACCOUNTS
        for c in ("beginning_balance", "withdrawals", "deposits")
    ),
    # fees printed once, entering net interest and the pass-through rate with the others
    *(
        ("collateral_2", f, "value")
        for f in (
            "fry_amount",
            "special_hazard_fee",
            "pool_insurance_fee",
            "spread_1",
            "spread_2",
            "spread_3",
            "scheduled_interest",
        )
    ),
}


def digit(text: str, i: int) -> str:
    pos = [k for k, ch in enumerate(text) if ch.isdigit()]
    k = pos[(i * 7) % len(pos)]
    return text[:k] + str((int(text[k]) + 1 + i % 8) % 10) + text[k + 1 :]


def transpose(text: str, i: int) -> str:
    pos = [k for k, ch in enumerate(text) if ch.isdigit()]
    pairs = [(a, b) for a, b in itertools.pairwise(pos) if text[a] != text[b]]
    if not pairs:
        return text
    a, b = pairs[i % len(pairs)]
    return text[:a] + text[b] + text[a + 1 : b] + text[a] + text[b + 1 :]


def rounding(text: str, i: int) -> str:
    """Round to fewer decimals, printed at the same width (1,234.56 -> 1,235.00)."""
    places = printed_places(text)
    if places == 0:
        return text
    body = text.strip().rstrip("%")
    keep = 0 if places <= 2 else places - 3
    v = Decimal(body.replace(",", "")).quantize(Decimal(1).scaleb(-keep), ROUND_HALF_UP)
    out = f"{v:,.{places}f}" if "," in body else f"{v:.{places}f}"
    return out + ("%" if text.strip().endswith("%") else "")


KINDS = (digit, transpose, rounding)


def mutate(text: str, i: int) -> str:
    for kind in (KINDS[i % 3], digit):
        out = kind(text, i)
        if out != text:
            return out
    raise AssertionError(text)


def names(report: Report, key: Key, printed: str) -> bool:
    return any(
        f.key == key and f.published == printed for c in report.causes for f in c.findings
    ) or any(c.culprit == key for c in report.causes)


def suspects(report: Report) -> set[Key]:
    return {k for c in report.causes for k in c.suspects}


def test_every_numeric_cell(reference_read: ReadResult) -> None:
    base = verify_result(reference_read).to_dict()
    numeric = [k for k, f in reference_read.formats.items() if f in NOMINAL_PLACES]
    assert len(numeric) > 500
    missed = []
    for i, key in enumerate(numeric):
        if key in UNCHECKABLE:
            continue
        text = reference_read.cells[key]
        changed = mutate(text, i)
        res = copy.copy(reference_read)
        res.cells = {**reference_read.cells, key: changed}
        report = verify_result(res)
        if names(report, key, changed):
            continue
        if key in AMBIGUOUS and (key in suspects(report) or report.to_dict() != base):
            continue
        missed.append((key, text, changed))
    assert missed == []


def test_uncheckable_cells_really_are(reference_read: ReadResult) -> None:
    """The exemption is not a blanket: a change to these leaves the report as it was."""
    base = verify_result(reference_read).to_dict()
    for key in sorted(UNCHECKABLE):
        res = copy.copy(reference_read)
        res.cells = {**reference_read.cells, key: digit(reference_read.cells[key], 3)}
        assert verify_result(res).to_dict() == base, key


def test_mutations_through_the_file(app: typer.Typer, tmp_path: Path, reference_text: str) -> None:
    """End to end: the figure changed in the filing's text, verify run on the file."""
    cases = [
        # (line fragment, replacement, the cell that must be named)
        (
            "8,533,596.63          0.00",
            "8,533,569.63          0.00",
            "delinquency/30 Days/delinquent_balance",
        ),
        (
            "0.98712897     13,381,671.41",
            "0.98712879     13,381,671.41",
            "principal_distribution_2/A/ending_percentage",
        ),
        (
            "1.64000%   1,039,673,900.00        1,041,984.29",
            "1.64000%   1,039,673,900.00        1,041,948.29",
            "interest_distribution/A/accrued_interest",
        ),
        (
            "Trustee Fee                                                                    574.65",
            "Trustee Fee                                                                    574.56",
            "collateral_2/trustee_fee/value",
        ),
    ]
    for i, (old, new, cell) in enumerate(cases):
        assert reference_text.count(old) == 1, old
        f = tmp_path / f"m{i}.txt"
        f.write_text(reference_text.replace(old, new))
        result = CliRunner().invoke(app, ["verify", str(f), "--format", "json"])
        assert result.exit_code == 1
        assert f'"{cell.split("/")[0]}"' in result.output
        doc = json.loads(result.output)
        named = {
            "/".join((x["section"], x["row"], x["column"]))
            for c in doc["inconsistencies"]
            for x in c["findings"]
        } | {c["culprit"] for c in doc["inconsistencies"]}
        assert cell in named, (cell, result.output[-3000:])


CLASSES = ("A", "M-1", "M-2", "B-IO", "R-1", "R-2")
#: after the first distribution these enter only their column total (the prior period's
#: cumulative loss and unpaid interest are not printed): a change is found, not placed
LATER_AMBIGUOUS: set[Key] = {
    *(("distribution_summary_2", c, "cumulative_realized_losses") for c in CLASSES),
    *(("interest_distribution_2", c, "remaining_unpaid") for c in CLASSES),
}


def test_every_numeric_cell_of_a_consistent_later_period() -> None:
    """The same on remit's own statement for 25 February 2004 (a liquidation with a realized
    loss, OC rebuilt by extra principal), which has no inconsistency of its own to mask a
    change: every change is found, and named unless listed as ambiguous."""
    example = Path(__file__).resolve().parents[2] / "examples" / "thornburg-2003-2"
    st = build_statement(remit.load_deal(example).close("2004-02-25"))
    res = read(st.to_edgar())
    assert verify_result(res).consistent
    missed = []
    for i, key in enumerate(k for k, f in res.formats.items() if f in NOMINAL_PLACES):
        if key in UNCHECKABLE:
            continue
        changed = mutate(res.cells[key], i)
        report = verify_result(replace(res, cells={**res.cells, key: changed}))
        if names(report, key, changed):
            continue
        if key in AMBIGUOUS | LATER_AMBIGUOUS and key in suspects(report):
            continue
        missed.append((key, res.cells[key], changed))
    assert missed == []
