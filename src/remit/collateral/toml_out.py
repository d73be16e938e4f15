"""remittance_to_toml(rem) -> str: a remittance in the layout of the example deal's
``remittances/YYYY-MM-DD.toml`` (loaded back by :func:`remit.remittance.load_remittance`)."""

from __future__ import annotations

from decimal import Decimal

from remit.remittance import Remittance


def _v(value: object) -> str:
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(value)


def _key(name: str) -> str:
    """A TOML key: bare when it can be, else quoted."""
    if name and all(ch.isascii() and (ch.isalnum() or ch in "_-") for ch in name):
        return name
    return _v(name)


def _table(lines: list[str], header: str, values: dict[str, object]) -> None:
    lines.append("")
    lines.append(f"[{header}]")
    for k, v in values.items():
        if v is not None:
            lines.append(f"{k} = {_v(v)}")


def remittance_to_toml(rem: Remittance) -> str:
    """The remittance as TOML: top-level keys, then [interest], [principal], [advances],
    [fees], [index], [collateral], [collateral.product_balances], [[delinquency]], then one
    [groups.NAME] per loan group (senior/subordinate deals)."""
    lines = [
        f"# Servicer remittance for the {rem.distribution_date.isoformat()} distribution, "
        "computed from the loan tape (remit collect).",
        f"deal = {_v(rem.deal)}",
        f"distribution_date = {rem.distribution_date.isoformat()}",
    ]
    if rem.beginning_balance is not None:
        lines.append(f"beginning_balance = {_v(rem.beginning_balance)}")
    if rem.beginning_count is not None:
        lines.append(f"beginning_count = {rem.beginning_count}")
    lines.append(f"prepayment_penalties = {_v(rem.prepayment_penalties)}")
    _table(lines, "interest", dict(rem.interest))
    _table(lines, "principal", dict(rem.principal))
    _table(lines, "advances", dict(rem.advances))
    _table(lines, "fees", dict(rem.fees))
    _table(lines, "index", dict(rem.index))
    coll = {k: v for k, v in dict(rem.collateral).items() if k != "product_balances"}
    _table(lines, "collateral", coll)
    _table(lines, "collateral.product_balances", dict(rem.collateral.product_balances))
    for c in rem.delinquency:
        lines.append("")
        lines.append("[[delinquency]]")
        lines.append(f"status = {_v(c.status)}")
        lines.append(f"bucket = {_v(c.bucket)}")
        lines.append(f"count = {c.count}")
        lines.append(f"balance = {_v(c.balance)}")
    for name, g in rem.groups.items():
        _table(lines, f"groups.{_key(name)}", dict(g))
    return "\n".join(lines) + "\n"
