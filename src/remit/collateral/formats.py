"""Loan tape, monthly activity and index fixing files: their columns, how they are read
(Parquet or CSV) and how they are checked.

Every column is declared once, here, with its kind, whether it is required, the SEC
Regulation AB II Schedule AL data point it follows (where one exists) and what it means;
``FORMATS.md`` documents the same list for people. Reading converts each column to a numpy
array in the engine's units:

* money: ``int64`` cents (a value with more than two decimals is refused);
* rates: ``int64`` in units of 1e-8 (``RATE_SCALE``), i.e. a millionth of a percent; a rate is
  a fraction (0.045 for 4.5%) with at most 8 decimals;
* dates: ``int32`` days since 1970-01-01 (``NO_DATE`` when empty);
* integers (terms, codes): ``int32``; flags: ``bool``; identifiers and text: Arrow strings.

Every offending row and field is reported, the first ``MAX_PROBLEMS`` of them, as one
:class:`~remit.errors.RemitError`. Rows are numbered from 1, the header not counted.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import numpy.typing as npt
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
import pyarrow.csv as pacsv  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from remit.arrowbuf import fixed, scalar, strings, to_numpy
from remit.errors import Problem, RemitError

I64 = npt.NDArray[np.int64]
I32 = npt.NDArray[np.int32]
F64 = npt.NDArray[np.float64]
Bool = npt.NDArray[np.bool_]

RATE_SCALE = 10**8
MAX_PROBLEMS = 50
NO_DATE = np.iinfo(np.int32).min
MAX_BALANCE_CENTS = 90_000_000_000  # $900,000,000: keeps balance x rate inside int64
#: the largest integer a float holds exactly (a larger one in a file is refused)
EXACT_INTEGER = 2**53
#: what an integer column (terms, days, codes) holds
MAX_INT32 = 2**31 - 1

Kind = Literal["id", "text", "money", "rate", "int", "date", "bool"]


@dataclass(frozen=True)
class Column:
    """One column of a file: name, kind, required or not, the Schedule AL data point, meaning."""

    name: str
    kind: Kind
    required: bool
    al: str
    doc: str


PRODUCT_TYPES = ("fixed", "arm", "hybrid_3_1", "hybrid_5_1", "hybrid_7_1", "hybrid_10_1")
ROUND_FLAGS = ("N", "U", "D")  # nearest, up, down
ZERO_BALANCE_CODES = {
    1: "payoff",
    2: "liquidation",
    3: "liquidation",
    6: "repurchase",
    9: "liquidation",
}

LOAN_COLUMNS: tuple[Column, ...] = (
    Column("asset_number", "id", True, "Asset number", "loan identifier, unique"),
    Column(
        "asset_group_number",
        "text",
        False,
        "Asset group number",
        "the loan group (required, and one of the deal's, for deals with loan groups)",
    ),
    Column(
        "deal_product",
        "text",
        False,
        "",
        "key of the deal's collateral.products it is reported under, or empty",
    ),
    Column(
        "product_type",
        "text",
        True,
        "Interest rate type / initial fixed period",
        "one of " + ", ".join(PRODUCT_TYPES),
    ),
    Column(
        "original_loan_amount",
        "money",
        True,
        "Original loan amount",
        "principal at origination",
    ),
    Column(
        "current_principal_balance",
        "money",
        True,
        "Scheduled principal balance",
        "scheduled principal balance at the cut-off date",
    ),
    Column(
        "original_interest_rate",
        "rate",
        False,
        "Original interest rate",
        "note rate at origination",
    ),
    Column(
        "current_interest_rate",
        "rate",
        True,
        "Current interest rate",
        "note rate in effect for the first accrual month after the cut-off",
    ),
    Column(
        "original_loan_term",
        "int",
        True,
        "Original amortization term",
        "months from the first payment date to maturity",
    ),
    Column(
        "first_payment_date",
        "date",
        True,
        "First payment date",
        "due date of the first installment",
    ),
    Column(
        "original_interest_only_term",
        "int",
        False,
        "Original interest-only term",
        "months of interest-only payments from the first payment date",
    ),
    Column(
        "index_type",
        "text",
        False,
        "Index type",
        "name of the index in the fixing table (ARMs)",
    ),
    Column("gross_margin", "rate", False, "ARM margin", "added to the index at each reset"),
    Column(
        "first_rate_change_date",
        "date",
        False,
        "First rate adjustment date",
        "first day of the first accrual month at a reset rate",
    ),
    Column(
        "rate_reset_frequency",
        "int",
        False,
        "Subsequent interest rate reset period",
        "months between resets",
    ),
    Column(
        "initial_rate_cap",
        "rate",
        False,
        "Initial interest rate cap (change) up/down",
        "largest change at the first reset",
    ),
    Column(
        "periodic_rate_cap",
        "rate",
        False,
        "Subsequent interest rate cap (change) up/down",
        "largest change at later resets",
    ),
    Column(
        "lifetime_rate_ceiling",
        "rate",
        False,
        "Lifetime maximum rate (ceiling)",
        "highest note rate; empty for none",
    ),
    Column(
        "lifetime_rate_floor",
        "rate",
        False,
        "Lifetime minimum rate (floor)",
        "lowest note rate",
    ),
    Column("arm_round_flag", "text", False, "ARM round flag", "N nearest, U up, D down"),
    Column("arm_round_factor", "rate", False, "ARM round factor", "0.00125 for 1/8%"),
    Column(
        "index_lookback_days",
        "int",
        False,
        "Index look-back (in days)",
        "fixing taken this many days before the change date",
    ),
    Column(
        "prepayment_penalty_total_term",
        "int",
        False,
        "Prepayment penalty total term",
        "months from the first payment date (informational)",
    ),
    Column(
        "subservicer_name",
        "text",
        False,
        "Primary servicer",
        "sub-servicer (informational)",
    ),
)

ACTIVITY_COLUMNS: tuple[Column, ...] = (
    Column("asset_number", "id", True, "Asset number", "loan identifier"),
    Column(
        "next_due_date",
        "date",
        False,
        "Next due date (paid-through date + 1 installment)",
        "due date of the oldest unpaid installment at the end of the period",
    ),
    Column(
        "curtailment_amount",
        "money",
        False,
        "Other principal adjustment / curtailment amount",
        "partial prepayment of principal",
    ),
    Column(
        "zero_balance_code",
        "int",
        False,
        "Zero balance code",
        "1 payoff, 2/3/9 liquidation, 6 repurchase; empty or 0 none",
    ),
    Column(
        "zero_balance_effective_date",
        "date",
        False,
        "Zero balance effective date",
        "payoff date (required for code 1)",
    ),
    Column(
        "payoff_amount",
        "money",
        False,
        "Unscheduled principal collected (payoff)",
        "principal repaid by a payoff: the whole balance",
    ),
    Column(
        "liquidation_proceeds",
        "money",
        False,
        "Liquidation proceeds / net sales proceeds",
        "gross proceeds",
    ),
    Column(
        "liquidation_expenses", "money", False, "Liquidation expenses", "deducted from the proceeds"
    ),
    Column(
        "prepayment_penalty_paid_amount",
        "money",
        False,
        "Prepayment penalty paid amount",
        "penalty collected",
    ),
    Column(
        "modified_interest_rate",
        "rate",
        False,
        "Modification: modified interest rate",
        "new fixed note rate from the next accrual month",
    ),
    Column(
        "modified_remaining_term",
        "int",
        False,
        "Modification: remaining term",
        "installments after this due date",
    ),
    Column("bankruptcy_flag", "bool", False, "Bankruptcy flag", "borrower in bankruptcy"),
    Column("foreclosure_flag", "bool", False, "Foreclosure flag", "loan in foreclosure"),
    Column("reo_flag", "bool", False, "REO flag", "property owned by the trust"),
    Column(
        "relief_act_flag",
        "bool",
        False,
        "Servicemembers Civil Relief Act indicator",
        "rate limited to 6%",
    ),
    Column(
        "reporting_period_actual_end_balance",
        "money",
        False,
        "Reporting period actual end balance",
        "the borrower's actual balance",
    ),
)

FIXING_COLUMNS: tuple[Column, ...] = (
    Column("index_type", "text", True, "Index type", "index name"),
    Column("fixing_date", "date", True, "", "date the value was set"),
    Column("value", "rate", False, "", "index value, a fraction (0.013 for 1.30%)"),
)


# Read and checked by nothing: carried for the servicer's and the investor's information
# (``asset_group_number`` is read, and required, for deals with loan groups).
INFORMATIONAL = frozenset(
    {
        "asset_group_number",
        "original_interest_rate",
        "prepayment_penalty_total_term",
        "subservicer_name",
    }
)


def fee_rate_column(fee_name: str) -> str:
    """The loan tape's per-loan rate column for a fee the servicer reports: ``<fee>_fee_rate``."""
    return f"{fee_name}_fee_rate"


