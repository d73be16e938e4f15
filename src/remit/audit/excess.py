"""The overcollateralization's excess cash as a CTSLink statement prints it.

The Net Monthly Excess Cashflow is the interest left after the certificates' current and
unpaid interest, plus the overcollateralization reduction (release). It pays the extra
principal, then in the deal's order unpaid interest, unpaid realized losses and basis-risk
carryforward, and the rest goes to the OC class (as principal up to the release, the rest as
excess interest). The layout prints unpaid interest in its own column, but has no column for
unpaid realized losses or basis-risk carryforward paid from the excess cash: they are part of
a class's "Interest Distribution" beyond its own interest. So:

* a class's **own interest** is accrued + unpaid paid - current shortfall - non-supported
  shortfall - interest realized losses; what it is paid beyond that (``paid from the excess
  cash``) is inferred from the printed figures, and accepted only where the statement's own
  figures show it: every such amount at least zero, and the OC class paid the excess cash less
  exactly their sum;
* the interest remittance is net interest less the shortfalls the classes bear and the advances
  reimbursed from it; the unpaid interest paid from the excess cash (rather than from the
  interest remittance) is not printed apart: it is somewhere between none and all of the
  unpaid interest paid, so those identities are checked within that interval (exact when no
  unpaid interest is paid, as on most dates)."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from remit.audit.arith import Lazy, signed_sum
from remit.audit.book import Book, Getter, money
from remit.audit.infer import Inferred, K
from remit.statement.reader import Key

Z = Decimal(0)
DS, IDT, ID2, COL = (
    "distribution_summary",
    "interest_distribution",
    "interest_distribution_2",
    "collateral",
)
OWN_SIGNS = [1, 1, -1, -1, -1]
Interval = Callable[[Getter], tuple[Decimal, Decimal]]


def own_parts(c: str) -> list[Key]:
    """The figures of a class's own interest: accrued + unpaid paid - current shortfall -
    non-supported shortfall - realized losses (signs :data:`OWN_SIGNS`)."""
    return [
        K(IDT, c, "accrued_interest"),
        K(IDT, c, "unpaid_interest_paid"),
        K(IDT, c, "current_shortfall"),
        K(ID2, c, "non_supported_shortfall"),
        K(ID2, c, "realized_losses"),
    ]


def certificates(inf: Inferred) -> list[str]:
    """The classes paid from the waterfall other than the OC class (residuals included: they
    print zeros)."""
    return [c for c in inf.classes if c != inf.oc_class]


def infer_excess(book: Book, inf: Inferred) -> None:
    """What the excess cash paid, from the printed figures: whether the excess cash line is
    what is left after the extra principal (the deal's reading, shown when the line is the
    cashflow less the extra principal), and what each certificate class is paid beyond its own
    interest (unpaid realized losses and basis-risk carryforward). The latter is accepted only
    where the figures show it: each amount at least zero, one above, and the OC class paid
    the excess cash less exactly their sum."""
    if inf.oc_class is None:
        return
    t = OCTerms(inf, {})
    g = book.printed.__getitem__
    funds = interest_funds(book, inf)
    own = [k for c in t.certs for k in own_parts(c)]
    if funds is not None and book.has(*own, t.excess, t.extra, t.reduction):
        lo, hi = t.nmec_interval(funds)(g)
        x, e = g(t.excess), g(t.extra)
        inf.excess_after_extra = e != 0 and lo <= x + e <= hi and not lo <= x <= hi
    paid: dict[str, Decimal] = {}
    for c in t.certs:
        parts = own_parts(c)
        if not book.has(K(DS, c, "interest_distribution"), *parts):
            return
        beyond = g(K(DS, c, "interest_distribution")) - signed_sum(g, parts, OWN_SIGNS)[0]
        if beyond < 0:
            return
        if beyond > 0:
            paid[c] = beyond
    t = OCTerms(inf, paid)
    if paid and book.has(*t.oc_keys()):
        lo, hi = t.oc_interest_interval()(g)
        if lo <= g(K(DS, t.oc, "interest_distribution")) <= hi:
            inf.paid_from_excess = paid


class OCTerms:
    """The OC identities' figures for one statement, with what the classes were paid from
    the excess cash (``paid``: inferred, constants for the checks)."""

    def __init__(self, inf: Inferred, paid: dict[str, Decimal]) -> None:
        assert inf.oc_class is not None
        self.oc = inf.oc_class
        self.certs = certificates(inf)
        self.paid = paid
        self.after = inf.excess_after_extra
        self.confirmed = inf.unpaid_interest_paid
        self.extra = K(COL, "extra_principal")
        self.reduction = K(COL, "oc_reduction")
        self.excess = K(COL, "excess_cash")
        self.penalties = K(COL, "prepayment_penalties")

    @property
    def paid_total(self) -> Decimal:
        return sum(self.paid.values(), Z)

    def unpaid_keys(self) -> list[Key]:
        """The unpaid interest paid that the excess cash may have paid: the classes' whose
        interest distribution confirms the payment (a figure alone does not widen the
        identities)."""
        return [K(IDT, c, "unpaid_interest_paid") for c in self.certs if c in self.confirmed]

    def oc_keys(self) -> list[Key]:
        return [
            self.excess,
            self.extra,
            self.reduction,
            self.penalties,
            *own_parts(self.oc),
            *self.unpaid_keys(),
        ]

    def after_extra(self, g: Getter) -> Decimal:
        """The excess cash left after the extra principal."""
        return g(self.excess) if self.after else g(self.excess) - g(self.extra)

    def unpaid(self, g: Getter) -> Decimal:
        """The unpaid interest paid to the certificates: an upper bound on the part of it the
        excess cash paid."""
        return sum((g(k) for k in self.unpaid_keys()), Z)

    def nmec_interval(self, funds: list[Key]) -> Interval:
        """The net monthly excess cashflow from the interest side: the interest remittance
        less the certificates' own interest, plus the OC reduction, plus the unpaid interest
        paid from it (between none and all of the unpaid interest paid)."""

        def interval(g: Getter) -> tuple[Decimal, Decimal]:
            f = max(g(funds[0]) - sum((g(k) for k in funds[1:]), Z), Z)
            own = sum((signed_sum(g, own_parts(c), OWN_SIGNS)[0] for c in self.certs), Z)
            v = f - own + g(self.reduction)
            return v, v + self.unpaid(g)

        return interval

    def oc_interest_interval(self) -> Interval:
        """The OC class's interest: what is left of the excess cash after the extra
        principal, the unpaid interest, unpaid realized losses and carryforward paid from it,
        less the release (paid to it as principal), plus the prepayment penalties and its own
        interest."""

        def interval(g: Getter) -> tuple[Decimal, Decimal]:
            base = self._oc_base(g)
            left = self.after_extra(g) - self.paid_total
            release = g(self.reduction)
            hi = max(left - release, Z)
            lo = max(left - self.unpaid(g) - release, Z)
            return base + lo, base + hi

        return interval

    def _oc_base(self, g: Getter) -> Decimal:
        own = signed_sum(g, own_parts(self.oc), OWN_SIGNS)[0]
        return own + g(self.penalties)


def _clamp(v: Decimal, lo: Decimal, hi: Decimal) -> Decimal:
    return min(max(v, lo), hi)


def interest_funds(book: Book, inf: Inferred) -> list[Key] | None:
    """The figures of the interest remittance: net interest less the shortfalls the classes
    bear and the advances reimbursed (signs: +, -, ..., -); None when one is not printed."""
    keys = [
        K("collateral_2", "net_interest"),
        *(K(ID2, c, "non_supported_shortfall") for c in inf.classes),
        K("certificate_account", "withdrawal_advance_reimbursement"),
    ]
    return keys if book.has(*keys) else None


def check(book: Book, inf: Inferred) -> None:
    """The excess cash line (from the interest side) and the OC class's interest (from the
    excess cash)."""
    if inf.oc_class is None:
        return
    t = OCTerms(inf, inf.paid_from_excess)
    funds = interest_funds(book, inf)
    cert = [K(DS, c, "interest_distribution") for c in t.certs]
    if funds is not None and book.has(*cert, t.extra, t.reduction, *t.unpaid_keys()):
        _check_excess_cash(book, t, funds, cert)
    if book.has(*t.oc_keys()):
        _check_oc_class(book, t)


def _check_excess_cash(book: Book, t: OCTerms, funds: list[Key], cert: list[Key]) -> None:
    def bounds(g: Getter) -> tuple[Decimal, Decimal, Decimal]:
        """The cashflow's least and greatest value, and the interest remittance."""
        f = max(g(funds[0]) - sum((g(k) for k in funds[1:]), Z), Z)
        paid = sum((g(k) for k in cert), Z)
        v = f - paid + t.paid_total + g(t.reduction) - (g(t.extra) if t.after else Z)
        return v, v + t.unpaid(g), f

    def compute(g: Getter) -> Lazy:
        lo, hi, f = bounds(g)
        shown = _clamp(g(t.excess), lo, hi)

        def text() -> str:
            cut = [k for k in funds[1:] if g(k)]
            keys = [funds[0], *cut, *cert, t.reduction]
            signs = [1] + [-1] * (len(cut) + len(cert)) + [1]
            out = signed_sum(g, keys, signs)[1]().rpartition(" = ")[0]
            if f == 0:
                out = f"max({money(g(funds[0]))} - {money(g(funds[0]) - f)}, 0) = 0.00; {out}"
            if t.paid:
                out += f" + paid from the excess cash {money(t.paid_total)}"
            if t.after:
                out += f" - extra principal {money(g(t.extra))}"
            if hi != lo:
                out += f" + unpaid interest paid from it (0 to {money(hi - lo)})"
            return out + f" = {money(shown)}"

        return shown, text

    book.check(
        t.excess,
        "excess cash = interest remittance - certificate interest + OC reduction "
        "(net monthly excess cashflow)" + (" - extra principal" if t.after else ""),
        compute,
        lambda g: bounds(g)[:2],
        category="overcollateralization",
    )


def _check_oc_class(book: Book, t: OCTerms) -> None:
    interval = t.oc_interest_interval()
    target = K(DS, t.oc, "interest_distribution")

    def compute(g: Getter) -> Lazy:
        lo, hi = interval(g)
        shown = _clamp(g(target), lo, hi)

        def text() -> str:
            out = f"excess cash after the extra principal {money(t.after_extra(g))}"
            if t.paid:
                out += f" - paid from it to the certificates {money(t.paid_total)}"
            if hi != lo:
                out += f" - unpaid interest paid from it (0 to {money(t.unpaid(g))})"
            out += (
                f" - OC reduction {money(g(t.reduction))} (not below 0)"
                f" + prepayment penalties {money(g(t.penalties))}"
                f" + its own interest {money(t._oc_base(g) - g(t.penalties))}"
            )
            return out + f" = {money(shown)}"

        return shown, text

    book.check(
        target,
        f"class {t.oc} = excess cash (after the extra principal, the unpaid interest, unpaid "
        "realized losses and carryforward paid from it, less the OC reduction) + prepayment "
        "penalties + its own interest",
        compute,
        interval,
        category="overcollateralization",
    )
