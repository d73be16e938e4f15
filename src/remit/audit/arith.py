"""The arithmetic of the identities: each returns the expected value and, lazily, the
sum as it would be written out by hand (only printed when a check fails)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from remit.audit.book import Book, Compute, Getter, Tolerance, money
from remit.audit.infer import K
from remit.statement.reader import Key, printed_places

Z = Decimal(0)
HUNDRED = Decimal(100)
TWELVE = Decimal(12)
HALF_CENT = Decimal("0.005")
Lazy = tuple[Decimal, Callable[[], str]]


def signed_sum(g: Getter, keys: list[Key], signs: list[int] | None = None) -> Lazy:
    values = [g(k) for k in keys]
    ss = signs or [1] * len(keys)
    result = sum((v if s > 0 else -v for v, s in zip(values, ss, strict=True)), Z)

    def text() -> str:
        parts = [("- " if s < 0 else "+ ") + shown(v) for v, s in zip(values, ss, strict=True)]
        return f"{' '.join(parts).removeprefix('+ ')} = {shown(result)}"

    return result, text


def shown(v: Decimal) -> str:
    """Money in an arithmetic line: a negative figure in parentheses, as statements print
    deductions ('- (340,438.75)' rather than '- -340,438.75')."""
    return f"({money(-v)})" if v < 0 else money(v)


def total(keys: list[Key], signs: list[int] | None = None) -> Compute:
    """The signed sum of figures."""

    def compute(g: Getter) -> Lazy:
        return signed_sum(g, keys, signs)

    return compute


def copy_of(key: Key) -> Compute:
    """The same figure, printed elsewhere."""

    def compute(g: Getter) -> Lazy:
        v = g(key)
        return v, lambda: money(v)

    return compute


def ratio_of(num: Key, den: Key) -> Compute:
    """num / den (a percentage of original face, as a fraction)."""

    def compute(g: Getter) -> Lazy:
        return _ratio(g, num, den)

    return compute


def factor_of(amount: Key, face: Key, denom: Decimal) -> Compute:
    """amount / original face x denomination."""

    def compute(g: Getter) -> Lazy:
        return _factor(g, amount, face, denom)

    return compute


def pct_of(num: Key, den: Key) -> Compute:
    """num / den x 100 (a delinquency percentage)."""

    def compute(g: Getter) -> Lazy:
        return _pct(g, num, den)

    return compute


def cumulative_pct(loss: Key, faces: list[Key]) -> Compute:
    """cumulative loss / cut-off balance x 100."""

    def compute(g: Getter) -> Lazy:
        amount = g(loss)
        cut_off, text = signed_sum(g, faces)
        v = amount / cut_off * HUNDRED if cut_off else Z
        return v, lambda: f"{money(amount)} / ({text()}) = {v:.6f}%"

    return compute


def _ratio(g: Getter, num: Key, den: Key) -> Lazy:
    n, d = g(num), g(den)
    r = n / d if d else Z
    return r, lambda: f"{money(n)} / {money(d)} = {r:.10f}"


def _factor(g: Getter, amount: Key, face: Key, denom: Decimal) -> Lazy:
    a, f = g(amount), g(face)
    v = a / f * denom if f else Z
    return v, lambda: f"{money(a)} / {money(f)} x {denom:,} = {v:,.10f}"


def _pct(g: Getter, num: Key, den: Key) -> Lazy:
    n, d = g(num), g(den)
    v = n / d * HUNDRED if d else Z
    return v, lambda: f"{n:,} / {d:,} = {v:.8f}%"


def _or_zero(g: Getter, key: Key) -> Decimal:
    try:
        return g(key)
    except KeyError:
        return Z


def deficiency(g: Getter) -> Lazy:
    """The Overcollateralization Deficiency Amount: the specified OC less the OC amount after
    the principal remittance, before the extra principal (the standard: OC amount - increase
    + reduction, not below 0); the reading after all distributions (specified - OC amount)
    where the statement's own figure shows it."""
    spec, amount = g(K("collateral", "specified_oc")), g(K("collateral", "oc_amount"))
    extra = _or_zero(g, K("collateral", "oc_increase"))
    release = _or_zero(g, K("collateral", "oc_reduction"))
    before = max(amount - extra + release, Z)
    standard, after = max(spec - before, Z), max(spec - amount, Z)
    if _or_zero(g, K("collateral", "oc_deficiency")) == after != standard:
        return after, lambda: f"max({money(spec)} - {money(amount)}, 0) = {money(after)}"
    return (
        standard,
        lambda: (
            f"max({money(spec)} - max({money(amount)} - {money(extra)} + {money(release)}, 0), 0)"
            f" = {money(standard)}"
        ),
    )


def annual_rate(num: Decimal, den: Decimal) -> Decimal:
    return num * TWELVE / den * HUNDRED if den else Z


def parts_tolerance(keys: list[Key]) -> Tolerance:
    """How far a printed total may be from the sum of its printed parts when the publisher
    added the unrounded amounts: half a cent for each part that is not zero."""

    def tolerance(g: Getter) -> Decimal:
        return HALF_CENT * sum(1 for k in keys if g(k) != 0)

    return tolerance


def factor_tolerance(book: Book, target: Key, face: Key, per: Decimal) -> Tolerance:
    """How far a printed factor may be from amount / face x per when the publisher divided
    the unrounded amount (half a cent of it) and rounded the factor (a unit of its last
    printed decimal): a difference within this is a rounding note."""
    unit = Decimal(1).scaleb(-printed_places(book.text(target)))

    def tolerance(g: Getter) -> Decimal:
        f = g(face)
        return unit + (HALF_CENT * per / f if f else Z)

    return tolerance
