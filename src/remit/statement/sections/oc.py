"""What an overcollateralization deal adds to the statement: the OC class's loss and
accretion are the overcollateralization's, the collateral statements end with the OC
figures of the close, and two sections disclose the Net WAC cap of each capped class with
its basis risk carryforward, and the trigger tests and the stepdown (actual value,
threshold, result). Every figure is one the close recorded."""

from __future__ import annotations

from decimal import Decimal
from typing import cast

from remit import money
from remit.close import PeriodResult
from remit.money import ZERO
from remit.spec import OCSpec
from remit.statement.cells import fig, percent_cell, posted, yes_no
from remit.statement.model import Cell, Row, Section, Trace
from remit.statement.view import FamilyTerms, View
from remit.waterfall.steps import Step, holder

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


TEST_COLUMNS = {"actual": "Actual", "threshold": "Threshold", "result": "Result"}
PASS_FAIL = ("Fail", "Pass")  # the words for a trigger event figure of 1 and of 0


def oc_test_rows(r: PeriodResult) -> tuple[Row, ...]:
    """The delinquency and cumulative loss tests, the stepdown and the trigger event: each
    with its actual value, its threshold (percentages) and its result."""
    ocs = oc_spec(r).overcollateralization
    limit = r.figures["trigger:loss_limit"]
    tested = r.figure("trigger:loss_in_force") == 1
    no_test = Trace(limit.rule, limit.basis, limit.formula)
    event = Trace("trigger event", ocs.basis, "delinquency or cumulative loss trigger event")
    return (
        Row(
            "delinquency_trigger",
            "Delinquency Trigger (60+ rolling average, %)",
            {
                "actual": percent_cell(r, "trigger:delinquency_rolling"),
                "threshold": percent_cell(r, "trigger:delinquency_limit"),
                "result": yes_no(r, "trigger:delinquency", PASS_FAIL),
            },
        ),
        Row(
            "loss_trigger",
            "Cumulative Loss Trigger (% of cut-off balance)",
            {
                "actual": percent_cell(r, "trigger:cumulative_loss_pct"),
                "threshold": percent_cell(r, "trigger:loss_limit")
                if tested
                else Cell(None, no_test),
                "result": yes_no(r, "trigger:loss", PASS_FAIL) if tested else Cell("N/A", no_test),
            },
        ),
        Row(
            "stepdown",
            "Stepdown (senior enhancement, %)",
            {
                "actual": percent_cell(r, "trigger:stepdown_enhancement"),
                "threshold": percent_cell(r, "trigger:stepdown_target"),
                "result": yes_no(r, "oc:stepdown_reached", ("Reached", "Not reached")),
            },
        ),
        Row(
            "trigger_event",
            "Trigger Event in effect",
            {
                "actual": Cell("Yes" if r.trigger_in_effect else "No", event),
                "result": Cell("Fail" if r.trigger_in_effect else "Pass", event),
            },
        ),
    )


def oc_tests(v: View) -> list[Section]:
    """The trigger tests and the stepdown, as the close worked them out."""
    return [Section("oc_tests", "Trigger Tests", TEST_COLUMNS, oc_test_rows(v.r))]


CAP_COLUMNS = {
    "formula_rate": "Formula Rate (%)",
    "net_wac_cap": "Net WAC Cap (%)",
    "rate": "Pass-Through Rate (%)",
    "capped": "Cap Applied",
    "carryforward_beginning": "Basis Risk Carryforward, Beginning",
    "basis_risk_paid": "Basis Risk Carryforward Paid",
    "carryforward_remaining": "Basis Risk Carryforward Remaining",
}


def oc_net_wac_cap(v: View) -> list[Section]:
    """Each capped class: its formula rate, its Net WAC cap, the rate it was paid and whether
    the cap bound; its basis risk carryforward before the date, paid from the excess cash on
    the date, and left after it."""
    r = v.r
    rows = []
    for c in r.spec.classes:
        cap = f"class:{c.name}:net_wac_cap"
        if cap not in r.figures:
            continue
        cp, basis = r.classes[c.name], c.coupon.basis
        paid = r.ledger.select(step=Step.EXCESS_BASIS_RISK, target=holder(c.name))
        cells = {
            "formula_rate": fig(
                _pct(cp.formula_rate), "formula rate", basis, f"formula rate {cp.formula_rate}"
            ),
            "net_wac_cap": percent_cell(r, cap),
            "rate": fig(
                _pct(cp.rate), "pass-through rate", basis, f"min(formula rate, cap) {cp.rate}"
            ),
            "capped": fig("Yes" if cp.capped else "No", "Net WAC cap applied", basis),
            "carryforward_beginning": fig(
                r.prior.classes[c.name].basis_risk_carryforward,
                "basis risk carryforward",
                "prior period's ending state",
            ),
            "basis_risk_paid": posted(paid, "basis risk carryforward paid"),
            "carryforward_remaining": fig(
                r.state.classes[c.name].basis_risk_carryforward,
                "basis risk carryforward",
                "this period's ending state",
                "beginning + interest on it at the formula rate + the shortfall of the date - paid",
            ),
        }
        rows.append(Row(c.name, c.name, cells))
    title = "Net WAC Cap and Basis Risk Carryforward"
    return [Section("oc_net_wac_cap", title, CAP_COLUMNS, tuple(rows))]


def _pct(rate: Decimal) -> Decimal:
    return money.round_places(rate * 100, 6)
