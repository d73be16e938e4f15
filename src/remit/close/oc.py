"""The overcollateralization family: seniors and mezzanines over an OC built from excess
interest, a stepdown date, delinquency and cumulative-loss triggers, an excess cash order.

Its inputs come in two steps, so that a projection can run the second per scenario:

1. :func:`period` reads the date's amounts from the remittance and the prior state, exactly
   (an :class:`OCPeriod` of Decimals; a projection builds one of float arrays);
2. :func:`prepare` works out, over an ``ops``, the classes' rates under the Net WAC cap, the
   stepdown date and the trigger events, and assembles the waterfall's input."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Generic

from remit import money
from remit.close.family import Inputs
from remit.close.period import accrual_period, expected_date
from remit.close.result import Accrual, Figure
from remit.close.state import DealState, FamilyState, OCState
from remit.errors import RemitError
from remit.money import ZERO
from remit.remittance import Remittance
from remit.rules import interest, principal, triggers
from remit.rules.ops import Amount, Exact, Flag, Ops
from remit.spec.models import OCSpec, TriggerDelinquency
from remit.waterfall import oc as waterfall
from remit.waterfall.flows import Opening, Position, WaterfallOut
from remit.waterfall.oc import InterestPaid, OCIn

NAME = "oc"
#: Decimal places of a month's 60+ day delinquency percentage (kept in the state).
PCT_PLACES = 30


def key(name: str) -> str:
    """The figure key of this family's figure ``name`` ("oc:<name>")."""
    return f"{NAME}:{name}"


@dataclass(frozen=True)
class OCPeriod(Generic[Amount, Flag]):
    """The date's amounts, per scenario: the classes' opening positions, the index fixings,
    the pool before and after the date, the funds, the 60+ day delinquency percentage (with
    the prior months'), cumulative losses, and the prior date's stepdown, specified OC and
    senior enhancement percentage."""

    classes: dict[str, Opening[Amount]]
    index: dict[str, Amount]
    beginning: Amount
    pool_ending: Amount
    scheduled_interest: Amount
    cap_fees: Amount
    interest_funds: Amount
    principal_funds: Amount
    recoveries: Amount
    realized_losses: Amount
    penalties: Amount
    interest_shortfall: Amount
    dq60_pct: Amount
    dq60_history: tuple[Amount, ...]
    cumulative_loss: Amount
    prior_stepdown: Flag
    prior_enhancement_met: Flag
    prior_specified_oc: Amount
    prior_enhancement: Amount


@dataclass(frozen=True)
class OCTests(Generic[Amount, Flag]):
    """What :func:`prepare` worked out on the way: each class's formula rate, cap (for a
    capped class), rate paid and whether the cap bound; the senior balance before the date's
    principal and after the principal distribution amount paid to the seniors first; the
    senior enhancement percentage before and after distribution and the one each test used;
    the 60+ delinquency tested; the stepdown; and the two trigger tests."""

    formula: dict[str, Amount]
    cap: dict[str, Amount]
    rate: dict[str, Amount]
    capped: dict[str, Flag]
    senior: Amount
    senior_after: Amount
    enhancement_before: Amount
    enhancement_after: Amount
    stepdown_enhancement: Amount
    trigger_enhancement: Amount
    rolling: Amount
    after_stepdown: Flag
    enhancement_met: Flag
    dq_trigger: Flag
    loss_trigger: Flag


def loss_limit(spec: OCSpec, when: date) -> Decimal | None:
    """The cumulative-loss trigger's limit in force on ``when`` (None before the first
    point of the schedule: no test)."""
    lt = spec.overcollateralization.loss_trigger
    points = [(s.from_date, s.pct) for s in lt.schedule]
    return triggers.cumulative_loss_limit(points, when, lt.interpolation == "monthly")


