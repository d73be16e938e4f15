"""Where a deal projection starts: a closed state (the latest period in the store, or the
closing state at the cut-off date), the collateral behind it, the fee rates and the index
fixings.

The collateral is, by default, one representative line per loan group derived from a
remittance -- the latest closed period's (after it) or the deal's first (at the cut-off
date, before it): the group's balance from the state, its gross rate (WAC) the remittance's
scheduled interest x 12 over the balance it accrued on, its remaining term the pool's
weighted average remaining term (WAM; one more month at the cut-off date), its age the rest
of a 360-month term. A loan tape (at the cut-off date) or rep lines given by hand replace
it, scaled to the state's balance of each group (a sample of loans standing for the pool).
No fee is taken from the collateral's interest: the deal's fees are the deal's, each at the
spec's rate on the pool balance, or, for a fee the spec gives no rate (reported by the
servicer loan by loan), at the rate the remittance's amount implies."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import NamedTuple

import numpy as np

from remit.close.close import initial_state
from remit.close.state import DealState
from remit.errors import REQUEST, RemitError
from remit.project.collateral import Collateral, fixed, load_lines
from remit.remittance import Remittance
from remit.spec.models import DealSpec

TERM = 360  # months: the original term rep lines are aged against


@dataclass(frozen=True)
class Start:
    """A deal projection's starting point. ``index_base``: each of the deal's indices'
    latest fixing (None: unknown, a scenario must give its path); ``description``: where it
    starts, in words."""

    spec: DealSpec
    state: DealState
    collateral: Collateral
    fee_rates: dict[str, Decimal]
    index_base: dict[str, float | None]
    description: str
    scale: float = 1.0  # collateral balance scaled by this to the state's

    @property
    def deal_id(self) -> str:
        return self.spec.deal.id


def group_names(spec: DealSpec) -> tuple[str, ...]:
    """The deal's loan groups (one, ``pool``, for a deal without groups)."""
    return tuple(g.name for g in spec.loan_groups) or ("pool",)


def group_balances(spec: DealSpec, state: DealState) -> dict[str, Decimal]:
    groups = spec.loan_groups
    if not groups:
        return {"pool": state.pool_balance}
    return {g.name: state.shifting.groups[g.name] for g in groups}


def rep_lines(
    spec: DealSpec, state: DealState, rem: Remittance, after: bool, source: str
) -> Collateral:
    """One line per loan group from ``rem`` (``after``: the state is the remittance's own
    period's; else the state is the one the remittance starts from)."""
    balances = group_balances(spec, state)
    remaining = rem.collateral.wam + (0 if after else 1)
    if remaining < 1:
        raise RemitError.one(source, "collateral.wam", rem.collateral.wam, "a WAM of 1 or more")
    rates = []
    for g, bal in balances.items():
        if g == "pool":
            interest, reduction = rem.interest.scheduled_interest, rem.pool_reduction
        elif g in rem.groups:
            gc = rem.groups[g]
            interest, reduction = gc.scheduled_interest, gc.pool_reduction
        else:
            raise RemitError.one(source, "groups", sorted(rem.groups), f"loan group {g}")
        beginning = bal + reduction if after else bal
        rates.append(float(interest * 12 / beginning) if beginning > 0 else 0.0)
    names = tuple(balances)
    return fixed(
        spec.deal.id,
        [float(b) for b in balances.values()],
        rates,
        [0.0] * len(names),
        [remaining] * len(names),
        [max(TERM - remaining, 0)] * len(names),
        group=list(range(len(names))),
        group_names=names,
    )


def fee_rates(
    spec: DealSpec, rem: Remittance | None, beginning: Decimal | None
) -> dict[str, Decimal]:
    """Each fee's annual rate: the spec's, or the one ``rem``'s amount implies on the pool
    balance it was charged on (``beginning``); 0 when neither is known."""
    out = {}
    for f in spec.fees:
        if f.rate is not None:
            out[f.name] = f.rate
        elif rem is not None and beginning and f.name in rem.fees:
            out[f.name] = rem.fees[f.name] * 12 / beginning
        else:
            out[f.name] = Decimal(0)
    return out


def index_base(spec: DealSpec, rem: Remittance | None) -> dict[str, float | None]:
    """Each of the deal's indices' latest fixing (None where no remittance gives it)."""
    fixings = rem.index if rem is not None else {}
    return {i.name: float(fixings[i.name]) if i.name in fixings else None for i in spec.indices}


