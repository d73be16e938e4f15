"""The identities a statement in the CTSLink layout must satisfy, in the order the trust
computes its figures: the same figure printed in several places first, then the
collateral (roll-forward, notionals, loan counts), the fees and rates, the classes'
interest (one Actual/360 day count shared by the floating classes) and principal, the
overcollateralization and excess cash, the distributions, the totals, the factors, the
certificate account, the delinquency table and the other accounts.

Definitions as this layout uses them (and remit renders them): the Excess Cash Amount is
net interest less the certificates' interest less the extra principal distribution; the
OC class receives it with the prepayment penalties; the OC amount is the ending pool
balance less the non-residual certificates. What the statement does not print is inferred
(:mod:`remit.audit.infer`) and reported with the findings."""

from __future__ import annotations

import re
from decimal import Decimal

from remit.audit import excess
from remit.audit.arith import (
    Lazy,
    annual_rate,
    copy_of,
    cumulative_pct,
    deficiency,
    factor_of,
    factor_tolerance,
    parts_tolerance,
    pct_of,
    ratio_of,
    signed_sum,
    total,
)
from remit.audit.book import Book, Compute, Getter, money
from remit.audit.daycount import Accruing, accrual
from remit.audit.infer import Inferred, K
from remit.statement.fee_lines import COLLATERAL_2_FEES
from remit.statement.reader import Key

SAME_CLASS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "original face",
        "original_face",
        (
            "principal_distribution",
            "principal_factors",
            "interest_distribution",
            "interest_factors",
        ),
    ),
    (
        "beginning balance",
        "beginning_balance",
        ("distribution_summary", "principal_distribution"),
    ),
    (
        "ending balance",
        "ending_balance",
        ("distribution_summary_2", "principal_distribution_2"),
    ),
    (
        "pass-through rate",
        "rate",
        ("distribution_summary", "interest_distribution", "interest_factors"),
    ),
    (
        "current realized loss",
        "current_realized_loss",
        ("distribution_summary_2", "principal_distribution"),
    ),
    ("ending percentage", "ending_percentage", ("principal_distribution_2", "principal_factors_2")),
)
#: the interest tables' "Certificate/Notional Balance" column, by its current and former key


BEGIN = ("beginning_notional", "beginning_balance")


END = ("ending_notional", "ending_balance")


SAME_PAIRS = (
    (
        "interest distribution",
        ("distribution_summary", "interest_distribution"),
        ("interest_distribution_2", "total_interest"),
    ),
    (
        "principal distribution",
        ("distribution_summary", "principal_distribution"),
        ("principal_distribution_2", "total_principal_distribution"),
    ),
)


FEE_KEYWORDS = (
    ("external", "other_fee"),
    ("gross servicing", "servicing_fee"),
    ("master servicing", "master_servicing_fee"),
    ("trustee", "trustee_fee"),
)


ALL_FEES = COLLATERAL_2_FEES


SERVICER_FEES = ("servicing_fee", "other_fee")


DQ_STATUS = ("delinquent", "bankruptcy", "foreclosure", "reo")
#: factor table -> (amount table, columns)


FACTORS = (
    (
        "principal_factors",
        "principal_distribution",
        ("beginning_balance", "scheduled_principal", "unscheduled_principal", "accretion"),
    ),
    ("principal_factors_2", "principal_distribution", ("current_realized_loss",)),
    (
        "principal_factors_2",
        "principal_distribution_2",
        ("total_principal_reduction", "ending_balance", "total_principal_distribution"),
    ),
    (
        "interest_factors",
        "interest_distribution",
        (
            "beginning_notional",
            "beginning_balance",
            "accrued_interest",
            "unpaid_interest_paid",
            "current_shortfall",
        ),
    ),
    (
        "interest_factors_2",
        "interest_distribution_2",
        (
            "non_supported_shortfall",
            "realized_losses",
            "total_interest",
            "remaining_unpaid",
            "ending_notional",
            "ending_balance",
        ),
    ),
)


def column_support(book: Book, inf: Inferred) -> dict[Key, int]:
    """+1 for each column total a cell enters that adds up as printed, -1 for each that
    does not: which of two copies that disagree the tables themselves confirm."""
    support: dict[Key, int] = {}
    cols: dict[tuple[str, str], list[Key]] = {}
    for key in book.printed:
        sec, row, col = key
        if row != "Totals" and row in inf.classes:
            cols.setdefault((sec, col), []).append(key)
    for (sec, col), keys in cols.items():
        total = K(sec, "Totals", col)
        if total not in book.printed:
            continue
        ok = sum(book.printed[k] for k in keys) == book.printed[total]
        for k in [*keys, total]:
            support[k] = support.get(k, 0) + (1 if ok else -1)
    return support