def _rates(
    spec: OCSpec, p: OCPeriod[Amount, Flag], ops: Ops[Amount, Flag]
) -> tuple[dict[str, Amount], dict[str, Amount], dict[str, Amount], dict[str, Flag]]:
    """Each class's formula rate, Net WAC cap (capped classes), rate paid and whether the
    cap bound."""
    net_for_cap = p.scheduled_interest - p.cap_fees
    cut_off = spec.collateral.cut_off_balance
    post_call = ops.ge(ops.const(cut_off * spec.dates.optional_termination_pct), p.beginning)
    formula: dict[str, Amount] = {}
    cap: dict[str, Amount] = {}
    rate: dict[str, Amount] = {}
    capped: dict[str, Flag] = {}
    nets: dict[tuple[int, bool], Amount] = {}  # the Net WAC Rate, by its days if Actual/360

    def net_wac(days: int, adjust: bool) -> Amount:
        key = (days if adjust else 0, adjust)
        if key not in nets:
            nets[key] = interest.net_wac_rate(net_for_cap, p.beginning, days, adjust, ops)
        return nets[key]

    for c in spec.classes:
        days = p.classes[c.name].days
        index = p.index.get(c.coupon.index) if c.coupon.index is not None else None
        formula[c.name] = interest.coupon_rate(
            c.coupon, index, net_wac(days, False), post_call, ops
        )
        rate[c.name], capped[c.name] = formula[c.name], ops.flag(False)
        if c.coupon.cap == "net_wac":
            adjust = c.coupon.day_count == "actual/360" and spec.net_wac_cap.actual_360_adjustment
            cap[c.name] = net_wac(days, adjust)
            rate[c.name], capped[c.name] = interest.capped_rate(formula[c.name], cap[c.name], ops)
    return formula, cap, rate, capped


def prepare(
    spec: OCSpec, when: date, p: OCPeriod[Amount, Flag], ops: Ops[Amount, Flag]
) -> tuple[OCIn[Amount, Flag], OCTests[Amount, Flag]]:
    """The waterfall's input on ``when``, in either mode: rates under the Net WAC cap, the
    stepdown date and the trigger events."""
    ocs = spec.overcollateralization
    formula, cap, rate, capped = _rates(spec, p, ops)
    w = OCIn(
        classes={n: o.paying(rate[n], formula[n]) for n, o in p.classes.items()},
        pool_ending=p.pool_ending,
        interest_funds=p.interest_funds,
        principal_funds=p.principal_funds,
        recoveries=p.recoveries,
        realized_losses=p.realized_losses,
        penalties=p.penalties,
        interest_shortfall=p.interest_shortfall,
        after_stepdown=ops.flag(False),
        trigger=ops.flag(False),
        building=ops.flag(when >= ocs.build_start),
        prior_specified_oc=p.prior_specified_oc,
    )
    paid = waterfall.before_principal(spec, w, ops)
    s = _enhancement(spec, w, paid, ops)
    reached = triggers.stepdown_reached(
        when,
        ocs.stepdown_earliest,
        s["stepdown"],
        ocs.senior_enhancement_target,
        ops.ge(ops.zero(), s["senior"]),
        ops,
        p.prior_enhancement_met,
    )
    after_stepdown = ops.or_(p.prior_stepdown, reached)
    met = ops.or_(
        p.prior_enhancement_met,
        triggers.enhancement_met(s["stepdown"], ocs.senior_enhancement_target, ops),
    )
    rolling, trigger_enh, dq_trigger, loss_trigger = _trigger_tests(spec, when, p, s["after"], ops)
    w = replace(
        w,
        after_stepdown=after_stepdown,
        trigger=ops.or_(dq_trigger, loss_trigger),
        interest_paid=paid,
    )
    tests = OCTests(
        formula,
        cap,
        rate,
        capped,
        s["senior"],
        s["senior_after"],
        s["before"],
        s["after"],
        s["stepdown"],
        trigger_enh,
        rolling,
        after_stepdown,
        met,
        dq_trigger,
        loss_trigger,
    )
    return w, tests


