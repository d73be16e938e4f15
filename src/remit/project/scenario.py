"""Scenarios: what a projection assumes about prepayments, defaults, losses, advancing, index
rates and the clean-up call. Written inline (``psa=250,sda=100,severity=35,lag=12``) or in TOML
files; every rate is in percent where people write it, a fraction once read.

Keys (inline or TOML; one of each group at most):

=================  ==========================================================================
``psa``            prepayments, % of the PSA Standard Prepayment Model (by loan age)
``cpr`` / ``smm``  prepayments, annual CPR or single monthly mortality, % (constant or a vector
                   by projection month; the last value holds after it)
``sda``            defaults, % of the Standard Default Assumption curve (by loan age)
``cdr`` / ``mdr``  defaults, annual CDR or monthly default rate, % (constant or vector)
``severity``       loss severity, % of the balance liquidated (0 to 100; default 0)
``lag``            months from default to liquidation (0 to 360; default 0)
``advancing``      the servicer advances principal and interest of defaulted loans until they
                   are liquidated: yes/no (default yes)
``index``          index rate, % (flat, or a vector by month), for every index; in TOML also a
                   table ``[index]`` of index name = rate or vector. Default: each index's
                   latest fixing, flat
``shock``          parallel shift of every index path, basis points (default 0)
``call``           exercise the clean-up call: yes/no (default no)
``call_pct``       the call is exercised once the balance falls to this % of the starting
                   balance (default 10); for a deal, this % of its cut-off balance (default:
                   the deal's own optional termination percentage)
``name``           the scenario's name (default: its inline text)
=================  ==========================================================================

A TOML file holds one scenario (keys at the top), a list (``[[scenario]]``), and/or a grid
(``[grid]``: each key a list of values; every combination is a scenario)."""

from __future__ import annotations

import itertools
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from remit.errors import Problem, RemitError
from remit.project.formulas import (
    F64,
    mdr_from_cdr,
    psa_cpr,
    sda_cdr,
    smm_from_cpr,
)
from remit.project.keyvalues import INLINE, Reader, split_inline

PREPAY_KEYS = ("psa", "cpr", "smm")
DEFAULT_KEYS = ("sda", "cdr", "mdr")
KEYS = (
    "name",
    *PREPAY_KEYS,
    *DEFAULT_KEYS,
    "severity",
    "lag",
    "advancing",
    "index",
    "shock",
    "call",
    "call_pct",
)
MAX_PSA = 100.0 / 6.0 * 100.0  # 6% x psa/100 <= 100% CPR
MAX_SDA = 100.0 / 0.6 * 100.0  # 0.6% x sda/100 <= 100% CDR
MAX_LAG = 360


@dataclass(frozen=True)
class Scenario:
    """One scenario, read and checked. Rates are fractions; vectors are by projection month."""

    name: str
    prepay_kind: str = "cpr"  # psa, cpr or smm
    prepay: tuple[float, ...] = (0.0,)  # psa in percent of the model; cpr/smm as fractions
    default_kind: str = "cdr"  # sda, cdr or mdr
    default: tuple[float, ...] = (0.0,)
    severity: float = 0.0
    lag: int = 0
    advancing: bool = True
    index: Mapping[str, tuple[float, ...]] = field(default_factory=dict)  # "*" = every index
    shock: float = 0.0  # fraction (100 bp = 0.01)
    call: bool = False
    call_pct: float = 0.10
    call_pct_set: bool = False  # given by the scenario (not the default)

    def smm(self, ages: F64, months: int) -> F64:
        """Single monthly mortality by age group and projection month, shape (groups, months):
        ``ages`` is each group's loan age before the first projected month."""
        v = by_month(self.prepay, months)
        if self.prepay_kind == "psa":
            age = ages[:, None] + np.arange(1, months + 1)[None, :]
            return smm_from_cpr(psa_cpr(age, v[None, :]))
        rate = v if self.prepay_kind == "smm" else smm_from_cpr(v)
        return np.broadcast_to(rate, (ages.size, months)).copy()

    def mdr(self, ages: F64, months: int) -> F64:
        """Monthly default rate by age group and projection month, shape (groups, months)."""
        v = by_month(self.default, months)
        if self.default_kind == "sda":
            age = ages[:, None] + np.arange(1, months + 1)[None, :]
            return mdr_from_cdr(sda_cdr(age, v[None, :]))
        rate = v if self.default_kind == "mdr" else mdr_from_cdr(v)
        return np.broadcast_to(rate, (ages.size, months)).copy()

    def index_path(self, name: str, base: float, months: int) -> F64:
        """The index ``name``'s rate (fraction) for each projection month: the scenario's own
        path for it (or for every index), else ``base`` flat; plus the shock."""
        own = self.index.get(name, self.index.get("*"))
        path = by_month(own, months) if own is not None else np.full(months, base)
        return path + self.shock

    def index_key(self) -> tuple[object, ...]:
        """Scenarios with equal keys have equal index paths (projections share them)."""
        return (tuple(sorted(self.index.items())), self.shock)