def fee_column(fee_name: str) -> Column:
    return Column(
        fee_rate_column(fee_name),
        "rate",
        True,
        "Servicing fee percentage (and other fee rates)",
        f"annual rate of the {fee_name} fee on this loan (0 where it does not apply)",
    )


class Problems:
    """Collects problems; keeps the first ``MAX_PROBLEMS`` and counts the rest."""

    def __init__(self) -> None:
        self.items: list[Problem] = []
        self.more = 0

    @property
    def room(self) -> int:
        return max(MAX_PROBLEMS - len(self.items), 0)

    def add(self, p: Problem) -> None:
        if self.room:
            self.items.append(p)
        else:
            self.more += 1

    def rows(
        self, file: str, field: str, mask: Bool, values: pa.Array | None, expected: str
    ) -> None:
        """One problem per row where ``mask`` is true (row numbers from 1)."""
        bad = np.flatnonzero(mask)
        self.more += max(bad.size - self.room, 0)
        for i in bad[: self.room]:
            value = values[int(i)].as_py() if values is not None else None
            self.items.append(Problem(file, field, value, expected, int(i) + 1))

    def raise_if_any(self) -> None:
        if self.items:
            extra = []
            if self.more:
                extra = [Problem(self.items[0].file, "", f"{self.more} more", "(not listed)")]
            raise RemitError([*self.items, *extra])


