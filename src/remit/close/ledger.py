"""The double-entry ledger of a period: every movement of money, from one account to another,
with the waterfall step that made it and the rule's basis."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal


@dataclass(frozen=True)
class Posting:
    """One movement of ``amount`` from ``source`` to ``target``."""

    index: int
    step: str
    basis: str
    source: str
    target: str
    amount: Decimal
    kind: Literal["cash", "memo"] = "cash"

    def to_dict(self) -> dict[str, object]:
        return {
            "index": self.index,
            "step": self.step,
            "basis": self.basis,
            "source": self.source,
            "target": self.target,
            "amount": str(self.amount),
            "kind": self.kind,
        }


@dataclass(frozen=True)
class Ledger:
    postings: tuple[Posting, ...]

    def balances(self) -> dict[str, Decimal]:
        """Net balance of each account: received minus paid out."""
        out: dict[str, Decimal] = defaultdict(lambda: Decimal("0.00"))
        for p in self.postings:
            out[p.source] -= p.amount
            out[p.target] += p.amount
        return dict(out)

    def select(
        self,
        *,
        step: str | Iterable[str] | None = None,
        step_prefix: str | None = None,
        source: str | None = None,
        target: str | None = None,
    ) -> tuple[Posting, ...]:
        steps = {step} if isinstance(step, str) else set(step) if step is not None else None
        return tuple(
            p
            for p in self.postings
            if (steps is None or p.step in steps)
            and (step_prefix is None or p.step.startswith(step_prefix))
            and (source is None or p.source == source)
            and (target is None or p.target == target)
        )

    @staticmethod
    def total(postings: Iterable[Posting]) -> Decimal:
        return sum((p.amount for p in postings), Decimal("0.00"))

    def to_list(self) -> list[dict[str, object]]:
        return [p.to_dict() for p in self.postings]
