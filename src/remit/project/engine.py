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
factor per (prepayment and default assumption, age group): exactly the loan-by-loan
recurrence above, summed. Each field is then summed over the age groups of a loan group once
per assumption and index path (and, for the delinquency pipeline, lag and advancing), without
making the products (``einsum``): scenarios that differ only in severity, the clean-up call
or, beyond that, share them; the arrays a projection goes through stay few and small (two
processes running it at once slow each other down much less than they did the whole product
arrays, memory-bound).
:mod:`remit.project.reference` is that recurrence, loan by loan, in plain Python."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from remit.project.collateral import Collateral
from remit.project.formulas import F64
from remit.project.memory import keep_freed_memory
from remit.project.scenario import Scenario
from remit.project.schedule import Groups, Scheduled, age_groups, scheduled

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


#: age groups x months x assumptions whose survival is worked out at once: some 300 KB an
#: array, so that the few arrays of a chunk stay in a core's share of the cache
CHUNK_ELEMENTS = 40_000


class Schedules:
    """The amortization schedules of one collateral by index path, kept between
    projections of it: a grid's worker projects batch after batch of the same loans on the
    same few paths. For loans that do not change (a grid subject's, read once); another
    collateral (another object) empties it first. At most ``max_bytes``, the least recently
    used dropped first; safe to share between threads (a Dask worker's)."""

    def __init__(self, max_bytes: int = 256 << 20) -> None:
        self.max_bytes = max_bytes
        self.kept: OrderedDict[bytes, tuple[F64, F64, F64]] = OrderedDict()
        self.bytes = 0
        self.owner: Collateral | None = None
        self.lock = threading.Lock()

    def get(self, c: Collateral, groups: Groups, paths: F64, months: int) -> Scheduled:
        with self.lock:
            if self.owner is not c:
                self.kept.clear()
                self.bytes = 0
                self.owner = c
            return self._get(c, groups, paths, months)

    def _get(self, c: Collateral, groups: Groups, paths: F64, months: int) -> Scheduled:
        # kept to the loans' last month (no loan pays after it: longer horizons are zeros)
        h = min(max(c.months, 1), months)
        keys = [paths[p, :, :h].tobytes() for p in range(len(paths))]
        first = {k: p for p, k in reversed(list(enumerate(keys)))}  # paths may repeat
        missing = [p for k, p in first.items() if k not in self.kept]
        if missing:
            new = scheduled(c, groups, paths[missing, :, :h], h)
            for i, p in enumerate(missing):
                # copies: a view would keep the whole batch's arrays alive, uncounted
                arrays = (new.W[i].copy(), new.GI[i].copy(), new.FI[i].copy())
                self.kept[keys[p]] = arrays
                self.bytes += sum(a.nbytes for a in arrays)
        for k in keys:
            self.kept.move_to_end(k)
        out = Scheduled(*(np.zeros((len(keys), groups.k, months + (j == 0))) for j in range(3)))
        for p, k in enumerate(keys):
            w, gi, fi = self.kept[k]
            out.W[p, :, : h + 1], out.GI[p, :, :h], out.FI[p, :, :h] = w, gi, fi
        while self.bytes > self.max_bytes and len(self.kept) > len(first):
            _, arrays = self.kept.popitem(last=False)
            self.bytes -= sum(a.nbytes for a in arrays)
        return out


