"""What every section builder reads: a closed period, what its structure family tells the
statement, and each class's cells, worked out once per statement.

The class tables print the classes' cells; other sections quote a few of them (Other
Information prints the insufficient-funds class's current shortfall), so they are computed
once here rather than passed from one builder to the next."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from remit import money
from remit.close import PeriodResult
from remit.close.ledger import Posting
from remit.money import ZERO
from remit.spec.models import CertificateClass
from remit.statement.cells import amount, fig, posted
from remit.statement.model import Cell, Trace
from remit.waterfall.steps import PRINCIPAL_STEPS, Step, balance, holder

# The waterfall steps that pay a class principal; every other payment to a holder is interest.

Cells = Mapping[str, Cell]


@dataclass(frozen=True)
class FamilyTerms:
    """What the common sections need to know about the structure family that closed the period.

    * ``bases``: the deal's basis for its interest, losses and principal rules.
    * ``notional_class``: the class whose notional amount is the pool balance.
    * ``principal_column``: "unscheduled" prints all principal as unscheduled;
      "scheduled_split" splits it in proportion to scheduled principal.
    * ``class_cells``: cells the family gives particular classes in place of the common ones
      (an overcollateralization deal's OC class: its loss and accretion are the OC's).
    * ``collateral_rows`` / ``servicer_summary_rows``: rows the family adds at the end of the
      collateral statement and of the servicer summary, as (key, cell).
    """

    bases: Mapping[Literal["interest", "losses", "principal"], str]
    notional_class: str
    principal_column: Literal["scheduled_split", "unscheduled"] = "scheduled_split"
    class_cells: Mapping[str, Cells] = field(default_factory=dict)
    collateral_rows: tuple[tuple[str, Cell], ...] = ()
    servicer_summary_rows: tuple[tuple[str, Cell], ...] = ()


@dataclass(frozen=True)
class History:
    """What a statement prints of the deal's history, worked out outside the statement from
    every period since closing (:func:`remit.publish.history.history_through`): life CPR
    and CDR through the date (fractions, 0.12 is 12%) and the P&I advances outstanding after
    it; ``basis`` says how."""

    life_cpr: Decimal
    life_cdr: Decimal
    advances_outstanding: Decimal
    basis: str


@dataclass(frozen=True)
class View:
    """A closed period as the section builders read it; ``history`` where the caller gives
    the deal's history (the extended statement's life figures)."""

    r: PeriodResult
    family: FamilyTerms
    classes: Mapping[str, Cells]
    history: History | None = None

    @classmethod
    def of(cls, r: PeriodResult, family: FamilyTerms, history: History | None = None) -> View:
        per = {c.name: class_cells(r, family, c) for c in r.spec.classes}
        return cls(r, family, per, history)


def class_cells(r: PeriodResult, family: FamilyTerms, c: CertificateClass) -> dict[str, Cell]:
    """One class's cells by column key, for every class table."""
    to_holder = r.ledger.select(target=holder(c.name))
    prin_ps = [p for p in to_holder if p.step in PRINCIPAL_STEPS]
    f = _balance_cells(r, c)
    f |= _interest_cells(r, family, c, to_holder)
    f["principal_distribution"] = posted(prin_ps, "principal distribution")
    f["current_realized_loss"] = posted(
        r.ledger.select(step=Step.WRITEDOWN, source=balance(c.name)),
        "applied realized loss amount",
    )
    f["accretion"] = posted(
        r.ledger.select(step=Step.WRITEUP, target=balance(c.name)),
        "write-up for subsequent recoveries",
    )
    f |= family.class_cells.get(c.name, {})
    f |= _principal_cells(r, family, c.name, f, prin_ps)
    total = amount(f["interest_distribution"]) + amount(f["principal_distribution"])
    f["total_distribution"] = Cell(
        total,
        Trace("total distribution", "interest + principal", "", tuple(p.index for p in to_holder)),
    )
    f["cumulative_realized_losses"] = fig(
        r.state.classes[c.name].cumulative_realized_loss,
        "cumulative realized loss",
        family.bases["losses"],
    )
    f["cusip"] = Cell(c.cusip)
    f["description"] = Cell(c.description)
    return f


