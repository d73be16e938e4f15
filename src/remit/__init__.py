"""remit: exact, auditable administration of mortgage pass-through certificate trusts.

The public API for notebooks and scripts::

    import remit
    deal = remit.load_deal("examples/thornburg-2003-2")
    result = deal.close("2003-04-25")
    print(result.statement.to_edgar())
    result.statement.table("distribution_summary")   # a pandas DataFrame (float64)
    remit.history("tmst-2003-2", db="sqlite:///remit.db")  # the stored history, a DataFrame

The names are imported on first use, so that ``import remit.<module>`` (the command line's
``remit verify`` above all) does not pay for the close, pydantic and numpy it does not need.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from remit.api import Deal, close_date, load_deal
    from remit.errors import Problem, RemitError

__all__ = ["Deal", "Problem", "RemitError", "close_date", "history", "load_deal"]
__version__ = "0.1.0"

_HOMES = {
    "Deal": "remit.api",
    "close_date": "remit.api",
    "load_deal": "remit.api",
    "Problem": "remit.errors",
    "RemitError": "remit.errors",
    "history": "remit.notebook",
}


def __getattr__(name: str) -> Any:
    """``remit.load_deal`` and the other public names, imported when first asked for."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'remit' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value
