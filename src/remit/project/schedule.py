"""Scheduled amortization of every loan under every index path, summed by age group (floats).

With no prepayment and no default, loan ``l``'s balance follows its level payment, recast
each month on the balance, the current rate and the installments left (the collateral
engine's convention, :mod:`remit.collateral.engine`), so the scheduled principal is a fraction
of the balance that depends only on the rate and the installments left::

    a = i / ((1 + i)^n - 1)     (0 during the interest-only period, 1 at the last installment)
    B_m = B_{m-1} x (1 - a_m)

Prepayments and defaults take the same fraction of every loan of an age group in a month, so
each age group's performing balance is its scheduled balance times one survival factor per
scenario (:mod:`remit.project.engine`). This module computes, per index path ``p``, age group
``k`` and month ``m`` (sums over the group's loans):

* ``W[p, k, m]``  scheduled balance at the end of month m (``m = 0``: the starting balance);
* ``GI[p, k, m]`` gross interest of month m+1 on the scheduled balance, ``B x rate / 12``;
* ``FI[p, k, m]`` fees of month m+1, ``B x fee / 12``.

ARM rates reset on each loan's reset months from its index's path (index + margin, rounded,
capped by the first or periodic cap, within floor and ceiling). The kernel keeps
``g = (1 + i)^n`` per loan and divides it by ``1 + i`` each month (a power only where the rate
resets): a handful of array operations per month over (paths x loans). Fixed-rate loans that
amortize from the first month use the closed form of :mod:`remit.project.amortize` instead
(one multiply, one minimum and the sums per month)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from remit.project.amortize import level_sums
from remit.project.collateral import Collateral
from remit.project.formulas import F64


@dataclass(frozen=True)
class Groups:
    """Loans sorted by (loan group, age): ``order`` sorts the loans, ``starts`` are the first
    sorted position of each key, ``key_group``/``key_age`` describe the keys."""

    order: np.ndarray
    starts: np.ndarray
    key_group: np.ndarray
    key_age: F64

    @property
    def k(self) -> int:
        return int(self.starts.size)


def age_groups(c: Collateral) -> Groups:
    order = np.lexsort((c.age, c.group))
    g, a = c.group[order], c.age[order]
    new = np.ones(order.size, bool)
    new[1:] = (g[1:] != g[:-1]) | (a[1:] != a[:-1])
    starts = np.flatnonzero(new)
    return Groups(order, starts, g[starts], a[starts].astype(np.float64))


@dataclass(frozen=True)
class Scheduled:
    W: F64  # (paths, keys, months + 1)
    GI: F64  # (paths, keys, months)
    FI: F64  # (paths, keys, months)


def scheduled(c: Collateral, groups: Groups, paths: F64, months: int) -> Scheduled:
    """``paths``: index rates (fractions), shape (paths, indices, months). Fixed-rate loans are
    scheduled once and shared by every path."""
    p = max(paths.shape[0], 1)
    W = np.zeros((p, groups.k, months + 1))
    GI = np.zeros((p, groups.k, months))
    FI = np.zeros((p, groups.k, months))
    sorted_c = c.take(groups.order)
    key_of = np.repeat(np.arange(groups.k), np.diff(np.append(groups.starts, c.n)))
    arm = sorted_c.arm if sorted_c.arm.size else np.zeros(c.n, bool)
    # fixed-rate loans amortizing from the first month: the closed form; the others (interest
    # only, no installment left) month by month; ARMs month by month on every index path
    level = ~arm & (sorted_c.io <= 0) & (sorted_c.remaining >= 1)
    for kind, mask in (("level", level), ("fixed", ~arm & ~level), ("arm", arm)):
        rows = np.flatnonzero(mask)
        if rows.size == 0:
            continue
        sub = sorted_c.take(rows)
        keys = key_of[rows]
        first = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        out_keys = keys[first]
        if kind == "level":
            w, gi, fi = level_sums(sub.balance, sub.rate, sub.fee, sub.remaining, first, months)
        else:
            w, gi, fi = _kernel(sub, first, paths if kind == "arm" else None, months)
        W[:, out_keys, :] += w
        GI[:, out_keys, :] += gi
        FI[:, out_keys, :] += fi
    return Scheduled(W, GI, FI)


def _kernel(c: Collateral, starts: np.ndarray, paths: F64 | None, months: int) -> tuple[F64, ...]:
    """Sums by key (``starts`` of the sorted loans) for one set of loans: all fixed (one path)
    or all ARMs (one row per index path). Arrays are (paths, loans)."""
    p = paths.shape[0] if paths is not None else 1
    nk = starts.size
    W = np.zeros((p, nk, months + 1))
    GI = np.zeros((p, nk, months))
    FI = np.zeros((p, nk, months))
    bal = np.repeat(c.balance[None, :], p, axis=0)
    rate = np.repeat(c.rate[None, :], p, axis=0)
    fee12 = c.fee / 12.0
    i = rate / 12.0
    g = np.exp(c.remaining * np.log1p(i))
    inv = 1.0 / (1.0 + i)
    W[:, :, 0] = np.add.reduceat(bal, starts, axis=1)
    zero_rate = bool((i <= 0).any())
    a = np.empty_like(bal)
    tmp = np.empty_like(bal)
    io_until = int(c.io.max()) if c.n else 0
    for m in range(1, min(months, c.months) + 1):
        n = c.remaining - (m - 1)
        if paths is not None:
            reset = _resets(c, m)
            if reset.size:
                r = _new_rates(c, reset, rate[:, reset], paths[:, :, m - 1], m)
                rate[:, reset] = r
                i[:, reset] = r / 12.0
                inv[:, reset] = 1.0 / (1.0 + i[:, reset])
                g[:, reset] = np.exp(n[reset] * np.log1p(i[:, reset]))
                zero_rate = zero_rate or bool((r <= 0).any())
        np.multiply(bal, i, out=tmp)
        GI[:, :, m - 1] = np.add.reduceat(tmp, starts, axis=1)
        np.multiply(bal, fee12, out=tmp)
        FI[:, :, m - 1] = np.add.reduceat(tmp, starts, axis=1)
        np.subtract(g, 1.0, out=a)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            np.divide(i, a, out=a)
        if zero_rate:
            a = np.where(i > 0, a, 1.0 / np.maximum(n, 1.0))
        if m <= io_until:
            a *= (m > c.io) | (n <= 1)
        last = n <= 1
        if last.any():
            a[:, last] = 1.0
        np.subtract(1.0, a, out=a)
        bal *= a
        W[:, :, m] = np.add.reduceat(bal, starts, axis=1)
        g *= inv
    return W, GI, FI


def _resets(c: Collateral, m: int) -> np.ndarray:
    """The loans whose rate resets for projected month ``m``."""
    k = m - c.first_reset
    return np.flatnonzero(c.arm & (k >= 0) & (k % np.maximum(c.reset_every, 1) == 0))


def _new_rates(c: Collateral, rows: np.ndarray, prior: F64, index: F64, m: int) -> F64:
    """ARM reset: fully indexed rate = round(index + margin), moved at most the cap (the first
    cap at the first reset, the periodic cap after it), within floor and ceiling.
    ``index``: (paths, indices) for the month; ``prior``: (paths, rows)."""
    full = index[:, c.index_code[rows]] + c.margin[rows]
    step = c.round_to[rows]
    mode = c.round_mode[rows]
    with np.errstate(divide="ignore", invalid="ignore"):
        q = full / np.where(step > 0, step, 1.0)
        # tolerate float noise below a millionth of a step before rounding up or down
        rounded = np.where(
            mode == 1,
            np.ceil(q - 1e-6),
            np.where(mode == 2, np.floor(q + 1e-6), np.floor(q + 0.5)),
        )
    full = np.where(step > 0, rounded * step, full)
    cap = np.where(m == c.first_reset[rows], c.first_cap[rows], c.periodic_cap[rows])
    new = np.clip(full, prior - cap, prior + cap)
    out: F64 = np.minimum(np.maximum(new, c.floor[rows]), c.ceiling[rows])
    return out
