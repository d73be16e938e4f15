"""Read a deal spec from TOML (floats parsed as Decimal) and validate it, collecting every
problem with its field path: the typed models first, then the checks across fields
(:mod:`remit.spec.validate`)."""

from __future__ import annotations

import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from remit import limits
from remit.errors import RemitError
from remit.spec.messages import named, problems_of
from remit.spec.models import SPEC_TYPES, DealSpec
from remit.spec.validate import cross_check

M = TypeVar("M", bound=BaseModel)


def read_text(path: Path) -> str:
    """A UTF-8 input file's text; a missing, unreadable or over-large file (see
    :mod:`remit.limits`) is a located error."""
    data = limits.read_bytes(path)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RemitError.one(
            str(path), f"byte {exc.start}", data[exc.start : exc.start + 4], "UTF-8 text"
        ) from None


def parse_toml(text: str, source: str) -> dict[str, Any]:
    """TOML with every float read as an exact Decimal, within the limits of
    :mod:`remit.limits` (nesting, string length, the size of numbers)."""
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise RemitError.one(source, "", str(exc), "valid TOML") from None
    except RecursionError:
        raise RemitError.one(
            source,
            "",
            "(nested too deep to read)",
            f"valid TOML, tables and arrays nested at most {limits.MAX_DEPTH} deep",
        ) from None
    limits.check_data(data, source)
    return data


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


def load_deal_spec(root: Path) -> DealSpec:
    """The validated ``deal.toml`` of the deal directory ``root`` (what
    :func:`remit.api.load_deal` reads first, without the close it imports)."""
    if not root.is_dir():
        raise RemitError.one(str(root), "", "(not a directory)", "a deal directory with deal.toml")
    return load_spec(root / "deal.toml")