def _balance_cells(r: PeriodResult, c: CertificateClass) -> dict[str, Cell]:
    n, prior, state = c.name, r.prior, r.state
    notional = c.notional == "pool_balance" and c.coupon.kind != "none"
    what = "notional amount" if notional else "class balance"
    return {
        "beginning_notional": fig(
            prior.pool_balance if notional else prior.classes[n].balance, what, c.basis
        ),
        "ending_notional": fig(
            state.pool_balance if notional else state.classes[n].balance, what, c.basis
        ),
        "beginning_balance": fig(
            prior.classes[n].balance, "class balance", "prior period's ending state"
        ),
        "ending_balance": fig(
            state.classes[n].balance,
            "class balance",
            "this period's ending state",
            "beginning - principal - write-down + write-up",
        ),
        "original_face": fig(c.original_balance, "original face", c.basis),
        "ending_percentage": fig(
            money.ratio(state.classes[n].balance, c.original_balance),
            "ending certificate percentage",
            "",
            "ending balance / original face, 8 decimals",
        ),
    }


def _interest_cells(
    r: PeriodResult,
    family: FamilyTerms,
    c: CertificateClass,
    to_holder: tuple[Posting, ...],
) -> dict[str, Cell]:
    cp = r.classes[c.name]
    wf = cp.waterfall
    notional = c.notional == "pool_balance" and c.coupon.kind != "none"
    base = r.prior.pool_balance if notional else r.prior.classes[c.name].balance
    accrual = (
        f"current interest {base:,} x {cp.rate * 100:.5f}% x "
        f"{cp.days}/360 = {wf['accrued']:,} ({c.coupon.day_count}, "
        f"{cp.accrual_start} to {cp.accrual_end}, end excluded)"
    )
    paid = posted([p for p in to_holder if p.step not in PRINCIPAL_STEPS], "interest distribution")
    assert paid.trace is not None
    distribution = Cell(
        paid.value,
        Trace(
            paid.trace.rule,
            paid.trace.basis,
            f"{accrual}; paid: {paid.trace.formula}",
            paid.trace.postings,
        ),
    )
    basis = family.bases["interest"]
    return {
        "interest_distribution": distribution,
        "total_interest": distribution,
        "rate": fig(
            money.round_places(cp.rate * 100, 5),
            "pass-through rate",
            c.coupon.basis,
            f"min(formula rate {cp.formula_rate}, cap)"
            if cp.capped
            else f"formula rate {cp.formula_rate}",
        ),
        "accrued_interest": fig(wf["accrued"], "current interest", c.coupon.basis, accrual),
        "unpaid_interest_paid": posted(
            [p for p in to_holder if p.step in (Step.INTEREST_UNPAID, Step.EXCESS_UNPAID_INTEREST)],
            "payment of unpaid interest",
        ),
        "current_shortfall": fig(wf["current_shortfall"], "current interest shortfall", basis),
        "non_supported_shortfall": fig(
            wf["non_supported_shortfall"],
            "net prepayment interest and Relief Act shortfall",
            basis,
        ),
        "realized_losses": fig(ZERO, "interest realized losses", family.bases["losses"]),
        "remaining_unpaid": fig(r.state.classes[c.name].unpaid_interest, "unpaid interest", basis),
    }


def _principal_cells(
    r: PeriodResult,
    family: FamilyTerms,
    name: str,
    f: Mapping[str, Cell],
    prin_ps: list[Posting],
) -> dict[str, Cell]:
    """The scheduled/unscheduled split and the total principal reduction (which needs the
    class's loss and accretion, the family's where it gives them)."""
    paid = f["principal_distribution"]
    sched, unsched = _split_principal(r, family, name, prin_ps)
    reduction = amount(paid) + amount(f["current_realized_loss"]) - amount(f["accretion"])
    return {
        "scheduled_principal": sched,
        "unscheduled_principal": unsched,
        "total_principal_reduction": fig(
            reduction, "total principal reduction", "", "principal + realized loss - accretion"
        ),
        "total_principal_distribution": paid,
    }


def _split_principal(
    r: PeriodResult, family: FamilyTerms, name: str, ps: list[Posting]
) -> tuple[Cell, Cell]:
    """Scheduled and unscheduled principal columns. Where the deal prints all principal as
    unscheduled (as the reference does), the scheduled column is zero; otherwise principal
    from the principal remittance is split in proportion to scheduled principal."""
    total = sum((p.amount for p in ps), ZERO)
    idx = tuple(p.index for p in ps)
    basis = family.bases["principal"]
    if family.principal_column == "unscheduled":
        return (
            Cell(ZERO, Trace("scheduled principal column", basis, "printed as unscheduled")),
            Cell(total, Trace("principal distribution", basis, "", idx)),
        )
    sched = r.figure(f"class:{name}:scheduled_principal")
    return (
        Cell(
            sched, Trace("scheduled principal", basis, "pro rata share of scheduled principal", idx)
        ),
        Cell(total - sched, Trace("unscheduled principal", basis, "the rest", idx)),
    )