def run(book: Book, inf: Inferred) -> None:
    """Every identity, in the order the figures are made."""
    support = column_support(book, inf)
    excess.infer_excess(book, inf)
    _copies(book, inf, support)
    _collateral(book)
    _fees_and_rates(book)
    _classes(book, inf)
    _overcollateralization(book, inf)
    _distributions(book, inf)
    _totals(book, inf)
    _factors(book, inf)
    _certificate_account(book, inf)
    _delinquency(book)
    _other(book, inf)


def notional(book: Book, section: str, row: str, names: tuple[str, ...]) -> Key:
    """The key the interest tables print a class's certificate/notional balance under."""
    for name in names:
        if K(section, row, name) in book.printed:
            return K(section, row, name)
    return K(section, row, names[0])


def _pool_balances(book: Book, when: str) -> set[Decimal]:
    """The pool's balance printed at the beginning or the end (``when``) of the period."""
    keys = [K("collateral", f"{when}_balance"), K("collateral_b", f"{when}_notional")]
    return {book.printed[k] for k in keys if k in book.printed}


def _copies(book: Book, inf: Inferred, support: dict[Key, int]) -> None:
    for c in inf.classes:
        # the interest tables print the class balance, or for a class that accrues on the
        # pool (an IO notional) the pool balance: a copy of the one or of the other
        for secs, col, names in (
            (("distribution_summary", "principal_distribution"), "beginning_balance", BEGIN),
            (("distribution_summary_2", "principal_distribution_2"), "ending_balance", END),
        ):
            pool = _pool_balances(book, col.partition("_")[0])
            key = notional(
                book, secs[0].replace("distribution_summary", "interest_distribution"), c, names
            )
            if key not in book.printed:
                continue
            own = [K(s, c, col) for s in secs]
            if book.printed[key] in pool and all(book.printed.get(k) not in pool for k in own):
                continue
            book.same(
                [*own, key],
                f"class {c} {col.replace('_', ' ')}, printed in several places",
                support,
            )
    for c in [*inf.classes, "Totals"]:
        for name, column, tables in SAME_CLASS:
            book.same(
                [K(t, c, column) for t in tables], f"class {c} {name}, printed twice", support
            )
        for name, *places in SAME_PAIRS:
            book.same(
                [K(s, c, col) for s, col in places], f"class {c} {name}, printed twice", support
            )
    common = {row for (sec, row, _c) in book.printed if sec == "collateral"}
    for row in sorted(common):
        book.same(
            [K("collateral", row), K("collateral_2", row)],
            f"collateral {row.replace('_', ' ')}, printed twice",
            support,
        )
    book.same(
        [K("collateral", "oc_increase"), K("collateral", "extra_principal")],
        "extra principal distribution (OC increase), printed twice",
        support,
    )
    book.same(
        [
            K("collateral", "prepayment_penalties"),
            K("certificate_account", "deposit_prepayment_penalties"),
        ],
        "prepayment penalties, printed twice",
        support,
    )
    book.same(
        [K("other_information", "periodic_advance"), K("certificate_account", "deposit_advances")],
        "servicer advances, printed twice",
        support,
    )
    supported = [
        k for k in book.printed if k[0] == "servicing_fees" and k[1].lower().startswith("supported")
    ]
    book.same([K("ppis", "supported"), *supported], "supported PPIS, printed twice", support)
    net = [
        k
        for k in book.printed
        if k[0] == "servicing_fees" and k[1].lower().startswith("net servicing")
    ]
    book.same(
        [K("certificate_account", "withdrawal_fees"), *net], "fees paid, printed twice", support
    )
    for k in book.printed:
        if k[0] != "servicing_fees":
            continue
        label = k[1].lower()
        for word, row in FEE_KEYWORDS:
            if word in label:
                book.same([k, K("collateral_2", row)], f"fee {k[1]}, printed twice", support)
                break


