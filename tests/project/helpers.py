"""Small collateral built by hand for the projection tests."""

from __future__ import annotations

import numpy as np

from remit.project.collateral import Collateral, fixed


def arm_pool() -> Collateral:
    """Four loans: a fixed 30-year, an interest-only fixed, two ARMs on two indices with
    first/periodic caps, floor, ceiling, rounding (one already past its first reset)."""
    base = fixed(
        "hand",
        [400_000.0, 250_000.0, 300_000.0, 500_000.0],
        [0.065, 0.055, 0.045, 0.0425],
        [0.0025, 0.00375, 0.0025, 0.003],
        [350, 300, 357, 340],
        [10, 60, 3, 20],
        [0, 60, 57, 0],
        [0, 1, 0, 1],
        ("g1", "g2"),
    )
    return Collateral(
        **{
            **base.__dict__,
            "arm": np.array([False, False, True, True]),
            "index_code": np.array([0, 0, 0, 1]),
            "index_names": ("one_year", "six_month"),
            "index_base": (0.0135, 0.0125),
            "margin": np.array([0.0, 0.0, 0.0225, 0.01875]),
            "first_reset": np.array([0, 0, 34, 4]),
            "reset_every": np.array([12, 12, 12, 6]),
            "first_cap": np.array([0.0, 0.0, 0.05, 0.01]),
            "periodic_cap": np.array([0.0, 0.0, 0.02, 0.01]),
            "ceiling": np.array([1.0, 1.0, 0.095, 0.1025]),
            "floor": np.array([0.0, 0.0, 0.0225, 0.02]),
            "round_to": np.array([0.0, 0.0, 0.00125, 0.00125]),
            "round_mode": np.array([0, 0, 0, 1]),
        }
    )


def conservation_gap(flows, s: int) -> float:  # type: ignore[no-untyped-def]
    """Largest |beginning - ending - (principal + losses)| over the months of scenario s."""
    t = flows.total
    decline = t("beginning_balance")[s] - t("ending_balance")[s]
    paid = sum(
        t(k)[s]
        for k in ("scheduled_principal", "advanced_principal", "prepayment", "recovery", "loss")
    )
    return float(np.max(np.abs(decline - paid)))
