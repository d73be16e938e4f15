"""Statement model and renderers (EDGAR text, JSON).

The names are imported on first use: reading a statement (``remit verify``) needs the model
and the reader, not the builders and the close behind them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from remit.statement.build import build_statement
    from remit.statement.model import Cell, Row, Section, Statement, Trace

__all__ = ["Cell", "Row", "Section", "Statement", "Trace", "build_statement"]


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module 'remit.statement' has no attribute {name!r}")
    import importlib

    home = "remit.statement.build" if name == "build_statement" else "remit.statement.model"
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
