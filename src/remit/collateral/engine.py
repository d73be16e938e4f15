"""The month's arithmetic, for every loan at once (numpy, integer cents).

Conventions (each rule below states its formula):

* Money is ``int64`` cents; rates are ``int64`` in units of 1e-8 (``RATE_SCALE``); every
  rounding is to the cent, half-up, of an exact integer quotient, except the level payment,
  whose annuity factor is a float (the payment is then rounded to the cent, half-up).
* The installment due on the first day of month ``due_m`` pays the interest accrued over
  the month before it (the accrual month, 30/360, one twelfth of a year) at the rate in
  effect for that month. The prepayment period is the same calendar month.
* The level payment is recomputed every due date on the scheduled balance, the current rate
  and the installments left to maturity. A curtailment therefore re-amortizes the loan (lower
  payment, same maturity), and so does an ARM reset or the end of an interest-only period.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from remit.collateral.formats import I32, I64, NO_DATE, RATE_SCALE, Bool, Problems
from remit.collateral.tape import EVENT, Activity, Fixings, LoanTape, month_index, month_start_day
from remit.errors import Problem

RELIEF_ACT_RATE = 6 * RATE_SCALE // 100  # Servicemembers Civil Relief Act: 6% a year
STATUS = ("delinquent", "bankruptcy", "foreclosure", "reo")


def half_up_div(num: I64, den: int) -> I64:
    """num / den rounded half-up, exactly, for 0 <= num < 2**62 and quotients below 2**52:
    a float estimate of the quotient, corrected with the exact integer remainder
    r = num - q x den (half-up: 2r >= den)."""
    x = num / den
    x += 0.5
    np.floor(x, out=x)
    q = x.astype(np.int64)
    r = q * den
    np.subtract(num, r, out=r)
    r *= 2
    q += r >= den
    q -= r < -den
    return q


def monthly_interest(balance: I64, rate: I64) -> I64:
    """One month's interest, 30/360: cents(balance x rate / 12), half-up."""
    return half_up_div(balance * rate, 12 * RATE_SCALE)


def level_payment(balance: I64, rate: I64, n: I64 | I32) -> I64:
    """Level payment P = B x i / (1 - (1 + i)^-n), i = rate / 12, to the cent half-up;
    B / n when i = 0. With one installment left (or none), P = B + one month's interest."""
    n64 = np.asarray(n, dtype=np.int64)
    i = rate.astype(np.float64) / (12.0 * RATE_SCALE)
    nf = np.maximum(n64, 1).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(i > 0, i / -np.expm1(-nf * np.log1p(i)), 1.0 / nf)
    p = np.floor(balance.astype(np.float64) * factor + 0.5).astype(np.int64)
    last = n64 <= 1
    return np.where(last, balance + monthly_interest(balance, rate), p)


