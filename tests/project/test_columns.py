"""remit.project.columns: the tables a grid writes without pandas. The CSV is written out by
hand here; the Parquet is read back with pyarrow (its types) and pandas (its values) and
compared with what pandas itself writes from the same data."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from remit.project.columns import (
    Category,
    arrow,
    category,
    csv_text,
    frame,
    from_rows,
    length,
    parquet_bytes,
    rows_table,
)


def test_category_codes_in_order_of_first_appearance() -> None:
    c = category(["b", "a", "b"], per=2, times=2)
    assert c.names == ["b", "a"]
    assert c.codes.tolist() == [0, 0, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0]
    assert length({"x": c}) == 12


def test_rows_as_columns_every_key_in_order_missing_as_none() -> None:
    rows = [{"a": 1, "b": "x"}, {"b": "y", "c": 2.5}]
    assert from_rows(rows) == {"a": [1, None], "b": ["x", "y"], "c": [None, 2.5]}


def test_csv_by_hand() -> None:
    cols = from_rows(
        [
            {"name": "psa=100,sda=0", "months": 360, "wal": 0.1 + 0.2, "flag": True},
            {"name": 'say "hi"', "months": 12, "wal": float("nan"), "big": 1e-05},
            {"name": "plain", "months": np.int64(3), "wal": np.float64(100000000.0)},
        ]
    )
    assert csv_text(cols) == (
        "name,months,wal,flag,big\n"
        '"psa=100,sda=0",360,0.30000000000000004,True,\n'
        '"say ""hi""",12,,,1e-05\n'
        "plain,3,100000000.0,,\n"
    )


def test_csv_reads_back_as_pandas_writes_it() -> None:
    rows = [
        {"subject": "pool a", "scenario": "psa=50,sda=0", "months": 360, "x": 1.0 / 3},
        {"subject": "pool b", "scenario": "cpr=6", "months": 180, "y": 2.0**0.5},
    ]
    ours = csv_text(from_rows(rows))
    buf = io.StringIO()
    pd.DataFrame(rows).to_csv(buf, index=False, lineterminator="\n")
    # pandas makes an int column with a missing value a float one; here both are whole
    assert ours == buf.getvalue()


def test_rows_table_types_and_nulls() -> None:
    t = rows_table(from_rows([{"a": 1, "b": 2, "c": "x", "d": True}, {"b": 2.5, "c": None}]))
    assert t.schema.field("a").type == pa.int64()
    assert t.schema.field("b").type == pa.float64()  # ints and floats: doubles
    assert t.schema.field("c").type == pa.large_string()
    assert t.schema.field("d").type == pa.bool_()
    assert t.to_pydict() == {"a": [1, None], "b": [2.0, 2.5], "c": ["x", None], "d": [True, None]}


def test_arrow_columns_have_the_types_pandas_writes() -> None:
    dates = np.array(["2003-04-25", "2003-05-27"], dtype="datetime64[D]")
    cols = {
        "subject": Category(np.zeros(4, dtype=np.int64), ["deal"]),
        "scenario": category(["s1", "s2"], per=2),
        "name": np.array(["a", "bé", "c", "d"], dtype=object),
        "month": np.array([1, 2, 1, 2]),
        "date": np.tile(dates, 2),
        "x": np.array([0.5, np.nan, -1.25, 1e300]),
    }
    data = parquet_bytes(arrow(cols))
    ours = pq.read_table(io.BytesIO(data))
    buf = io.BytesIO()
    expected = frame(cols)
    expected.to_parquet(buf, index=False)
    theirs = pq.read_table(io.BytesIO(buf.getvalue()))
    assert ours.schema.remove_metadata().equals(theirs.schema.remove_metadata())
    assert ours.schema.field("scenario").type == pa.dictionary(pa.int8(), pa.string())
    assert ours.schema.field("date").type == pa.timestamp("ms")
    assert ours.column("x").null_count == 1  # NaN is missing, as pandas writes it
    back = pd.read_parquet(io.BytesIO(data))
    pd.testing.assert_frame_equal(back, pd.read_parquet(io.BytesIO(buf.getvalue())))
    assert back["name"].tolist() == ["a", "bé", "c", "d"]
    assert back["date"].dt.strftime("%Y-%m-%d").tolist()[:2] == ["2003-04-25", "2003-05-27"]


