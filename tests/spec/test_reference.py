"""The deal-file reference (docs/deal-file.md) is generated from the spec models and kept in
step with them; every field of the common and overcollateralization models says what it is."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from remit.spec import models
from remit.spec.reference import render

DOC = Path(__file__).resolve().parents[2] / "docs" / "deal-file.md"

#: The models the shifting-interest family adds (described with that family's options).
SHIFTING_ONLY: set[str] = set()


def test_committed_reference_is_the_generated_one() -> None:
    assert DOC.read_text(encoding="utf-8") == render(), (
        "docs/deal-file.md is out of date: run "
        "`.venv/bin/python -m remit.spec.reference > docs/deal-file.md`"
    )


def test_every_field_is_described() -> None:
    undescribed = []
    for name in dir(models):
        model = getattr(models, name)
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            continue
        if model.__module__ != models.__name__ or name in SHIFTING_ONLY:
            continue
        for field, info in model.model_fields.items():
            if not info.description:
                undescribed.append(f"{name}.{field}")
    assert undescribed == []


def test_reference_names_every_option() -> None:
    text = render()
    for option in (
        "excess_cash_row",
        "stepdown_enhancement",
        "cap_at_initial",
        "sixty_plus_includes",
        "senior_enhancement",
        "interpolation",
        "unpaid_interest_from",
        "comparison",
        "[shifting_interest]",
        "[[shifting_interest.groups]]",
    ):
        assert f"`{option}`" in text or option in text, option