def _collateral(book: Book) -> None:
    c = "collateral"
    ca = "certificate_account"
    flows = [
        K(c, "ending_balance"),
        K(c, "scheduled_principal"),
        K(c, "unscheduled_principal"),
        K(c, "realized_loss_amount"),
    ]
    # loans liquidated or repurchased leave the pool too: their balance is the cash the
    # certificate account received for them (liquidations net of the realized-loss line,
    # which is printed negative) plus the realized loss
    removed = [
        K(ca, "deposit_liquidations"),
        K(ca, "deposit_realized_losses"),
        K(ca, "deposit_repurchases"),
    ]
    if book.has(*flows, *removed):
        book.check(
            K(c, "beginning_balance"),
            "pool roll-forward: beginning = ending + scheduled + unscheduled + losses "
            "+ liquidation and repurchase proceeds",
            total([*flows, *removed]),
            category="roll-forward",
        )
    book.check(
        K("collateral_b", "beginning_notional"),
        "OC class notional = beginning pool balance",
        copy_of(K(c, "beginning_balance")),
        category="collateral",
    )
    book.check(
        K("collateral_b", "ending_notional"),
        "OC class notional = ending pool balance",
        copy_of(K(c, "ending_balance")),
        category="collateral",
    )
    keys = [K(c, "beginning_count"), K(c, "payoffs_count")]
    # the counts of loans liquidated or repurchased are not printed: checkable without them
    quiet = all(book.printed.get(k) == 0 for k in (*removed, K(c, "realized_loss_amount")))
    if book.has(*keys) and quiet:
        book.check(
            K(c, "ending_count"),
            "loan count: ending = beginning - paid in full",
            total(keys, [1, -1]),
            category="roll-forward",
        )


def _fees_and_rates(book: Book) -> None:
    c2 = "collateral_2"
    fees = [K(c2, f) for f in ALL_FEES if K(c2, f) in book.printed]
    si = K(c2, "scheduled_interest")
    beg = K("collateral", "beginning_balance")
    if book.has(si, *fees):
        book.check(
            K(c2, "net_interest"),
            "net interest = scheduled interest - fees",
            total([si, *fees], [1] + [-1] * len(fees)),
            category="fees",
        )
    if not book.has(si, beg):
        return
    servicer = [K(c2, f) for f in SERVICER_FEES if K(c2, f) in book.printed]

    def rate(keys: list[Key], signs: list[int]) -> Compute:
        def compute(g: Getter) -> Lazy:
            num, text = signed_sum(g, keys, signs)
            b = g(beg)
            r = annual_rate(num, b)
            return r, lambda: f"({text()}) x 12 / {money(b)} = {r:.8f}%"

        return compute

    book.check(
        K("collateral", "wac"),
        "WAC = scheduled interest x 12 / beginning balance",
        rate([si], [1]),
        category="rate",
    )
    book.check(
        K("collateral", "net_wac"),
        "net coupon = (scheduled interest - servicer fees) x 12 / beginning balance",
        rate([si, *servicer], [1] + [-1] * len(servicer)),
        category="rate",
    )
    book.check(
        K("collateral", "pass_through_rate"),
        "pass-through rate = (scheduled interest - all fees) x 12 / beginning balance",
        rate([si, *fees], [1] + [-1] * len(fees)),
        category="rate",
    )


def _classes(book: Book, inf: Inferred) -> None:
    ds, ds2, pd, pd2 = (
        "distribution_summary",
        "distribution_summary_2",
        "principal_distribution",
        "principal_distribution_2",
    )
    idt, id2 = "interest_distribution", "interest_distribution_2"
    _accrual(book, inf)
    for c in inf.classes:
        if c != inf.oc_class and not (inf.senior_sub and c in inf.residual):
            parts = [
                K(idt, c, "accrued_interest"),
                K(idt, c, "unpaid_interest_paid"),
                K(idt, c, "current_shortfall"),
                K(id2, c, "non_supported_shortfall"),
                K(id2, c, "realized_losses"),
            ]
            if book.has(*parts):
                book.check(
                    K(ds, c, "interest_distribution"),
                    "interest distributed = accrued + unpaid paid - shortfalls",
                    _own_interest(parts, inf.paid_from_excess.get(c)),
                    category="interest",
                )
        sp = [K(pd, c, "scheduled_principal"), K(pd, c, "unscheduled_principal")]
        if book.has(*sp):
            book.check(
                K(ds, c, "principal_distribution"),
                "principal distributed = scheduled + unscheduled",
                total(sp),
                category="principal",
            )
        tr = [
            K(ds, c, "principal_distribution"),
            K(pd, c, "current_realized_loss"),
            K(pd, c, "accretion"),
        ]
        if book.has(*tr):
            book.check(
                K(pd2, c, "total_principal_reduction"),
                "principal reduction = principal + realized loss - accretion",
                total(tr, [1, 1, -1]),
                category="principal",
            )
        if c == inf.oc_class:
            continue
        rf = [K(ds, c, "beginning_balance"), K(pd2, c, "total_principal_reduction")]
        if book.has(*rf):
            book.check(
                K(ds2, c, "ending_balance"),
                "class roll-forward: ending = beginning - principal reduction",
                total(rf, [1, -1]),
                category="roll-forward",
            )
        face = K(pd, c, "original_face")
        if book.has(face, K(pd2, c, "ending_balance")):
            book.check(
                K(pd2, c, "ending_percentage"),
                "ending percentage = ending balance / original face",
                ratio_of(K(pd2, c, "ending_balance"), K(pd, c, "original_face")),
                category="factor",
            )