def _trigger_tests(
    spec: OCSpec, when: date, p: OCPeriod[Amount, Flag], current: Amount, ops: Ops[Amount, Flag]
) -> tuple[Amount, Amount, Flag, Flag]:
    """The 60+ day percentage tested (the current month's or a rolling average), the senior
    enhancement percentage it is tested against (the date's ``current`` or the prior
    date's), and the delinquency and cumulative loss tests."""
    ocs = spec.overcollateralization
    dq = ocs.delinquency_trigger
    history: list[Amount] = list(p.dq60_history)
    history.append(p.dq60_pct)
    rolling = triggers.rolling_average(history[-dq.averaging_months :], ops)
    enhancement = current if dq.senior_enhancement == "current" else p.prior_enhancement
    dq_trigger, loss_trigger = triggers.trigger_event(
        rolling,
        enhancement,
        dq.threshold_pct_of_senior_enhancement,
        p.cumulative_loss,
        spec.collateral.cut_off_balance,
        loss_limit(spec, when),
        ops,
        dq.comparison,
        ocs.loss_trigger.comparison,
    )
    return rolling, enhancement, dq_trigger, loss_trigger


def _enhancement(
    spec: OCSpec,
    w: OCIn[Amount, Flag],
    paid: InterestPaid[Amount, Flag],
    ops: Ops[Amount, Flag],
) -> dict[str, Amount]:
    """The senior balance before the date's principal (after any write-up) and after the
    date's principal distribution amount paid to the seniors first (as before the stepdown
    date); the senior enhancement percentages on the ending pool balance with each; and the
    one the stepdown test uses."""
    ocs = spec.overcollateralization
    balances, interest_left = paid.balances, paid.interest_left
    seniors = [c.name for c in spec.principal_classes if c.type == "SEN"]
    senior = ops.sum(balances[n] for n in seniors)
    initial = ops.cents(ops.const(spec.collateral.cut_off_balance * ocs.specified_pct))
    pda = principal.principal_distribution_before_stepdown(
        w.principal_funds,
        w.pool_ending,
        ops.sum(balances[n] for n in spec.principal.sequential),
        interest_left,
        initial,
        w.building,
        ops,
    )
    senior_after = ops.max(senior - pda, ops.zero())
    before = triggers.senior_enhancement_pct(senior, w.pool_ending, ops)
    after = triggers.senior_enhancement_pct(senior_after, w.pool_ending, ops)
    return {
        "senior": senior,
        "senior_after": senior_after,
        "before": before,
        "after": after,
        "stepdown": before if ocs.stepdown_enhancement == "before_distribution" else after,
    }


def period(
    spec: OCSpec, prior: DealState, rem: Remittance, fees: dict[str, Figure], source: str
) -> OCPeriod[Decimal, bool]:
    """The date's exact amounts from the remittance and the prior state. Fees, then advance
    reimbursements, come out of interest first and, where interest falls short, out of
    principal: both rank ahead of every certificate."""
    it, pr = rem.interest, rem.principal
    collected_interest = (
        it.scheduled_interest - it.prepayment_interest_shortfall - it.relief_act_shortfall
    )
    fee_total = sum((f.value for f in fees.values()), ZERO)
    reimb = rem.advances.reimbursements
    interest_funds, principal_funds = remittance_funds(
        collected_interest,
        fee_total,
        it.compensating_interest,
        reimb,
        pr.scheduled_principal
        + pr.unscheduled_principal
        + pr.repurchases_principal
        + pr.liquidation_proceeds
        + pr.subsequent_recoveries,
        Exact(),
    )
    if principal_funds < 0:
        fee_cash = fee_total - it.compensating_interest
        raise RemitError.one(
            source,
            "interest.scheduled_interest",
            str(it.scheduled_interest),
            f"collections that cover the fees {fee_cash} and advance reimbursements {reimb}",
        )
    pool_ending = prior.pool_balance - rem.pool_reduction
    dq_bal = sixty_plus_balance(rem, spec.overcollateralization.delinquency_trigger)
    state = prior.oc
    return OCPeriod(
        classes=_openings(spec, prior, rem),
        index=dict(rem.index),
        beginning=prior.pool_balance,
        pool_ending=pool_ending,
        scheduled_interest=it.scheduled_interest,
        cap_fees=sum((fees[n].value for n in spec.net_wac_cap.net_of), ZERO),
        interest_funds=interest_funds,
        principal_funds=principal_funds,
        recoveries=pr.subsequent_recoveries,
        realized_losses=pr.realized_losses,
        penalties=rem.prepayment_penalties,
        interest_shortfall=it.prepayment_interest_shortfall
        - it.compensating_interest
        + it.relief_act_shortfall,
        dq60_pct=money.ratio(dq_bal, pool_ending, PCT_PLACES),
        dq60_history=state.dq60_pct_history,
        cumulative_loss=prior.cumulative_loss + pr.realized_losses - pr.subsequent_recoveries,
        prior_stepdown=state.stepdown_reached,
        prior_enhancement_met=state.enhancement_met,
        prior_specified_oc=state.specified_oc,
        prior_enhancement=prior_senior_enhancement(spec, prior),
    )


