"""``remit explain`` explains what was stored and points at the figure named.

* Every figure of every section can be named by what the statement prints -- the section's
  title, the row's label (the words before a figure on a line of its own), the column's
  header -- and the explanation is of that very figure, printed as the statement prints it.
* The stored form (``remit explain DEAL_ID DATE ...``) explains the stored period: the value
  ``remit show`` prints, for the version asked, closed from remittances or from a loan tape.
* A basis states the rule: explaining a later date quotes no figure of the reference date's
  statement that the later statement does not print itself."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from remit.api import Deal
from remit.cli import app
from remit.statement import Statement
from remit.statement.explain import explain, find_cell
from remit.statement.printed import cell_format, row_label, show
from tests.conftest import EXAMPLE
from tests.store.helpers import amend_penalties

runner = CliRunner()
AMOUNT = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+\.\d\d(?!\d)")


def cli(*args: str) -> str:
    res = runner.invoke(app, list(args))
    assert res.exit_code == 0, (args, res.stdout, res.stderr)
    return res.stdout


def printed_cells(st: Statement) -> list[tuple[str, str, str, str, str]]:
    """Every figure as printed: (section title, row label, column header, column key, shown)."""
    out = []
    for sec in st.sections:
        for row in sec.rows:
            for key in row.cells:
                header = sec.columns.get(key, key)
                shown = show(row.cells[key].value, cell_format(st, sec, row, key))
                out.append((sec.title, row_label(st, sec, row), header, key, shown))
    return out


@pytest.mark.parametrize("date", ["2003-04-25", "2004-02-25"])
def test_every_printed_label_names_its_own_figure(example_deal: Deal, date: str) -> None:
    st = example_deal.close(date).statement
    cells = printed_cells(st)
    assert len(cells) > 550
    wrong = []
    for sec in st.sections:
        for row in sec.rows:
            for key, cell in row.cells.items():
                title, label, header = sec.title, row_label(st, sec, row), sec.columns.get(key)
                column = header if header is not None else key
                _, _, _, found = find_cell(st, title, label, column)
                if found is not cell:
                    wrong.append((sec.key, row.key, key, title, label, column))
    assert wrong == []


def test_the_explanation_prints_the_figure_as_the_statement_does(example_deal: Deal) -> None:
    result = example_deal.close("2003-04-25")
    st = result.statement
    title = "Principal Distribution Factors Statement (continued)"
    text = explain(result, st, title, "A", "Ending Certificate Balance")
    assert text.splitlines()[0] == f"{title} / A / Ending Certificate Balance = 24,678.22431125"
    text = explain(result, st, title, "A", "Realized Loss")
    assert text.splitlines()[0].endswith("= 0.00000000")  # a zero factor, never 0E-8
    text = explain(result, st, "Collateral Statement", "Weighted Average Gross Coupon", "value")
    assert text.splitlines()[0] == (
        "Collateral Statement / Weighted Average Gross Coupon / Amount = 4.540624%"
    )
    text = explain(
        result, st, "certificateholder  distribution summary", "TOTALS", "interest distribution"
    )
    assert text.splitlines()[0].endswith("Totals / Interest Distribution = 3,741,113.74")


def test_explaining_a_later_date_quotes_none_of_the_reference_dates_figures(
    example_deal: Deal,
) -> None:
    april = example_deal.close("2003-04-25").statement.to_edgar()
    may_result = example_deal.close("2003-05-27")
    may = may_result.statement
    may_text = may.to_edgar()
    # the deal's own constants (the cut-off balance, the classes' original balances) may be
    # quoted on any date: they are not the reference date's figures
    spec = example_deal.spec
    constants = {f"{spec.collateral.cut_off_balance:,}"} | {
        f"{c.original_balance:,}" for c in spec.classes
    }
    april_only = set(AMOUNT.findall(april)) - set(AMOUNT.findall(may_text)) - constants
    assert "1,041,984.29" in april_only and "2,653,685.85" not in may_text
    quoted: dict[str, set[str]] = {}
    for sec in may.sections:
        for row in sec.rows:
            for key in row.cells:
                text = explain(may_result, may, sec.key, row.key, key)
                found = set(AMOUNT.findall(text)) & april_only
                if found:
                    quoted[f"{sec.key}/{row.key}/{key}"] = found
    assert quoted == {}


@pytest.fixture()
def deal_copy(tmp_path: Path) -> Path:
    deal = tmp_path / "deal"
    shutil.copytree(EXAMPLE, deal)
    return deal


def edgar_line_with(text: str, label: str) -> str:
    return next(line for line in text.splitlines() if line.lstrip().startswith(label))


def test_the_stored_form_explains_the_stored_version(deal_copy: Path, tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'remit.db'}"
    for _ in range(2):
        cli("close", str(deal_copy), "--next", "--quiet", "--db", db)
    amend_penalties(deal_copy, "2003-05-27")
    cli("close", str(deal_copy), "--date", "2003-05-27", "--restate", "--reason", "r", "--db", db)
    # the deal directory now holds the amended remittance; version 1 is explained as stored
    args = ["Certificateholder Distribution Summary", "B-IO", "Interest Distribution"]
    for version in ("1", "2"):
        shown = cli("show", "tmst-2003-2", "2003-05-27", "--version", version, "--db", db)
        line = edgar_line_with(shown, "B-IO")
        first = cli(
            "explain", "tmst-2003-2", "2003-05-27", *args, "--version", version, "--db", db
        ).splitlines()[0]
        value = first.rsplit("= ", 1)[1]
        assert f" {value} " in f" {line} ", (version, value, line)
    v1 = cli("explain", "tmst-2003-2", "2003-05-27", *args, "--version", "1", "--db", db)
    v2 = cli("explain", "tmst-2003-2", "2003-05-27", *args, "--db", db)
    assert v1 != v2 and "prepayment_penalties" in v2
    # the deal-directory form closes the directory's (amended) remittances in memory
    in_memory = cli("explain", str(deal_copy), "--date", "2003-05-27", *args)
    assert in_memory.splitlines()[0] == v2.splitlines()[0]


def test_the_stored_form_explains_a_period_closed_from_a_tape(tmp_path: Path) -> None:
    tape = tmp_path / "tape"
    cli("tape", "generate", str(EXAMPLE), "--out", str(tape), "--months", "1", "--seed", "3")
    db = f"sqlite:///{tmp_path / 'tape.db'}"
    cli("close", str(EXAMPLE), "--next", "--tape", str(tape), "--quiet", "--db", db)
    shown = cli("show", "tmst-2003-2", "2003-04-25", "--db", db)
    for label, column in (("A", "Principal Distribution"), ("B-IO", "Interest Distribution")):
        first = cli(
            "explain",
            "tmst-2003-2",
            "2003-04-25",
            "distribution_summary",
            label,
            column,
            "--db",
            db,
        ).splitlines()[0]
        value = first.rsplit("= ", 1)[1]
        assert f" {value} " in f" {edgar_line_with(shown, label)} "
        # the tape's own collections, not the deal directory's remittance
        assert value not in ("13,381,671.41", "2,667,685.85")


def test_the_two_forms_are_told_apart_by_date(tmp_path: Path) -> None:
    res = runner.invoke(app, ["explain", str(EXAMPLE), "2003-04-25", "a", "b", "c"])
    assert res.exit_code == 2 and "--date" in res.stderr and "deal id" in res.stderr
    res = runner.invoke(app, ["explain", "tmst-2003-2", "2003-04-25", "a", "b"])
    assert res.exit_code == 2 and "DEAL_ID DATE SECTION ROW COLUMN" in res.stderr
    res = runner.invoke(
        app,
        [
            "explain",
            "tmst-2003-2",
            "2003-04-25",
            "a",
            "b",
            "c",
            "--db",
            f"sqlite:///{tmp_path}/x.db",
        ],
    )
    assert res.exit_code == 2 and not (tmp_path / "x.db").exists()
