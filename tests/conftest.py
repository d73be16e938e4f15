from __future__ import annotations

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


# Every run of the suite tries the same fixed sequence of examples, with no time limit on an
# example (the machine may be loaded): a property test fails for a bug, never for bad luck or
# a slow moment. `pytest --hypothesis-profile=explore` looks for new examples instead.
settings.register_profile("fixed", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("explore", deadline=None, print_blob=True)
settings.load_profile("fixed")
