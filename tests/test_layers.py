"""The layers of the front ends, the use cases, the store and the audit, read from the
imports of the source (those inside functions too): the store is persistence only, the audit
and the store do not import each other, and the command line, the use cases, the store, the
audit and the notebook API import one another in one direction only."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"


def imports() -> dict[str, set[str]]:
    """Every module of ``remit`` and the ``remit`` modules it imports."""
    out: dict[str, set[str]] = {}
    for f in (SRC / "remit").rglob("*.py"):
        name = ".".join(f.relative_to(SRC).with_suffix("").parts).removesuffix(".__init__")
        found: set[str] = set()
        for n in ast.walk(ast.parse(f.read_text("utf-8"))):
            if isinstance(n, ast.ImportFrom) and n.module and n.level == 0:
                found.update(f"{n.module}.{a.name}" for a in n.names)
                found.add(n.module)
            elif isinstance(n, ast.Import):
                found.update(a.name for a in n.names)
        out[name] = {m for m in found if m.startswith("remit")}
    return out


def unit(module: str) -> str:
    """The unit a module belongs to: ``remit.cli``, ``remit.store``, ``remit.workflows``..."""
    parts = module.split(".")
    return ".".join(parts[:2])


def within(module: str, *units: str) -> bool:
    return any(module == u or module.startswith(u + ".") for u in units)


def test_the_store_is_persistence_only() -> None:
    allowed = ("remit.store", "remit.records", "remit.errors", "remit.money", "remit.close")
    for mod, deps in imports().items():
        if within(mod, "remit.store"):
            wrong = {d for d in deps if not within(d, *allowed) and d != "remit"}
            assert not wrong, (mod, wrong)
            assert not {d for d in deps if within(d, "remit.close.close")}, mod


def test_the_audit_does_not_import_the_store_or_the_use_cases() -> None:
    for mod, deps in imports().items():
        if within(mod, "remit.audit"):
            wrong = {d for d in deps if within(d, "remit.store", "remit.workflows", "remit.cli")}
            assert not wrong, (mod, wrong)


def test_no_cycle_among_the_front_end_the_use_cases_the_store_and_the_audit() -> None:
    units = ("remit.cli", "remit.workflows", "remit.store", "remit.audit", "remit.api")
    edges: dict[str, set[str]] = {u: set() for u in units}
    for mod, deps in imports().items():
        if within(mod, *units):
            edges[unit(mod)].update(unit(d) for d in deps if within(d, *units))
    for u in units:
        edges[u].discard(u)
    order = ["remit.cli", "remit.workflows", "remit.store", "remit.audit", "remit.api"]
    for u, targets in edges.items():
        for t in targets:
            assert order.index(t) > order.index(u), f"{u} imports {t}"


def test_cli_words_stay_in_the_command_line() -> None:
    remit = SRC / "remit"
    for f in [
        remit / "api.py",
        *(remit / "workflows").rglob("*.py"),
        *(remit / "store").rglob("*.py"),
    ]:
        text = f.read_text("utf-8")
        for word in ("(command line)", "--restate", "--reason", "--db", "store-close", "--date"):
            assert word not in text, (f, word)
