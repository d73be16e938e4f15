"""Every rendering carries the statement's numbers: each format is read back (the PDF with
pdftotext, the CSV and XLSX cells, the JSON, the HTML table cells) and every cell compared
with the statement model."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from datetime import date, datetime
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from remit.cli import app
from remit.publish.period import Published, load_period
from remit.statement.formats import parse_number
from remit.statement.model import Statement, Value
from remit.store import Store

from .conftest import ClosedStore

FORMATS = ("html", "pdf", "csv", "xlsx", "json", "edgar", "factors")


@pytest.fixture(scope="module", params=["tmst-2003-2", "psmt-2003-s1"])
def period(request: pytest.FixtureRequest, store: Store, closed_store: ClosedStore) -> Published:
    deal_id = request.param
    # the reference date of the OC deal; the twelfth month (losses, a retired group) of the other
    when = closed_store.dates[deal_id][0 if deal_id == "tmst-2003-2" else -1]
    return load_period(store, deal_id, when)


@pytest.fixture(scope="module")
def rendered(
    period: Published, closed_store: ClosedStore, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    out = tmp_path_factory.mktemp(f"render-{period.deal_id}")
    args = ["render", period.deal_id, period.distribution_date.isoformat(), "--out", str(out)]
    for f in FORMATS:
        args += ["--format", f]
    r = CliRunner().invoke(app, [*args, "--db", closed_store.url])
    assert r.exit_code == 0, r.stderr
    return out


def cells(st: Statement) -> list[tuple[str, str, str, Value]]:
    return [
        (s.key, r.key, k, c.value) for s in st.sections for r in s.rows for k, c in r.cells.items()
    ]


def same(shown: str, value: Value) -> bool:
    """A printed figure read back equals the model's value."""
    if value is None:
        return shown in ("", "N/A")
    if isinstance(value, date):
        return datetime.strptime(shown, "%m/%d/%Y").date() == value
    if isinstance(value, str):
        return " ".join(shown.split()) == " ".join(value.split())
    number = parse_number(shown)
    return number is not None and number == Decimal(value)


def test_json_carries_every_cell(period: Published, rendered: Path) -> None:
    doc = json.loads((rendered / "statement.json").read_text())
    got = {
        (s["key"], r["key"], k): c["value"]
        for s in doc["sections"]
        for r in s["rows"]
        for k, c in r["cells"].items()
    }
    expected = cells(period.statement)
    assert len(got) == len(expected)
    for sec, row, col, value in expected:
        v = got[(sec, row, col)]
        if value is None or isinstance(value, str | int):
            assert v == value, (sec, row, col)
        elif isinstance(value, date):
            assert v == value.isoformat()
        else:
            assert Decimal(v) == value and Decimal(v).as_tuple() == value.as_tuple()


def test_edgar_is_the_stored_statement(period: Published, rendered: Path) -> None:
    assert (rendered / "statement.txt").read_text(encoding="ascii") == period.stored.statement_text


def test_csv_one_file_per_table_every_cell_exact(period: Published, rendered: Path) -> None:
    st = period.statement
    for sec in st.sections:
        with (rendered / f"{sec.key}.csv").open(newline="") as fh:
            rows = list(csv.reader(fh))
        assert rows[0] == ["Row", *sec.columns.values()]
        assert len(rows) == len(sec.rows) + 1
        for got, row in zip(rows[1:], sec.rows, strict=True):
            for text, key in zip(got[1:], sec.columns, strict=True):
                value = row.cells[key].value if key in row.cells else None
                if value is None:
                    assert text == ""
                elif isinstance(value, date):
                    assert date.fromisoformat(text) == value
                elif isinstance(value, str):
                    assert text == value
                else:
                    assert Decimal(text) == value and "," not in text, (sec.key, row.key, key)


