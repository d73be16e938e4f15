"""What a shifting-interest senior/subordinate deal adds to the statement: each group's senior,
subordinate and senior prepayment percentages, the step-down test results (with the credit
support depletion date once it has come), the loss coverage amounts left, and the realized
losses allocated to no class."""

from __future__ import annotations

from typing import cast

from remit import money
from remit.close import PeriodResult
from remit.spec import ShiftingSpec
from remit.statement.cells import fig, percent_cell, yes_no
from remit.statement.model import Cell, Row, Section, Trace
from remit.statement.view import FamilyTerms, View


def shifting_spec(r: PeriodResult) -> ShiftingSpec:
    """The deal of a period the shifting-interest family closed."""
    if r.family != "shifting":
        raise ValueError(f"a period closed by the {r.family!r} family, not 'shifting'")
    return cast(ShiftingSpec, r.spec)


def shifting_terms(r: PeriodResult) -> FamilyTerms:
    """The shifting-interest rules are the basis of the deal's interest, losses and principal;
    the notional class is the first class whose notional amount is the pool balance."""
    basis = shifting_spec(r).shifting_interest.basis
    notional = next((c.name for c in r.spec.classes if c.notional == "pool_balance"), "IO")
    return FamilyTerms(
        bases={"interest": basis, "losses": basis, "principal": basis},
        notional_class=notional,
    )


def si_percentages(v: View) -> list[Section]:
    """Each loan group's senior, subordinate and senior prepayment percentages."""
    si = shifting_spec(v.r).shifting_interest
    rows = []
    for g in si.groups:
        sp = v.r.figure(f"shifting:group:{g.name}:senior_percentage")
        spp = v.r.figure(f"shifting:group:{g.name}:senior_prepayment_percentage")
        for key, label, value in (
            ("senior", f"Group {g.name} Senior Percentage", sp),
            ("subordinate", f"Group {g.name} Subordinate Percentage", 1 - sp),
            ("senior_prepayment", f"Group {g.name} Senior Prepayment Percentage", spp),
        ):
            cell = fig(money.round_places(value * 100, 6), key, si.basis)
            rows.append(Row(f"{g.name}:{key}", label, {"value": cell}))
    title = "Senior and Subordinate Percentages"
    return [Section("si_percentages", title, {"value": "Percent"}, tuple(rows))]


def si_tests(v: View) -> list[Section]:
    """Whether the step-down conditions and the two-times test are met this period."""
    si = shifting_spec(v.r).shifting_interest
    stepdown = "stepdown_conditions", "step-down conditions", si.basis
    two_times = "two_times", "two-times test", si.two_times.basis
    rows = [
        _yes_no(v.r, "stepdown", "Step-down Conditions Met", *stepdown),
        _yes_no(v.r, "two_times", "Two Times Test Met", *two_times),
    ]
    depleted = v.r.state.shifting.depletion_date
    if depleted is not None:
        cell = fig(
            depleted.strftime("%m/%d/%Y"),
            "credit support depletion date",
            si.basis,
            "the first date on which the subordinate certificates have been or will be "
            "reduced to zero",
        )
        rows.append(Row("depletion_date", "Credit Support Depletion Date", {"value": cell}))
    return [Section("si_tests", "Step-down Tests", {"value": "Result"}, tuple(rows))]


COVERAGE_LABELS = {
    "special_hazard": "Special Hazard Loss Coverage Amount",
    "fraud": "Fraud Loss Coverage Amount",
    "bankruptcy": "Bankruptcy Loss Coverage Amount",
}


def si_coverage(v: View) -> list[Section]:
    """What is left of each loss coverage amount after the date (deals that have them)."""
    si = shifting_spec(v.r).shifting_interest
    rows = []
    if si.coverage is not None:
        for kind, label in COVERAGE_LABELS.items():
            f = v.r.figures[f"shifting:coverage:{kind}"]
            cell = fig(f.value, f.rule, f.basis, f.formula)
            rows.append(Row(kind, label, {"value": cell}))
    title = "Excess Loss Coverage"
    return [Section("si_coverage", title, {"value": "Amount"}, tuple(rows))]


UNALLOCATED_LABELS = {
    "unallocated_loss": "Current Period",
    "cumulative_unallocated_loss": "Cumulative",
}


def si_unallocated(v: View) -> list[Section]:
    """The realized losses of the date, and since closing, that the PSA allocates to no
    class (the subordinates written off, the seniors of the group whose loans lost them
    retired): the certificates stand above the pool by up to the cumulative amount, a loss
    the holders bear at the end."""
    rows = []
    for key, label in UNALLOCATED_LABELS.items():
        f = v.r.figures[f"shifting:{key}"]
        rows.append(Row(key, label, {"value": fig(f.value, f.rule, f.basis, f.formula)}))
    title = "Realized Losses Allocated to No Class"
    return [Section("si_unallocated", title, {"value": "Amount"}, tuple(rows))]


def _yes_no(r: PeriodResult, key: str, label: str, figure: str, rule: str, basis: str) -> Row:
    """A row printing whether the close's figure ``si:FIGURE`` holds."""
    f = r.figures[f"shifting:{figure}"]
    return Row(key, label, {"value": fig("Yes" if f.value else "No", rule, basis, f.formula)})


def si_test_rows(r: PeriodResult) -> tuple[Row, ...]:
    """The step-down delinquency test, the step-down conditions, the two-times test and the
    credit support depletion, each with its actual value, its threshold and its result."""
    si = shifting_spec(r).shifting_interest
    met = ("Met", "Not met")
    depleted = r.state.shifting.depletion_date
    depletion = Trace(
        "credit support depletion date",
        si.basis,
        f"on {depleted.isoformat()}"
        if depleted is not None
        else f"subordinates {r.figure('shifting:subordinate_balance')} before the date",
    )
    return (
        Row(
            "delinquency_test",
            "Step-down Delinquency Test (60+ average balance)",
            {
                "actual": _cents(r, "shifting:delinquency_60plus_average"),
                "threshold": _cents(r, "shifting:delinquency_limit"),
                "result": yes_no(r, "shifting:delinquency_test", ("Pass", "Fail")),
            },
        ),
        Row(
            "stepdown_conditions",
            "Step-down Conditions (delinquency and cumulative loss)",
            {
                "actual": yes_no(r, "shifting:stepdown_conditions", met),
                "result": yes_no(r, "shifting:stepdown_conditions", met),
            },
        ),
        Row(
            "two_times",
            "Two-Times Test (subordinate percentage, %)",
            {
                "actual": percent_cell(r, "shifting:subordinate_pct"),
                "threshold": percent_cell(r, "shifting:two_times_threshold"),
                "result": yes_no(r, "shifting:two_times", met),
            },
        ),
        Row(
            "depletion",
            "Credit Support Depletion",
            {
                "actual": Cell("No" if depleted is None else "Yes", depletion),
                "result": Cell("Pass" if depleted is None else "Fail", depletion),
            },
        ),
    )


def _cents(r: PeriodResult, key: str) -> Cell:
    """One of the close's amounts, to the cent, with its trace."""
    f = r.figures[key]
    return Cell(money.cents(f.value), Trace(f.rule, f.basis, f.formula))
