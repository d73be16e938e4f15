"""Tables as columns: a dict from column name to a numpy array or a :class:`Category`, encoded
as Parquet with pyarrow, as CSV, or made a pandas ``DataFrame`` only where one is asked for.

A grid's parent and its workers write Parquet and CSV from columns and never import pandas:
importing it and tearing it down at exit cost a third of a second of every ``remit grid``
run, serial time that two workers cannot share. For the projections' own tables the files
are the ones pandas wrote (the same Parquet types: a categorical column as a dictionary with
pandas' index width, unless the caller fixes one, a date as a millisecond timestamp, NaN as
missing; the same CSV: floats at full precision, missing cells empty). Rows of Python values
(:func:`rows_table`, :func:`csv_text`: a grid's summary) differ from pandas where pandas
changes a type: a whole-number column with a missing value stays integers (pandas made it
floats, ``360.0``), a column of nothing but missing values is a string column (pandas: a
null one), a float32 value is written as the double it is, and a column mixing numbers and
text is text (pandas refuses it)."""

from __future__ import annotations

import csv
import io
import numbers
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from remit.arrowbuf import fixed, strings

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa  # type: ignore[import-untyped]


@dataclass(frozen=True)
class Category:
    """A column of a few distinct strings: a code per row (into ``names``). Written as a
    categorical (a dictionary: the names once, a code a row), or, with ``dictionary``
    false, as plain strings (made from the names' bytes, not string by string)."""

    codes: np.ndarray
    names: list[str]
    dictionary: bool = True


Column = np.ndarray | Category
Columns = dict[str, Column]


def length(cols: Columns) -> int:
    """The number of rows (of the first column; a table's columns are all as long)."""
    first = next(iter(cols.values()))
    return len(first.codes if isinstance(first, Category) else first)


def category(
    values: Sequence[str], per: int = 1, times: int = 1, dictionary: bool = True
) -> Category:
    """``values`` (first appearance order) each repeated ``per`` times, all of it ``times``
    times, as codes into its distinct names."""
    index = {v: i for i, v in enumerate(dict.fromkeys(values))}
    codes = np.array([index[v] for v in values], dtype=np.int64)
    return Category(np.tile(np.repeat(codes, per), times), list(index), dictionary)


def _index_type(n: int) -> np.dtype[np.signedinteger[Any]]:
    """The narrowest signed integer for the codes of ``n`` names, as pandas chooses it
    (``n`` below the type's largest value: 127 names get 16 bits)."""
    for t in (np.int8, np.int16, np.int32):
        if n < np.iinfo(t).max:
            return np.dtype(t)
    return np.dtype(np.int64)


# every column is made from its buffers (remit.arrowbuf): pyarrow's own conversions import
# pandas


def _repeated(c: Category) -> pa.Array:
    """A category's rows as a (large) string column: its names taken by its codes (in
    Arrow, without an index the size of the strings' bytes)."""
    return strings(c.names).take(fixed(c.codes.astype(np.int64)))


def _arrow_column(c: Column, index: np.dtype[Any] | None = None) -> pa.Array:
    import pyarrow as pa

    if isinstance(c, Category) and not c.dictionary:
        return _repeated(c)
    if isinstance(c, Category):
        width = _index_type(len(c.names)) if index is None else index
        codes = fixed(c.codes.astype(width))
        return pa.DictionaryArray.from_arrays(codes, strings(c.names, large=False))
    if c.dtype == object:
        return strings(list(c))
    return fixed(c)


def arrow(cols: Columns, index: np.dtype[Any] | None = None) -> pa.Table:
    """The columns as an Arrow table; a categorical's codes of type ``index``, by default
    the narrowest pandas would choose (the parts of one dataset need one type: a grid gives
    it)."""
    import pyarrow as pa

    arrays = [_arrow_column(v, index) for v in cols.values()]
    return pa.Table.from_arrays(arrays, names=list(cols))


def parquet_bytes(table: pa.Table) -> bytes:
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


def frame(cols: Columns) -> pd.DataFrame:
    """The columns as a pandas ``DataFrame`` (a :class:`Category` a categorical)."""
    import pandas as pd

    data: dict[str, object] = {}
    for k, v in cols.items():
        if isinstance(v, Category) and not v.dictionary:
            data[k] = np.asarray(v.names, dtype=object)[v.codes]
        elif isinstance(v, Category):
            data[k] = pd.Categorical.from_codes(v.codes, categories=pd.Index(v.names))
        else:
            data[k] = v
    return pd.DataFrame(data)


