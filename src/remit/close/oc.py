"""The overcollateralization family: seniors and mezzanines over an OC built from excess
interest, a stepdown date, delinquency and cumulative-loss triggers, an excess cash order.

Its inputs come in two steps, so that a projection can run the second per scenario:

1. :func:`period` reads the date's amounts from the remittance and the prior state, exactly
   (an :class:`OCPeriod` of Decimals; a projection builds one of float arrays);
2. :func:`prepare` works out, over an ``ops``, the classes' rates under the Net WAC cap, the
   stepdown date and the trigger events, and assembles the waterfall's input."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Generic

from remit import money
from remit.close.family import Inputs
from remit.close.period import accrual_period, expected_date, sixty_plus
from remit.close.result import Accrual, Figure
from remit.close.state import DealState, FamilyState, OCState
from remit.errors import RemitError
from remit.money import ZERO
from remit.remittance import Remittance
from remit.rules import interest, triggers
from remit.rules.ops import Amount, Exact, Flag, Ops
from remit.spec.models import OCSpec
from remit.waterfall import oc as waterfall
from remit.waterfall.flows import Opening, WaterfallOut
from remit.waterfall.oc import OCIn

NAME = "oc"


def key(name: str) -> str:
    """The figure key of this family's figure ``name`` ("oc:<name>")."""
    return f"{NAME}:{name}"


@dataclass(frozen=True)
class OCPeriod(Generic[Amount, Flag]):
    """The date's amounts, per scenario: the classes' opening positions, the index fixings,
    the pool before and after the date, the funds, the 60+ day delinquency percentage (with
    the prior months'), cumulative losses, and the prior date's stepdown and specified OC."""

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
    prior_specified_oc: Amount


@dataclass(frozen=True)
class OCTests(Generic[Amount, Flag]):
    """What :func:`prepare` worked out on the way: each class's formula rate, cap (for a
    capped class), rate paid and whether the cap bound; the senior balance after the
    principal remittance; the senior enhancement percentage; the rolling 60+ delinquency;
    the stepdown; and the two trigger tests."""

    formula: dict[str, Amount]
    cap: dict[str, Amount]
    rate: dict[str, Amount]
    capped: dict[str, Flag]
    senior: Amount
    enhancement: Amount
    rolling: Amount
    after_stepdown: Flag
    dq_trigger: Flag
    loss_trigger: Flag


def loss_limit(spec: OCSpec, when: date) -> Decimal:
    """The cumulative-loss trigger's limit in force on ``when`` (0 before the first step)."""
    limit = ZERO
    for step in spec.overcollateralization.loss_trigger.schedule:
        if step.from_date <= when:
            limit = step.pct
    return limit


