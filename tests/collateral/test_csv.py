"""The same tape in CSV and in Parquet gives the same remittance."""

from __future__ import annotations

from pathlib import Path

from remit.api import Deal
from remit.collateral import collect, generate_tape


def test_csv_and_parquet_tapes_collect_alike(example_deal: Deal, tmp_path: Path) -> None:
    spec = example_deal.spec
    generate_tape(spec, tmp_path / "p", loans=400, months=2, seed=9)
    generate_tape(spec, tmp_path / "c", loans=400, months=2, seed=9, fmt="csv")
    assert (tmp_path / "c" / "activity" / "2003-05-27.csv").is_file()
    for when in ("2003-04-25", "2003-05-27"):
        a = collect(spec, tmp_path / "p", when)
        b = collect(spec, tmp_path / "c", when)
        assert a == b
        assert a.principal.payoffs_count > 0