def round_rate(x: I64, factor: I64, mode: I32) -> I64:
    """Round a rate to a multiple of ``factor``: mode 0 nearest (half-up), 1 up, 2 down;
    unchanged where the factor is 0."""
    f = np.maximum(factor, 1)
    nearest = (x + f // 2) // f * f
    up = -((-x) // f) * f
    down = x // f * f
    out = np.where(mode == 1, up, np.where(mode == 2, down, nearest))
    return np.where(factor > 0, out, x)


@dataclass(frozen=True)
class State:
    """What changes month to month: scheduled balance, note rate, maturity, whether it resets."""

    balance: I64
    rate: I64
    maturity_m: I32
    arm: Bool


def initial_state(tape: LoanTape) -> State:
    return State(tape.balance.copy(), tape.rate.copy(), tape.maturity_m.copy(), tape.arm.copy())


def reset_rates(tape: LoanTape, state: State, accrual_m: int, fixings: Fixings) -> I64:
    """ARM rate for the accrual month ``accrual_m``. A loan resets when the month is its first
    rate change month or a multiple of its reset frequency after it. New rate:

        fully indexed = round(index + margin, factor, nearest/up/down)
        capped        = clamp(fully indexed, prior - cap, prior + cap)
                        (the initial cap at the first reset, the periodic cap after it)
        new rate      = clamp(capped, lifetime floor, lifetime ceiling)

    The index is the latest fixing on or before the change date less the look-back days."""
    k = accrual_m - tape.first_change_m
    due = state.arm & (state.balance > 0) & (k >= 0) & (k % tape.reset_frequency == 0)
    idx = np.flatnonzero(due)
    if idx.size == 0:
        return state.rate
    day = month_start_day(accrual_m) - tape.lookback_days[idx].astype(np.int64)
    index = fixings.lookup(tape.index_names, tape.index_code[idx], day)
    full = round_rate(index + tape.margin[idx], tape.round_factor[idx], tape.round_mode[idx])
    cap = np.where(k[idx] == 0, tape.initial_cap[idx], tape.periodic_cap[idx])
    prior = state.rate[idx]
    new = np.clip(full, prior - cap, prior + cap)
    new = np.minimum(np.maximum(new, tape.floor[idx]), tape.ceiling[idx])
    out = state.rate.copy()
    out[idx] = new
    return out


@dataclass(frozen=True)
class Schedule:
    """Each loan's installment due on the first of ``due_m``, before any activity."""

    due_m: int
    active: Bool
    rate: I64
    interest: I64
    payment: I64
    principal: I64
    remaining: I32


def schedule(tape: LoanTape, state: State, due_m: int, fixings: Fixings) -> Schedule:
    """Scheduled interest = cents(B x r / 12); during the interest-only period the payment is
    the interest; after it, the level payment over the installments left to maturity
    (``maturity - due + 1``); scheduled principal = min(B, payment - interest), and the whole
    balance at the last installment."""
    active = state.balance > 0
    rate = reset_rates(tape, state, due_m - 1, fixings)
    b = np.where(active, state.balance, 0)
    interest = monthly_interest(b, rate)
    remaining = (state.maturity_m - due_m + 1).astype(np.int32)
    io = due_m <= tape.io_end_m
    payment = np.where(io & (remaining > 1), interest, level_payment(b, rate, remaining))
    principal = np.clip(payment - interest, 0, b)
    principal = np.where(remaining <= 1, b, principal)
    return Schedule(due_m, active, rate, interest, interest + principal, principal, remaining)


@dataclass(frozen=True)
class Month:
    """Every loan's figures for one distribution date (zeros for loans not in the pool)."""

    sched: Schedule
    begin: I64
    scheduled_principal: I64
    curtailment: I64
    payoff: I64
    paid_off: Bool
    liquidated: Bool
    liquidated_balance: I64
    proceeds: I64
    loss: I64
    repurchased: Bool
    repurchase_principal: I64
    ending: I64
    ppis: I64
    relief: I64
    penalty: I64
    advance: I64
    fees: dict[str, I64]
    missed: I32
    status: I32
    actual_end: I64
    next_state: State


def apply(tape: LoanTape, state: State, s: Schedule, act: Activity, problems: Problems) -> Month:
    """Apply the month's activity to the schedule.

    * Payoff (zero balance code 1): the whole balance B leaves; its scheduled principal is
      counted as scheduled, the rest B - scheduled principal as a payoff. Prepayment interest
      shortfall = interest - cents(B x r x (min(day, 30) - 1) / 360): the borrower pays
      interest up to, not including, the payoff day.
    * Liquidation (codes 2, 3, 9): the whole balance is liquidated; net proceeds =
      min(max(proceeds - expenses, 0), B); realized loss = B - net proceeds.
    * Repurchase (code 6): the whole balance is repurchased.
    * Curtailment: at most B - scheduled principal; one that repays it all is a payoff.
    * A loan reaching zero by its last installment counts as paid off (amount 0).
    * Relief Act shortfall = interest - cents(B x min(r, 6%) / 12) for flagged loans.
    * Fees the servicer reports: cents(B x fee rate / 12), half-up, loan by loan.
    * Advances: the scheduled payment net of the servicing fee, for each loan still in the
      pool with an installment unpaid at the end of the period.
    * Delinquency: installments unpaid = max(due month - next due month, 0), for loans still
      in the pool; status REO, else foreclosure, else bankruptcy, else delinquent.
    * Modifications take effect from the next accrual month: a new fixed rate (the loan
      stops resetting) and/or a new maturity ``due month + modified remaining term``.
    """
    f = act.file
    begin = np.where(s.active, state.balance, 0)
    ev = act.zero_balance
    paid_off = ev == EVENT["payoff"]
    liquidated = ev == EVENT["liquidation"]
    repurchased = ev == EVENT["repurchase"]
    leaves = liquidated | repurchased
    sched_prin = np.where(leaves, 0, s.principal)
    room = begin - sched_prin
    curt = act.curtailment
    rows = act.row

    def flag(mask: Bool, field: str, expected: str) -> None:
        bad = np.flatnonzero(mask)
        shown = bad[: problems.room]
        for i in shown:
            value = _cents(int(curt[i])) if field == "curtailment_amount" else None
            problems.add(Problem(f, field, value, expected, int(rows[i]) + 1))
        problems.more += bad.size - shown.size

    flag((curt > 0) & (ev != 0), "curtailment_amount", "0 for a loan leaving the pool")
    flag(
        (curt > room) & (ev == 0),
        "curtailment_amount",
        "no more than the balance after the scheduled principal",
    )
    po = np.flatnonzero(paid_off)
    bad_day = np.zeros(paid_off.size, dtype=bool)
    zday = act.zero_balance_day[po]
    bad_day[po] = (month_index(zday) != s.due_m - 1) | (zday == NO_DATE)
    flag(
        bad_day,
        "zero_balance_effective_date",
        "a date in the prepayment period (the month before the due date)",
    )
    to_zero = (ev == 0) & (curt == room) & (room > 0)
    matured = (ev == 0) & (room == 0) & s.active
    curtailment = np.where(to_zero | (ev != 0), 0, np.minimum(curt, room))
    payoff = np.where(paid_off, room, 0) + np.where(to_zero, room, 0)
    paid_off = paid_off | to_zero | matured
    liquidated_balance = np.where(liquidated, begin, 0)
    net = np.clip(act.proceeds - act.expenses, 0, liquidated_balance)
    loss = liquidated_balance - net
    repurchase = np.where(repurchased, begin, 0)
    ending = begin - sched_prin - curtailment - payoff - liquidated_balance - repurchase
    ending = np.where(paid_off | leaves, 0, ending)

    ppis = np.zeros_like(begin)
    if po.size:
        day = zday.astype(np.int64) - month_start_day(s.due_m - 1) + 1
        days_paid = np.clip(np.minimum(day, 30) - 1, 0, 30)
        paid_int = half_up_div(begin[po] * s.rate[po] * days_paid, 360 * RATE_SCALE)
        ppis[po] = np.maximum(s.interest[po] - paid_int, 0)
    relief = np.zeros_like(begin)
    ra = np.flatnonzero(act.relief_act)
    if ra.size:
        relief_rate = np.minimum(s.rate[ra], RELIEF_ACT_RATE)
        relief[ra] = s.interest[ra] - monthly_interest(begin[ra], relief_rate)
    fees = {name: monthly_interest(begin, r) for name, r in tape.fee_rates.items()}
    stays = ending > 0
    missed = np.where(stays, np.maximum(s.due_m - act.next_due_m, 0), 0).astype(np.int32)
    status = np.select([act.reo, act.foreclosure, act.bankruptcy], [3, 2, 1], 0)
    no_fee = np.zeros_like(begin)
    servicing = fees.get(tape.servicing_fee, no_fee) if tape.servicing_fee else no_fee
    advance = np.where(stays & (missed > 0), s.interest - servicing + sched_prin, 0)
    actual = np.where(act.actual_balance_set, act.actual_balance, ending + missed * sched_prin)
    actual = np.where(stays, actual, 0)
    nxt = State(
        balance=ending,
        rate=np.where(act.modified_rate_set & stays, act.modified_rate, s.rate),
        maturity_m=np.where(
            act.modified_term_set & stays, s.due_m + act.modified_term, state.maturity_m
        ).astype(np.int32),
        arm=state.arm & ~(act.modified_rate_set & stays),
    )
    return Month(
        sched=s,
        begin=begin,
        scheduled_principal=sched_prin,
        curtailment=curtailment,
        payoff=payoff,
        paid_off=paid_off & s.active,
        liquidated=liquidated & s.active,
        liquidated_balance=liquidated_balance,
        proceeds=net,
        loss=loss,
        repurchased=repurchased & s.active,
        repurchase_principal=repurchase,
        ending=ending,
        ppis=ppis,
        relief=np.maximum(relief, 0),
        penalty=act.penalty,
        advance=np.maximum(advance, 0),
        fees=fees,
        missed=missed,
        status=np.where(stays, status, 0).astype(np.int32),
        actual_end=actual,
        next_state=nxt,
    )


def buckets(missed: I32, method: str) -> I32:
    """Delinquency bucket 0..6 ('0-29', '30', ..., '180+') from installments unpaid at the end
    of the period. MBA: a loan is 30 days delinquent once one installment is unpaid at the
    close of the month it fell due in (bucket = unpaid). OTS: only once it is still unpaid at
    the close of the next due date (bucket = unpaid - 1), so one missed installment is current."""
    shift = 0 if method == "MBA" else 1
    return np.clip(missed.astype(np.int64) - shift, 0, 6).astype(np.int32)


def _cents(c: int) -> str:
    sign = "-" if c < 0 else ""
    return f"{sign}{abs(c) // 100}.{abs(c) % 100:02d}"
