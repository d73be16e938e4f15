"""The second layout family: Bankers Trust's statement to certificateholders for Aames Capital
Corporation, Mortgage Pass-Through Certificates, Series 1998-C, distribution of 15 December
1998 (8-K filed 1998-12-31; ``tests/golden/aames-1998-c-1998-12-15.bankers-trust.8k.txt``).

Every numeric cell is read, every identity checked, and the findings are the published
figures' real inconsistencies -- there are none -- and, apart, the differences the rounding
of the printed figures explains. Each figure below is copied from the statement and each
expected value computed here by hand, with the arithmetic written out."""

from __future__ import annotations

import copy
import json
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import typer
from typer.testing import CliRunner

from remit.audit.verify import Report, verify_result, verify_text
from remit.statement.reader import NOMINAL_PLACES, Key, ReadResult

D = Decimal
CENT = D("0.01")


def r2(v: Decimal) -> Decimal:
    return v.quantize(CENT, ROUND_HALF_UP)


def r6(v: Decimal) -> Decimal:
    return v.quantize(D("0.000001"), ROUND_HALF_UP)


def r5(v: Decimal) -> Decimal:
    return v.quantize(D("0.00001"), ROUND_HALF_UP)


# ---- reading ---------------------------------------------------------------------------------

#: the numeric cells of each table, counted on the statement by hand
CELLS_BY_SECTION = {
    # REMIC I: 11 classes (I-1F..I-6F, I-MF, I-1A, I-2A, I-MA, R-I) and TOTALS, x 8 columns
    # (face, prior balance, interest, principal, total, losses, deferred, current balance)
    "remic_1": 12 * 8,
    # 10 classes (no R-I row) x 7 (5 factors, current and next rate); no CUSIPs printed
    "remic_1_factors": 10 * 7,
    # REMIC II: 10 classes (A-1F..A-6F, A-1A, A-2A, C, R-II) and TOTALS, x 8
    "remic_2": 11 * 8,
    "remic_2_factors": 10 * 7,
    # delinquent, foreclosure, REO, bankruptcy and their total, 2 groups each, 4 lines
    # (balance, % of pool balance, loans, % of pool loans) x 4 columns (1, 2, 3+, total)
    "dq_delinquent": 2 * 16,
    "dq_foreclosure": 2 * 16,
    "dq_reo": 2 * 16,
    "dq_bankruptcy": 2 * 16,
    "dq_total": 2 * 16,
    # 9 sources of principal and 15 of interest, each FIXED / ADJ / TOTAL
    "principal_sources": 9 * 3,
    "interest_sources": 15 * 3,
    # permitted withdrawals and total sources, x 3
    "collection": 2 * 3,
    # capitalized interest deposit, prefunding deposit, total remittance due
    "remittance": 3,
    # accrued fee, shortfalls covered, delinquent fees, collected fees, x 3
    "servicing": 4 * 3,
    # 8 rows x 3 (balances, factor, counts, purchases, paid in full) + 3 rows x 2 (rates, WAM)
    "pool": 8 * 3 + 3 * 2,
    # extra principal, OC amount, OC target, x 2 groups
    "overcollateralization": 3 * 2,
    # 9 classes (A-1F..A-2A, C) x prior, current
    "accrued_interest": 9 * 2,
    "carry_forward": 9 * 2,
    # premium paid, insured amounts, unpaid insured amounts
    "insurer": 3,
    # supplemental interest paid, remaining unpaid
    "supplemental_interest": 2,
}


def numeric(res: ReadResult) -> list[Key]:
    return [k for k, f in res.formats.items() if f in NOMINAL_PLACES]


def test_every_numeric_cell_is_read(bt_read: ReadResult) -> None:
    assert bt_read.problems == []
    assert bt_read.family == "bankers-trust"
    by_section: dict[str, int] = {}
    for sec, _row, _col in numeric(bt_read):
        by_section[sec] = by_section.get(sec, 0) + 1
    assert by_section == CELLS_BY_SECTION
    assert len(numeric(bt_read)) == sum(CELLS_BY_SECTION.values()) == 654
    # and the text cells: 8 CUSIPs (REMIC II's classes but C and R-II), 6 trigger answers
    text = {k for k in bt_read.cells if k not in set(numeric(bt_read))}
    assert len([k for k in text if k[2] == "cusip"]) == 8
    assert len([k for k in text if k[0] == "triggers"]) == 6
    assert len(bt_read.cells) == 668


