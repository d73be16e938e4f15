"""A bad option of the OC definitions in deal.toml is refused with its field path, the value
found and what was expected (no traceback, nothing closed)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from remit.api import load_deal
from remit.errors import RemitError
from tests.conftest import EXAMPLE

CASES = [
    # (old text, new text, what the message must name)
    (
        'insufficient_funds_class = "A"',
        'insufficient_funds_class = "A"\nexcess_cash_row = "after_extra"',
        ["statement.excess_cash_row", "after_extra", "net_monthly_excess_cashflow"],
    ),
    (
        "averaging_months = 3",
        'averaging_months = 3\ncomparison = "greater"',
        ["overcollateralization.delinquency_trigger.comparison", "greater"],
    ),
    (
        "averaging_months = 3",
        'averaging_months = 3\nsixty_plus_includes = ["charged_off"]',
        ["overcollateralization.delinquency_trigger.sixty_plus_includes[0]", "charged_off"],
    ),
    (
        "averaging_months = 3",
        'averaging_months = 3\nsenior_enhancement = "next"',
        ["overcollateralization.delinquency_trigger.senior_enhancement", "next"],
    ),
    (
        "senior_enhancement_target = 0.0400",
        'senior_enhancement_target = 0.0400\nstepdown_enhancement = "during"',
        ["overcollateralization.stepdown_enhancement", "during"],
    ),
    (
        "senior_enhancement_target = 0.0400",
        'senior_enhancement_target = 0.0400\ncap_at_initial = "maybe"',
        ["overcollateralization.cap_at_initial", "maybe"],
    ),
    (
        'shortfall_allocation = "pro_rata_current_interest"',
        'shortfall_allocation = "pro_rata_current_interest"\n'
        'unpaid_interest_from = { "M-9" = "net_monthly_excess_cashflow" }',
        ["interest.unpaid_interest_from.M-9", "M-9", "one of the classes"],
    ),
    (
        'shortfall_allocation = "pro_rata_current_interest"',
        'shortfall_allocation = "pro_rata_current_interest"\n'
        'unpaid_interest_from = { "B-IO" = "net_monthly_excess_cashflow" }',
        ["interest.unpaid_interest_from.B-IO", "'unpaid_interest' step"],
    ),
    (
        'shortfall_allocation = "pro_rata_current_interest"',
        'shortfall_allocation = "pro_rata_current_interest"\n'
        'unpaid_interest_from = { "M-1" = "excess" }',
        ["interest.unpaid_interest_from.M-1", "excess"],
    ),
    (
        'step = "unpaid_realized_loss"',
        'step = "extra_principal"',
        ["excess_cash[2].step", "extra_principal", "first step"],
    ),
    (
        "{ from_date = 2007-04-25, pct = 0.0040 },",
        "{ from_date = 2005-04-25, pct = 0.0040 },",
        ["overcollateralization.loss_trigger", "date order"],
    ),
    (
        'basis = "Assumed (market standard): cumulative realized losses',
        'interpolation = "linear"\nbasis = "Assumed (market standard): cumulative realized losses',
        ["overcollateralization.loss_trigger.interpolation", "linear"],
    ),
]


@pytest.mark.parametrize(("old", "new", "named"), CASES)
def test_a_bad_option_is_located(tmp_path: Path, old: str, new: str, named: list[str]) -> None:
    deal = tmp_path / "deal"
    shutil.copytree(EXAMPLE, deal)
    path = deal / "deal.toml"
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))
    with pytest.raises(RemitError) as exc:
        load_deal(deal)
    message = str(exc.value)
    assert "deal.toml" in message
    for part in named:
        assert part in message, (part, message)
