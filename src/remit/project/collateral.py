"""What a collateral projection starts from, as float arrays with one element per loan or
representative line ("rep line"): balance, gross and net rate, installments left, age,
interest-only months left, ARM terms, loan group. Floats: a projection, not a remittance.

Three sources:

* a pool typed inline, ``balance=100000000,wac=6.0,net=5.5,term=360,remaining=360,age=0``
  (rates in percent), the Standard Formulas' own case;
* a TOML file of rep lines (``[[line]]`` tables with the same keys, and ``group``);
* a loan tape (:func:`from_tape`), one element per loan, with its ARM terms and its
  deal's index fixings as the base index paths."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from remit.errors import Problem, RemitError
from remit.project.formulas import F64
from remit.project.keyvalues import Reader, split_inline

POOL_KEYS = ("name", "balance", "wac", "net", "term", "remaining", "age", "io", "group")


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
    r.unknown(POOL_KEYS)
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
    }


def _collateral(name: str, lines: list[dict[str, Any]]) -> Collateral:
    groups = tuple(dict.fromkeys(str(x["group"]) for x in lines))
    return fixed(
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


def parse_pool(text: str, option: str = "--pool") -> Collateral:
    """A one-line pool from ``balance=...,wac=6.0,net=5.5,term=360,remaining=360,age=0``."""
    source = f'{option} "{text.strip()}"'
    data = split_inline(text, source, "")
    problems: list[Problem] = []
    line = _line(Reader(source, "", data, problems))
    if problems:
        raise RemitError(problems)
    return _collateral(str(data.get("name", "pool")), [line])


def load_lines(path: Path) -> Collateral:
    """Rep lines from a TOML file of ``[[line]]`` tables (each with the pool keys, and an
    optional ``group``)."""
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
    if problems:
        raise RemitError(problems)
    return _collateral(str(data.get("name", path.stem)), lines)


def _lower(t: Mapping[str, Any]) -> dict[str, Any]:
    return {str(k).lower(): v for k, v in t.items()}
