"""The statement for spreadsheets and data vendors: CSV (one file per table), XLSX (one sheet
per table, numbers as numbers, printed as the statement prints them) and the factor file
(CUSIP, class, factor, distribution date)."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from decimal import Decimal

from remit.publish.cells import cell_format, plain, tables
from remit.statement.model import Statement, Value

# Excel number formats for the statement's kinds of figure
EXCEL_FORMATS = {
    "money": "#,##0.00",
    "pct5": '0.00000"%"',
    "pct6": '0.000000"%"',
    "factor": "0.00000000",
    "factor_c": "#,##0.00000000",
    "ratio8": "0.00000000",
    "int": "#,##0",
    "int0": "0",
    "num2": "0.00",
    "date4": "0",
}


def csv_files(st: Statement) -> dict[str, str]:
    """``{section_key}.csv`` per table: a header row (the row label, then the columns'
    printed titles), then a row per statement row with exact values (no separators,
    percentages as printed without the sign, dates ISO)."""
    out: dict[str, str] = {}
    for t in tables(st):
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["Row", *(label for _, label in t.columns)])
        for row, label in t.rows:
            w.writerow(
                [
                    label,
                    *(plain(row.cells[k].value) if k in row.cells else "" for k, _ in t.columns),
                ]
            )
        out[f"{t.key}.csv"] = buf.getvalue()
    return out


def _excel_value(value: Value) -> Decimal | int | str | datetime | None:
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return value


def xlsx_bytes(st: Statement) -> bytes:
    """One sheet per table (named by the section key), the title above the header; numbers
    are numbers with the statement's format. An Excel number is a double: figures of up to
    15 significant digits (every amount under a trillion, rates, factors) are exact at their
    decimals; the few longer ones (a factor per 1,000 of a tiny notional face) keep 15
    digits here and every digit in the CSV and JSON."""
    from openpyxl import Workbook  # type: ignore[import-untyped]
    from openpyxl.styles import Font  # type: ignore[import-untyped]

    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    stamp = datetime(
        st.distribution_date.year, st.distribution_date.month, st.distribution_date.day
    )
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.creator = "remit"
    wb.properties.title = f"{st.deal_id} {st.distribution_date.isoformat()}"
    for t in tables(st):
        sec = st.section(t.key)
        ws = wb.create_sheet(t.key[:31])
        ws.append([t.title])
        ws["A1"].font = bold
        ws.append(["Row", *(label for _, label in t.columns)])
        for c in ws[2]:
            c.font = bold
        for row, label in t.rows:
            ws.append(
                [
                    label,
                    *(
                        _excel_value(row.cells[k].value) if k in row.cells else None
                        for k, _ in t.columns
                    ),
                ]
            )
            for j, (k, _) in enumerate(t.columns, start=2):
                if k in row.cells:
                    kind = cell_format(st, sec, row, k)
                    cell = ws.cell(row=ws.max_row, column=j)
                    if kind in EXCEL_FORMATS and isinstance(row.cells[k].value, Decimal | int):
                        cell.number_format = EXCEL_FORMATS[kind]
                    elif isinstance(row.cells[k].value, date):
                        cell.number_format = "mm/dd/yyyy"
        ws.column_dimensions["A"].width = (
            max(12, *(len(label) + 2 for _, label in t.rows)) if t.rows else 12
        )
        for j in range(2, len(t.columns) + 2):
            ws.column_dimensions[ws.cell(row=2, column=j).column_letter].width = 20
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


FACTOR_COLUMNS = ("cusip", "class", "factor", "distribution_date")


def factor_rows(st: Statement) -> list[dict[str, str]]:
    """Per class: its CUSIP, name, factor (ending balance / original face, 8 decimals, as
    the statement's Ending Certificate Percentage) and the distribution date."""
    summary = st.section("distribution_summary")
    pct = st.section("principal_distribution_2")
    rows = []
    for r in summary.rows:
        if r.key == "totals" or "cusip" not in r.cells:
            continue
        factor = pct.row(r.key).cells["ending_percentage"].value
        rows.append(
            {
                "cusip": str(r.cells["cusip"].value),
                "class": r.label,
                "factor": plain(factor),
                "distribution_date": st.distribution_date.isoformat(),
            }
        )
    return rows


def factors_csv(st: Statement) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=FACTOR_COLUMNS, lineterminator="\n")
    w.writeheader()
    w.writerows(factor_rows(st))
    return buf.getvalue()