def prepare(
    spec: OCSpec, when: date, p: OCPeriod[Amount, Flag], ops: Ops[Amount, Flag]
) -> tuple[OCIn[Amount, Flag], OCTests[Amount, Flag]]:
    """The waterfall's input on ``when``, in either mode: rates under the Net WAC cap, the
    stepdown date and the trigger events."""
    ocs = spec.overcollateralization
    net_for_cap = p.scheduled_interest - p.cap_fees
    cut_off = spec.collateral.cut_off_balance
    post_call = ops.ge(ops.const(cut_off * spec.dates.optional_termination_pct), p.beginning)
    formula: dict[str, Amount] = {}
    cap: dict[str, Amount] = {}
    rate: dict[str, Amount] = {}
    capped: dict[str, Flag] = {}
    for c in spec.classes:
        days = p.classes[c.name].days
        net = interest.net_wac_rate(net_for_cap, p.beginning, days, False, ops)
        index = p.index.get(c.coupon.index) if c.coupon.index is not None else None
        formula[c.name] = interest.coupon_rate(c.coupon, index, net, post_call, ops)
        rate[c.name], capped[c.name] = formula[c.name], ops.flag(False)
        if c.coupon.cap == "net_wac":
            adjust = c.coupon.day_count == "actual/360" and spec.net_wac_cap.actual_360_adjustment
            cap[c.name] = interest.net_wac_rate(net_for_cap, p.beginning, days, adjust, ops)
            rate[c.name], capped[c.name] = interest.capped_rate(formula[c.name], cap[c.name], ops)
    # the senior balance after the principal remittance amount is applied (it all goes to
    # the seniors before the stepdown date): the basis of the senior enhancement percentage
    senior_before = ops.sum(
        p.classes[c.name].balance for c in spec.principal_classes if c.type == "SEN"
    )
    senior = ops.max(senior_before - p.principal_funds, ops.zero())
    reached = triggers.stepdown_reached(
        when, ocs.stepdown_earliest, senior, p.pool_ending, ocs.senior_enhancement_target, ops
    )
    after_stepdown = ops.or_(p.prior_stepdown, reached)
    history: list[Amount] = list(p.dq60_history)
    history.append(p.dq60_pct)
    history = history[-ocs.delinquency_trigger.averaging_months :]
    rolling = ops.div(ops.sum(history), ops.const(len(history)))
    enhancement = triggers.senior_enhancement_pct(senior, p.pool_ending, ops)
    dq_trigger, loss_trigger = triggers.trigger_event(
        rolling,
        enhancement,
        ocs.delinquency_trigger.threshold_pct_of_senior_enhancement,
        p.cumulative_loss,
        cut_off,
        loss_limit(spec, when),
        ops,
    )
    w = OCIn(
        classes={n: o.paying(rate[n], formula[n]) for n, o in p.classes.items()},
        pool_ending=p.pool_ending,
        interest_funds=p.interest_funds,
        principal_funds=p.principal_funds,
        recoveries=p.recoveries,
        realized_losses=p.realized_losses,
        penalties=p.penalties,
        interest_shortfall=p.interest_shortfall,
        after_stepdown=after_stepdown,
        trigger=ops.or_(dq_trigger, loss_trigger),
        building=ops.flag(when >= ocs.build_start),
        prior_specified_oc=p.prior_specified_oc,
    )
    tests = OCTests(
        formula,
        cap,
        rate,
        capped,
        senior,
        enhancement,
        rolling,
        after_stepdown,
        dq_trigger,
        loss_trigger,
    )
    return w, tests


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
    fee_cash = sum((f.value for f in fees.values()), ZERO) - it.compensating_interest
    fee_from_interest = min(fee_cash, collected_interest)
    reimb = rem.advances.reimbursements
    reimb_interest = min(reimb, collected_interest - fee_from_interest)
    reimb_principal = reimb - reimb_interest + (fee_cash - fee_from_interest)
    principal_funds = (
        pr.scheduled_principal
        + pr.unscheduled_principal
        + pr.repurchases_principal
        + pr.liquidation_proceeds
        + pr.subsequent_recoveries
        - reimb_principal
    )
    if principal_funds < 0:
        raise RemitError.one(
            source,
            "interest.scheduled_interest",
            str(it.scheduled_interest),
            f"collections that cover the fees {fee_cash} and advance reimbursements {reimb}",
        )
    pool_ending = prior.pool_balance - rem.pool_reduction
    _, dq_bal = sixty_plus(rem)
    state = prior.oc
    return OCPeriod(
        classes=_openings(spec, prior, rem),
        index=dict(rem.index),
        beginning=prior.pool_balance,
        pool_ending=pool_ending,
        scheduled_interest=it.scheduled_interest,
        cap_fees=sum((fees[n].value for n in spec.net_wac_cap.net_of), ZERO),
        interest_funds=collected_interest - fee_from_interest - reimb_interest,
        principal_funds=principal_funds,
        recoveries=pr.subsequent_recoveries,
        realized_losses=pr.realized_losses,
        penalties=rem.prepayment_penalties,
        interest_shortfall=it.prepayment_interest_shortfall
        - it.compensating_interest
        + it.relief_act_shortfall,
        dq60_pct=money.ratio(dq_bal, pool_ending, 10),
        dq60_history=state.dq60_pct_history,
        cumulative_loss=prior.cumulative_loss + pr.realized_losses - pr.subsequent_recoveries,
        prior_stepdown=state.stepdown_reached,
        prior_specified_oc=state.specified_oc,
    )


def _openings(spec: OCSpec, prior: DealState, rem: Remittance) -> dict[str, Opening[Decimal]]:
    """Each class's opening position; an OC class or a residual retired from the closing
    deposit has no certificate balance, a notional class accrues on the pool balance."""
    out = {}
    when = rem.distribution_date
    for c in spec.classes:
        st = prior.classes[c.name]
        balance = st.balance if c.balance_is == "certificate" and c.retire is None else ZERO
        out[c.name] = Opening(
            balance=balance,
            unpaid_interest=st.unpaid_interest,
            basis_risk_carryforward=st.basis_risk_carryforward,
            unpaid_realized_loss=st.unpaid_realized_loss,
            accrual_base=prior.pool_balance if c.notional == "pool_balance" else balance,
            days=accrual_period(spec, c, prior, when)[2],
        )
    return out


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
    history = (*p.dq60_history, p.dq60_pct)[-ocs.delinquency_trigger.averaging_months :]
    figs["trigger:delinquency_rolling"] = Figure(
        t.rolling,
        "delinquency_trigger",
        ocs.delinquency_trigger.basis,
        f"average of 60+ percentages {[str(h) for h in history]}",
    )
    figs["trigger:senior_enhancement"] = Figure(
        t.enhancement,
        "senior_enhancement",
        ocs.delinquency_trigger.basis,
        f"(pool {p.pool_ending} - senior {t.senior}) / pool",
    )
    figs["trigger:loss_limit"] = Figure(
        loss_limit(spec, when),
        "loss_trigger",
        ocs.loss_trigger.basis,
        f"cumulative loss limit in force on {when}",
    )
    return figs | _test_figures(spec, when, p, t)


