"""Statement model and renderers (EDGAR text, JSON).

Importing the package registers the renderers the model's ``to_edgar``/``to_json`` look up, so
the model never imports them."""

from remit.statement.build import build_statement
from remit.statement.edgar import render
from remit.statement.jsonfmt import render_json
from remit.statement.model import RENDERERS, Cell, Row, Section, Statement, Trace

RENDERERS.update(edgar=render, json=render_json)

__all__ = ["Cell", "Row", "Section", "Statement", "Trace", "build_statement"]
