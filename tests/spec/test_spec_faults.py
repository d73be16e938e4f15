"""No spec that passes `remit check` can pay the wrong class: a spec with one fault in a
payment order, a schedule or a reference -- made in either example deal or a mini fixture --
is refused with exit code 2 and the faulty field's path; the specs as they are still pass."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from remit.cli import app
from tests.spec import faults
from tests.spec.toml_text import dumps

RUNNER = CliRunner()
#: Examples per run: a bounded budget in CI; REMIT_SPEC_FAULTS=20000 for a longer run (README).
EXAMPLES = int(os.environ.get("REMIT_SPEC_FAULTS", "400"))


def unnamed(message: str) -> str:
    """A message with the names after list positions taken out: ``a[1] (M-1).b`` -> ``a[1].b``."""
    return re.sub(r"(\]) \([^)]*\)", r"\1", message)


def check(text: str) -> tuple[int, str]:
    """`remit check` on a deal directory holding only this deal.toml: exit code, output."""
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "deal.toml").write_text(text, encoding="utf-8")
        result = RUNNER.invoke(app, ["check", tmp])
    return result.exit_code, result.output


@pytest.mark.parametrize("name", list(faults.BASES))
def test_the_specs_as_they_are_pass(name: str) -> None:
    code, out = check(dumps(faults.base(name)))
    assert code == 0, out
    assert "deal.toml valid" in out


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(data=st.data())
def test_every_fault_is_refused_with_its_field_path(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(list(faults.BASES)), label="base")
    spec = faults.base(name)
    kinds = faults.FAULTS[faults.family(spec)]
    kind = data.draw(st.sampled_from(list(kinds)), label="fault")
    path = kinds[kind](spec, data.draw)
    if path is None:  # nothing of this kind to fault in this spec
        return
    event(f"{kind} in {name}")
    code, out = check(dumps(spec))
    assert code == 2, out
    assert "internal error" not in out and "Traceback" not in out, out
    # a list element with a name is named after its position ("classes[1] (M-1).coupon"):
    # the field path is the message's with those names taken out
    assert f"deal.toml: {path}" in unnamed(out), (path, out)