def sixty_plus_balance(rem: Remittance, dq: TriggerDelinquency) -> Decimal:
    """60+ Day Delinquent Mortgage Loans' balance: loans two or more payments past due, and
    every loan in a status the deal counts whatever its delinquency (foreclosure, REO,
    bankruptcy; ``sixty_plus_includes``)."""
    included = set(dq.sixty_plus_includes)
    return sum(
        (
            cell.balance
            for cell in rem.delinquency
            if cell.status in included or cell.bucket not in ("0-29", "30")
        ),
        ZERO,
    )


def prior_senior_enhancement(spec: OCSpec, prior: DealState) -> Decimal:
    """The prior distribution date's Senior Enhancement Percentage, after its distributions:
    (pool balance - senior classes) / pool balance (at the first date: the cut-off balance
    and the original senior balance)."""
    return senior_enhancement_after(spec, prior.classes, prior.pool_balance, Exact())


def senior_enhancement_after(
    spec: OCSpec, classes: Mapping[str, Position[Amount]], pool: Amount, ops: Ops[Amount, Flag]
) -> Amount:
    """The Senior Enhancement Percentage after a date's distributions, from the classes'
    positions and the pool balance after it."""
    senior = ops.sum(classes[c.name].balance for c in spec.principal_classes if c.type == "SEN")
    return triggers.senior_enhancement_pct(senior, pool, ops)


def remittance_funds(
    collected_interest: Amount,
    fees: Amount,
    compensating_interest: Amount,
    reimbursements: Amount,
    principal_collected: Amount,
    ops: Ops[Amount, Flag],
) -> tuple[Amount, Amount]:
    """The Interest Remittance Amount and the Principal Remittance Amount: the fees (less
    compensating interest), then the advance reimbursements, come out of interest first and,
    where interest falls short, out of principal (both rank ahead of every certificate)."""
    fee_cash = fees - compensating_interest
    fee_from_interest = ops.min(fee_cash, collected_interest)
    reimb_interest = ops.min(reimbursements, collected_interest - fee_from_interest)
    reimb_principal = reimbursements - reimb_interest + (fee_cash - fee_from_interest)
    return (
        collected_interest - fee_from_interest - reimb_interest,
        principal_collected - reimb_principal,
    )