def project_collateral(
    c: Collateral, scenarios: Sequence[Scenario], schedules: Schedules | None = None
) -> CollateralFlows:
    """Project ``c`` under every scenario to the last liquidation (its schedules kept in
    ``schedules`` for the next projection of the same loans, when given)."""
    keep_freed_memory()
    scenarios = list(scenarios)
    max_lag = max(s.lag for s in scenarios)
    months = max(c.months + max_lag, 1)
    groups = age_groups(c)
    keys = [s.index_key() for s in scenarios]
    first: dict[object, Scenario] = {}  # each path's first scenario
    for k, sc in zip(keys, scenarios, strict=True):
        first.setdefault(k, sc)
    place = {k: i for i, k in enumerate(first)}
    path_of = np.array([place[k] for k in keys])
    paths = _index_paths(c, list(first.values()), months)
    if schedules is None:
        sched = scheduled(c, groups, paths, months)
    else:
        sched = schedules.get(c, groups, paths, months)
    out = {f: np.zeros((len(scenarios), len(c.group_names), months)) for f in FIELDS}
    sums = GroupSums(groups.key_group, len(c.group_names))
    # the distinct prepayment and default assumptions, each scenario's among them
    number: dict[object, int] = {}
    reps: list[Scenario] = []  # the first scenario of each
    mine: list[int] = []
    for sc in scenarios:
        mine.append(number.setdefault(_assumption(sc), len(number)))
        if mine[-1] == len(reps):
            reps.append(sc)
    a_of = np.array(mine)
    terms: dict[int, PathTerms] = {}
    step = max(1, CHUNK_ELEMENTS // max(groups.k * months, 1))
    for lo in range(0, len(reps), step):
        hi = min(lo + step, len(reps))
        sv = Survival.of(reps[lo:hi], groups.key_age, months)
        chunk = np.flatnonzero((a_of >= lo) & (a_of < hi))
        for p in dict.fromkeys(path_of[chunk].tolist()):
            if p not in terms:
                terms[p] = PathTerms(sched, p)
            on_path = chunk[path_of[chunk] == p]
            _project_path(out, scenarios, on_path, a_of[on_path] - lo, sv, terms[p], sums)
    severity = np.array([sc.severity for sc in scenarios])[:, None, None]
    out["loss"] = severity * out["liquidated_balance"]
    out["recovery"] = out["liquidated_balance"] - out["loss"]
    out["net_interest"] = out["gross_interest"] - out["servicing_fee"] + out["advanced_interest"]
    out["ending_balance"] = out["performing_balance"] + out["pipeline_balance"]
    # beginning: the balance that performed (so far, in "beginning_balance") plus the
    # defaulted balance not yet liquidated at the end of the month before
    out["beginning_balance"][:, :, 1:] += out["pipeline_balance"][:, :, :-1]
    total = float(c.balance.sum())
    _clean_up_call(out, scenarios, total)
    out["fee_rate"] = _fee_rate(out)
    last = _last_month(out["beginning_balance"])
    return CollateralFlows(
        scenarios, c.group_names, {f: v[:, :, :last] for f, v in out.items()}, total
    )


def _project_path(
    out: dict[str, F64],
    scenarios: list[Scenario],
    members: np.ndarray,
    rows: np.ndarray,
    sv: Survival,
    pt: PathTerms,
    sums: GroupSums,
) -> None:
    """The fields of the scenarios ``members`` (on one index path; ``rows``: each one's
    assumption in ``sv``) by loan group and month, into ``out``: summed once per assumption,
    and the delinquency pipeline once per lag and advancing."""
    used = np.unique(rows)
    if used.size < sv.n:  # only the assumptions these scenarios have
        sv = sv.take(used)
        rows = np.searchsorted(used, rows)
    base = _base_sums(sv, pt, sums)
    alike: dict[tuple[int, bool], list[int]] = {}
    for j, s in enumerate(members.tolist()):
        alike.setdefault((scenarios[s].lag, scenarios[s].advancing), []).append(j)
    for (lag, advancing), js in alike.items():
        flows = _pipeline_sums(sv, pt, base, lag, advancing, sums)
        who, which = members[js], rows[js]
        at = who if sums.all_groups else np.ix_(who, sums.present)
        for f, v in flows.items():
            out[f][at] = v[which]


def _index_paths(c: Collateral, reps: list[Scenario], months: int) -> F64:
    """(paths, indices, months) index rates, one path per distinct scenario index key."""
    out = np.zeros((len(reps), len(c.index_names), months))
    for p, s in enumerate(reps):
        for j, name in enumerate(c.index_names):
            out[p, j] = s.index_path(name, c.index_base[j], months)
    return out


def _assumption(sc: Scenario) -> object:
    """What a scenario's prepayment and default rates depend on."""
    return (sc.prepay_kind, sc.prepay, sc.default_kind, sc.default)


class GroupSums:
    """Sums over the age groups of each loan group (a run of them: they are sorted by loan
    group) of a product of an (assumptions, age groups, months) and an (age groups, months)
    array, without making the product: ``(assumptions, loan groups present, months)``."""

    def __init__(self, key_group: np.ndarray, n_groups: int) -> None:
        first = np.flatnonzero(np.r_[True, key_group[1:] != key_group[:-1]])[: key_group.size]
        self.present = key_group[first]
        ends = np.r_[first[1:], key_group.size][: first.size]
        self.runs = list(zip(first, ends, strict=True))
        # every loan group has loans (a group without any stays zero)
        self.all_groups = np.array_equal(self.present, np.arange(n_groups))

    def __call__(self, x: F64, y: F64) -> F64:
        if not self.runs:  # no loans
            return np.zeros((x.shape[0], 0, x.shape[2]))
        return np.stack([np.einsum("nkm,km->nm", x[:, a:b], y[a:b]) for a, b in self.runs], 1)

    def shifted(self, x: F64, y: F64, lag: int) -> F64:
        """Sums of ``x[..., m - lag] * y[:, m]`` (zero in the first ``lag`` months)."""
        if lag == 0:
            return self(x, y)
        out = np.zeros((x.shape[0], len(self.runs), x.shape[2]))
        out[:, :, lag:] = self(x[:, :, :-lag], y[:, lag:])
        return out


@dataclass(frozen=True)
class Survival:
    """Prepayment and default assumptions, by assumption, age group and month: per unit of
    the scheduled balance, ``sp`` performing at the start of each month, ``defaulted`` of it
    defaulting that month, ``live`` paying (``live_smm`` of it prepaying, per unit of the
    balance after scheduled principal), and ``surv`` at the end of each month."""

    surv: F64
    defaulted: F64
    live: F64
    live_smm: F64

    @property
    def n(self) -> int:
        return int(self.surv.shape[0])

    @property
    def sp(self) -> F64:
        return self.surv[:, :, :-1]

    @staticmethod
    def of(reps: Sequence[Scenario], ages: F64, months: int) -> Survival:
        smm = np.stack([sc.smm(ages, months) for sc in reps])
        mdr = np.stack([sc.mdr(ages, months) for sc in reps])
        surv = np.ones((len(reps), ages.size, months + 1))
        np.cumprod((1.0 - mdr) * (1.0 - smm), axis=2, out=surv[:, :, 1:])
        defaulted = surv[:, :, :-1] * mdr
        live = surv[:, :, :-1] - defaulted
        return Survival(surv, defaulted, live, live * smm)

    def take(self, rows: np.ndarray) -> Survival:
        return Survival(self.surv[rows], self.defaulted[rows], self.live[rows], self.live_smm[rows])


class PathTerms:
    """One index path's schedule by age group and month: balances at the start (``w0``)
    and end (``w1``) of each month, scheduled principal ``dw``, gross and net interest and
    fees, per unit of survival."""

    def __init__(self, sched: Scheduled, p: int) -> None:
        self.w0, self.w1 = sched.W[p, :, :-1], sched.W[p, :, 1:]
        self.dw = self.w0 - self.w1
        self.gi, self.fi = sched.GI[p], sched.FI[p]
        self.net = self.gi - self.fi


def _base_sums(sv: Survival, pt: PathTerms, sums: GroupSums) -> dict[str, F64]:
    """The fields of each assumption on one index path, by loan group and month (the
    scenarios alike in both share them, whatever their lag, advancing or severity)."""
    return {
        "default": sums(sv.defaulted, pt.w0),
        "scheduled_principal": sums(sv.live, pt.dw),
        "prepayment": sums(sv.live_smm, pt.w1),
        "performing_balance": sums(sv.surv[:, :, 1:], pt.w1),
        "gross_interest": sums(sv.live, pt.gi),
        "servicing_fee": sums(sv.live, pt.fi),
        "beginning_balance": sums(sv.sp, pt.w0),  # the performing part
    }


def _pipeline_sums(
    sv: Survival,
    pt: PathTerms,
    base: dict[str, F64],
    lag: int,
    advancing: bool,
    sums: GroupSums,
) -> dict[str, F64]:
    """``base`` and the defaulted loans until liquidation for one lag and advancing."""
    out = dict(base)
    if advancing:
        # cohorts defaulted in months m - lag + 1 .. m are advanced in month m
        adv = _window(sv.defaulted, lag)
        out["advanced_principal"] = sums(adv, pt.dw)
        out["advanced_interest"] = sums(adv, pt.net)
        out["liquidated_balance"] = sums.shifted(sv.defaulted, pt.w0, lag)
        out["pipeline_balance"] = sums(adv, pt.w1)
    else:  # liquidated at the balance it defaulted with: linear in the sums
        out["liquidated_balance"] = _shift(base["default"], lag)
        out["pipeline_balance"] = _window(base["default"], lag)
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