def test_values_as_printed(bt_read: ReadResult) -> None:
    v = bt_read.value
    # negatives in parentheses
    assert v(("interest_sources", "delinquent_interest", "fixed")) == D("-497568.25")
    assert v(("servicing", "delinquent_fees", "total")) == D("-39172.26")
    # two figures one space apart are two cells
    assert v(("remic_1", "Totals", "original_face")) == D("650000000.00")
    assert v(("remic_1", "Totals", "beginning_balance")) == D("645008411.46")
    assert v(("pool", "beginning_balance", "adj")) == D("257763985.43")
    # the factor table with current and next rates; CUSIPs only at REMIC II
    assert v(("remic_2_factors", "A-1A", "rate")) == D("5.537810")
    assert v(("remic_2_factors", "A-1A", "next_rate")) == D("5.795470")
    assert v(("remic_2_factors", "A-1F", "cusip")) == "00253CFD4"
    assert ("remic_1_factors", "I-1F", "cusip") not in bt_read.cells
    # group rows named once whatever their case ("Fixed Group", "FIXED GROUP")
    assert v(("dq_delinquent", "fixed", "balance_1")) == D("8802302.47")
    assert v(("dq_foreclosure", "fixed", "count_3+")) == 22
    # "CLASS A-1F" rows keyed by the class
    assert v(("accrued_interest", "A-1F", "prior")) == D("606282.02")
    # the accreting class
    assert v(("remic_2", "C", "deferred_interest")) == D("1833007.72")
    assert v(("triggers", "delinquency_rate", "adj")) == "NO"
    assert bt_read.header == {"record_date": "11/30/1998", "distribution_date": "12/15/1998"}


def test_no_cell_from_page_furniture(bt_text: str, bt_read: ReadResult) -> None:
    """The footers inside the tables (web-site notice, parties, dates, page numbers,
    copyright) are dropped: no cell is read from any of their lines."""
    lines = bt_text.split("\n")
    furniture = {
        n
        for n, line in enumerate(lines, 1)
        if any(
            w in line
            for w in ("Page ", "COPYRIGHT", "SELLER:", "SERVICER:", "UNDERWRITER:", "RECORD DATE")
        )
        or "DISTRIBUTION DATE:" in line
        or "Bankers    Trust's" in line
    }
    assert len(furniture) >= 6 * 2
    assert not furniture & set(bt_read.lines.values())
    for text in bt_read.cells.values():
        assert "1998" not in text and "Bankers" not in text and "Page" not in text


# ---- the findings ---------------------------------------------------------------------------

ROUNDING = [
    # (cell, published, expected, kind): each checked by hand below
    (("remic_1_factors", "I-1F", "principal_distribution"), "21.739846", "21.739848", "factor"),
    (("remic_1_factors", "I-1F", "total_distribution"), "29.478393", "29.478395", "factor"),
    (("remic_1_factors", "I-1F", "ending_balance"), "954.986726", "954.986723", "factor"),
    (("remic_1_factors", "I-MF", "total_distribution"), "14.466953", "14.466952", "factor"),
    (("remic_1_factors", "I-1A", "beginning_balance"), "988.533259", "988.533256", "factor"),
    (("remic_1_factors", "I-1A", "principal_distribution"), "11.499823", "11.499821", "factor"),
    (("remic_1_factors", "I-1A", "total_distribution"), "18.981910", "18.981908", "factor"),
    (("remic_2", "Totals", "principal_distribution"), "6,590,606.96", "6,590,606.97", "total"),
    (("remic_2", "Totals", "total_distribution"), "9,760,705.56", "9,760,705.57", "total"),
    (("interest_sources", "interest_advanced", "adj"), "324,013.36", "324,013.37", "total"),
]


