"""Faults a deal spec can have that would pay the wrong class, each made in a spec's data
(as tomllib reads it). A fault returns the field path its message must name, or None where
the spec has nothing to fault that way. The roles of the classes are read here from the
data, independently of remit's own code."""

from __future__ import annotations

import copy
import tomllib
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
BASES = {
    "thornburg": ROOT / "examples" / "thornburg-2003-2" / "deal.toml",
    "prime": ROOT / "examples" / "prime-senior-sub" / "deal.toml",
    "aames": ROOT / "examples" / "aames-1998-c" / "deal.toml",
    "mini": ROOT / "tests" / "fixtures" / "mini" / "deal.toml",
    "mini-si": ROOT / "tests" / "fixtures" / "mini-si" / "deal.toml",
}
UNKNOWN = "ZZ-9"


def base(name: str) -> dict[str, Any]:
    return tomllib.loads(BASES[name].read_text(), parse_float=Decimal)


Data = dict[str, Any]
Draw = st.DrawFn
Fault = Callable[[Data, Draw], str | None]


# -- the classes' roles, from the data ----------------------------------------------------------


def classes(d: Data) -> dict[str, Data]:
    return {c["name"]: c for c in d["classes"]}


def certificate(c: Data) -> bool:
    """A class with a certificate balance, paid principal."""
    return (
        c.get("balance_is", "certificate") == "certificate"
        and "retire" not in c
        and Decimal(c["original_balance"]) > 0
    )


def bearing(c: Data) -> bool:
    """A class with a coupon, paid interest."""
    return c["coupon"]["kind"] != "none" and "retire" not in c


def capped(c: Data) -> bool:
    return bearing(c) and c["coupon"].get("cap") == "net_wac"


def names(d: Data, keep: Callable[[Data], bool]) -> list[str]:
    return [n for n, c in classes(d).items() if keep(c)]


def shifting(d: Data) -> bool:
    return "shifting_interest" in d


# -- changing a list of names: a duplicate, an omission, an ineligible or unknown class ---------


def change(names_list: list[str], how: str, outsiders: list[str], draw: Draw) -> bool:
    """Fault ``names_list`` in place; False where it cannot be faulted that way."""
    if how == "duplicate" and names_list:
        names_list.insert(draw(st.integers(0, len(names_list))), draw(st.sampled_from(names_list)))
    elif how == "omit" and names_list:
        del names_list[draw(st.integers(0, len(names_list) - 1))]
    elif how == "ineligible" and outsiders:
        names_list.insert(draw(st.integers(0, len(names_list))), draw(st.sampled_from(outsiders)))
    elif how == "unknown":
        names_list.insert(draw(st.integers(0, len(names_list))), UNKNOWN)
    else:
        return False
    return True


HOW = st.sampled_from(["duplicate", "omit", "ineligible", "unknown"])


# -- the overcollateralization family ----------------------------------------------------------


def oc_order(d: Data, draw: Draw) -> str | None:
    """principal.sequential, the write-down or the write-up order."""
    if shifting(d):
        return None
    path = draw(
        st.sampled_from(
            ["principal.sequential", "losses.writedown_order", "losses.recoveries_writeup_order"]
        )
    )
    table, key = path.split(".")
    ok = change(d[table][key], draw(HOW), names(d, lambda c: not certificate(c)), draw)
    return path if ok else None


def interest_order(d: Data, draw: Draw) -> str | None:
    if shifting(d):
        return None
    groups: list[list[str]] = d["interest"]["order"]
    how = draw(HOW)
    if how == "omit":
        flat = [(g, j) for g, grp in enumerate(groups) for j in range(len(grp))]
        g, j = draw(st.sampled_from(flat))
        del groups[g][j]
        return "interest.order"
    g = draw(st.integers(0, len(groups)))
    if g == len(groups):
        groups.append([])
    pool = [n for grp in groups for n in grp] if how == "duplicate" else []
    if how == "duplicate":
        groups[g].insert(draw(st.integers(0, len(groups[g]))), draw(st.sampled_from(pool)))
        return "interest.order"
    ok = change(groups[g], how, names(d, lambda c: not bearing(c)), draw)
    return "interest.order" if ok else None


