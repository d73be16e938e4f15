"""One distribution date, exact: funds -> waterfall -> ledger -> state."""

from remit.close.close import PeriodResult, close
from remit.close.state import ClassState, DealState, initial_state

__all__ = ["ClassState", "DealState", "PeriodResult", "close", "initial_state"]