Row = Mapping[str, object]


def from_rows(rows: Sequence[Row]) -> dict[str, list[object]]:
    """Rows (dicts) as columns of Python values: every key of any row, in the order they
    first appear; ``None`` where a row lacks one."""
    names = list(dict.fromkeys(k for r in rows for k in r))
    return {k: [r.get(k) for r in rows] for k in names}


def _kind(values: list[object]) -> str:
    """A column's type: ``bool``, ``int``, ``float`` (ints and floats mixed) or ``str``
    (anything else); ``None`` is a missing value of any of them."""
    kinds = set()
    for t in {type(x) for x in values}:
        if t is type(None):
            continue
        if issubclass(t, bool | np.bool_):
            kinds.add("bool")
        elif issubclass(t, numbers.Integral):
            kinds.add("int")
        else:
            kinds.add("float" if issubclass(t, numbers.Real) else "str")
    if len(kinds) == 1:
        return kinds.pop()
    return "float" if kinds == {"int", "float"} else "str"


def _values(values: list[object], kind: str) -> list[object]:
    """The column as plain Python values of its kind (numpy scalars too), ``None`` for a
    missing one or a NaN."""
    if kind == "float":
        out = [None if x is None else float(x) for x in values]  # type: ignore[arg-type]
        return [None if x is None or x != x else x for x in out]
    if kind == "int":
        return [None if x is None else int(x) for x in values]  # type: ignore[call-overload]
    if kind == "bool":
        return [None if x is None else bool(x) for x in values]
    return [None if x is None else str(x) for x in values]


Typed = list[tuple[str, str, list[object]]]  # (name, kind, values of that kind)


def _typed(cols: Mapping[str, list[object]]) -> Typed:
    """Each column's kind and its values as that kind, worked out once."""
    out: Typed = []
    for name, v in cols.items():
        kind = _kind(v)
        out.append((name, kind, _values(v, kind)))
    return out


def _table(typed: Typed) -> pa.Table:
    import pyarrow as pa

    types = {"float": np.float64, "int": np.int64, "bool": np.bool_}
    out = []
    for _, kind, values in typed:
        if kind == "str":
            out.append(strings(values))  # type: ignore[arg-type]
            continue
        valid = np.array([x is not None for x in values], dtype=bool)
        filled: np.ndarray = np.array([0 if x is None else x for x in values], dtype=types[kind])
        out.append(fixed(filled, valid))
    return pa.Table.from_arrays(out, names=[name for name, _, _ in typed])


def _csv(typed: Typed, header: bool) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    if header:
        w.writerow(name for name, _, _ in typed)
    w.writerows(_cells(typed))
    return buf.getvalue()


def _cells(typed: Typed) -> Iterator[tuple[object, ...]]:
    cells = (["" if x is None else x for x in values] for _, _, values in typed)
    return zip(*cells, strict=True)


def _csv_lines(typed: Typed) -> list[str]:
    """A CSV line a row (each with its line end; a quoted field may hold a line end too)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    lines = []
    for row in _cells(typed):
        w.writerow(row)
        lines.append(buf.getvalue())
        buf.seek(0)
        buf.truncate()
    return lines


def rows_table(cols: Mapping[str, list[object]]) -> pa.Table:
    """Columns of Python values (:func:`from_rows`) as an Arrow table: 64-bit integers,
    doubles, booleans or (large, as pandas writes them) strings, ``None`` a null."""
    return _table(_typed(cols))


def csv_text(cols: Mapping[str, list[object]], header: bool = True) -> str:
    """Columns of Python values as CSV: a header (unless not asked for), then a line a row;
    floats at full double precision (the shortest repr that reads back the same), a missing
    value (``None``, NaN) an empty cell, a field quoted only when it must be."""
    return _csv(_typed(cols), header)


def table_and_csv(cols: Mapping[str, list[object]]) -> tuple[pa.Table, list[str]]:
    """:func:`rows_table` and the lines of :func:`csv_text` without its header (one a
    row), the columns' kinds worked out once for both."""
    typed = _typed(cols)
    return _table(typed), _csv_lines(typed)


__all__ = [
    "Category",
    "Columns",
    "arrow",
    "category",
    "csv_text",
    "frame",
    "from_rows",
    "parquet_bytes",
    "rows_table",
    "table_and_csv",
]