def test_the_rounding_notes_by_hand() -> None:
    """Why each is rounding, not an inconsistency.

    Factors: per $1,000 of original face, 6 decimals. The published factor divides the
    unrounded amount: multiplied back by the face it gives an amount within half a cent
    (plus half a unit of the factor's last decimal) of the amount printed. I-MF's total
    factor differs in its last decimal only."""
    face_1f, face_1a, face_mf = D("1184000.00"), D("1950000.00"), D("386100000.00")
    cases = [
        (D("25739.98"), face_1f, "21.739846"),
        (D("34902.42"), face_1f, "29.478393"),
        (D("1130704.28"), face_1f, "954.986726"),
        (D("1927639.85"), face_1a, "988.533259"),
        (D("22424.65"), face_1a, "11.499823"),
        (D("37014.72"), face_1a, "18.981910"),
    ]
    for amount, face, printed in cases:
        assert r6(amount / face * 1000) != D(printed)
        back = D(printed) * face / 1000
        assert abs(back - amount) <= D("0.005") + D("0.0000005") * face / 1000, (amount, back)
    # 25,739.98 / 1,184,000.00 x 1,000 = 21.7398479...: 21.739848; printed 21.739846, and
    # 21.739846 x 1,184 = 25,739.977664 (0.0023 from 25,739.98)
    assert r6(D("25739.98") / face_1f * 1000) == D("21.739848")
    assert D("21.739846") * 1184 == D("25739.977664")
    # 5,585,690.36 / 386,100,000.00 x 1,000 = 14.46695249...: 14.466952; printed 14.466953
    assert r6(D("5585690.36") / face_mf * 1000) == D("14.466952")
    # Totals: REMIC II's principal column holds two figures, 3,600,398.47 + 2,990,208.50
    # = 6,590,606.97, printed 6,590,606.96, a cent within the half cent of each part; the
    # publisher added unrounded amounts: REMIC I's principal + the extra principal
    # distributions, 4,816,463.12 + 1,026,400.75 + 747,743.10 = 6,590,606.97 too, and the
    # total distribution column, 9,760,705.57 by its parts, is printed 9,760,705.56 = what
    # REMIC I distributes less the insurer's premium, 9,835,561.08 - 74,855.52.
    assert D("3600398.47") + D("2990208.50") == D("6590606.97")
    assert D("4816463.12") + D("1026400.75") + D("747743.10") == D("6590606.97")
    parts = ["4191965.60", "403975.92", "202525.75", "376602.33", "222758.25", "199322.50"]
    parts += ["3843321.89", "320233.33"]
    assert sum(D(p) for p in parts) == D("9760705.57")
    assert D("9835561.08") - D("74855.52") == D("9760705.56")
    # The adjustable group's interest advanced: delinquent interest 340,438.75 less the
    # delinquent servicing fees 16,425.38 = 324,013.37, printed 324,013.36 (the fixed group's
    # is exact: 497,568.25 - 22,746.88 = 474,821.37); both figures are sums over the loans,
    # each rounded to the cent: a cent is their rounding.
    assert D("340438.75") - D("16425.38") == D("324013.37")
    assert D("497568.25") - D("22746.88") == D("474821.37")


def test_findings_exactly(bt_read: ReadResult) -> None:
    report = verify_result(bt_read, "reference")
    assert report.inconsistencies == []
    assert report.consistent
    got = [
        ((f.section, f.row, f.column), f.published, f.expected, c.kind)
        for c in report.rounding
        for f in c.findings
    ]
    assert got == ROUNDING
    assert all(c.category == "rounding" and len(c.findings) == 1 for c in report.rounding)
    assert report.checked == 397


