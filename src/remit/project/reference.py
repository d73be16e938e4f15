"""The collateral model of :mod:`remit.project.engine`, written the plain way: one scenario,
one loan and one month at a time, in Python floats, with each defaulted cohort carried
explicitly until it is liquidated. For tests (the engine must agree with it) and for the
benchmarks' per-scenario loop. Slow on purpose: no algebra, no vectors."""

from __future__ import annotations

import math

from remit.project.collateral import Collateral
from remit.project.formulas import level_principal_fraction, mdr_from_cdr, smm_from_cpr
from remit.project.formulas import psa_cpr as _psa
from remit.project.formulas import sda_cdr as _sda
from remit.project.scenario import Scenario

OUT = (
    "beginning_balance",
    "default",
    "scheduled_principal",
    "prepayment",
    "call_principal",
    "advanced_principal",
    "liquidated_balance",
    "loss",
    "recovery",
    "gross_interest",
    "servicing_fee",
    "advanced_interest",
    "net_interest",
    "ending_balance",
)


def _rate_of(values: tuple[float, ...], m: int) -> float:
    return values[min(m - 1, len(values) - 1)]


def monthly_rates(sc: Scenario, age: float, m: int) -> tuple[float, float]:
    """(SMM, MDR) of projected month ``m`` for a loan of ``age`` before month 1."""
    p = _rate_of(sc.prepay, m)
    if sc.prepay_kind == "psa":
        smm = float(smm_from_cpr(float(_psa(age + m, p))))
    elif sc.prepay_kind == "cpr":
        smm = float(smm_from_cpr(p))
    else:
        smm = p
    d = _rate_of(sc.default, m)
    if sc.default_kind == "sda":
        mdr = float(mdr_from_cdr(float(_sda(age + m, d))))
    elif sc.default_kind == "cdr":
        mdr = float(mdr_from_cdr(d))
    else:
        mdr = d
    return smm, mdr


def _reset(c: Collateral, sc: Scenario, loan: int, prior: float, m: int, months: int) -> float:
    k = m - int(c.first_reset[loan])
    if k < 0 or k % max(int(c.reset_every[loan]), 1) != 0:
        return prior
    j = int(c.index_code[loan])
    index = float(sc.index_path(c.index_names[j], c.index_base[j], months)[m - 1])
    full = index + float(c.margin[loan])
    step = float(c.round_to[loan])
    if step > 0:
        q = full / step
        mode = int(c.round_mode[loan])
        q = (
            math.ceil(q - 1e-6)
            if mode == 1
            else math.floor(q + 1e-6)
            if mode == 2
            else (math.floor(q + 0.5))
        )
        full = q * step
    cap = float(c.first_cap[loan] if k == 0 else c.periodic_cap[loan])
    new = min(max(full, prior - cap), prior + cap)
    return min(max(new, float(c.floor[loan])), float(c.ceiling[loan]))


def project_loan(c: Collateral, loan: int, sc: Scenario, months: int) -> dict[str, list[float]]:
    """One loan under one scenario (no clean-up call: that is a pool decision)."""
    out = {k: [0.0] * months for k in OUT}
    perf = float(c.balance[loan])
    rate, fee = float(c.rate[loan]), float(c.fee[loan])
    is_arm = bool(c.arm.size and c.arm[loan])
    cohorts: list[list[float]] = []  # [balance, month defaulted]
    for m in range(1, months + 1):
        if is_arm:
            rate = _reset(c, sc, loan, rate, m, months)
        n = float(c.remaining[loan]) - (m - 1)
        a = float(level_principal_fraction(rate / 12.0, n))
        if m <= c.io[loan] and n > 1:
            a = 0.0
        smm, mdr = monthly_rates(sc, float(c.age[loan]), m)
        out["beginning_balance"][m - 1] = perf + sum(x[0] for x in cohorts)
        d = perf * mdr
        perf -= d
        out["default"][m - 1] = d
        cohorts.append([d, float(m)])
        sched = perf * a
        out["scheduled_principal"][m - 1] = sched
        out["gross_interest"][m - 1] = perf * rate / 12.0
        out["servicing_fee"][m - 1] = perf * fee / 12.0
        pre = (perf - sched) * smm
        out["prepayment"][m - 1] = pre
        perf -= sched + pre
        still: list[list[float]] = []
        for bal, k in cohorts:
            if m - k >= sc.lag:
                out["liquidated_balance"][m - 1] += bal
                out["loss"][m - 1] += sc.severity * bal
                out["recovery"][m - 1] += bal - sc.severity * bal
                continue
            if sc.advancing:
                out["advanced_principal"][m - 1] += bal * a
                out["advanced_interest"][m - 1] += bal * (rate - fee) / 12.0
                bal -= bal * a
            still.append([bal, k])
        cohorts = still
        gross, fees = out["gross_interest"][m - 1], out["servicing_fee"][m - 1]
        out["net_interest"][m - 1] = gross - fees + out["advanced_interest"][m - 1]
        out["ending_balance"][m - 1] = perf + sum(x[0] for x in cohorts)
    return out


def project_reference(c: Collateral, sc: Scenario, months: int) -> dict[str, list[float]]:
    """The pool under one scenario: every loan, summed; then the clean-up call."""
    total = {k: [0.0] * months for k in OUT}
    for loan in range(c.n):
        one = project_loan(c, loan, sc, months)
        for k in OUT:
            t, o = total[k], one[k]
            for m in range(months):
                t[m] += o[m]
    if sc.call:
        start = float(c.balance.sum())
        for m in range(months):
            end = total["ending_balance"][m]
            if 0 < end <= sc.call_pct * start:
                total["call_principal"][m] = end
                total["prepayment"][m] += end
                total["ending_balance"][m] = 0.0
                for k in OUT:
                    for j in range(m + 1, months):
                        total[k][j] = 0.0
                break
    return total