def scaled(
    spec: DealSpec, state: DealState, c: Collateral, source: str
) -> tuple[Collateral, float]:
    """``c`` with no fee taken from interest and each loan group's balance scaled to the
    state's. Returns it and the pool's scale factor."""
    balances = group_balances(spec, state)
    names = group_names(spec)
    if spec.loan_groups and set(c.group_names) != set(names):
        raise RemitError.one(
            source, "group", ", ".join(c.group_names), f"the deal's loan groups {list(names)}"
        )
    if spec.loan_groups:
        group = np.array([names.index(c.group_names[i]) for i in c.group], dtype=np.int64)
    else:
        group = np.zeros(c.n, dtype=np.int64)
    balance = c.balance.copy()
    for gi, g in enumerate(names):
        rows = group == gi
        total = float(balance[rows].sum())
        want = float(balances[g])
        if want > 0 and total <= 0:
            raise RemitError.one(source, "balance", 0, f"loans in group {g} (balance {want})")
        if total > 0:
            balance[rows] *= want / total
    factor = float(state.pool_balance) / float(c.balance.sum()) if c.balance.sum() > 0 else 1.0
    out = replace(c, balance=balance, fee=np.zeros(c.n), group=group, group_names=names)
    return out, factor


def start(
    spec: DealSpec,
    state: DealState,
    rem: Remittance | None,
    *,
    after: bool,
    description: str,
    collateral: Collateral | None = None,
    source: str = "",
) -> Start:
    """The starting point from ``state`` and its reference remittance ``rem`` (the latest
    closed period's, ``after`` it; or the first, before it), with the rep lines derived from
    it unless ``collateral`` is given."""
    if collateral is None:
        if rem is None:
            raise RemitError.one(
                source,
                "remittances",
                "(none)",
                "a remittance to derive the rep lines from, a loan tape or rep lines",
            )
        collateral = rep_lines(spec, state, rem, after, source)
    c, factor = scaled(spec, state, collateral, source)
    beginning = None
    if rem is not None:
        beginning = rem.beginning_balance or (
            state.pool_balance + rem.pool_reduction if after else state.pool_balance
        )
    return Start(
        spec=spec,
        state=state,
        collateral=c,
        fee_rates=fee_rates(spec, rem, beginning),
        index_base=index_base(spec, rem),
        description=description,
        scale=factor,
    )


class Closed(NamedTuple):
    """A closed period to start from: its state, its remittance, in words."""

    state: DealState
    remittance: Remittance
    description: str


def deal_start(
    deal_dir: str | Path,
    *,
    closed: Closed | None = None,
    tape: Path | None = None,
    lines: Path | None = None,
) -> Start:
    """The starting point of the deal in ``deal_dir``: after ``closed`` (the latest closed
    period in a store, :func:`remit.workflows.projection.latest_closed`), or at its cut-off
    date (the closing state, the collateral derived from the deal's first remittance).
    ``tape`` (a loan tape directory, at the cut-off date) or ``lines`` (a TOML file of rep
    lines) replace the derived rep lines."""
    from remit.api import load_deal

    deal = load_deal(deal_dir)
    spec = deal.spec
    if tape is not None and lines is not None:
        raise RemitError.one(REQUEST, "lines", str(lines), "a loan tape or rep lines, not both")
    if tape is not None and closed is not None:
        raise RemitError.one(
            REQUEST, "tape", str(tape), "no store: a loan tape holds the loans at the cut-off date"
        )
    first = min(deal.remittance_files, default=None)
    reference = closed.remittance if closed is not None else None
    if reference is None and first is not None:
        reference = deal.remittance(first)
    collateral: Collateral | None = None
    if tape is not None:
        from remit.project.tape import from_tape

        collateral = from_tape(spec, tape)
    elif lines is not None:
        # an index's level: the fixing of the remittance the projection starts from (its
        # classes accrue on it), else the spec's collateral.index_levels (at cut-off)
        fixings = {n: v for n, v in index_base(spec, reference).items() if v is not None}
        at_cut_off = {n: float(v) for n, v in spec.collateral.index_levels.items()}
        collateral = load_lines(lines, at_cut_off, fixings)
    source = str(tape or lines or Path(deal_dir) / "remittances")
    if closed is not None:
        return start(
            spec,
            closed.state,
            closed.remittance,
            after=True,
            description=closed.description,
            collateral=collateral,
            source=source,
        )
    return start(
        spec,
        initial_state(spec),
        reference,
        after=False,
        description=f"{spec.deal.id} at the cut-off date {spec.dates.cut_off}",
        collateral=collateral,
        source=source,
    )