def openings(
    spec: OCSpec,
    classes: Mapping[str, Position[Amount]],
    pool: Amount,
    days: Mapping[str, int],
    ops: Ops[Amount, Flag],
) -> dict[str, Opening[Amount]]:
    """Each class's opening position from its position after the prior date; an OC class or
    a residual retired from the closing deposit has no certificate balance, a notional class
    accrues on the pool balance (``pool``, before the date)."""
    out = {}
    for c in spec.classes:
        st = classes[c.name]
        certificate = c.balance_is == "certificate" and c.retire is None
        balance = st.balance if certificate else ops.zero()
        out[c.name] = Opening(
            balance=balance,
            unpaid_interest=st.unpaid_interest,
            basis_risk_carryforward=st.basis_risk_carryforward,
            unpaid_realized_loss=st.unpaid_realized_loss,
            accrual_base=pool if c.notional == "pool_balance" else balance,
            days=days[c.name],
        )
    return out


def _openings(spec: OCSpec, prior: DealState, rem: Remittance) -> dict[str, Opening[Decimal]]:
    when = rem.distribution_date
    days = {c.name: accrual_period(spec, c, prior, when)[2] for c in spec.classes}
    return openings(spec, prior.classes, prior.pool_balance, days, Exact())


def _figures(
    spec: OCSpec, when: date, p: OCPeriod[Decimal, bool], t: OCTests[Decimal, bool]
) -> dict[str, Figure]:
    """The figures of the cap and the trigger tests, with their formulas."""
    ocs = spec.overcollateralization
    figs: dict[str, Figure] = {}
    for c in spec.classes:
        if c.name in t.cap:
            days = p.classes[c.name].days
            figs[f"class:{c.name}:net_wac_cap"] = Figure(
                t.cap[c.name],
                "net_wac_cap",
                spec.net_wac_cap.basis,
                f"({p.scheduled_interest} - fees {p.cap_fees}) x 12 / {p.beginning}"
                + (f" x 30 / {days}" if c.coupon.day_count == "actual/360" else ""),
            )
    dq = ocs.delinquency_trigger
    history = (*p.dq60_history, p.dq60_pct)[-dq.averaging_months :]
    figs["trigger:delinquency_rolling"] = Figure(
        t.rolling,
        "delinquency_trigger",
        dq.basis,
        f"average of 60+ percentages {[str(h) for h in history]}",
    )
    figs["trigger:senior_enhancement"] = Figure(
        t.trigger_enhancement,
        "senior_enhancement",
        dq.basis,
        f"the prior date's: {p.prior_enhancement}"
        if dq.senior_enhancement == "prior"
        else f"(pool {p.pool_ending} - senior after distribution {t.senior_after}) / pool",
    )
    figs["trigger:delinquency_limit"] = Figure(
        t.trigger_enhancement * dq.threshold_pct_of_senior_enhancement,
        "delinquency_trigger",
        dq.basis,
        f"{dq.threshold_pct_of_senior_enhancement} x senior enhancement {t.trigger_enhancement}"
        f" ({dq.comparison.replace('_', ' ')} fails)",
    )
    figs["trigger:stepdown_enhancement"] = Figure(
        t.stepdown_enhancement,
        "stepdown_date",
        ocs.basis,
        f"(pool {p.pool_ending} - senior {t.senior}) / pool"
        if ocs.stepdown_enhancement == "before_distribution"
        else f"(pool {p.pool_ending} - senior after distribution {t.senior_after}) / pool",
    )
    limit = loss_limit(spec, when)
    figs["trigger:loss_limit"] = Figure(
        ZERO if limit is None else limit,
        "loss_trigger",
        ocs.loss_trigger.basis,
        f"cumulative loss limit in force on {when} ({ocs.loss_trigger.interpolation})"
        if limit is not None
        else f"no cumulative loss test before {ocs.loss_trigger.schedule[0].from_date}"
        if ocs.loss_trigger.schedule
        else "no cumulative loss test",
    )
    return figs | _test_figures(spec, when, p, t)


def _flag(value: bool) -> Decimal:
    """A yes/no figure: 1 or 0."""
    return Decimal(1) if value else Decimal(0)


