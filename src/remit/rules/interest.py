"""Interest rules: pass-through rates, current interest, carryforwards, shortfall allocation."""

from __future__ import annotations

from decimal import Decimal
from typing import TypeVar

from remit.rules.ops import Ops

T = TypeVar("T")


def floating_rate(index: Decimal, margin: Decimal) -> Decimal:
    """Uncapped pass-through rate of a floating class: Index + Margin (the PSA's 'Formula
    Rate'). The post-call margin replaces the margin once the optional termination date passed."""
    return index + margin


def net_wac_rate(
    net_interest: T, beginning_balance: T, days: int, actual_360: bool, ops: Ops[T]
) -> T:
    """Net WAC Rate: the collateral's interest net of the trust's fees, annualised on the
    beginning pool balance (x 12), and for an Actual/360 class x 30 / actual days so that the
    cap and the certificate accrue on the same basis."""
    annual = ops.div(net_interest * ops.const(12), beginning_balance)
    if actual_360:
        return annual * ops.const(30) / ops.const(days)
    return annual


def current_interest(balance: T, rate: T, days: int, basis_days: int, ops: Ops[T]) -> T:
    """Current Interest: class balance x pass-through rate x days / 360, to the cent.
    ``days`` are actual days (Actual/360) or 30/360 days; ``basis_days`` is 360."""
    return ops.cents(balance * rate * ops.const(days) / ops.const(basis_days))


def pro_rata(total: T, weights: list[T], ops: Ops[T]) -> list[T]:
    """Split ``total`` in proportion to ``weights``, each share to the cent; the rounding
    remainder goes to the share with the largest weight (the first of equals), so that the
    shares add up to ``total`` exactly and a zero weight never receives a cent."""
    if not weights:
        return []
    whole = weights[0]
    largest = weights[0]
    for w in weights[1:]:
        whole = whole + w
        largest = ops.max(largest, w)
    shares = [ops.cents(ops.div(total * w, whole)) for w in weights]
    remainder = total
    for share in shares:
        remainder = remainder - share
    done = ops.const(0)
    out: list[T] = []
    for w, share in zip(weights, shares, strict=True):
        take = ops.logical_and(ops.ge(w, largest), ops.gt(ops.const(1), done))
        out.append(share + ops.where(take, remainder, ops.const(0)))
        done = ops.where(take, ops.const(1), done)
    return out


def pay_pro_rata(available: T, due: list[T], ops: Ops[T]) -> list[T]:
    """Pay ``due`` amounts from ``available``: in full if it suffices, else pro rata by due."""
    total_due = ops.const(0)
    for d in due:
        total_due = total_due + d
    paying = ops.min(available, total_due)
    return pro_rata(paying, due, ops)
