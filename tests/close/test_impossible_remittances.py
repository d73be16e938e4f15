"""Remittances that cannot be true are refused before anything is paid: each with the file,
the field path, the value found and what was expected. The limits are hand-computed from
the remittances below (the mini deal: 100,000,000.00 at cut-off, 1,000 loans; its first
month's principal 100,000.00 scheduled + 900,000.00 unscheduled leaves 99,000,000.00)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from remit.close import close, initial_state
from remit.errors import RemitError
from remit.remittance import Remittance
from remit.spec.models import IndexSpec, OCSpec
from tests.close.helpers import D, mini_spec, remittance
from tests.close.si_helpers import si_remittance, si_spec
from tests.conftest import EXAMPLE

FEB, MAR = date(2004, 2, 25), date(2004, 3, 25)
LOSS = {
    "liquidations_count": 10,
    "liquidated_balance": "3000000.00",
    "liquidation_proceeds": "500000.00",
    "realized_losses": "2500000.00",
}


def refused(spec: Any, prior: Any, rem: Remittance) -> list[str]:
    """The problems a close of ``rem`` is refused with, as printed."""
    with pytest.raises(RemitError) as exc:
        close(spec, prior, rem, source="rem.toml")
    return [str(p) for p in exc.value.problems]


def one_with(problems: list[str], *parts: str) -> None:
    assert any(all(p in line for p in parts) for line in problems), problems


# -- subsequent recoveries beyond the losses not yet recovered --------------------------------


def test_recoveries_with_no_loss_before_are_refused() -> None:
    spec = mini_spec()
    s0 = initial_state(spec)
    rem = remittance(FEB, s0, principal={"subsequent_recoveries": "0.01"})
    one_with(
        refused(spec, s0, rem),
        "rem.toml: principal.subsequent_recoveries",
        "'0.01'",
        "realized losses not yet recovered, 0.00",
    )


def test_recoveries_up_to_the_unrecovered_loss_and_no_more() -> None:
    spec = mini_spec()
    s0 = initial_state(spec)
    s1 = close(spec, s0, remittance(FEB, s0, unscheduled="0.00", principal=LOSS)).state
    # 2,500,000.00 lost in February: a March recovery of 2,500,000.01 cannot be true
    too_much = remittance(
        MAR, s1, unscheduled="0.00", principal={"subsequent_recoveries": "2500000.01"}
    )
    one_with(
        refused(spec, s1, too_much),
        "principal.subsequent_recoveries",
        "'2500000.01'",
        "2500000.00",
    )
    # 2,000,000.00 recovered in March leaves 500,000.00 to recover in April
    s2 = close(
        spec,
        s1,
        remittance(MAR, s1, unscheduled="0.00", principal={"subsequent_recoveries": "2000000.00"}),
    ).state
    assert s2.cumulative_loss == D("500000.00")
    apr = date(2004, 4, 26)
    one_with(
        refused(
            spec,
            s2,
            remittance(
                apr, s2, unscheduled="0.00", principal={"subsequent_recoveries": "500000.01"}
            ),
        ),
        "principal.subsequent_recoveries",
        "500000.00",
    )
    ok = remittance(apr, s2, unscheduled="0.00", principal={"subsequent_recoveries": "500000.00"})
    assert close(spec, s2, ok).state.cumulative_loss == D("0.00")


# -- delinquency and loan counts above the pool ------------------------------------------------


def cells(*rows: tuple[str, str, int, str]) -> list[dict[str, Any]]:
    return [{"status": s, "bucket": b, "count": n, "balance": bal} for s, b, n, bal in rows]


def test_delinquent_foreclosure_and_reo_together_no_more_than_the_pool() -> None:
    spec = mini_spec()
    s0 = initial_state(spec)
    # 60,000,000.00 + 30,000,000.00 + 9,000,000.01 = 99,000,000.01 > 99,000,000.00
    above = cells(
        ("delinquent", "60", 100, "60000000.00"),
        ("foreclosure", "90", 100, "30000000.00"),
        ("reo", "0-29", 100, "9000000.01"),
    )
    one_with(
        refused(spec, s0, remittance(FEB, s0, delinquency=above)),
        "rem.toml: delinquency",
        "'99000000.01'",
        "99000000.00",
    )
    at = cells(
        ("delinquent", "60", 100, "60000000.00"),
        ("foreclosure", "90", 100, "30000000.00"),
        ("reo", "0-29", 100, "9000000.00"),
    )
    close(spec, s0, remittance(FEB, s0, delinquency=at))


def test_one_cell_above_the_pool_is_located_at_the_cell() -> None:
    spec = mini_spec()
    s0 = initial_state(spec)
    above = cells(("delinquent", "30", 1, "1.00"), ("reo", "180+", 5, "99000000.01"))
    one_with(
        refused(spec, s0, remittance(FEB, s0, delinquency=above)),
        "rem.toml: delinquency[1].balance",
        "'99000000.01'",
    )


def test_delinquent_loans_no_more_than_the_loans_in_the_pool() -> None:
    spec = mini_spec()
    s0 = initial_state(spec)
    # 1,000 loans, none paid off: 600 + 401 delinquent loans cannot be
    many = cells(("delinquent", "30", 600, "1000.00"), ("bankruptcy", "0-29", 401, "1000.00"))
    one_with(
        refused(spec, s0, remittance(FEB, s0, delinquency=many)),
        "rem.toml: delinquency",
        "1001",
        "1000",
    )


def test_a_balance_without_a_loan_is_refused() -> None:
    with pytest.raises(ValueError, match="no loan"):
        Remittance.model_validate(
            {
                "deal": "x",
                "distribution_date": FEB,
                "interest": {"scheduled_interest": "1.00"},
                "principal": {"scheduled_principal": "0", "unscheduled_principal": "0"},
                "collateral": {
                    "ending_count": 1,
                    "ending_actual_balance": "1.00",
                    "wam": 1,
                    "p_and_i_constant": "1.00",
                },
                "delinquency": cells(("delinquent", "30", 0, "5.00")),
            }
        )


def thornburg() -> tuple[OCSpec, Any, Remittance]:
    import remit

    deal = remit.load_deal(EXAMPLE)
    spec = deal.spec
    assert isinstance(spec, OCSpec)
    return spec, initial_state(spec), deal.remittance(date(2003, 4, 25))


def with_collateral(rem: Remittance, **changes: Any) -> Remittance:
    return rem.model_copy(update={"collateral": rem.collateral.model_copy(update=changes)})


def test_product_balances_no_more_than_the_pool() -> None:
    spec, s0, rem = thornburg()
    # the published pool after 2003-04-25: 1,060,891,769.67 - 13,381,671.41 = 1,047,510,098.26
    products = dict(rem.collateral.product_balances)
    one = with_collateral(rem, product_balances=products | {"five_year_hybrid": D("1047510098.27")})
    one_with(
        refused(spec, s0, one),
        "rem.toml: collateral.product_balances.five_year_hybrid",
        "1047510098.26",
    )
    # each within the pool, together above it: 83,626,103.99 + 410,586,395.77 + 553,297,598.51
    # = 1,047,510,098.27
    together = with_collateral(
        rem, product_balances=products | {"seven_ten_year_hybrid": D("553297598.51")}
    )
    one_with(
        refused(spec, s0, together),
        "rem.toml: collateral.product_balances",
        "'1047510098.27'",
        "1047510098.26",
    )
    exact = with_collateral(
        rem, product_balances=products | {"seven_ten_year_hybrid": D("553297598.50")}
    )
    close(spec, s0, exact)


# -- index fixings -------------------------------------------------------------------------


def test_a_negative_index_is_refused_unless_the_deal_allows_it() -> None:
    spec = mini_spec()
    s0 = initial_state(spec)
    rem = remittance(FEB, s0, libor="-0.0010")
    one_with(refused(spec, s0, rem), "rem.toml: index.libor", "'-0.0010'", "allow_negative")
    allowing = spec.model_copy(
        update={
            "indices": [
                IndexSpec(
                    name="libor", description="one-month LIBOR", basis="test", allow_negative=True
                )
            ]
        }
    )
    r = close(allowing, s0, rem)
    # A's rate: -0.10% + 0.50% = 0.40%
    assert r.classes["A"].rate == D("0.0040")


def test_an_index_the_deal_does_not_name_is_refused() -> None:
    spec = mini_spec()
    s0 = initial_state(spec)
    rem = remittance(FEB, s0, index={"libor": "0.01", "sofr": "0.02"})
    one_with(refused(spec, s0, rem), "rem.toml: index.sofr", "one of the deal's indices")


# -- certificates above the pool after a shifting-interest close -------------------------------

SHORT = {  # the loans pay 0.21% while the certificates earn 5%
    "1": {
        "scheduled_interest": "12600.00",
        "scheduled_principal": "100000.00",
        "unscheduled_principal": "0.00",
    },
    "2": {
        "scheduled_interest": "8400.00",
        "scheduled_principal": "100000.00",
        "unscheduled_principal": "0.00",
    },
}


def test_certificates_left_above_the_pool_write_the_subordinates_down() -> None:
    """Subordinate Certificate Writedown Amount. Interest funds: group 1 12,600.00 - fee
    12,500.00 = 100.00, group 2 8,400.00 - 8,333.33 = 66.67; the seniors' interest (1-A-1
    166,666.67, 1-A-2 70,833.33, X 20,833.33; 2-A-1 158,333.33) takes all of each group's
    funds, principal 100,000.00 included; nothing is left for the subordinates. The
    certificates stay at 100,000,000.00 over a pool of 100,000,000.00 - 200,000.00 =
    99,800,000.00: B-3, the most junior, is written down 200,000.00."""
    spec = si_spec()
    s0 = initial_state(spec)
    r = close(spec, s0, si_remittance(FEB, s0, SHORT))
    assert r.figure("shifting:subordinate_certificate_writedown") == D("200000.00")
    assert r.state.classes["B-3"].balance == D("800000.00")
    assert r.state.classes["B-2"].balance == D("1000000.00")
    certs = sum((r.state.classes[c.name].balance for c in spec.principal_classes), Decimal(0))
    assert certs == r.state.pool_balance == D("99800000.00")


def test_certificates_never_end_above_the_pool() -> None:
    """With the subordinates gone (written off before), nothing can absorb the excess: the
    certificates would end at 95,000,000.00 over a pool of 94,800,000.00; refused."""
    spec = si_spec()
    s0 = initial_state(spec)
    gone = {n: replace(st, balance=D("0.00")) for n, st in s0.classes.items()}
    prior = s0.with_(
        pool_balance=D("95000000.00"),
        classes={n: gone[n] if n.startswith("B-") else st for n, st in s0.classes.items()},
        part=replace(s0.shifting, groups={"1": D("57000000.00"), "2": D("38000000.00")}),
    )
    one_with(
        refused(spec, prior, si_remittance(FEB, prior, SHORT)),
        "rem.toml: (certificates)",
        "'95000000.00'",
        "94800000.00",
    )


def test_the_example_certificates_equal_the_pool_every_month() -> None:
    """On 2003-11-25 the classes' interest, each rounded to the cent, comes to 1,381,575.19,
    a cent more than the 1,381,575.18 collected net of fees: a cent of principal pays it and
    B-6 is written down that cent besides the month's realized loss 117,412.33."""
    import remit

    deal = remit.load_deal(EXAMPLE.parent / "prime-senior-sub")
    state = initial_state(deal.spec)
    for when in sorted(deal.remittance_files):
        r = close(deal.spec, state, deal.remittance(when))
        certs = sum(
            (r.state.classes[c.name].balance for c in deal.spec.principal_classes), Decimal(0)
        )
        assert certs == r.state.pool_balance, when
        if when == date(2003, 11, 25):
            assert r.classes["B-6"].out.writedown == D("117412.34")
            assert r.figure("shifting:subordinate_certificate_writedown") == D("0.01")
        state = r.state
