"""One distribution date, exact: check -> the family's inputs -> the family's waterfall ->
ledger -> conservation -> next state (:func:`close`)."""

from remit.close.close import close, expected_date, initial_state
from remit.close.result import ClassPeriod, Figure, PeriodResult
from remit.close.state import ClassState, DealState, OCState, ShiftingState

__all__ = [
    "ClassPeriod",
    "ClassState",
    "DealState",
    "Figure",
    "OCState",
    "PeriodResult",
    "ShiftingState",
    "close",
    "expected_date",
    "initial_state",
]