def _own_interest(parts: list[Key], beyond: Decimal | None) -> Compute:
    """A class's own interest, plus what the excess cash paid it beyond (inferred)."""
    own = total(parts, excess.OWN_SIGNS)
    if beyond is None:
        return own

    def compute(g: Getter) -> Lazy:
        v, text = own(g)
        return v + beyond, lambda: f"{text()} + paid from the excess cash {money(beyond)}"

    return compute


def _distributions(book: Book, inf: Inferred) -> None:
    ds, ds2 = "distribution_summary", "distribution_summary_2"
    idt, id2 = "interest_distribution", "interest_distribution_2"
    if inf.first_period:
        loss = [K("collateral", "realized_loss_amount")]
        book.check(
            K("collateral", "cumulative_realized_loss"),
            "cumulative realized loss = realized loss, on the first distribution",
            total(loss),
            category="loss",
        )
    for c in inf.classes:
        if inf.first_period:
            book.check(
                K(ds2, c, "cumulative_realized_losses"),
                "cumulative realized losses = current realized loss, on the first distribution",
                total([K(ds2, c, "current_realized_loss")]),
                category="loss",
            )
            owed = [K(idt, c, "current_shortfall"), K(idt, c, "unpaid_interest_paid")]
            if book.has(*owed):
                book.check(
                    K(id2, c, "remaining_unpaid"),
                    "remaining unpaid interest = current shortfall - unpaid paid, on the "
                    "first distribution (nothing was owed before)",
                    total(owed, [1, -1]),
                    category="interest",
                )
        else:
            _at_least(
                book,
                K(ds2, c, "cumulative_realized_losses"),
                K(ds2, c, "current_realized_loss"),
                "cumulative realized losses include the current realized loss",
            )
        td = [K(ds, c, "interest_distribution"), K(ds, c, "principal_distribution")]
        if book.has(*td):
            book.check(
                K(ds2, c, "total_distribution"),
                "total distribution = interest + principal",
                total(td),
                category="distribution",
            )


def _at_least(book: Book, target: Key, floor: Key, rule: str) -> None:
    """The target is at least the figure ``floor`` (a total of earlier dates' amounts and
    this one's: the earlier ones are not printed)."""

    def bounds(g: Getter) -> tuple[Decimal, Decimal]:
        return g(floor), max(g(floor), g(target))

    def compute(g: Getter) -> Lazy:
        v = max(g(floor), g(target))
        return v, lambda: f"at least {money(g(floor))}"

    book.check(target, rule, compute, bounds, category="loss")


def _accrual(book: Book, inf: Inferred) -> None:
    """interest = balance x rate x days / 360, at each class's day count."""
    idt = "interest_distribution"
    accrual(
        book,
        inf,
        [
            Accruing(
                c,
                notional(book, idt, c, BEGIN),
                K(idt, c, "rate"),
                (K(idt, c, "accrued_interest"),),
            )
            for c in inf.classes
        ],
    )