def test_day_count_per_class(bt_read: ReadResult) -> None:
    """Fixed classes at 30/360, the floating class at Actual/360 over the 29 days from the
    16 November 1998 distribution (the 15th was a Sunday) to 15 December."""
    # A-1F: 113,781,143.26 x 6.239% x 30/360 = 591,567.1307...
    assert r2(D("113781143.26") * D("0.06239") * 30 / 360) == D("591567.13")
    # A-1A: 191,237,567.00 x 5.537810% x 29/360 = 853,113.3890...; at 30/360 it would be
    # 882,531.09
    assert r2(D("191237567.00") * D("0.0553781") * 29 / 360) == D("853113.39")
    assert r2(D("191237567.00") * D("0.0553781") * 30 / 360) == D("882531.09")
    # REMIC I's classes at 30/360 on the groups' net rates: I-2F 803,000.00 x 9.507526% / 12
    assert r2(D("803000.00") * D("0.09507526") / 12) == D("6362.12")
    inf = verify_result(bt_read).inferred
    assert inf.days == 29
    assert inf.day_counts.pop("A-1A") == "Actual/360 (29 days)"
    assert set(inf.day_counts.values()) == {"30/360"}
    assert len(inf.day_counts) == 10 + 7  # REMIC I's 10 and REMIC II's fixed classes


def test_groups_inferred_from_the_net_rates(bt_read: ReadResult) -> None:
    """REMIC I's classes carry their group's net mortgage rate: (scheduled interest - the
    servicing fee) x 12 / prior pool balance."""
    fixed = (D("3229465.60") - D("161351.84")) * 12 / D("387244426.03") * 100
    adj = (D("2058385.87") - D("107401.66")) * 12 / D("257763985.43") * 100
    assert r6(fixed) == D("9.507526") and r6(adj) == D("9.082654")
    inf = verify_result(bt_read).inferred
    assert inf.groups == {
        "fixed": ["I-1F", "I-2F", "I-3F", "I-4F", "I-5F", "I-6F", "I-MF"],
        "adj": ["I-1A", "I-2A", "I-MA"],
    }
    fixed, adj = ["A-1F", "A-2F", "A-3F", "A-4F", "A-5F", "A-6F"], ["A-1A", "A-2A"]
    assert inf.levels["REMIC II"] == [*fixed, *adj, "C", "R-II"]
    assert inf.accreting == ["C"]
    assert inf.residual == ["R-I", "R-II"]


def test_the_identities_hold_by_hand() -> None:
    """A hand computation of each kind of identity on the printed figures."""
    # REMIC levels roll forward; the accreting class C grows by its deferred interest
    assert D("1156444.26") - D("25739.98") == D("1130704.28")  # I-1F
    assert D("3532291.89") + D("1833007.72") - 0 - 0 == D("5365299.61")  # C
    # REMIC I splits each group's pool: the fixed classes' prior balances
    fixed = ["1156444.26", "803000.00", "399000.00", "721000.00", "403000.00", "390000.00"]
    assert sum(D(x) for x in fixed) + D("383371981.77") == D("387244426.03")
    # ... their interest is the fixed group's total interest
    interest = ["9162.44", "6362.12", "3161.25", "5712.44", "3192.94", "3089.95", "3037432.62"]
    assert sum(D(x) for x in interest) == D("3068113.76")
    # total interest: scheduled - delinquent - servicing fees + advanced (fixed)
    assert D("3229465.60") - D("497568.25") - D("138604.96") + D("474821.37") == D("3068113.76")
    # REMIC I distributes the total remittance due: 5,642,111.48 + 4,193,449.60
    assert D("5642111.48") + D("4193449.60") == D("9835561.08")
    # the pool rolls forward (fixed): prior - scheduled - prepayments
    assert D("387244426.03") - D("425326.69") - D("2148671.03") == D("384670428.31")
    assert 5831 - 35 - 0 == 5796
    # group columns add up: prior pool balance
    assert D("387244426.03") + D("257763985.43") == D("645008411.46")
    # group factor: 384,670,428.31 / 390,000,000.00 (the fixed classes' faces) = 98.63344%
    assert r5(D("384670428.31") / D("390000000") * 100) == D("98.63344")
    # weighted average mortgage rates: 3,229,465.60 x 12 / 387,244,426.03 = 10.00753%; next:
    # 9.504372% + 161,351.84 x 12 / 387,244,426.03 (0.49999999%) = 10.00437%
    assert r5(D("3229465.60") * 12 / D("387244426.03") * 100) == D("10.00753")
    assert r5(D("9.504372") + D("161351.84") * 12 / D("387244426.03") * 100) == D("10.00437")
    # delinquency by payments missed: 158 of 5,796 loans; 8,802,302.47 of 384,670,428.31
    assert r5(D(158) / 5796 * 100) == D("2.72602")
    assert r5(D("8802302.47") / D("384670428.31") * 100) == D("2.28827")
    # the total of the statuses, one payment missed (fixed): delinquent + bankruptcy
    assert D("8802302.47") + D("82876.56") == D("8885179.03")
    # overcollateralization: 640,191,948.34 - the certificates' 635,028,103.29
    certs = ["110180744.79", "80300000", "39900000", "72100000", "40300000", "39000000"]
    certs += ["188247358.50", "65000000"]
    oc = D("640191948.34") - sum(D(x) for x in certs)
    assert oc == D("2889683.52") + D("2274161.53") == D("5163845.05")
    prior = D("645008411.46") - (
        sum(D(x) for x in certs) + D("3600398.47") + D("2990208.50")
    )  # the certificates' prior balances
    assert oc - prior == D("1026400.75") + D("747743.10")


