"""The Standard Formulas against the published curves (SIFMA Uniform Practices, chapter SF):
values written here from the standard's definitions, not from running the code."""

from __future__ import annotations

import numpy as np
import pytest

from remit.project.formulas import (
    cdr_from_mdr,
    cpr_from_smm,
    level_principal_fraction,
    mdr_from_cdr,
    psa_cpr,
    sda_cdr,
    smm_from_cpr,
)

# 100% PSA: 0.2% CPR in month 1, +0.2% a month, 6% from month 30 on
PSA_100 = {1: 0.002, 2: 0.004, 10: 0.02, 15: 0.03, 29: 0.058, 30: 0.06, 31: 0.06, 360: 0.06}
# 100% SDA: 0.02% CDR in month 1, +0.02% a month to 0.60% at 30, flat to 60, -0.0095% a month
# to 0.03% at 120, 0.03% after
SDA_100 = {
    1: 0.0002,
    10: 0.0020,
    29: 0.0058,
    30: 0.0060,
    45: 0.0060,
    60: 0.0060,
    61: 0.005905,
    70: 0.00505,
    90: 0.00315,
    119: 0.000395,
    120: 0.0003,
    121: 0.0003,
    300: 0.0003,
}


@pytest.mark.parametrize("age,cpr", sorted(PSA_100.items()))
def test_psa_100(age: int, cpr: float) -> None:
    assert psa_cpr(age, 100) == pytest.approx(cpr, abs=1e-15)


def test_psa_scales_linearly() -> None:
    assert psa_cpr(10, 150) == pytest.approx(0.03, abs=1e-15)
    assert psa_cpr(30, 150) == pytest.approx(0.09, abs=1e-15)
    assert psa_cpr(100, 50) == pytest.approx(0.03, abs=1e-15)
    assert psa_cpr(0, 100) == 0.0


@pytest.mark.parametrize("age,cdr", sorted(SDA_100.items()))
def test_sda_100(age: int, cdr: float) -> None:
    assert sda_cdr(age, 100) == pytest.approx(cdr, abs=1e-15)


def test_sda_scales_linearly() -> None:
    assert sda_cdr(30, 200) == pytest.approx(0.012, abs=1e-15)
    assert sda_cdr(200, 300) == pytest.approx(0.0009, abs=1e-15)


def test_vectorised_over_ages() -> None:
    ages = np.array(sorted(PSA_100))
    assert np.allclose(psa_cpr(ages, 100), [PSA_100[a] for a in ages], atol=1e-15)


def test_smm_of_6_cpr() -> None:
    # SF: 6% CPR is an SMM of 0.5143% (1 - 0.94^(1/12) = 0.00514301...)
    assert smm_from_cpr(0.06) == pytest.approx(0.0051430128, abs=1e-10)
    assert smm_from_cpr(0.06) == pytest.approx(1 - 0.94 ** (1 / 12), abs=1e-16)


def test_round_trips() -> None:
    x = np.array([0.0, 0.001, 0.06, 0.35, 0.99, 1.0])
    assert np.allclose(cpr_from_smm(smm_from_cpr(x)), x, atol=1e-14)
    assert np.allclose(cdr_from_mdr(mdr_from_cdr(x)), x, atol=1e-14)
    # 1% SMM is 1 - 0.99^12 = 11.3615% CPR
    assert cpr_from_smm(0.01) == pytest.approx(0.11361512828, abs=1e-11)


def test_level_principal_fraction_by_hand() -> None:
    # 6% over 360 months: i = 0.005, principal fraction i / ((1+i)^360 - 1)
    i = 0.005
    assert level_principal_fraction(i, 360) == pytest.approx(i / ((1 + i) ** 360 - 1), rel=1e-13)
    assert level_principal_fraction(i, 1) == 1.0
    assert level_principal_fraction(0.0, 4) == 0.25