def test_xlsx_one_sheet_per_table_numbers_as_numbers(period: Published, rendered: Path) -> None:
    from openpyxl import load_workbook

    st = period.statement
    wb = load_workbook(rendered / "statement.xlsx")
    assert wb.sheetnames == [s.key for s in st.sections]
    raw = _raw_numbers(rendered / "statement.xlsx", wb.sheetnames)
    numbers = 0
    for sec in st.sections:
        ws = wb[sec.key]
        assert ws["A1"].value == sec.title
        assert [c.value for c in ws[2]][1:] == list(sec.columns.values())
        for i, row in enumerate(sec.rows, start=3):
            for j, key in enumerate(sec.columns, start=2):
                got = ws.cell(row=i, column=j).value
                value = row.cells[key].value if key in row.cells else None
                if value is None or isinstance(value, str):
                    assert got == value, (sec.key, row.key, key)
                elif isinstance(value, date):
                    assert got.date() == value
                else:
                    assert isinstance(got, int | float), (sec.key, row.key, key, got)
                    # an Excel number is a double: a figure of up to 15 significant digits
                    # reads back exactly at its decimals, a longer one to 15 digits
                    exact = Decimal(raw[sec.key][ws.cell(row=i, column=j).coordinate])
                    assert float(exact) == got
                    d = Decimal(value)
                    if len(d.as_tuple().digits) <= 15:
                        assert exact.quantize(d) == d, (sec.key, row.key, key)
                    else:
                        assert abs(exact - d) <= abs(d) * Decimal("1e-15"), (sec.key, row.key)
                    numbers += 1
    assert numbers > 300


def _raw_numbers(path: Path, names: list[str]) -> dict[str, dict[str, str]]:
    """The literal <v> of every numeric cell, per sheet (sheetN.xml in sheet order)."""
    import re
    import zipfile

    out: dict[str, dict[str, str]] = {}
    cell = re.compile(r'<c r="([A-Z]+[0-9]+)"(?: s="[0-9]+")? t="n"><v>([^<]*)</v>')
    with zipfile.ZipFile(path) as zf:
        for n, name in enumerate(names, start=1):
            xml = zf.read(f"xl/worksheets/sheet{n}.xml").decode("utf-8")
            out[name] = dict(cell.findall(xml))
    return out


class _Cells(HTMLParser):
    """The text of every <td data-col> under <tr data-row> in <table data-section>."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: dict[tuple[str, str, str], str] = {}
        self.labels: dict[tuple[str, str], str] = {}
        self._at: list[str | None] = [None, None, None]
        self._label = False
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table" and a.get("data-section"):
            self._at[0] = a["data-section"]
        elif tag == "tr":
            self._at[1] = a.get("data-row")
        elif tag == "td" and self._at[1] is not None:
            self._at[2] = a.get("data-col")
            self._label = a.get("class") == "label"
            self._text = []

    def handle_data(self, data: str) -> None:
        self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        sec, row, col = self._at
        if tag == "td" and sec and row:
            if self._label:
                self.labels[(sec, row)] = "".join(self._text)
            elif col:
                self.cells[(sec, row, col)] = "".join(self._text)
            self._at[2], self._label = None, False


def test_html_table_cells_read_back(period: Published, rendered: Path) -> None:
    parser = _Cells()
    parser.feed((rendered / "statement.html").read_text(encoding="utf-8"))
    st = period.statement
    for sec, row, col, value in cells(st):
        assert same(parser.cells[(sec, row, col)], value), (sec, row, col, value)
    # a column a row does not print is an empty cell
    assert all(
        parser.cells[(s.key, r.key, k)] == ""
        for s in st.sections
        for r in s.rows
        for k in s.columns
        if k not in r.cells
    )
    assert parser.labels[("distribution_summary", "totals")] == "Totals"


def _pdf_text(path: Path) -> list[str]:
    exe = shutil.which("pdftotext")
    assert exe, "pdftotext (Debian poppler-utils) is needed: scripts/system-deps installs it"
    out = subprocess.run([exe, "-layout", str(path), "-"], capture_output=True, check=True)
    return [" ".join(line.split()) for line in out.stdout.decode("utf-8").splitlines()]


def _row_matches(rest: list[str], values: list[Value]) -> bool:
    """The tokens after a row's label are its values, in column order."""
    i = 0
    for v in values:
        if isinstance(v, str):
            words = v.split()
            if rest[i : i + len(words)] != words:
                return False
            i += len(words)
        else:
            if i >= len(rest) or not same(rest[i], v):
                return False
            i += 1
    return i == len(rest)