def _changed(res: ReadResult, **cells: str) -> ReadResult:
    out = copy.copy(res)
    out.cells = dict(res.cells)
    for path, text in cells.items():
        key = tuple(path.split("/"))
        assert key in out.cells, key
        out.cells[key] = text  # type: ignore[index]
    return out


def _found(res: ReadResult) -> dict[Key, tuple[str, str, str, str]]:
    return {
        f.key: (f.published, f.expected, f.rule, c.category)
        for c in verify_result(res).causes
        for f in c.findings
    }


def test_each_identity_fires(bt_read: ReadResult) -> None:
    """A wrong figure in each kind of identity is found, with the expected value by hand."""
    cases = {
        # deferred interest: 3,532,291.89 + 1,833,007.72 = 5,365,299.61
        "remic_2/C/ending_balance": ("5,365,299.16", "5,365,299.61", "roll-forward"),
        # A-1A at Actual/360 29 days: 853,113.39
        "remic_2/A-1A/interest_distribution": ("853,131.39", "853,113.39", "interest"),
        # the same figure printed as accrued certificate interest
        "accrued_interest/A-1A/current": ("853,113.93", "853,113.39", "interest"),
        # REMIC II distributes REMIC I's 9,835,561.08 less the premium 74,855.52
        "insurer/premium/value": ("74,585.52", "", "total"),
        # group total: 425,326.69 + 141,631.39 = 566,958.08
        "principal_sources/scheduled_principal/total": ("566,985.08", "566,958.08", "total"),
        # factor: 113,781,143.26 / 118,400,000.00 x 1,000 = 960.989386
        "remic_2_factors/A-1F/beginning_balance": ("960.898386", "960.989386", "factor"),
        # delinquency: 83 of 2,549 loans = 3.25618%
        "dq_delinquent/adj/count_pct_1": ("3.26518%", "3.25618%", "delinquency"),
        # REMIC I class rate = the adjustable group's net mortgage rate 9.082654%
        "remic_1_factors/I-2A/rate": ("9.082645%", "9.082654%", "rate"),
    }
    for path, (printed, expected, category) in cases.items():
        got = _found(_changed(bt_read, **{path: printed}))
        if not expected:  # printed once: found at the identity's other end
            assert any(c == category for *_x, c in got.values()), (path, got)
            continue
        key = tuple(path.split("/"))
        assert key in got, (path, got)
        assert got[key][0] == printed and got[key][1] == expected, got[key]
        assert got[key][3] == category, got[key]


