"""Identities over a statement's collateral printed by loan group, as its layout family's
vocabulary names them: the layout's sums (sources of principal and interest, the servicing
fee, the ties between the REMIC levels ...), checked in every group column; each group's pool
rolling forward, in balance and in loans; the group columns adding up to the total column;
delinquency by payments missed (row totals, percentages of the group's pool, the total of the
statuses); the overcollateralization (the groups' OC = pool - certificates, grown by the
extra principal distributions).

Figures are summed as printed: a deduction printed in parentheses is negative."""

from __future__ import annotations

from typing import Any

from remit.audit.arith import parts_tolerance, pct_of, total
from remit.audit.book import Book
from remit.audit.infer import Inferred, K
from remit.audit.levels import key
from remit.statement.families import Family
from remit.statement.reader import Key


def run_groups(book: Book, inf: Inferred, fam: Family) -> None:
    """Every collateral identity, in the order the figures are made."""
    voc = fam.vocabulary
    groups: list[str] = voc.get("groups", [])
    for entry in voc.get("sums", []):
        _sum(book, entry, groups)
    if "pool" in voc:
        _pool(book, voc["pool"], groups)
    _group_totals(book, voc, groups)
    if "delinquency" in voc:
        _delinquency(book, voc["delinquency"], groups)
    if "overcollateralization" in voc and voc.get("levels"):
        _overcollateralization(book, inf, voc, groups)


def _parts(paths: list[str], column: str) -> tuple[list[Key], list[int]]:
    keys, signs = [], []
    for p in paths:
        keys.append(key(p.removeprefix("-"), column))
        signs.append(-1 if p.startswith("-") else 1)
    return keys, signs


def _sum(book: Book, entry: dict[str, Any], groups: list[str]) -> None:
    """target = the signed sum of the parts: once when the target names its column, else in
    every group column."""
    target: str = entry["target"]
    columns = [""] if target.count("/") == 2 else groups
    for col in columns:
        keys, signs = _parts(entry["parts"], col or "value")
        if not book.has(*keys):
            continue
        book.check(
            key(target, col or "value"),
            entry["rule"] + (f" (group {col})" if col else ""),
            total(keys, signs),
            category=entry.get("category", "total"),
            rounding=parts_tolerance(keys),
        )


def _pool(book: Book, pool: dict[str, Any], groups: list[str]) -> None:
    """Each group's pool: ending = prior - principal collected - realized losses (printed
    negative); loans: ending = prior - those that left (paid in full, purchased)."""
    for g in groups:
        lines = [key(p, g) for p in pool.get("principal_lines", [])]
        parts = [key(pool["beginning_balance"], g), *lines]
        signs = [1] + [-1] * len(lines)
        if "realized_losses" in pool:
            parts.append(key(pool["realized_losses"], g))
            signs.append(1)
        if book.has(*parts):
            book.check(
                key(pool["ending_balance"], g),
                f"group {g} pool roll-forward: ending = prior - principal collected "
                "- realized losses",
                total(parts, signs),
                category="roll-forward",
            )
        counts = [key(pool["beginning_count"], g), *(key(p, g) for p in pool["leaving_counts"])]
        if book.has(*counts):
            book.check(
                key(pool["ending_count"], g),
                f"group {g} loan count: ending = prior - paid in full - purchased",
                total(counts, [1] + [-1] * (len(counts) - 1)),
                category="roll-forward",
            )


def _group_totals(book: Book, voc: dict[str, Any], groups: list[str]) -> None:
    """The total column of every additive row = the sum of the group columns."""
    tcol = voc.get("group_total")
    if not tcol:
        return
    skip = set(voc.get("not_additive", []))
    for sec in voc.get("group_sections", []):
        rows = sorted(
            {r for (s, r, c) in book.printed if s == sec and c == tcol},
            key=lambda r: book.res.lines.get(K(sec, r, tcol), 0),
        )
        for row in rows:
            if f"{sec}/{row}" in skip:
                continue
            keys = [K(sec, row, g) for g in groups if K(sec, row, g) in book.printed]
            book.check(
                K(sec, row, tcol),
                f"group total: {sec} {row.replace('_', ' ')} = {' + '.join(groups)}",
                total(keys),
                category="total",
                rounding=parts_tolerance(keys),
            )


