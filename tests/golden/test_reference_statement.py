"""Golden test: our statement for 2003-04-25 against the published one, cell by cell.

The published Exhibit 99.1 (copied into this folder) is read with the same layout reader as
our own rendering. Every numeric and text cell must match, except the cells listed in
``tmst-2003-2-2003-04-25.inconsistencies.csv``: there the published statement contradicts
itself, our figure is the consistent one, and the file says why."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from remit.api import Deal
from remit.statement import build_statement
from remit.statement.formats import parse_number
from remit.statement.reader import ReadResult, read

HERE = Path(__file__).resolve().parent
REFERENCE = HERE / "tmst-2003-2-2003-04-25.8k.txt"
INCONSISTENCIES = HERE / "tmst-2003-2-2003-04-25.inconsistencies.csv"


def same(a: str, b: str) -> bool:
    x, y = parse_number(a), parse_number(b)
    if x is not None and y is not None:
        return x == y
    return " ".join(a.split()) == " ".join(b.split())


@pytest.fixture(scope="module")
def published() -> ReadResult:
    return read(REFERENCE.read_text(encoding="ascii"))


@pytest.fixture(scope="module")
def ours(example_deal: Deal) -> ReadResult:
    result = example_deal.close("2003-04-25")
    return read(build_statement(result).to_edgar())


@pytest.fixture(scope="module")
def listed() -> dict[tuple[str, str, str], dict[str, str]]:
    with INCONSISTENCIES.open(newline="") as fh:
        return {(r["section"], r["row"], r["column"]): r for r in csv.DictReader(fh)}


def test_reference_is_read_whole(published: ReadResult) -> None:
    assert published.problems == []
    # 6 classes x 10 class tables + totals + accounts + delinquency + collateral: every cell
    assert len(published.cells) == 602
    assert published.cells[("distribution_summary", "A", "interest_distribution")] == "1,041,984.29"
    assert published.cells[("delinquency_pct", "30 Days", "delinquent_count")] == "0.999167%"


def test_our_statement_has_every_published_cell(published: ReadResult, ours: ReadResult) -> None:
    assert ours.problems == []
    assert set(ours.cells) == set(published.cells)


def test_every_cell_matches_or_is_a_listed_inconsistency(
    published: ReadResult, ours: ReadResult, listed: dict[tuple[str, str, str], dict[str, str]]
) -> None:
    unexplained = []
    for key, pub in published.cells.items():
        mine = ours.cells[key]
        if key in listed:
            row = listed[key]
            assert same(row["published"], pub), (
                f"{key}: listed published value is not the printed one"
            )
            assert same(row["ours"], mine), f"{key}: listed value is not ours"
            assert not same(pub, mine), f"{key}: listed as inconsistent but matches"
            assert row["why"].strip()
        elif not same(pub, mine):
            unexplained.append((key, pub, mine))
    assert unexplained == []


def test_the_inconsistencies_are_arithmetic_not_opinion() -> None:
    """The hand arithmetic behind the listed cells, from printed figures only."""
    pool_cut_off = Decimal("1060891769.67")
    certificates = Decimal("1039673900.00") + Decimal("10608900.00") * 2
    assert pool_cut_off - certificates == Decimal("69.67")  # printed B-IO: 69.76
    ending_pool = pool_cut_off - Decimal("267590.95") - Decimal("13114080.46")
    assert ending_pool == Decimal("1047510098.26")  # printed as the ending scheduled balance
    ending_certs = Decimal("1026292228.59") + Decimal("10608900.00") * 2
    assert ending_pool - ending_certs == Decimal("69.67")
    net_interest = Decimal("4014259.07") - Decimal("287145.33")
    assert net_interest == Decimal("3727113.74")  # printed as Net Interest
    cert_interest = Decimal("1041984.29") + Decimal("13290.59") + Decimal("18153.01")
    assert net_interest - cert_interest == Decimal("2653685.85")  # printed excess: .86
    assert Decimal("4014259.07") + Decimal("13381671.41") == Decimal("17395930.48")  # printed .49
    pt = (net_interest * 12 / pool_cut_off * 100).quantize(Decimal("0.000001"))
    assert pt == Decimal("4.215827")  # printed 4.215826%
    assert Decimal("2652229.42") - Decimal("69.67") == Decimal("2652159.75")


def test_text_layout_matches_line_for_line_where_figures_agree(
    example_deal: Deal, listed: dict[tuple[str, str, str], dict[str, str]]
) -> None:
    """Outside the listed cells our text is the published text: same lines, same columns.
    A line may differ only where it prints a listed cell, or where the published statement
    cut a number to its column width ("1,039,673,900.0", "10,000,000.000000") and we print it
    whole."""
    ours = build_statement(example_deal.close("2003-04-25")).to_edgar().splitlines()
    text = REFERENCE.read_text(encoding="ascii").splitlines()
    exhibit = text[text.index("<TABLE>") :]
    assert len(ours) == len(exhibit)
    cut = {"1,039,673,900.0", "10,000,000.000000"}
    published_values = {r["published"] for r in listed.values()} | cut
    for mine, theirs in zip(ours, exhibit, strict=True):
        if mine != theirs:
            assert set(theirs.split()) & published_values, (theirs, mine)
