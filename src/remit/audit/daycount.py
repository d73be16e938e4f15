"""Current interest = balance x rate x days / 360, with a day count per class.

A statement does not print the day counts: they are inferred from its figures. Each class's
printed interest implies a number of days (interest x 360 / (balance x rate)); 30 is 30/360
(a fixed class), and the other count most classes imply is the accrual period's actual days
(Actual/360, the floating classes). One statement may hold both. Each class is checked at the
convention that fits it, and reported with it; a class that fits none is checked at the one
nearest to what its interest implies (so the finding says which it should have been)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from remit.audit.arith import HUNDRED, Lazy
from remit.audit.book import Book, Compute, Getter, half_up, money
from remit.audit.infer import Inferred
from remit.statement.reader import Key

THIRTY = 30
#: an implied day count within this of 30 is 30/360
NEAR = Decimal("0.5")
#: the days an accrual period can have (a first period may be short or long)
PERIOD = (Decimal(1), Decimal(62))


@dataclass(frozen=True)
class Accruing:
    """A class's interest identity: its balance, rate and the figures that print its current
    interest (the distribution, and where printed apart, the accrued interest)."""

    name: str
    balance: Key
    rate: Key
    interest: tuple[Key, ...]


def _implied(book: Book, a: Accruing) -> Decimal | None:
    bal, rate = book.printed[a.balance], book.printed[a.rate]
    if bal <= 0 or rate <= 0:
        return None
    return book.printed[a.interest[0]] * 360 * HUNDRED / (bal * rate)


def _half(book: Book, a: Accruing) -> Decimal:
    """Half a unit of the rate's last printed decimal."""
    places = len(book.text(a.rate).strip().rstrip("%").partition(".")[2])
    return Decimal(5).scaleb(-places - 1)


def _fits(book: Book, a: Accruing, days: int) -> bool:
    lo, hi = _interval(a, days, _half(book, a))(book.printed.__getitem__)
    shown = book.printed[a.interest[0]]
    places = len(book.text(a.interest[0]).strip().partition(".")[2])
    return half_up(lo, places) <= shown <= half_up(hi, places)


def _interval(a: Accruing, days: int, half: Decimal) -> Callable[[Getter], tuple[Decimal, Decimal]]:
    """The interest the balance and the rate as printed allow (the rate is rounded)."""

    def bounds(g: Getter) -> tuple[Decimal, Decimal]:
        lo = g(a.balance) * (g(a.rate) - half) / HUNDRED * days / 360
        hi = g(a.balance) * (g(a.rate) + half) / HUNDRED * days / 360
        return lo, hi

    return bounds


def actual_days(book: Book, items: list[Accruing]) -> int | None:
    """The accrual period's actual days: the count most classes imply, other than 30; 30 when
    every class implies 30 (30/360 and Actual/360 over 30 days are then the same); None when
    no class accrues."""
    implied: Counter[int] = Counter()
    fitting: Counter[int] = Counter()
    thirty = False
    for a in items:
        est = _implied(book, a)
        if est is None:
            continue
        if abs(est - THIRTY) > NEAR and PERIOD[0] <= est <= PERIOD[1]:
            days = int(est.to_integral_value())
            implied[days] += 1
            fitting[days] += _fits(book, a, days)
        else:
            thirty = True
    if not implied:
        return THIRTY if thirty else None
    # most classes whose interest fits the count exactly, then most that imply it (a
    # misprinted rate implies a count no other class has, and fits none)
    return sorted(implied, key=lambda d: (-fitting[d], -implied[d], d))[0]


def convention(days: int, actual: int | None) -> str:
    if days == THIRTY:
        return "30/360" if actual != THIRTY else "30/360 or Actual/360 (30 days)"
    return f"Actual/360 ({days} days)"


def accrual(book: Book, inf: Inferred, items: list[Accruing]) -> None:
    """Check each class's current interest at its day count, and report the day counts."""
    usable = [a for a in items if book.has(a.balance, a.rate, a.interest[0])]
    usable = [a for a in usable if book.printed[a.balance] > 0 and book.printed[a.rate] >= 0]
    actual = actual_days(book, usable)
    if inf.days is None:
        inf.days = actual
    fitted = {a.name: d for a in usable if (d := _fitting(book, a, actual)) is not None}
    for a in usable:
        days = fitted.get(a.name) or _like(book, a, usable, fitted) or _days_for(book, a, actual)
        if book.printed[a.rate] > 0:
            inf.day_counts[a.name] = convention(days, actual)
        for target in a.interest:
            book.check(
                target,
                f"current interest = balance x rate x {days} / 360 (class {a.name})",
                _compute(a, days),
                _interval(a, days, _half(book, a)),
                category="interest",
            )


def _fitting(book: Book, a: Accruing, actual: int | None) -> int | None:
    """The day count the class's interest fits exactly (30 first), if one does."""
    if book.printed[a.rate] == 0:
        return None
    return next((d for d in (THIRTY, actual) if d is not None and _fits(book, a, d)), None)


def _like(book: Book, a: Accruing, items: list[Accruing], fitted: dict[str, int]) -> int | None:
    """A class that fits no day count accrues like the classes printed at the same rate
    (one misprinted figure of its own does not change its convention)."""
    if book.printed[a.rate] == 0:
        return None
    same = {
        fitted[b.name]
        for b in items
        if b.name in fitted and book.printed[b.rate] == book.printed[a.rate]
    }
    return same.pop() if len(same) == 1 else None


def _days_for(book: Book, a: Accruing, actual: int | None) -> int:
    candidates = [d for d in (THIRTY, actual) if d is not None]
    if book.printed[a.rate] == 0:
        return actual or THIRTY
    for d in candidates:
        if _fits(book, a, d):
            return d
    est = _implied(book, a) or Decimal(THIRTY)
    return min(candidates, key=lambda d: abs(est - d))


def _compute(a: Accruing, days: int) -> Compute:
    def compute(g: Getter) -> Lazy:
        bal, rate = g(a.balance), g(a.rate)
        v = bal * rate / HUNDRED * days / 360
        return v, lambda: f"{money(bal)} x {rate}% x {days} / 360 = {v:,.6f}"

    return compute
