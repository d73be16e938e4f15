"""Identities of a statement that prints one class table per REMIC level, as its layout
family's vocabulary names them (``levels``: each level's amounts and factor tables, lowest tier
first; ``groups``; ``pool``).

Every level's classes: total = interest + principal; each rolls forward (ending = beginning
- principal - realized losses + deferred interest: an accreting class's balance grows by the
interest it defers); current interest at the class's own day count; factors per unit of
original face at the precision printed; column totals. A level that prints the classes'
accrued interest and carry-forward separately: accrued = the current interest, carry-forward
= prior + accrued - paid.

The lowest level holds the collateral: its classes split each loan group's pool, so the
group's prior and current balances, interest and principal are the sums of its classes';
each class's rate is the group's net mortgage rate ((scheduled interest - servicing fee) x 12
/ prior pool balance), which says which group a class belongs to. The levels tie to each
other through the layout's ``sums`` (:mod:`remit.audit.groups`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from remit.audit.arith import HUNDRED, TWELVE, Lazy, factor_of, parts_tolerance, signed_sum, total
from remit.audit.arith import factor_tolerance as factor_rounding
from remit.audit.book import Book, Compute, Getter, money
from remit.audit.daycount import Accruing, accrual
from remit.audit.infer import Inferred, K
from remit.statement.families import Family
from remit.statement.reader import Key, ReadResult

Z = Decimal(0)
FACTOR_COLUMNS = (
    "beginning_balance",
    "interest_distribution",
    "principal_distribution",
    "total_distribution",
    "ending_balance",
)
TIES = (
    ("beginning_balance", "prior pool balance", "beginning_balance"),
    ("ending_balance", "current pool balance", "ending_balance"),
    ("total_interest", "total interest", "interest_distribution"),
    ("total_principal", "total principal", "principal_distribution"),
)


def key(path: str, column: str = "value") -> Key:
    """A vocabulary path ('section/row' or 'section/row/column') as a cell key."""
    sec, row, *col = path.split("/")
    return (sec, row, col[0] if col else column)


def level_classes(res: ReadResult, section: str) -> list[str]:
    """The classes of a level's table, in the order printed."""
    rows = {r: res.lines.get((s, r, c), 0) for (s, r, c) in res.cells if s == section}
    return sorted((r for r in rows if r != "Totals"), key=lambda r: rows[r])


def infer_levels(res: ReadResult, book: Book, fam: Family) -> Inferred:
    """The classes of each level, the accreting classes, the residual classes (no face, no
    balance) and whether this is the first distribution."""
    inf = Inferred()
    for lv in fam.vocabulary.get("levels", []):
        classes = level_classes(res, lv["amounts"])
        inf.levels[lv["name"]] = classes
        inf.classes.extend(c for c in classes if c not in inf.classes)
        amt = lv["amounts"]
        for c in classes:
            if book.printed.get(K(amt, c, "deferred_interest"), Z) != 0:
                inf.accreting.append(c)
            if book.printed.get(K(amt, c, "original_face")) == 0 and not book.printed.get(
                K(amt, c, "beginning_balance")
            ):
                inf.residual.append(c)
    first = [lv["amounts"] for lv in fam.vocabulary.get("levels", [])[:1]]
    inf.first_period = bool(first) and all(
        book.printed.get(K(first[0], c, "original_face"))
        == book.printed.get(K(first[0], c, "beginning_balance"))
        for c in inf.levels.get(fam.vocabulary["levels"][0]["name"], [])
    )
    return inf


def run_levels(book: Book, inf: Inferred, fam: Family) -> None:
    """Every level's class identities, then the lowest level against the loan groups."""
    levels: list[dict[str, Any]] = fam.vocabulary.get("levels", [])
    items = []
    for lv in levels:
        amt, fac, acc = lv["amounts"], lv["factors"], lv.get("accrued")
        for c in inf.levels.get(lv["name"], []):
            accrued = (
                (K(acc, c, "current"),) if acc and K(acc, c, "current") in book.printed else ()
            )
            items.append(
                Accruing(
                    c,
                    K(amt, c, "beginning_balance"),
                    K(fac, c, "rate"),
                    (K(amt, c, "interest_distribution"), *accrued),
                )
            )
    accrual(book, inf, items)
    for lv in levels:
        classes = inf.levels.get(lv["name"], [])
        for c in classes:
            _class_rows(book, lv, c)
        _column_totals(book, lv, classes)
        _carry_forward(book, lv, classes)
    if levels:
        _lowest_level(book, inf, fam, levels[0])


