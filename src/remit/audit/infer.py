"""What a statement does not print but its arithmetic needs, inferred from the printed
figures: the classes, the OC class (named by the "Beginning Class ... Notional Amount"
line), the residual classes (zero-rate classes other than the OC class, paid from a deposit
made at closing), whether this is the first distribution, and the denominations (from the
footnotes, or else from each class's beginning-balance factor)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from remit.audit.book import Book
from remit.statement.reader import Key, ReadResult

Z = Decimal(0)
NICE_DENOMINATIONS = tuple(
    Decimal(d) for d in (1, 10, 50, 100, 1000, 5000, 10000, 25000, 50000, 100000, 1000000, 10000000)
)


#: the largest original face of a residual class (residual certificates are nominal)
RESIDUAL_FACE = Decimal(1000)

DENOM_RE = re.compile(r"Class(?:es)?\s+(.+?)\s+are\s+per\s+\$\s*([\d,]+(?:\.\d+)?)", re.I)


@dataclass
class Inferred:
    """What the arithmetic needs and the statement does not print, as inferred."""

    classes: list[str] = field(default_factory=list)
    oc_class: str | None = None
    residual: list[str] = field(default_factory=list)
    # a senior/subordinate deal's residual takes what is left in the certificate account
    # (an overcollateralization deal's residuals are paid from a deposit, outside it)
    senior_sub: bool = False
    denominations: dict[str, Decimal] = field(default_factory=dict)
    denominations_from: str = ""
    days: int | None = None
    first_period: bool = False
    #: each accruing class's day count: "30/360" or "Actual/360 (N days)"
    day_counts: dict[str, str] = field(default_factory=dict)
    #: the classes of each REMIC level (layouts that print one table per level)
    levels: dict[str, list[str]] = field(default_factory=dict)
    #: the lowest level's classes by loan group (inferred from their rates)
    groups: dict[str, list[str]] = field(default_factory=dict)
    #: classes whose balance grows by deferred interest
    accreting: list[str] = field(default_factory=list)
    #: the excess cash line is what is left after the extra principal (the deal's reading)
    excess_after_extra: bool = False
    #: what each class is paid from the excess cash beyond its own interest (unpaid realized
    #: losses, basis-risk carryforward: columns the layout does not print)
    paid_from_excess: dict[str, Decimal] = field(default_factory=dict)
    #: the classes paid interest owed from an earlier date (their interest distribution
    #: confirms the payment)
    unpaid_interest_paid: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        return {
            "classes": self.classes,
            "levels": self.levels,
            "groups": self.groups,
            "accreting_classes": self.accreting,
            "day_counts": self.day_counts,
            "oc_class": self.oc_class,
            "residual_classes": self.residual,
            "denominations": {k: str(v) for k, v in self.denominations.items()},
            "denominations_from": self.denominations_from,
            "accrual_days": self.days,
            "first_distribution": self.first_period,
            "excess_cash_line": "after the extra principal"
            if self.excess_after_extra
            else "net monthly excess cashflow",
            "paid_from_excess_cash": {k: str(v) for k, v in self.paid_from_excess.items()},
        }

    def lines(self) -> list[str]:
        out = []
        if self.oc_class:
            out.append(f"OC class {self.oc_class} (its balance is the overcollateralization)")
        if self.residual:
            how = "no face value, no balance" if self.levels else "paid outside the pool"
            out.append(f"residual classes {', '.join(self.residual)} ({how})")
        if self.day_counts:
            by: dict[str, list[str]] = {}
            for c, convention in self.day_counts.items():
                by.setdefault(convention, []).append(c)
            found = "; ".join(f"{k}: {', '.join(v)}" for k, v in by.items())
            out.append(f"day counts found: {found} (from each class's interest)")
        for name, classes in self.levels.items():
            out.append(f"{name}: classes {', '.join(classes)}")
        for group, classes in self.groups.items():
            out.append(f"group {group}: {', '.join(classes)} (their rate is its net mortgage rate)")
        if self.accreting:
            out.append(f"accreting (deferred interest): {', '.join(self.accreting)}")
        if self.excess_after_extra:
            out.append("the excess cash line is what is left after the extra principal")
        if self.paid_from_excess:
            paid = ", ".join(f"{k} {v:,.2f}" for k, v in self.paid_from_excess.items())
            out.append(
                f"paid from the excess cash beyond their own interest: {paid} (unpaid realized "
                "losses or basis-risk carryforward, which this layout prints in no column)"
            )
        if self.denominations:
            ds = ", ".join(f"{k} ${v:,}" for k, v in self.denominations.items())
            out.append(f"denominations {ds} ({self.denominations_from})")
        return out


def K(section: str, row: str, column: str = "value") -> Key:
    """A cell's key; single-value rows have the column ``value``."""
    return (section, row, column)