def test_pdf_text_carries_every_cell_in_order(period: Published, rendered: Path) -> None:
    """pdftotext's layout text: each section's title, then each row as one line -- its
    label and its values in column order -- found in the statement's order."""
    from remit.publish.cells import tables

    lines = _pdf_text(rendered / "statement.pdf")
    at = 0
    st = period.statement
    checked = 0
    for t in tables(st):
        at = lines.index(" ".join(t.title.split()), at)
        for row, label in t.rows:
            values = [row.cells[k].value for k, _ in t.columns if k in row.cells]
            values = [v for v in values if v is not None]
            head = " ".join(label.split())
            start = at
            while not (
                lines[at].startswith(head) and _row_matches(lines[at][len(head) :].split(), values)
            ):
                at += 1
                assert at < len(lines), (t.key, row.key, label, values, lines[start : start + 5])
            checked += len(values)
    assert checked == sum(1 for *_, v in cells(st) if v is not None)


def test_pdf_is_byte_stable(period: Published, rendered: Path) -> None:
    from remit.publish.pdf import render_pdf

    assert render_pdf(period.statement) == (rendered / "statement.pdf").read_bytes()


def test_factor_file(period: Published, rendered: Path) -> None:
    with (rendered / "factors.csv").open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    st = period.statement
    classes = [r for r in st.section("distribution_summary").rows if r.key != "totals"]
    assert [r["class"] for r in rows] == [r.label for r in classes]
    for got, r in zip(rows, classes, strict=True):
        assert got["cusip"] == r.cells["cusip"].value
        assert got["distribution_date"] == st.distribution_date.isoformat()
        ending = st.value("distribution_summary_2", r.key, "ending_balance")
        face = st.value("principal_distribution", r.key, "original_face")
        assert isinstance(ending, Decimal) and isinstance(face, Decimal)
        factor = Decimal(got["factor"])
        assert factor.as_tuple().exponent == -8
        # ending balance / original face, to 8 decimals (hand check: half a unit of the 8th)
        assert face == 0 or abs(factor - ending / face) <= Decimal("0.000000005")


def test_reference_factor_by_hand(store: Store) -> None:
    """Class A after 25 April 2003: 1,026,292,228.59 / 1,039,673,900.00 = 0.98712897."""
    from remit.publish.tables import factor_rows

    st = load_period(store, "tmst-2003-2", "2003-04-25").statement
    rows = {r["class"]: r for r in factor_rows(st)}
    assert rows["A"] == {
        "cusip": "885220DC4",
        "class": "A",
        "factor": "0.98712897",
        "distribution_date": "2003-04-25",
    }
    assert rows["R-1"]["factor"] == "0.00000000"


def test_render_bad_input_writes_nothing(closed_store: ClosedStore, tmp_path: Path) -> None:
    out = tmp_path / "out"
    for args, where in (
        (["tmst-2003-2", "2003-04-25", "--format", "docx"], "--format"),
        (["tmst-2003-2", "2099-01-25", "--format", "pdf"], "2099-01-25"),
        (["nope", "2003-04-25", "--format", "pdf"], "nope"),
    ):
        r = CliRunner().invoke(app, ["render", *args, "--out", str(out), "--db", closed_store.url])
        assert r.exit_code == 2 and where in r.stderr
        assert not out.exists()


def test_csv_download_is_a_zip_of_the_tables(period: Published) -> None:
    import zipfile

    from remit.publish.render import download

    name, data = download(period.statement, "csv")
    assert name.endswith("-csv.zip")
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.namelist() == [f"{s.key}.csv" for s in period.statement.sections]
