"""``verify`` reports the day count it found for each class (30/360, or Actual/360 over the
accrual period's days), from each class's own figures, for every layout (text and JSON)."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from typer.testing import CliRunner

import remit
from remit.audit.verify import verify_text
from remit.statement import build_statement

ROOT = Path(__file__).resolve().parents[2]


def test_ctslink_reference_per_class(app: typer.Typer, reference_path: Path) -> None:
    """The reference's floating classes accrue 1.64% etc. over 22 days (3 to 25 April): A's
    1,039,673,900.00 x 1.64% x 22 / 360 = 1,041,984.29 as printed."""
    text = CliRunner().invoke(app, ["verify", str(reference_path)]).output
    assert "day counts found: Actual/360 (22 days): A, M-1, M-2" in text
    doc = json.loads(
        CliRunner().invoke(app, ["verify", str(reference_path), "--format", "json"]).output
    )
    assert doc["inferred"]["day_counts"] == {
        "A": "Actual/360 (22 days)",
        "M-1": "Actual/360 (22 days)",
        "M-2": "Actual/360 (22 days)",
    }


def test_ctslink_all_thirty_says_so() -> None:
    """The senior/subordinate example: fixed and net-WAC classes, every one implying 30 days
    of interest. 30/360 and Actual/360 over a 30-day period print the same figures, and the
    statement does not print the accrual period: each class is reported with both."""
    deal = remit.load_deal(ROOT / "examples" / "prime-senior-sub")
    r = deal.close(sorted(deal.remittance_files)[1])
    report = verify_text(build_statement(r).to_edgar())
    counts = report.inferred.day_counts
    assert set(counts.values()) == {"30/360 or Actual/360 (30 days)"}
    assert set(counts) == {c.name for c in r.spec.classes if r.classes[c.name].rate > 0}
    assert "day counts found: 30/360 or Actual/360 (30 days): 1-A-1, " in report.to_text()


def test_mixed_day_counts_bankers_trust(app: typer.Typer, bt_path: Path) -> None:
    text = CliRunner().invoke(app, ["verify", str(bt_path)]).output
    assert "Actual/360 (29 days): A-1A" in text
    assert "30/360: I-1F, I-2F" in text