#: Which classes each excess step pays: every one of them, once across the steps of its kind.
EXCESS_ELIGIBLE: dict[str, Callable[[Data], bool]] = {
    "unpaid_interest": bearing,
    "unpaid_realized_loss": lambda c: certificate(c) and c["type"] == "SUB",
    "basis_risk_carryforward": capped,
}


def excess_classes(d: Data, draw: Draw) -> str | None:
    if shifting(d):
        return None
    steps = [s for s in d["excess_cash"] if s["step"] in EXCESS_ELIGIBLE]
    if not steps:
        return None
    step = draw(st.sampled_from(steps))
    eligible = EXCESS_ELIGIBLE[step["step"]]
    listed = step.setdefault("classes", [])
    how = draw(HOW)
    if how == "omit":
        required = [j for j, n in enumerate(listed) if eligible(classes(d)[n])]
        if not required:
            return None
        del listed[draw(st.sampled_from(required))]
        return "excess_cash"
    # a senior certificate may be listed for its unpaid realized loss, or not
    optional = certificate if step["step"] == "unpaid_realized_loss" else eligible
    outsiders = names(d, lambda c: not optional(c))
    return "excess_cash" if change(listed, how, outsiders, draw) else None


def excess_structure(d: Data, draw: Draw) -> str | None:
    """The extra principal not first, the remainder not last or twice or to another class."""
    if shifting(d):
        return None
    steps: list[Data] = d["excess_cash"]
    kinds = [s["step"] for s in steps]
    how = draw(st.sampled_from(["extra_late", "remainder_first", "two_remainders", "remainder_to"]))
    if how == "extra_late" and kinds[0] == "extra_principal" and len(steps) > 2:
        steps.insert(draw(st.integers(1, len(steps) - 2)), steps.pop(0))
    elif how == "remainder_first":
        steps.insert(0, steps.pop())
    elif how == "two_remainders":
        steps.insert(draw(st.integers(0, len(steps))), copy.deepcopy(steps[-1]))
    elif how == "remainder_to":
        steps[-1]["classes"] = [draw(st.sampled_from(names(d, certificate)))]
    else:
        return None
    return "excess_cash"


def after_stepdown(d: Data, draw: Draw) -> str | None:
    if shifting(d):
        return None
    targets: list[Data] = d["principal"]["after_stepdown"]
    how = draw(st.sampled_from(["duplicate", "omit", "swap", "ineligible", "falling", "empty"]))
    if how == "duplicate" and targets:
        targets.append(copy.deepcopy(draw(st.sampled_from(targets))))
    elif how == "omit" and targets:
        del targets[draw(st.integers(0, len(targets) - 1))]
    elif how == "swap" and len(targets) >= 2:
        j = draw(st.integers(0, len(targets) - 2))
        targets[j]["name"], targets[j + 1]["name"] = targets[j + 1]["name"], targets[j]["name"]
    elif how == "ineligible":
        oc = d["overcollateralization"]["oc_class"]
        targets.append({"name": oc, "target_pct": Decimal("1")})
    elif how == "falling" and len(targets) >= 2:
        j = draw(st.integers(1, len(targets) - 1))
        targets[j]["target_pct"] = targets[j - 1]["target_pct"] - Decimal("0.0001")
    elif how == "empty" and targets:
        targets.clear()
    else:
        return None
    return "principal.after_stepdown"


def loss_schedule(d: Data, draw: Draw) -> str | None:
    if shifting(d):
        return None
    schedule: list[Data] = d["overcollateralization"]["loss_trigger"]["schedule"]
    first = schedule[0]
    back = draw(st.integers(0, 400))
    schedule.append({"from_date": first["from_date"] - timedelta(days=back), "pct": first["pct"]})
    return "overcollateralization.loss_trigger.schedule"


def oc_class(d: Data, draw: Draw) -> str | None:
    if shifting(d):
        return None
    d["overcollateralization"]["oc_class"] = draw(
        st.sampled_from([*names(d, certificate), UNKNOWN])
    )
    return "overcollateralization.oc_class"


# -- the shifting-interest family ---------------------------------------------------------------


def senior(c: Data) -> bool:
    return (c["type"] in ("SEN", "IO") or "notional" in c) and "retire" not in c


def subordinate(c: Data) -> bool:
    return c["type"] == "SUB" and "notional" not in c and "retire" not in c


