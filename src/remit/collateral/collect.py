"""collect(spec, tape_dir, date, prior_state) -> Remittance: the servicer's pool-level
remittance for one distribution date, computed from the loans.

The tape's balances are as of the cut-off date; every distribution date from the deal's first
one to ``date`` is rolled forward through its activity file (the same arithmetic each month),
and the last one is summed into the remittance. Every sum is of per-loan integer cents, so
the remittance reconciles with the loans exactly."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa  # type: ignore[import-untyped]

from remit import dates, money
from remit.collateral.engine import STATUS, Month, apply, buckets, initial_state, schedule
from remit.collateral.formats import I32, I64, Problems
from remit.collateral.tape import (
    Fixings,
    LoanTape,
    activity_path,
    day_number,
    month_of,
    read_activity,
    read_activity_table,
    read_fixings,
    read_loans,
    reported_fees,
)
from remit.errors import REQUEST, Problem, RemitError
from remit.remittance import (
    BUCKETS,
    Advances,
    CollateralReport,
    DelinquencyCell,
    GroupCollections,
    InterestCollections,
    PrincipalCollections,
    Remittance,
)
from remit.spec.models import DealSpec

if TYPE_CHECKING:  # the close is not imported to read a tape
    from remit.close.state import DealState

Progress = Callable[[int, int], None]


def cents_to_decimal(cents: int) -> Decimal:
    """Integer cents as a Decimal with two places."""
    return Decimal(int(cents)).scaleb(-2)


def total(values: I64) -> int:
    """Exact sum of int64 cents (a Python int)."""
    return int(values.sum(dtype=np.int64))


def group_sum(keys: I32 | I64, values: I64, n: int) -> list[int]:
    """Exact per-key sums of int64 values: float64 bincount while every partial sum stays
    below 2**53 (where float addition of integers is exact), else integer accumulation."""
    if int(np.abs(values).sum(dtype=np.int64)) < 2**53:
        sums = np.bincount(keys, weights=values.astype(np.float64), minlength=n)
        return [int(x) for x in sums[:n]]
    out = np.zeros(n, dtype=np.int64)
    np.add.at(out, keys, values)
    return [int(x) for x in out]


def deal_dates(spec: DealSpec, when: date) -> list[date]:
    """The deal's distribution dates from the first to ``when``; ``when`` must be one."""
    d = spec.dates
    first = dates.adjust(d.first_distribution, d.business_day_rule)
    count = month_of(when) - month_of(first) + 1
    out = (
        dates.distribution_dates(first, d.distribution_day, d.business_day_rule, count)
        if count > 0
        else []
    )
    if not out or out[-1] != when:
        raise RemitError.one(
            REQUEST,
            "date",
            when.isoformat(),
            f"a distribution date of the deal, on or after {first.isoformat()}",
        )
    return out


def roll(
    spec: DealSpec,
    tape: LoanTape,
    fixings: Fixings,
    tape_dir: Path,
    schedule_dates: list[date],
    progress: Progress | None = None,
    first_table: Future[pa.Table] | None = None,
) -> Month:
    """Run every month in ``schedule_dates`` from the cut-off; the last month's figures.
    Each month's activity file is read on a second thread while the month before is computed
    (``first_table``: the first month's, already being read)."""
    state = initial_state(tape)
    month: Month | None = None

    def read(d: date) -> pa.Table:
        return read_activity_table(activity_path(tape_dir, d))

    with ThreadPoolExecutor(max_workers=1) as pool:
        pending = first_table or pool.submit(read, schedule_dates[0])
        for k, d in enumerate(schedule_dates):
            table = pending.result()
            if k + 1 < len(schedule_dates):
                pending = pool.submit(read, schedule_dates[k + 1])
            act = read_activity(tape, state.balance, activity_path(tape_dir, d), table)
            s = schedule(tape, state, month_of(d), fixings)
            problems = Problems()
            month = apply(tape, state, s, act, problems)
            problems.raise_if_any()
            state = month.next_state
            if progress is not None:
                progress(k + 1, len(schedule_dates))
    assert month is not None
    return month


