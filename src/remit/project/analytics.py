"""Yield and yield-related measures of a monthly cash-flow stream (SIFMA Uniform Practices,
chapter SF, section D; day counts 30/360, section F). Floats: analytics, not remittances.

Timing. Projected month 1 is the accrual month holding the settlement date; a stream's
payment for month ``k`` is made ``delay`` days after the first day of that month, counting
that day as the first and every month as 30 days (the stated delay: 55 days pays on the 25th
of the next month, 45 on the 15th, 75 on the 15th of the month after). In 30/360 months from
settlement (day ``d`` of its month, 31 counted as 30)::

    t_k = (30 (k - 1) + delay - d) / 30

Price. Prices are per 100 of the face at settlement (the balance at the start of month 1).
The full price is the present value of the flows at the mortgage yield ``y`` (monthly
compounding), ``100/B x sum CF_k (1 + y/12)^-t_k``; the quoted price is the full price less
accrued interest, ``coupon x (d - 1) / 360 x 100`` (30/360 from the first of the month), the
coupon being the stream's first month's interest x 12 / B.

Measures (t in years, ``t_k / 12``; PV_k the discounted flows, P their sum):

* bond-equivalent yield ``BEY = 2 ((1 + y/12)^6 - 1)`` (semiannual compounding);
* average life ``sum t_k x principal_k / sum principal_k`` (from settlement);
* Macaulay duration ``sum t_k PV_k / P``; modified duration ``Macaulay / (1 + y/12)``
  (``-dP/dy / P``, y the mortgage yield);
* convexity ``sum t_k (t_k + 1/12) PV_k / (P (1 + y/12)^2)`` (``d2P/dy2 / P``);
* effective duration and convexity from full prices re-projected with every index and the
  yield shifted by +-h: ``(P- - P+) / (2 P0 h)`` and ``(P- + P+ - 2 P0) / (P0 h^2)``;
* spread to a flat curve: ``BEY - curve`` in basis points (the curve quoted bond-equivalent).
"""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from remit.dates import days_30_360
from remit.errors import RemitError
from remit.project.formulas import F64

#: a pool's stated delay, days: 55 pays on the 25th of the month after the accrual month
STATED_DELAY = 55
MIN_YIELD = -0.5
MAX_YIELD = 10.0


@dataclass(frozen=True)
class Stream:
    """A monthly cash-flow stream (index 0 = month 1): principal, interest, losses written
    off, and the face at the start."""

    principal: F64
    interest: F64
    loss: F64
    face: float

    @property
    def cash(self) -> F64:
        return np.asarray(self.principal + self.interest, dtype=np.float64)

    @property
    def coupon(self) -> float:
        """The annual rate the first month's interest pays on the face."""
        return 12.0 * float(self.interest[0]) / self.face if self.face > 0 else 0.0


@dataclass(frozen=True)
class Timing:
    settle: date
    delay: int

    def times(self, months: int) -> F64:
        """t_k in 30/360 months from settlement, k = 1..months."""
        d = min(self.settle.day, 30)
        k = np.arange(months, dtype=np.float64)
        return (30.0 * k + self.delay - d) / 30.0

    def accrued_fraction(self) -> float:
        """Years of accrued interest at settlement, 30/360 from the first of the month."""
        return (min(self.settle.day, 30) - 1) / 360.0

    def payment_date(self, k: int) -> date:
        """The date of month k's payment (a 30th of February shown as the month's last day)."""
        q, day = divmod(self.delay - 1, 30)
        total = self.settle.year * 12 + self.settle.month - 1 + k - 1 + q
        y, m = divmod(total, 12)
        return date(y, m + 1, min(day + 1, calendar.monthrange(y, m + 1)[1]))