def _class_rows(book: Book, lv: dict[str, Any], c: str) -> None:
    amt, fac = lv["amounts"], lv["factors"]
    name = lv["name"]
    book.check(
        K(amt, c, "total_distribution"),
        f"row total: {name} class {c} total = interest + principal",
        total([K(amt, c, "interest_distribution"), K(amt, c, "principal_distribution")]),
        category="total",
    )
    parts = [
        K(amt, c, "beginning_balance"),
        K(amt, c, "principal_distribution"),
        K(amt, c, "current_realized_loss"),
        K(amt, c, "deferred_interest"),
    ]
    if book.has(*parts):
        accreting = book.printed[parts[3]] != 0
        book.check(
            K(amt, c, "ending_balance"),
            f"{name} accreting class {c}: ending = beginning + deferred interest - principal "
            "- realized losses"
            if accreting
            else f"{name} class roll-forward: ending = beginning - principal - realized losses "
            "+ deferred interest",
            total(parts, [1, -1, -1, 1]),
            category="roll-forward",
        )
    face = K(amt, c, "original_face")
    per = Decimal(lv.get("factor_per", 1000))
    for col in FACTOR_COLUMNS:
        target = K(fac, c, col)
        if target in book.printed and book.has(K(amt, c, col), face):
            book.check(
                target,
                f"{name} factor = amount / original face x {per:,}",
                factor_of(K(amt, c, col), face, per),
                category="factor",
                rounding=factor_rounding(book, target, face, per),
            )


def _column_totals(book: Book, lv: dict[str, Any], classes: list[str]) -> None:
    amt = lv["amounts"]
    cols = sorted({c for (s, r, c) in book.printed if s == amt and r == "Totals"})
    for col in cols:
        keys = [K(amt, c, col) for c in classes if K(amt, c, col) in book.printed]
        book.check(
            K(amt, "Totals", col),
            f"column total: {lv['name']} {col.replace('_', ' ')}",
            total(keys),
            category="total",
            rounding=parts_tolerance(keys),
        )


def _carry_forward(book: Book, lv: dict[str, Any], classes: list[str]) -> None:
    acc, cf, amt = lv.get("accrued"), lv.get("carry_forward"), lv["amounts"]
    if not acc or not cf:
        return
    for c in classes:
        parts = [K(cf, c, "prior"), K(acc, c, "current"), K(amt, c, "interest_distribution")]
        if book.has(*parts):
            book.check(
                K(cf, c, "current"),
                f"class {c} interest carry-forward: current = prior + accrued - paid",
                total(parts, [1, 1, -1]),
                category="interest",
            )


def _net_rate(pool: dict[str, str], g: str) -> Compute:
    """A group's net mortgage rate: (scheduled interest - servicing fee) x 12 / prior balance."""
    si, fee = key(pool["scheduled_interest"], g), key(pool["servicing_fee"], g)
    beg = key(pool["beginning_balance"], g)

    def compute(get: Getter) -> Lazy:
        s, f, b = get(si), get(fee), get(beg)
        v = (s - f) * TWELVE / b * HUNDRED
        return v, lambda: f"({money(s)} - {money(f)}) x 12 / {money(b)} = {v:.8f}%"

    return compute


def _membership(book: Book, inf: Inferred, fam: Family, lv: dict[str, Any]) -> None:
    """Which group each of the lowest level's classes belongs to: the group whose net
    mortgage rate its rate is nearest."""
    pool, groups = fam.vocabulary["pool"], fam.vocabulary.get("groups", [])
    net: dict[str, Decimal] = {}
    for g in groups:
        try:
            net[g] = _net_rate(pool, g)(book.printed.__getitem__)[0]
        except (KeyError, ArithmeticError):
            return
    for c in inf.levels.get(lv["name"], []):
        rate = book.printed.get(K(lv["factors"], c, "rate"))
        if rate is None or c in inf.residual or not net:
            continue
        # the group whose net rate one of the class's rates matches most closely
        _, g = min((abs(net[x] - r), x) for r in _rates(book, lv, c) for x in net)
        inf.groups.setdefault(g, []).append(c)