def _delinquency(book: Book, dq: dict[str, Any], groups: list[str]) -> None:
    buckets: list[str] = dq["buckets"]
    statuses: list[str] = dq["statuses"]
    den = {"balance": dq["balance_of"], "count": dq["count_of"]}
    for sec in [*statuses, dq["total"]]:
        for g in groups:
            if sec == dq["total"]:
                _statuses_total(book, sec, statuses, g, buckets)
            for kind in ("balance", "count"):
                parts = [K(sec, g, f"{kind}_{b}") for b in buckets]
                book.check(
                    K(sec, g, f"{kind}_total"),
                    f"row total: delinquency {sec} {g} {kind} = the payments-missed buckets",
                    total(parts),
                    category="delinquency",
                )
                for b in [*buckets, "total"]:
                    book.check(
                        K(sec, g, f"{kind}_pct_{b}"),
                        f"delinquency percentage = {kind} / the group's ending "
                        f"{'pool balance' if kind == 'balance' else 'loan count'}",
                        pct_of(K(sec, g, f"{kind}_{b}"), key(den[kind], g)),
                        category="delinquency",
                    )


def _statuses_total(book: Book, sec: str, statuses: list[str], g: str, buckets: list[str]) -> None:
    """The total section: each bucket is the sum of the statuses (delinquent, foreclosure,
    REO, bankruptcy)."""
    for kind in ("balance", "count"):
        for b in [*buckets, "total"]:
            parts = [K(s, g, f"{kind}_{b}") for s in statuses]
            book.check(
                K(sec, g, f"{kind}_{b}"),
                f"column total: delinquency {g} {kind} {b} = the sum of the statuses",
                total(parts),
                category="delinquency",
            )


def _overcollateralization(
    book: Book, inf: Inferred, voc: dict[str, Any], groups: list[str]
) -> None:
    """The groups' OC amounts = the ending pool less the certificates (the highest level's
    classes with a face value); the OC grew by the extra principal distributions, less
    realized losses."""
    oc, pool, tcol = voc["overcollateralization"], voc["pool"], voc.get("group_total")
    top = voc["levels"][-1]
    amt = top["amounts"]
    certs = [
        c for c in inf.levels.get(top["name"], []) if book.printed.get(K(amt, c, "original_face"))
    ]
    if not groups or not tcol or not certs:
        return
    *others, last = groups
    end = [key(pool["ending_balance"], tcol), *(K(amt, c, "ending_balance") for c in certs)]
    other_oc = [key(oc["oc_amount"], g) for g in others]
    book.check(
        key(oc["oc_amount"], last),
        f"overcollateralization: the groups' OC amounts = ending pool balance - the "
        f"{top['name']} certificates ({', '.join(certs)})",
        total([*end, *other_oc], [1] + [-1] * (len(end) - 1 + len(other_oc))),
        category="overcollateralization",
    )
    beg = [key(pool["beginning_balance"], tcol), *(K(amt, c, "beginning_balance") for c in certs)]
    other_extra = [key(oc["extra_principal"], g) for g in others]
    losses = [key(pool["realized_losses"], tcol)] if "realized_losses" in pool else []
    oc_now = [key(oc["oc_amount"], g) for g in groups]
    parts = [*oc_now, *beg, *losses, *other_extra]
    signs = [1] * len(oc_now) + [-1] + [1] * (len(beg) - 1) + [-1] * len(losses)
    signs += [-1] * len(other_extra)
    book.check(
        key(oc["extra_principal"], last),
        "overcollateralization: the OC amounts grew from the prior pool balance less the "
        "certificates by the extra principal distributions (less realized losses)",
        total(parts, signs),
        category="overcollateralization",
    )
