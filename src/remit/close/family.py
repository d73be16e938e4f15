"""What a structure family supplies to the one close pipeline (:func:`remit.close.close`).

A family is a strategy: given the deal, the prior state and the remittance it works out its
waterfall's inputs, runs its waterfall, and says what its part of the next state is. The
pipeline does everything the families share: the remittance checks, the fees, the ledger,
conservation, the common state and the result. The registry (:mod:`remit.close.registry`)
maps each spec type's family name to its strategy."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Generic, Protocol, TypeVar

from remit.close.result import Accrual, Figure
from remit.close.state import DealState, FamilyState
from remit.remittance import Remittance
from remit.rules.ops import Exact
from remit.spec.models import DealSpec
from remit.waterfall.flows import WaterfallOut

S = TypeVar("S", bound=DealSpec, contravariant=True)
W = TypeVar("W")


@dataclass(frozen=True)
class Inputs(Generic[W]):
    """A family's inputs for one date: the exact waterfall input, each class's accrual, the
    figures it computed on the way (with their formulas), the family's memory to carry, and
    whether a trigger event is in effect (or, for shifting interest, the step-down
    conditions fail)."""

    waterfall: W
    accruals: dict[str, Accrual]
    figures: dict[str, Figure]
    trigger_in_effect: bool
    carry: Any = None


class Family(Protocol[S]):
    """A structure family: its name (the spec's ``family``, the statement layout's key and
    the prefix of its figures) and its three steps."""

    name: str

    def initial(self, spec: S) -> FamilyState:
        """The family's part of the state at closing."""
        ...

    def inputs(
        self, spec: S, prior: DealState, rem: Remittance, fees: dict[str, Figure], source: str
    ) -> Inputs[Any]:
        """Everything the waterfall needs on the date; raises a located RemitError."""
        ...

    def run(self, spec: S, w: Any, ops: Exact) -> WaterfallOut[Decimal]:
        """The family's waterfall on exact amounts."""
        ...

    def next_state(
        self,
        spec: S,
        prior: DealState,
        rem: Remittance,
        inputs: Inputs[Any],
        wf: WaterfallOut[Decimal],
    ) -> tuple[FamilyState, dict[str, Figure]]:
        """The family's part of the next state, and the figures its waterfall produced."""
        ...
