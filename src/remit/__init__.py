"""remit: exact, auditable administration of mortgage pass-through certificate trusts.

The public API for notebooks and scripts::

    import remit
    deal = remit.load_deal("examples/thornburg-2003-2")
    result = deal.close("2003-04-25")
    print(result.statement.to_edgar())
    result.statement.table("distribution_summary")   # a pandas DataFrame
"""

from remit.api import Deal, close_date, load_deal
from remit.errors import Problem, RemitError

__all__ = ["Deal", "Problem", "RemitError", "close_date", "load_deal"]
__version__ = "0.1.0"