def _overcollateralization(book: Book, inf: Inferred) -> None:
    col, ds, ds2 = "collateral", "distribution_summary", "distribution_summary_2"
    oc = inf.oc_class
    others = [c for c in inf.classes if c != oc and c not in inf.residual]
    ends = [K(ds2, c, "ending_balance") for c in others]
    if book.has(K(col, "ending_balance"), *ends):
        book.check(
            K(col, "oc_amount"),
            "OC amount = ending pool balance - certificates",
            total([K(col, "ending_balance"), *ends], [1] + [-1] * len(ends)),
            category="overcollateralization",
        )
    book.check(
        K(col, "oc_deficiency"),
        "OC deficiency = specified OC - OC amount before the extra principal",
        deficiency,
        category="overcollateralization",
    )
    if oc is None:
        return
    book.check(
        K(ds2, oc, "ending_balance"),
        f"class {oc} balance = OC amount",
        copy_of(K(col, "oc_amount")),
        category="overcollateralization",
    )
    rf = [
        K(ds2, oc, "ending_balance"),
        K("principal_distribution_2", oc, "total_principal_reduction"),
    ]
    if book.has(*rf):
        book.check(
            K(ds, oc, "beginning_balance"),
            f"class {oc} roll-forward: beginning = ending + principal reduction",
            total(rf),
            category="overcollateralization",
        )
    if inf.first_period:
        book.check(
            K("principal_distribution", oc, "original_face"),
            f"class {oc} original face = beginning balance on the first distribution",
            copy_of(K(ds, oc, "beginning_balance")),
            category="overcollateralization",
        )
    excess.check(book, inf)
    pd = "principal_distribution"
    book.check(
        K("principal_distribution_2", oc, "ending_percentage"),
        "ending percentage = ending balance / original face",
        ratio_of(K(ds2, oc, "ending_balance"), K(pd, oc, "original_face")),
        category="overcollateralization",
    )


def _totals(book: Book, inf: Inferred) -> None:
    secs: dict[str, set[str]] = {}
    for sec, row, col in book.printed:
        if row == "Totals" and sec not in ("delinquency", "delinquency_pct"):
            secs.setdefault(sec, set()).add(col)
    for sec, cols in secs.items():
        for col in sorted(cols):
            if col == "ending_percentage":
                continue
            keys = [K(sec, c, col) for c in inf.classes if K(sec, c, col) in book.printed]
            book.check(
                K(sec, "Totals", col),
                f"column total: {sec} {col}",
                total(keys),
                category="total",
                rounding=parts_tolerance(keys),
            )
    pd, pd2 = "principal_distribution", "principal_distribution_2"
    book.check(
        K(pd2, "Totals", "ending_percentage"),
        "ending percentage = total ending balance / total original face",
        ratio_of(K(pd2, "Totals", "ending_balance"), K(pd, "Totals", "original_face")),
        category="factor",
    )


def _factors(book: Book, inf: Inferred) -> None:
    pd = "principal_distribution"
    for fsec, msec, cols in FACTORS:
        for c in inf.classes:
            denom = inf.denominations.get(c)
            face = K(pd, c, "original_face")
            if denom is None or face not in book.printed:
                continue
            for col in cols:
                amount = K(msec, c, col)
                if amount not in book.printed:
                    continue
                book.check(
                    K(fsec, c, col),
                    f"factor = amount / original face x {denom:,}",
                    factor_of(amount, face, denom),
                    category="factor",
                    rounding=factor_tolerance(book, K(fsec, c, col), face, denom),
                )


def _certificate_account(book: Book, inf: Inferred) -> None:
    ca, col, c2 = "certificate_account", "collateral", "collateral_2"
    # What the borrowers paid: what was due, less the interest prepaid loans did not pay
    # (the whole shortfall: the servicer's support comes out of its fee), less Relief Act
    # shortfalls (the classes' non-supported shortfalls beyond the non-supported PPIS), less
    # what the servicer advanced (a deposit line of its own).
    dep = [
        K(col, "scheduled_principal"),
        K(col, "unscheduled_principal"),
        K(c2, "scheduled_interest"),
        K("ppis", "total"),
        K("ppis", "non_supported"),
        K("interest_distribution_2", "Totals", "non_supported_shortfall"),
        K(ca, "deposit_advances"),
    ]
    if book.has(*dep):
        book.check(
            K(ca, "deposit_interest_and_principal"),
            "deposit = scheduled interest + principal - prepayment interest shortfall "
            "- Relief Act shortfall - advances",
            total(dep, [1, 1, 1, -1, 1, -1, -1]),
            category="account",
        )
    deposits = [k for k in book.printed if k[0] == ca and k[1].startswith("deposit_")]
    book.check(
        K(ca, "total_deposits"),
        "total deposits = sum of deposits",
        total(deposits),
        category="account",
    )
    wd = [k for k in book.printed if k[0] == ca and k[1].startswith("withdrawal_")]
    grand = K("distribution_summary_2", "Totals", "total_distribution")
    outside = [] if inf.senior_sub else inf.residual
    resid = [K("distribution_summary_2", c, "total_distribution") for c in outside]
    if book.has(grand, *resid):
        book.check(
            K(ca, "withdrawal_distribution"),
            "paid to holders = total distribution - residual classes (paid outside)",
            total([grand, *resid], [1] + [-1] * len(resid)),
            category="account",
        )
    book.check(
        K(ca, "total_withdrawals"),
        "total withdrawals = sum of withdrawals",
        total(wd),
        category="account",
    )
    ends = [K(ca, "beginning_balance"), K(ca, "total_deposits"), K(ca, "total_withdrawals")]
    if book.has(*ends):
        book.check(
            K(ca, "ending_balance"),
            "certificate account: beginning + deposits - withdrawals = ending",
            total(ends, [1, 1, -1]),
            category="account",
        )