def by_month(values: Sequence[float], months: int) -> F64:
    """A constant or a vector by month, extended to ``months`` by holding its last value."""
    v = np.asarray(values, dtype=np.float64)
    if v.size >= months:
        return v[:months].copy()
    return np.concatenate([v, np.full(months - v.size, v[-1])])


def _pct(x: float) -> float:
    return x / 100.0


def _one_of(r: Reader, keys: tuple[str, ...]) -> list[str]:
    """The keys of the group ``keys`` given (more than one is a problem)."""
    given = [k for k in keys if k in r.data]
    if len(given) > 1:
        r.bad(given[1], r.data[given[1]], f"only one of {', '.join(keys)} (found {given})")
    return given


def _prepay(r: Reader) -> tuple[str, tuple[float, ...]]:
    given = _one_of(r, PREPAY_KEYS)
    if not given:
        return "cpr", (0.0,)
    k = given[0]
    if k == "psa":
        v = r.vector(k, lambda x: 0 <= x <= MAX_PSA, f"a PSA speed from 0 to {MAX_PSA:.2f}")
        return k, v or (0.0,)
    v = r.vector(k, lambda x: 0 <= x <= 100, f"a rate in percent from 0 to 100 ({k.upper()})")
    return k, tuple(_pct(x) for x in v or (0.0,))


def _defaults(r: Reader) -> tuple[str, tuple[float, ...]]:
    given = _one_of(r, DEFAULT_KEYS)
    if not given:
        return "cdr", (0.0,)
    k = given[0]
    if k == "sda":
        v = r.vector(k, lambda x: 0 <= x <= MAX_SDA, f"an SDA speed from 0 to {MAX_SDA:.0f}")
        return k, v or (0.0,)
    v = r.vector(k, lambda x: 0 <= x <= 100, f"a rate in percent from 0 to 100 ({k.upper()})")
    return k, tuple(_pct(x) for x in v or (0.0,))


def _index(r: Reader) -> dict[str, tuple[float, ...]]:
    if "index" not in r.data:
        return {}
    raw = r.data["index"]
    ok = "an index rate in percent from -10 to 100"
    if isinstance(raw, Mapping):
        sub = Reader(r.source, r.where("index."), raw, r.problems)
        out = {}
        for name in raw:
            v = sub.vector(str(name), lambda x: -10 <= x <= 100, ok)
            if v is not None:
                out[str(name)] = tuple(_pct(x) for x in v)
        return out
    v = r.vector("index", lambda x: -10 <= x <= 100, ok)
    return {"*": tuple(_pct(x) for x in v)} if v is not None else {}


def scenario_from(data: Mapping[str, Any], source: str, prefix: str, name: str) -> Scenario:
    """One scenario from a table of keys (inline text or TOML); raises every problem at once."""
    problems: list[Problem] = []
    r = Reader(source, prefix, {str(k).lower(): v for k, v in data.items()}, problems)
    r.unknown(KEYS)
    pk, pv = _prepay(r)
    dk, dv = _defaults(r)
    sev = r.number("severity", 0.0, lambda x: 0 <= x <= 100, "a loss severity from 0 to 100 (%)")
    lag = r.integer("lag", 0, 0, MAX_LAG, f"a whole number of months from 0 to {MAX_LAG}")
    shock = r.number("shock", 0.0, lambda x: -10_000 <= x <= 10_000, "basis points, +-10000")
    call_pct = r.number("call_pct", 10.0, lambda x: 0 <= x <= 100, "a percentage from 0 to 100")
    sc = Scenario(
        name=r.text("name", name),
        prepay_kind=pk,
        prepay=pv,
        default_kind=dk,
        default=dv,
        severity=_pct(sev or 0.0),
        lag=lag,
        advancing=r.flag("advancing", True),
        index=_index(r),
        shock=(shock or 0.0) / 10_000.0,
        call=r.flag("call", False),
        call_pct=_pct(call_pct if call_pct is not None else 10.0),
        call_pct_set="call_pct" in r.data,
    )
    if problems:
        raise RemitError(problems)
    return sc


def parse_scenario(text: str, option: str = "--scenario") -> Scenario:
    """A scenario from its inline text, ``psa=250,sda=100,severity=35,lag=12``."""
    source = f'{option} "{text.strip()}"'
    data = split_inline(text, source, "")
    return scenario_from(data, source, "", text.strip())


