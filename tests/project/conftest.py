from __future__ import annotations

from pathlib import Path

import pytest

import remit
from remit.collateral import generate_tape

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "thornburg-2003-2"


@pytest.fixture(scope="session")
def small_tape(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 60-loan tape of the example deal (fixed-period hybrids, ARMs, interest-only)."""
    out = tmp_path_factory.mktemp("tape")
    generate_tape(remit.load_deal(EXAMPLE).spec, out, loans=60, months=1, seed=7)
    return out
