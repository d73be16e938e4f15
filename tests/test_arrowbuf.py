"""remit.arrowbuf: Arrow arrays to and from numpy through their buffers, checked against
pyarrow's own conversions (``to_pylist``), on slices (an offset into the buffers) and with
missing values."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
import pytest
from hypothesis import given
from hypothesis import strategies as st

from remit.arrowbuf import scalar, strings, to_numpy

TYPES = [pa.bool_(), pa.int8(), pa.int32(), pa.int64(), pa.uint16(), pa.float32(), pa.float64()]


def _values(kind: pa.DataType) -> st.SearchStrategy[object]:
    if pa.types.is_boolean(kind):
        return st.booleans()
    if pa.types.is_floating(kind):
        return st.floats(-1e6, 1e6, width=32).map(float)
    if pa.types.is_unsigned_integer(kind):
        return st.integers(0, 2**16 - 1)
    low = -(2 ** (kind.bit_width - 1))
    return st.integers(low, -low - 1)


@st.composite
def arrays(draw: st.DrawFn) -> tuple[pa.DataType, list[object], int, int]:
    kind = draw(st.sampled_from(TYPES))
    values = draw(st.lists(st.one_of(st.none(), _values(kind)), max_size=40))
    start = draw(st.integers(0, len(values)))
    stop = draw(st.integers(start, len(values)))
    return kind, values, start, stop


@given(arrays())
def test_to_numpy_agrees_with_pyarrow(case: tuple[pa.DataType, list[object], int, int]) -> None:
    kind, values, start, stop = case
    arr = pa.array(values, kind).slice(start, stop - start)  # an offset into the buffers
    fill = False if pa.types.is_boolean(kind) else 7
    expected = [fill if v is None else v for v in arr.to_pylist()]
    out = to_numpy(arr, fill=fill)
    assert len(out) == len(arr)
    assert out.tolist() == pytest.approx(expected)
    assert out.dtype == (np.dtype(bool) if pa.types.is_boolean(kind) else kind.to_pandas_dtype())


def test_missing_values_need_a_fill() -> None:
    with pytest.raises(ValueError, match="1 missing values"):
        to_numpy(pa.array([1, None, 3]))


def test_dates_are_days() -> None:
    arr = pa.array([dt.date(1970, 1, 2), None, dt.date(2003, 4, 25)], pa.date32())
    assert to_numpy(arr, fill=-1).tolist() == [1, -1, (dt.date(2003, 4, 25).toordinal() - 719163)]


def test_an_array_without_nulls_is_its_buffer() -> None:
    arr = pa.array(np.arange(10, dtype=np.int64)).slice(3, 4)
    out = to_numpy(arr)
    assert out.tolist() == [3, 4, 5, 6]
    assert not out.flags.owndata  # a view of the buffer, not a copy


@pytest.mark.parametrize(
    ("value", "kind"),
    [("x é", pa.string()), ("", pa.large_string()), (True, pa.bool_()), (-5, pa.int32()),
     (2.5, pa.float64())],
)  # fmt: skip
def test_scalar_is_what_pa_scalar_makes(value: object, kind: pa.DataType) -> None:
    assert scalar(value, kind).equals(pa.scalar(value, kind))  # type: ignore[arg-type]


def test_fill_null_with_a_scalar() -> None:
    arr = pa.array(["a", None, " b "])
    assert pc.fill_null(arr, scalar("", pa.string())).to_pylist() == ["a", "", " b "]


def test_strings() -> None:
    values = ["psa=100", None, "", "é"]
    assert strings(values).to_pylist() == values
    assert strings(values, large=False).type == pa.string()
