"""The statement's other faces: JSON, DataFrames for notebooks, and `remit explain`."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from remit.api import Deal
from remit.statement import build_statement
from tests.conftest import EXAMPLE


def test_json_carries_exact_values_and_traces(example_deal: Deal) -> None:
    st = build_statement(example_deal.close("2003-04-25"))
    doc = json.loads(st.to_json())
    assert doc["deal"] == "tmst-2003-2" and doc["distribution_date"] == "2003-04-25"
    summary = next(s for s in doc["sections"] if s["key"] == "distribution_summary")
    a = next(r for r in summary["rows"] if r["key"] == "A")
    assert a["cells"]["interest_distribution"]["value"] == "1041984.29"
    assert a["cells"]["principal_distribution"]["value"] == "13381671.41"
    assert a["cells"]["interest_distribution"]["trace"]["postings"]


def test_tables_as_dataframes(example_deal: Deal) -> None:
    st = build_statement(example_deal.close("2003-04-25"))
    exact = st.table("distribution_summary", exact=True)
    assert exact.loc["A", "Interest Distribution"] == Decimal("1041984.29")
    assert exact.loc["M-2", "Certificate Pass-Through Rate"] == Decimal("2.80000")
    assert exact.attrs["totals"]["Principal Distribution"] == Decimal("13381771.41")
    assert "Totals" not in exact.index
    df = st.table("distribution_summary")
    assert df["Interest Distribution"].dtype == "float64"
    assert df.loc["A", "Interest Distribution"] == 1041984.29
    dq = st.table("delinquency")
    assert dq.loc["30 Days", "Delinquent count"] == 24


def test_explain_names_the_postings_and_rule(tmp_path: Path) -> None:
    res = subprocess.run(
        [
            sys.executable,
            "-c",
            "from remit.cli import main; main()",
            "explain",
            str(EXAMPLE),
            "--date",
            "2003-04-25",
            "Certificateholder Distribution Summary",
            "B-IO",
            "Interest Distribution",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert res.returncode == 0, res.stderr
    assert "2,667,685.85" in res.stdout
    assert "excess.remainder" in res.stdout and "prepayment_penalties" in res.stdout
    assert "certificate_account -> holder:B-IO" in res.stdout
    bad = subprocess.run(
        [
            sys.executable,
            "-c",
            "from remit.cli import main; main()",
            "explain",
            str(EXAMPLE),
            "--date",
            "2003-04-25",
            "No Such Section",
            "A",
            "x",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2 and "No Such Section" in bad.stderr
