"""Reading a published statement for import: the file's bytes, the statement read whole, its
distribution date, and its classes checked against the deal -- all in memory, before anything
is stored.

A statement (an 8-K or 10-D submission, or the bare exhibit) is read with the audit source
reader and the statement reader, checked to be a whole statement of the deal (its classes'
CUSIPs), and dated by the distribution date it prints. Each cell keeps its printed text and,
where it fits, its exact value: money in ``amount`` (to the cent), rates, factors and counts
in ``number`` (to 8 decimals). A printed number that does not fit exactly (more decimals, or
out of range) keeps only its printed text."""

from __future__ import annotations

import hashlib
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

from remit.audit.source import MAX_BYTES, decode, read_statement_file
from remit.audit.verify import check_read
from remit.errors import RemitError
from remit.records import PublishedCell, ReadStatement
from remit.spec import DealSpec
from remit.statement.formats import parse_number
from remit.statement.reader import NUMERIC_FORMATS, read

SHORT_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{2,4})$")
#: (scale, largest magnitude) of the exact values kept: 64-bit integers of 10^-scale units
#: (SQLite), within NUMERIC(20, 2) and NUMERIC(28, 8) (PostgreSQL)
AMOUNT_LIMITS = (2, min(Decimal(10) ** 18, Decimal(2**63 - 1).scaleb(-2)))
NUMBER_LIMITS = (8, min(Decimal(10) ** 20, Decimal(2**63 - 1).scaleb(-8)))


def read_file(path: Path) -> bytes:
    """The bytes of a statement file; RemitError (missing, a folder, too large, binary) as
    the statement check reports them."""
    read_statement_file(path)  # every refusal of the audit source reader
    try:
        with path.open("rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError as exc:
        raise RemitError.one(str(path), "", exc.strerror or str(exc), "a readable file") from None
    if len(data) > MAX_BYTES:
        raise RemitError.one(str(path), "", "a file that grew while read", "a statement file")
    return data


def short_date(text: str | None) -> date | None:
    """A printed M/D/YY (or M/D/YYYY) date; None when it is not one."""
    m = SHORT_DATE.match(text or "")
    if m is None:
        return None
    month, day, year = (int(g) for g in m.groups())
    if year < 100:
        year += 2000 if year < 70 else 1900
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _fits(v: Decimal, limits: tuple[int, Decimal]) -> bool:
    scale, bound = limits
    return v == v.quantize(Decimal(1).scaleb(-scale)) and abs(v) < bound


def exact_columns(printed: str, fmt: str) -> tuple[Decimal | None, Decimal | None]:
    """(amount, number): a printed figure's exact value in the column its format takes."""
    if fmt not in NUMERIC_FORMATS:
        return None, None
    v = parse_number(printed)
    if v is None or not v.is_finite():
        return None, None
    if fmt == "money" and _fits(v, AMOUNT_LIMITS):
        return v, None
    if _fits(v, NUMBER_LIMITS):
        return None, v
    return None, None


def _check_date(spec: DealSpec, name: str, printed: str | None) -> date:
    when = short_date(printed)
    if when is None:
        raise RemitError.one(
            name,
            "Distribution Date",
            printed or "(not printed)",
            "a 'Distribution Date: M/D/YY' line with a valid date",
        )
    first = spec.dates.first_distribution
    if when < first:
        raise RemitError.one(
            name,
            "Distribution Date",
            when.isoformat(),
            f"a distribution date of {spec.deal.id} (the first is {first.isoformat()})",
        )
    return when


def _check_classes(spec: DealSpec, name: str, cells: dict[tuple[str, str, str], str]) -> None:
    cusips = {
        row: v
        for (sec, row, col), v in cells.items()
        if (sec, col) == ("distribution_summary", "cusip")
    }
    expected = {c.name: c.cusip for c in spec.classes}
    if set(cusips.values()) != set(expected.values()):
        shown = ", ".join(f"{k} {v}" for k, v in cusips.items()) or "none"
        want = ", ".join(f"{k} {v}" for k, v in expected.items())
        raise RemitError.one(
            name,
            "distribution_summary/cusip",
            shown,
            f"the classes of deal {spec.deal.id} ({want}): is this a statement of another deal?",
        )


def prepare(spec: DealSpec, data: bytes, name: str) -> ReadStatement:
    """Read a published statement's bytes and check them against the deal: a whole statement,
    a distribution date printed on it and not before the deal's first, and the deal's classes
    (by CUSIP). RemitError, naming the file, for anything else."""
    text = decode(data, name)
    res = read(text)
    check_read(res, name)
    when = _check_date(spec, name, res.header.get("distribution_date"))
    _check_classes(spec, name, res.cells)
    cells = []
    for key, printed in res.cells.items():
        fmt = res.formats.get(key, "text")
        amount, number = exact_columns(printed, fmt)
        cells.append(PublishedCell(*key, printed, fmt, res.lines.get(key), amount, number))
    return ReadStatement(
        deal_id=spec.deal.id,
        deal_name=spec.deal.name,
        distribution_date=when,
        record_date=short_date(res.header.get("record_date")),
        file_name=name,
        file_sha256=hashlib.sha256(data).hexdigest(),
        text=text,
        cells=tuple(cells),
    )
