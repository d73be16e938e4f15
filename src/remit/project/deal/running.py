"""The projected state, in either mode: what a closed period's state holds (each class's
balance and carryforwards, the pool, cumulative losses, the family's memory), as Decimals
(one exact path) or float arrays (one element per scenario), and the family steps the
projection runs each month.

:func:`start` reads a :class:`~remit.close.state.DealState` into it; :func:`roll_classes`
rolls the classes forward from the waterfall's closing positions as the close does
(:func:`remit.close.close.next_state`): balances and carryforwards to the cent, the date's
write-downs added to the cumulative realized losses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Generic, Protocol

import numpy as np

from remit.close.state import DealState
from remit.project.deal.months import Month
from remit.remittance import Remittance
from remit.rules.ops import Amount, Flag, Ops, Vector
from remit.spec.models import DealSpec
from remit.waterfall.flows import WaterfallOut


@dataclass(frozen=True)
class ClassRun(Generic[Amount]):
    """A class's position after a date."""

    balance: Amount
    unpaid_interest: Amount
    basis_risk_carryforward: Amount
    unpaid_realized_loss: Amount
    cumulative_realized_loss: Amount


@dataclass(frozen=True)
class Running(Generic[Amount, Flag]):
    """The deal after a date, per scenario. ``memory``: the family's part (its own type)."""

    pool: Amount
    cumulative_loss: Amount
    classes: dict[str, ClassRun[Amount]]
    memory: Any


@dataclass(frozen=True)
class Step(Generic[Amount, Flag]):
    """One projected date worked out: the family's period, the waterfall input and tests
    ``prepare`` returned, and the waterfall's output."""

    period: Any
    w: Any
    tests: Any
    out: WaterfallOut[Amount]


class FamilySteps(Protocol):
    """What a structure family adds to the projection: its memory from a closed state, its
    period from a month's collections and the running state, ``prepare`` and the waterfall
    (the close's own code), its memory after the date, and its figures for the outputs."""

    def memory(self, spec: Any, state: DealState, ops: Ops[Any, Any]) -> Any: ...

    def step(
        self,
        spec: Any,
        when: date,
        prior_date: date | None,
        run: Running[Any, Any],
        month: Month[Any],
        fees: dict[str, Any],
        days: dict[str, int],
        ops: Ops[Any, Any],
    ) -> Step[Any, Any]: ...

    def roll(
        self, spec: Any, run: Running[Any, Any], month: Month[Any], s: Step[Any, Any], ops: Any
    ) -> Any: ...

    def figures(self, spec: Any, s: Step[Any, Any], ops: Ops[Any, Any]) -> dict[str, Any]: ...

    def sixty_plus(self, spec: Any, rem: Remittance) -> Decimal:
        """A remittance's 60+ day delinquent balance, as the family's tests count it."""
        ...


def start(
    spec: DealSpec, state: DealState, memory: Any, ops: Ops[Amount, Flag]
) -> Running[Amount, Flag]:
    """The running state of a closed state, every scenario alike."""
    classes = {}
    for c in spec.classes:
        st = state.classes[c.name]
        classes[c.name] = ClassRun(
            ops.const(st.balance),
            ops.const(st.unpaid_interest),
            ops.const(st.basis_risk_carryforward),
            ops.const(st.unpaid_realized_loss),
            ops.const(st.cumulative_realized_loss),
        )
    return Running(
        pool=ops.const(state.pool_balance),
        cumulative_loss=ops.const(state.cumulative_loss),
        classes=classes,
        memory=memory,
    )


def on_the_cent(values: list[Amount], ops: Ops[Amount, Flag]) -> list[Amount]:
    """Each value to the cent (in vector mode all at once)."""
    if isinstance(ops, Vector) and values:
        stacked = ops.cents(np.stack(values))
        return list(stacked)
    return [ops.cents(v) for v in values]


def roll(
    run: Running[Amount, Flag],
    out: WaterfallOut[Amount],
    pool: Amount,
    cumulative_loss: Amount,
    memory: Any,
    ops: Ops[Amount, Flag],
) -> Running[Amount, Flag]:
    """The state after the date, as the close keeps it: each class's position from the
    waterfall's (its write-downs added to its cumulative realized losses), the pool and the
    cumulative losses, every amount to the cent."""
    names = list(run.classes)
    flat: list[Amount] = [pool, cumulative_loss]
    for n in names:
        o = out.classes[n]
        flat += [o.balance, o.unpaid_interest, o.basis_risk_carryforward, o.unpaid_realized_loss]
        flat.append(run.classes[n].cumulative_realized_loss + o.writedown)
    r = on_the_cent(flat, ops)
    return Running(
        pool=r[0],
        cumulative_loss=r[1],
        classes={n: ClassRun(*r[2 + 5 * i : 7 + 5 * i]) for i, n in enumerate(names)},
        memory=memory,
    )