@dataclass(frozen=True)
class DatedTiming(Timing):
    """A deal class's timing: its payments on the deal's projected distribution dates
    (``dates``), ``t_k`` their 30/360 months from settlement; accrued interest from the
    start of the accrual period (``accrual_start``, the last distribution date before
    settlement) to settlement, 30/360. ``delay`` does not apply."""

    dates: tuple[date, ...] = ()
    accrual_start: date | None = None

    def times(self, months: int) -> F64:
        return np.array(
            [days_30_360(self.settle, d) / 30.0 for d in self.dates[:months]], dtype=np.float64
        )

    def accrued_fraction(self) -> float:
        if self.accrual_start is None:
            return 0.0
        return max(days_30_360(self.accrual_start, self.settle), 0) / 360.0

    def payment_date(self, k: int) -> date:
        return self.dates[k - 1]


def bey_from_mortgage(y: float) -> float:
    """Bond-equivalent yield of a mortgage yield (SF section D): ``2((1 + y/12)^6 - 1)``."""
    return 2.0 * ((1.0 + y / 12.0) ** 6 - 1.0)


def mortgage_from_bey(b: float) -> float:
    """Mortgage yield of a bond-equivalent yield: ``12((1 + b/2)^(1/6) - 1)``."""
    return 12.0 * (math.pow(1.0 + b / 2.0, 1.0 / 6.0) - 1.0)


def full_price(s: Stream, y: float, timing: Timing) -> float:
    """Present value of the stream per 100 of face at mortgage yield ``y``."""
    t = timing.times(s.cash.size)
    v = np.exp(-t * math.log1p(y / 12.0))
    pv: float = 100.0 * float(np.dot(s.cash, v)) / s.face
    return pv


def accrued(s: Stream, timing: Timing) -> float:
    """Accrued interest per 100 of face at settlement."""
    return 100.0 * s.coupon * timing.accrued_fraction()


def find_root(
    f: Callable[[float], float], lo: float, hi: float, tol: float = 1e-14, iters: int = 200
) -> float | None:
    """A root of ``f`` in [lo, hi] where f changes sign (Illinois false position, with
    bisection steps to guarantee progress); None when f does not change sign."""
    flo, fhi = f(lo), f(hi)
    if flo == 0:
        return lo
    if fhi == 0:
        return hi
    if (flo > 0) == (fhi > 0):
        return None
    side = 0
    for it in range(iters):
        x = 0.5 * (lo + hi) if it % 4 == 3 else (lo * fhi - hi * flo) / (fhi - flo)
        fx = f(x)
        if fx == 0 or abs(hi - lo) <= tol * max(1.0, abs(x)):
            return x
        if (fx > 0) == (fhi > 0):
            hi, fhi = x, fx
            if side == 1:
                flo /= 2
            side = 1
        else:
            lo, flo = x, fx
            if side == -1:
                fhi /= 2
            side = -1
    return 0.5 * (lo + hi)


def yield_from_full_price(s: Stream, full: float, timing: Timing, source: str = "--price") -> float:
    """The mortgage yield at which the stream is worth ``full`` per 100 of face."""
    if not np.any(s.cash > 0):
        raise RemitError.one(source, "", full, "a stream with cash flows to price")
    y = find_root(lambda y: full_price(s, y, timing) - full, MIN_YIELD, MAX_YIELD)
    if y is None:
        lo = full_price(s, MAX_YIELD, timing)
        hi = full_price(s, MIN_YIELD, timing)
        raise RemitError.one(
            "(command line)",
            source,
            round(full, 6),
            f"a full price a yield from {MIN_YIELD:.0%} to {MAX_YIELD:.0%} reaches "
            f"({lo:.6f} to {hi:.6f})",
        )
    return y


@dataclass(frozen=True)
class Measures:
    price: float
    full_price: float
    accrued_interest: float
    mortgage_yield: float
    bey: float
    average_life_years: float
    macaulay_duration_years: float
    modified_duration: float
    convexity: float

    def as_dict(self) -> dict[str, float | str]:
        return {
            "price": self.price,
            "price_32nds": format_32nds(self.price),
            "full_price": self.full_price,
            "accrued_interest": self.accrued_interest,
            "mortgage_yield_pct": 100.0 * self.mortgage_yield,
            "bey_pct": 100.0 * self.bey,
            "average_life_years": self.average_life_years,
            "macaulay_duration_years": self.macaulay_duration_years,
            "modified_duration": self.modified_duration,
            "convexity": self.convexity,
        }


