"""Each structure family prints its own layout: the sections in the published order and the
EDGAR template of its filings. The notebook API's result carries its statement."""

from __future__ import annotations

from decimal import Decimal

import pytest

import remit
from remit.api import Deal
from remit.statement import build_statement
from remit.statement.sections.oc import oc_spec
from remit.statement.sections.shifting import shifting_spec
from tests.conftest import ROOT

SENIOR_SUB = ROOT / "examples" / "prime-senior-sub"

# The sections of the reference filing (Thornburg 2003-2, CTSLink layout), top to bottom.
CTSLINK = [
    "distribution_summary",
    "distribution_summary_2",
    "principal_distribution",
    "principal_distribution_2",
    "principal_factors",
    "principal_factors_2",
    "interest_distribution",
    "interest_distribution_2",
    "interest_factors",
    "interest_factors_2",
    "certificate_account",
    "ppis",
    "servicing_fees",
    "other_accounts",
    "delinquency",
    "delinquency_pct",
    "other_information",
    "collateral",
    "collateral_b",
    "products",
    "collateral_2",
]


def test_an_overcollateralization_deal_prints_the_ctslink_layout(example_deal: Deal) -> None:
    st = build_statement(example_deal.close("2003-04-25"))
    assert st.layout == "ctslink"
    # the reference filing's sections, then the disclosure the EDGAR text does not print
    assert [s.key for s in st.sections] == [*CTSLINK, "oc_net_wac_cap", "oc_tests"]
    # the OC rows end the collateral statement (9 printed, then 4 in the JSON only: the
    # other readings of the OC lines) and the servicer summary (the first 7)
    assert [r.key for r in st.section("collateral").rows][-6:] == [
        "extra_principal",
        "excess_cash",
        "oc_amount_before_extra_principal",
        "oc_deficiency_after_distributions",
        "net_monthly_excess_cashflow",
        "excess_cash_after_extra_principal",
    ]
    assert [r.key for r in st.section("collateral_2").rows][-1] == "base_oc"


def test_a_shifting_interest_deal_adds_its_percentages_and_tests() -> None:
    deal = remit.load_deal(SENIOR_SUB)
    st = build_statement(deal.close(min(deal.remittance_files)))
    assert st.layout == "ctslink_senior_sub"
    assert [s.key for s in st.sections] == [
        *CTSLINK,
        "si_percentages",
        "si_tests",
        "si_coverage",
        "si_unallocated",
    ]
    # the coverage amounts left after the first date: special hazard 1% of the cut-off
    # balance, 4,043,034.18, and fraud and bankruptcy 100,000.00 each, no losses yet
    assert [r.key for r in st.section("si_coverage").rows] == [
        "special_hazard",
        "fraud",
        "bankruptcy",
    ]
    assert st.value("si_coverage", "special_hazard") == Decimal("4043034.18")
    assert [r.key for r in st.section("collateral_2").rows][-1] == "prepayment_penalties"
    # no realized loss allocated to no class, on the date or before
    assert st.value("si_unallocated", "unallocated_loss") == 0
    assert st.value("si_unallocated", "cumulative_unallocated_loss") == 0


def test_a_family_part_refuses_a_period_of_another_family(example_deal: Deal) -> None:
    r = example_deal.close("2003-04-25")
    assert oc_spec(r) is r.spec
    with pytest.raises(ValueError, match="'oc' family, not 'shifting'"):
        shifting_spec(r)


def test_the_notebook_result_carries_its_statement(example_deal: Deal) -> None:
    r = example_deal.close("2003-04-25")
    # Class A's interest distribution as published for 2003-04-25
    assert r.statement.value("distribution_summary", "A", "interest_distribution") == Decimal(
        "1041984.29"
    )
    assert r.statement is r.statement  # built once
    assert r.statement.to_edgar() == build_statement(r).to_edgar()
