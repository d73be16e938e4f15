"""Interest rules: pass-through rates, current interest, carryforwards, shortfall allocation."""

from __future__ import annotations

from remit.rules.ops import Amount, Flag, Ops
from remit.spec.models import Coupon


def net_wac_rate(
    net_interest: Amount,
    beginning_balance: Amount,
    days: int,
    actual_360: bool,
    ops: Ops[Amount, Flag],
) -> Amount:
    """Net WAC Rate: the collateral's interest net of the trust's fees, annualised on the
    beginning pool balance (x 12), and for an Actual/360 class x 30 / actual days so that the
    cap and the certificate accrue on the same basis."""
    annual = ops.div(net_interest * ops.const(12), beginning_balance)
    if actual_360:
        return annual * ops.const(30) / ops.const(days)
    return annual


def current_interest(
    balance: Amount, rate: Amount, days: int, basis_days: int, ops: Ops[Amount, Flag]
) -> Amount:
    """Current Interest: class balance x pass-through rate x days / 360, to the cent.
    ``days`` are actual days (Actual/360) or 30/360 days; ``basis_days`` is 360."""
    return ops.cents(balance * rate * ops.const(days) / ops.const(basis_days))


def pro_rata(total: Amount, weights: list[Amount], ops: Ops[Amount, Flag]) -> list[Amount]:
    """Split ``total`` in proportion to ``weights``, each share to the cent; the rounding
    remainder goes to the share with the largest weight (the first of equals), so that the
    shares add up to ``total`` exactly and a zero weight never receives a cent."""
    if not weights:
        return []
    whole = ops.sum(weights)
    largest = weights[0]
    for w in weights[1:]:
        largest = ops.max(largest, w)
    shares = [ops.cents(ops.div(total * w, whole)) for w in weights]
    remainder = total - ops.sum(shares)
    done = ops.flag(False)
    out: list[Amount] = []
    for w, share in zip(weights, shares, strict=True):
        take = ops.and_(ops.ge(w, largest), ops.not_(done))
        out.append(share + ops.where(take, remainder, ops.zero()))
        done = ops.or_(done, take)
    return out


def pay_pro_rata(available: Amount, due: list[Amount], ops: Ops[Amount, Flag]) -> list[Amount]:
    """Pay ``due`` amounts from ``available``: in full if it suffices, else pro rata by due."""
    paying = ops.min(available, ops.sum(due))
    return pro_rata(paying, due, ops)


def coupon_rate(
    coupon: Coupon,
    index: Amount | None,
    net_wac: Amount,
    post_call: Flag,
    ops: Ops[Amount, Flag],
) -> Amount:
    """A class's Formula Rate for the date, before any Net WAC cap: the fixed rate; or the
    index + margin of a floating class (the post-call margin once the optional termination
    could have been exercised); or the net WAC rate (less the strip an interest-only class on
    the same loans takes, never below zero); never above ``max_rate``."""
    rate = ops.zero()
    if coupon.kind == "fixed" and coupon.rate is not None:
        rate = ops.const(coupon.rate)
    elif coupon.kind == "floating" and index is not None and coupon.margin is not None:
        rate = index + ops.const(coupon.margin)
        if coupon.post_call_margin is not None:
            rate = ops.where(post_call, index + ops.const(coupon.post_call_margin), rate)
    elif coupon.kind == "net_wac":
        rate = net_wac
        if coupon.strip is not None:
            rate = ops.max(rate - ops.const(coupon.strip), ops.zero())
    if coupon.max_rate is not None:
        rate = ops.min(rate, ops.const(coupon.max_rate))
    return rate


def capped_rate(formula: Amount, cap: Amount, ops: Ops[Amount, Flag]) -> tuple[Amount, Flag]:
    """The pass-through rate paid: the lesser of the Formula Rate and the Net WAC cap (a
    negative cap counts as zero). Returns (rate, whether the cap bound)."""
    cap = ops.max(cap, ops.zero())
    capped = ops.gt(formula, cap)
    return ops.where(capped, cap, formula), capped