def measures(s: Stream, y: float, timing: Timing) -> Measures:
    """Every measure at mortgage yield ``y``."""
    t = timing.times(s.cash.size) / 12.0
    v = np.exp(-12.0 * t * math.log1p(y / 12.0))
    pv = s.cash * v
    total = float(pv.sum())
    full = 100.0 * total / s.face
    ai = accrued(s, timing)
    prin = float(s.principal.sum())
    wal = float(np.dot(t, s.principal)) / prin if prin > 0 else 0.0
    mac = float(np.dot(t, pv)) / total
    g = 1.0 + y / 12.0
    return Measures(
        price=full - ai,
        full_price=full,
        accrued_interest=ai,
        mortgage_yield=y,
        bey=bey_from_mortgage(y),
        average_life_years=wal,
        macaulay_duration_years=mac,
        modified_duration=mac / g,
        convexity=float(np.dot(t * (t + 1.0 / 12.0), pv)) / (total * g * g),
    )


def from_price(s: Stream, price: float, timing: Timing) -> Measures:
    """Measures at a quoted (clean) price per 100."""
    full = price + accrued(s, timing)
    y = yield_from_full_price(s, full, timing)
    return replace(measures(s, y, timing), price=price, full_price=full)


def from_yield(s: Stream, bey: float, timing: Timing) -> Measures:
    """Measures at a bond-equivalent yield (fraction)."""
    return measures(s, mortgage_from_bey(bey), timing)


def effective(full_at: Callable[[float], float], h: float = 0.0025) -> tuple[float, float]:
    """Effective duration and convexity from ``full_at(shift)``: the full price with the
    rates (index paths and discount yield) shifted by ``shift``."""
    p0, up, down = full_at(0.0), full_at(h), full_at(-h)
    return (down - up) / (2.0 * p0 * h), (down + up - 2.0 * p0) / (p0 * h * h)


def spread_bp(bey: float, curve_pct: float) -> float:
    """Spread to a flat curve quoted bond-equivalent, in basis points."""
    return (bey - curve_pct / 100.0) * 10_000.0


_THIRTY_SECONDS = re.compile(r"^(\d+)-(?:(\d{2})(\+|[0-7])?|(\d))$")


def parse_price(text: str, option: str = "--price") -> float:
    """A price per 100: a decimal (``101.515625``) or 32nds: ``101-16`` = 101 16/32,
    ``101-16+`` = 101 16.5/32, ``101-163`` = 101 16 3/8 /32."""
    t = text.strip()
    m = _THIRTY_SECONDS.match(t)
    if m:
        whole, two, extra, one = m.groups()
        n32 = int(two if two is not None else one)
        if n32 >= 32:
            raise RemitError.one("(command line)", option, text, "32nds from 00 to 31")
        frac = 0.0 if not extra else 0.5 if extra == "+" else int(extra) / 8.0
        return int(whole) + (n32 + frac) / 32.0
    try:
        x = float(t)
    except ValueError:
        x = float("nan")
    if not math.isfinite(x) or x <= 0:
        raise RemitError.one(
            "(command line)", option, text, "a price above 0: a decimal or 32nds like 101-16+"
        )
    return x


def format_32nds(price: float) -> str:
    """A price in 32nds to the nearest 1/256: ``101-16+``, ``99-052``."""
    if not math.isfinite(price) or price < 0:
        return str(price)
    units = round(price * 256)
    whole, rest = divmod(units, 256)
    n32, eighths = divmod(rest, 8)
    tail = "" if eighths == 0 else "+" if eighths == 4 else str(eighths)
    return f"{whole}-{n32:02d}{tail}"
