"""The overcollateralization statement discloses the Net WAC cap of each capped class with its
basis risk carryforward, and the trigger tests and the stepdown (actual value, threshold,
result), from figures the close records. By hand on the mini OC deal
(``tests/fixtures/mini``): 100,000,000 pool; A 80,000,000 (LIBOR + 0.50%), M-1 10,000,000
(+ 1.00%), M-2 8,000,000 (+ 2.00%), all under the Net WAC cap (Actual/360 adjusted);
servicing 0.25% and trustee 0.01% a year; the first period runs 26 January to 25 February
2004: 30 days."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext

from remit.close import PeriodResult, close, initial_state
from remit.spec import OCSpec
from remit.statement import Statement, build_statement
from tests.close.helpers import D, c, mini_spec, remittance

P6 = Decimal("0.000001")


def pct(fraction: Decimal) -> Decimal:
    """A fraction as the statement prints it: percent, 6 places half-up."""
    return (fraction * 100).quantize(P6)


def ratio30(numerator: str, denominator: str) -> Decimal:
    """A month's 60+ day percentage as the state keeps it: 30 places, half-up."""
    with localcontext(prec=50):
        return (D(numerator) / D(denominator)).quantize(D("1E-30"), ROUND_HALF_UP)


def trigger_row(st: Statement, row: str) -> tuple[object, ...]:
    """A row of the trigger tests: (actual, threshold, result), None where it prints none."""
    cells = st.section("oc_tests").row(row).cells
    return tuple(cells[k].value if k in cells else None for k in ("actual", "threshold", "result"))


def cap_month() -> PeriodResult:
    """LIBOR 6.00%: every class's formula rate is above the Net WAC cap."""
    spec = mini_spec()
    s0 = initial_state(spec)
    return close(spec, s0, remittance(date(2004, 2, 25), s0, libor="0.06"))


def test_the_cap_month_records_the_cap_and_the_carryforward() -> None:
    r = cap_month()
    # fees on 100,000,000: servicing 20,833.33 + trustee 833.33 = 21,666.66; the cap:
    # (500,000.00 - 21,666.66) x 12 / 100,000,000 x 30 / 30 days
    cap = D("478333.34") * 12 / D("100000000") * 30 / 30
    assert cap == D("0.0574000008")
    for name in ("A", "M-1", "M-2"):
        assert r.figure(f"class:{name}:net_wac_cap") == cap
    # A accrues at the cap 80,000,000 x cap x 30/360 = 382,666.67 and would at its formula
    # rate 6.50%: 433,333.33; the difference is carried forward
    accrued = {"A": c(80000000 * cap / 12), "M-1": c(10000000 * cap / 12)}
    formula = {"A": c(D("80000000") * D("0.065") / 12), "M-1": c(D("10000000") * D("0.07") / 12)}
    assert accrued == {"A": D("382666.67"), "M-1": D("47833.33")}
    assert formula == {"A": D("433333.33"), "M-1": D("58333.33")}
    # interest funds 478,333.34 less current interest at the cap (A 382,666.67, M-1 47,833.33,
    # M-2 8,000,000 x cap / 12 = 38,266.67) leaves 9,566.67; the OC is at its 2,000,000
    # target (no extra principal): all of it pays A's basis risk carryforward
    m2 = c(8000000 * cap / 12)
    excess = D("478333.34") - accrued["A"] - accrued["M-1"] - m2
    assert excess == D("9566.67")
    st = build_statement(r)
    sec = st.section("oc_net_wac_cap")
    assert [row.key for row in sec.rows] == ["A", "M-1", "M-2"]
    a = {k: cell.value for k, cell in sec.row("A").cells.items()}
    assert a == {
        "formula_rate": D("6.500000"),
        "net_wac_cap": D("5.740000"),
        "rate": D("5.740000"),
        "capped": "Yes",
        "carryforward_beginning": D("0.00"),
        "basis_risk_paid": excess,
        "carryforward_remaining": formula["A"] - accrued["A"] - excess,  # 41,099.99
    }
    m1 = sec.row("M-1").cells
    assert m1["basis_risk_paid"].value == D("0.00")
    assert m1["carryforward_remaining"].value == formula["M-1"] - accrued["M-1"]  # 10,500.00
    # no delinquency, no stepdown: the tests pass
    assert trigger_row(st, "delinquency_trigger")[2] == "Pass"
    assert trigger_row(st, "stepdown")[2] == "Not reached"
    assert trigger_row(st, "trigger_event") == ("No", None, "Pass")


def test_the_cap_month_records_the_month_s_speeds() -> None:
    """SMM = 900,000 prepaid / (100,000,000 - 100,000 scheduled) to 10 places; CPR =
    1 - (1 - SMM)^12, about 10.29%; no liquidations; pool factor 99,000,000 / 100,000,000."""
    r = cap_month()
    smm = D("0.0090090090")
    assert r.figure("pool:smm") == smm
    assert r.figure("pool:cpr") == (1 - (1 - smm) ** 12).quantize(D("1E-10"))
    assert D("0.1029") < r.figure("pool:cpr") < D("0.1030")
    assert r.figure("pool:mdr") == 0 and r.figure("pool:cdr") == 0
    assert r.figure("pool:factor") == D("0.99000000")


def _loss_limit_spec() -> OCSpec:
    """The mini deal with a cumulative loss limit of 0.10% in force from the first date."""
    spec = mini_spec()
    ocs = spec.overcollateralization
    lt = ocs.loss_trigger.model_copy(
        update={
            "schedule": [
                ocs.loss_trigger.schedule[0].model_copy(
                    update={"from_date": date(2004, 2, 25), "pct": D("0.001")}
                )
            ]
        }
    )
    return spec.model_copy(
        update={"overcollateralization": ocs.model_copy(update={"loss_trigger": lt})}
    )


