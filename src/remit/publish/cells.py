"""How each cell of a statement is shown outside the EDGAR text: moved to
:mod:`remit.statement.printed` (``remit explain`` and the notebook print figures the same way);
the names stay importable from here."""

from remit.statement.printed import (
    LayoutInfo,
    Table,
    cell_format,
    kind_of,
    layout_info,
    plain,
    row_label,
    show,
    tables,
)

__all__ = [
    "LayoutInfo",
    "Table",
    "cell_format",
    "kind_of",
    "layout_info",
    "plain",
    "row_label",
    "show",
    "tables",
]