def test_a_category_of_many_names_gets_a_wider_index() -> None:
    """pandas gives 126 names 8-bit codes and 127 names 16-bit ones; so does this."""
    for n, bits in ((126, pa.int8()), (127, pa.int16()), (300, pa.int16())):
        names = [f"s{i}" for i in range(n)]
        cols = {"scenario": category(names)}
        t = arrow(cols)
        assert t.schema.field("scenario").type == pa.dictionary(bits, pa.string()), n
        buf = io.BytesIO()
        frame(cols).to_parquet(buf, index=False)
        assert pq.read_schema(io.BytesIO(buf.getvalue())).field("scenario").type.index_type == bits
        assert t.column("scenario").to_pylist() == names
    fixed = arrow({"scenario": category(["a", "b"])}, np.dtype(np.int32))
    assert fixed.schema.field("scenario").type == pa.dictionary(pa.int32(), pa.string())


#: a grid of two scenarios on SUBJECT (made from argv), one local worker: whether the parent
#: and the worker imported pandas
NO_PANDAS = """
import sys, tempfile
from pathlib import Path
from remit.project import subjects
from remit.project.deal.start import deal_start
from remit.project.grid import local_executor, run_grid
from remit.project.scenario import parse_scenario

def worker_has_pandas():
    return "pandas" in sys.modules

subject = SUBJECT
with tempfile.TemporaryDirectory() as out, local_executor(1) as ex:
    res = run_grid([subject], [parse_scenario(x) for x in sys.argv[-2:]], Path(out), ex, batch=1)
    assert res.completed == 2, res.failures
    print("parent", "pandas" in sys.modules, "worker", ex.submit(worker_has_pandas).result())
"""
EXAMPLE_DEAL = Path(__file__).resolve().parents[2] / "examples" / "thornburg-2003-2"


def _pandas_imported(subject: str, *args: str) -> list[str]:
    code = NO_PANDAS.replace("SUBJECT", subject)
    res = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=False
    )
    assert res.returncode == 0, res.stderr
    return res.stdout.split()


def test_the_grid_path_imports_no_pandas() -> None:
    """Importing pandas (and tearing it down) cost every grid run a third of a second of
    serial time: the parent and the workers of a deal grid do without it."""
    subject = "subjects.DealSubject(deal_start(Path(sys.argv[1])))"
    got = _pandas_imported(subject, str(EXAMPLE_DEAL), "psa=100", "psa=300")
    assert got == ["parent", "False", "worker", "False"]


def test_plain_strings_from_a_category() -> None:
    """A category written as plain strings: each row its name, whatever its length (none,
    or bytes beyond ASCII)."""
    c = category(["psa=100", "", "sda=é,x", "psa=100"], per=2, dictionary=False)
    t = arrow({"scenario": c})
    assert t.schema.field("scenario").type == pa.large_string()
    expected = ["psa=100"] * 2 + [""] * 2 + ["sda=é,x"] * 2 + ["psa=100"] * 2
    assert t.column("scenario").to_pylist() == expected
    assert frame({"scenario": c})["scenario"].tolist() == expected
    assert arrow({"s": category([], dictionary=False)}).num_rows == 0


def test_a_tape_grid_imports_no_pandas(small_tape: Path) -> None:
    """Reading a loan tape converts its columns through their buffers (remit.arrowbuf):
    pyarrow's own conversions would import pandas in the parent and the workers."""
    subject = "subjects.tape(Path(sys.argv[1]), Path(sys.argv[2]))"
    got = _pandas_imported(subject, str(EXAMPLE_DEAL), str(small_tape), "psa=100,shock=50", "cdr=2")
    assert got == ["parent", "False", "worker", "False"]
