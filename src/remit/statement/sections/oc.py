"""What an overcollateralization deal adds to the statement: the OC class's loss and
accretion are the overcollateralization's, and the collateral statements end with the OC
figures of the close."""

from __future__ import annotations

from typing import cast

from remit.close import PeriodResult
from remit.money import ZERO
from remit.spec import OCSpec
from remit.statement.cells import fig
from remit.statement.model import Cell, Trace
from remit.statement.view import FamilyTerms

# The OC rows of the collateral statement, each with the close figure it prints
# (``oc:KEY``); the servicer summary prints the first seven. The EDGAR layout prints the
# deficiency before the extra principal and the excess cash row the deal chooses; the rows
# after ``excess_cash`` are in the JSON statement only (the other readings of those lines).
OC_ROWS = (
    ("required_oc", "required_oc"),
    ("oc_increase", "extra_principal"),
    ("oc_reduction", "oc_release"),
    ("specified_oc", "specified_oc"),
    ("oc_amount", "oc_amount"),
    ("oc_deficiency", "oc_deficiency"),
    ("base_oc", "oc_floor"),
    ("extra_principal", "extra_principal"),
    ("excess_cash", "excess_cash"),
    ("oc_amount_before_extra_principal", "oc_amount_before"),
    ("oc_deficiency_after_distributions", "oc_deficiency_after_distributions"),
    ("net_monthly_excess_cashflow", "net_monthly_excess_cashflow"),
    ("excess_cash_after_extra_principal", "excess_cash_after_extra_principal"),
)
SERVICER_SUMMARY_OC_ROWS = 7


def oc_spec(r: PeriodResult) -> OCSpec:
    """The deal of a period the overcollateralization family closed."""
    if r.family != "oc":
        raise ValueError(f"a period closed by the {r.family!r} family, not 'oc'")
    return cast(OCSpec, r.spec)


def oc_terms(r: PeriodResult) -> FamilyTerms:
    """What the common sections print differently for an overcollateralization deal."""
    spec = oc_spec(r)
    ocs = spec.overcollateralization
    rows = tuple((key, _oc_figure(r, figure, ocs.basis)) for key, figure in OC_ROWS)
    return FamilyTerms(
        bases={
            "interest": spec.interest.basis,
            "losses": spec.losses.basis,
            "principal": spec.principal.basis,
        },
        notional_class=ocs.oc_class,
        principal_column=spec.principal.statement_column,
        class_cells={ocs.oc_class: _oc_class_cells(r, ocs.oc_class, ocs.basis)},
        collateral_rows=rows,
        servicer_summary_rows=rows[:SERVICER_SUMMARY_OC_ROWS],
    )


def _oc_figure(r: PeriodResult, key: str, basis: str) -> Cell:
    f = r.figures[f"oc:{key}"]
    return Cell(f.value + ZERO, Trace(f"oc.{key}", basis, f.formula))


def _oc_class_cells(r: PeriodResult, name: str, basis: str) -> dict[str, Cell]:
    """The OC class's balance is the overcollateralization: it absorbs the losses no
    certificate is written down for, grows by the extra principal distributed, and falls by
    the part of the overcollateralization release the excess cash order pays to other
    classes (its accretion, net)."""
    return {
        "ending_balance": fig(
            r.state.classes[name].balance,
            "class balance",
            "this period's ending state",
            "pool balance - certificates",
        ),
        "current_realized_loss": fig(
            r.figure("oc:absorbed_loss"), "realized loss absorbed by overcollateralization", basis
        ),
        "accretion": fig(
            r.figure("oc:accretion"),
            "overcollateralization increase",
            basis,
            r.figures["oc:accretion"].formula,
        ),
    }
