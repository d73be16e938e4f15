"""Read a deal spec from TOML (floats parsed as Decimal) and validate it, collecting every
problem with its field path: the typed models first, then the checks across fields
(:mod:`remit.spec.validate`)."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from remit.errors import RemitError
from remit.spec.messages import named, problems_of
from remit.spec.models import SPEC_TYPES, DealSpec
from remit.spec.validate import cross_check

M = TypeVar("M", bound=BaseModel)


def read_text(path: Path) -> str:
    """A UTF-8 input file's text; a missing or unreadable file is a located error."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RemitError.one(str(path), "", "(missing)", "an existing file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RemitError.one(str(path), "", type(exc).__name__, "a readable UTF-8 file") from None


def parse_toml(text: str, source: str) -> dict[str, Any]:
    """TOML with every float read as an exact Decimal."""
    try:
        return tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise RemitError.one(source, "", str(exc), "valid TOML") from None


def read_toml(path: Path) -> dict[str, Any]:
    return parse_toml(read_text(path), str(path))


def validate(model: type[M], data: dict[str, Any], file: str) -> M:
    """Validate ``data`` into ``model``; every error becomes a located Problem, in plain words
    (:mod:`remit.spec.messages`)."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise RemitError(problems_of(exc.errors(include_url=False), model, data, file)) from None


def parse_spec(text: str, source: str) -> DealSpec:
    """A deal spec from its TOML text, validated and cross-checked: a shifting-interest
    senior/subordinate deal when it has a [shifting_interest] table, else an
    overcollateralization deal."""
    data = parse_toml(text, source)
    model = next(t for t, table in SPEC_TYPES.values() if table is None or table in data)
    spec: DealSpec = validate(model, data, source)
    problems = cross_check(spec, source)
    if problems:
        raise RemitError(named(problems, data))
    return spec


def load_spec(path: Path) -> DealSpec:
    return parse_spec(read_text(path), str(path))
