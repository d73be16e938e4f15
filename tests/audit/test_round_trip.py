"""Round trip: the statement remit renders for the example deal, read back, gives every
cell's value of the model; and verify finds it consistent (remit's own close satisfies
every identity)."""

from __future__ import annotations

from pathlib import Path

import pytest

import remit
from remit.audit.verify import verify_text
from remit.statement import build_statement
from remit.statement.model import Statement
from remit.statement.reader import read, row_sections, to_statement

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "thornburg-2003-2"


@pytest.fixture(scope="module")
def model() -> Statement:
    return build_statement(remit.load_deal(EXAMPLE).close("2003-04-25"))


@pytest.fixture(scope="module")
def every_period() -> list[Statement]:
    """The statement of every distribution date the example deal has a remittance for."""
    deal = remit.load_deal(EXAMPLE)
    out, state = [], None
    for when in sorted(deal.remittance_files):
        result = deal.close(when, state)
        state = result.state
        out.append(build_statement(result))
    return out


def test_every_cell_reads_back(model: Statement) -> None:
    assert_reads_back(model)


def test_every_period_reads_back_and_verifies(every_period: list[Statement]) -> None:
    """Later periods exercise what the first does not: extra principal distributions that
    build the OC, a liquidation with a realized loss, accrual periods of 29 to 32 days."""
    assert len(every_period) >= 12
    days = set()
    for st in every_period:
        assert_reads_back(st)
        report = verify_text(st.to_edgar(), str(st.distribution_date))
        assert report.consistent, report.to_text()
        days.add(report.inferred.days)
    assert days == {22, 29, 30, 31, 32}


def assert_reads_back(model: Statement) -> None:
    res = read(model.to_edgar())
    assert res.problems == []
    grid = row_sections()
    compared = 0
    for sec in model.sections:
        for row in sec.rows:
            name = row.label if sec.key in grid else row.key
            for col, cell in row.cells.items():
                if cell.value is None:
                    continue
                key = (sec.key, name, col)
                if key not in res.cells:
                    # the layout prints some model cells nowhere (e.g. a totals rate)
                    continue
                assert res.value(key) == cell.value, key
                compared += 1
    # every cell the reader found was compared with the model
    assert compared == len(res.cells) >= 602


def test_to_statement_maps_one_to_one(model: Statement) -> None:
    parsed = to_statement(read(model.to_edgar()))
    assert parsed.distribution_date == model.distribution_date
    assert parsed.record_date == model.record_date
    # every section the EDGAR text prints (the Net WAC cap and trigger test sections are in
    # the statement model only)
    printed = [s.key for s in model.sections if s.key not in ("oc_net_wac_cap", "oc_tests")]
    assert [s.key for s in parsed.sections] == printed
    assert parsed.value("distribution_summary", "totals", "interest_distribution") == (
        model.value("distribution_summary", "totals", "interest_distribution")
    )
    assert parsed.value("collateral", "beginning_balance") == model.value(
        "collateral", "beginning_balance"
    )
    assert parsed.value("delinquency", "30 Days", "delinquent_count") == 24


def test_rendered_statement_is_consistent(model: Statement) -> None:
    report = verify_text(model.to_edgar(), "rendered")
    assert report.consistent, report.to_text()
    assert report.checked > 350
