"""Statement model and renderers (EDGAR text, JSON)."""

from remit.statement.build import build_statement
from remit.statement.model import Cell, Row, Section, Statement, Trace

__all__ = ["Cell", "Row", "Section", "Statement", "Trace", "build_statement"]
