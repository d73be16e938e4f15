"""What a collateral projection starts from, as float arrays with one element per loan or
representative line ("rep line"): balance, gross and net rate, installments left, age,
interest-only months left, ARM terms, loan group. Floats: a projection, not a remittance.

Three sources:

* a pool typed inline, ``balance=100000000,wac=6.0,net=5.5,term=360,remaining=360,age=0``
  (rates in percent), the Standard Formulas' own case;
* a TOML file of rep lines (``[[line]]`` tables with the same keys, and ``group``);
* a loan tape (:func:`from_tape`), one element per loan, with its ARM terms and its
  deal's index fixings as the base index paths.

A pool or a rep line is an ARM when it names an ``index``: then ``margin``, ``first_reset``
(the projected month that first pays the reset rate; 1 = the first projected month) and
``reset_every`` (months) are required, and ``first_cap``, ``periodic_cap`` (the most the
rate moves at the first reset and at each one after; none by default; the first cap is the
periodic cap when only that is given), ``ceiling`` and ``floor`` (the lifetime maximum and
minimum rates; no ceiling and a 0% floor by default; the line's rate between them),
``round_to`` (the step the fully indexed rate is rounded to, e.g. 0.125; none by default)
and ``round`` (``nearest``, ``up``, ``down``; with ``round_to``) may be given, all in
percent. The index's level, held flat unless a scenario gives its path, is the line's
``index_level``, else the file's ``[indices]`` table (percent), else the level the caller
supplies (a deal's: the fixing of the remittance it starts from, which a line may not
contradict, or its ``collateral.index_levels``)."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from remit.errors import Problem, RemitError
from remit.project.formulas import F64
from remit.project.keyvalues import Reader, split_inline

POOL_KEYS = ("name", "balance", "wac", "net", "term", "remaining", "age", "io", "group")
ARM_KEYS = (
    "index",
    "index_level",
    "margin",
    "first_reset",
    "reset_every",
    "first_cap",
    "periodic_cap",
    "ceiling",
    "floor",
    "round_to",
    "round",
)
ROUNDING = ("nearest", "up", "down")  # Collateral.round_mode 0, 1, 2
LEVEL = "an index level in percent from -10 to 100"  # as a scenario's index
NO_LIMIT = 1.0  # a cap, ceiling of 100% a year: none


@dataclass(frozen=True)
class Collateral:
    """Loans or rep lines. Rates are annual fractions; ``remaining`` counts the installments
    left from the first projected month; ``age`` is the loan's age (months since its first
    payment month, less one) before it; ``io`` the interest-only installments left.

    ARM terms (ignored where ``arm`` is False): the rate resets for the projected months
    ``first_reset + k x reset_every`` (1 = the first projected month) to index + margin,
    rounded to ``round_to`` (mode 0 nearest, 1 up, 2 down), moved at most ``first_cap`` at
    the first reset and ``periodic_cap`` after it, kept within ``floor`` and ``ceiling``."""

    name: str
    balance: F64
    rate: F64
    fee: F64  # servicing and other fees taken from interest; net rate = rate - fee
    remaining: F64
    age: F64
    io: F64
    group: np.ndarray  # int, position in ``group_names``
    group_names: tuple[str, ...] = ("pool",)
    arm: np.ndarray = field(default_factory=lambda: np.zeros(0, bool))
    index_code: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    index_names: tuple[str, ...] = ()
    index_base: tuple[float, ...] = ()  # each index's base (latest) value, flat
    margin: F64 = field(default_factory=lambda: np.zeros(0))
    first_reset: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    reset_every: np.ndarray = field(default_factory=lambda: np.ones(0, np.int64))
    first_cap: F64 = field(default_factory=lambda: np.zeros(0))
    periodic_cap: F64 = field(default_factory=lambda: np.zeros(0))
    ceiling: F64 = field(default_factory=lambda: np.zeros(0))
    floor: F64 = field(default_factory=lambda: np.zeros(0))
    round_to: F64 = field(default_factory=lambda: np.zeros(0))
    round_mode: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))

    @property
    def n(self) -> int:
        return int(self.balance.size)

    @property
    def months(self) -> int:
        """Installments to the last maturity."""
        return int(self.remaining.max()) if self.n else 0

    def has_arms(self) -> bool:
        return bool(self.arm.size and self.arm.any())

    def take(self, rows: np.ndarray) -> Collateral:
        """The loans at ``rows`` (per-loan arrays only)."""
        per_loan = {
            k: v[rows]
            for k, v in self.__dict__.items()
            if isinstance(v, np.ndarray) and v.shape == (self.n,)
        }
        return Collateral(**{**self.__dict__, **per_loan})


def fixed(
    name: str,
    balance: Sequence[float],
    rate: Sequence[float],
    fee: Sequence[float],
    remaining: Sequence[float],
    age: Sequence[float],
    io: Sequence[float] | None = None,
    group: Sequence[int] | None = None,
    group_names: tuple[str, ...] = ("pool",),
) -> Collateral:
    """Fixed-rate loans or rep lines from plain sequences (rates as fractions)."""
    n = len(balance)
    return Collateral(
        name=name,
        balance=np.asarray(balance, np.float64),
        rate=np.asarray(rate, np.float64),
        fee=np.asarray(fee, np.float64),
        remaining=np.asarray(remaining, np.float64),
        age=np.asarray(age, np.float64),
        io=np.zeros(n) if io is None else np.asarray(io, np.float64),
        group=np.zeros(n, np.int64) if group is None else np.asarray(group, np.int64),
        group_names=group_names,
        arm=np.zeros(n, bool),
    )


def _line(r: Reader) -> dict[str, Any]:
    """One rep line's values from a table of keys; problems are collected in ``r``."""
    r.unknown(POOL_KEYS + ARM_KEYS)
    for key in ("balance", "wac", "net", "term"):
        if key not in r.data:
            r.bad(key, "(missing)", "a value for " + key)
    bal = r.number("balance", 0.0, lambda x: 0 < x <= 1e13, "a balance above 0")
    wac = r.number("wac", 0.0, lambda x: 0 <= x <= 50, "a gross rate in percent from 0 to 50")
    net = r.number("net", 0.0, lambda x: 0 <= x <= 50, "a net rate in percent from 0 to 50")
    term = r.integer("term", 360, 1, 600, "an original term of 1 to 600 months")
    remaining = r.integer("remaining", term, 1, 600, "1 to 600 installments left")
    age = r.integer("age", term - remaining, 0, 600, "an age of 0 to 600 months")
    io = r.integer("io", 0, 0, 600, "0 to 600 interest-only installments left")
    if wac is not None and net is not None and net > wac:
        r.bad("net", r.data.get("net"), f"a net rate no higher than the gross rate {wac}")
    if remaining > term:
        r.bad("remaining", r.data.get("remaining"), f"no more installments than the term {term}")
    return {
        "balance": bal or 0.0,
        "rate": (wac or 0.0) / 100.0,
        "fee": ((wac or 0.0) - (net or 0.0)) / 100.0,
        "remaining": remaining,
        "age": age,
        "io": io,
        "group": r.text("group", "pool"),
        "arm": _arm(r, remaining, wac),
    }


