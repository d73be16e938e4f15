"""Prepayment and default speeds of a period, for charts and the extended statement. Floats:
these are analytics, never an audited figure.

* SMM (single monthly mortality): voluntary prepayments (payoffs, curtailments and
  repurchases) / (beginning balance - scheduled principal); CPR = 1 - (1 - SMM)^12.
* MDR (monthly default rate): balance of loans liquidated / (beginning balance - scheduled
  principal); CDR = 1 - (1 - MDR)^12.
* Life CPR and CDR: the same over every period so far, from the product of the monthly
  survivals: 1 - (prod(1 - SMM))^(12 / n)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from remit import money


@dataclass(frozen=True)
class Speeds:
    smm: float
    cpr: float
    mdr: float
    cdr: float


def _annual(monthly: float) -> float:
    return 1.0 - (1.0 - monthly) ** 12


def speeds(
    beginning: Decimal,
    scheduled: Decimal,
    prepaid: Decimal,
    liquidated: Decimal,
) -> Speeds:
    """One month's SMM, CPR, MDR and CDR, as fractions (0.12 = 12%)."""
    base = float(beginning - scheduled)
    if base <= 0:
        return Speeds(0.0, 0.0, 0.0, 0.0)
    smm = min(float(prepaid) / base, 1.0)
    mdr = min(float(liquidated) / base, 1.0)
    return Speeds(smm, _annual(smm), mdr, _annual(mdr))


def life(months: Sequence[Speeds]) -> Speeds:
    """Life speeds over ``months`` (every period since closing, in order)."""
    if not months:
        return Speeds(0.0, 0.0, 0.0, 0.0)
    survive_p = 1.0
    survive_d = 1.0
    for m in months:
        survive_p *= 1.0 - m.smm
        survive_d *= 1.0 - m.mdr
    n = len(months)
    smm = 1.0 - survive_p ** (1.0 / n)
    mdr = 1.0 - survive_d ** (1.0 / n)
    return Speeds(smm, _annual(smm), mdr, _annual(mdr))


def life_annual(monthly: Sequence[Decimal]) -> Decimal:
    """A life annual rate from every month's exact monthly rate (SMM or MDR) since closing:
    1 - (prod(1 - monthly))^(12 / n), to 10 places (Decimal: it is printed on the extended
    statement)."""
    if not monthly:
        return Decimal(0)
    survive = Decimal(1)
    for m in monthly:
        survive = money.mul(survive, 1 - m)
    power = money.CONTEXT.power(survive, money.div(Decimal(12), Decimal(len(monthly))))
    return money.round_places(1 - power, 10)
