"""Loan-level collateral: the servicer's loan tape and monthly activity -> the month's
pool-level :class:`~remit.remittance.Remittance` (vectorised, exact in cents).

Entry points: :func:`generate_tape`, :func:`collect`, :func:`remittance_to_toml`."""

from remit.collateral.collect import collect
from remit.collateral.generate import Behaviour, Calibration, generate_tape
from remit.collateral.toml_out import remittance_to_toml

__all__ = ["Behaviour", "Calibration", "collect", "generate_tape", "remittance_to_toml"]
