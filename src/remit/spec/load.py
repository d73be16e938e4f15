"""Read a deal spec from TOML (floats parsed as Decimal) and validate it, collecting every
problem with its field path."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from remit import limits
from remit.errors import Problem, RemitError
from remit.spec.models import SPEC_TYPES, DealSpec, OCSpec, ShiftingSpec

M = TypeVar("M", bound=BaseModel)


def field_path(loc: tuple[int | str, ...]) -> str:
    """('classes', 2, 'coupon', 'margin') -> 'classes[2].coupon.margin'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


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
    """Validate ``data`` into ``model``; every error becomes a located Problem."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            value = err.get("input")
            if isinstance(value, dict):
                value = "(a table)"
            elif isinstance(value, list):
                value = "(a list)"
            problems.append(Problem(file, field_path(err["loc"]), value, err["msg"]))
        raise RemitError(problems) from None


def parse_spec(text: str, source: str) -> DealSpec:
    """A deal spec from its TOML text, validated and cross-checked: a shifting-interest
    senior/subordinate deal when it has a [shifting_interest] table, else an
    overcollateralization deal."""
    data = parse_toml(text, source)
    model = next(t for t, table in SPEC_TYPES.values() if table is None or table in data)
    spec: DealSpec = validate(model, data, source)
    problems = cross_check(spec, source)
    if problems:
        raise RemitError(problems)
    return spec


def load_spec(path: Path) -> DealSpec:
    return parse_spec(read_text(path), str(path))


def cross_check(spec: DealSpec, file: str) -> list[Problem]:
    """Checks across fields: every name a rule uses exists, amounts agree."""
    problems = _common_checks(spec, file)
    if problems:
        return problems
    return _FAMILY_CHECKS[spec.family](spec, file)


def _need(problems: list[Problem], spec: DealSpec, file: str, path: str, name: str) -> None:
    known = {c.name for c in spec.classes}
    if name not in known:
        problems.append(Problem(file, path, name, f"one of the classes {sorted(known)}"))


def _common_checks(spec: DealSpec, file: str) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[str] = set()
    for i, c in enumerate(spec.classes):
        if c.name in seen:
            problems.append(Problem(file, f"classes[{i}].name", c.name, "a unique class name"))
        seen.add(c.name)
        idx = c.coupon.index
        if idx is not None and idx not in {x.name for x in spec.indices}:
            problems.append(
                Problem(file, f"classes[{i}].coupon.index", idx, "an index named in [[indices]]")
            )
    _need(problems, spec, file, "prepayment_penalties.payee", spec.prepayment_penalties.payee)
    _need(
        problems,
        spec,
        file,
        "statement.insufficient_funds_class",
        spec.statement.insufficient_funds_class,
    )
    fee_names = {f.name for f in spec.fees}
    for j, name in enumerate(spec.net_wac_cap.net_of):
        if name not in fee_names:
            problems.append(
                Problem(
                    file, f"net_wac_cap.net_of[{j}]", name, f"one of the fees {sorted(fee_names)}"
                )
            )
    return problems


def _shifting_checks(spec: ShiftingSpec, file: str) -> list[Problem]:
    """Every class of the structure exists and is paid once; the groups make the pool."""
    problems: list[Problem] = []
    si = spec.shifting_interest
    placed: list[str] = []
    for g, group in enumerate(si.groups):
        for j, name in enumerate(group.seniors):
            _need(problems, spec, file, f"shifting_interest.groups[{g}].seniors[{j}]", name)
            placed.append(name)
    for j, name in enumerate(si.subordinates):
        _need(problems, spec, file, f"shifting_interest.subordinates[{j}]", name)
        placed.append(name)
    _need(problems, spec, file, "shifting_interest.residual", si.residual)
    if problems:
        return problems
    principal = sorted(c.name for c in spec.principal_classes if c.type != "RES")
    paid = sorted(n for n in placed if spec.cls(n) in spec.principal_classes)
    if paid != principal:
        problems.append(
            Problem(
                file,
                "shifting_interest",
                paid,
                f"every class with a balance in exactly one group's seniors or the "
                f"subordinates: {principal}",
            )
        )
    pool = sum((g.cut_off_balance for g in si.groups), Decimal(0))
    if pool != spec.collateral.cut_off_balance:
        problems.append(
            Problem(
                file,
                "shifting_interest.groups",
                str(pool),
                f"group cut-off balances adding up to the pool's {spec.collateral.cut_off_balance}",
            )
        )
    count = sum(g.cut_off_count for g in si.groups)
    if count != spec.collateral.cut_off_count:
        problems.append(
            Problem(
                file,
                "shifting_interest.groups",
                count,
                f"group loan counts adding up to {spec.collateral.cut_off_count}",
            )
        )
    certificates = sum(
        (c.original_balance for c in spec.principal_classes if c.type != "RES"), Decimal(0)
    )
    if certificates != spec.collateral.cut_off_balance:
        problems.append(
            Problem(
                file,
                "classes",
                str(certificates),
                f"certificates equal to the cut-off balance {spec.collateral.cut_off_balance} "
                "(a senior/subordinate deal has no overcollateralization)",
            )
        )
    return problems


def _oc_checks(spec: OCSpec, file: str) -> list[Problem]:
    problems: list[Problem] = []
    names = [c.name for c in spec.classes]

    def need(path: str, name: str) -> None:
        _need(problems, spec, file, path, name)

    for g, group in enumerate(spec.interest.order):
        for j, name in enumerate(group):
            need(f"interest.order[{g}][{j}]", name)
    for j, name in enumerate(spec.principal.sequential):
        need(f"principal.sequential[{j}]", name)
    for j, t in enumerate(spec.principal.after_stepdown):
        need(f"principal.after_stepdown[{j}].name", t.name)
    for s, step in enumerate(spec.excess_cash):
        for j, name in enumerate(step.classes):
            need(f"excess_cash[{s}].classes[{j}]", name)
    for j, name in enumerate(spec.losses.writedown_order):
        need(f"losses.writedown_order[{j}]", name)
    for j, name in enumerate(spec.losses.recoveries_writeup_order):
        need(f"losses.recoveries_writeup_order[{j}]", name)
    need("overcollateralization.oc_class", spec.overcollateralization.oc_class)
    if problems:
        return problems

    remainder = [s for s in spec.excess_cash if s.step == "remainder"]
    if len(remainder) != 1 or spec.excess_cash[-1].step != "remainder":
        problems.append(
            Problem(
                file,
                "excess_cash",
                [s.step for s in spec.excess_cash],
                "exactly one 'remainder' step, last",
            )
        )
    principal = {c.name for c in spec.principal_classes}
    if set(spec.principal.sequential) != principal:
        problems.append(
            Problem(
                file,
                "principal.sequential",
                spec.principal.sequential,
                f"every class paid principal, once: {sorted(principal)}",
            )
        )
    oc = spec.oc_class
    if oc.balance_is != "overcollateralization":
        problems.append(
            Problem(
                file,
                "overcollateralization.oc_class",
                oc.name,
                "a class with balance_is = 'overcollateralization'",
            )
        )
    initial_oc = spec.collateral.cut_off_balance - sum(
        (c.original_balance for c in spec.principal_classes), Decimal(0)
    )
    if oc.original_balance != initial_oc:
        i = names.index(oc.name)
        problems.append(
            Problem(
                file,
                f"classes[{i}].original_balance",
                oc.original_balance,
                f"the initial overcollateralization, cut-off balance minus the certificates "
                f"= {initial_oc}",
            )
        )
    d = spec.dates
    ocs = spec.overcollateralization
    if ocs.build_start < d.first_distribution:
        problems.append(
            Problem(
                file,
                "overcollateralization.build_start",
                ocs.build_start,
                f"on or after the first distribution date {d.first_distribution}",
            )
        )
    if ocs.stepdown_earliest <= d.first_distribution:
        problems.append(
            Problem(
                file,
                "overcollateralization.stepdown_earliest",
                ocs.stepdown_earliest,
                f"after the first distribution date {d.first_distribution}",
            )
        )
    return problems


#: Each structure family's own cross-checks, by the spec's ``family``.
_FAMILY_CHECKS: dict[str, Callable[[Any, str], list[Problem]]] = {
    "oc": _oc_checks,
    "shifting": _shifting_checks,
}
