"""Collateral cash flows under many scenarios at once (floats, numpy): the Standard Formulas'
cash flow with defaults (SIFMA Uniform Practices, chapter SF, section C.3), loan by loan.

Each month ``m``, for every loan (``d`` its monthly default rate, ``s`` its single monthly
mortality, both from the scenario and the loan's age; ``a`` its scheduled principal fraction):

1. defaults are taken at the start of the month on the prior performing balance:
   ``default = P_{m-1} x d``; the rest ``P' = P_{m-1} - default`` performs;
2. scheduled principal and interest are paid on the performing balance:
   ``scheduled = P' x a``, ``gross interest = P' x rate / 12``, fees ``P' x fee / 12``;
3. voluntary prepayments come after scheduled amortization:
   ``prepayment = (P' - scheduled) x s``; ``P_m = P' - scheduled - prepayment``;
4. a loan that defaulted in month ``k`` stays in the pool, delinquent, until month ``k + lag``,
   when it is liquidated: ``loss = severity x liquidated balance``, ``recovery = liquidated
   balance - loss``. With advancing, the servicer advances its scheduled principal and its
   interest net of fees in months ``k .. k + lag - 1`` (so the balance liquidated is the
   amortized one); without, nothing is paid on it and it is liquidated at the balance it
   defaulted with. (Advances are not reimbursed out of the liquidation here.)
5. the clean-up call, when the scenario exercises it, buys every loan left at its balance in
   the first month whose ending balance is at or below ``call_pct`` of the starting balance;
   nothing flows after it.

The pool balance is the performing balance plus the defaulted balance not yet liquidated
(the delinquency pipeline, reported for trigger tests); every month

    beginning - ending = scheduled + advanced principal + prepayment + recovery + loss.

Prepayment and default rates depend on a loan only through its age, and amortization does not
depend on the scenario (only on the index path), so the engine schedules each loan once per
index path (:mod:`remit.project.schedule`), sums by (loan group, age) and carries one survival
factor per (scenario, age group): exactly the loan-by-loan recurrence above, summed.
:mod:`remit.project.reference` is that recurrence, loan by loan, in plain Python."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

import numpy as np

from remit.project.collateral import Collateral
from remit.project.formulas import F64
from remit.project.memory import keep_freed_memory
from remit.project.scenario import Scenario
from remit.project.schedule import Scheduled, age_groups, scheduled

FIELDS = (
    "beginning_balance",
    "default",
    "scheduled_principal",
    "prepayment",
    "call_principal",
    "advanced_principal",
    "liquidated_balance",
    "loss",
    "recovery",
    "gross_interest",
    "servicing_fee",
    "advanced_interest",
    "net_interest",
    "ending_balance",
    "performing_balance",
    "pipeline_balance",
)
RATES = ("fee_rate",)  # by group; not summed over groups (see CollateralFlows.total)
#: scenarios x age groups x months at once: some 300 KB an array, so that a chunk's two
#: dozen arrays stay in a core's share of the cache (memory-bound numpy slows down when
#: two processes run it at once: a grid's workers)
CHUNK_ELEMENTS = 40_000


@dataclass
class CollateralFlows:
    """Cash flows per scenario, loan group and month: ``values[name]`` has shape
    (scenarios, groups, months); month 1 is index 0. ``prepayment`` includes the call's
    purchase (``call_principal``); ``net_interest`` includes ``advanced_interest``."""

    scenarios: list[Scenario]
    group_names: tuple[str, ...]
    values: dict[str, F64]
    starting_balance: float

    @property
    def months(self) -> int:
        return int(self.values["ending_balance"].shape[2])

    def month(self, m: int) -> dict[str, F64]:
        """Every field for month ``m`` (1-based), shape (scenarios, groups): what a deal
        waterfall in vector mode consumes, one element per scenario, each period."""
        return {k: v[:, :, m - 1] for k, v in self.values.items()}

    def total(self, name: str) -> F64:
        """A field summed over loan groups, shape (scenarios, months)."""
        if name == "fee_rate":
            # the annual fee rate used: fees x 12 over the balance that performed
            end = self.total("pipeline_balance")
            pipe_beg = np.concatenate([np.zeros((end.shape[0], 1)), end[:, :-1]], axis=1)
            perf = self.total("beginning_balance") - pipe_beg - self.total("default")
            with np.errstate(divide="ignore", invalid="ignore"):
                return np.where(perf > 1e-9, 12.0 * self.total("servicing_fee") / perf, 0.0)
        if name == "principal":
            return sum(  # type: ignore[return-value]
                self.total(k)
                for k in ("scheduled_principal", "advanced_principal", "prepayment", "recovery")
            )
        if name == "cash_flow":
            return self.total("principal") + self.total("net_interest")
        out: F64 = self.values[name].sum(axis=1)
        return out


def project_collateral(c: Collateral, scenarios: Sequence[Scenario]) -> CollateralFlows:
    """Project ``c`` under every scenario to the last liquidation."""
    keep_freed_memory()
    scenarios = list(scenarios)
    max_lag = max(s.lag for s in scenarios)
    months = max(c.months + max_lag, 1)
    groups = age_groups(c)
    keys = [s.index_key() for s in scenarios]
    uniq = list(dict.fromkeys(keys))
    path_of = np.array([uniq.index(k) for k in keys])
    paths = _index_paths(c, [scenarios[keys.index(k)] for k in uniq], months)
    sched = scheduled(c, groups, paths, months)
    # the age groups are sorted by loan group: each loan group's are a run of them
    first = np.flatnonzero(np.r_[True, groups.key_group[1:] != groups.key_group[:-1]])
    present = groups.key_group[first]
    out = {f: np.zeros((len(scenarios), len(c.group_names), months)) for f in FIELDS}
    step = max(1, CHUNK_ELEMENTS // max(groups.k * months, 1))
    rates = Rates(groups.key_age, months)
    for a in range(0, len(scenarios), step):
        b = min(a + step, len(scenarios))
        part = _flows(scenarios[a:b], rates, sched, path_of[a:b])
        for f in FIELDS:
            if f in part:
                out[f][a:b, present] = np.add.reduceat(part[f], first, axis=1)
    total = float(c.balance.sum())
    _clean_up_call(out, scenarios, total)
    out["fee_rate"] = _fee_rate(out)
    last = _last_month(out["beginning_balance"])
    return CollateralFlows(
        scenarios, c.group_names, {f: v[:, :, :last] for f, v in out.items()}, total
    )


def _index_paths(c: Collateral, reps: list[Scenario], months: int) -> F64:
    """(paths, indices, months) index rates, one path per distinct scenario index key."""
    out = np.zeros((len(reps), len(c.index_names), months))
    for p, s in enumerate(reps):
        for j, name in enumerate(c.index_names):
            out[p, j] = s.index_path(name, c.index_base[j], months)
    return out


class Rates:
    """Each scenario's prepayment (SMM) and default (MDR) rates by age group and month,
    worked out once per distinct assumption and shared by the chunks of a projection (a
    grid's scenarios share them)."""

    def __init__(self, ages: F64, months: int) -> None:
        self.ages, self.months = ages, months
        self.made: dict[object, F64] = {}

    def smm(self, scenarios: list[Scenario]) -> F64:
        return self._stack(
            scenarios, lambda s: ("smm", s.prepay_kind, s.prepay), lambda s: s.smm(*self._at)
        )

    def mdr(self, scenarios: list[Scenario]) -> F64:
        return self._stack(
            scenarios, lambda s: ("mdr", s.default_kind, s.default), lambda s: s.mdr(*self._at)
        )

    @property
    def _at(self) -> tuple[F64, int]:
        return self.ages, self.months

    def _stack(
        self,
        scenarios: list[Scenario],
        key: Callable[[Scenario], object],
        rate: Callable[[Scenario], F64],
    ) -> F64:
        keys = [key(s) for s in scenarios]
        for k, s in zip(keys, scenarios, strict=True):
            if k not in self.made:
                self.made[k] = rate(s)
        if len(set(keys)) == 1:
            return self.made[keys[0]][None]  # a view: one assumption for the whole chunk
        return np.stack([self.made[k] for k in keys])


def _by_path(x: F64, path_of: np.ndarray) -> F64:
    """``x[path_of]``; a view when the chunk's scenarios share one path."""
    out: F64 = x[path_of[0]][None] if (path_of == path_of[0]).all() else x[path_of]
    return out


def _flows(
    scenarios: list[Scenario], rates: Rates, sched: Scheduled, path_of: np.ndarray
) -> dict[str, F64]:
    """Every field by (scenario, age group, month) for a chunk of scenarios."""
    smm, mdr = rates.smm(scenarios), rates.mdr(scenarios)
    shape = (len(scenarios), *smm.shape[1:])
    surv = np.ones((shape[0], shape[1], shape[2] + 1))
    np.cumprod((1.0 - mdr) * (1.0 - smm), axis=2, out=surv[:, :, 1:])
    W = _by_path(sched.W, path_of)
    w0, w1 = W[:, :, :-1], W[:, :, 1:]
    gi, fi = _by_path(sched.GI, path_of), _by_path(sched.FI, path_of)
    sp = surv[:, :, :-1]
    c = sp * mdr  # defaulted this month, per unit of the scheduled balance
    live = sp - c
    f: dict[str, F64] = {
        "default": c * w0,
        "scheduled_principal": live * (w0 - w1),
        "prepayment": live * w1 * smm,
        "performing_balance": w1 * surv[:, :, 1:],
        "gross_interest": live * gi,
        "servicing_fee": live * fi,
    }
    net_rate = gi - fi
    pipe = _pipeline(scenarios, c, f["default"], w0, w1, net_rate)
    f.update(pipe)
    f["net_interest"] = f["gross_interest"] - f["servicing_fee"] + f["advanced_interest"]
    f["ending_balance"] = f["performing_balance"] + f["pipeline_balance"]
    pipe_beg = np.concatenate([np.zeros((*shape[:2], 1)), f["pipeline_balance"][:, :, :-1]], 2)
    f["beginning_balance"] = w0 * sp + pipe_beg
    return f


def _pipeline(
    scenarios: list[Scenario], c: F64, default: F64, w0: F64, w1: F64, net_rate: F64
) -> dict[str, F64]:
    """Defaulted loans until liquidation, for each scenario's lag and advancing (scenarios
    alike in both at once). ``w0``, ``w1`` and ``net_rate`` may be one path's, for every
    scenario (broadcast)."""
    shape = c.shape
    out = {
        k: np.zeros(shape)
        for k in (
            "advanced_principal",
            "advanced_interest",
            "liquidated_balance",
            "pipeline_balance",
        )
    }
    alike: dict[tuple[int, bool], list[int]] = {}
    for s, sc in enumerate(scenarios):
        alike.setdefault((sc.lag, sc.advancing), []).append(s)
    for (lag, advancing), members in alike.items():
        # every scenario of the chunk alike (the usual case): no copies of its rows
        rows: slice | np.ndarray = slice(None) if len(members) == shape[0] else np.array(members)
        at = partial(_rows, rows=rows, shape=shape)
        if advancing:
            # cohorts defaulted in months m - lag + 1 .. m are advanced in month m
            adv = _window(at(c), lag)
            out["advanced_principal"][rows] = adv * (at(w0) - at(w1))
            out["advanced_interest"][rows] = adv * at(net_rate)
            out["liquidated_balance"][rows] = _shift(at(c), lag) * at(w0)
            out["pipeline_balance"][rows] = adv * at(w1)
        else:
            out["liquidated_balance"][rows] = _shift(at(default), lag)
            out["pipeline_balance"][rows] = _window(at(default), lag)
    severity = np.array([sc.severity for sc in scenarios])[:, None, None]
    out["loss"] = severity * out["liquidated_balance"]
    out["recovery"] = out["liquidated_balance"] - out["loss"]
    return out


def _rows(x: F64, rows: slice | np.ndarray, shape: tuple[int, ...]) -> F64:
    """The scenarios ``rows`` of ``x`` (which may be one path's, broadcast to ``shape``)."""
    if isinstance(rows, slice):
        return x
    out: F64 = np.broadcast_to(x, shape)[rows]
    return out


def _shift(x: F64, lag: int) -> F64:
    """x[..., m - lag] (zero before the first month)."""
    if lag == 0:
        return x
    out = np.zeros_like(x)
    out[..., lag:] = x[..., :-lag]
    return out


def _window(x: F64, lag: int) -> F64:
    """Sum of x over months m - lag + 1 .. m (zero for lag 0)."""
    if lag == 0:
        return np.zeros_like(x)
    cs = np.cumsum(x, axis=-1)
    return cs - _shift(cs, lag)


def _clean_up_call(out: dict[str, F64], scenarios: list[Scenario], total: float) -> None:
    """The first month whose ending balance is at or below ``call_pct`` of ``total``: the
    balance left is bought at par (``call_principal``, counted in ``prepayment``) and every
    later month is zero."""
    ending = out["ending_balance"].sum(axis=1)
    for s, sc in enumerate(scenarios):
        if not sc.call:
            continue
        hit = np.flatnonzero(ending[s] <= sc.call_pct * total)
        if hit.size == 0 or ending[s, hit[0]] <= 0:
            continue
        m = int(hit[0])
        bought = out["ending_balance"][s, :, m].copy()
        out["call_principal"][s, :, m] = bought
        out["prepayment"][s, :, m] += bought
        out["ending_balance"][s, :, m] = 0.0
        out["performing_balance"][s, :, m] = 0.0
        out["pipeline_balance"][s, :, m] = 0.0
        for f in FIELDS:
            out[f][s, :, m + 1 :] = 0.0


def _fee_rate(out: dict[str, F64]) -> F64:
    """The annual fee rate used, by scenario, group and month: fees x 12 over the balance
    that performed (beginning, less the defaulted pipeline and the month's defaults)."""
    end = out["pipeline_balance"]
    pipe_beg = np.concatenate([np.zeros_like(end[:, :, :1]), end[:, :, :-1]], axis=2)
    perf = out["beginning_balance"] - pipe_beg - out["default"]
    with np.errstate(divide="ignore", invalid="ignore"):
        rate: F64 = np.where(perf > 1e-9, 12.0 * out["servicing_fee"] / perf, 0.0)
    return rate


def _last_month(beginning: F64) -> int:
    """Months up to the last with a balance in any scenario (at least one)."""
    alive = np.flatnonzero(beginning.sum(axis=(0, 1)) > 1e-9)
    return int(alive[-1]) + 1 if alive.size else 1