def _arm(r: Reader, remaining: int, wac: float | None) -> dict[str, Any] | None:
    """A line's ARM terms (rates as fractions), or None for a fixed-rate line."""
    if "index" not in r.data:
        for key in ARM_KEYS:
            if key in r.data:
                r.bad(key, r.data[key], "no ARM terms on a fixed-rate line (or an index)")
        return None
    index = r.text("index", "")
    for key in ("margin", "first_reset", "reset_every"):
        if key not in r.data:
            r.bad(key, "(missing)", f"a value for {key} (an ARM line names its index)")

    def pct(key: str, lo: float, default: float | None, what: str) -> float | None:
        x = r.number(key, None, lambda v: lo <= v <= 50, f"{what} in percent from {lo} to 50")
        return default if x is None else x / 100.0

    first_reset = r.integer(
        "first_reset", 1, 1, 600, "the projected month of the first reset, 1 to 600"
    )
    if first_reset > remaining:
        r.bad("first_reset", first_reset, f"a reset within the {remaining} installments left")
    periodic = pct("periodic_cap", 0, None, "a periodic cap")
    floor = pct("floor", 0, 0.0, "a floor rate") or 0.0
    ceiling = pct("ceiling", 0, NO_LIMIT, "a ceiling rate") or 0.0
    if ceiling < floor:
        r.bad("ceiling", r.data.get("ceiling"), f"a ceiling no lower than the floor {floor:.4%}")
    elif wac is not None and not floor <= wac / 100.0 <= ceiling:
        key = "floor" if wac / 100.0 < floor else "ceiling"
        r.bad(key, r.data.get(key), f"the line's rate {wac}% within its floor and ceiling")
    rounding = r.text("round", "nearest").lower()
    if rounding not in ROUNDING:
        r.bad("round", r.data.get("round"), "one of " + ", ".join(ROUNDING))
    elif "round" in r.data and "round_to" not in r.data:
        r.bad("round", r.data.get("round"), "a round_to step to round to (or no round)")
    level = r.number("index_level", None, lambda v: -10 <= v <= 100, LEVEL)
    return {
        "index": index,
        "level": None if level is None else level / 100.0,
        "margin": pct("margin", -10, 0.0, "a margin"),
        "first_reset": first_reset,
        "reset_every": r.integer("reset_every", 1, 1, 120, "a reset every 1 to 120 months"),
        "first_cap": pct("first_cap", 0, periodic if periodic is not None else NO_LIMIT, "a cap"),
        "periodic_cap": NO_LIMIT if periodic is None else periodic,
        "ceiling": ceiling,
        "floor": floor,
        "round_to": pct("round_to", 0, 0.0, "a rounding step"),
        "round_mode": ROUNDING.index(rounding) if rounding in ROUNDING else 0,
    }


