"""``remit verify`` on the published reference statement (TMST 2003-2, 25 April 2003): each
real inconsistency, once, with every cell it reaches; nothing that is consistent.

The expected values are hand computations from the printed figures:

1. The pool rolls forward from 1,060,891,769.67 (ending 1,047,510,098.26 + scheduled
   267,590.95 + unscheduled 13,114,080.46 + losses 0.00), the figure printed as the Beginning
   Class B-IO Notional Amount; the Beginning Scheduled Collateral Balance is printed rounded
   as 1,060,891,800.00 (twice).
2. Pass-through rate: (4,014,259.07 - 287,145.33 fees) x 12 / 1,060,891,769.67
   = 4.2158273% -> 4.215827%, printed 4.215826% (twice). (With the rounded balance it is
   4.2158272%: still 4.215827%, so it is a root of its own, not the rounding above.)
3. OC: 1,047,510,098.26 - (1,026,292,228.59 + 10,608,900.00 + 10,608,900.00) = 69.67,
   printed 69.76 as the OC amount and as class B-IO's balance everywhere, hence the
   deficiency 2,652,229.42 - 69.67 = 2,652,159.75 (printed 2,652,159.66) and every total
   that includes B-IO's balance (+0.09); B-IO's interest factor, computed from the printed
   69.76, carries it too.
4. Excess cash: net interest 3,727,113.74 - certificate interest (1,041,984.29 + 13,290.59
   + 18,153.01) - extra principal 0.00 = 2,653,685.85, printed 2,653,685.86, and carried
   (+0.01) into B-IO's distribution, the interest and distribution totals and the
   withdrawals.
5. The deposit of interest and principal: 4,014,259.07 + 267,590.95 + 13,114,080.46
   = 17,395,930.48, printed 17,395,930.49, and the total deposits with it.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from remit.audit.verify import verify_result
from remit.statement.layout import template_lines
from remit.statement.reader import ReadResult

# The interest tables' "Certificate/Notional Balance" column: its key in the layout template
# (``beginning_notional`` since the notional change; ``beginning_balance`` before it).
TEMPLATE = "\n".join(template_lines())
ID_BEGIN = "beginning_notional" if "beginning_notional|" in TEMPLATE else "beginning_balance"
ID_END = "ending_notional" if "ending_notional|" in TEMPLATE else "ending_balance"
OC_TOTAL = "1,060,891,869.76", "1,060,891,869.67", "+0.09"
EXPECTED: list[tuple[str, list[tuple[str, str, str, str, str, str]]]] = [
    (
        "pool roll-forward: beginning = ending + scheduled + unscheduled + losses "
        "+ liquidation and repurchase proceeds",
        [
            (
                "collateral",
                "beginning_balance",
                "value",
                "1,060,891,800.00",
                "1,060,891,769.67",
                "+30.33",
            ),
            (
                "collateral_2",
                "beginning_balance",
                "value",
                "1,060,891,800.00",
                "1,060,891,769.67",
                "+30.33",
            ),
        ],
    ),
    (
        "pass-through rate = (scheduled interest - all fees) x 12 / beginning balance",
        [
            ("collateral", "pass_through_rate", "value", "4.215826%", "4.215827%", "-0.000001"),
            ("collateral_2", "pass_through_rate", "value", "4.215826%", "4.215827%", "-0.000001"),
        ],
    ),
    (
        "OC amount = ending pool balance - certificates",
        [
            ("collateral", "oc_amount", "value", "69.76", "69.67", "+0.09"),
            ("collateral_2", "oc_amount", "value", "69.76", "69.67", "+0.09"),
            ("collateral", "oc_deficiency", "value", "2,652,159.66", "2,652,159.75", "-0.09"),
            ("collateral_2", "oc_deficiency", "value", "2,652,159.66", "2,652,159.75", "-0.09"),
            ("distribution_summary_2", "B-IO", "ending_balance", "69.76", "69.67", "+0.09"),
            ("principal_distribution_2", "B-IO", "ending_balance", "69.76", "69.67", "+0.09"),
            ("interest_distribution_2", "B-IO", ID_END, "69.76", "69.67", "+0.09"),
            ("distribution_summary", "B-IO", "beginning_balance", "69.76", "69.67", "+0.09"),
            ("principal_distribution", "B-IO", "beginning_balance", "69.76", "69.67", "+0.09"),
            ("interest_distribution", "B-IO", ID_BEGIN, "69.76", "69.67", "+0.09"),
            ("principal_distribution", "B-IO", "original_face", "69.76", "69.67", "+0.09"),
            ("principal_factors", "B-IO", "original_face", "69.76", "69.67", "+0.09"),
            ("interest_distribution", "B-IO", "original_face", "69.76", "69.67", "+0.09"),
            ("interest_factors", "B-IO", "original_face", "69.76", "69.67", "+0.09"),
            ("distribution_summary", "Totals", "beginning_balance", *OC_TOTAL),
            ("principal_distribution", "Totals", "beginning_balance", *OC_TOTAL),
            (
                "distribution_summary_2",
                "Totals",
                "ending_balance",
                "1,047,510,098.35",
                "1,047,510,098.26",
                "+0.09",
            ),
            (
                "principal_distribution_2",
                "Totals",
                "ending_balance",
                "1,047,510,098.35",
                "1,047,510,098.26",
                "+0.09",
            ),
            ("principal_distribution", "Totals", "original_face", *OC_TOTAL),
            ("interest_distribution", "Totals", "original_face", *OC_TOTAL),
            # 2,667,685.85 / 69.67 x 10,000,000 = 382,903,093,153.43763456...; printed cut
            # to the column, from 2,667,685.86 / 69.76 x 10,000,000
            (
                "interest_factors_2",
                "B-IO",
                "total_interest",
                "382409096903.669",
                "382903093153.43763456",
                "-493,996,249.769",
            ),
        ],
    ),
    (
        "excess cash = interest remittance - certificate interest + OC reduction "
        "(net monthly excess cashflow)",
        [
            ("collateral", "excess_cash", "value", "2,653,685.86", "2,653,685.85", "+0.01"),
            (
                "distribution_summary",
                "B-IO",
                "interest_distribution",
                "2,667,685.86",
                "2,667,685.85",
                "+0.01",
            ),
            (
                "interest_distribution_2",
                "B-IO",
                "total_interest",
                "2,667,685.86",
                "2,667,685.85",
                "+0.01",
            ),
            (
                "distribution_summary_2",
                "B-IO",
                "total_distribution",
                "2,667,685.86",
                "2,667,685.85",
                "+0.01",
            ),
            (
                "distribution_summary",
                "Totals",
                "interest_distribution",
                "3,741,113.75",
                "3,741,113.74",
                "+0.01",
            ),
            (
                "interest_distribution_2",
                "Totals",
                "total_interest",
                "3,741,113.75",
                "3,741,113.74",
                "+0.01",
            ),
            (
                "distribution_summary_2",
                "Totals",
                "total_distribution",
                "17,122,885.16",
                "17,122,885.15",
                "+0.01",
            ),
            (
                "certificate_account",
                "withdrawal_distribution",
                "value",
                "17,122,785.16",
                "17,122,785.15",
                "+0.01",
            ),
            (
                "certificate_account",
                "total_withdrawals",
                "value",
                "17,409,930.49",
                "17,409,930.48",
                "+0.01",
            ),
        ],
    ),
    (
        "deposit = scheduled interest + principal - prepayment interest shortfall "
        "- Relief Act shortfall - advances",
        [
            (
                "certificate_account",
                "deposit_interest_and_principal",
                "value",
                "17,395,930.49",
                "17,395,930.48",
                "+0.01",
            ),
            (
                "certificate_account",
                "total_deposits",
                "value",
                "17,409,930.49",
                "17,409,930.48",
                "+0.01",
            ),
        ],
    ),
]


def test_reference_findings_exactly(reference_read: ReadResult) -> None:
    report = verify_result(reference_read, "reference")
    got = [
        (
            c.root.rule,
            [
                (f.section, f.row, f.column, f.published, f.expected, f.difference)
                for f in c.findings
            ],
        )
        for c in report.causes
    ]
    assert got == EXPECTED


def test_reference_arithmetic_is_shown(reference_read: ReadResult) -> None:
    causes = verify_result(reference_read).causes
    assert causes[0].root.arithmetic == (
        "1,047,510,098.26 + 267,590.95 + 13,114,080.46 + 0.00 + 0.00 + 0.00 + 0.00"
        " = 1,060,891,769.67"
    )
    assert causes[2].root.arithmetic == (
        "1,047,510,098.26 - 1,026,292,228.59 - 10,608,900.00 - 10,608,900.00 = 69.67"
    )
    assert causes[3].root.arithmetic == (
        "3,727,113.74 - 1,041,984.29 - 13,290.59 - 18,153.01 - 0.00 - 0.00 + 0.00 = 2,653,685.85"
    )
    assert "= 4.21582730%" in causes[1].root.arithmetic


def test_reference_inferences(reference_read: ReadResult) -> None:
    inf = verify_result(reference_read).inferred
    assert inf.oc_class == "B-IO"
    assert inf.residual == ["R-1", "R-2"]
    # A: 1,041,984.29 x 360 / (1,039,673,900.00 x 1.64%) = 22.0000 days
    assert inf.days == 22
    assert {k: str(v) for k, v in inf.denominations.items()} == {
        "A": "25000",
        "M-1": "25000",
        "M-2": "25000",
        "B-IO": "10000000",
        "R-1": "50.00",
        "R-2": "50.00",
    }


def test_cli_exit_1_with_text_and_json(app: typer.Typer, reference_path: Path) -> None:
    runner = CliRunner()
    text = runner.invoke(app, ["verify", str(reference_path)])
    assert text.exit_code == 1
    assert "5 inconsistencies" in text.output
    assert "published     1,060,891,800.00  expected     1,060,891,769.67" in text.output
    as_json = runner.invoke(app, ["verify", str(reference_path), "--format", "json"])
    assert as_json.exit_code == 1
    doc = json.loads(as_json.output)
    assert doc["consistent"] is False
    assert len(doc["inconsistencies"]) == 5
    first = doc["inconsistencies"][2]["findings"][0]
    assert (first["section"], first["row"], first["published"], first["expected"]) == (
        "collateral",
        "oc_amount",
        "69.76",
        "69.67",
    )
    assert first["difference"] == "+0.09"


def test_agrees_with_the_golden_inconsistency_list(
    reference_read: ReadResult, reference_path: Path
) -> None:
    """The golden test's list of published cells that contradict the statement (kept for the
    comparison with our close) names exactly the cells verify finds, with the same values."""
    listed = reference_path.with_name("tmst-2003-2-2003-04-25.inconsistencies.csv")
    with listed.open(newline="") as fh:
        rows = {
            (r["section"], r["row"], r["column"], r["published"], r["ours"])
            for r in csv.DictReader(fh)
        }
    renamed = {ID_BEGIN: "beginning_balance", ID_END: "ending_balance"}
    found = {
        (f.section, f.row, renamed.get(f.column, f.column), f.published, f.expected)
        for c in verify_result(reference_read).causes
        for f in c.findings
    }
    assert found == {(s, r, renamed.get(c, c), p, o) for s, r, c, p, o in rows}