def _test_figures(
    spec: OCSpec, when: date, p: OCPeriod[Decimal, bool], t: OCTests[Decimal, bool]
) -> dict[str, Figure]:
    """What the statement discloses of the trigger tests and the stepdown beside their
    values and thresholds: each test's result (1: the trigger event is in effect), the
    cumulative losses as a share of the cut-off balance, whether a loss limit is in force,
    the stepdown's target and whether the stepdown date has come (on this date or before)."""
    ocs = spec.overcollateralization
    dq, lt = ocs.delinquency_trigger, ocs.loss_trigger
    cut_off = spec.collateral.cut_off_balance
    limit = loss_limit(spec, when)
    dq_limit = t.trigger_enhancement * dq.threshold_pct_of_senior_enhancement
    return {
        "trigger:delinquency": Figure(
            _flag(t.dq_trigger),
            "delinquency trigger event",
            dq.basis,
            f"60+ percentage tested {t.rolling} {dq.comparison.replace('_', ' ')} limit "
            f"{dq_limit}: {'yes' if t.dq_trigger else 'no'}",
        ),
        "trigger:cumulative_loss": Figure(
            p.cumulative_loss,
            "cumulative realized losses",
            lt.basis,
            "realized losses net of subsequent recoveries since the cut-off date",
        ),
        "trigger:cumulative_loss_pct": Figure(
            money.div(p.cumulative_loss, cut_off),
            "loss_trigger",
            lt.basis,
            f"cumulative realized losses {p.cumulative_loss} / cut-off balance {cut_off}",
        ),
        "trigger:loss_in_force": Figure(
            _flag(limit is not None),
            "loss_trigger",
            lt.basis,
            f"a cumulative loss limit in force on {when}: {'yes' if limit is not None else 'no'}",
        ),
        "trigger:loss": Figure(
            _flag(t.loss_trigger),
            "cumulative loss trigger event",
            lt.basis,
            f"cumulative losses {p.cumulative_loss} {lt.comparison.replace('_', ' ')} {limit} x "
            f"cut-off balance {cut_off}: {'yes' if t.loss_trigger else 'no'}"
            if limit is not None
            else f"no cumulative loss limit in force on {when}",
        ),
        "trigger:stepdown_target": Figure(
            ocs.senior_enhancement_target,
            "stepdown_date",
            ocs.basis,
            "the senior enhancement percentage the stepdown date needs",
        ),
        key("stepdown_reached"): Figure(
            _flag(t.after_stepdown),
            "stepdown_date",
            ocs.basis,
            f"the earlier of the date after the seniors are paid off and the later of "
            f"{ocs.stepdown_earliest} and the first date the senior enhancement percentage is "
            f"at least {ocs.senior_enhancement_target} (met on this date or an earlier one: "
            f"{'yes' if t.enhancement_met else 'no'}); this date or an earlier one",
        ),
    }


def _oc_formulas(m: dict[str, Decimal]) -> dict[str, str]:
    """The arithmetic behind the OC figures the statement prints."""
    interest_left = m["net_monthly_excess_cashflow"] - m["oc_release"]
    return {
        "oc_deficiency": f"specified {m['specified_oc']} - overcollateralized amount after the "
        f"principal remittance {m['oc_amount_before']} (not below 0); after all distributions "
        f"{m['oc_deficiency_after_distributions']}",
        "oc_deficiency_after_distributions": f"specified {m['specified_oc']} - "
        f"overcollateralized amount after all distributions {m['oc_amount']}",
        "net_monthly_excess_cashflow": f"interest left (and principal no class is owed) "
        f"{interest_left} + overcollateralization release {m['oc_release']}",
        "excess_cash_after_extra_principal": f"net monthly excess cashflow "
        f"{m['net_monthly_excess_cashflow']} - extra principal {m['extra_principal']}",
        "extra_principal": f"min(net monthly excess cashflow {m['net_monthly_excess_cashflow']}, "
        f"required {m['required_oc']} - overcollateralized amount {m['oc_amount_before']})",
        "oc_amount": "pool balance - certificates after all distributions (not below 0)",
    }