def seniors(d: Data, draw: Draw) -> str | None:
    if not shifting(d):
        return None
    groups: list[Data] = d["shifting_interest"]["groups"]
    g = draw(st.integers(0, len(groups) - 1))
    how = draw(HOW)
    if how == "duplicate":
        everyone = [n for grp in groups for n in grp["seniors"]]
        groups[g]["seniors"].append(draw(st.sampled_from(everyone)))
        return "shifting_interest.groups"
    ok = change(groups[g]["seniors"], how, names(d, lambda c: not senior(c)), draw)
    return "shifting_interest.groups" if ok else None


def subordinates(d: Data, draw: Draw) -> str | None:
    if not shifting(d):
        return None
    subs = d["shifting_interest"]["subordinates"]
    ok = change(subs, draw(HOW), names(d, lambda c: not subordinate(c)), draw)
    return "shifting_interest.subordinates" if ok else None


def residual(d: Data, draw: Draw) -> str | None:
    if not shifting(d):
        return None
    d["shifting_interest"]["residual"] = draw(
        st.sampled_from([*names(d, lambda c: c["type"] != "RES"), UNKNOWN])
    )
    return "shifting_interest.residual"


def schedules(d: Data, draw: Draw) -> str | None:
    """Two steps of a schedule out of date order, or on the same date."""
    if not shifting(d):
        return None
    si = d["shifting_interest"]
    paths = ["senior_prepayment_share", "stepdown_loss_limits"]
    cov = si.get("coverage", {})
    paths += [f"coverage.{k}.reductions" for k in cov if "reductions" in cov[k]]
    path = draw(st.sampled_from(paths))
    table: Any = si
    for part in path.split("."):
        table = table[part]
    steps: list[Data] = table
    if len(steps) < 2:
        return None
    j = draw(st.integers(0, len(steps) - 2))
    if draw(st.booleans()):
        steps[j]["from_date"], steps[j + 1]["from_date"] = (
            steps[j + 1]["from_date"],
            steps[j]["from_date"],
        )
    else:
        steps[j + 1]["from_date"] = steps[j]["from_date"]
    return f"shifting_interest.{path}"


# -- every family --------------------------------------------------------------------------------


def references(d: Data, draw: Draw) -> str | None:
    """A fee, index or class a rule names that does not exist, or a fee netted twice."""
    how = draw(st.sampled_from(["net_of", "net_of_twice", "index", "payee", "insufficient"]))
    if how == "net_of":
        d["net_wac_cap"]["net_of"].append("no_such_fee")
        return "net_wac_cap.net_of"
    if how == "net_of_twice":
        net_of = d["net_wac_cap"]["net_of"]
        net_of.append(draw(st.sampled_from(net_of)))
        return "net_wac_cap.net_of"
    if how == "index":
        floating = [i for i, c in enumerate(d["classes"]) if "index" in c["coupon"]]
        if not floating:
            return None
        i = draw(st.sampled_from(floating))
        d["classes"][i]["coupon"]["index"] = "no_such_index"
        return f"classes[{i}].coupon.index"
    if how == "payee":
        d["prepayment_penalties"]["payee"] = UNKNOWN
        return "prepayment_penalties.payee"
    d["statement"]["insufficient_funds_class"] = UNKNOWN
    return "statement.insufficient_funds_class"


def twins(d: Data, draw: Draw) -> str | None:
    """Two classes, fees or indices of one name."""
    what = draw(st.sampled_from(["classes", "fees", "indices"]))
    items: list[Data] = d.get(what, [])
    if len(items) < 2:
        return None
    i, j = sorted(
        draw(st.lists(st.integers(0, len(items) - 1), min_size=2, max_size=2, unique=True))
    )
    items[j] = copy.deepcopy(items[j]) | {"name": items[i]["name"]}
    return f"{what}[{j}].name"


#: The faults of each family's specs (those of every family in both).
FAULTS: dict[str, dict[str, Fault]] = {
    "oc": {
        "oc order": oc_order,
        "interest order": interest_order,
        "excess classes": excess_classes,
        "excess structure": excess_structure,
        "after stepdown": after_stepdown,
        "loss schedule": loss_schedule,
        "oc class": oc_class,
        "references": references,
        "twins": twins,
    },
    "shifting": {
        "seniors": seniors,
        "subordinates": subordinates,
        "residual": residual,
        "schedules": schedules,
        "references": references,
        "twins": twins,
    },
}


def family(d: Data) -> str:
    return "shifting" if shifting(d) else "oc"