def _collateral(
    name: str,
    lines: list[dict[str, Any]],
    levels: Mapping[str, float],
    problems: list[Problem],
    source: str,
    prefix: str = "line[{}].",
    fixings: Mapping[str, float] | None = None,
) -> Collateral:
    """The lines as collateral; an ARM line's index level from the line, else ``levels``
    (a problem at ``prefix.format(i) + "index"`` where neither gives one, or where it is not
    the level ``fixings`` holds: the deal's own fixing, which its classes accrue on)."""
    groups = tuple(dict.fromkeys(str(x["group"]) for x in lines))
    c = fixed(
        name,
        [x["balance"] for x in lines],
        [x["rate"] for x in lines],
        [x["fee"] for x in lines],
        [x["remaining"] for x in lines],
        [x["age"] for x in lines],
        [x["io"] for x in lines],
        [groups.index(str(x["group"])) for x in lines],
        groups,
    )
    arms = [x["arm"] for x in lines]
    if not any(arms):
        return c
    names = tuple(dict.fromkeys(a["index"] for a in arms if a))
    base: dict[str, float] = {}
    fixed_at = fixings or {}
    for i, a in enumerate(arms):
        if not a or not a["index"]:  # no index: a problem already
            continue
        level = a["level"] if a["level"] is not None else levels.get(a["index"])
        where = prefix.format(i) + "index"
        fix = fixed_at.get(a["index"])
        if level is not None and fix is not None and abs(level - fix) > 1e-12:
            problems.append(
                Problem(
                    source,
                    where,
                    f"{a['index']} at {level * 100:g}%",
                    f"the deal's own fixing of {a['index']}, {fix * 100:g}% (its classes accrue "
                    "on it; a scenario moves both)",
                )
            )
        elif level is None:
            problems.append(
                Problem(
                    source,
                    where,
                    a["index"],
                    "an index with a level (index_level, the [indices] table, or the deal's)",
                )
            )
        elif a["index"] in base and base[a["index"]] != level:
            other = base[a["index"]] * 100
            problems.append(
                Problem(source, where, a["index"], f"one level ({level * 100} here, {other} above)")
            )
        else:
            base[a["index"]] = level
    fixed_rate = {"index": names[0], "margin": 0.0, "first_reset": 0, "reset_every": 1,
                  "first_cap": 0.0, "periodic_cap": 0.0, "ceiling": NO_LIMIT, "floor": 0.0,
                  "round_to": 0.0, "round_mode": 0}  # fmt: skip

    def col(key: str, dtype: type) -> np.ndarray:
        return np.asarray([(a or fixed_rate)[key] for a in arms], dtype=dtype)

    return replace(
        c,
        arm=np.asarray([a is not None for a in arms], bool),
        index_code=np.asarray([names.index((a or fixed_rate)["index"]) for a in arms], np.int64),
        index_names=names,
        index_base=tuple(base.get(n, 0.0) for n in names),
        margin=col("margin", np.float64),
        first_reset=col("first_reset", np.int64),
        reset_every=col("reset_every", np.int64),
        first_cap=col("first_cap", np.float64),
        periodic_cap=col("periodic_cap", np.float64),
        ceiling=col("ceiling", np.float64),
        floor=col("floor", np.float64),
        round_to=col("round_to", np.float64),
        round_mode=col("round_mode", np.int64),
    )