def _flag(value: bool) -> Decimal:
    """A yes/no figure: 1 or 0."""
    return Decimal(1) if value else Decimal(0)


def _test_figures(
    spec: OCSpec, when: date, p: OCPeriod[Decimal, bool], t: OCTests[Decimal, bool]
) -> dict[str, Figure]:
    """What the statement discloses of the trigger tests and the stepdown: each test's
    actual value, its threshold and its result (1: the trigger event is in effect; the
    stepdown: 1 when reached, on this date or before)."""
    ocs = spec.overcollateralization
    dq, lt = ocs.delinquency_trigger, ocs.loss_trigger
    share = dq.threshold_pct_of_senior_enhancement
    cut_off = spec.collateral.cut_off_balance
    limit = loss_limit(spec, when)
    return {
        "trigger:delinquency_limit": Figure(
            t.enhancement * share,
            "delinquency_trigger",
            dq.basis,
            f"{share} x senior enhancement {t.enhancement}",
        ),
        "trigger:delinquency": Figure(
            _flag(t.dq_trigger),
            "delinquency trigger event",
            dq.basis,
            f"60+ rolling average {t.rolling} > limit {t.enhancement * share}",
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
        "trigger:loss": Figure(
            _flag(t.loss_trigger),
            "cumulative loss trigger event",
            lt.basis,
            f"cumulative losses {p.cumulative_loss} > {limit} x cut-off balance {cut_off}"
            if limit > 0
            else f"no cumulative loss limit in force on {when}",
        ),
        "trigger:stepdown_enhancement": Figure(
            t.enhancement,
            "stepdown_date",
            ocs.basis,
            f"(pool {p.pool_ending} - senior {t.senior}) / pool",
        ),
        "trigger:stepdown_target": Figure(
            ocs.senior_enhancement_target,
            "stepdown_date",
            ocs.basis,
            "senior enhancement percentage the stepdown date needs",
        ),
        key("stepdown_reached"): Figure(
            _flag(t.after_stepdown),
            "stepdown_date",
            ocs.basis,
            f"on or after {ocs.stepdown_earliest} with senior enhancement at least "
            f"{ocs.senior_enhancement_target} (on this date or an earlier one)",
        ),
    }


def _loss_figures(spec: OCSpec, rem: Remittance, wf: WaterfallOut[Decimal]) -> dict[str, Figure]:
    """What the overcollateralization did with the date's losses and recoveries: the realized
    losses it absorbed (those not applied to a certificate), and its accretion (the extra
    principal distribution amount, and the subsequent recoveries not used to write a
    certificate back up)."""
    basis = spec.overcollateralization.basis
    pr = rem.principal
    applied = wf.metrics["applied_realized_loss"]
    extra = wf.metrics["extra_principal"]
    writeups = sum((o.writeup for o in wf.classes.values()), ZERO)
    return {
        key("absorbed_loss"): Figure(
            pr.realized_losses - applied,
            "realized loss absorbed by overcollateralization",
            basis,
            f"realized losses {pr.realized_losses} - applied realized loss {applied}",
        ),
        key("accretion"): Figure(
            extra + pr.subsequent_recoveries - writeups,
            "overcollateralization accretion",
            basis,
            f"extra principal {extra} + recoveries {pr.subsequent_recoveries} - write-ups "
            f"{writeups}",
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
        figs = {
            key(k): Figure(v, f"oc.{k}", basis, k.replace("_", " ")) for k, v in wf.metrics.items()
        } | _loss_figures(spec, rem, wf)
        state = OCState(
            specified_oc=wf.metrics["specified_oc"],
            stepdown_reached=carry.stepdown_reached,
            dq60_pct_history=carry.dq60_pct_history[-12:],
        )
        return state, figs


FAMILY = OCFamily()
