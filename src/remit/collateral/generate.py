"""A synthetic loan tape and its monthly activity, following the deal's collateral
description.

What the tape reproduces comes from the deal spec's ``[collateral]`` (:class:`Calibration`):
the loan count and cut-off balance, the weighted average coupon (``wac``) and remaining term
(``wam``), the loans' original term, the product mix (``[[collateral.mix]]``: each product's
rate type -- fixed, adjustable or hybrid ARM --, share of the balance, average note rate, ARM
terms, interest-only share, loan group) and each index's level at cut-off. The count,
balance (to the cent: the last loan takes the rounding), WAC (to 1e-8) and WAM are hit
exactly; the tape scales to any loan count (the balance scales with the count). Monthly
activity is drawn from :class:`Behaviour` (CPR, CDR, severity, delinquency roll rates) --
constant, or by month and loan age from a projection scenario (:meth:`Behaviour.of`) --, the
same for a given seed. For a senior/subordinate deal the loans are put in its loan groups,
each with exactly its cut-off count and balance (:func:`assign_groups`); a product that
names its group has its loans there.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]
import pyarrow.csv as pacsv  # type: ignore[import-untyped]
import pyarrow.parquet as pq  # type: ignore[import-untyped]

from remit import dates
from remit.collateral.collect import share
from remit.collateral.engine import apply, initial_state, schedule
from remit.collateral.formats import F64, I64, RATE_SCALE, Bool, Problems, fee_rate_column
from remit.collateral.tape import (
    month_of,
    month_start_day,
    read_activity,
    read_fixings,
    read_loans,
)
from remit.errors import REQUEST, Problem, RemitError
from remit.spec.models import DealSpec

if TYPE_CHECKING:
    from remit.project.scenario import Scenario

Progress = Callable[[int, int], None]

#: months at the initial rate by product type (0: adjusts from the start, or never: fixed)
FIXED_MONTHS = {"hybrid_3_1": 36, "hybrid_5_1": 60, "hybrid_7_1": 84, "hybrid_10_1": 120}


@dataclass(frozen=True)
class ProductMix:
    """One product of the pool: its share of the balance, its ARM terms and its
    interest-only loans (rates as fractions)."""

    product_type: str
    deal_product: str
    balance_share: float
    rate_mean: float
    fixed_months: int = 0
    index: str = ""
    margin: float = 0.0
    reset_frequency: int = 12
    initial_cap: float = 0.02
    periodic_cap: float = 0.02
    lifetime_cap: float = 0.05
    io_share: float = 0.0
    io_term: int = 120
    group: str = ""


@dataclass(frozen=True)
class Calibration:
    """What the tape reproduces (:meth:`of` a deal spec). Rates are fractions; ``wac_units``
    in 1e-8. The fee levels are the generator's own assumptions: servicing fee rates at two
    levels averaging ``servicing_mean``, and an external master servicing fee on a share of
    the balance, for the fees the servicer reports loan by loan."""

    count: int
    balance_cents: int
    wac_units: int
    wam: int
    mix: tuple[ProductMix, ...]
    index_start: dict[str, float]
    original_term: int = 360
    servicing_low: float = 0.0025
    servicing_high: float = 0.00375
    servicing_mean: float = 0.00302
    other_fee_share: float = 0.0931
    other_fee_rate: float = 0.0005
    balance_sigma: float = 0.55
    penalty_share: float = 0.10
    penalty_term: int = 36

    @classmethod
    def of(cls, spec: DealSpec, source: str = "deal.toml") -> Calibration:
        """The deal's collateral description as a calibration; a RemitError naming the fields
        ``source`` (the spec's file) lacks or gets wrong."""
        col = spec.collateral
        problems = _description_problems(spec, source)
        if problems:
            raise RemitError(problems)
        assert col.wac is not None and col.wam is not None
        keys = {p.key for p in col.products}
        mix = tuple(
            ProductMix(
                product_type=m.product_type,
                deal_product=m.product if m.product in keys else "",
                balance_share=float(m.share),
                rate_mean=float(m.rate),
                fixed_months=FIXED_MONTHS.get(m.product_type, 0),
                index=m.index or "",
                margin=float(m.margin or 0),
                reset_frequency=m.reset_months,
                initial_cap=float(m.initial_cap),
                periodic_cap=float(m.periodic_cap),
                lifetime_cap=float(m.lifetime_cap),
                io_share=float(m.interest_only_share),
                io_term=m.interest_only_months,
                group=m.group or "",
            )
            for m in col.mix
        )
        return cls(
            count=col.cut_off_count,
            balance_cents=int(col.cut_off_balance.scaleb(2)),
            wac_units=int((col.wac * RATE_SCALE).to_integral_value()),
            wam=col.wam,
            mix=mix,
            index_start={k: float(v) for k, v in col.index_levels.items()},
            original_term=col.original_term,
        )


def _description_problems(spec: DealSpec, source: str) -> list[Problem]:
    """What a synthetic tape needs of ``[collateral]`` and does not find there."""
    col = spec.collateral
    need = "to generate a loan tape"
    out: list[Problem] = []
    if col.wac is None:
        out.append(Problem(source, "collateral.wac", "(missing)", f"the pool's WAC {need}"))
    if col.wam is None:
        out.append(Problem(source, "collateral.wam", "(missing)", f"the pool's WAM {need}"))
    elif col.wam > col.original_term:
        out.append(
            Problem(source, "collateral.wam", col.wam, f"at most original_term {col.original_term}")
        )
    if not col.mix:
        out.append(
            Problem(
                source,
                "collateral.mix",
                "(missing)",
                f"the pool's products ([[collateral.mix]]) {need}",
            )
        )
        return out
    total = sum((m.share for m in col.mix), Decimal(0))
    if abs(total - 1) > Decimal("0.0001"):
        out.append(Problem(source, "collateral.mix", str(total), "shares adding up to 1"))
    keys = [p.key for p in col.products]
    groups = [g.name for g in spec.loan_groups]
    indices = {*col.index_levels}
    for i, m in enumerate(col.mix):
        at = f"collateral.mix[{i}]"
        if m.product is not None and m.product not in keys:
            out.append(
                Problem(source, f"{at}.product", m.product, f"one of collateral.products: {keys}")
            )
        if m.index is not None and m.index not in indices:
            out.append(
                Problem(
                    source,
                    f"{at}.index",
                    m.index,
                    "an index with its level in collateral.index_levels",
                )
            )
        if m.group is not None and m.group not in groups:
            out.append(Problem(source, f"{at}.group", m.group, f"one of the loan groups {groups}"))
        if m.interest_only_months >= col.original_term:
            out.append(
                Problem(
                    source,
                    f"{at}.interest_only_months",
                    m.interest_only_months,
                    "less than original_term",
                )
            )
    named = [m.group for m in col.mix if m.group is not None]
    if named and (len(named) != len(col.mix) or set(named) != set(groups)):
        out.append(
            Problem(
                source,
                "collateral.mix",
                sorted(set(named)),
                f"a group on every product, every loan group {groups} with one",
            )
        )
    missing = sorted(ix.name for ix in spec.indices if ix.name not in indices)
    if missing:
        out.append(
            Problem(
                source,
                "collateral.index_levels",
                sorted(indices),
                f"a level for each index of the deal: {missing} {need}",
            )
        )
    return out


@dataclass(frozen=True)
class Behaviour:
    """Monthly activity: annual CPR and CDR, loss severity, delinquency roll rates (monthly:
    current -> 30 days, roll to the next bucket, cure to current), curtailments, repurchases.

    ``scenario``: prepayments and defaults by month and loan age from a projection scenario
    (PSA/SDA ramps, CPR/CDR vectors; :mod:`remit.project.scenario`) instead of ``cpr`` and
    ``cdr`` (its severity is ``severity``)."""

    cpr: float = 0.15
    cdr: float = 0.002
    severity: float = 0.30
    liquidation_expense: float = 0.04
    to_30: float = 0.0075
    initial_delinquent: float = 0.004
    roll: float = 0.25
    cure: float = 0.45
    curtailment_rate: float = 0.01
    repurchase_rate: float = 0.0002
    bankruptcy_share: float = 0.002
    relief_act_share: float = 0.001
    scenario: Scenario | None = field(default=None, compare=False)

    @classmethod
    def of(cls, scenario: Scenario | None, **rates: float) -> Behaviour:
        """A behaviour from ``rates`` (fields by name, e.g. ``cpr=0.2``; the defaults for the
        rest) or, with ``scenario``, a projection scenario's prepayments and defaults (by month
        and loan age) and its severity."""
        beh = cls(**{k: float(v) for k, v in rates.items()})  # type: ignore[arg-type]
        if scenario is None:
            return beh
        return replace(beh, scenario=scenario, severity=scenario.severity)

    def rates(self, age: I64, month: int) -> tuple[F64, F64]:
        """Single monthly mortality and monthly default rate for loans of ``age`` months (at
        the start of the month) in activity month ``month`` (0 the first)."""
        if self.scenario is None:
            smm = 1 - (1 - self.cpr) ** (1 / 12)
            mdr = 1 - (1 - self.cdr) ** (1 / 12)
            return np.full(age.size, smm), np.full(age.size, mdr)
        start = age.astype(np.float64) - (month + 1)  # each loan's age before the first month
        return (
            self.scenario.smm(start, month + 1)[:, month],
            self.scenario.mdr(start, month + 1)[:, month],
        )


def money_array(cents: I64, sparse: bool = False) -> pa.Array:
    """int64 cents as a decimal64(18, 2) Arrow array (its unscaled values are the cents);
    ``sparse``: zeros left empty (null), as a servicer's tape leaves amounts that did not occur."""
    c = np.ascontiguousarray(cents, dtype=np.int64)
    arr = pa.Array.from_buffers(pa.decimal64(18, 2), c.size, [None, pa.py_buffer(c)])
    if sparse:
        valid = pa.array(c != 0)
        return pc.if_else(valid, arr, pa.scalar(None, arr.type))
    return arr


def rate_array(units: I64, null: Bool | None = None) -> pa.Array:
    return pa.array(units / RATE_SCALE, pa.float64(), mask=null)


def date_array(days: I64, null: Bool | None = None) -> pa.Array:
    return pa.array(np.asarray(days, dtype=np.int32), pa.int32(), mask=null).cast(pa.date32())


def exact_dot(a: I64, b: I64) -> int:
    """sum(a x b) exactly, in chunks small enough for int64."""
    out = 0
    for i in range(0, a.size, 1024):
        out += int((a[i : i + 1024] * b[i : i + 1024]).sum(dtype=np.int64))
    return out


def _seasoning(rng: np.random.Generator, bal: I64, term: int, wam: int) -> I64:
    """Months since the first payment, shifted so that the balance-weighted remaining term
    rounds (half-up) to ``wam``."""
    raw = rng.gamma(2.0, (term - wam) / 2.0, bal.size)
    total = int(bal.sum())

    def wam_of(shift: float) -> tuple[int, I64]:
        s = np.clip(np.rint(raw + shift), 0, term - 1).astype(np.int64)
        num = exact_dot(bal, term - s)
        return (2 * num + total) // (2 * total), s

    lo, hi = -float(term), float(term)
    for _ in range(80):
        mid = (lo + hi) / 2
        w, s = wam_of(mid)
        if w == wam:
            return s
        if w > wam:
            lo = mid
        else:
            hi = mid
    raise RemitError.one(REQUEST, "wam", wam, "a WAM the seasoning can reach")


def build_loans(spec: DealSpec, n: int, seed: int, cal: Calibration) -> pa.Table:
    """The loan tape as of the cut-off date."""
    rng = np.random.default_rng([seed, 0])
    total = round(cal.balance_cents * n / cal.count)
    targets = group_targets(spec, n, total)
    gid = None if targets is None else draw_groups(np.random.default_rng([seed, 5]), n, targets)
    product = _products(rng, n, cal, gid, targets)
    bal = _balances(rng, n, total, cal, product)
    if targets is None or gid is None:
        bal[-1] += total - int(bal.sum())
        if bal[-1] <= 0:
            raise RemitError.one(REQUEST, "loans", n, "enough loans for the balance")
    else:
        scale_to_groups(bal, gid, targets)
    units = _rates(rng, n, total, cal, product, bal)
    season = _seasoning(rng, bal, cal.original_term, cal.wam)
    terms = _terms(spec, rng, cal, product, bal, units, season)
    cols: dict[str, pa.Array] = {
        "asset_number": terms.pop("asset_number"),
        "asset_group_number": pa.array(
            ["1"] * n if gid is None or targets is None else [targets[k][0] for k in gid],
            pa.string(),
        ),
        **terms,
    }
    svc_units = _servicing(rng, bal, cal)
    sub = rng.permutation(n)
    cum = np.cumsum(bal[sub])
    other = np.zeros(n, dtype=bool)
    other[sub[cum <= cal.other_fee_share * total]] = True
    cols["prepayment_penalty_total_term"] = pa.array(
        np.where(rng.random(n) < cal.penalty_share, cal.penalty_term, 0).astype(np.int32)
    )
    cols["subservicer_name"] = pa.array(
        np.where(other, "subservicer-2", "subservicer-1"), pa.string()
    )
    for f in spec.fees:
        if f.amount != "reported":
            continue
        if f.statement_row == "gross_servicing":
            fee = svc_units
        elif f.rate is not None:
            fee = np.full(n, round(f.rate * RATE_SCALE), np.int64)
        else:
            fee = np.where(other, round(cal.other_fee_rate * RATE_SCALE), 0).astype(np.int64)
        cols[fee_rate_column(f.name)] = rate_array(fee)
    return pa.table(cols)


def _counts(shares: Sequence[float], n: int) -> I64:
    """``n`` split by ``shares`` (floors, the largest taking the rest)."""
    s = np.asarray(shares, dtype=np.float64)
    counts: I64 = np.floor(s / s.sum() * n).astype(np.int64)
    counts[np.argmax(counts)] += n - counts.sum()
    return counts


def _products(
    rng: np.random.Generator,
    n: int,
    cal: Calibration,
    gid: I64 | None,
    targets: list[tuple[str, int, int]] | None,
) -> I64:
    """Each loan's product (its position in the mix), drawn by the mix's balance shares --
    within its loan group when the products name their groups."""
    shares = [p.balance_share for p in cal.mix]
    if gid is None or targets is None or not all(p.group for p in cal.mix):
        return rng.permutation(np.repeat(np.arange(len(cal.mix)), _counts(shares, n)))
    product = np.empty(n, dtype=np.int64)
    for k, (name, _, _) in enumerate(targets):
        own = [j for j, p in enumerate(cal.mix) if p.group == name]
        sel = np.flatnonzero(gid == k)
        counts = _counts([shares[j] for j in own], sel.size)
        product[sel] = rng.permutation(np.repeat(np.array(own, dtype=np.int64), counts))
    return product


def _balances(rng: np.random.Generator, n: int, total: int, cal: Calibration, product: I64) -> I64:
    """Each loan's balance in cents (lognormal, scaled so that each product's loans hold its
    share of ``total``)."""
    shares = np.array([p.balance_share for p in cal.mix])
    shares = shares / shares.sum()
    avg = total / n
    raw = rng.lognormal(np.log(avg) - cal.balance_sigma**2 / 2, cal.balance_sigma, n)
    raw = np.maximum(raw, avg * 0.05)
    bal = np.zeros(n, dtype=np.int64)
    for k in range(len(cal.mix)):
        sel = product == k
        if sel.any():
            bal[sel] = np.rint(raw[sel] * shares[k] * total / raw[sel].sum()).astype(np.int64)
    return bal


def _rates(
    rng: np.random.Generator, n: int, total: int, cal: Calibration, product: I64, bal: I64
) -> I64:
    """Each loan's rate in units of :data:`RATE_SCALE`: the product's mean plus noise on an
    eighth, shifted so that the balance-weighted average is the calibration's WAC exactly."""
    means = np.array([p.rate_mean for p in cal.mix])[product]
    rate = np.rint((means + rng.normal(0, 0.0035, n)) / 0.00125) * 0.00125
    rate = np.clip(rate, 0.025, 0.08)
    units = np.rint(rate * RATE_SCALE).astype(np.int64)
    shift = (cal.wac_units * total - exact_dot(bal, units)) / total
    # to 0.001%, rounding up or down at random (unbiased, so the WAC residual stays small)
    units = (np.floor((units + shift) / 1000 + rng.random(n)) * 1000).astype(np.int64)
    j = int(np.argmax(bal))
    rest = exact_dot(bal, units) - int(bal[j]) * int(units[j])
    units[j] = (cal.wac_units * total - rest + int(bal[j]) // 2) // int(bal[j])
    return units


def _terms(
    spec: DealSpec,
    rng: np.random.Generator,
    cal: Calibration,
    product: I64,
    bal: I64,
    units: I64,
    season: I64,
) -> dict[str, pa.Array]:
    """The loans' terms: original amount and term, first payment, interest-only period, and
    the ARM terms (index, margin, first change, reset frequency, caps, rounding, lookback)."""
    n = len(bal)
    first_due_m = month_of(
        dates.adjust(spec.dates.first_distribution, spec.dates.business_day_rule)
    )
    first_pay_m = first_due_m - season
    io = rng.random(n) < np.array([p.io_share for p in cal.mix])[product]
    io_term = np.where(io, np.array([p.io_term for p in cal.mix])[product], 0)
    i = units / (12.0 * RATE_SCALE)
    left = cal.original_term - season
    factor = np.where(
        io & (season < io_term),
        1.0,
        -np.expm1(-left * np.log1p(i)) / -np.expm1(-cal.original_term * np.log1p(i)),
    )
    orig = np.maximum(np.ceil(bal / factor), bal).astype(np.int64)
    arm = np.array([p.product_type != "fixed" for p in cal.mix])[product]
    fixed_m = np.array([p.fixed_months for p in cal.mix])[product]
    freq = np.array([p.reset_frequency for p in cal.mix])[product]
    # other ARMs: next change within one reset period after the first accrual month
    first_change_m = np.where(
        fixed_m > 0, first_pay_m - 1 + fixed_m, first_due_m - 1 + rng.integers(1, freq + 1)
    )
    # the tape's rate is the first accrual month's: move a reset falling in it a month later
    in_first = (first_change_m <= first_due_m - 1) & (
        (first_due_m - 1 - first_change_m) % freq == 0
    )
    first_change_m = np.where(in_first, first_change_m + 1, first_change_m)
    margin = np.rint(np.array([p.margin for p in cal.mix])[product] * RATE_SCALE)
    lifetime = np.array([p.lifetime_cap for p in cal.mix])[product]
    base = int(first_pay_m.min())
    month_days = np.array(
        [month_start_day(int(m)) for m in range(base, int(first_change_m.max()) + 1)]
    )
    # a product the deal does not report separately is left empty
    keys = {p.key for p in spec.collateral.products}
    deal_products = [p.deal_product if p.deal_product in keys else "" for p in cal.mix]

    def per_product(values: list[float]) -> I64:
        out: I64 = np.rint(np.array(values)[product] * RATE_SCALE).astype(np.int64)
        return out

    return {
        "asset_number": pa.array([f"L{k:07d}" for k in range(1, n + 1)], pa.string()),
        "deal_product": pa.array([deal_products[k] for k in product], pa.string()),
        "product_type": pa.array([cal.mix[k].product_type for k in product], pa.string()),
        "original_loan_amount": money_array(orig),
        "current_principal_balance": money_array(bal),
        "original_interest_rate": rate_array(units),
        "current_interest_rate": rate_array(units),
        "original_loan_term": pa.array(np.full(n, cal.original_term, np.int32)),
        "first_payment_date": date_array(month_days[first_pay_m - base]),
        "original_interest_only_term": pa.array(io_term.astype(np.int32)),
        "index_type": pa.array([cal.mix[k].index for k in product], pa.string()),
        "gross_margin": rate_array(margin.astype(np.int64), ~arm),
        "first_rate_change_date": date_array(month_days[first_change_m - base], ~arm),
        "rate_reset_frequency": pa.array(freq.astype(np.int32), mask=~arm),
        "initial_rate_cap": rate_array(per_product([p.initial_cap for p in cal.mix]), ~arm),
        "periodic_rate_cap": rate_array(per_product([p.periodic_cap for p in cal.mix]), ~arm),
        "lifetime_rate_ceiling": rate_array(
            units + np.rint(lifetime * RATE_SCALE).astype(np.int64), ~arm
        ),
        "lifetime_rate_floor": rate_array(margin.astype(np.int64), ~arm),
        "arm_round_flag": pa.array(np.where(arm, "N", ""), pa.string()),
        "arm_round_factor": rate_array(np.full(n, 125_000, np.int64), ~arm),
        "index_lookback_days": pa.array(np.where(arm, 45, 0).astype(np.int32)),
    }


def group_targets(spec: DealSpec, n: int, total: int) -> list[tuple[str, int, int]] | None:
    """Each loan group's name, loan count and balance in cents (senior/subordinate deals;
    None for a deal without groups): the spec's cut-off counts and balances when the tape
    has the deal's count and balance, else shared in proportion to them (to the loan and to
    the cent, the largest remainders first)."""
    groups = spec.loan_groups
    if not groups:
        return None
    counts = share(n, [g.cut_off_count for g in groups])
    cents = share(total, [int(g.cut_off_balance.scaleb(2)) for g in groups])
    out = [(g.name, c, b) for g, c, b in zip(groups, counts, cents, strict=True)]
    if any(c <= 0 or b < c for _, c, b in out):
        raise RemitError.one(
            REQUEST, "loans", n, "at least one loan (and one cent a loan) in each loan group"
        )
    return out


def draw_groups(rng: np.random.Generator, n: int, targets: list[tuple[str, int, int]]) -> I64:
    """Each loan's group (its position in ``targets``), at random, ``count`` loans each."""
    gid = np.empty(n, dtype=np.int64)
    gid[rng.permutation(n)] = np.repeat(np.arange(len(targets)), [c for _, c, _ in targets])
    return gid


def scale_to_groups(bal: I64, gid: I64, targets: list[tuple[str, int, int]]) -> None:
    """Scale each group's balances (in place) so that they add up to its balance exactly: each
    loan's balance times the group's target over its drawn total, to the cent, the group's
    largest loan taking the rounding."""
    for k, (name, _, cents) in enumerate(targets):
        sel = np.flatnonzero(gid == k)
        drawn = int(bal[sel].sum())
        scaled = np.maximum(np.rint(bal[sel] * (cents / drawn)).astype(np.int64), 1)
        j = int(np.argmax(scaled))
        scaled[j] += cents - int(scaled.sum())
        if scaled[j] <= 0:
            raise RemitError.one(REQUEST, "loans", name, "enough loans for the group")
        bal[sel] = scaled


def assign_groups(rng: np.random.Generator, bal: I64, targets: list[tuple[str, int, int]]) -> I64:
    """Put loans in groups at random, ``count`` loans each, and scale each group's balances
    (in place) so that they add up to its balance exactly. Returns each loan's group (its
    position in ``targets``)."""
    gid = draw_groups(rng, bal.size, targets)
    scale_to_groups(bal, gid, targets)
    return gid


def _servicing(rng: np.random.Generator, bal: I64, cal: Calibration) -> I64:
    """Servicing fee rates at two levels, the higher on a random share of the balance so that
    the balance-weighted average is ``servicing_mean``."""
    share = (cal.servicing_mean - cal.servicing_low) / (cal.servicing_high - cal.servicing_low)
    order = rng.permutation(bal.size)
    high = np.zeros(bal.size, dtype=bool)
    high[order[np.cumsum(bal[order]) <= share * bal.sum()]] = True
    return np.where(
        high, round(cal.servicing_high * RATE_SCALE), round(cal.servicing_low * RATE_SCALE)
    ).astype(np.int64)


def build_fixings(spec: DealSpec, seed: int, months: int, cal: Calibration) -> pa.Table:
    """Monthly fixings, dated the first of each month, of every index the tape or the deal
    uses: flat at the calibration's starting level up to the first distribution date, then a
    random walk (0.08% a month, floored at 0.10%), rounded to 0.001%."""
    rng = np.random.default_rng([seed, 1])
    first_m = month_of(spec.dates.first_distribution)
    start_m = first_m - 400
    end_m = first_m + months + 12
    names = sorted(
        {
            *cal.index_start,
            *(ix.name for ix in spec.indices),
            *(p.index for p in cal.mix if p.index),
        }
    )
    rows_name: list[str] = []
    rows_day: list[int] = []
    rows_val: list[float] = []
    for name in names:
        level = cal.index_start[name]
        steps = rng.normal(0, 0.0008, end_m - first_m)
        for m in range(start_m, end_m + 1):
            if m > first_m:
                level = max(level + steps[m - first_m - 1], 0.001)
            rows_name.append(name)
            rows_day.append(month_start_day(m))
            rows_val.append(round(level, 5))
    return pa.table(
        {
            "index_type": pa.array(rows_name, pa.string()),
            "fixing_date": date_array(np.array(rows_day, np.int64)),
            "value": pa.array(rows_val, pa.float64()),
        }
    )


def build_activity(
    tape_ids: pa.Array,
    balance: I64,
    sched_principal: I64,
    rate: I64,
    original: I64,
    months_since_first: I64,
    penalty_term: I64,
    dq: I64,
    traits: dict[str, Bool],
    due_m: int,
    rng: np.random.Generator,
    beh: Behaviour,
    month: int = 0,
) -> tuple[pa.Table, I64]:
    """One month's activity rows for the loans in the pool, and their new installments-unpaid
    (``month``: the activity month, 0 the first, for a behaviour by month)."""
    live = np.flatnonzero(balance > 0)
    b = balance[live]
    sp = sched_principal[live]
    d = dq[live]
    m = live.size
    smm, mdr = beh.rates(months_since_first[live], month)
    u = rng.random(m)
    liq = u < mdr
    rep = ~liq & (u < mdr + beh.repurchase_rate)
    pay = ~liq & ~rep & (d == 0) & (rng.random(m) < smm)
    room = b - sp
    stays = ~liq & ~rep & ~pay & (room > 0)
    curt_draw = stays & (rng.random(m) < beh.curtailment_rate) & (room > 1)
    curt = np.where(
        curt_draw, np.minimum(np.rint(b * rng.uniform(0.005, 0.05, m)), room - 1), 0
    ).astype(np.int64)
    v = rng.random(m)
    new = np.where(
        d == 0,
        np.where(v < beh.to_30, 1, 0),
        np.where(v < beh.cure, 0, np.where(v < beh.cure + beh.roll, d + 1, d)),
    )
    new = np.where(stays, new, 0)
    month_len = month_start_day(due_m) - month_start_day(due_m - 1)
    pay_day = month_start_day(due_m - 1) + rng.integers(0, month_len, m)
    code = np.select([pay, liq, rep], [1, 3, 6], 0).astype(np.int32)
    gross_loss = np.rint(b * beh.severity).astype(np.int64)
    expenses = np.rint(b * beh.liquidation_expense).astype(np.int64)
    proceeds = np.where(liq, b - gross_loss + expenses, 0)
    in_term = months_since_first[live] < penalty_term[live]
    pen_base = np.maximum(b - original[live] // 5, 0)
    penalty = np.where(pay & in_term, pen_base * rate[live] // (2 * RATE_SCALE), 0)
    ending = np.where(stays, b - sp - curt, 0)
    actual = ending + new * sp[...]
    next_due = due_m - new
    nd_days = np.array(
        [month_start_day(int(x)) for x in range(int(next_due.min(initial=due_m)), due_m + 1)]
    )
    base = int(next_due.min(initial=due_m))
    leaves = ~stays
    table = pa.table(
        {
            "asset_number": tape_ids.take(pa.array(live)),
            "next_due_date": date_array(nd_days[next_due - base], leaves & (code != 0)),
            "curtailment_amount": money_array(curt, sparse=True),
            "zero_balance_code": pa.array(code, mask=code == 0),
            "zero_balance_effective_date": date_array(pay_day, ~pay),
            "payoff_amount": money_array(np.where(pay, b, 0), sparse=True),
            "liquidation_proceeds": money_array(proceeds, sparse=True),
            "liquidation_expenses": money_array(np.where(liq, expenses, 0), sparse=True),
            "prepayment_penalty_paid_amount": money_array(penalty.astype(np.int64), sparse=True),
            "bankruptcy_flag": pa.array(traits["bankruptcy"][live] & (new > 0)),
            "foreclosure_flag": pa.array(new >= 4),
            "reo_flag": pa.array(new >= 7),
            "relief_act_flag": pa.array(traits["relief_act"][live]),
            "reporting_period_actual_end_balance": money_array(actual),
        }
    )
    out = np.zeros_like(dq)
    out[live] = new
    return table, out


def _write(table: pa.Table, path: Path, fmt: str) -> None:
    """CSV, or Parquet in one row group (LZ4: quick to read), text columns as dictionaries."""
    if fmt == "csv":
        pacsv.write_csv(table, path.with_suffix(".csv"))
        return
    cols = {}
    for name in table.column_names:
        col = table.column(name)
        if pa.types.is_string(col.type) and name != "asset_number":
            col = col.dictionary_encode()
        cols[name] = col
    pq.write_table(
        pa.table(cols),
        path.with_suffix(".parquet"),
        compression="lz4",
        row_group_size=max(table.num_rows, 1),
    )


def generate_tape(
    spec: DealSpec,
    out_dir: str | Path,
    loans: int | None = None,
    months: int = 1,
    seed: int = 0,
    *,
    behaviour: Behaviour | None = None,
    calibration: Calibration | None = None,
    fmt: str = "parquet",
    progress: Progress | None = None,
    source: str = "deal.toml",
) -> list[Path]:
    """Write ``loans`` (default: the spec's cut-off count), ``indices`` and ``months``
    activity files (``activity/<distribution date>``) to ``out_dir``; return their paths.
    The pool follows the deal's collateral description (:meth:`Calibration.of`; ``source``
    names the spec's file in errors) unless ``calibration`` is given. Files are written to a
    temporary folder first and moved into place at the end."""
    cal = calibration or Calibration.of(spec, source)
    beh = behaviour or Behaviour()
    n = cal.count if loans is None else loans
    if n < 1 or months < 0 or fmt not in ("parquet", "csv"):
        raise RemitError.one(
            REQUEST,
            "loans/months/format",
            (n, months, fmt),
            "at least 1 loan, 0 or more months, parquet or csv",
        )
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tape-", dir=out))
    try:
        (tmp / "activity").mkdir()
        loans_table = build_loans(spec, n, seed, cal)
        _write(loans_table, tmp / "loans", fmt)
        _write(build_fixings(spec, seed, months, cal), tmp / "indices", fmt)
        tape = read_loans(spec, tmp)
        fixings = read_fixings(tmp)
        state = initial_state(tape)
        rng_traits = np.random.default_rng([seed, 2])
        traits = {
            "bankruptcy": rng_traits.random(n) < beh.bankruptcy_share,
            "relief_act": rng_traits.random(n) < beh.relief_act_share,
        }
        penalty_term = np.asarray(
            loans_table.column("prepayment_penalty_total_term").to_numpy(), dtype=np.int64
        )
        del loans_table
        dq = (np.random.default_rng([seed, 4]).random(n) < beh.initial_delinquent).astype(np.int64)
        first = dates.adjust(spec.dates.first_distribution, spec.dates.business_day_rule)
        when = dates.distribution_dates(
            first, spec.dates.distribution_day, spec.dates.business_day_rule, months
        )
        for k, d in enumerate(when):
            due_m = month_of(d)
            s = schedule(tape, state, due_m, fixings)
            rng = np.random.default_rng([seed, 3, k])
            table, dq = build_activity(
                tape.ids,
                np.where(s.active, state.balance, 0),
                s.principal,
                s.rate,
                tape.original_balance,
                (due_m - tape.first_payment_m).astype(np.int64),
                penalty_term,
                dq,
                traits,
                due_m,
                rng,
                beh,
                k,
            )
            _write(table, tmp / "activity" / d.isoformat(), fmt)
            act = read_activity(tape, state.balance, _find(tmp / "activity", d, fmt))
            problems = Problems()
            state = apply(tape, state, s, act, problems).next_state
            problems.raise_if_any()
            if progress is not None:
                progress(k + 1, len(when))
        written: list[Path] = []
        for src in sorted(tmp.rglob("*")):
            if src.is_file():
                dst = out / src.relative_to(tmp)
                dst.parent.mkdir(parents=True, exist_ok=True)
                os.replace(src, dst)
                written.append(dst)
        return written
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _find(folder: Path, d: date, fmt: str) -> Path:
    return folder / f"{d.isoformat()}.{fmt}"
