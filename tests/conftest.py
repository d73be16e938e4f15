from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

import remit
from remit.api import Deal

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "thornburg-2003-2"
GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture(scope="session")
def example_deal() -> Deal:
    return remit.load_deal(EXAMPLE)


# CI runs a fixed, reproducible sequence of examples; local runs explore new ones.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