def find_file(directory: Path, stem: str) -> Path:
    """``stem.parquet`` or ``stem.csv`` in ``directory``."""
    for ext in (".parquet", ".csv"):
        p = directory / f"{stem}{ext}"
        if p.is_file():
            return p
    raise RemitError.one(str(directory / stem), "", "(missing)", f"{stem}.parquet or {stem}.csv")


def _csv_header(path: Path) -> list[str]:
    """The column names of a CSV file's header line (UTF-8, quoted or not)."""
    with path.open("rb") as fh:
        first = fh.readline()
    try:
        line = first.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RemitError.one(
            str(path), "header", first[exc.start : exc.start + 4], "UTF-8 text"
        ) from None
    return [h.strip() for h in next(csv.reader([line]), [])]


def _first_bad_utf8(path: Path) -> tuple[int, bytes] | None:
    """The first row (counted from 1 after the header) whose bytes are not UTF-8."""
    with path.open("rb") as fh:
        for no, line in enumerate(fh):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as exc:
                return no, line[exc.start : exc.start + 4]
    return None


def _once(path: Path, names: Sequence[str]) -> None:
    """Refuse a file that names a column more than once."""
    twice = sorted(n for n, k in Counter(names).items() if k > 1)
    if twice:
        raise RemitError(
            Problem(str(path), n, "named more than once in the header", "each column once")
            for n in twice
        )