def test_the_trigger_month_records_each_test() -> None:
    """10,000,000 of loans 60 days delinquent, and a liquidation: balance 200,000.00,
    proceeds 150,000.00, realized loss 50,000.00."""
    spec = _loss_limit_spec()
    s0 = initial_state(spec)
    liquidation = {
        "liquidations_count": 1,
        "liquidated_balance": "200000.00",
        "liquidation_proceeds": "150000.00",
        "realized_losses": "50000.00",
    }
    dq = [{"status": "delinquent", "bucket": "60", "count": 100, "balance": "10000000.00"}]
    rem = remittance(date(2004, 2, 25), s0, delinquency=dq, principal=liquidation)
    r = close(spec, s0, rem)
    # pool after the date: 100,000,000 - 100,000 - 900,000 - 200,000 = 98,800,000; the
    # certificates after the principal remittance 1,150,000: 96,850,000, an OC of 1,950,000
    # against 2,000,000 specified: 50,000 of extra principal, all to A
    pool = D("98800000")
    # the delinquency test: 60+ percentage (30 places, this first month alone) against 40% of
    # the senior enhancement after distribution (seniors 80,000,000 - 1,150,000 - 50,000)
    dq60 = ratio30("10000000", "98800000")
    enhancement = (pool - D("78800000")) / pool
    limit = D("0.40") * enhancement
    assert r.figure("trigger:delinquency_rolling") == dq60
    assert abs(r.figure("trigger:delinquency_limit") - limit) < D("1E-25")  # hand: 28 digits
    assert r.figure("trigger:delinquency") == 1  # 10.12% > 8.10%: a trigger event
    assert r.figure("trigger:cumulative_loss") == D("50000.00")
    assert r.figure("trigger:cumulative_loss_pct") == D("0.0005")
    assert r.figure("trigger:loss_limit") == D("0.001")
    assert r.figure("trigger:loss_in_force") == 1
    assert r.figure("trigger:loss") == 0  # 0.05% of the cut-off balance is within 0.10%
    assert r.figure("oc:stepdown_reached") == 0
    assert r.figure("pool:mdr") == (D("200000") / D("99900000")).quantize(D("1E-10"))
    st = build_statement(r)
    assert trigger_row(st, "delinquency_trigger") == (pct(dq60), pct(limit), "Fail")
    assert trigger_row(st, "delinquency_trigger")[:2] == (D("10.121457"), D("8.097166"))
    assert trigger_row(st, "loss_trigger") == (D("0.050000"), D("0.100000"), "Pass")
    # the stepdown test: senior enhancement before distribution (A before its principal)
    stepdown = (pool - D("80000000")) / pool
    assert trigger_row(st, "stepdown") == (pct(stepdown), D("40.000000"), "Not reached")
    assert pct(stepdown) == D("19.028340")
    assert trigger_row(st, "trigger_event") == ("Yes", None, "Fail")
    assert r.trigger_in_effect


def test_no_loss_limit_in_force_is_not_a_test() -> None:
    """The mini deal's loss limit starts in 2007: before, the loss test prints N/A."""
    st = build_statement(cap_month())
    assert trigger_row(st, "loss_trigger") == (D("0.000000"), None, "N/A")


def _stepdown_spec() -> OCSpec:
    """The mini deal with its stepdown from 25 March 2004 at 15% senior enhancement."""
    spec = mini_spec()
    ocs = spec.overcollateralization.model_copy(
        update={"stepdown_earliest": date(2004, 3, 25), "senior_enhancement_target": D("0.15")}
    )
    return spec.model_copy(update={"overcollateralization": ocs})


def test_the_stepdown_month_records_the_stepdown() -> None:
    spec = _stepdown_spec()
    dq = [{"status": "delinquent", "bucket": "60", "count": 1, "balance": "100000.00"}]
    s0 = initial_state(spec)
    r1 = close(spec, s0, remittance(date(2004, 2, 25), s0, delinquency=dq))
    rem2 = remittance(
        date(2004, 3, 25), r1.state, sched_interest="495000.00", unscheduled="0.00", delinquency=dq
    )
    r2 = close(spec, r1.state, rem2)
    # the stepdown test reads the senior enhancement before distribution. February: A
    # 80,000,000 of 99,000,000: 19.19% >= 15%, but before the earliest date
    st1 = build_statement(r1)
    assert trigger_row(st1, "stepdown") == (pct(D(19) / 99), D("15.000000"), "Not reached")
    assert pct(D(19) / 99) == D("19.191919")
    assert r1.figure("oc:stepdown_reached") == 0
    # March: A 79,000,000 of 98,900,000: 20.121335% >= 15% on the earliest date: reached
    stepdown = D("19900000") / D("98900000")
    assert abs(r2.figure("trigger:stepdown_enhancement") - stepdown) < D("1E-25")
    assert r2.figure("oc:stepdown_reached") == 1
    st2 = build_statement(r2)
    assert trigger_row(st2, "stepdown") == (D("20.121335"), D("15.000000"), "Reached")
    # the delinquency test: the average of the two months' 60+ percentages (100,000 /
    # 99,000,000 and 100,000 / 98,900,000, 30 places) against 40% of the senior enhancement
    # after distribution (A 79,000,000 - 100,000 of 98,900,000)
    months = [ratio30("100000", p) for p in ("99000000", "98900000")]
    rolling = sum(months) / 2
    enhancement = D("20000000") / D("98900000")
    assert trigger_row(st2, "delinquency_trigger") == (
        pct(rolling),
        pct(D("0.40") * enhancement),
        "Pass",
    )
    assert trigger_row(st2, "delinquency_trigger")[:2] == (D("0.101061"), D("8.088979"))
