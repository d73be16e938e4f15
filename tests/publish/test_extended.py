"""The extended statement (Regulation AB Item 1121), by hand on the reference date, and read
back from its renderings.

Hand figures for 25 April 2003, from the published statement: beginning pool 1,060,891,769.67,
scheduled principal 267,590.95, unscheduled 13,114,080.46, no liquidations; ending pool
1,047,510,098.26; class A 1,026,292,228.59 after distribution; LIBOR 1.30% + 0.34% = 1.64%;
22 days from the closing date, 3 April 2003."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from remit.api import Deal
from remit.cli import app
from remit.publish.cells import plain
from remit.publish.period import extended, load_period
from remit.statement.build import build_statement, extended_sections
from remit.statement.model import Section
from remit.store import Store

from .conftest import ClosedStore


@pytest.fixture(scope="module")
def reference(example_deal: Deal) -> dict[str, Section]:
    r = example_deal.close("2003-04-25")
    # the deal's first period: its life speeds are its month's, no history needed
    return {s.key: s for s in extended_sections(r)}


def v(sec: Section, row: str, col: str = "value") -> object:
    return sec.row(row).cells[col].value


def test_dates(reference: dict[str, Section]) -> None:
    s = reference["ext_dates"]
    assert v(s, "record_date") == date(2003, 3, 31)
    assert v(s, "distribution_date") == date(2003, 4, 25)
    # two business days before the accrual period starts on the closing date (Thu 3 April)
    assert v(s, "determination_date") == date(2003, 4, 1)
    assert v(s, "A", "accrual_start") == date(2003, 4, 3)
    assert v(s, "A", "accrual_end") == date(2003, 4, 24)
    assert v(s, "A", "days") == 22
    assert v(s, "A", "day_count") == "actual/360"


def test_index_margins_cap(reference: dict[str, Section]) -> None:
    s = reference["ext_rates"]
    assert v(s, "A", "index_value") == Decimal("1.300000")
    assert v(s, "A", "margin") == Decimal("0.340000")
    assert v(s, "A", "rate") == Decimal("1.640000")
    assert v(s, "A", "capped") == "No"
    assert v(s, "A", "basis_risk_carryforward") == Decimal("0.00")
    # Net WAC cap, Actual/360 adjusted: (interest 4,014,259.07 - fees 287,145.33) x 12 /
    # 1,060,891,769.67 x 30 / 22
    cap = Decimal("3727113.74") * 12 / Decimal("1060891769.67") * 30 / 22 * 100
    assert abs(v(s, "A", "net_wac_cap") - cap) < Decimal("0.000001")  # type: ignore[operator]


def test_trigger_tests(example_deal: Deal) -> None:
    # an OC deal's trigger tests are in its classic statement (not repeated when extended)
    st = build_statement(example_deal.close("2003-04-25"), extended=True)
    assert [x.key for x in st.sections].count("oc_tests") == 1
    assert "ext_triggers" not in [x.key for x in st.sections]
    s = st.section("oc_tests")
    enhancement = (Decimal("1047510098.26") - Decimal("1026292228.59")) / Decimal("1047510098.26")
    # the stepdown test reads the senior enhancement before distribution (the deal's
    # `stepdown_enhancement`, standard): class A before its principal, 1,039,673,900.00
    before = (Decimal("1047510098.26") - Decimal("1039673900.00")) / Decimal("1047510098.26")
    assert v(s, "stepdown", "actual") == (before * 100).quantize(Decimal("0.000001"))
    assert v(s, "stepdown", "threshold") == Decimal("4.000000")
    assert v(s, "stepdown", "result") == "Not reached"
    assert v(s, "delinquency_trigger", "threshold") == (enhancement * 50).quantize(
        Decimal("0.000001")
    )
    assert v(s, "delinquency_trigger", "result") == "Pass"
    assert v(s, "loss_trigger", "result") == "N/A"  # no loss limit in force in the first year
    assert v(s, "trigger_event", "actual") == "No"


def test_performance(reference: dict[str, Section]) -> None:
    s = reference["ext_performance"]
    smm = Decimal("13114080.46") / (Decimal("1060891769.67") - Decimal("267590.95"))
    cpr = (1 - (1 - smm) ** 12) * 100
    assert abs(v(s, "cpr_1m") - cpr) < Decimal("0.000001")  # type: ignore[operator]
    assert v(s, "cpr_life") == v(s, "cpr_1m")  # the first period is the whole life
    assert v(s, "cdr_1m") == Decimal("0.000000")
    assert v(s, "pool_factor") == (Decimal("1047510098.26") / Decimal("1060891769.67")).quantize(
        Decimal("0.00000001")
    )
    assert v(s, "delinquency_method") == "MBA"
    assert v(s, "modifications") is None  # not in a pool-level remittance: N/A, said why
    assert "not reported" in s.row("modifications").cells["value"].trace.basis  # type: ignore[union-attr]


def test_life_speeds_from_the_store(store: Store, closed_store: ClosedStore) -> None:
    """Life CPR over the twelve months of the senior/subordinate deal: from the product of
    the monthly survivals, computed here from the remittance files themselves."""
    import tomllib

    deal_dir = Path(__file__).resolve().parents[2] / "examples" / "prime-senior-sub"
    when = closed_store.dates["psmt-2003-s1"][-1]
    st = extended(store, load_period(store, "psmt-2003-s1", when))
    perf = st.section("ext_performance")
    survive = Decimal(1)
    outstanding = Decimal(0)
    history = {r.distribution_date.isoformat(): r for r in store.history("psmt-2003-s1")}
    files = sorted((deal_dir / "remittances").glob("*.toml"))
    for f in files:
        doc = tomllib.loads(f.read_text(), parse_float=Decimal)
        p = doc["principal"]
        begin = history[f.stem].pool_beginning
        prepaid = p["unscheduled_principal"] + p.get("repurchases_principal", 0)
        survive *= 1 - prepaid / (begin - p["scheduled_principal"])
        adv = doc.get("advances", {})
        outstanding += adv.get("p_and_i_advances", 0) - adv.get("reimbursements", 0)
    life_cpr = (1 - survive ** (Decimal(12) / len(files))) * 100
    assert abs(perf.row("cpr_life").cells["value"].value - life_cpr) < Decimal("0.000001")  # type: ignore[operator]
    assert perf.row("advances_outstanding").cells["value"].value == outstanding
    tests = st.section("ext_triggers")
    assert {r.key for r in tests.rows} == {
        "delinquency_test",
        "stepdown_conditions",
        "two_times",
        "depletion",
    }
    # two-times threshold: twice the original subordinate percentage
    assert tests.row("two_times").cells["threshold"].value == Decimal("7.000040")


def test_extended_renderings_carry_every_cell(
    closed_store: ClosedStore, store: Store, tmp_path: Path
) -> None:
    when = closed_store.dates["tmst-2003-2"][5]
    r = CliRunner().invoke(
        app,
        [
            "render",
            "tmst-2003-2",
            when,
            "--extended",
            "--format",
            "csv",
            "--format",
            "edgar",
            "--out",
            str(tmp_path),
            "--db",
            closed_store.url,
        ],
    )
    assert r.exit_code == 0, r.stderr
    st = extended(store, load_period(store, "tmst-2003-2", when))
    for sec in (s for s in st.sections if s.key.startswith("ext_")):
        with (tmp_path / f"{sec.key}.csv").open(newline="") as fh:
            rows = list(csv.reader(fh))
        for got, row in zip(rows[1:], sec.rows, strict=True):
            assert got[0] == row.label
            assert got[1:] == [
                plain(row.cells[k].value) if k in row.cells else "" for k in sec.columns
            ]
    # the EDGAR text stays the filed, classic statement
    assert (tmp_path / "statement.txt").read_text() == store.period(
        "tmst-2003-2", when
    ).statement_text
