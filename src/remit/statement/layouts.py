"""Each structure family's statement: the EDGAR template it is printed on, what the family
tells the common sections, and its sections in the order printed, keyed by the family name a
close records (``PeriodResult.family``). A new family is one entry here; a new section is one
builder in ``sections/`` and its place in the tuples below."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from remit.close import PeriodResult
from remit.statement.model import Section
from remit.statement.sections.accounts import (
    certificate_account,
    other_accounts,
    other_information,
    ppis,
    servicing_fees,
)
from remit.statement.sections.classes import (
    distribution_summary,
    distribution_summary_2,
    interest_distribution,
    interest_distribution_2,
    interest_factors,
    interest_factors_2,
    principal_distribution,
    principal_distribution_2,
    principal_factors,
    principal_factors_2,
)
from remit.statement.sections.collateral import collateral, collateral_2, collateral_b, products
from remit.statement.sections.delinquency import delinquency, delinquency_pct
from remit.statement.sections.extended import (
    ext_dates,
    ext_performance,
    ext_rates,
    si_ext_triggers,
)
from remit.statement.sections.oc import oc_net_wac_cap, oc_terms, oc_tests
from remit.statement.sections.shifting import (
    shifting_terms,
    si_coverage,
    si_percentages,
    si_tests,
    si_unallocated,
)
from remit.statement.view import FamilyTerms, View

SectionBuilder = Callable[[View], list[Section]]


@dataclass(frozen=True)
class Layout:
    """A family's statement: ``template`` names ``templates/NAME.txt``; ``terms`` says what
    the family tells the common sections; ``sections`` build the statement in order;
    ``extended`` the sections the extended statement (Regulation AB Item 1121) adds after
    them. The EDGAR template prints only the sections it names: the others are in the
    statement model (JSON, HTML, PDF, CSV, XLSX)."""

    template: str
    terms: Callable[[PeriodResult], FamilyTerms]
    sections: tuple[SectionBuilder, ...]
    extended: tuple[SectionBuilder, ...] = ()


CTSLINK: tuple[SectionBuilder, ...] = (
    distribution_summary,
    distribution_summary_2,
    principal_distribution,
    principal_distribution_2,
    principal_factors,
    principal_factors_2,
    interest_distribution,
    interest_distribution_2,
    interest_factors,
    interest_factors_2,
    certificate_account,
    ppis,
    servicing_fees,
    other_accounts,
    delinquency,
    delinquency_pct,
    other_information,
    collateral,
    collateral_b,
    products,
    collateral_2,
)

LAYOUTS: dict[str, Layout] = {
    # the Net WAC cap and trigger test sections are not in the reference filing's EDGAR text;
    # the classic OC statement already carries the trigger tests, so the extended one does not
    # repeat them
    "oc": Layout(
        "ctslink",
        oc_terms,
        (*CTSLINK, oc_net_wac_cap, oc_tests),
        (ext_dates, ext_rates, ext_performance),
    ),
    "shifting": Layout(
        "ctslink_senior_sub",
        shifting_terms,
        (*CTSLINK, si_percentages, si_tests, si_coverage, si_unallocated),
        (ext_dates, ext_rates, si_ext_triggers, ext_performance),
    ),
}