def read_table(path: Path, columns: Sequence[Column]) -> pa.Table:
    """The known columns of a Parquet or CSV file (CSV read as text, converted later)."""
    names = [c.name for c in columns]
    try:
        if path.suffix == ".csv":
            header = _csv_header(path)
            _once(path, header)
            types = {h: pa.string() for h in header}
            opts = pacsv.ConvertOptions(
                column_types=types,
                include_columns=[h for h in header if h in names],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            )
            return pacsv.read_csv(path, convert_options=opts)
        schema = pq.read_schema(path)
        _once(path, schema.names)
        present = [n for n in schema.names if n in names]
        text = [c.name for c in columns if c.kind == "text" and c.name in present]
        # one chunk per column (no copies to combine them), text columns as dictionaries
        f = pq.ParquetFile(path, memory_map=True, read_dictionary=text)
        return f.read(columns=present, use_threads=True)
    except (OSError, pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        if path.suffix == ".csv" and "UTF8" in str(exc):
            bad = _first_bad_utf8(path)
            if bad is not None:
                raise RemitError.one(str(path), "", bad[1], "UTF-8 text", row=bad[0]) from None
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise RemitError.one(str(path), "", first, "a readable Parquet or CSV file") from None


def _as_array(col: pa.ChunkedArray) -> pa.Array:
    arr = col.combine_chunks() if col.num_chunks != 1 else col.chunk(0)
    if pa.types.is_dictionary(arr.type):
        arr = arr.dictionary_decode()
    return arr


def _nulls(arr: pa.Array) -> Bool:
    """Null or empty (CSV) values."""
    if arr.null_count == 0 and not pa.types.is_string(arr.type):
        return np.zeros(len(arr), dtype=bool)
    empty = pc.is_null(arr)
    if pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
        empty = pc.or_(empty, pc.equal(pc.utf8_trim_whitespace(arr), ""))
    return to_numpy(empty, fill=True)


_NUMBER = r"^\s*-?[0-9]+(\.[0-9]*)?\s*$"


def _to_float(arr: pa.Array, nulls: Bool) -> tuple[F64, Bool]:
    """Floats from a numeric or text column; the second array marks unparsable values."""
    t = arr.type
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        ok_np = to_numpy(pc.match_substring_regex(arr, _NUMBER), fill=False)
        clean = pc.if_else(fixed(ok_np), arr, scalar("0", arr.type))
        vals = to_numpy(pc.cast(pc.utf8_trim_whitespace(clean), pa.float64()))
        return vals, ~ok_np & ~nulls
    if pa.types.is_integer(t):
        # exact below 2^53 as floats; larger integers are refused, not rounded
        ints = to_numpy(arr, fill=0)
        too_big = (ints > EXACT_INTEGER) | (ints < -EXACT_INTEGER)
        return np.where(too_big, 0, ints).astype(np.float64), too_big & ~nulls
    if pa.types.is_floating(t) or pa.types.is_decimal(t):
        vals = to_numpy(pc.cast(arr, pa.float64()), fill=0.0)
        if pa.types.is_floating(t):
            return vals, ~np.isfinite(vals) & ~nulls
        return vals, np.zeros(len(arr), dtype=bool)
    return np.zeros(len(arr)), ~nulls


def _decimal_cents(arr: pa.Array) -> I64 | None:
    """Fast path for a decimal column with scale 2: its unscaled integers are the cents.
    decimal64 holds them as int64 (read without a copy); decimal128 as the low 64-bit word of
    each 128-bit value (every amount below 9e16 fits)."""
    t = arr.type
    if not (pa.types.is_decimal(t) and t.scale == 2 and t.precision <= 18):
        return None
    if pa.types.is_decimal64(t):
        words = np.frombuffer(arr.buffers()[1], dtype=np.int64)
        lo = words[arr.offset : arr.offset + len(arr)]
    elif pa.types.is_decimal128(t):
        words = np.frombuffer(arr.buffers()[1], dtype=np.int64)
        lo = words[2 * arr.offset : 2 * (arr.offset + len(arr)) : 2].copy()
    else:
        return None
    if arr.null_count:
        lo = np.where(_nulls(arr), 0, lo)
    return np.asarray(lo, dtype=np.int64)


def convert_ids(file: str, col: Column, table: pa.Table, problems: Problems, n: int) -> pa.Array:
    """An identifier column as an Arrow string array (trimmed; "" for empty)."""
    if col.name not in table.column_names:
        problems.add(Problem(file, col.name, "(missing column)", "a text column"))
        return strings([""] * n, large=False)
    arr = _as_array(table.column(col.name))
    t = arr.type
    if not (pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_integer(t)):
        problems.add(Problem(file, col.name, str(t), "a text column"))
        return strings([""] * n, large=False)
    out = pc.fill_null(pc.cast(arr, pa.string()), scalar("", pa.string()))
    if _has_padding(out):
        out = pc.utf8_trim_whitespace(out)
    offsets = np.frombuffer(out.buffers()[1], dtype=np.int32)[out.offset : out.offset + n + 1]
    problems.rows(file, col.name, np.diff(offsets) == 0, arr, "a value (required)")
    return out


_SPACE = np.array([9, 10, 11, 12, 13, 32], dtype=np.uint8)


def _has_padding(arr: pa.Array) -> bool:
    """Whether any value starts or ends with white space (read from the raw buffers: Arrow's
    string kernels cost a third of a second to load on first use)."""
    n = len(arr)
    if n == 0 or arr.buffers()[2] is None:
        return False
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int32)[arr.offset : arr.offset + n + 1]
    data = np.frombuffer(arr.buffers()[2], dtype=np.uint8)
    full = np.diff(offsets) > 0
    ends = np.concatenate([data[offsets[:-1][full]], data[offsets[1:][full] - 1]])
    return bool(np.isin(ends, _SPACE).any())


@dataclass(frozen=True)
class Text:
    """A text column, dictionary-encoded: each row's position in ``values`` (trimmed; "" for
    empty), and the column as read (for error messages)."""

    index: I32
    values: list[str]
    raw: pa.Array | None

    def codes(self, vocabulary: Sequence[str]) -> I32:
        """Position of each row's value in ``vocabulary``; -1 where it is not there."""
        where = {v: i for i, v in enumerate(vocabulary)}
        table = np.array([where.get(v, -1) for v in self.values], dtype=np.int32)
        return np.asarray(table[self.index], dtype=np.int32)

    @property
    def empty(self) -> Bool:
        return np.asarray(self.codes([""]) == 0, dtype=bool)