def test_cli_reports_the_layout_and_categories(app: typer.Typer, bt_path: Path) -> None:
    runner = CliRunner()
    text = runner.invoke(app, ["verify", str(bt_path)])
    assert text.exit_code == 0, text.output
    assert "668 cells read" in text.output
    assert "consistent; 10 rounding notes" in text.output
    assert "layout: bankers-trust" in text.output
    assert "Actual/360 (29 days): A-1A" in text.output
    doc = json.loads(runner.invoke(app, ["verify", str(bt_path), "--format", "json"]).output)
    assert doc["layout"] == "bankers-trust"
    assert doc["consistent"] is True
    assert doc["inconsistencies"] == []
    assert [c["category"] for c in doc["rounding"]] == ["rounding"] * 10
    assert doc["inferred"]["day_counts"]["A-1A"] == "Actual/360 (29 days)"


def test_a_real_inconsistency_makes_exit_1(app: typer.Typer, bt_text: str, tmp_path: Path) -> None:
    f = tmp_path / "changed.txt"
    old = "      A-2F    00253CFE2      1,000.000000       5.030833"
    assert bt_text.count(old) == 1
    f.write_text(bt_text.replace(old, old.replace("5.030833", "5.030883")))
    result = CliRunner().invoke(app, ["verify", str(f), "--format", "json"])
    assert result.exit_code == 1
    doc = json.loads(result.output)
    (cause,) = doc["inconsistencies"]
    # 403,975.92 / 80,300,000.00 x 1,000 = 5.030833 (printed 5.030883)
    assert r6(D("403975.92") / D("80300000") * 1000) == D("5.030833")
    assert cause["category"] == "factor"
    assert cause["findings"][0]["expected"] == "5.030833"


def test_ctslink_reports_its_layout(app: typer.Typer, reference_path: Path) -> None:
    doc = json.loads(
        CliRunner().invoke(app, ["verify", str(reference_path), "--format", "json"]).output
    )
    assert doc["layout"] == "ctslink"
    assert [c["category"] for c in doc["inconsistencies"]] == [
        "roll-forward",
        "rate",
        "overcollateralization",
        "overcollateralization",
        "account",
    ]
    assert doc["rounding"] == []


def test_the_bare_exhibit_verifies_like_the_8k(bt_text: str) -> None:
    bare = bt_text[bt_text.index("<TYPE>EX-20.1") :]
    one, two = verify_text(bare), verify_text(bt_text)

    def findings(report: Report) -> list[tuple[Key, str, str, str]]:
        return [
            (f.key, f.published, f.expected, c.category) for c in report.causes for f in c.findings
        ]

    assert findings(one) == findings(two)
    assert len(findings(one)) == 10
    assert one.cells == two.cells == 668


def test_figures_in_remit_terms_whatever_the_layout(
    bt_read: ReadResult, reference_read: ReadResult
) -> None:
    """The layout's vocabulary says which cells mean what: both layouts give the certificates'
    and the collateral's figures under the same names."""
    bt = verify_result(bt_read).figures
    cts = verify_result(reference_read).figures
    assert bt["certificates"]["C"] == {
        "rate": "0.000000",
        "beginning_balance": "3532291.89",
        "interest": "0.00",
        "principal": "0.00",
        "realized_loss": "0.00",
        "deferred_interest": "1833007.72",
        "ending_balance": "5365299.61",
        "total_distribution": "0.00",
    }
    assert bt["certificates"]["A-1A"]["cusip"] == "00253CFK8"
    assert list(bt["certificates"]) == [*FIXED_CLASSES, "A-1A", "A-2A", "C", "R-II"]
    assert bt["collateral"] == {
        "beginning_balance": "645008411.46",
        "ending_balance": "640191948.34",
        "beginning_count": 8401,
        "ending_count": 8345,
    }
    assert cts["certificates"]["A"]["interest"] == "1041984.29"
    assert cts["collateral"]["ending_count"] == 2402
    shared = {"cusip", "rate", "beginning_balance", "interest", "principal", "ending_balance"}
    for figures in (bt, cts):
        assert all(shared <= set(f) for c, f in figures["certificates"].items() if "cusip" in f)


FIXED_CLASSES = ["A-1F", "A-2F", "A-3F", "A-4F", "A-5F", "A-6F"]