def load_scenarios(path: Path) -> list[Scenario]:
    """Every scenario of a TOML file: top-level keys (one scenario), ``[[scenario]]`` tables,
    and the combinations of a ``[grid]`` table, in that order."""
    source = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RemitError.one(source, "", "(missing)", "an existing TOML file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RemitError.one(source, "", type(exc).__name__, "a readable UTF-8 file") from None
    except tomllib.TOMLDecodeError as exc:
        raise RemitError.one(source, "", str(exc), "valid TOML") from None
    out: list[Scenario] = []
    problems: list[Problem] = []
    top = {k: v for k, v in data.items() if k not in ("scenario", "grid")}

    def add(table: Mapping[str, Any], prefix: str, name: str) -> None:
        try:
            out.append(scenario_from(table, source, prefix, name))
        except RemitError as exc:
            problems.extend(exc.problems)

    if top:
        add(top, "", path.stem)
    tables = data.get("scenario", [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        problems.append(Problem(source, "scenario", "(not tables)", "[[scenario]] tables"))
        tables = []
    for i, t in enumerate(tables):
        add(t, f"scenario[{i}].", f"{path.stem}[{i}]")
    grid = data.get("grid", {})
    if not isinstance(grid, dict):
        problems.append(Problem(source, "grid", "(not a table)", "a [grid] table"))
        grid = {}
    try:
        out.extend(grid_scenarios(grid, source))
    except RemitError as exc:
        problems.extend(exc.problems)
    if not out and not problems:
        problems.append(
            Problem(source, "", "(no scenario)", "scenario keys, [[scenario]] or [grid]")
        )
    if problems:
        raise RemitError(problems)
    return out


#: the fields of a :class:`Scenario` each key sets
FIELDS_OF = {
    **{k: ("prepay_kind", "prepay") for k in PREPAY_KEYS},
    **{k: ("default_kind", "default") for k in DEFAULT_KEYS},
    "severity": ("severity",),
    "lag": ("lag",),
    "advancing": ("advancing",),
    "index": ("index",),
    "shock": ("shock",),
    "call": ("call",),
    "call_pct": ("call_pct", "call_pct_set"),
    "name": ("name",),
}


def grid_scenarios(grid: Mapping[str, Any], source: str) -> list[Scenario]:
    """Every combination of a ``[grid]`` table's values (each key a list of values, or one),
    the last key varying fastest; named ``key=value,...`` unless the grid names them. Each
    value is read and checked once (a bad one is reported once, at ``grid.KEY[i]``), and the
    keys once (unknown keys, two of one group); each combination takes the fields its
    values set."""
    if not grid:
        return []
    given = [str(k) for k in grid]  # as written: the names
    keys = [k.lower() for k in given]
    lists = [v if isinstance(v, list) else [v] for v in grid.values()]
    problems: list[Problem] = []
    r = Reader(source, "grid.", dict(zip(keys, grid.values(), strict=True)), problems)
    r.unknown(KEYS)
    for k in dict.fromkeys(k for k in keys if keys.count(k) > 1):
        r.bad(k, [n for n in given if n.lower() == k], "each key once")
    _one_of(r, PREPAY_KEYS)
    _one_of(r, DEFAULT_KEYS)
    sets: list[list[dict[str, Any]]] = []  # per key, per value: the fields it sets
    labels: list[list[str]] = []
    for k, name, raw, values in zip(keys, given, grid.values(), lists, strict=True):
        if k not in FIELDS_OF:
            continue  # reported above
        sets.append([])
        labels.append([f"{name}={_label(v)}" for v in values])
        for i, v in enumerate(values):
            try:
                one = scenario_from({k: v}, source, "", "")
            except RemitError as exc:  # located at the value: grid.KEY[i] (or grid.KEY)
                at = f"grid.{name}[{i}]" if isinstance(raw, list) else f"grid.{name}"
                problems.extend(replace(p, path=at + p.path[len(k) :]) for p in exc.problems)
                continue
            sets[-1].append({f: getattr(one, f) for f in FIELDS_OF[k]})
    if problems:
        raise RemitError(problems)
    out = []
    for combo, names in zip(itertools.product(*sets), itertools.product(*labels), strict=True):
        fields: dict[str, Any] = {"name": ",".join(names)}
        for f in combo:
            fields.update(f)
        out.append(Scenario(**fields))
    return out


def _label(v: object) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, list):
        return ";".join(str(x) for x in v)
    return str(v)


def read_scenarios(inline: Sequence[str], files: Sequence[Path]) -> list[Scenario]:
    """The scenarios of the command line: each ``--scenario`` text, then each file's. Every
    problem of every one is reported together."""
    out: list[Scenario] = []
    problems: list[Problem] = []
    for text in inline:
        try:
            out.append(parse_scenario(text))
        except RemitError as exc:
            problems.extend(exc.problems)
    for f in files:
        try:
            out.extend(load_scenarios(f))
        except RemitError as exc:
            problems.extend(exc.problems)
    if problems:
        raise RemitError(problems)
    if not out:
        raise RemitError.one(INLINE, "--scenario", "(none)", "at least one scenario")
    return out