def _delinquency(book: Book) -> None:
    dq, pct = "delinquency", "delinquency_pct"
    buckets = sorted(
        {row for (sec, row, _c) in book.printed if sec == dq and row != "Totals"},
        key=lambda r: book.res.lines.get(K(dq, r, "total_count"), 0),
    )
    for row in [*buckets, "Totals"]:
        for kind in ("count", "balance"):
            parts = [
                K(dq, row, f"{s}_{kind}")
                for s in DQ_STATUS
                if K(dq, row, f"{s}_{kind}") in book.printed
            ]
            book.check(
                K(dq, row, f"total_{kind}"),
                f"row total: {row} {kind}",
                total(parts),
                category="delinquency",
            )
    for s in (*DQ_STATUS, "total"):
        for kind in ("count", "balance"):
            col = f"{s}_{kind}"
            keys = [K(dq, r, col) for r in buckets if K(dq, r, col) in book.printed]
            book.check(
                K(dq, "Totals", col),
                f"column total: delinquency {col}",
                total(keys),
                category="delinquency",
            )
    den = {
        "count": K("collateral", "ending_count"),
        "balance": K("collateral", "ending_actual_balance"),
    }
    for row in [*buckets, "Totals"]:
        for s in (*DQ_STATUS, "total"):
            for kind in ("count", "balance"):
                num = K(dq, row, f"{s}_{kind}")
                if not book.has(num, den[kind]):
                    continue
                book.check(
                    K(pct, row, f"{s}_{kind}"),
                    f"delinquency percentage = {kind} / ending "
                    f"{'loan count' if kind == 'count' else 'actual balance'}",
                    pct_of(num, den[kind]),
                    category="delinquency",
                )


def _other(book: Book, inf: Inferred) -> None:
    label = book.res.labels.get(K("other_information", "insufficient_funds"), "")
    m = re.search(r"class\s+(\S+)\s+insufficient", label, re.I)
    if m and m.group(1) in inf.classes:
        book.check(
            K("other_information", "insufficient_funds"),
            f"class {m.group(1)} insufficient funds = its current interest shortfall",
            total([K("interest_distribution", m.group(1), "current_shortfall")]),
            category="interest",
        )
    faces = [
        K("principal_distribution", c, "original_face")
        for c in inf.classes
        if c not in inf.residual
    ]
    cum = K("collateral", "cumulative_realized_loss")
    if book.has(cum, *faces):
        book.check(
            K("collateral_2", "cumulative_loss_pct"),
            "cumulative loss percentage = cumulative realized loss / cut-off balance "
            "(original faces, residual classes aside)",
            cumulative_pct(cum, faces),
            category="loss",
        )
    oa = "other_accounts"
    for row in sorted({r for (s, r, _c) in book.printed if s == oa}):
        keys = [K(oa, row, "beginning_balance"), K(oa, row, "withdrawals"), K(oa, row, "deposits")]
        if book.has(*keys):
            book.check(
                K(oa, row, "ending_balance"),
                "account: beginning - withdrawals + deposits = ending",
                total(keys, [1, -1, 1]),
                category="account",
            )
    ppis = [K("ppis", "total"), K("ppis", "supported")]
    if book.has(*ppis):
        book.check(
            K("ppis", "non_supported"),
            "non-supported PPIS = total - supported",
            total(ppis, [1, -1]),
            category="interest",
        )
    sf = [k for k in book.printed if k[0] == "servicing_fees"]
    net = [k for k in sf if k[1].lower().startswith("net servicing")]
    supported = [k for k in sf if k[1].lower().startswith("supported")]
    fees = [k for k in sf if k not in net and k not in supported]
    if len(net) == 1 and fees:
        book.check(
            net[0],
            "net servicing fee = fees - supported PPIS",
            total([*fees, *supported], [1] * len(fees) + [-1] * len(supported)),
            category="fees",
        )