def infer(res: ReadResult, book: Book) -> Inferred:
    """The classes, the OC class, the residual classes, whether this is the first
    distribution and the denominations, from the printed figures."""
    inf = Inferred()
    inf.classes = [
        row
        for (sec, row, col) in res.cells
        if sec == "distribution_summary" and col == "beginning_balance" and row != "Totals"
    ]
    label = res.labels.get(K("collateral_b", "beginning_notional"), "")
    m = re.search(r"class\s+(\S+)\s+notional", label, re.I)
    if m and m.group(1) in inf.classes and res.layout != "ctslink_senior_sub":
        inf.oc_class = m.group(1)  # a senior/subordinate deal's notional class is an IO
    inf.residual = [c for c in inf.classes if c != inf.oc_class and _residual(book, c)]
    inf.senior_sub = res.layout == "ctslink_senior_sub"
    inf.first_period = _first_period(book, inf)
    _denominations(res, book, inf)
    return inf


def _residual(book: Book, c: str) -> bool:
    """A residual class: a nominal face (a certificate of $50 or $100; not a class whose
    rate is zero because its balance or its group is gone) and no rate, or nothing to accrue
    on but that face (not an interest-only class on a notional); with no face printed, no
    rate."""
    face = book.printed.get(K("principal_distribution", c, "original_face"))
    rate = book.printed.get(K("distribution_summary", c, "rate"))
    if face is None:
        return rate == Z
    notional = max(
        (
            v
            for col in ("beginning_notional", "beginning_balance")
            if (v := book.printed.get(K("interest_distribution", c, col))) is not None
        ),
        default=face,
    )
    return face <= RESIDUAL_FACE and (rate == Z or notional <= RESIDUAL_FACE)


def _first_period(book: Book, inf: Inferred) -> bool:
    """The first distribution: every class begins at its original face, and no class is
    paid interest owed from an earlier date. (A date after one that paid no principal and
    left no unpaid interest paid now cannot be told from the first by its figures.)"""
    faces = all(
        book.printed.get(K("principal_distribution", c, "original_face"))
        == book.printed.get(K("principal_distribution", c, "beginning_balance"))
        for c in inf.classes
    )
    inf.unpaid_interest_paid = [c for c in inf.classes if _paid_unpaid_interest(book, c)]
    return faces and not inf.unpaid_interest_paid


def _paid_unpaid_interest(book: Book, c: str) -> bool:
    """Was class ``c`` paid interest owed from an earlier date? Only when its interest
    distribution confirms it (accrued + unpaid paid - shortfalls): one printed figure alone
    is not evidence."""
    idt, id2 = "interest_distribution", "interest_distribution_2"
    keys = [
        K("distribution_summary", c, "interest_distribution"),
        K(idt, c, "accrued_interest"),
        K(idt, c, "unpaid_interest_paid"),
        K(idt, c, "current_shortfall"),
        K(id2, c, "non_supported_shortfall"),
        K(id2, c, "realized_losses"),
    ]
    if not book.has(*keys):
        return False
    paid, accrued, unpaid, short, nss, loss = (book.printed[k] for k in keys)
    return unpaid != 0 and paid == accrued + unpaid - short - nss - loss


def _denominations(res: ReadResult, book: Book, inf: Inferred) -> None:
    for note in res.footnotes:
        for m in DENOM_RE.finditer(note):
            amount = Decimal(m.group(2).replace(",", ""))
            for name in re.split(r"\s*,\s*|\s+and\s+", m.group(1)):
                if name in inf.classes:
                    inf.denominations[name] = amount
    if inf.denominations:
        inf.denominations_from = "footnotes"
    missing = [c for c in inf.classes if c not in inf.denominations]
    for c in missing:
        face = book.printed.get(K("principal_distribution", c, "original_face"))
        big = book.printed.get(K("principal_distribution", c, "beginning_balance"))
        factor = book.printed.get(K("principal_factors", c, "beginning_balance"))
        if not face or not big or factor is None:
            continue
        est = factor * face / big
        inf.denominations[c] = min(NICE_DENOMINATIONS, key=lambda d: abs(d - est))
        if "factor tables" not in inf.denominations_from:
            inf.denominations_from = ", ".join(
                x for x in (inf.denominations_from, "factor tables") if x
            )