def collect(
    spec: DealSpec,
    tape_dir: str | Path,
    distribution_date: date | str,
    prior_state: DealState | None = None,
    *,
    progress: Progress | None = None,
) -> Remittance:
    """The remittance for ``distribution_date`` from the tape in ``tape_dir``. With a prior
    state, the pool at the start of the month must be the state's (balance and count, and
    each loan group's balance in a deal with groups)."""
    when = distribution_date if isinstance(distribution_date, date) else _parse(distribution_date)
    root = Path(tape_dir)
    if not root.is_dir():
        raise RemitError.one(str(root), "", "(not a directory)", "a tape directory")
    schedule_dates = deal_dates(spec, when)
    with ThreadPoolExecutor(max_workers=1) as pool:
        # the first activity file is read while the loan tape is checked
        first = pool.submit(lambda: read_activity_table(activity_path(root, schedule_dates[0])))
        tape = read_loans(spec, root)
        fixings = read_fixings(root)
        month = roll(spec, tape, fixings, root, schedule_dates, progress, first)
    begin = total(month.begin)
    count = int(month.sched.active.sum())
    if prior_state is not None:
        problems = []
        if cents_to_decimal(begin) != prior_state.pool_balance:
            problems.append(
                Problem(
                    tape.file,
                    "current_principal_balance",
                    str(cents_to_decimal(begin)),
                    f"the prior state's pool balance {prior_state.pool_balance} at the start "
                    f"of the {when.isoformat()} period",
                )
            )
        if count != prior_state.loan_count:
            problems.append(
                Problem(
                    tape.file,
                    "asset_number",
                    count,
                    f"the prior state's loan count {prior_state.loan_count}",
                )
            )
        if tape.group is not None:
            begins = group_sum(tape.group, month.begin, len(tape.group_names))
            for name, cents in zip(tape.group_names, begins, strict=True):
                expected = prior_state.shifting.groups.get(name)
                if expected is None or cents_to_decimal(cents) != expected:
                    problems.append(
                        Problem(
                            tape.file,
                            "current_principal_balance",
                            f"group {name}: {cents_to_decimal(cents)}",
                            f"the prior state's group {name} balance {expected} at the start "
                            f"of the {when.isoformat()} period",
                        )
                    )
        if problems:
            raise RemitError(problems)
    start = schedule_dates[-2] if len(schedule_dates) > 1 else spec.dates.closing
    return build_remittance(spec, when, start, tape, fixings, month)


