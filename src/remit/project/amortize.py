"""Projection of scheduled amortization with prepayments, for many loans at once (floats).

The model, for a loan with balance B, monthly rate i = annual rate / 12 and n installments
left, month after month at a constant single monthly mortality s = 1 - (1 - CPR)^(1/12):

    interest   = B x i
    scheduled  = B x i x q / (1 - q),   q = (1 + i)^-n   (level payment less interest)
    prepaid    = (B - scheduled) x s
    B         <- B - scheduled - prepaid,   n <- n - 1

i.e. the level payment re-amortized on the balance left (the engine's convention). Because the
payment is recast on what is left, prepayments scale the whole remaining schedule, and the
balance after m months has the closed form

    B_m = (1 - s)^m x B_0 x (1 - q_0 g^m) / (1 - q_0),   g = 1 + i,  q_0 = (1 + i)^-n

(zero from maturity on: the factor is clamped at 0). The vectorised kernel keeps h = q_0 g^m
per loan and, each month, needs one multiply, one minimum and two dot products for the pool's
balance and interest; scheduled principal and prepayments follow from consecutive balances:

    after scheduled_m = B_m / (1 - s),  scheduled_m = B_{m-1} - after_m,  prepaid_m = after_m x s

Loans stream through in chunks (memory stays at a few arrays of ``chunk`` loans) on a thread
pool (numpy releases the GIL inside its loops). Floats, not cents: a projection, not a
remittance. :func:`project_loop` is the same kernel, loan by loan, in plain Python.

The scenario projection (:mod:`remit.project.schedule`) schedules its fixed-rate, amortizing
loans with the same closed form, summed by age group (:func:`level_sums`); loans whose rate
resets or that pay interest only follow the month-by-month recurrence there."""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from remit.project.formulas import F64, smm_from_cpr

I64 = npt.NDArray[np.int64]


@dataclass(frozen=True)
class PoolFlows:
    """Pool totals per projected month (index 0 = the first month)."""

    interest: F64
    scheduled: F64
    prepaid: F64
    balance: F64


def smm(cpr: float) -> float:
    """Single monthly mortality from an annual conditional prepayment rate (SF section B)."""
    return float(smm_from_cpr(cpr))


def _flows(bal_sched: F64, int_sched: F64, opening: float, s: float) -> PoolFlows:
    """Pool flows from the scheduled-balance sums (before the survival factor)."""
    months = bal_sched.size
    surv = (1.0 - s) ** np.arange(1, months + 1)
    balance = bal_sched * surv
    prior = np.concatenate(([opening], balance[:-1]))
    interest = int_sched * np.concatenate(([1.0], surv[:-1]))
    after = balance / (1.0 - s)
    return PoolFlows(interest, prior - after, after * s, balance)


def _sums(c: F64, ci: F64, h: F64, step: F64, months: int, additive: bool) -> F64:
    """Per month m = 1..months: sum of c x max(1 - h_m, 0) and of c x i x max(1 - h_{m-1}, 0);
    h advances by x g (level payment) or + 1/n (zero rate: straight-line amortization)."""
    weights = np.stack([c, ci])  # rows: balance, interest
    sums = weights.sum(axis=1)
    f = np.minimum(h, 1.0)
    out = np.zeros((2, months + 1))
    out[:, 0] = sums - weights @ f
    for m in range(1, months + 1):
        if additive:
            h += step
        else:
            h *= step
        np.minimum(h, 1.0, out=f)
        out[:, m] = sums - weights @ f
    # balance after month m is row 0 at m; interest of month m is row 1 at m - 1
    return np.stack([out[0, 1:], out[1, :-1]])


def _chunk(balance: F64, rate: F64, remaining: I64, months: int) -> F64:
    """The chunk's sums, with c = B_0 / (1 - q_0) and h_m = q_0 g^m (for a zero rate, the
    limit: c = B_0 and h_m = m / n). One multiply, one minimum and one two-row
    matrix-vector product per month."""
    i = rate / 12.0
    n = np.maximum(remaining, 0).astype(np.float64)
    zero = i <= 0
    out = np.zeros((2, months))
    if not zero.all():
        k = ~zero
        ik = i[k]
        h = np.exp(-n[k] * np.log1p(ik))
        c = np.where(n[k] > 0, balance[k] / (1.0 - h), 0.0)
        out += _sums(c, c * ik, h, 1.0 + ik, months, additive=False)
    if zero.any():
        nz = n[zero]
        step = np.where(nz > 0, 1.0 / np.maximum(nz, 1.0), 1.0)
        h = np.where(nz > 0, 0.0, 1.0)
        out += _sums(balance[zero], np.zeros(nz.size), h, step, months, additive=True)
    return out