def _loss_figures(spec: OCSpec, rem: Remittance, wf: WaterfallOut[Decimal]) -> dict[str, Figure]:
    """What the overcollateralization did with the date's losses and recoveries: the realized
    losses it absorbed (those not applied to a certificate), and its accretion, net (the
    extra principal distribution amount and the subsequent recoveries not used to write a
    certificate back up, less the part of the overcollateralization release the excess cash
    order paid to other classes)."""
    basis = spec.overcollateralization.basis
    pr = rem.principal
    applied = wf.metrics["applied_realized_loss"]
    extra = wf.metrics["extra_principal"]
    writeups = sum((o.writeup for o in wf.classes.values()), ZERO)
    to_others = wf.metrics["oc_release_to_excess_order"]
    return {
        key("absorbed_loss"): Figure(
            pr.realized_losses - applied,
            "realized loss absorbed by overcollateralization",
            basis,
            f"realized losses {pr.realized_losses} - applied realized loss {applied}",
        ),
        key("accretion"): Figure(
            extra + pr.subsequent_recoveries - writeups - to_others,
            "overcollateralization accretion",
            basis,
            f"extra principal {extra} + recoveries {pr.subsequent_recoveries} - write-ups "
            f"{writeups} - overcollateralization release paid to other classes {to_others}",
        ),
    }


class OCFamily:
    """The overcollateralization family's strategy."""

    name = NAME

    def initial(self, spec: OCSpec) -> FamilyState:
        ocs = spec.overcollateralization
        return OCState(
            specified_oc=money.cents(spec.collateral.cut_off_balance * ocs.specified_pct)
        )

    def inputs(
        self, spec: OCSpec, prior: DealState, rem: Remittance, fees: dict[str, Figure], source: str
    ) -> Inputs[OCIn[Decimal, bool]]:
        when = expected_date(spec, prior)
        p = period(spec, prior, rem, fees, source)
        w, t = prepare(spec, when, p, Exact())
        accruals = {}
        for c in spec.classes:
            start, end, days = accrual_period(spec, c, prior, when)
            accruals[c.name] = Accrual(
                start, end, days, t.rate[c.name], t.formula[c.name], t.capped[c.name]
            )
        carry = OCState(
            specified_oc=ZERO,  # set from the waterfall's specified OC
            stepdown_reached=t.after_stepdown,
            enhancement_met=t.enhancement_met,
            dq60_pct_history=(*p.dq60_history, p.dq60_pct),
        )
        return Inputs(w, accruals, _figures(spec, when, p, t), w.trigger, carry)

    def run(self, spec: OCSpec, w: OCIn[Decimal, bool], ops: Exact) -> WaterfallOut[Decimal]:
        return waterfall.run(spec, w, ops)

    def next_state(
        self,
        spec: OCSpec,
        prior: DealState,
        rem: Remittance,
        inputs: Inputs[OCIn[Decimal, bool]],
        wf: WaterfallOut[Decimal],
    ) -> tuple[FamilyState, dict[str, Figure]]:
        carry: OCState = inputs.carry
        basis = spec.overcollateralization.basis
        formulas = _oc_formulas(wf.metrics)
        formulas["excess_cash"] = formulas[
            "net_monthly_excess_cashflow"
            if spec.statement.excess_cash_row == "net_monthly_excess_cashflow"
            else "excess_cash_after_extra_principal"
        ]
        figs = {
            key(k): Figure(v, f"oc.{k}", basis, formulas.get(k, k.replace("_", " ")))
            for k, v in wf.metrics.items()
        } | _loss_figures(spec, rem, wf)
        state = OCState(
            specified_oc=wf.metrics["specified_oc"],
            stepdown_reached=carry.stepdown_reached,
            enhancement_met=carry.enhancement_met,
            dq60_pct_history=carry.dq60_pct_history[-12:],
        )
        return state, figs


FAMILY = OCFamily()
