"""Realized-loss rules: write-downs in reverse seniority and write-ups for recoveries."""

from __future__ import annotations

from remit.rules.ops import Amount, Flag, Ops
from remit.rules.principal import sequential


def applied_realized_loss(
    certificate_balance: Amount, pool_balance: Amount, ops: Ops[Amount, Flag]
) -> Amount:
    """Applied Realized Loss Amount: the excess of the certificates' balance (after the
    distributions of the date) over the pool balance -- losses the OC could not absorb."""
    return ops.max(certificate_balance - pool_balance, ops.const(0))


def write_down(amount: Amount, balances: list[Amount], ops: Ops[Amount, Flag]) -> list[Amount]:
    """Reduce class balances in the given order (most junior first) until ``amount`` is used:
    the same in-order allocation as a sequential principal payment."""
    return sequential(amount, balances, ops)


def write_up(
    recoveries: Amount, unpaid_losses: list[Amount], ops: Ops[Amount, Flag]
) -> list[Amount]:
    """Subsequent recoveries increase the balances of written-down classes, most senior
    first, each by no more than its unpaid realized loss amount."""
    return write_down(recoveries, unpaid_losses, ops)