def parse_pool(text: str, option: str = "--pool") -> Collateral:
    """A one-line pool from ``balance=...,wac=6.0,net=5.5,term=360,remaining=360,age=0``."""
    source = f'{option} "{text.strip()}"'
    data = split_inline(text, source, "")
    problems: list[Problem] = []
    line = _line(Reader(source, "", data, problems))
    c = _collateral(str(data.get("name", "pool")), [line], {}, problems, source, "")
    if problems:
        raise RemitError(problems)
    return c


def load_lines(
    path: Path,
    levels: Mapping[str, float] | None = None,
    fixings: Mapping[str, float] | None = None,
) -> Collateral:
    """Rep lines from a TOML file of ``[[line]]`` tables (each with the pool keys, an
    optional ``group``, and an ARM's terms) and an optional ``[indices]`` table of index
    levels in percent; ``levels`` (fractions) are the levels of indices neither gives;
    ``fixings`` the levels a line may not contradict (a deal's own fixings)."""
    source = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RemitError.one(source, "", "(missing)", "an existing TOML file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RemitError.one(source, "", type(exc).__name__, "a readable UTF-8 file") from None
    except tomllib.TOMLDecodeError as exc:
        raise RemitError.one(source, "", str(exc), "valid TOML") from None
    tables = data.get("line")
    if not isinstance(tables, list) or not tables or not all(isinstance(t, dict) for t in tables):
        raise RemitError.one(source, "line", "(none)", "one or more [[line]] tables")
    problems: list[Problem] = []
    lines = [
        _line(Reader(source, f"line[{i}].", _lower(t), problems)) for i, t in enumerate(tables)
    ]
    given = _levels(Reader(source, "indices.", {}, problems), data)
    for name, fix in (fixings or {}).items():
        if name in given and abs(given[name] - fix) > 1e-12:
            problems.append(
                Problem(
                    source,
                    f"indices.{name}",
                    f"{given[name] * 100:g}",
                    f"the deal's own fixing of {name}, {fix * 100:g}% (its classes accrue on "
                    "it; a scenario moves both)",
                )
            )
    known = dict(levels or {}) | given | dict(fixings or {})
    c = _collateral(
        str(data.get("name", path.stem)), lines, known, problems, source, fixings=fixings
    )
    if problems:
        raise RemitError(problems)
    return c


def _levels(r: Reader, data: Mapping[str, Any]) -> dict[str, float]:
    """The ``[indices]`` table: index name -> level in percent (as a fraction)."""
    table = data.get("indices", {})
    if not isinstance(table, dict):
        r.problems.append(Problem(r.source, "indices", table, "a table of index levels"))
        return {}
    r.data = table
    out = {}
    for name in table:
        x = r.number(name, None, lambda v: -10 <= v <= 100, LEVEL)
        if x is not None:
            out[name] = x / 100.0
    return out


def _lower(t: Mapping[str, Any]) -> dict[str, Any]:
    return {str(k).lower(): v for k, v in t.items()}
