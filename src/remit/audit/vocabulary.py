"""A statement's main figures named in remit's vocabulary, whatever its layout: each
certificate class's CUSIP, rate, balances, interest, principal, losses and distribution, and
the collateral's balances and loan counts, found where the layout family's description says
they are printed (``vocabulary.certificates``, ``vocabulary.collateral``)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from remit.statement.families import Family
from remit.statement.reader import Key, ReadResult


def _plain(v: object) -> Any:
    return str(v) if isinstance(v, Decimal) else v


def _key(path: str, row: str | None) -> Key:
    """A vocabulary path as a cell key: 'section/column' in a class's row, or
    'section/row' ('value' column) and 'section/row/column' for a figure of its own."""
    parts = path.split("/")
    if row is not None and len(parts) == 2:
        return (parts[0], row, parts[1])
    return (parts[0], parts[1], parts[2] if len(parts) > 2 else "value")


def in_remit_terms(res: ReadResult, fam: Family) -> dict[str, Any]:
    """{'certificates': {class: {role: value}}, 'collateral': {role: value}}: the values as
    printed, typed (money and rates as decimal strings, counts as integers)."""
    certs: dict[str, str] = fam.vocabulary.get("certificates", {})
    out: dict[str, dict[str, Any]] = {}
    if "beginning_balance" in certs:
        sec = certs["beginning_balance"].split("/")[0]
        rows = sorted(
            {r for (s, r, _c) in res.cells if s == sec and r != "Totals"},
            key=lambda r: res.lines.get(_key(certs["beginning_balance"], r), 0),
        )
        for row in rows:
            figures = {
                role: _plain(res.value(_key(path, row)))
                for role, path in certs.items()
                if _key(path, row) in res.cells
            }
            out[row] = figures
    coll: dict[str, str] = fam.vocabulary.get("collateral", {})
    pool = {
        role: _plain(res.value(_key(path, None)))
        for role, path in coll.items()
        if _key(path, None) in res.cells
    }
    return {"certificates": out, "collateral": pool}