def _rates(book: Book, lv: dict[str, Any], c: str) -> list[Decimal]:
    """A class's rate as printed and as its interest implies it (interest x 12 / beginning
    balance, a month of 30/360): two readings of its group's net mortgage rate, so that one
    misprinted figure does not move the class to another group."""
    p = book.printed
    out = [p[K(lv["factors"], c, "rate")]]
    interest = p.get(K(lv["amounts"], c, "interest_distribution"))
    beginning = p.get(K(lv["amounts"], c, "beginning_balance"))
    if interest is not None and beginning:
        out.append(interest * TWELVE / beginning * HUNDRED)
    return out


def _lowest_level(book: Book, inf: Inferred, fam: Family, lv: dict[str, Any]) -> None:
    _membership(book, inf, fam, lv)
    pool = fam.vocabulary["pool"]
    amt, fac, name = lv["amounts"], lv["factors"], lv["name"]
    for g, classes in inf.groups.items():
        for c in classes:
            book.check(
                K(fac, c, "rate"),
                f"{name} class rate = group {g}'s net mortgage rate: (scheduled interest "
                "- servicing fee) x 12 / prior pool balance",
                _net_rate(pool, g),
                category="rate",
            )
        book.same(
            [K(fac, c, "next_rate") for c in classes],
            f"{name} classes of group {g}: one next rate",
            {},
        )
        for pool_row, what, col in TIES:
            parts = [K(amt, c, col) for c in classes]
            if pool_row in pool and book.has(*parts):
                book.check(
                    key(pool[pool_row], g),
                    f"{name} classes of group {g} split it: its {what} = the sum of theirs",
                    total(parts),
                    category="REMIC tie",
                    rounding=parts_tolerance(parts),
                )
        _group_rates(book, fam, lv, g, classes)
    _group_factors(book, inf, fam, lv)


def _group_rates(book: Book, fam: Family, lv: dict[str, Any], g: str, classes: list[str]) -> None:
    """The weighted average mortgage rate: scheduled interest x 12 / prior balance; the next
    one: the classes' next rate + the servicing fee rate."""
    pool = fam.vocabulary["pool"]
    si, fee = key(pool["scheduled_interest"], g), key(pool["servicing_fee"], g)
    beg = key(pool["beginning_balance"], g)

    def wac(get: Getter) -> Lazy:
        s, b = get(si), get(beg)
        v = s * TWELVE / b * HUNDRED
        return v, lambda: f"{money(s)} x 12 / {money(b)} = {v:.8f}%"

    book.check(
        key(pool["wac"], g),
        f"group {g} weighted average mortgage rate = scheduled interest x 12 / prior balance",
        wac,
        category="rate",
    )
    nxt = K(lv["factors"], classes[0], "next_rate") if classes else None
    if nxt is None or nxt not in book.printed:
        return
    half = Decimal(5).scaleb(-len(book.text(nxt).strip().rstrip("%").partition(".")[2]) - 1)

    def next_wac(get: Getter) -> Lazy:
        r, f, b = get(nxt), get(fee), get(beg)
        v = r + f * TWELVE / b * HUNDRED
        return v, lambda: f"{r}% + {money(f)} x 12 / {money(b)} = {v:.8f}%"

    def bounds(get: Getter) -> tuple[Decimal, Decimal]:
        v = next_wac(get)[0]
        return v - half, v + half

    book.check(
        key(pool["next_wac"], g),
        f"group {g} next weighted average mortgage rate = the {lv['name']} classes' next rate "
        "+ the servicing fee rate (fee x 12 / prior balance)",
        next_wac,
        bounds,
        category="rate",
    )


def _group_factors(book: Book, inf: Inferred, fam: Family, lv: dict[str, Any]) -> None:
    """A group's factor: its pool balance over its original balance (the sum of the original
    faces of its classes in the lowest level); the total's over the level's total face."""
    pool = fam.vocabulary["pool"]
    if "factor" not in pool:
        return
    amt = lv["amounts"]
    faces = {g: [K(amt, c, "original_face") for c in cs] for g, cs in inf.groups.items()}
    total_col = fam.vocabulary.get("group_total")
    if total_col:
        faces[total_col] = [K(amt, "Totals", "original_face")]
    for g, keys in faces.items():
        end = key(pool["ending_balance"], g)
        if not book.has(end, *keys):
            continue

        def compute(get: Getter, end: Key = end, keys: list[Key] = keys) -> Lazy:
            face, text = signed_sum(get, keys)
            e = get(end)
            v = e / face * HUNDRED
            return v, lambda: f"{money(e)} / ({text()}) = {v:.8f}%"

        book.check(
            key(pool["factor"], g),
            f"group {g} factor = its pool balance / its original balance",
            compute,
            category="collateral",
        )
