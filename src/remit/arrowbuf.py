"""Arrow arrays to and from numpy through their buffers.

pyarrow's own conversions -- ``pa.array``, ``pa.scalar``, ``Array.to_numpy`` when it copies,
and every compute function or ``fill_null`` given a plain Python value, which it makes a
``pa.scalar`` -- import pandas, to look for pandas objects. That import costs some 0.15 s, and
as much again at exit, in every process that reads a loan tape or writes a grid's files:
serial time that a grid's workers cannot share. The readers of a tape
(:mod:`remit.collateral.formats`) and the projections' writers (:mod:`remit.project.columns`)
convert with these functions instead, which read and write the buffers themselves."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import pyarrow as pa  # type: ignore[import-untyped]


def validity(valid: np.ndarray | None) -> pa.Buffer | None:
    """A validity bitmap from booleans (False where the value is missing); none when every
    value is there."""
    import pyarrow as pa

    if valid is None or bool(valid.all()):
        return None
    return pa.py_buffer(np.packbits(valid, bitorder="little"))


def fixed(values: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """A numeric, boolean or date column from a numpy array (``valid``: False where the
    value is missing; a date becomes a millisecond timestamp, and a float NaN is missing,
    as pandas writes them)."""
    import pyarrow as pa

    if values.dtype.kind == "M":
        values, kind = values.astype("datetime64[ms]").view(np.int64), pa.timestamp("ms")
    elif values.dtype.kind == "b":
        data = pa.py_buffer(np.packbits(values, bitorder="little"))
        return pa.Array.from_buffers(pa.bool_(), len(values), [validity(valid), data])
    else:
        kind = pa.from_numpy_dtype(values.dtype)
        if values.dtype.kind == "f" and valid is None:
            valid = ~np.isnan(values)
    data = pa.py_buffer(np.ascontiguousarray(values))
    return pa.Array.from_buffers(kind, len(values), [validity(valid), data])


def strings(values: Sequence[str | None], large: bool = True) -> pa.Array:
    """A string column (large, as pandas writes them, or not); ``None`` missing."""
    import pyarrow as pa

    encoded = [b"" if v is None else v.encode() for v in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64 if large else np.int32)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    valid = np.array([v is not None for v in values], dtype=bool)
    buffers = [validity(valid), pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))]
    return pa.Array.from_buffers(pa.large_string() if large else pa.string(), len(values), buffers)


def scalar(value: str | int | float | bool, kind: pa.DataType) -> pa.Scalar:
    """``value`` as an Arrow scalar of type ``kind`` (a string, boolean, integer or float
    type): what ``fill_null`` and the compute functions take."""
    import pyarrow as pa

    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        one = strings([str(value)], large=pa.types.is_large_string(kind))
    elif pa.types.is_boolean(kind):
        one = fixed(np.array([bool(value)]))
    else:
        one = fixed(np.array([value], dtype=kind.to_pandas_dtype()))
    return one[0]


def _numpy_type(kind: pa.DataType) -> np.dtype[np.generic]:
    import pyarrow as pa

    t = pa.types
    if t.is_date32(kind):
        return np.dtype(np.int32)  # days since 1970-01-01
    if t.is_date64(kind) or t.is_timestamp(kind) or t.is_duration(kind):
        return np.dtype(np.int64)
    if t.is_integer(kind) or t.is_floating(kind):
        out: np.dtype[np.generic] = np.dtype(kind.to_pandas_dtype())
        return out
    raise TypeError(f"no numpy array from an Arrow {kind} array")


def _bits(buffer: pa.Buffer, offset: int, n: int) -> np.ndarray:
    bits = np.unpackbits(np.frombuffer(buffer, dtype=np.uint8), bitorder="little")
    return bits[offset : offset + n].astype(bool)


def to_numpy(arr: pa.Array, fill: object = None) -> np.ndarray:
    """A boolean, integer, float, date (int32 days) or timestamp (int64) array as numpy,
    ``fill`` at each missing value (an array with missing values needs one). Integers and
    floats without missing values are a view of the array's own buffer (not a copy: not to
    be written to)."""
    n = len(arr)
    buffers = arr.buffers()
    import pyarrow as pa

    if pa.types.is_boolean(arr.type):
        values = _bits(buffers[1], arr.offset, n) if n else np.zeros(0, dtype=bool)
    else:
        kind = _numpy_type(arr.type)
        values = (
            np.frombuffer(buffers[1], dtype=kind)[arr.offset : arr.offset + n]
            if n
            else np.zeros(0, dtype=kind)
        )
    if arr.null_count == 0:
        return values
    if fill is None:
        raise ValueError(f"{arr.null_count} missing values and no fill for them")
    return np.where(_bits(buffers[0], arr.offset, n), values, np.asarray(fill, values.dtype))


__all__ = ["fixed", "scalar", "strings", "to_numpy", "validity"]
