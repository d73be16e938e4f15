"""Single identities, each with a hand-computed case."""

from __future__ import annotations

import copy
from decimal import Decimal

from remit.audit.book import Book
from remit.audit.verify import verify_result
from remit.statement.reader import Key, ReadResult


def changed(res: ReadResult, **cells: str) -> ReadResult:
    """The reference with some cells printed otherwise (keys as 'section/row/column')."""
    out = copy.copy(res)
    out.cells = dict(res.cells)
    for path, text in cells.items():
        key = tuple(path.split("/"))
        assert key in out.cells, key
        out.cells[key] = text  # type: ignore[index]
    return out


def findings(res: ReadResult) -> dict[Key, tuple[str, str, str]]:
    return {
        f.key: (f.published, f.expected, f.rule)
        for c in verify_result(res).causes
        for f in c.findings
    }


def test_printed_precision_and_cut_numbers(reference_read: ReadResult) -> None:
    book = Book(reference_read)
    cut = ("interest_distribution", "A", "original_face")  # printed '1,039,673,900.0'
    assert book.matches(cut, Decimal("1039673900.00"), None, None)
    assert not book.matches(cut, Decimal("1039673900.10"), None, None)
    factor = ("interest_factors_2", "B-IO", "total_interest")  # printed '382409096903.669'
    # 2,667,685.86 / 69.76 x 10,000,000 = 382,409,096,903.66972477: cut, not rounded
    assert book.matches(factor, Decimal("382409096903.66972477"), None, None)
    assert not book.matches(factor, Decimal("382409096903.67972477"), None, None)
    rate = ("collateral", "pass_through_rate", "value")  # printed '4.215826%'
    assert book.matches(rate, Decimal("4.2158264999"), None, None)
    assert not book.matches(rate, Decimal("4.2158265"), None, None)


def test_one_day_count_for_the_floating_classes(reference_read: ReadResult) -> None:
    # M-1 accrued for 23 days: 10,608,900.00 x 2.05% x 23 / 360 = 13,894.71 (printed in
    # both of its places); the other classes say 22 days: 10,608,900 x 2.05% x 22/360
    # = 13,290.5942 -> 13,290.59
    res = changed(
        reference_read,
        **{"interest_distribution/M-1/accrued_interest": "13,894.71"},
    )
    got = findings(res)
    published, expected, rule = got[("interest_distribution", "M-1", "accrued_interest")]
    assert (published, expected) == ("13,894.71", "13,290.59")
    assert rule == "current interest = balance x rate x 22 / 360 (class M-1)"
    assert verify_result(res).inferred.days == 22


def test_delinquency_percentage(reference_read: ReadResult) -> None:
    # 24 loans of 2,402: 0.99916736% -> 0.999167%; printed 0.999176% (a transposition)
    res = changed(reference_read, **{"delinquency_pct/30 Days/delinquent_count": "0.999176%"})
    published, expected, rule = findings(res)[("delinquency_pct", "30 Days", "delinquent_count")]
    assert (published, expected) == ("0.999176%", "0.999167%")
    assert rule == "delinquency percentage = count / ending loan count"


def test_factor(reference_read: ReadResult) -> None:
    # 13,381,671.41 / 1,039,673,900.00 x 25,000 = 321.775688754... -> 321.77568875
    res = changed(reference_read, **{"principal_factors/A/unscheduled_principal": "321.77568857"})
    published, expected, _ = findings(res)[("principal_factors", "A", "unscheduled_principal")]
    assert (published, expected) == ("321.77568857", "321.77568875")


def test_class_roll_forward(reference_read: ReadResult) -> None:
    # A: 1,039,673,900.00 - 13,381,671.41 = 1,026,292,228.59, printed three times; one
    # copy printed 1,026,292,228.95 is outvoted by the other two
    res = changed(
        reference_read, **{"principal_distribution_2/A/ending_balance": "1,026,292,228.95"}
    )
    got = findings(res)
    assert got[("principal_distribution_2", "A", "ending_balance")][:2] == (
        "1,026,292,228.95",
        "1,026,292,228.59",
    )
    assert ("distribution_summary_2", "A", "ending_balance") not in got


def test_fees_against_the_collateral_statement(reference_read: ReadResult) -> None:
    # net interest = 4,014,259.07 - (266,983.95 + 15,471.35 + 574.65 + 4,115.38)
    # = 3,727,113.74; printed 3,727,113.47
    res = changed(reference_read, **{"collateral_2/net_interest/value": "3,727,113.47"})
    published, expected, rule = findings(res)[("collateral_2", "net_interest", "value")]
    assert (published, expected) == ("3,727,113.47", "3,727,113.74")
    assert rule == "net interest = scheduled interest - fees"


def test_denominations_from_the_factor_tables(reference_read: ReadResult) -> None:
    """Without the footnotes, each class's denomination is read off its beginning-balance
    factor: 25000.00000000 x 1,039,673,900.00 / 1,039,673,900.00 = 25,000."""
    res = copy.copy(reference_read)
    res.footnotes = []
    report = verify_result(res)
    assert report.inferred.denominations_from == "factor tables"
    assert {k: int(v) for k, v in report.inferred.denominations.items()} == {
        "A": 25000,
        "M-1": 25000,
        "M-2": 25000,
        "B-IO": 10000000,
        "R-1": 50,
        "R-2": 50,
    }
    assert findings(res) == findings(reference_read)
