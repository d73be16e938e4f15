"""Statement model and renderers (EDGAR text, JSON).

Importing the package registers the renderers the model's ``to_edgar``/``to_json`` look up, so
the model never imports them. The builder is imported on first use: reading a statement
(``remit verify``) needs the model and the reader, not the builders and the close behind
them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from remit.statement.edgar import render
from remit.statement.jsonfmt import render_json
from remit.statement.model import RENDERERS, Cell, Row, Section, Statement, Trace
from remit.statement.printed import notebook_html

if TYPE_CHECKING:
    from remit.statement.build import build_statement

RENDERERS.update(edgar=render, json=render_json, notebook=notebook_html)

__all__ = ["Cell", "Row", "Section", "Statement", "Trace", "build_statement"]


def __getattr__(name: str) -> Any:
    if name != "build_statement":
        raise AttributeError(f"module 'remit.statement' has no attribute {name!r}")
    from remit.statement.build import build_statement

    globals()[name] = build_statement
    return build_statement
