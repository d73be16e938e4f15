"""The Standard Formulas of the SIFMA Uniform Practices (formerly PSA/BMA), chapter SF, on
floats (vectorised with numpy). Rates are fractions here (0.06 for 6%); the scenario layer
converts the percentages people write.

Section letters follow the chapter's order: B prepayment models, C default analysis, D yield
and yield-related measures, F day counts. This module holds B and C; yields are in
:mod:`remit.project.analytics`.

These are projections, not remittances: nothing here is money that is paid or audited."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

F64 = npt.NDArray[np.float64]
ArrayLike = float | int | npt.NDArray[np.float64] | npt.NDArray[np.int64]

PSA_RAMP_MONTHS = 30
PSA_PLATEAU_CPR = 0.06


def smm_from_cpr(cpr: ArrayLike) -> F64:
    """Single monthly mortality from a conditional prepayment rate (SF section B, SMM and CPR):
    ``SMM = 1 - (1 - CPR) ** (1/12)``."""
    c = np.asarray(cpr, dtype=np.float64)
    with np.errstate(divide="ignore"):  # CPR 100%: log1p(-1) = -inf, SMM 1
        return np.asarray(-np.expm1(np.log1p(-c) / 12.0), dtype=np.float64)


def cpr_from_smm(smm: ArrayLike) -> F64:
    """Conditional prepayment rate from a single monthly mortality (SF section B):
    ``CPR = 1 - (1 - SMM) ** 12``."""
    s = np.asarray(smm, dtype=np.float64)
    with np.errstate(divide="ignore"):
        return np.asarray(-np.expm1(12.0 * np.log1p(-s)), dtype=np.float64)


def mdr_from_cdr(cdr: ArrayLike) -> F64:
    """Monthly default rate from a conditional (annual) default rate (SF section C, MDR and
    CDR): ``MDR = 1 - (1 - CDR) ** (1/12)``, the same relation as SMM and CPR."""
    return smm_from_cpr(cdr)


def cdr_from_mdr(mdr: ArrayLike) -> F64:
    """Conditional default rate from a monthly default rate (SF section C):
    ``CDR = 1 - (1 - MDR) ** 12``."""
    return cpr_from_smm(mdr)


def psa_cpr(age: ArrayLike, psa_pct: ArrayLike) -> F64:
    """The PSA Standard Prepayment Model (SF section B): at 100% PSA the CPR is 0.2% in the
    first month of a loan's life, rising by 0.2% a month to 6% in month 30 and 6% after;
    ``x``% PSA is ``x/100`` times that curve::

        CPR(age) = psa/100 x 6% x min(age, 30) / 30        (age in months, 0 before month 1)

    ``age`` is the loan's age in the month projected (1 for the month of its first payment)."""
    a = np.clip(np.asarray(age, dtype=np.float64), 0.0, PSA_RAMP_MONTHS)
    p = np.asarray(psa_pct, dtype=np.float64) / 100.0
    return np.asarray(p * PSA_PLATEAU_CPR * a / PSA_RAMP_MONTHS, dtype=np.float64)


def sda_cdr(age: ArrayLike, sda_pct: ArrayLike) -> F64:
    """The Standard Default Assumption curve (SF section C, SDA): at 100% SDA the CDR is 0.02%
    in month 1, rising by 0.02% a month to 0.60% in month 30, level at 0.60% through month 60,
    falling by 0.0095% a month from month 61 to 0.03% in month 120, and 0.03% after;
    ``x``% SDA is ``x/100`` times that curve::

        CDR(age) = 0.02% x age                       1 <= age <= 30
                 = 0.60%                            30 <= age <= 60
                 = 0.60% - 0.0095% x (age - 60)     60 <= age <= 120
                 = 0.03%                                   age >= 120"""
    a = np.asarray(age, dtype=np.float64)
    base = np.where(
        a <= 30,
        0.0002 * np.clip(a, 0.0, 30.0),
        np.where(a <= 60, 0.006, np.where(a <= 120, 0.006 - 0.000095 * (a - 60.0), 0.0003)),
    )
    return np.asarray(np.asarray(sda_pct, dtype=np.float64) / 100.0 * base, dtype=np.float64)


def level_principal_fraction(monthly_rate: ArrayLike, remaining: ArrayLike) -> F64:
    """Scheduled principal of a level-payment loan as a fraction of its balance, with ``n``
    installments left at the monthly rate ``i`` (SF section C.3, scheduled amortization of the
    performing balance): ``i / ((1 + i)^n - 1)``; ``1/n`` at a zero rate; the whole balance
    when one installment (or none) is left."""
    i = np.asarray(monthly_rate, dtype=np.float64)
    n = np.asarray(remaining, dtype=np.float64)
    nn = np.maximum(n, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        level = np.where(i > 0, i / np.expm1(nn * np.log1p(np.maximum(i, 0.0))), 1.0 / nn)
    return np.asarray(np.where(n <= 1, 1.0, level), dtype=np.float64)
