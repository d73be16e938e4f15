"""Notebook use: the example notebook runs (its code cells executed in order, in one namespace,
from examples/ as Jupyter would, with matplotlib drawing off screen), and the notebook API
gives DataFrames of numbers, HTML and short reprs, the store's history in one call, and
errors located by file and field."""

from __future__ import annotations

import json
import os
import shutil
from decimal import Decimal
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

import remit
from remit.api import Deal
from remit.errors import RemitError
from tests.conftest import EXAMPLE, ROOT

NOTEBOOK = ROOT / "examples" / "notebook.ipynb"


def code_cells(path: Path) -> list[str]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["nbformat"] == 4
    return ["".join(c["source"]) for c in doc["cells"] if c["cell_type"] == "code"]


def test_the_example_notebook_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    monkeypatch.chdir(NOTEBOOK.parent)
    cells = code_cells(NOTEBOOK)
    assert not any(line.lstrip().startswith(("%", "!")) for c in cells for line in c.splitlines())
    ns: dict[str, object] = {"__name__": "__notebook__"}
    before = set(os.listdir(NOTEBOOK.parent))
    plt.close("all")
    for i, source in enumerate(cells):
        exec(compile(source, f"{NOTEBOOK.name}[{i}]", "exec"), ns)
    year = ns["year"]
    assert isinstance(year, list) and len(year) == 12
    pool, factors = ns["pool"], ns["factors"]
    assert isinstance(pool, pd.Series) and pool.iloc[0] == 1047510098.26
    assert isinstance(factors, pd.DataFrame) and list(factors.columns) == ["A", "M-1", "M-2"]
    assert factors["A"].iloc[0] == pytest.approx(1026292228.59 / 1039673900.00)
    fig = ns["fig"]
    assert len(fig.axes) == 2 and all(ax.lines for ax in fig.axes)
    history = ns["history"]
    assert isinstance(history, pd.DataFrame) and len(history) == 3
    assert set(os.listdir(NOTEBOOK.parent)) == before  # nothing left behind
    plt.close("all")


def test_tables_are_numbers_with_the_totals_apart(example_deal: Deal) -> None:
    st = example_deal.close("2003-04-25").statement
    df = st.table("distribution_summary")
    assert df["Beginning Certificate Balance"].dtype == "float64"
    assert df["CUSIP"].tolist()[0] == "885220DC4"  # text stays text
    assert "Totals" not in df.index and len(df) == 6
    totals = df.attrs["totals"]
    assert totals["Interest Distribution"] == 3741113.74
    exact = st.table("distribution_summary", exact=True)
    assert exact.loc["A", "Principal Distribution"] == Decimal("13381671.41")
    assert st.totals("distribution_summary", exact=True)["Principal Distribution"] == Decimal(
        "13381771.41"
    )  # 13,381,671.41 + R-1 50.00 + R-2 50.00
    assert st.table("other_information").attrs["totals"] is None
    with pytest.raises(RemitError) as err:
        st.table("no_such_section")
    assert "distribution_summary" in str(err.value)


def test_html_and_short_reprs(example_deal: Deal) -> None:
    result = example_deal.close("2003-04-25")
    for obj in (result, result.statement, example_deal):
        text = repr(obj)
        assert len(text) < 600 and "Posting(" not in text and "\n" not in text, text
    assert "2003-04-25" in repr(result) and "postings" in repr(result)
    html = result.statement._repr_html_()
    assert html.count("<table") == len(result.statement.sections)
    assert "1,041,984.29" in html and "1.64000%" in html  # printed as filed
    summary = result._repr_html_()
    assert "<table" in summary and "1,026,292,228.59" in summary


def test_history_from_the_store_in_one_call(tmp_path: Path) -> None:
    from remit.workflows import close_into_store

    url = f"sqlite:///{tmp_path / 'r.db'}"
    for _ in range(2):
        close_into_store(EXAMPLE, "next", url=url)
    df = remit.history("tmst-2003-2", db=url)
    assert list(df.index.strftime("%Y-%m-%d")) == ["2003-04-25", "2003-05-27"]
    assert df["pool_ending"].dtype == "float64"
    assert df.loc["2003-04-25", "pool_ending"] == 1047510098.26
    assert remit.history("tmst-2003-2", db=url, exact=True)["A_factor"].iloc[0] == Decimal(
        "0.98712897"
    )
    with pytest.raises(RemitError):
        remit.history("no-such-deal", db=url)


def test_errors_from_the_api_name_the_file_and_field(tmp_path: Path) -> None:
    deal = tmp_path / "deal"
    shutil.copytree(EXAMPLE, deal)
    spec = deal / "deal.toml"
    spec.write_text(spec.read_text().replace("denomination = 25000", 'denomination = "x"', 1))
    with pytest.raises(RemitError) as err:
        remit.load_deal(deal)
    p = err.value.problems[0]
    assert p.file == str(spec) and p.path == "classes[0] (A).denomination"
    with pytest.raises(RemitError) as err:
        remit.load_deal(EXAMPLE).close("2003-13-01")
    assert all(q.file != "(command line)" for q in err.value.problems)
    assert err.value.problems[0].path == "date"