def _parse(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise RemitError.one(REQUEST, "date", value, "a date YYYY-MM-DD") from None


def build_remittance(
    spec: DealSpec,
    when: date,
    accrual_start: date,
    tape: LoanTape,
    fixings: Fixings,
    m: Month,
) -> Remittance:
    """Sum the loans into the pool-level remittance (every amount an exact sum of cents).

    * WAM = sum(E x remaining) / sum(E), rounded half-up, where E is the ending scheduled
      balance and remaining the installments left counting this due date's;
    * P&I constant = scheduled interest + scheduled principal;
    * compensating interest = min(prepayment interest shortfall, gross servicing fee) (in a
      senior/subordinate deal whose servicing fee is computed rather than reported, the fee
      as the close computes it: cents(beginning pool balance x rate / 12), half-up);
    * index fixings: the latest on or before the first day of the floating classes' accrual
      period (the closing date for the first distribution, else the prior distribution date);
    * loan groups (senior/subordinate deals): see :func:`group_collections`.
    """
    sched_int = total(m.sched.interest)
    sched_prin = total(m.scheduled_principal)
    ppis = total(m.ppis)
    fees = {name: total(v) for name, v in m.fees.items() if name in reported_fees(spec)}
    gross = next((f for f in spec.fees if f.statement_row == "gross_servicing"), None)
    comp = 0
    if gross is not None and gross.name in fees:
        comp = min(ppis, fees[gross.name])
    elif gross is not None and gross.rate is not None:
        fee = money.cents(cents_to_decimal(total(m.begin)) * gross.rate / 12)
        comp = min(ppis, int(fee.scaleb(2)))
    stays = m.ending > 0
    ending = total(m.ending)
    remaining = np.maximum(m.sched.remaining.astype(np.int64), 0)
    wam_num = total(np.where(stays, m.ending * remaining, 0)) if ending else 0
    wam = (2 * wam_num + ending) // (2 * ending) if ending else 0
    index: dict[str, Decimal] = {}
    problems: list[Problem] = []
    for ix in spec.indices:
        v = fixings.latest(ix.name, day_number(accrual_start))
        if v is None:
            problems.append(
                Problem(
                    fixings.file,
                    "index_type",
                    ix.name,
                    f"a {ix.name} fixing on or before {accrual_start.isoformat()}",
                )
            )
        else:
            index[ix.name] = Decimal(v).scaleb(-8).normalize()
    if problems:
        raise RemitError(problems)
    keys = tape.product_keys
    prod = group_sum(
        np.where(tape.deal_product >= 0, tape.deal_product, len(keys)), m.ending, len(keys) + 1
    )
    method = spec.delinquency.method
    b = buckets(m.missed, method)
    cell = m.status.astype(np.int64) * 7 + b
    keep = stays & ((m.status > 0) | (b > 0))
    counts = np.bincount(cell[keep], minlength=28)
    bals = group_sum(cell[keep], m.ending[keep], 28)
    cells = [
        DelinquencyCell(
            status=STATUS[k // 7],
            bucket=BUCKETS[k % 7],
            count=int(counts[k]),
            balance=cents_to_decimal(bals[k]),
        )
        for k in range(28)
        if counts[k]
    ]
    payoffs = total(m.payoff)
    curt = total(m.curtailment)
    return Remittance(
        deal=spec.deal.id,
        distribution_date=when,
        beginning_balance=cents_to_decimal(total(m.begin)),
        beginning_count=int(m.sched.active.sum()),
        interest=InterestCollections(
            scheduled_interest=cents_to_decimal(sched_int),
            prepayment_interest_shortfall=cents_to_decimal(ppis),
            compensating_interest=cents_to_decimal(comp),
            relief_act_shortfall=cents_to_decimal(total(m.relief)),
        ),
        principal=PrincipalCollections(
            scheduled_principal=cents_to_decimal(sched_prin),
            unscheduled_principal=cents_to_decimal(payoffs + curt),
            payoffs_count=int(m.paid_off.sum()),
            payoffs_amount=cents_to_decimal(payoffs),
            curtailments=cents_to_decimal(curt),
            repurchases_count=int(m.repurchased.sum()),
            repurchases_principal=cents_to_decimal(total(m.repurchase_principal)),
            liquidations_count=int(m.liquidated.sum()),
            liquidated_balance=cents_to_decimal(total(m.liquidated_balance)),
            liquidation_proceeds=cents_to_decimal(total(m.proceeds)),
            realized_losses=cents_to_decimal(total(m.loss)),
        ),
        prepayment_penalties=cents_to_decimal(total(m.penalty)),
        advances=Advances(p_and_i_advances=cents_to_decimal(total(m.advance))),
        fees={k: cents_to_decimal(v) for k, v in fees.items()},
        index=index,
        collateral=CollateralReport(
            ending_count=int(stays.sum()),
            ending_actual_balance=cents_to_decimal(total(m.actual_end)),
            wam=int(wam),
            p_and_i_constant=cents_to_decimal(sched_int + sched_prin),
            product_balances={k: cents_to_decimal(prod[i]) for i, k in enumerate(keys)},
        ),
        delinquency=cells,
        groups=group_collections(tape, m, comp),
    )


def share(amount: int, weights: list[int]) -> list[int]:
    """``amount`` cents shared in proportion to ``weights`` (integers, not all 0 unless
    ``amount`` is 0), exactly: each share rounded down, the cents left over given one each
    to the largest remainders (the first on ties)."""
    whole = sum(weights)
    if whole == 0:
        return [0] * len(weights)
    parts = [amount * w // whole for w in weights]
    rest = amount - sum(parts)
    order = sorted(range(len(weights)), key=lambda i: (-(amount * weights[i] % whole), i))
    for i in order[:rest]:
        parts[i] += 1
    return parts


def group_collections(tape: LoanTape, m: Month, comp: int) -> dict[str, GroupCollections]:
    """Each loan group's collections (senior/subordinate deals; {} for a deal without
    groups): every figure the exact sum of its loans' cents, so the groups add up to the
    pool. Compensating interest, a pool-level amount (capped by the servicing fee), goes to
    the groups in proportion to their prepayment interest shortfall (see :func:`share`), all
    of each group's shortfall when it covers the whole; no loss is a special hazard, fraud
    or bankruptcy loss and no excess loss is reported (the activity does not say which
    losses are of those kinds), and subsequent recoveries are 0 (the activity reports
    none)."""
    if tape.group is None:
        return {}
    g, k = tape.group, len(tape.group_names)

    def by_group(values: I64) -> list[int]:
        return group_sum(g, values, k)

    ppis = by_group(m.ppis)
    comp_g = ppis if comp == sum(ppis) else share(comp, ppis)
    figures = {
        "scheduled_interest": by_group(m.sched.interest),
        "scheduled_principal": by_group(m.scheduled_principal),
        "unscheduled_principal": by_group(m.payoff + m.curtailment),
        "repurchases_principal": by_group(m.repurchase_principal),
        "liquidated_balance": by_group(m.liquidated_balance),
        "liquidation_proceeds": by_group(m.proceeds),
        "realized_losses": by_group(m.loss),
        "prepayment_interest_shortfall": ppis,
        "compensating_interest": comp_g,
        "relief_act_shortfall": by_group(m.relief),
    }
    counts = np.bincount(g[m.ending > 0], minlength=k)
    return {
        name: GroupCollections(
            **{f: cents_to_decimal(v[i]) for f, v in figures.items()},
            ending_count=int(counts[i]),
        )
        for i, name in enumerate(tape.group_names)
    }