def project(
    balance: F64,
    rate: F64,
    remaining: I64,
    cpr: float,
    months: int = 360,
    *,
    chunk: int = 8_192,
    threads: int = 2,
) -> PoolFlows:
    """Pool interest, scheduled principal, prepayments and ending balance for ``months``
    months at a constant CPR, for level-payment loans at their current rate."""
    starts = range(0, balance.size, chunk)

    def run(a: int) -> F64:
        b = slice(a, a + chunk)
        return _chunk(balance[b], rate[b], remaining[b], months)

    total = np.zeros((2, months))
    with ThreadPoolExecutor(max_workers=max(threads, 1)) as pool:
        for part in pool.map(run, starts):
            total += part
    return _flows(total[0], total[1], float(balance.sum()), smm(cpr))


def project_loop(
    balance: list[float], rate: list[float], remaining: list[int], cpr: float, months: int = 360
) -> PoolFlows:
    """The kernel of :func:`project`, one loan and one month at a time, in plain Python."""
    bal_sched = [0.0] * months
    int_sched = [0.0] * months
    for b0, r0, n0 in zip(balance, rate, remaining, strict=True):
        i = r0 / 12.0
        if n0 <= 0:
            continue
        if i > 0:
            h = math.exp(-n0 * math.log1p(i))
            c = b0 / (1.0 - h)
        else:
            h, c = 0.0, b0
        for m in range(months):
            int_sched[m] += c * i * max(1.0 - h, 0.0)
            h = h * (1.0 + i) if i > 0 else h + 1.0 / n0
            bal_sched[m] += c * max(1.0 - h, 0.0)
    return _flows(np.array(bal_sched), np.array(int_sched), sum(balance), smm(cpr))


def project_recurrence(
    balance: float, rate: float, remaining: int, cpr: float, months: int = 360
) -> PoolFlows:
    """The model's month-by-month recurrence for one loan (the definition, for tests)."""
    s = smm(cpr)
    out = [[0.0] * months for _ in range(4)]
    b, n, i = balance, remaining, rate / 12.0
    for m in range(months):
        interest = b * i
        if n <= 0:
            sched = 0.0
        elif n == 1 or i == 0:
            sched = b / n
        else:
            q = (1.0 + i) ** -n
            sched = interest * q / (1.0 - q)
        pre = (b - sched) * s
        b -= sched + pre
        n -= 1
        for k, v in enumerate((interest, sched, pre, b)):
            out[k][m] = v
    return PoolFlows(*(np.array(x) for x in out))


def level_sums(
    balance: F64, rate: F64, fee: F64, remaining: F64, starts: np.ndarray, months: int
) -> tuple[F64, F64, F64]:
    """Scheduled balance, interest and fees of level-payment loans with no prepayment, summed
    by key (the loans sorted by key, ``starts`` the first of each): with ``c`` and ``h`` as
    above, ``W[k, m] = sum c max(1 - h_m, 0)`` (m = 0: the starting balances),
    ``GI[k, m-1] = sum c i max(1 - h_{m-1}, 0)`` and ``FI`` the same at ``fee / 12``. Every
    loan needs at least one installment left."""
    i = rate / 12.0
    n = remaining.astype(np.float64)
    zero = i <= 0
    with np.errstate(divide="ignore", invalid="ignore"):
        h = np.where(zero, 0.0, np.exp(-n * np.log1p(np.where(zero, 0.0, i))))
        c = np.where(zero, balance, balance / (1.0 - h))
    step = np.where(zero, 1.0 / np.maximum(n, 1.0), 1.0 + i)
    weights = np.stack([c, c * i, c * fee / 12.0])  # rows: balance, interest, fees
    totals = np.add.reduceat(weights, starts, axis=1)
    f = np.minimum(h, 1.0)
    out = np.empty((3, starts.size, months + 1))
    tmp = np.empty_like(weights)
    for m in range(months + 1):
        if m:
            h = np.where(zero, h + step, h * step)
            np.minimum(h, 1.0, out=f)
            f[n <= m] = 1.0  # paid off at maturity exactly, not to a rounding residue
        np.multiply(weights, f, out=tmp)
        out[:, :, m] = totals - np.add.reduceat(tmp, starts, axis=1)
    return out[0], out[1, :, :-1], out[2, :, :-1]