def convert_text(file: str, col: Column, table: pa.Table, problems: Problems, n: int) -> Text:
    """A text column (low cardinality: products, index names, flags) as :class:`Text`."""
    if col.name not in table.column_names:
        if col.required:
            problems.add(Problem(file, col.name, "(missing column)", "a text column"))
        return Text(np.zeros(n, dtype=np.int32), [""], None)
    chunked = table.column(col.name)
    arr = chunked.combine_chunks() if chunked.num_chunks != 1 else chunked.chunk(0)
    t = arr.type.value_type if pa.types.is_dictionary(arr.type) else arr.type
    if not (pa.types.is_string(t) or pa.types.is_large_string(t) or pa.types.is_integer(t)):
        problems.add(Problem(file, col.name, str(t), "a text column"))
        return Text(np.zeros(n, dtype=np.int32), [""], None)
    d = arr if pa.types.is_dictionary(arr.type) else arr.dictionary_encode()
    values = ["" if v is None else str(v).strip() for v in d.dictionary.to_pylist()]
    values.append("")
    index = to_numpy(d.indices, fill=len(values) - 1).astype(np.int32)
    text = Text(index, values, arr)
    if col.required:
        problems.rows(file, col.name, text.empty, arr, "a value (required)")
    return text


def convert(
    file: str, col: Column, table: pa.Table, problems: Problems, n: int
) -> tuple[np.ndarray, Bool]:
    """A numeric, date or flag column as a numpy array in engine units, and its null mask.
    Missing optional columns are all null; missing required ones and bad values are
    recorded as problems."""
    if col.name not in table.column_names:
        if col.required:
            problems.add(Problem(file, col.name, "(missing column)", f"a {col.kind} column"))
        return _empty(col.kind, n), np.ones(n, dtype=bool)
    arr = _as_array(table.column(col.name))
    if arr.null_count == len(arr) and not col.required:
        return _empty(col.kind, n), np.ones(n, dtype=bool)
    nulls = _nulls(arr)
    if col.required:
        problems.rows(file, col.name, nulls, arr, f"a {col.kind} value (required)")
    kind = col.kind
    t = arr.type
    numeric = (
        pa.types.is_integer(t)
        or pa.types.is_floating(t)
        or pa.types.is_decimal(t)
        or pa.types.is_string(t)
        or pa.types.is_large_string(t)
    )
    if kind in ("money", "rate", "int") and not numeric:
        problems.add(Problem(file, col.name, str(t), f"a {kind} column (numbers)"))
        return _empty(kind, n), nulls
    if kind == "money":
        fast = _decimal_cents(arr)
        if fast is not None:
            return fast, nulls
        vals, bad = _to_float(arr, nulls)
        scaled = vals * 100.0
        bad |= ~nulls & ~(np.abs(scaled) < EXACT_INTEGER)  # NaN, inf, beyond 2^53 cents
        scaled[bad] = 0.0
        cents = np.rint(scaled)
        bad |= ~nulls & (np.abs(scaled - cents) > 1e-6 * np.maximum(1.0, np.abs(scaled)))
        problems.rows(file, col.name, bad, arr, "an amount with at most 2 decimals")
        return np.where(nulls | bad, 0, cents).astype(np.int64), nulls
    if kind == "rate":
        vals, bad = _to_float(arr, nulls)
        scaled = vals * RATE_SCALE
        units = np.rint(scaled)
        scaled -= units
        np.abs(scaled, out=scaled)
        # one pass to see whether anything is wrong (NaN fails every comparison)
        if (
            bad.any()
            or not (scaled <= 1e-4).all()
            or not ((units >= 0) & (units <= RATE_SCALE)).all()
        ):
            bad |= ~nulls & ~(scaled <= 1e-4)
            problems.rows(file, col.name, bad, arr, "a rate as a fraction with at most 8 decimals")
            units = np.where(nulls | bad, 0, units)
            problems.rows(file, col.name, units < 0, arr, "a rate of 0 or more")
            problems.rows(
                file,
                col.name,
                units > RATE_SCALE,
                arr,
                "a fraction no larger than 1 (0.045 for 4.5%)",
            )
            units = np.clip(units, 0, RATE_SCALE)  # refused above; no overflow in the cast
        return units.astype(np.int64), nulls
    if kind == "int":
        vals, bad = _to_float(arr, nulls)
        bad |= ~nulls & (vals != np.rint(vals))
        problems.rows(file, col.name, bad, arr, "a whole number")
        vals = np.where(nulls | bad, 0, vals)
        wide = ~(np.abs(vals) <= MAX_INT32)
        problems.rows(file, col.name, wide, arr, f"a whole number of at most {MAX_INT32:,d}")
        return np.where(wide, 0, vals).astype(np.int32), nulls
    if kind == "date":
        return _dates(file, col, arr, nulls, problems), nulls
    # bool
    if pa.types.is_boolean(t):
        return to_numpy(arr, fill=False), nulls
    if pa.types.is_integer(t):
        v = to_numpy(pc.cast(arr, pa.int64()), fill=0)
        problems.rows(file, col.name, (v != 0) & (v != 1), arr, "a flag: true/false or 1/0")
        return v == 1, nulls
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        low = pc.utf8_lower(pc.utf8_trim_whitespace(pc.fill_null(arr, scalar("", arr.type))))
        large = pa.types.is_large_string(low.type)
        yes = to_numpy(pc.is_in(low, strings(["true", "1", "y", "yes"], large)), fill=False)
        no = to_numpy(pc.is_in(low, strings(["false", "0", "n", "no", ""], large)), fill=False)
        problems.rows(file, col.name, ~yes & ~no, arr, "a flag: true/false or 1/0")
        return yes, nulls
    problems.add(Problem(file, col.name, str(t), "a boolean column"))
    return _empty(kind, n), nulls


