"""Realized-loss rules: write-downs in reverse seniority and write-ups for recoveries."""

from __future__ import annotations

from typing import TypeVar

from remit.rules.ops import Ops
from remit.rules.principal import sequential

T = TypeVar("T")


def applied_realized_loss(certificate_balance: T, pool_balance: T, ops: Ops[T]) -> T:
    """Applied Realized Loss Amount: the excess of the certificates' balance (after the
    distributions of the date) over the pool balance -- losses the OC could not absorb."""
    return ops.max(certificate_balance - pool_balance, ops.const(0))


def write_down(amount: T, balances: list[T], ops: Ops[T]) -> list[T]:
    """Reduce class balances in the given order (most junior first) until ``amount`` is used:
    the same in-order allocation as a sequential principal payment."""
    return sequential(amount, balances, ops)


def write_up(recoveries: T, unpaid_losses: list[T], ops: Ops[T]) -> list[T]:
    """Subsequent recoveries increase the balances of written-down classes, most senior
    first, each by no more than its unpaid realized loss amount."""
    return write_down(recoveries, unpaid_losses, ops)
