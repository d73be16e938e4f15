from __future__ import annotations

from pathlib import Path

import pytest

import remit
from remit.api import Deal

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "thornburg-2003-2"
GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture(scope="session")
def example_deal() -> Deal:
    return remit.load_deal(EXAMPLE)