def _dates(file: str, col: Column, arr: pa.Array, nulls: Bool, problems: Problems) -> I32:
    t = arr.type
    if pa.types.is_date(t) or pa.types.is_timestamp(t):
        d = pc.cast(pc.cast(arr, pa.date32()) if not pa.types.is_date32(t) else arr, pa.int32())
        return to_numpy(d, fill=NO_DATE).astype(np.int32)
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        clean = pc.utf8_trim_whitespace(pc.fill_null(arr, scalar("", arr.type)))
        parsed = pc.strptime(clean, format="%Y-%m-%d", unit="s", error_is_null=True)
        bad = to_numpy(pc.is_null(parsed), fill=True) & ~nulls
        problems.rows(file, col.name, bad, arr, "a date YYYY-MM-DD")
        days = pc.cast(pc.cast(parsed, pa.date32()), pa.int32())
        return to_numpy(days, fill=NO_DATE).astype(np.int32)
    problems.add(Problem(file, col.name, str(t), "a date column"))
    return np.full(len(arr), NO_DATE, dtype=np.int32)


def _empty(kind: Kind, n: int) -> np.ndarray:
    if kind == "date":
        return np.full(n, NO_DATE, dtype=np.int32)
    if kind == "bool":
        return np.zeros(n, dtype=bool)
    if kind == "int":
        return np.zeros(n, dtype=np.int32)
    return np.zeros(n, dtype=np.int64)


def duplicates(ids: pa.Array) -> Bool:
    """True on every row whose id appeared on an earlier row. Ids of one width (the usual
    case) are compared as big-endian integers after a stable sort; others by hashing."""
    n = len(ids)
    if n > 1 and ids.null_count == 0 and pa.types.is_string(ids.type):
        offsets = np.frombuffer(ids.buffers()[1], dtype=np.int32)[ids.offset : ids.offset + n + 1]
        width = int(offsets[1] - offsets[0])
        if 0 < width <= 32 and np.all(np.diff(offsets) == width):
            data = np.frombuffer(ids.buffers()[2], dtype=np.uint8)[offsets[0] : offsets[-1]]
            words = -(-width // 8)
            padded = np.zeros((n, words * 8), dtype=np.uint8)
            padded[:, :width] = data.reshape(n, width)
            keys = padded.view(">u8").astype(np.uint64)
            if words == 1:
                order = np.argsort(keys[:, 0], kind="stable")
            else:
                order = np.lexsort([keys[:, k] for k in range(words - 1, -1, -1)])
            sk = keys[order]
            same = np.all(sk[1:] == sk[:-1], axis=1)
            out = np.zeros(n, dtype=bool)
            out[order[1:][same]] = True
            return out
    first = to_numpy(pc.index_in(ids, value_set=ids), fill=-1)
    return np.asarray(first != np.arange(n), dtype=bool)
